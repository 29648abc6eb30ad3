"""Resources and volumes over the REST API (werkzeug client, spec-checked)."""
import pytest

from fakestor.apicallrc import unsigned64
from linstor import sharedconsts as C

GIB = 1024 * 1024
RSC = "/v1/resource-definitions/r1/resources"


def call(http, method, path, body=None):
    resp = http.open(path, method=method, json=body) if body is not None else http.open(path, method=method)
    return resp.status_code, resp.get_json()


def rc(entry) -> int:
    return unsigned64(entry["ret_code"])


def codes(reply):
    return [rc(e) for e in reply]


def item(node, pool=None, flags=None, **extra):
    res = {"node_name": node}
    if pool:
        res["props"] = {"StorPoolName": pool}
    if flags:
        res["flags"] = flags
    return dict(extra, resource=res)


def place(http, *items, rsc="r1"):
    return call(http, "POST", "/v1/resource-definitions/%s/resources" % rsc, list(items))


def pool_free(http, node, pool):
    return call(http, "GET", "/v1/nodes/%s/storage-pools/%s" % (node, pool))[1]["free_capacity"]


def view(http, query=""):
    return call(http, "GET", "/v1/view/resources" + query)[1]


@pytest.fixture
def r1(http):
    """Resource definition r1 with one 1 GiB volume definition, not deployed."""
    call(http, "POST", "/v1/resource-definitions", {"resource_definition": {"name": "r1"}})
    call(http, "POST", "/v1/resource-definitions/r1/volume-definitions", {"volume_definition": {"size_kib": GIB}})
    return "r1"


@pytest.fixture
def deployed(http, r1):
    """r1 on alpha and bravo (zfs, thick) and diskless on charlie."""
    status, _ = place(http, item("alpha", "zfs"), item("bravo", "zfs"), item("charlie", flags=["DRBD_DISKLESS"]))
    assert status == 201
    return r1


# -- create ---------------------------------------------------------------------------------------
def test_create_diskful_takes_space_from_a_thick_pool(http, r1):
    before = pool_free(http, "alpha", "zfs")
    status, reply = place(http, item("alpha", "zfs"))
    assert status == 201
    assert rc(reply[0]) == C.MASK_CRT | C.MASK_RSC | C.CREATED
    assert reply[0]["message"] == "New resource 'r1' on node 'alpha' registered."
    # the call's context names the resource definition only (CtrlRscCrtApiCallHandler)
    assert set(reply[0]["obj_refs"]) == {"RscDfn", "UUID"} and reply[0]["obj_refs"]["RscDfn"] == "r1"
    assert reply[1]["message"] == "Volume with number '0' on resource 'r1' on node 'alpha' successfully registered"
    assert reply[1]["obj_refs"] == {"Node": "alpha", "RscDfn": "r1", "VlmNr": "0"}
    assert pool_free(http, "alpha", "zfs") == before - GIB
    rsc = view(http)[0]
    assert rsc["name"] == "r1" and rsc["node_name"] == "alpha"
    assert rsc["state"] == {"in_use": False}
    assert rsc["layer_object"]["type"] == "DRBD"
    assert rsc["layer_object"]["drbd"]["node_id"] == 0
    assert rsc["layer_object"]["drbd"]["peer_slots"] == 7
    assert rsc["layer_object"]["children"][0]["type"] == "STORAGE"
    vlm = rsc["volumes"][0]
    assert (vlm["storage_pool_name"], vlm["provider_kind"], vlm["device_path"]) == ("zfs", "ZFS", "/dev/drbd1000")
    assert vlm["allocated_size_kib"] == GIB
    assert vlm["state"] == {"disk_state": "UpToDate"}
    drbd, storage = vlm["layer_data_list"]
    assert drbd["type"] == "DRBD" and storage["type"] == "STORAGE"
    assert drbd["data"]["drbd_volume_definition"] == {"volume_number": 0, "minor_number": 1000}
    assert drbd["data"]["backing_device"] == storage["data"]["device_path"] == "/dev/zvol/tank/r1_00000"
    assert drbd["data"]["usable_size_kib"] == GIB


def test_thin_volume_allocates_nothing_but_counts_as_reserved(http, controller, r1):
    before = pool_free(http, "alpha", "thin")
    place(http, item("alpha", "thin"))
    assert pool_free(http, "alpha", "thin") == before
    assert controller.cluster.reserved_kib("alpha", "thin") == GIB
    vlm = view(http)[0]["volumes"][0]
    assert vlm["provider_kind"] == "LVM_THIN"
    assert vlm["layer_data_list"][1]["data"]["device_path"] == "/dev/vg0/r1_00000"


def test_diskless_resource_lives_in_the_diskless_pool(http, r1):
    place(http, item("alpha", "zfs"))
    status, _ = place(http, item("bravo", flags=["DISKLESS"]))
    assert status == 201
    bravo = view(http, "?nodes=bravo")[0]
    assert bravo["flags"] == ["DISKLESS", "DRBD_DISKLESS"]
    assert bravo["props"]["StorPoolName"] == "DfltDisklessStorPool"
    vlm = bravo["volumes"][0]
    assert (vlm["storage_pool_name"], vlm["provider_kind"]) == ("DfltDisklessStorPool", "DISKLESS")
    assert vlm["state"]["disk_state"] == "Diskless"
    assert "allocated_size_kib" not in vlm
    assert bravo["layer_object"]["drbd"]["node_id"] == 1


def test_nvme_initiator_flag(http, r1):
    status, _ = place(http, item("alpha", flags=["NVME_INITIATOR"], layer_list=["NVME", "STORAGE"]))
    assert status == 201
    assert view(http)[0]["flags"] == ["DISKLESS", "NVME_INITIATOR"]


def test_pool_name_comes_from_the_definition_props(http, r1):
    call(http, "PUT", "/v1/resource-definitions/r1", {"override_props": {"StorPoolName": "thin"}})
    place(http, item("alpha"))
    assert view(http)[0]["volumes"][0]["storage_pool_name"] == "thin"


def test_without_pool_name_a_peer_pool_or_dfltstorpool_is_used(http, r1):
    status, reply = place(http, item("alpha"))
    assert status == 404
    assert rc(reply[0]) == C.MASK_CRT | C.MASK_RSC | C.FAIL_NOT_FOUND_DFLT_STOR_POOL
    assert "'null'" in reply[0]["message"]
    assert view(http) == []
    place(http, item("alpha", "zfs"))
    place(http, item("bravo"))
    assert view(http, "?nodes=bravo")[0]["volumes"][0]["storage_pool_name"] == "zfs"


def test_node_ids_are_lowest_free_or_explicit(http, r1):
    place(http, item("alpha", "thin", drbd_node_id=5), item("bravo", "thin"))
    ids = {r["node_name"]: r["layer_object"]["drbd"]["node_id"] for r in view(http)}
    assert ids == {"alpha": 5, "bravo": 0}
    status, reply = place(http, item("charlie", "thin", drbd_node_id=5))
    assert status == 500
    assert rc(reply[0]) == C.MASK_CRT | C.MASK_RSC | C.FAIL_INVLD_NODE_ID
    call(http, "DELETE", RSC + "/bravo")
    place(http, item("charlie", "thin"))
    assert view(http, "?nodes=charlie")[0]["layer_object"]["drbd"]["node_id"] == 0


def test_existing_diskful_resource_is_an_info_and_changes_nothing(http, r1):
    place(http, item("alpha", "zfs"))
    before = pool_free(http, "alpha", "zfs")
    status, reply = place(http, item("alpha", "zfs"))
    assert status == 201
    assert codes(reply) == [C.MASK_CRT | C.MASK_RSC | C.INFO_RSC_ALREADY_EXISTS]
    assert reply[0]["message"] == "A resource 'r1' on node 'alpha' already exists."
    assert pool_free(http, "alpha", "zfs") == before


def test_diskful_request_on_a_diskless_resource_adds_a_disk(http, r1):
    place(http, item("alpha", "zfs"), item("bravo", flags=["DRBD_DISKLESS"]))
    status, reply = place(http, item("bravo", "zfs"))
    assert status == 201
    assert "Addition of disk" in reply[0]["message"]
    bravo = view(http, "?nodes=bravo")[0]
    assert "flags" not in bravo
    assert bravo["volumes"][0]["storage_pool_name"] == "zfs"


def test_no_room_in_a_thick_pool_refuses_every_resource_of_the_request(http, controller, r1):
    zfs = controller.cluster.get_storage_pool("bravo", "zfs")
    zfs.total_capacity = GIB - 1
    controller.cluster.recount()
    before = pool_free(http, "alpha", "zfs")
    status, reply = place(http, item("alpha", "zfs"), item("bravo", "zfs"))
    assert status == 500
    assert rc(reply[0]) == C.MASK_CRT | C.MASK_RSC | C.FAIL_INVLD_VLM_SIZE
    assert reply[0]["message"] == "Not enough free space available for volume 0 of resource 'r1'."
    assert reply[0]["error_report_ids"]
    assert view(http) == []
    assert pool_free(http, "alpha", "zfs") == before


def test_two_volumes_in_one_thick_pool_are_counted_together(http, controller, r1):
    call(http, "POST", "/v1/resource-definitions/r1/volume-definitions", {"volume_definition": {"size_kib": GIB}})
    controller.cluster.get_storage_pool("alpha", "zfs").total_capacity = 2 * GIB - 1
    controller.cluster.recount()
    status, reply = place(http, item("alpha", "zfs"))
    assert status == 500
    assert reply[0]["message"] == "Not enough free space available for volume 1 of resource 'r1'."


@pytest.mark.parametrize("node, pool, status, code", [
    ("delta", "zfs", 404, C.FAIL_NOT_FOUND_NODE),
    ("alpha", "nopool", 404, C.FAIL_NOT_FOUND_STOR_POOL_DFN),
])
def test_missing_node_or_pool(http, r1, node, pool, status, code):
    got, reply = place(http, item(node, pool))
    assert got == status
    assert rc(reply[0]) == C.MASK_CRT | C.MASK_RSC | code
    assert view(http) == []


def test_missing_definition(http):
    status, reply = place(http, item("alpha", "zfs"), rsc="nope")
    assert status == 404
    assert rc(reply[0]) == C.MASK_CRT | C.MASK_RSC | C.FAIL_NOT_FOUND_RSC_DFN


def test_diskless_flag_with_a_diskful_pool_is_refused(http, r1):
    status, reply = place(http, item("alpha", "zfs", flags=["DRBD_DISKLESS"]))
    assert status == 500
    assert rc(reply[0]) == C.MASK_CRT | C.MASK_RSC | C.FAIL_INVLD_STOR_POOL_NAME


def test_create_on_node_route(http, r1):
    status, reply = call(http, "POST", RSC + "/alpha", {"resource": {"props": {"StorPoolName": "thin"}}})
    assert status == 201
    assert view(http)[0]["node_name"] == "alpha"


def test_body_without_resource_member_is_an_unknown_error(http, r1):
    status, reply = call(http, "POST", RSC, [{"layer_list": ["DRBD", "STORAGE"]}])
    assert status == 500
    assert rc(reply[0]) == C.FAIL_UNKNOWN_ERROR
    assert reply[0]["error_report_ids"]


def test_rest_1_28_fields_are_parse_errors(http, r1):
    status, reply = call(http, "POST", RSC, [dict(item("alpha", "zfs"), drbd_tcp_ports=[7100])])
    assert status == 500
    assert rc(reply[0]) == unsigned64(C.API_CALL_PARSE_ERROR)
    assert view(http) == []


def test_inactive_flag_and_activation(http, r1):
    place(http, item("alpha", "zfs"), item("bravo", "zfs", flags=["INACTIVE"]))
    assert view(http, "?nodes=bravo")[0]["flags"] == ["INACTIVE"]
    status, reply = call(http, "POST", RSC + "/bravo/activate")
    assert status == 200
    assert all(rc(e) & C.MASK_ERROR != C.MASK_ERROR for e in reply)
    assert "flags" not in view(http, "?nodes=bravo")[0]
    status, reply = call(http, "POST", RSC + "/bravo/activate")
    # in the call's context, as every reply of CtrlRscActivateApiCallHandler
    assert codes(reply) == [C.INFO_NOOP | C.MASK_MOD | C.MASK_RSC]
    assert reply[0]["obj_refs"] == {"Node": "bravo", "RscDfn": "r1"}
    assert reply[0]["message"] == "Resource is already activated. Noop"
    call(http, "POST", RSC + "/bravo/deactivate")
    assert view(http, "?nodes=bravo")[0]["flags"] == ["INACTIVE"]


def test_deactivate_in_use_is_refused(http, controller, deployed):
    controller.cluster.set_resource_in_use("r1", "alpha")
    status, reply = call(http, "POST", RSC + "/alpha/deactivate")
    assert status == 500
    assert rc(reply[0]) & C.MASK_BITS_CODE == C.FAIL_IN_USE & C.MASK_BITS_CODE
    assert view(http)[0]["state"] == {"in_use": True}


# -- lists, get, modify ------------------------------------------------------------------------
def test_lists_and_single_gets(http, deployed):
    listed = call(http, "GET", RSC)[1]
    assert [r["node_name"] for r in listed] == ["alpha", "bravo", "charlie"]
    assert "volumes" not in listed[0]
    single = call(http, "GET", RSC + "/BRAVO")[1]
    assert single["node_name"] == "bravo"
    status, reply = call(http, "GET", RSC + "/delta")
    assert status == 404
    assert rc(reply[0]) == C.FAIL_NOT_FOUND_RSC
    vlms = call(http, "GET", RSC + "/alpha/volumes")[1]
    assert [v["volume_number"] for v in vlms] == [0]
    assert call(http, "GET", RSC + "/alpha/volumes/0")[1]["storage_pool_name"] == "zfs"
    status, reply = call(http, "GET", RSC + "/alpha/volumes/7")
    assert status == 404
    assert rc(reply[0]) == C.FAIL_NOT_FOUND_VLM
    status, reply = call(http, "GET", "/v1/resource-definitions/nope/resources")
    assert status == 404


def test_stats_count_definitions_and_resources(http, deployed):
    assert call(http, "GET", "/v1/stats/resources") == (200, {"count": 3})
    assert call(http, "GET", "/v1/stats/resource-definitions") == (200, {"count": 1})


def test_view_filters(http, deployed):
    call(http, "POST", "/v1/resource-definitions", {"resource_definition": {"name": "r2"}})
    call(http, "POST", "/v1/resource-definitions/r2/volume-definitions", {"volume_definition": {"size_kib": GIB}})
    place(http, item("alpha", "thin", ), rsc="r2")
    call(http, "PUT", RSC + "/bravo", {"override_props": {"Aux/tag": "x"}})
    pairs = lambda q: [(r["name"], r["node_name"]) for r in view(http, q)]  # noqa: E731
    assert pairs("") == [("r1", "alpha"), ("r1", "bravo"), ("r1", "charlie"), ("r2", "alpha")]
    assert pairs("?nodes=alpha") == [("r1", "alpha"), ("r2", "alpha")]
    assert pairs("?resources=R2") == [("r2", "alpha")]
    assert pairs("?storage_pools=thin") == [("r2", "alpha")]
    assert pairs("?storage_pools=DfltDisklessStorPool") == [("r1", "charlie")]
    assert pairs("?props=Aux/tag=x") == [("r1", "bravo")]
    assert pairs("?nodes=alpha&nodes=charlie&resources=r1") == [("r1", "alpha"), ("r1", "charlie")]
    assert pairs("?limit=1&offset=1") == [("r1", "bravo")]


def test_drbd_connections_and_peers(http, deployed):
    alpha = view(http, "?nodes=alpha")[0]
    assert alpha["layer_object"]["drbd"]["connections"] == {
        "bravo": {"connected": True, "message": "Connected"},
        "charlie": {"connected": True, "message": "Connected"}}


def test_modify_resource_and_volume_props(http, deployed):
    status, reply = call(http, "PUT", RSC + "/alpha", {"override_props": {"Aux/a": "1"}})
    assert status == 200
    assert rc(reply[0]) == C.MASK_MOD | C.MASK_RSC | C.MODIFIED
    status, reply = call(http, "PUT", RSC + "/alpha/volumes/0", {"override_props": {"Aux/v": "2"}})
    assert status == 200
    assert rc(reply[0]) == C.MASK_MOD | C.MASK_VLM | C.MODIFIED
    rsc = view(http, "?nodes=alpha")[0]
    assert rsc["props"]["Aux/a"] == "1"
    assert rsc["volumes"][0]["props"] == {"Aux/v": "2"}
    status, reply = call(http, "PUT", RSC + "/delta", {"override_props": {"Aux/a": "1"}})
    assert status == 404


# -- delete ---------------------------------------------------------------------------------------
def test_delete_frees_space_and_missing_warns(http, deployed):
    before = pool_free(http, "bravo", "zfs")
    status, reply = call(http, "DELETE", RSC + "/bravo")
    assert status == 200
    assert rc(reply[0]) == C.MASK_DEL | C.MASK_RSC | C.DELETED
    assert pool_free(http, "bravo", "zfs") == before + GIB
    status, reply = call(http, "DELETE", RSC + "/bravo")
    assert status == 200
    assert codes(reply) == [C.MASK_DEL | C.MASK_RSC | C.WARN_NOT_FOUND]
    assert reply[0]["message"] == "Node: bravo, Resource: r1 not found."


def test_last_diskful_with_diskless_peers_cannot_go(http, deployed):
    call(http, "DELETE", RSC + "/bravo")
    status, reply = call(http, "DELETE", RSC + "/alpha")
    assert status == 500
    assert rc(reply[0]) == C.MASK_DEL | C.MASK_RSC | C.FAIL_IN_USE
    assert reply[0]["message"] == "Last resource of 'r1' with disk still has diskless resources attached."
    call(http, "DELETE", RSC + "/charlie")
    assert call(http, "DELETE", RSC + "/alpha")[0] == 200
    assert view(http) == []


def test_in_use_resource_cannot_be_deleted(http, controller, deployed):
    controller.cluster.set_resource_in_use("r1", "bravo")
    status, reply = call(http, "DELETE", RSC + "/bravo")
    assert status == 500
    assert reply[0]["message"] == "Resource 'r1' is still in use."
    assert len(view(http)) == 3


# -- toggle disk --------------------------------------------------------------------------------
def test_toggle_to_diskless_and_back(http, deployed):
    before = pool_free(http, "bravo", "zfs")
    status, reply = call(http, "PUT", RSC + "/bravo/toggle-disk/diskless")
    assert status == 200
    assert reply[0]["message"] == "Removal of disk from resource 'r1' on node 'bravo' registered"
    assert rc(reply[0]) == C.MASK_MOD | C.MASK_RSC | C.MODIFIED
    bravo = view(http, "?nodes=bravo")[0]
    assert bravo["flags"] == ["DISKLESS", "DRBD_DISKLESS"]
    assert bravo["volumes"][0]["storage_pool_name"] == "DfltDisklessStorPool"
    assert pool_free(http, "bravo", "zfs") == before + GIB
    status, reply = call(http, "PUT", RSC + "/bravo/toggle-disk/diskless")
    assert codes(reply) == [C.MASK_MOD | C.MASK_RSC | C.WARN_RSC_ALREADY_DISKLESS]
    status, reply = call(http, "PUT", RSC + "/bravo/toggle-disk/diskful/thin")
    assert status == 200
    assert reply[0]["message"] == "Addition of disk to resource 'r1' on node 'bravo' registered"
    bravo = view(http, "?nodes=bravo")[0]
    assert bravo["volumes"][0]["storage_pool_name"] == "thin"
    assert bravo["props"]["StorPoolName"] == "thin"
    status, reply = call(http, "PUT", RSC + "/bravo/toggle-disk/diskful")
    assert codes(reply) == [C.MASK_MOD | C.MASK_RSC | C.WARN_RSC_ALREADY_HAS_DISK]


def test_removing_the_only_disk_is_refused(http, r1):
    place(http, item("alpha", "zfs"))
    status, reply = call(http, "PUT", RSC + "/alpha/toggle-disk/diskless")
    assert status == 500
    assert rc(reply[0]) == C.MASK_MOD | C.MASK_RSC | C.FAIL_INSUFFICIENT_REPLICA_COUNT
    assert view(http)[0]["volumes"][0]["storage_pool_name"] == "zfs"


def test_migrate_disk_moves_the_data_and_removes_the_source(http, deployed):
    before = pool_free(http, "bravo", "zfs")
    status, reply = call(http, "PUT", RSC + "/charlie/migrate-disk/bravo/thin")
    assert status == 200
    nodes = {r["node_name"]: r["volumes"][0]["storage_pool_name"] for r in view(http)}
    assert nodes == {"alpha": "zfs", "charlie": "thin"}
    assert pool_free(http, "bravo", "zfs") == before + GIB


def test_unified_toggle_disk_route_does_not_exist_in_1_31_3(http, deployed):
    status, reply = call(http, "PUT", RSC + "/bravo/toggle-disk", {"diskful": False})
    assert status == 404
    assert rc(reply[0]) == C.FAIL_UNKNOWN_ERROR
    assert reply[0]["message"] == "Path '/v1/resource-definitions/r1/resources/bravo/toggle-disk' not found on server."



# -- nodes and pools ------------------------------------------------------------------------------
def test_pool_with_volumes_cannot_be_deleted(http, deployed):
    status, reply = call(http, "DELETE", "/v1/nodes/alpha/storage-pools/zfs")
    assert status == 500
    assert rc(reply[0]) == C.MASK_DEL | C.MASK_STOR_POOL | C.FAIL_IN_USE
    assert call(http, "DELETE", "/v1/nodes/alpha/storage-pools/thin")[0] == 200


def test_node_with_an_in_use_resource_cannot_be_deleted(http, controller, deployed):
    controller.cluster.set_resource_in_use("r1", "alpha")
    status, reply = call(http, "DELETE", "/v1/nodes/alpha")
    assert status == 500
    assert rc(reply[0]) == C.MASK_DEL | C.MASK_NODE | C.FAIL_IN_USE
    assert rc(reply[-1]) == C.MASK_DEL | C.MASK_NODE | C.FAIL_NODE_HAS_USED_RSC
    assert len(view(http)) == 3


def test_deleting_a_node_removes_its_resources(http, deployed):
    assert call(http, "DELETE", "/v1/nodes/bravo")[0] == 200
    assert [r["node_name"] for r in view(http)] == ["alpha", "charlie"]
    assert "bravo" not in view(http, "?nodes=alpha")[0]["layer_object"]["drbd"]["connections"]


def test_lost_node_takes_its_resources_along(http, controller, deployed):
    controller.cluster.set_resource_in_use("r1", "alpha")
    controller.cluster.set_node_online("alpha", False)  # only an unreachable node can be declared lost
    status, _ = call(http, "DELETE", "/v1/nodes/alpha/lost")
    assert status == 200
    assert [r["node_name"] for r in view(http)] == ["bravo", "charlie"]
