"""Resource groups and volume groups over REST (every answer checked against the OpenAPI spec)."""
import json

import pytest

from linstor import sharedconsts as C

RG_CREATED = C.CREATED | C.MASK_CRT | C.MASK_RSC_GRP


def signed(code: int) -> int:
    return code - (1 << 64) if code & (1 << 63) else code


def call(http, method, path, data=None):
    kwargs = {} if data is None else {"data": json.dumps(data)}
    resp = http.open(path, method=method, **kwargs)
    return resp.status_code, json.loads(resp.get_data() or b"null")


def codes(reply):
    return [entry["ret_code"] for entry in reply]


def test_default_group_exists_with_place_count_two(http):
    status, groups = call(http, "GET", "/v1/resource-groups")
    assert status == 200
    assert [(g["name"], g["select_filter"]) for g in groups] == [("DfltRscGrp", {"place_count": 2})]


def test_create_and_get_a_group(http):
    status, reply = call(http, "POST", "/v1/resource-groups", {
        "name": "rg1", "description": "fast", "select_filter": {
            "place_count": 3, "storage_pool": "thin", "replicas_on_different": ["Aux/zone"],
            "provider_list": ["lvmthin"], "layer_stack": ["drbd", "storage"]}})
    assert status == 201
    assert codes(reply) == [signed(RG_CREATED)]
    assert reply[0]["message"] == "New resource group 'rg1' created."
    assert reply[0]["obj_refs"]["RscGrp"] == "rg1"
    status, rg = call(http, "GET", "/v1/resource-groups/RG1")
    assert status == 200
    assert rg["name"] == "rg1" and rg["description"] == "fast"
    assert rg["select_filter"] == {"place_count": 3, "storage_pool": "thin", "storage_pool_list": ["thin"],
                                   "replicas_on_different": ["Aux/zone"], "layer_stack": ["DRBD", "STORAGE"],
                                   "provider_list": ["LVM_THIN"]}


def test_create_ignores_props_as_the_controller_does(http):
    call(http, "POST", "/v1/resource-groups", {"name": "rg1", "props": {"Aux/x": "1"}})
    assert "props" not in call(http, "GET", "/v1/resource-groups/rg1")[1]


@pytest.mark.parametrize("data,code", [
    ({"name": "rg1", "select_filter": {"place_count": 0}}, C.FAIL_INVLD_PLACE_COUNT),
    ({"name": "r"}, C.FAIL_INVLD_RSC_GRP_NAME),
    ({"name": "x" * 49}, C.FAIL_INVLD_RSC_GRP_NAME),
    ({"name": "rg.1"}, C.FAIL_INVLD_RSC_GRP_NAME),
    ({"name": "dfltrscgrp"}, C.FAIL_EXISTS_RSC_GRP),
    ({"name": "rg1", "select_filter": {"provider_list": ["floppy"]}}, C.FAIL_INVLD_LAYER_KIND),
])
def test_bad_creates_are_refused_and_change_nothing(http, data, code):
    status, reply = call(http, "POST", "/v1/resource-groups", data)
    assert status == 500
    assert reply[0]["ret_code"] & C.MASK_BITS_CODE == code & C.MASK_BITS_CODE
    assert [g["name"] for g in call(http, "GET", "/v1/resource-groups")[1]] == ["DfltRscGrp"]


def test_name_errors_carry_the_cause_and_an_error_report(http):
    _, reply = call(http, "POST", "/v1/resource-groups", {"name": "r"})
    assert reply[0]["message"] == "The given resource group name 'r' is invalid."
    assert reply[0]["cause"] == "Invalid name: Name length 1 is less than minimum length 2"
    assert reply[0]["error_report_ids"]


def test_fields_newer_than_rest_1_25_1_are_parse_errors(http):
    status, reply = call(http, "POST", "/v1/resource-groups", {"name": "rg1", "select_filter": {"port_count": 2}})
    assert status == 500 and reply[0]["ret_code"] == signed(C.API_CALL_PARSE_ERROR)


def test_unknown_storage_pool_in_filter_warns(http):
    status, reply = call(http, "POST", "/v1/resource-groups",
                         {"name": "rg1", "select_filter": {"storage_pool_list": ["nope", "DfltDisklessStorPool"]}})
    assert status == 201
    assert reply[0]["ret_code"] == signed(C.WARN_NOT_FOUND)
    assert reply[0]["message"] == (
        "The following configured storage pools are diskless, but are wrongly configured to be used for diskful "
        "autoplacements:\n\tDfltDisklessStorPool\nThe following configured storage pools do not exist on any "
        "node:\n\tnope")
    assert reply[1]["ret_code"] == signed(RG_CREATED)


def test_modify_merges_the_filter_as_the_controller_does(http):
    call(http, "POST", "/v1/resource-groups", {"name": "rg1", "select_filter": {
        "place_count": 3, "storage_pool_list": ["thin"], "replicas_on_same": ["Aux/rack"]}})
    status, reply = call(http, "PUT", "/v1/resource-groups/rg1", {
        "description": "d", "override_props": {"Aux/a": "1", "Aux/b": "2"}, "select_filter": {"place_count": 2}})
    assert status == 200
    # a modify is registered as a creation by the controller: MASK_CRT
    assert reply[-1]["ret_code"] == signed(C.MODIFIED | C.MASK_CRT | C.MASK_RSC_GRP)
    assert reply[-1]["message"] == "Resource group 'rg1' modified."
    rg = call(http, "GET", "/v1/resource-groups/rg1")[1]
    # fields the change does not carry stay as they were
    assert rg["select_filter"] == {"place_count": 2, "storage_pool": "thin", "storage_pool_list": ["thin"],
                                   "replicas_on_same": ["Aux/rack"]}
    assert rg["description"] == "d" and rg["props"] == {"Aux/a": "1", "Aux/b": "2"}
    call(http, "PUT", "/v1/resource-groups/rg1", {"delete_props": ["Aux/a"],
                                                  "select_filter": {"storage_pool_list": []}})
    rg = call(http, "GET", "/v1/resource-groups/rg1")[1]
    assert rg["props"] == {"Aux/b": "2"}
    assert rg["select_filter"] == {"place_count": 2, "replicas_on_same": ["Aux/rack"]}


@pytest.mark.parametrize("data,code,status", [
    ({"select_filter": {"place_count": 0}}, C.FAIL_INVLD_PLACE_COUNT, 500),
    ({"override_props": {"DrbdOptions/ExactSize": "yes"}}, C.FAIL_INVLD_PROP, 500),
])
def test_bad_modifies_change_nothing(http, data, code, status):
    call(http, "POST", "/v1/resource-groups", {"name": "rg1"})
    got, reply = call(http, "PUT", "/v1/resource-groups/rg1", dict(data, description="changed"))
    assert got == status and reply[0]["ret_code"] & C.MASK_BITS_CODE == code & C.MASK_BITS_CODE
    assert "description" not in call(http, "GET", "/v1/resource-groups/rg1")[1]


def test_modify_of_a_missing_group_is_not_found(http):
    status, reply = call(http, "PUT", "/v1/resource-groups/nope", {"description": "x"})
    assert status == 404
    assert reply[0]["ret_code"] == signed(C.FAIL_NOT_FOUND_RSC_GRP | C.MASK_CRT | C.MASK_RSC_GRP)
    assert reply[0]["message"] == "Resource group 'nope' not found."


def test_get_of_a_missing_group_is_404(http):
    status, reply = call(http, "GET", "/v1/resource-groups/nope")
    assert status == 404 and reply[0]["ret_code"] == signed(C.FAIL_NOT_FOUND_RSC_GRP)


def test_list_filters_by_name_and_props(http):
    for name, zone in (("rg1", "a"), ("rg2", "b")):
        call(http, "POST", "/v1/resource-groups", {"name": name})
        call(http, "PUT", "/v1/resource-groups/%s" % name, {"override_props": {"Aux/zone": zone}})
    names = [g["name"] for g in call(http, "GET", "/v1/resource-groups?resource_groups=RG2&resource_groups=rg1")[1]]
    assert names == ["rg1", "rg2"]
    assert [g["name"] for g in call(http, "GET", "/v1/resource-groups?props=Aux/zone=b")[1]] == ["rg2"]
    assert [g["name"] for g in call(http, "GET", "/v1/resource-groups?props=Aux/zone")[1]] == ["rg1", "rg2"]


def test_delete_and_delete_again(http):
    call(http, "POST", "/v1/resource-groups", {"name": "rg1"})
    status, reply = call(http, "DELETE", "/v1/resource-groups/rg1")
    assert status == 200
    assert reply[0]["ret_code"] == signed(C.DELETED | C.MASK_CRT | C.MASK_RSC_GRP)
    assert reply[0]["message"] == "Resource group 'rg1' deleted."
    status, reply = call(http, "DELETE", "/v1/resource-groups/rg1")
    assert status == 200 and reply[0]["ret_code"] == signed(C.WARN_NOT_FOUND | C.MASK_CRT | C.MASK_RSC_GRP)
    assert reply[0]["message"] == "Resource group: rg1 not found."


def test_delete_is_refused_while_definitions_use_the_group(http, controller, monkeypatch):
    call(http, "POST", "/v1/resource-groups", {"name": "rg1"})
    monkeypatch.setattr(type(controller.cluster), "_resource_definitions_in_group",
                        lambda self, name: ["r1"] if name == "rg1" else [])
    status, reply = call(http, "DELETE", "/v1/resource-groups/rg1")
    assert status == 500 and reply[0]["ret_code"] & C.MASK_BITS_CODE == C.FAIL_EXISTS_RSC_DFN & C.MASK_BITS_CODE
    assert reply[0]["message"] == "Cannot delete resource group 'rg1' because it has existing resource definitions."
    assert call(http, "GET", "/v1/resource-groups/rg1")[0] == 200
    status, reply = call(http, "POST", "/v1/resource-groups/rg1/volume-groups", {})
    assert status == 500 and reply[0]["message"].startswith("Volume group cannot be created while")


def test_resource_group_exists_hook(controller):
    assert controller.cluster._resource_group_exists("dfltrscgrp")
    assert not controller.cluster._resource_group_exists("rg9")


# -- volume groups ---------------------------------------------------------------------------------
def test_volume_groups_numbered_lowest_free(http):
    call(http, "POST", "/v1/resource-groups", {"name": "rg1"})
    status, reply = call(http, "POST", "/v1/resource-groups/rg1/volume-groups", {"volume_number": 1})
    assert status == 201
    assert reply[0]["ret_code"] == signed(C.CREATED | C.MASK_CRT | C.MASK_VLM_GRP)
    assert reply[0]["message"] == "New volume group with number '1' of resource group 'rg1' created."
    http.post("/v1/resource-groups/rg1/volume-groups")  # no body at all: next number
    call(http, "POST", "/v1/resource-groups/rg1/volume-groups", {"flags": ["GROSS_SIZE"], "props": {"Aux/x": "y"}})
    listed = call(http, "GET", "/v1/resource-groups/rg1/volume-groups")[1]
    assert [(v["volume_number"], v.get("flags"), v.get("props")) for v in listed] == [
        (0, None, None), (1, None, None), (2, ["GROSS_SIZE"], {"Aux/x": "y"})]


@pytest.mark.parametrize("number,code", [(0, C.FAIL_EXISTS_VLM_GRP), (65535, C.FAIL_INVLD_VLM_NR)])
def test_bad_volume_group_numbers(http, number, code):
    call(http, "POST", "/v1/resource-groups", {"name": "rg1"})
    call(http, "POST", "/v1/resource-groups/rg1/volume-groups", {"volume_number": 0})
    status, reply = call(http, "POST", "/v1/resource-groups/rg1/volume-groups", {"volume_number": number})
    assert status == 500 and reply[0]["ret_code"] & C.MASK_BITS_CODE == code & C.MASK_BITS_CODE
    assert len(call(http, "GET", "/v1/resource-groups/rg1/volume-groups")[1]) == 1


def test_volume_group_modify_flags_and_delete(http):
    call(http, "POST", "/v1/resource-groups", {"name": "rg1"})
    call(http, "POST", "/v1/resource-groups/rg1/volume-groups", {})
    status, reply = call(http, "PUT", "/v1/resource-groups/rg1/volume-groups/0",
                         {"flags": ["GROSS_SIZE"], "override_props": {"Aux/a": "b"}})
    assert status == 200 and reply[0]["message"] == "Resource group 'rg1' modified."
    vg = call(http, "GET", "/v1/resource-groups/rg1/volume-groups/0")[1]
    assert vg["flags"] == ["GROSS_SIZE"] and vg["props"] == {"Aux/a": "b"}
    call(http, "PUT", "/v1/resource-groups/rg1/volume-groups/0", {"flags": ["-GROSS_SIZE"]})
    assert "flags" not in call(http, "GET", "/v1/resource-groups/rg1/volume-groups/0")[1]
    status, reply = call(http, "DELETE", "/v1/resource-groups/rg1/volume-groups/0")
    assert status == 200
    assert reply[0]["message"] == "Volume group with number '0' of resource group 'rg1' deleted."
    status, reply = call(http, "GET", "/v1/resource-groups/rg1/volume-groups/0")
    assert status == 404 and reply[0]["ret_code"] == signed(C.FAIL_NOT_FOUND_VLM_GRP)
    assert reply[0]["message"] == "Volume group 'rg1' with volume number '0' not found."
    status, reply = call(http, "DELETE", "/v1/resource-groups/rg1/volume-groups/0")
    assert status == 404


def test_volume_groups_of_a_missing_group(http):
    assert call(http, "GET", "/v1/resource-groups/nope/volume-groups")[0] == 404
    assert call(http, "POST", "/v1/resource-groups/nope/volume-groups", {})[0] == 404


# -- query-max-volume-size ---------------------------------------------------------------------------
def test_query_max_volume_size_of_a_group(http):
    call(http, "POST", "/v1/resource-groups", {"name": "rg1", "select_filter": {"place_count": 3}})
    status, answer = call(http, "GET", "/v1/resource-groups/rg1/query-max-volume-size")
    assert status == 200
    assert answer["default_max_oversubscription_ratio"] == 20.0
    assert [(c["storage_pool"], c["node_names"], c["all_thin"]) for c in answer["candidates"]] == [
        ("thin", ["alpha", "bravo", "charlie"], True), ("zfs", ["alpha", "bravo", "charlie"], False)]


def test_query_max_volume_size_options(http):
    status, answer = call(http, "OPTIONS", "/v1/query-max-volume-size", {"place_count": 1, "storage_pool": "zfs"})
    assert status == 200 and [c["storage_pool"] for c in answer["candidates"]] == ["zfs"]
    status, reply = call(http, "OPTIONS", "/v1/query-max-volume-size", {"place_count": 4})
    assert status == 500 and reply == [{"ret_code": signed(C.MASK_ERROR | C.FAIL_NOT_ENOUGH_NODES),
                                        "message": "Not enough nodes"}]
    status, reply = call(http, "OPTIONS", "/v1/query-max-volume-size", {})
    assert status == 500 and reply[0]["message"] == "Replica count is required for this operation"


# -- adjust --------------------------------------------------------------------------------------------
def test_adjust_autoplaces_each_definition_with_the_merged_filter(http, controller, monkeypatch):
    call(http, "POST", "/v1/resource-groups", {"name": "rg1", "select_filter": {"place_count": 3,
                                                                                "storage_pool": "thin"}})
    seen = []
    cls = type(controller.cluster)
    monkeypatch.setattr(cls, "_resource_definitions_in_group",
                        lambda self, name: ["r1", "r2"] if name == "rg1" else [])

    def autoplace(self, rsc_name, flt, ctx):
        seen.append((rsc_name, flt.place_count, flt.storage_pool_list, flt.replicas_on_same))
        return [ctx.entry(C.CREATED, "placed %s" % rsc_name)]

    monkeypatch.setattr(cls, "_autoplace_resource_definition", autoplace)
    status, reply = call(http, "POST", "/v1/resource-groups/rg1/adjust",
                         {"select_filter": {"replicas_on_same": ["Aux/rack"]}})
    assert status == 200
    assert [e["message"] for e in reply] == ["placed r1", "placed r2"]
    assert reply[0]["ret_code"] == signed(C.CREATED | C.MASK_CRT | C.MASK_RSC_GRP)
    # the request's filter over the group's: the group's place count and pool, the request's rule
    assert seen == [("r1", 3, ("thin",), ("Aux/rack",)), ("r2", 3, ("thin",), ("Aux/rack",))]
    seen.clear()
    status, reply = call(http, "POST", "/v1/resource-groups/adjustall", None)
    assert status == 200 and [s[0] for s in seen] == ["r1", "r2"]


def test_adjust_of_an_empty_or_missing_group(http):
    assert call(http, "POST", "/v1/resource-groups/DfltRscGrp/adjust", {}) == (200, [])
    status, reply = call(http, "POST", "/v1/resource-groups/nope/adjust", {})
    assert status == 404 and reply[0]["ret_code"] == signed(C.FAIL_NOT_FOUND_RSC_GRP | C.MASK_CRT | C.MASK_RSC_GRP)
