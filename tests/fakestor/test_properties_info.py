"""``GET .../properties/info`` for every object kind: the keys the controller accepts there."""
import pytest

from fakestor.model import props as propslib

ROUTES = [
    ("/v1/controller/properties/info", "controller", "TcpPortAutoRange"),
    ("/v1/nodes/properties/info", "node", "Autoplacer/MaxThroughput"),
    ("/v1/nodes/alpha/storage-pools/properties/info", "storagepool", "MaxOversubscriptionRatio"),
    ("/v1/storage-pool-definitions/properties/info", "storagepool-definition", "MaxOversubscriptionRatio"),
    ("/v1/resource-definitions/properties/info", "resource-definition", "PeerSlotsNewResource"),
    ("/v1/resource-definitions/r1/resources/properties/info", "resource", None),
    ("/v1/resource-definitions/r1/resources/alpha/volumes/properties/info", "volume", None),
    ("/v1/resource-definitions/r1/volume-definitions/properties/info", "volume-definition", None),
    ("/v1/resource-definitions/r1/drbd-proxy/properties/info", "drbd-proxy", "DrbdOptions/Proxy/memlimit"),
    ("/v1/resource-groups/properties/info", "resource-definition", "PeerSlotsNewResource"),
    ("/v1/resource-groups/DfltRscGrp/volume-groups/properties/info", "volume-definition", None),
    # not the connection between nodes "properties" and "info"
    ("/v1/resource-definitions/r1/resource-connections/properties/info", "resource-connection", None),
]


@pytest.mark.parametrize("path, kind, sample", ROUTES)
def test_each_kind_lists_its_whitelist(http, path, kind, sample):
    resp = http.get(path)
    assert resp.status_code == 200
    info = resp.get_json()
    assert set(info) == set(propslib.whitelist(kind))
    if sample is not None:
        assert sample in info and info[sample]["prop_type"]
    assert all("info" in v and "prop_type" in v for v in info.values())


def test_all_lists_every_kind_under_the_controllers_names(http):
    info = http.get("/v1/controller/properties/info/all").get_json()
    assert {"CTRL", "NODE", "RSC_DFN", "RSC", "VLM_DFN", "VLM", "STOR_POOL", "STOR_POOL_DFN"} <= set(info)
    assert info["NODE"] == http.get("/v1/nodes/properties/info").get_json()
