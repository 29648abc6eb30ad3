"""Resource and volume groups through the client library, against the fake (in process and over HTTP)."""
from linstor import consts


def test_group_lifecycle(lin):
    replies = lin.resource_group_create("rg1", description="d", place_count=3, storage_pool=["thin"],
                                        replicas_on_different=["Aux/zone"])
    assert lin.all_api_responses_success(replies)
    rg = lin.resource_group_list_raise(filter_by_resource_groups=["RG1"]).resource_groups[0]
    assert (rg.name, rg.description) == ("rg1", "d")
    assert rg.select_filter.place_count == 3
    assert rg.select_filter.storage_pool_list == ["thin"]
    assert rg.select_filter.replicas_on_different == ["Aux/zone"]
    assert lin.all_api_responses_success(lin.resource_group_modify("rg1", place_count=2))
    assert lin.resource_group_list_raise(filter_by_resource_groups=["rg1"]).resource_groups[0] \
        .select_filter.place_count == 2
    assert lin.all_api_responses_success(lin.resource_group_delete("rg1"))
    assert [g.name for g in lin.resource_group_list_raise().resource_groups] == ["DfltRscGrp"]


def test_volume_groups(lin):
    lin.resource_group_create("rg1")
    assert lin.all_api_responses_success(lin.volume_group_create("rg1", volume_nr=0, gross=True))
    assert lin.all_api_responses_success(lin.volume_group_create("rg1"))
    vgs = lin.volume_group_list_raise("rg1").volume_groups
    assert [(v.number, v.flags) for v in vgs] == [(0, ["GROSS_SIZE"]), (1, [])]
    replies = lin.volume_group_create("rg1", volume_nr=1)
    assert replies[0].is_error(consts.FAIL_EXISTS_VLM_GRP)
    assert lin.all_api_responses_success(lin.volume_group_delete("rg1", 1))
    assert [v.number for v in lin.volume_group_list_raise("rg1").volume_groups] == [0]


def test_duplicate_group_is_refused(lin):
    replies = lin.resource_group_create("dfltrscgrp")
    assert replies[0].is_error(consts.FAIL_EXISTS_RSC_GRP)


def test_query_max_volume_size(lin):
    lin.resource_group_create("rg1", place_count=3, storage_pool=["zfs"])
    answer = lin.resource_group_qmvs("rg1")[0]
    assert [(c.storage_pool, c.max_volume_size, sorted(c.node_names)) for c in answer.candidates] == [
        ("zfs", 200 * 1024 * 1024, ["alpha", "bravo", "charlie"])]
