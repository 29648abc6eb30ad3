"""Node, storage pool and controller endpoints over HTTP: shapes, filters and statuses of the
real controller (every response is also checked against the OpenAPI spec)."""
import json

import pytest

from fakestor.apicallrc import signed64
from linstor import sharedconsts as C


def get(http, path):
    resp = http.get(path)
    return resp.status_code, json.loads(resp.get_data())


def send(http, method, path, data):
    resp = http.open(path, method=method, data=json.dumps(data))
    return resp.status_code, json.loads(resp.get_data())


def test_single_node_is_an_object(http):
    status, node = get(http, "/v1/nodes/ALPHA")
    assert status == 200
    assert node["name"] == "alpha" and node["type"] == "SATELLITE"
    assert node["net_interfaces"][0]["is_active"] is True
    status, body = get(http, "/v1/nodes/zulu")
    assert status == 404 and body[0]["ret_code"] == signed64(C.FAIL_NOT_FOUND_NODE)


@pytest.mark.parametrize("query, names", [
    ("", ["alpha", "bravo", "charlie"]),
    ("?nodes=bravo&nodes=CHARLIE", ["bravo", "charlie"]),
    ("?props=Aux/rack=r1", ["alpha", "bravo"]),
    ("?props=Aux/rack=r1&props=Aux/zone=b", ["bravo"]),
    ("?props=Aux/nothing", []),
    ("?limit=2", ["alpha", "bravo"]),
    ("?limit=2&offset=1", ["bravo", "charlie"]),
    ("?offset=1", ["alpha", "bravo", "charlie"]),  # offset alone is ignored
])
def test_node_list_filters_and_pages(http, query, names):
    status, nodes = get(http, "/v1/nodes" + query)
    assert status == 200 and [n["name"] for n in nodes] == names


@pytest.mark.parametrize("query, expected", [
    ("?nodes=alpha", [("alpha", "DfltDisklessStorPool"), ("alpha", "thin"), ("alpha", "zfs")]),
    ("?storage_pools=THIN", [("alpha", "thin"), ("bravo", "thin"), ("charlie", "thin")]),
    ("?nodes=bravo&storage_pools=zfs", [("bravo", "zfs")]),
    ("?props=StorDriver/StorPoolName=tank&limit=1&offset=1", [("bravo", "zfs")]),
])
def test_storage_pool_view_filters(http, query, expected):
    status, pools = get(http, "/v1/view/storage-pools" + query)
    assert status == 200
    assert [(p["node_name"], p["storage_pool_name"]) for p in pools] == expected


def test_offline_node_pools_have_no_capacity_and_a_warning(http, controller):
    controller.cluster.set_node_online("bravo", False)
    _, pools = get(http, "/v1/view/storage-pools?nodes=bravo&nodes=alpha")
    for pool in pools:
        if pool["node_name"] == "bravo":
            assert "free_capacity" not in pool and "total_capacity" not in pool
            assert pool["reports"][0]["ret_code"] == signed64(C.WARN_NOT_CONNECTED)
            assert pool["reports"][0]["message"] == "No active connection to satellite 'bravo'"
        else:
            assert pool["total_capacity"] > 0 and "reports" not in pool
    controller.cluster.set_node_online("bravo", True)
    _, pool = get(http, "/v1/nodes/bravo/storage-pools/thin")
    assert pool["total_capacity"] == 100 * 1024 * 1024


def test_single_storage_pool_lookups(http):
    status, pool = get(http, "/v1/nodes/alpha/storage-pools/THIN")
    assert status == 200 and pool["storage_pool_name"] == "thin"
    status, body = get(http, "/v1/nodes/alpha/storage-pools/nope")
    assert status == 404 and body[0]["ret_code"] == signed64(C.FAIL_NOT_FOUND_STOR_POOL)
    assert body[0]["message"] == "Storage pool 'nope' on node 'alpha' not found."
    status, body = get(http, "/v1/nodes/zulu/storage-pools")
    assert status == 404 and body[0]["ret_code"] == signed64(C.FAIL_NOT_FOUND_NODE)


def test_legacy_pool_props_become_stor_pool_name(http, controller):
    status, _ = send(http, "POST", "/v1/nodes/alpha/storage-pools",
                     {"storage_pool_name": "fat", "provider_kind": "LVM", "props": {"StorDriver/LvmVg": "vg1"}})
    assert status == 201
    status, _ = send(http, "POST", "/v1/nodes/alpha/storage-pools",
                     {"storage_pool_name": "thin2", "provider_kind": "LVM_THIN",
                      "props": {"StorDriver/LvmVg": "vg1", "StorDriver/ThinPool": "tp"}})
    assert status == 201
    assert controller.cluster.get_storage_pool("alpha", "fat").props == {"StorDriver/StorPoolName": "vg1"}
    assert controller.cluster.get_storage_pool("alpha", "thin2").props == {"StorDriver/StorPoolName": "vg1/tp"}


def test_unknown_provider_kind_reaches_the_exception_mapper(http, controller):
    status, body = send(http, "POST", "/v1/nodes/alpha/storage-pools",
                        {"storage_pool_name": "fast", "provider_kind": "BTRFS"})
    assert status == 400
    assert body == [{"ret_code": signed64(C.FAIL_INVLD_LAYER_KIND),
                     "message": "Given provider kind 'BTRFS' is invalid"}]
    assert "FAST" not in controller.cluster.get_node("alpha").storage_pools


def test_controller_property_delete_by_path(http, controller):
    status, _ = send(http, "POST", "/v1/controller/properties", {"override_props": {"Aux/team/owner": "me"}})
    assert status == 201
    resp = http.delete("/v1/controller/properties/Aux/team/owner")
    assert resp.status_code == 200
    assert json.loads(resp.get_data())[0]["message"] == "Successfully deleted property 'Aux/team/owner'"
    assert "Aux/team/owner" not in controller.cluster.controller_props


def test_controller_property_refusal_status(http, controller):
    before = dict(controller.cluster.controller_props)
    status, body = send(http, "POST", "/v1/controller/properties", {"override_props": {"Bogus": "1"}})
    assert status == 500 and body[0]["message"] == "The key 'Bogus' is not whitelisted"
    assert controller.cluster.controller_props == before


def test_node_modify_replies(http):
    status, body = send(http, "PUT", "/v1/nodes/alpha", {"override_props": {"Aux/site": "x"},
                                                         "delete_props": ["Aux/rack"]})
    assert status == 200
    assert [e["message"] for e in body] == ["Successfully set property key(s): Aux/site",
                                            "Successfully deleted property key(s): Aux/rack",
                                            "Node 'alpha' modified.",
                                            "(alpha) Node changes applied."]
    _, node = get(http, "/v1/nodes/alpha")
    assert node["props"] == {"Aux/zone": "a", "Aux/site": "x"}


def test_node_restore_without_eviction_is_an_error(http):
    resp = http.put("/v1/nodes/alpha/restore")
    assert resp.status_code == 500
    assert json.loads(resp.get_data())[0]["message"] == "Node 'alpha' is neither evicted nor evacuated."


def test_properties_info_lists_the_whitelist(http):
    _, info = get(http, "/v1/nodes/properties/info")
    assert info["PrefNic"]["prop_type"] == "regex"
    assert "Autoplacer/MinThinFreeSpace" not in info
    _, info = get(http, "/v1/controller/properties/info")
    assert "TcpPortAutoRange" in info


def test_device_pool_refusals_before_any_work_answer_400(http, controller):
    status, body = send(http, "POST", "/v1/physical-storage/alpha",
                        {"provider_kind": "LVM", "device_paths": ["/dev/sdb"], "sed": True})
    assert status == 400
    assert body[0]["message"] == "SED option needs to be used in combination with a Linstor storage-pool."
    status, _ = send(http, "POST", "/v1/physical-storage/alpha",
                     {"provider_kind": "LVM", "device_paths": ["/dev/sdb"], "with_storage_pool": {"name": "x"}})
    assert status == 400
    assert len(controller.cluster.get_node("alpha").physical_devices) == 1
    status, body = send(http, "POST", "/v1/physical-storage/alpha",
                        {"provider_kind": "LVM", "device_paths": ["/dev/sdb"], "with_storage_pool": {"name": "fat"}})
    assert status == 201, body
    _, groups = get(http, "/v1/physical-storage")
    assert all("alpha" not in g["nodes"] for g in groups)


@pytest.mark.parametrize("path", ["/v1/nodes?nodes=bad_name", "/v1/nodes/bad_name"])
def test_malformed_node_names_in_lookups_are_errors(http, path):
    status, body = get(http, path)
    assert status == 500
    assert body[0]["ret_code"] == signed64(C.FAIL_INVLD_NODE_NAME)
    assert body[0]["cause"] == "Domain name cannot contain character '_'"


def test_not_found_answers_of_single_lookups_carry_only_the_message(http):
    assert get(http, "/v1/nodes/zulu") == (404, [{"ret_code": signed64(C.FAIL_NOT_FOUND_NODE),
                                                  "message": "Node 'zulu' not found."}])
    assert get(http, "/v1/storage-pool-definitions/nope") == (404, [{
        "ret_code": signed64(C.FAIL_NOT_FOUND_STOR_POOL_DFN), "message": "StoragePoolDefinition 'nope' not found."}])
    status, spd = get(http, "/v1/storage-pool-definitions/THIN")
    assert status == 200 and spd["storage_pool_name"] == "thin"


def test_lists_without_filters_ignore_filter_parameters(http):
    _, spds = get(http, "/v1/storage-pool-definitions?storage_pools=thin")
    assert [d["storage_pool_name"] for d in spds] == ["DfltDisklessStorPool", "DfltStorPool", "thin", "zfs"]
    _, pools = get(http, "/v1/nodes/alpha/storage-pools?storage_pools=thin")
    assert len(pools) == 3
