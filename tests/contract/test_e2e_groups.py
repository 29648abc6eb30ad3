"""Resource groups through our client against the fake, in process and over HTTP: group and
volume-group calls, spawn, adjust, query-max-volume-size with the space volumes really take,
and the high-level ``linstor.ResourceGroup`` and ``linstor.Resource`` built on them."""
import json

import pytest

import linstor
from linstor import sharedconsts as C
from linstor.errors import LinstorError, LinstorReadOnlyAfterSetError
from linstor.responses import MaxVolumeSizeResponse
from tests.contract.clusters import five_node_controller, no_error

GIB = 1024 * 1024


@pytest.fixture
def controller():
    return five_node_controller()


def code(value):
    return value & C.MASK_BITS_CODE


def group(lin, name):
    [rg] = lin.resource_group_list_raise(filter_by_resource_groups=[name]).resource_groups
    return rg


def resources(lin, name):
    return {r.node_name: r for r in lin.resource_list_raise(filter_by_resources=[name]).resources}


def candidates(replies):
    [reply] = replies
    assert isinstance(reply, MaxVolumeSizeResponse), [str(r) for r in replies]
    return {c.storage_pool: c for c in reply.candidates}


# -- groups and volume groups ---------------------------------------------------------------
def test_group_create_modify_list_and_delete(lin):
    no_error(lin.resource_group_create("rg1", description="fast", place_count=3, storage_pool=["zfs"],
                                       do_not_place_with=["x"], do_not_place_with_regex="^y",
                                       replicas_on_same=["Aux/rack"], replicas_on_different=["Aux/zone"],
                                       diskless_on_remaining=True, layer_list=["drbd", "storage"],
                                       provider_list=["ZFS"], diskless_storage_pool=["DfltDisklessStorPool"]))
    rg = group(lin, "rg1")
    sf = rg.select_filter
    assert rg.description == "fast"
    assert (sf.place_count, sf.storage_pool_list, sf.not_place_with_rsc, sf.not_place_with_rsc_regex) == \
        (3, ["zfs"], ["x"], "^y")
    assert (sf.replicas_on_same, sf.replicas_on_different, sf.diskless_on_remaining) == \
        (["Aux/rack"], ["Aux/zone"], True)
    assert (sf.layer_stack, sf.provider_list) == (["DRBD", "STORAGE"], ["ZFS"])
    no_error(lin.resource_group_modify("rg1", place_count=2, property_dict={"DrbdOptions/Net/protocol": "C"}))
    rg = group(lin, "rg1")
    assert rg.select_filter.place_count == 2 and rg.select_filter.storage_pool_list == ["zfs"]
    assert rg.properties == {"DrbdOptions/Net/protocol": "C"}
    [dup] = lin.resource_group_create("RG1")
    assert dup.is_error() and code(dup.ret_code) == code(C.FAIL_EXISTS_RSC_GRP)
    no_error(lin.resource_group_delete("rg1"))
    assert lin.resource_group_list_raise(filter_by_resource_groups=["rg1"]).resource_groups == []


def test_group_delete_refused_while_definitions_use_it(lin):
    no_error(lin.resource_group_create("rg1"))
    no_error(lin.resource_dfn_create("web", resource_group="RG1"))
    assert lin.resource_dfn_list_raise().resource_definitions[0].resource_group_name == "rg1"
    [reply] = lin.resource_group_delete("rg1")
    assert reply.is_error() and code(reply.ret_code) == code(C.FAIL_EXISTS_RSC_DFN)
    assert reply.message == "Cannot delete resource group 'rg1' because it has existing resource definitions."
    [reply] = lin.volume_group_create("rg1")
    assert reply.is_error() and code(reply.ret_code) == code(C.FAIL_EXISTS_RSC_DFN)
    no_error(lin.resource_dfn_delete("web"))
    no_error(lin.volume_group_create("rg1"))
    no_error(lin.resource_group_delete("rg1"))


def test_volume_groups(lin):
    no_error(lin.resource_group_create("rg1"))
    no_error(lin.volume_group_create("rg1", property_dict={"DrbdOptions/Disk/al-extents": "6007"}))
    no_error(lin.volume_group_create("rg1", volume_nr=3, gross=True))
    vgs = lin.volume_group_list_raise("rg1").volume_groups
    assert [(v.number, v.flags) for v in vgs] == [(0, []), (3, ["GROSS_SIZE"])]
    assert vgs[0].properties == {"DrbdOptions/Disk/al-extents": "6007"}
    no_error(lin.volume_group_modify("rg1", 3, gross=False, property_dict={"Aux/x": "1"}))
    vgs = lin.volume_group_list_raise("rg1").volume_groups
    assert (vgs[1].flags, vgs[1].properties) == (["GROSS_SIZE"], {"Aux/x": "1"})
    no_error(lin.volume_group_delete("rg1", 0))
    assert [v.number for v in lin.volume_group_list_raise("rg1").volume_groups] == [3]


# -- spawn -----------------------------------------------------------------------------------
def test_spawn_matches_sizes_to_volume_groups_and_places(lin, controller):
    no_error(lin.resource_group_create("rg1", place_count=3, storage_pool="zfs"))
    no_error(lin.volume_group_create("rg1", volume_nr=0))
    no_error(lin.volume_group_create("rg1", volume_nr=5, gross=True))
    replies = no_error(lin.resource_group_spawn("rg1", "web", ["1GiB", 2 * GIB]))
    placed = [r for r in replies if r.message.startswith("Resource 'web' successfully autoplaced")]
    assert len(placed) == 1
    assert placed[0].ret_code == C.MASK_RSC_GRP | C.MASK_CRT | C.CREATED
    assert placed[0].object_refs["RscGrp"] == "rg1" and placed[0].object_refs["RscDfn"] == "web"
    [rd] = lin.resource_dfn_list_raise(filter_by_resource_definitions=["web"]).resource_definitions
    assert rd.resource_group_name == "rg1"
    vds = controller.cluster.get_resource_definition("web").volume_definitions
    assert {n: (vd.size_kib, vd.flags) for n, vd in vds.items()} == {0: (GIB, []), 5: (2 * GIB, ["GROSS_SIZE"])}
    rscs = resources(lin, "web")
    assert len(rscs) == 3
    for rsc in rscs.values():
        assert rsc.properties[C.KEY_STOR_POOL_NAME] == "zfs"
        assert sorted((v.number, v.storage_pool_name) for v in rsc.volumes) == [(0, "zfs"), (5, "zfs")]


def test_spawn_volume_size_count_and_partial(lin, controller):
    no_error(lin.resource_group_create("rg1", place_count=1))
    no_error(lin.volume_group_create("rg1", volume_nr=2))
    no_error(lin.volume_group_create("rg1", volume_nr=4))
    [reply] = lin.resource_group_spawn("rg1", "web", [GIB])
    assert reply.is_error() and code(reply.ret_code) == code(C.FAIL_INVLD_VLM_SIZES)
    assert reply.message == "Invalid count of volume sizes to spawn resource group 'rg1'"
    assert reply.details == "The resource group 'rg1' has 2 Volume groups, but only 1 sizes were provided."
    assert lin.resource_dfn_list_raise().resource_definitions == []
    no_error(lin.resource_group_spawn("rg1", "one", [GIB], partial=True))
    assert sorted(controller.cluster.get_resource_definition("one").volume_definitions) == [2]
    no_error(lin.resource_group_spawn("rg1", "three", [GIB, GIB, GIB], partial=True))
    # the size without a volume group gets the lowest free number
    assert sorted(controller.cluster.get_resource_definition("three").volume_definitions) == [0, 2, 4]


def test_spawn_without_volume_groups_assumes_partial(lin):
    no_error(lin.resource_group_create("rg1", place_count=2))
    replies = no_error(lin.resource_group_spawn("rg1", "web", [GIB]))
    assert replies[0].ret_code == C.MASK_INFO | C.MASK_RSC_GRP
    assert replies[0].message == "Resource-group doesn't have any volume-groups, automatically assume partial mode."
    assert len(resources(lin, "web")) == 2


def test_spawn_definitions_only_and_external_name(lin):
    no_error(lin.resource_group_create("rg1"))
    no_error(lin.volume_group_create("rg1"))
    replies = no_error(lin.resource_group_spawn("rg1", "web", [GIB], definitions_only=True))
    last = replies[-1]
    assert last.ret_code == C.INFO_NO_RSC_SPAWNED
    assert last.message == "Resource definition web and 1 created but no resources deployed"
    assert last.cause == "--definitions-only was set"
    assert resources(lin, "web") == {}
    replies = no_error(lin.resource_group_spawn("rg1", None, [GIB], external_name="my volume",
                                                definitions_only=True))
    assert replies[-1].message == "Resource definition my_volume(my volume) and 1 created but no resources deployed"
    [rd] = lin.resource_dfn_list_raise(filter_by_resource_definitions=["my_volume"]).resource_definitions
    assert rd.external_name == "my volume"


def test_spawn_that_cannot_be_placed_leaves_nothing(lin):
    no_error(lin.resource_group_create("rg1", place_count=6))
    no_error(lin.volume_group_create("rg1"))
    replies = lin.resource_group_spawn("rg1", "web", [GIB])
    assert replies[-1].is_error() and code(replies[-1].ret_code) == code(C.FAIL_NOT_ENOUGH_NODES)
    assert lin.resource_dfn_list_raise().resource_definitions == []
    [reply] = lin.resource_group_spawn("nope", "web", [GIB])
    assert reply.is_error() and code(reply.ret_code) == code(C.FAIL_NOT_FOUND_RSC_GRP)


def test_spawn_peer_slots_props_and_passphrases_over_rest(http, lin, controller):
    no_error(lin.resource_group_create("rg1", place_count=2))
    body = {"resource_definition_name": "web", "volume_sizes": [GIB], "peer_slots": 5,
            "resource_definition_props": {"Aux/owner": "me"}}
    response = http.post("/v1/resource-groups/rg1/spawn", data=json.dumps(body))
    assert response.status_code == 201
    rd = controller.cluster.get_resource_definition("web")
    assert rd.peer_slots == 5 and rd.props["Aux/owner"] == "me"
    assert {r.peer_slots for r in rd.resources.values()} == {5}
    body = {"resource_definition_name": "db", "volume_sizes": [GIB], "volume_passphrases": ["a", "b"]}
    response = http.post("/v1/resource-groups/rg1/spawn", data=json.dumps(body))
    assert response.status_code == 500
    [entry] = response.get_json()
    assert entry["message"] == "Volume passphrase count doesn't match specified volume count."
    response = http.post("/v1/resource-groups/rg1/spawn", data=json.dumps({"volume_sizes": [GIB], "x": 1}))
    assert response.status_code == 500 and response.get_json()[0]["message"] == "Unable to parse input json."
    assert sorted(controller.cluster.resource_definitions) == ["WEB"]


# -- adjust and place-count changes ----------------------------------------------------------------
def test_adjust_and_a_raised_place_count_add_replicas(lin, http):
    no_error(lin.resource_group_create("rg1", place_count=1))
    no_error(lin.volume_group_create("rg1"))
    no_error(lin.resource_group_spawn("rg1", "web", [GIB]))
    assert len(resources(lin, "web")) == 1
    replies = no_error(lin.resource_group_modify("rg1", place_count=3))
    assert any(r.message == "Resource 'web' successfully autoplaced on 2 nodes" for r in replies)
    assert len(resources(lin, "web")) == 3
    response = http.post("/v1/resource-groups/rg1/adjust", data=json.dumps({"select_filter": {"place_count": 4}}))
    assert response.status_code == 200
    assert response.get_json()[0]["message"] == "Resource 'web' successfully autoplaced on 1 nodes"
    assert len(resources(lin, "web")) == 4
    # never removes: a lower count only warns
    response = http.post("/v1/resource-groups/adjustall", data=json.dumps({"select_filter": {"place_count": 1}}))
    assert response.status_code == 200
    assert len(resources(lin, "web")) == 4


def test_a_refused_autoplace_after_a_modify_keeps_the_modify(lin, controller):
    no_error(lin.resource_group_create("rg1", place_count=1))
    no_error(lin.volume_group_create("rg1"))
    no_error(lin.resource_group_spawn("rg1", "web", [GIB]))
    replies = lin.resource_group_modify("rg1", place_count=7, description="wide")
    assert replies[0].message == "Resource group 'rg1' modified."
    assert replies[-1].is_error() and code(replies[-1].ret_code) == code(C.FAIL_NOT_ENOUGH_NODES)
    assert replies[-1].object_refs == {"RscDfn": "web"}  # the autoplace's own context
    stored = controller.cluster.get_resource_group("rg1")
    assert (stored.select_filter.place_count, stored.description) == (7, "wide")
    assert len(resources(lin, "web")) == 1


# -- query-max-volume-size -------------------------------------------------------------------------
def test_query_max_volume_size_sees_reserved_space(lin):
    no_error(lin.resource_group_create("rg1", place_count=3, storage_pool="zfs"))
    before = candidates(lin.resource_group_qmvs("rg1"))
    assert before["zfs"].max_volume_size == 200 * GIB and len(before["zfs"].node_names) == 3
    no_error(lin.volume_group_create("rg1"))
    no_error(lin.resource_group_spawn("rg1", "web", [10 * GIB]))
    no_error(lin.resource_group_spawn("rg1", "db", [10 * GIB]))
    # four zfs pools, two spawns of three replicas: at least two pools hold both volumes
    after = candidates(lin.resource_group_qmvs("rg1"))
    assert after["zfs"].max_volume_size == 180 * GIB
    pools = candidates(lin.storage_pool_dfn_max_vlm_sizes(4))
    assert pools["zfs"].max_volume_size == 180 * GIB and pools["thin"].max_volume_size == 100 * GIB
    [reply] = lin.storage_pool_dfn_max_vlm_sizes(6)
    assert reply.is_error() and code(reply.ret_code) == code(C.FAIL_NOT_ENOUGH_NODES)


# -- high-level objects -----------------------------------------------------------------------------
def test_resource_group_object(lin, controller):
    with lin:
        rg = linstor.ResourceGroup("rg1", existing_client=lin)
        assert (rg.name, rg.redundancy, rg.nr_volumes) == ("rg1", 2, 1)
        rg.description = "db tier"
        rg.redundancy = 3
        rg.storage_pool = ["zfs"]
        rg.do_not_place_with = ["other"]
        rg.do_not_place_with_regex = "^tmp"
        rg.replicas_on_same = ["Aux/rack"]
        rg.replicas_on_different = ["Aux/zone"]
        rg.diskless_on_remaining = False
        rg.layer_list = ["drbd", "storage"]
        rg.provider_list = ["ZFS"]
        rg.property_dict = {"Aux/tier": "db"}
        rg.replicas_on_same = []
        stored = controller.cluster.get_resource_group("rg1")
        sf = stored.select_filter
        assert (stored.description, sf.place_count, sf.storage_pool_list) == ("db tier", 3, ("zfs",))
        assert (sf.not_place_with_rsc, sf.not_place_with_rsc_regex) == (("other",), "^tmp")
        assert (sf.replicas_on_different, sf.layer_stack, sf.provider_list) == (("Aux/zone",), ("DRBD", "STORAGE"),
                                                                               ("ZFS",))
        assert stored.props == {"Aux/tier": "db"}
        assert sf.replicas_on_same == ()  # set, then cleared
        with pytest.raises(LinstorReadOnlyAfterSetError):
            rg.name = "other"
        again = linstor.ResourceGroup("rg1", existing_client=lin)
        assert (again.redundancy, again.storage_pool, again.description) == (3, ["zfs"], "db tier")
        rg.nr_volumes = 2
        assert sorted(stored.volume_groups) == [0, 1]
        rg.nr_volumes = 1
        with pytest.raises(LinstorError):
            rg.nr_volumes = 0
        assert candidates(rg.query_max_volume_size())["zfs"].max_volume_size == 200 * GIB
        rsc = rg.create_resource("web", ["1GiB"])
        assert rsc.name == "web" and rsc.resource_group_name == "rg1"
        nodes = [n for n in ("alpha", "bravo", "charlie", "delta", "echo") if rsc.is_diskful(n)]
        assert len(nodes) == 3 and {controller.cluster.nodes[n.upper()].props["Aux/zone"] for n in nodes} == \
            {"a", "b", "c"}
        assert rsc.volumes[0].size == 1024 ** 3  # bytes
        rg.delete()
        assert "RG1" in controller.cluster.resource_groups  # refused: web still uses it
        rsc.delete()
        rg.delete()
        assert "RG1" not in controller.cluster.resource_groups


def test_resource_placement_and_autoplace(lin, controller):
    with lin:
        rsc = linstor.Resource("web", existing_client=lin)
        rsc.volumes[0] = linstor.Volume("2 GiB")
        rsc.placement.redundancy = 2
        rsc.placement.storage_pool = "zfs"
        rsc.placement.diskless_on_remaining = True
        assert rsc.autoplace() is True
        diskful = [n for n in ("alpha", "bravo", "charlie", "delta", "echo") if rsc.is_diskful(n)]
        diskless = [n for n in ("alpha", "bravo", "charlie", "delta", "echo") if rsc.is_diskless(n)]
        assert len(diskful) == 2 and len(diskless) == 3
        for node in diskful:
            assert controller.cluster.get_storage_pool(node, "zfs").free_capacity == 198 * GIB
        rsc.placement.redundancy = 9
        with pytest.raises(LinstorError, match="Not enough available nodes"):
            rsc.autoplace()


def test_resource_from_resource_group(lin, controller):
    no_error(lin.resource_group_create("rg1", place_count=2, storage_pool="thin"))
    no_error(lin.volume_group_create("rg1"))
    with lin:
        rsc = linstor.Resource.from_resource_group("linstor://unused", "rg1", "web", ["1GiB"], existing_client=lin)
        assert rsc.defined and rsc.resource_group_name == "rg1"
        assert len([n for n in ("alpha", "bravo", "charlie", "delta", "echo") if rsc.is_diskful(n)]) == 2
        spare = linstor.Resource.from_resource_group("linstor://unused", "rg1", "spare", ["1GiB"],
                                                     definitions_only=True, existing_client=lin)
        assert spare.defined and not any(spare.is_diskful(n) for n in ("alpha", "bravo"))
        with pytest.raises(LinstorError, match='Could not spawn resource "x" from resource group "nope"'):
            linstor.Resource.from_resource_group("linstor://unused", "nope", "x", ["1GiB"], existing_client=lin)
