"""Resource groups, volume groups and max-volume-size queries: requests and parsed replies."""
import pytest

import linstor
from linstor.responses import MaxVolumeSizeResponse
from tests.linstor.stub import StubTransport, connected_client, rc

RG = "/v1/resource-groups"


@pytest.fixture
def stub():
    return StubTransport()


@pytest.fixture
def lin(stub):
    return connected_client(stub)


def test_resource_group_create_always_sends_a_select_filter(stub, lin):
    stub.on("POST", RG, [rc(0x1440001, "created")], status=201)
    lin.resource_group_create("rg1")
    assert stub.last.body == {"name": "rg1", "select_filter": {}}
    lin.resource_group_create("rg2", description="fast", place_count=3, storage_pool="thin",
                              do_not_place_with=["a"], do_not_place_with_regex="b.*", replicas_on_same=["Aux/s"],
                              replicas_on_different=["Aux/d"], diskless_on_remaining=False, layer_list=["drbd"],
                              provider_list=["LVM_THIN"], property_dict={"Aux/x": "1"},
                              diskless_storage_pool=["dl"])
    assert stub.last.body == {
        "name": "rg2", "description": "fast",
        "select_filter": {"place_count": 3, "diskless_on_remaining": False, "storage_pool_list": ["thin"],
                          "storage_pool_diskless_list": ["dl"], "not_place_with_rsc": ["a"],
                          "not_place_with_rsc_regex": "b.*", "replicas_on_same": ["Aux/s"],
                          "replicas_on_different": ["Aux/d"], "layer_stack": ["drbd"],
                          "provider_list": ["LVM_THIN"]},
        "props": {"Aux/x": "1"},
    }


def test_resource_group_modify_and_delete(stub, lin):
    stub.on("PUT", RG + "/rg1", [rc(0x2440003, "modified")])
    stub.on("DELETE", RG + "/rg1", [rc(0x3440002, "deleted")])
    lin.resource_group_modify("rg1", description="", place_count=3, storage_pool=[], diskless_on_remaining=False,
                              property_dict={"Aux/a": "1"}, delete_props=["Aux/b"])
    assert stub.last.body == {"description": "",
                              "select_filter": {"place_count": 3, "diskless_on_remaining": False,
                                                "storage_pool_list": []},
                              "override_props": {"Aux/a": "1"}, "delete_props": ["Aux/b"]}
    assert lin.resource_group_delete("rg1")[0].message == "deleted"


def test_resource_group_list_raise_parses_groups_and_filters(stub, lin):
    stub.on("GET", RG, [{"name": "DfltRscGrp", "select_filter": {"place_count": 2}, "uuid": "u1"},
                        {"name": "rg1", "description": "fast", "props": {"Aux/a": "1"}, "uuid": "u2",
                         "select_filter": {"place_count": 3, "storage_pool": "thin", "diskless_on_remaining": True,
                                           "not_place_with_rsc": ["x"], "not_place_with_rsc_regex": "y",
                                           "replicas_on_same": ["Aux/s"], "replicas_on_different": ["Aux/d"],
                                           "layer_stack": ["DRBD", "STORAGE"], "provider_list": ["LVM_THIN"]}}])
    groups = lin.resource_group_list_raise(filter_by_resource_groups=["dfltrscgrp", "rg1"],
                                           filter_by_props=["Aux/a=1"]).resource_groups
    assert stub.last.query == "resource_groups=dfltrscgrp&resource_groups=rg1&props=Aux/a=1"
    dflt, rg1 = groups
    assert (dflt.name, dflt.description, dflt.properties) == ("DfltRscGrp", "", {})
    assert (dflt.select_filter.place_count, dflt.select_filter.storage_pool_list) == (2, [])
    assert dflt.select_filter.diskless_on_remaining is False
    sf = rg1.select_filter
    assert (sf.storage_pool, sf.storage_pool_list, sf.diskless_on_remaining) == ("thin", ["thin"], True)
    assert (sf.not_place_with_rsc, sf.not_place_with_rsc_regex) == (["x"], "y")
    assert (sf.replicas_on_same, sf.replicas_on_different) == (["Aux/s"], ["Aux/d"])
    assert (sf.layer_stack, sf.provider_list) == (["DRBD", "STORAGE"], ["LVM_THIN"])
    assert "PlaceCount: 3" in str(sf) and "StoragePool(s): thin" in str(sf)


def test_resource_group_spawn_converts_sizes_to_kib(stub, lin):
    stub.on("POST", RG + "/rg1/spawn", [rc(0x1380001, "spawned")], status=201)
    lin.resource_group_spawn("rg1", "pvc-1", ["1G", "100MiB", 4096])
    assert stub.last.body == {"resource_definition_name": "pvc-1", "volume_sizes": [1048576, 102400, 4096],
                              "partial": False, "definitions_only": False}
    lin.resource_group_spawn("rg1", "ignored", ["10M"], partial=True, definitions_only=True, external_name="My Vol")
    assert stub.last.body == {"resource_definition_name": "", "volume_sizes": [10240], "partial": True,
                              "definitions_only": True, "resource_definition_external_name": "My Vol"}


def test_spawn_with_a_bad_size_sends_nothing(stub, lin):
    with pytest.raises(linstor.LinstorArgumentError):
        lin.resource_group_spawn("rg1", "pvc-1", ["1 GiB"])
    assert stub.sent == []


def test_resource_group_qmvs_parses_candidates(stub, lin):
    stub.on("GET", RG + "/rg1/query-max-volume-size", {
        "candidates": [{"max_volume_size_kib": 104857600, "storage_pool": "thin", "node_names": ["alpha", "bravo"],
                        "all_thin": True}],
        "default_max_oversubscription_ratio": 20.0})
    reply = lin.resource_group_qmvs("rg1")[0]
    assert isinstance(reply, MaxVolumeSizeResponse)
    assert reply.default_max_oversubscription_ratio == 20.0
    cand = reply.candidates[0]
    assert (cand.max_volume_size, cand.storage_pool, cand.node_names, cand.all_thin) == (
        104857600, "thin", ["alpha", "bravo"], True)


def test_controller_wide_max_volume_size_query_uses_the_same_reply_class(stub, lin):
    stub.on("OPTIONS", "/v1/query-max-volume-size", {"candidates": [], "default_max_oversubscription_ratio": 20.0})
    assert lin.storage_pool_dfn_max_vlm_sizes(2)[0].candidates == []


def test_volume_groups(stub, lin):
    base = RG + "/rg1/volume-groups"
    stub.on("POST", base, [rc(0x1480001, "created")], status=201)
    stub.on("PUT", base + "/1", [rc(0x2480003, "modified")])
    stub.on("DELETE", base + "/1", [rc(0x3480002, "deleted")])
    stub.on("GET", base, [{"volume_number": 0, "flags": ["GROSS_SIZE"], "uuid": "u"},
                          {"volume_number": 1, "props": {"Aux/a": "1"}}])
    lin.volume_group_create("rg1")
    assert stub.last.body == {}
    lin.volume_group_create("rg1", volume_nr=1, property_dict={"Aux/a": "1"}, gross=True)
    assert stub.last.body == {"volume_number": 1, "props": {"Aux/a": "1"}, "flags": ["GROSS_SIZE"]}
    lin.volume_group_modify("rg1", 1, property_dict={"Aux/b": "2"}, delete_props=["Aux/a"], gross=True)
    assert stub.last.body == {"override_props": {"Aux/b": "2"}, "delete_props": ["Aux/a"], "flags": ["GROSS_SIZE"]}
    lin.volume_group_delete("rg1", 1)
    assert stub.last[:2] == ("DELETE", base + "/1")
    vgs = lin.volume_group_list_raise("rg1").volume_groups
    assert [(v.number, v.flags, v.properties) for v in vgs] == [(0, ["GROSS_SIZE"], {}), (1, [], {"Aux/a": "1"})]


def test_groups_need_rest_1_0_8():
    stub = StubTransport(rest_api_version="1.0.7")
    lin = connected_client(stub)
    with pytest.raises(linstor.LinstorError, match="REST-API-VERSION: 1.0.7; needed 1.0.8"):
        lin.resource_group_list_raise()
    with pytest.raises(linstor.LinstorError, match="needed 1.0.8"):
        lin.volume_group_create("rg1")
    assert stub.sent == []
