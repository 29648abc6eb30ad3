"""Resource definitions and volume definitions over the REST API (werkzeug client, spec-checked)."""
import pytest

from fakestor.apicallrc import unsigned64
from linstor import sharedconsts as C

GIB = 1024 * 1024


def call(http, method, path, body=None):
    resp = http.open(path, method=method, json=body) if body is not None else http.open(path, method=method)
    return resp.status_code, resp.get_json()


def rc(entry) -> int:
    return unsigned64(entry["ret_code"])


def rd_create(http, name=None, **extra):
    rd = {"name": name} if name is not None else {}
    rd.update(extra.pop("rd", {}))
    return call(http, "POST", "/v1/resource-definitions", dict(extra, resource_definition=rd))


def vd_create(http, rsc, size, **extra):
    vd = dict({"size_kib": size}, **extra.pop("vd", {}))
    return call(http, "POST", "/v1/resource-definitions/%s/volume-definitions" % rsc,
                dict(extra, volume_definition=vd))


def place(http, rsc, node, pool=None, flags=None):
    res = {"node_name": node}
    if pool:
        res["props"] = {"StorPoolName": pool}
    if flags:
        res["flags"] = flags
    return call(http, "POST", "/v1/resource-definitions/%s/resources" % rsc, [{"resource": res}])


def pool_free(http, node, pool):
    return call(http, "GET", "/v1/nodes/%s/storage-pools/%s" % (node, pool))[1]["free_capacity"]


def get_rd(http, name):
    return call(http, "GET", "/v1/resource-definitions/%s?with_volume_definitions=true" % name)[1]


# -- create -----------------------------------------------------------------------------------
def test_create_by_name_replies_created_and_lists(http):
    status, reply = rd_create(http, "r1")
    assert status == 201
    assert rc(reply[0]) == C.MASK_CRT | C.MASK_RSC_DFN | C.CREATED
    assert reply[0]["message"] == "New resource definition 'r1' created."
    assert reply[0]["obj_refs"]["RscDfn"] == "r1"
    listed = call(http, "GET", "/v1/resource-definitions")[1]
    assert [rd["name"] for rd in listed] == ["r1"]
    assert listed[0]["resource_group_name"] == "DfltRscGrp"
    assert "external_name" not in listed[0]
    assert listed[0]["uuid"] == reply[0]["obj_refs"]["UUID"]


def test_plain_definition_gets_its_port_with_the_first_drbd_resource(http):
    rd_create(http, "r1")
    assert "layer_data" not in get_rd(http, "r1")
    vd_create(http, "r1", GIB)
    assert "layer_data" not in get_rd(http, "r1")["volume_definitions"][0]
    place(http, "r1", "alpha", "zfs")
    rd = get_rd(http, "r1")
    assert rd["layer_data"] == [{"type": "DRBD", "data": rd["layer_data"][0]["data"]}]
    assert rd["layer_data"][0]["data"]["port"] == 7000
    assert rd["layer_data"][0]["data"]["peer_slots"] == 7
    assert rd["volume_definitions"][0]["layer_data"][0]["data"]["minor_number"] == 1000


def test_ports_are_lowest_free_in_the_global_pool_and_explicit_ports_are_kept(http):
    rd_create(http, "ra", rd={"layer_data": [{"type": "DRBD"}, {"type": "STORAGE"}]})
    rd_create(http, "rb", drbd_port=7001)
    rd_create(http, "rc", rd={"layer_data": [{"type": "DRBD"}, {"type": "STORAGE"}]})
    ports = {name: get_rd(http, name)["layer_data"][0]["data"]["port"] for name in ("ra", "rb", "rc")}
    assert ports == {"ra": 7000, "rb": 7001, "rc": 7002}
    call(http, "DELETE", "/v1/resource-definitions/ra")
    rd_create(http, "rd", rd={"layer_data": [{"type": "DRBD"}, {"type": "STORAGE"}]})
    assert get_rd(http, "rd")["layer_data"][0]["data"]["port"] == 7000


def test_port_in_use_is_refused_with_an_error_report(http):
    rd_create(http, "ra", drbd_port=7100)
    status, reply = rd_create(http, "rb", drbd_port=7100)
    assert status == 500
    assert rc(reply[0]) == C.MASK_CRT | C.MASK_RSC_DFN | C.FAIL_INVLD_RSC_PORT
    assert reply[0]["error_report_ids"]
    assert [rd["name"] for rd in call(http, "GET", "/v1/resource-definitions")[1]] == ["ra"]


def test_exhausted_port_range(http):
    call(http, "POST", "/v1/controller/properties", {"override_props": {"TcpPortAutoRange": "7000-7001"}})
    for name in ("ra", "rb"):
        assert rd_create(http, name, rd={"layer_data": [{"type": "DRBD"}, {"type": "STORAGE"}]})[0] == 201
    status, reply = rd_create(http, "rc", rd={"layer_data": [{"type": "DRBD"}, {"type": "STORAGE"}]})
    assert status == 500
    assert rc(reply[0]) == C.MASK_CRT | C.MASK_RSC_DFN | C.FAIL_POOL_EXHAUSTED_TCP_PORT


@pytest.mark.parametrize("external, expected", [
    ("my res", "my_res"),
    ("pvc-0d1e6a52", "pvc-0d1e6a52"),
    ("6f1ab5c2-7d2c-4d3a-9bb0-0d8a6b6f0a11", "LS_6F1AB5C2-7D2C-4D3A-9BB0-0D8A6B6F0A11"),
    ("x" * 60, "x" * 48),
])
def test_name_is_derived_from_the_external_name(http, external, expected):
    status, reply = rd_create(http, rd={"external_name": external})
    assert status == 201
    assert reply[0]["obj_refs"]["RscDfn"] == expected
    rd = get_rd(http, expected)
    assert rd["external_name"] == external


def test_external_name_whose_name_is_taken_gets_a_random_name(http):
    rd_create(http, "my_res")
    status, reply = rd_create(http, rd={"external_name": "my res"})
    assert status == 201
    name = reply[0]["obj_refs"]["RscDfn"]
    assert name.startswith("LS_") and len(name) == 39
    assert get_rd(http, name)["external_name"] == "my res"


def test_external_name_must_be_unique(http):
    rd_create(http, rd={"external_name": "vol A"})
    status, reply = rd_create(http, rd={"external_name": "vol A"})
    assert status == 500
    assert rc(reply[0]) == C.MASK_CRT | C.MASK_RSC_DFN | C.FAIL_EXISTS_EXT_NAME


def test_neither_name_nor_external_name(http):
    status, reply = rd_create(http)
    assert status == 500
    assert rc(reply[0]) == C.MASK_CRT | C.MASK_RSC_DFN | C.FAIL_MISSING_EXT_NAME


@pytest.mark.parametrize("bad", ["a", "1abc", "all", "PROXY", "has space", "x" * 49])
def test_invalid_names_are_refused_with_a_report(http, bad):
    status, reply = rd_create(http, bad)
    assert status == 500
    assert rc(reply[0]) == C.MASK_CRT | C.MASK_RSC_DFN | C.FAIL_INVLD_RSC_NAME
    assert reply[0]["error_report_ids"]
    assert call(http, "GET", "/v1/resource-definitions")[1] == []


def test_duplicate_is_refused_case_insensitively_without_report(http):
    rd_create(http, "r1")
    status, reply = rd_create(http, "R1")
    assert status == 500
    assert rc(reply[0]) == C.MASK_CRT | C.MASK_RSC_DFN | C.FAIL_EXISTS_RSC_DFN
    assert reply[0]["message"] == "A resource definition with the name 'R1' already exists"
    assert "error_report_ids" not in reply[0]


def test_default_group_keeps_its_spelling(http):
    rd_create(http, "r1", rd={"resource_group_name": "dfltrscgrp"})
    assert get_rd(http, "r1")["resource_group_name"] == "DfltRscGrp"


def test_unknown_resource_group_is_not_found(http):
    status, reply = rd_create(http, "r1", rd={"resource_group_name": "nosuchgroup"})
    assert status == 404
    assert rc(reply[0]) == C.MASK_CRT | C.MASK_RSC_DFN | C.FAIL_NOT_FOUND_RSC_GRP


def test_layer_list_without_storage_is_extended_with_a_warning(http):
    status, reply = rd_create(http, "r1", rd={"layer_data": [{"type": "DRBD"}]})
    assert status == 201
    assert rc(reply[0]) == C.MASK_CRT | C.MASK_RSC_DFN | C.WARN_STORAGE_KIND_ADDED
    assert rc(reply[1]) == C.MASK_CRT | C.MASK_RSC_DFN | C.CREATED
    assert reply[0]["obj_refs"]["RscDfn"] == "r1"
    assert [layer["type"] for layer in get_rd(http, "r1")["layer_data"]] == ["DRBD", "STORAGE"]


def test_invalid_layer_kind(http):
    status, reply = rd_create(http, "r1", rd={"layer_data": [{"type": "FLOPPY"}]})
    assert status == 500
    assert rc(reply[0]) == C.MASK_CRT | C.MASK_RSC_DFN | C.FAIL_INVLD_LAYER_KIND


def test_fields_newer_than_rest_1_25_1_are_parse_errors(http):
    status, reply = call(http, "POST", "/v1/resource-definitions",
                         {"resource_definition": {"name": "r1"}, "drbd_tcp_ports": [7000]})
    assert status == 500
    assert rc(reply[0]) == unsigned64(C.API_CALL_PARSE_ERROR)
    assert call(http, "GET", "/v1/resource-definitions")[1] == []


# -- list, get, modify ---------------------------------------------------------------------------
def test_list_filters_by_name_and_props(http):
    rd_create(http, "r1", rd={"props": {"Aux/team": "db"}})
    rd_create(http, "r2")
    names = lambda q: [rd["name"] for rd in call(http, "GET", "/v1/resource-definitions" + q)[1]]  # noqa: E731
    assert names("?resource_definitions=R2") == ["r2"]
    assert names("?props=Aux/team=db") == ["r1"]
    assert names("?props=Aux/team") == ["r1"]
    assert names("") == ["r1", "r2"]


def test_get_single_and_not_found(http):
    rd_create(http, "r1")
    assert call(http, "GET", "/v1/resource-definitions/R1")[1]["name"] == "r1"
    status, reply = call(http, "GET", "/v1/resource-definitions/nope")
    assert status == 404
    assert rc(reply[0]) == C.FAIL_NOT_FOUND_RSC_DFN


def test_modify_props_and_peer_slots(http):
    rd_create(http, "r1", rd={"props": {"Aux/a": "1", "Aux/b": "2"}})
    status, reply = call(http, "PUT", "/v1/resource-definitions/r1",
                         {"override_props": {"Aux/c": "3"}, "delete_props": ["Aux/a"], "drbd_peer_slots": 3})
    assert status == 200
    assert rc(reply[0]) == C.MASK_MOD | C.MASK_RSC_DFN | C.MODIFIED
    rd = get_rd(http, "r1")
    assert rd["props"] == {"Aux/b": "2", "Aux/c": "3"}
    assert rd["layer_data"][0]["data"]["peer_slots"] == 3


def test_modify_missing_definition_and_unknown_group(http):
    status, reply = call(http, "PUT", "/v1/resource-definitions/nope", {"override_props": {"Aux/a": "1"}})
    assert status == 404
    assert rc(reply[0]) == C.MASK_MOD | C.MASK_RSC_DFN | C.FAIL_NOT_FOUND_RSC_DFN
    rd_create(http, "r1")
    status, reply = call(http, "PUT", "/v1/resource-definitions/r1", {"resource_group": "nogroup"})
    assert status == 404
    assert rc(reply[0]) == C.MASK_MOD | C.MASK_RSC_DFN | C.FAIL_NOT_FOUND_RSC_GRP
    assert get_rd(http, "r1")["resource_group_name"] == "DfltRscGrp"


def test_layer_stack_cannot_change_once_deployed(http):
    rd_create(http, "r1")
    vd_create(http, "r1", GIB)
    place(http, "r1", "alpha", "thin")
    status, reply = call(http, "PUT", "/v1/resource-definitions/r1", {"layer_stack": ["LUKS", "STORAGE"]})
    assert status == 500
    assert rc(reply[0]) == C.MASK_MOD | C.MASK_RSC_DFN | C.FAIL_EXISTS_RSC


# -- delete --------------------------------------------------------------------------------------
def test_delete_missing_is_a_warning(http):
    status, reply = call(http, "DELETE", "/v1/resource-definitions/nope")
    assert status == 200
    assert rc(reply[0]) == C.MASK_DEL | C.MASK_RSC_DFN | C.WARN_NOT_FOUND


def test_delete_removes_resources_and_frees_space_ports_and_minors(http):
    rd_create(http, "r1")
    vd_create(http, "r1", GIB)
    before = pool_free(http, "alpha", "zfs")
    place(http, "r1", "alpha", "zfs")
    assert pool_free(http, "alpha", "zfs") == before - GIB
    status, reply = call(http, "DELETE", "/v1/resource-definitions/r1")
    assert status == 200
    assert rc(reply[0]) == C.MASK_DEL | C.MASK_RSC_DFN | C.DELETED
    assert reply[0]["message"] == "Resource definition 'r1' deleted."
    assert pool_free(http, "alpha", "zfs") == before
    assert call(http, "GET", "/v1/view/resources")[1] == []
    rd_create(http, "r2")
    vd_create(http, "r2", GIB)
    place(http, "r2", "alpha", "zfs")
    rd = get_rd(http, "r2")
    assert rd["layer_data"][0]["data"]["port"] == 7000
    assert rd["volume_definitions"][0]["layer_data"][0]["data"]["minor_number"] == 1000


def test_delete_refused_while_in_use_leaves_the_delete_flag(http, controller):
    rd_create(http, "r1")
    vd_create(http, "r1", GIB)
    place(http, "r1", "alpha", "thin")
    controller.cluster.set_resource_in_use("r1", "alpha")
    status, reply = call(http, "DELETE", "/v1/resource-definitions/r1")
    assert status == 500
    assert rc(reply[0]) == C.MASK_DEL | C.MASK_RSC_DFN | C.FAIL_IN_USE
    assert reply[0]["message"] == "Resource 'r1' on node 'alpha' is still in use."
    # v1.31.3 commits the DELETE flag before the check
    assert get_rd(http, "r1")["flags"] == ["DELETE"]
    assert len(call(http, "GET", "/v1/view/resources")[1]) == 1


# -- volume definitions --------------------------------------------------------------------------
def test_volume_definition_create_answers_200_and_numbers_itself(http):
    rd_create(http, "r1", rd={"layer_data": [{"type": "DRBD"}, {"type": "STORAGE"}]})
    status, reply = vd_create(http, "r1", GIB)
    assert status == 200
    assert rc(reply[0]) == C.MASK_CRT | C.MASK_VLM_DFN | C.CREATED
    assert reply[0]["obj_refs"] == {"RscDfn": "r1", "VlmNr": "0"}
    vd_create(http, "r1", 2 * GIB)
    vds = call(http, "GET", "/v1/resource-definitions/r1/volume-definitions")[1]
    assert [(v["volume_number"], v["size_kib"], v["layer_data"][0]["data"]["minor_number"]) for v in vds] == [
        (0, GIB, 1000), (1, 2 * GIB, 1001)]
    single = call(http, "GET", "/v1/resource-definitions/r1/volume-definitions/1")[1]
    assert single["size_kib"] == 2 * GIB


def test_volume_definition_explicit_numbers_and_conflicts(http):
    rd_create(http, "r1", rd={"layer_data": [{"type": "DRBD"}, {"type": "STORAGE"}]})
    assert vd_create(http, "r1", GIB, vd={"volume_number": 5}, drbd_minor_number=2000)[0] == 200
    status, reply = vd_create(http, "r1", GIB, vd={"volume_number": 5})
    assert status == 500
    assert rc(reply[0]) == C.MASK_CRT | C.MASK_VLM_DFN | C.FAIL_EXISTS_VLM_DFN
    status, reply = vd_create(http, "r1", GIB, drbd_minor_number=2000)
    assert status == 500
    assert rc(reply[0]) == C.MASK_CRT | C.MASK_VLM_DFN | C.FAIL_INVLD_MINOR_NR
    status, reply = vd_create(http, "r1", GIB, vd={"volume_number": 65535})
    assert rc(reply[0]) == C.MASK_CRT | C.MASK_VLM_DFN | C.FAIL_INVLD_VLM_NR
    vd = call(http, "GET", "/v1/resource-definitions/r1/volume-definitions")[1]
    assert [(v["volume_number"], v["layer_data"][0]["data"]["minor_number"]) for v in vd] == [(5, 2000)]


@pytest.mark.parametrize("size", [0, 3, (1 << 40) + 1])
def test_volume_definition_invalid_size(http, size):
    rd_create(http, "r1", rd={"layer_data": [{"type": "DRBD"}, {"type": "STORAGE"}]})
    status, reply = vd_create(http, "r1", size)
    assert status == 500
    assert rc(reply[0]) == C.MASK_CRT | C.MASK_VLM_DFN | C.FAIL_INVLD_VLM_SIZE


def test_encrypted_volume_definition_needs_a_master_key(http):
    rd_create(http, "r1")
    status, reply = vd_create(http, "r1", GIB, vd={"flags": ["ENCRYPTED"]})
    assert status == 404
    assert rc(reply[0]) == C.MASK_CRT | C.MASK_VLM_DFN | C.FAIL_NOT_FOUND_CRYPT_KEY
    assert vd_create(http, "r1", GIB, vd={"flags": ["GROSS_SIZE"]})[0] == 200
    assert call(http, "GET", "/v1/resource-definitions/r1/volume-definitions/0")[1]["flags"] == ["GROSS_SIZE"]


def test_volume_definition_on_deployed_definition_creates_volumes(http):
    rd_create(http, "r1")
    vd_create(http, "r1", GIB)
    place(http, "r1", "alpha", "zfs")
    place(http, "r1", "bravo", "zfs")
    before = pool_free(http, "bravo", "zfs")
    status, reply = vd_create(http, "r1", 2 * GIB)
    assert status == 200
    assert pool_free(http, "bravo", "zfs") == before - 2 * GIB
    view = call(http, "GET", "/v1/view/resources?resources=r1")[1]
    assert [[v["volume_number"] for v in rsc["volumes"]] for rsc in view] == [[0, 1], [0, 1]]
    assert view[0]["volumes"][1]["device_path"] == "/dev/drbd1001"


def test_volume_definition_too_big_for_a_thick_pool_changes_nothing(http):
    rd_create(http, "r1")
    vd_create(http, "r1", GIB)
    place(http, "r1", "alpha", "zfs")
    before = pool_free(http, "alpha", "zfs")
    status, reply = vd_create(http, "r1", before + 1)
    assert status == 500
    assert rc(reply[0]) == C.MASK_CRT | C.MASK_VLM_DFN | C.FAIL_INVLD_VLM_SIZE
    assert reply[0]["message"] == "Not enough free space available for volume 1 of resource 'r1'."
    assert reply[0]["error_report_ids"]
    assert pool_free(http, "alpha", "zfs") == before
    assert len(call(http, "GET", "/v1/resource-definitions/r1/volume-definitions")[1]) == 1


def test_resize_grows_thick_volumes_and_keeps_thin_pools_free(http):
    rd_create(http, "r1")
    vd_create(http, "r1", GIB)
    place(http, "r1", "alpha", "zfs")
    place(http, "r1", "bravo", "thin")
    zfs, thin = pool_free(http, "alpha", "zfs"), pool_free(http, "bravo", "thin")
    status, reply = call(http, "PUT", "/v1/resource-definitions/r1/volume-definitions/0", {"size_kib": 3 * GIB})
    assert status == 200
    assert rc(reply[-1]) == C.MASK_MOD | C.MASK_VLM_DFN | C.MODIFIED
    assert pool_free(http, "alpha", "zfs") == zfs - 2 * GIB
    assert pool_free(http, "bravo", "thin") == thin
    vlm = call(http, "GET", "/v1/resource-definitions/r1/resources/alpha/volumes/0")[1]
    assert vlm["allocated_size_kib"] == 3 * GIB


def test_resize_to_the_same_size_warns(http):
    rd_create(http, "r1")
    vd_create(http, "r1", GIB)
    status, reply = call(http, "PUT", "/v1/resource-definitions/r1/volume-definitions/0", {"size_kib": GIB})
    assert status == 200
    assert rc(reply[0]) == C.MASK_MOD | C.MASK_VLM_DFN | C.WARN_VLMDFN_RESIZE_SAME_SIZE


def test_shrink_only_flags_the_volume_definition_in_1_31_3(http):
    rd_create(http, "r1")
    vd_create(http, "r1", 2 * GIB)
    place(http, "r1", "alpha", "zfs")
    before = pool_free(http, "alpha", "zfs")
    status, reply = call(http, "PUT", "/v1/resource-definitions/r1/volume-definitions/0", {"size_kib": GIB})
    assert status == 200
    assert rc(reply[0]) == C.MASK_MOD | C.MASK_VLM_DFN | C.MODIFIED
    vd = call(http, "GET", "/v1/resource-definitions/r1/volume-definitions/0")[1]
    assert vd["size_kib"] == 2 * GIB
    assert "RESIZE_SHRINK" in vd["flags"]
    assert pool_free(http, "alpha", "zfs") == before


def test_grow_beyond_a_thick_pool_is_refused(http):
    rd_create(http, "r1")
    vd_create(http, "r1", GIB)
    place(http, "r1", "alpha", "zfs")
    before = pool_free(http, "alpha", "zfs")
    status, reply = call(http, "PUT", "/v1/resource-definitions/r1/volume-definitions/0",
                         {"size_kib": GIB + before + 1})
    assert status == 500
    assert rc(reply[0]) == C.MASK_MOD | C.MASK_VLM_DFN | C.FAIL_NOT_ENOUGH_FREE_SPACE
    assert "Node: alpha, StorPool: zfs" in reply[0]["message"]
    assert pool_free(http, "alpha", "zfs") == before
    assert call(http, "GET", "/v1/resource-definitions/r1/volume-definitions/0")[1]["size_kib"] == GIB


def test_volume_definition_props(http):
    rd_create(http, "r1")
    vd_create(http, "r1", GIB, vd={"props": {"Aux/x": "1"}})
    call(http, "PUT", "/v1/resource-definitions/r1/volume-definitions/0",
         {"override_props": {"Aux/y": "2"}, "delete_props": ["Aux/x"]})
    assert call(http, "GET", "/v1/resource-definitions/r1/volume-definitions/0")[1]["props"] == {"Aux/y": "2"}


def test_volume_definition_delete_frees_space_and_missing_warns(http):
    rd_create(http, "r1")
    vd_create(http, "r1", GIB)
    before = pool_free(http, "alpha", "zfs")
    place(http, "r1", "alpha", "zfs")
    status, reply = call(http, "DELETE", "/v1/resource-definitions/r1/volume-definitions/0")
    assert status == 200
    assert rc(reply[0]) == C.MASK_DEL | C.MASK_VLM_DFN | C.DELETED
    assert pool_free(http, "alpha", "zfs") == before
    assert call(http, "GET", "/v1/resource-definitions/r1/resources/alpha/volumes")[1] == []
    status, reply = call(http, "DELETE", "/v1/resource-definitions/r1/volume-definitions/0")
    assert status == 200
    assert rc(reply[0]) == C.MASK_DEL | C.MASK_VLM_DFN | C.WARN_NOT_FOUND


def test_volume_definition_delete_refused_in_use(http, controller):
    rd_create(http, "r1")
    vd_create(http, "r1", GIB)
    place(http, "r1", "alpha", "zfs")
    controller.cluster.set_resource_in_use("r1", "alpha")
    status, reply = call(http, "DELETE", "/v1/resource-definitions/r1/volume-definitions/0")
    assert status == 500
    assert rc(reply[0]) == C.MASK_DEL | C.MASK_RSC_DFN | C.FAIL_IN_USE


def test_volume_definition_not_found(http):
    rd_create(http, "r1")
    status, reply = call(http, "GET", "/v1/resource-definitions/r1/volume-definitions/3")
    assert status == 404
    assert rc(reply[0]) == C.FAIL_NOT_FOUND_VLM_DFN
    status, reply = vd_create(http, "nope", GIB)
    assert status == 404
    assert rc(reply[0]) == C.MASK_CRT | C.MASK_VLM_DFN | C.FAIL_NOT_FOUND_RSC_DFN
