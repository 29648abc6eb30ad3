"""``PUT /v1/nodes/{node}/evacuate``: resources move off the node, which takes no new ones."""
import pytest

from fakestor.apicallrc import unsigned64
from linstor import sharedconsts as C

GIB = 1024 * 1024


def call(http, method, path, body=None):
    resp = http.open(path, method=method, json=body) if body is not None else http.open(path, method=method)
    return resp.status_code, resp.get_json()


def rc(entry) -> int:
    return unsigned64(entry["ret_code"])


def spawn(http, rg, rsc, place_count):
    assert call(http, "POST", "/v1/resource-groups", {"name": rg, "select_filter": {"place_count": place_count}})[0] == 201
    status, reply = call(http, "POST", "/v1/resource-groups/%s/spawn" % rg,
                         {"resource_definition_name": rsc, "volume_sizes": [GIB]})
    assert status == 201, reply


def placed(http, rsc):
    return {r["node_name"]: r for r in call(http, "GET", "/v1/resource-definitions/%s/resources" % rsc)[1]}


def test_a_resource_moves_to_a_free_node_and_leaves_the_evacuated_one(http):
    spawn(http, "rg2", "r1", 2)
    assert set(placed(http, "r1")) == {"alpha", "bravo"}
    status, reply = call(http, "PUT", "/v1/nodes/alpha/evacuate")
    assert status == 200, reply
    assert "Created resource 'r1' on 'charlie'" in [e["message"] for e in reply]
    assert all(not e["ret_code"] < 0 for e in reply)
    rscs = placed(http, "r1")
    assert set(rscs) == {"bravo", "charlie"}
    assert C.KEY_RSC_MIGRATE_FROM not in rscs["charlie"]["props"]
    assert call(http, "GET", "/v1/nodes/alpha")[1]["flags"] == ["EVACUATE"]
    # an evacuating node takes no new resources
    status, reply = call(http, "POST", "/v1/resource-definitions/r1/resources",
                         [{"resource": {"node_name": "alpha", "flags": ["DRBD_DISKLESS"]}}])
    assert rc(reply[0]) & C.MASK_BITS_CODE == C.FAIL_EVACUATING & C.MASK_BITS_CODE


def test_enough_peers_left_just_deletes(http):
    spawn(http, "rg3", "r1", 3)
    assert call(http, "PUT", "/v1/resource-groups/rg3", {"select_filter": {"place_count": 2}})[0] == 200
    status, reply = call(http, "PUT", "/v1/nodes/charlie/evacuate")
    assert status == 200
    assert rc(reply[0]) == C.MASK_DEL | C.MASK_RSC | C.DELETED
    assert reply[0]["message"] == "Node: charlie, Resource: r1 preparing for deletion."
    assert set(placed(http, "r1")) == {"alpha", "bravo"}


def test_a_diskless_resource_is_deleted(http):
    spawn(http, "rg2", "r1", 2)
    call(http, "POST", "/v1/resource-definitions/r1/resources",
         [{"resource": {"node_name": "charlie", "flags": ["DRBD_DISKLESS"]}}])
    assert "charlie" in placed(http, "r1")
    status, reply = call(http, "PUT", "/v1/nodes/charlie/evacuate")
    assert status == 200
    assert [e["message"] for e in reply][0] == "Node: charlie, Resource: r1 preparing for deletion."
    assert set(placed(http, "r1")) == {"alpha", "bravo"}


def test_a_diskless_peer_gets_the_disk(http):
    spawn(http, "rg2", "r1", 2)
    call(http, "POST", "/v1/resource-definitions/r1/resources",
         [{"resource": {"node_name": "charlie", "flags": ["DRBD_DISKLESS"]}}])
    status, reply = call(http, "PUT", "/v1/nodes/alpha/evacuate")
    assert status == 200, reply
    assert "Addition of disk to resource 'r1' on node 'charlie' registered" in [e["message"] for e in reply]
    rscs = placed(http, "r1")
    assert set(rscs) == {"bravo", "charlie"}
    assert "DRBD_DISKLESS" not in (rscs["charlie"].get("flags") or [])


def test_no_room_leaves_the_resource_with_a_warning(http):
    spawn(http, "rg3", "r1", 3)
    status, reply = call(http, "PUT", "/v1/nodes/alpha/evacuate")
    assert status == 200
    assert [(rc(e), e["message"]) for e in reply] == [
        (C.WARN_NOT_EVACUATING, "Resource 'r1' cannot be evacuated as no available storage pool was found")]
    rsc = placed(http, "r1")["alpha"]
    assert "EVACUATE" in rsc["flags"]
    assert rsc["props"][C.KEY_RSC_MIGRATE_FROM] == "ALPHA"
    # restoring the node lets it take resources again and clears the resource's flag
    assert call(http, "PUT", "/v1/nodes/alpha/restore")[0] == 200
    assert call(http, "GET", "/v1/nodes/alpha")[1]["flags"] == []
    assert "EVACUATE" not in (placed(http, "r1")["alpha"].get("flags") or [])


def test_a_resource_in_use_stays_until_released(http, controller):
    spawn(http, "rg2", "r1", 2)
    controller.cluster.get_resource("r1", "alpha").in_use = True
    status, reply = call(http, "PUT", "/v1/nodes/alpha/evacuate")
    assert status == 200
    assert set(placed(http, "r1")) == {"alpha", "bravo", "charlie"}


def test_a_node_without_resources_is_only_flagged(http):
    assert call(http, "PUT", "/v1/nodes/bravo/evacuate") == (200, [])
    assert call(http, "GET", "/v1/nodes/bravo")[1]["flags"] == ["EVACUATE"]


@pytest.mark.parametrize("name, status, code", [("delta", 404, C.FAIL_NOT_FOUND_NODE),
                                                ("x", 500, C.FAIL_INVLD_NODE_NAME)])
def test_unknown_or_invalid_node_changes_nothing(http, controller, name, status, code):
    before = controller.cluster.copy_state()
    got, reply = call(http, "PUT", "/v1/nodes/%s/evacuate" % name)
    assert (got, rc(reply[0])) == (status, code)
    assert controller.cluster.copy_state()["nodes"] == before["nodes"]


def test_a_resource_without_drbd_stays_with_a_warning(http):
    http.post("/v1/resource-definitions", json={"resource_definition": {"name": "plain"}})
    http.post("/v1/resource-definitions/plain/volume-definitions", json={"volume_definition": {"size_kib": 1024}})
    assert http.post("/v1/resource-definitions/plain/resources", json=[
        {"resource": {"node_name": "alpha", "props": {"StorPoolName": "thin"}}, "layer_list": ["STORAGE"]}
    ]).status_code == 201
    status, reply = call(http, "PUT", "/v1/nodes/alpha/evacuate")
    assert status == 200
    assert [(rc(e), e["message"]) for e in reply] == [
        (C.WARN_NOT_EVACUATING, "Resource 'plain' cannot be evacuated as it is not a DRBD resource")]
    assert "EVACUATE" in placed(http, "plain")["alpha"]["flags"]
