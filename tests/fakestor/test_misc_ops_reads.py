"""A node's physical storage and a definition's sync status."""
import pytest

from fakestor.apicallrc import unsigned64
from linstor import sharedconsts as C


def get(http, path):
    resp = http.get(path)
    return resp.status_code, resp.get_json()


def rc(entry) -> int:
    return unsigned64(entry["ret_code"])


def test_a_nodes_free_devices_in_bytes(http):
    assert get(http, "/v1/physical-storage/CHARLIE") == (200, [
        {"size": 1024 ** 4, "rotational": True, "device": "/dev/sdb", "model": "ST1000NM0033", "serial": "Z1W0ABCD"}])


def test_devices_turned_into_a_pool_are_no_longer_listed(http):
    resp = http.post("/v1/physical-storage/alpha", json={"provider_kind": "LVM", "device_paths": ["/dev/sdb"],
                                                        "pool_name": "vg1"})
    assert resp.status_code == 201
    assert get(http, "/v1/physical-storage/alpha") == (200, [])


def test_an_offline_satellite_cannot_be_asked(http, controller):
    controller.cluster.set_node_online("bravo", False)
    status, reply = get(http, "/v1/physical-storage/bravo")
    assert status == 500
    assert rc(reply[0]) == C.FAIL_UNKNOWN_ERROR
    assert "message" not in reply[0]
    assert reply[0]["error_report_ids"]


@pytest.mark.parametrize("name, status, code", [("delta", 404, C.FAIL_NOT_FOUND_NODE),
                                                ("-x", 500, C.FAIL_INVLD_NODE_NAME)])
def test_physical_storage_of_an_unknown_node(http, name, status, code):
    got, reply = get(http, "/v1/physical-storage/" + name)
    assert (got, rc(reply[0])) == (status, code)


def test_sync_status_of_a_deployed_definition(http):
    http.post("/v1/resource-definitions", json={"resource_definition": {"name": "r1"}})
    assert get(http, "/v1/resource-definitions/r1/sync-status") == (200, {"synced_on_all": True})
    http.post("/v1/resource-definitions/r1/volume-definitions", json={"volume_definition": {"size_kib": 1024}})
    http.post("/v1/resource-definitions/r1/autoplace", json={"select_filter": {"place_count": 2}})
    assert get(http, "/v1/resource-definitions/R1/sync-status") == (200, {"synced_on_all": True})


@pytest.mark.parametrize("name, status, code, message", [
    ("nope", 404, C.FAIL_NOT_FOUND_RSC_DFN, "Resource definition 'nope' not found."),
    ("-r", 500, C.FAIL_INVLD_RSC_NAME, "The specified resource name '-r' is invalid.")])
def test_sync_status_of_an_unknown_definition(http, name, status, code, message):
    got, reply = get(http, "/v1/resource-definitions/%s/sync-status" % name)
    assert (got, rc(reply[0]), reply[0]["message"]) == (status, code, message)
