"""The ``linstor`` client against the fake controller, end to end, for resource definitions,
volume definitions, resources, volumes, resource connections and DRBD proxy.

Each test runs in process and over HTTP (the ``lin`` fixture); every answer is checked
against the OpenAPI spec. Sizes are KiB as on the wire.
"""
import pytest

from linstor import LinstorApiCallError, ResourceData
from linstor import sharedconsts as C
from linstor.responses import (
    ApiCallResponse,
    DrbdVolumeData,
    Resource,
    ResourceConnection,
    ResourceConnectionsResponse,
    ResourceDefinitionResponse,
    ResourceResponse,
)

GIB = 1024 * 1024


# -- helpers ---------------------------------------------------------------------------------
def ok(replies) -> list:
    """The replies, after checking none is an error."""
    errors = [r for r in replies if isinstance(r, ApiCallResponse) and r.is_error()]
    assert not errors, [str(r) for r in errors]
    assert replies
    return replies


def error(replies, code: int) -> ApiCallResponse:
    """The first reply, which must be an error carrying ``code``."""
    first = replies[0]
    assert isinstance(first, ApiCallResponse) and first.is_error(), [str(r) for r in replies]
    assert first.ret_code & C.MASK_BITS_CODE == code & C.MASK_BITS_CODE, (hex(first.ret_code), str(first))
    return first


def warning(replies, code: int) -> ApiCallResponse:
    first = replies[0]
    assert isinstance(first, ApiCallResponse) and first.is_warning(), [str(r) for r in replies]
    assert first.ret_code & C.MASK_BITS_CODE == code & C.MASK_BITS_CODE, (hex(first.ret_code), str(first))
    return first


def free(lin, node: str, pool: str) -> int:
    pools = lin.storage_pool_list_raise(filter_by_nodes=[node], filter_by_stor_pools=[pool]).storage_pools
    assert len(pools) == 1
    return pools[0].free_space.free_capacity


def rd_of(lin, name: str):
    rds = lin.resource_dfn_list_raise(filter_by_resource_definitions=[name]).resource_definitions
    return rds[0] if rds else None


def rsc_of(lin, name: str, node: str):
    rscs = lin.resource_list_raise(filter_by_nodes=[node], filter_by_resources=[name]).resources
    return rscs[0] if rscs else None


def names_on(lin, **filters) -> set:
    return {(r.name, r.node_name) for r in lin.volume_list_raise(**filters).resources}


@pytest.fixture
def r1(lin):
    """Resource definition r1 with one 1 GiB volume definition, not deployed."""
    ok(lin.resource_dfn_create("r1"))
    ok(lin.volume_dfn_create("r1", GIB))
    return "r1"


@pytest.fixture
def deployed(lin, r1):
    """r1 diskful on alpha and bravo (zfs, thick) and diskless on charlie."""
    ok(lin.resource_create([ResourceData("alpha", "r1", storage_pool="zfs"),
                            ResourceData("bravo", "r1", storage_pool="zfs"),
                            ResourceData("charlie", "r1", drbd_diskless=True)]))
    return r1


# -- resource definitions ----------------------------------------------------------------------
def test_resource_dfn_create_list_modify_delete(lin):
    replies = ok(lin.resource_dfn_create("web", port=7100))
    assert replies[0].is_success() and replies[0].object_refs["RscDfn"] == "web"
    rd = rd_of(lin, "web")
    assert rd.name == "web" and rd.external_name == "" and rd.resource_group_name == "DfltRscGrp"
    assert rd.drbd_data.port == 7100 and len(rd.drbd_data.secret) == 20
    assert rd.uuid and rd.flags == []

    ok(lin.resource_dfn_modify("web", {"Aux/owner": "ops", "Aux/tier": "gold"}))
    assert lin.resource_dfn_props_list("web") == {"Aux/owner": "ops", "Aux/tier": "gold"}
    assert lin.resource_dfn_props_list("WEB", filter_by_namespace="Aux/t") == {"Aux/tier": "gold"}
    ok(lin.resource_dfn_modify("web", {}, delete_props=["Aux/owner"], peer_slots=5))
    assert rd_of(lin, "web").properties == {"Aux/tier": "gold"}

    ok(lin.resource_dfn_delete("web"))
    assert rd_of(lin, "web") is None
    warning(lin.resource_dfn_delete("web"), C.WARN_NOT_FOUND)


def test_resource_dfn_list_filters(lin):
    for name in ("a1", "a2", "b1"):
        ok(lin.resource_dfn_create(name))
    ok(lin.resource_dfn_modify("a2", {"Aux/pick": "yes"}))
    assert [rd.name for rd in lin.resource_dfn_list_raise().resource_definitions] == ["a1", "a2", "b1"]
    picked = lin.resource_dfn_list_raise(filter_by_resource_definitions=["A1", "b1"]).resource_definitions
    assert [rd.name for rd in picked] == ["a1", "b1"]
    by_prop = lin.resource_dfn_list_raise(filter_by_props=["Aux/pick=yes"]).resource_definitions
    assert [rd.name for rd in by_prop] == ["a2"]
    assert isinstance(lin.resource_dfn_list()[0], ResourceDefinitionResponse)
    assert lin.resource_dfn_props_list("nope") == {}


def test_resource_dfn_create_from_external_name_returns_the_derived_name(lin):
    replies = ok(lin.resource_dfn_create("", external_name="my res"))
    assert replies[0].object_refs["RscDfn"] == "my_res"
    rd = rd_of(lin, "my_res")
    assert rd.external_name == "my res"
    # an external name is registered once
    error(lin.resource_dfn_create("", external_name="my res"), C.FAIL_EXISTS_EXT_NAME)
    # a name that is taken gets a generated one
    taken = ok(lin.resource_dfn_create("", external_name="my_res"))[0].object_refs["RscDfn"]
    assert taken.startswith("LS_") and rd_of(lin, taken).external_name == "my_res"


def test_resource_dfn_errors(lin):
    ok(lin.resource_dfn_create("web"))
    error(lin.resource_dfn_create("web"), C.FAIL_EXISTS_RSC_DFN)
    error(lin.resource_dfn_create("WEB"), C.FAIL_EXISTS_RSC_DFN)
    error(lin.resource_dfn_create("1bad"), C.FAIL_INVLD_RSC_NAME)
    error(lin.resource_dfn_create("grouped", resource_group="nogroup"), C.FAIL_NOT_FOUND_RSC_GRP)
    error(lin.resource_dfn_modify("ghost", {"Aux/a": "b"}), C.FAIL_NOT_FOUND_RSC_DFN)
    ok(lin.resource_dfn_create("ported", port=7300))
    error(lin.resource_dfn_create("taken", port=7300), C.FAIL_INVLD_RSC_PORT)
    assert [rd.name for rd in lin.resource_dfn_list_raise().resource_definitions] == ["ported", "web"]


def test_resource_dfn_delete_refused_while_in_use(lin, controller, deployed):
    controller.cluster.set_resource_in_use("r1", "alpha")
    error(lin.resource_dfn_delete("r1"), C.FAIL_IN_USE)
    assert {(n, r) for n, r in names_on(lin, filter_by_resources=["r1"])} == {
        ("r1", "alpha"), ("r1", "bravo"), ("r1", "charlie")}


# -- volume definitions --------------------------------------------------------------------------
def test_volume_dfn_create_minor_and_list(lin):
    ok(lin.resource_dfn_create("web", port=7100))
    ok(lin.volume_dfn_create("web", GIB))
    ok(lin.volume_dfn_create("web", 2 * GIB, volume_nr=3, minor_nr=1500))
    vds = rd_of(lin, "web").volume_definitions
    assert [(vd.number, vd.size) for vd in vds] == [(0, GIB), (3, 2 * GIB)]
    assert [vd.drbd_data.minor for vd in vds] == [1000, 1500]
    assert all(vd.uuid for vd in vds)
    # without volume definitions in the query the list leaves them out
    plain = lin.resource_dfn_list_raise(query_volume_definitions=False).resource_definitions
    assert plain[0].volume_definitions == []


def test_volume_dfn_storage_pool_prop_and_modify(lin, r1):
    ok(lin.volume_dfn_create("r1", GIB, volume_nr=1, storage_pool="zfs"))
    vd = rd_of(lin, "r1").volume_definitions[1]
    assert vd.properties == {"StorPoolName": "zfs"}
    ok(lin.volume_dfn_modify("r1", 1, set_properties={"Aux/x": "1"}, delete_properties=["StorPoolName"]))
    assert rd_of(lin, "r1").volume_definitions[1].properties == {"Aux/x": "1"}
    ok(lin.volume_dfn_modify("r1", 1, size=3 * GIB))
    assert rd_of(lin, "r1").volume_definitions[1].size == 3 * GIB


def test_volume_dfn_errors(lin, r1):
    missing = error(lin.volume_dfn_create("ghost", GIB), C.FAIL_NOT_FOUND_RSC_DFN)
    # the call's context: volume definitions of a resource definition, no volume number yet
    assert missing.object_refs == {"RscDfn": "ghost"}
    assert missing.ret_code & C.MASK_BITS_OBJ == C.MASK_VLM_DFN
    assert missing.details.endswith("Volume definitions for resource definition 'ghost'")
    bad_nr = error(lin.volume_dfn_create("r1", GIB, volume_nr=70000), C.FAIL_INVLD_VLM_NR)
    assert bad_nr.object_refs == {"RscDfn": "r1"}
    error(lin.volume_dfn_create("r1", GIB, volume_nr=0), C.FAIL_EXISTS_VLM_DFN)
    error(lin.volume_dfn_create("r1", 0, volume_nr=1), C.FAIL_INVLD_VLM_SIZE)
    error(lin.volume_dfn_modify("r1", 7, size=GIB), C.FAIL_NOT_FOUND_VLM_DFN)
    warning(lin.volume_dfn_delete("r1", 7), C.WARN_NOT_FOUND)
    assert [vd.number for vd in rd_of(lin, "r1").volume_definitions] == [0]


def test_volume_dfn_resize_of_deployed_volume_takes_from_thick_pools(lin, deployed):
    before = free(lin, "alpha", "zfs")
    ok(lin.volume_dfn_modify("r1", 0, size=3 * GIB))
    assert free(lin, "alpha", "zfs") == before - 2 * GIB
    assert free(lin, "bravo", "zfs") == before - 2 * GIB
    vlm = rsc_of(lin, "r1", "alpha").volumes[0]
    assert vlm.allocated_size == 3 * GIB and vlm.drbd_data.usable_size == 3 * GIB
    # more than the pool holds: refused, nothing changes
    error(lin.volume_dfn_modify("r1", 0, size=500 * GIB), C.FAIL_NOT_ENOUGH_FREE_SPACE)
    assert rd_of(lin, "r1").volume_definitions[0].size == 3 * GIB
    assert free(lin, "alpha", "zfs") == before - 2 * GIB


def test_volume_dfn_create_and_delete_on_deployed_resource(lin, deployed):
    before = free(lin, "alpha", "zfs")
    ok(lin.volume_dfn_create("r1", 2 * GIB, volume_nr=1))
    assert free(lin, "alpha", "zfs") == before - 2 * GIB
    vlms = rsc_of(lin, "r1", "alpha").volumes
    assert [(v.number, v.storage_pool_name) for v in vlms] == [(0, "zfs"), (1, "zfs")]
    assert [v.storage_pool_name for v in rsc_of(lin, "r1", "charlie").volumes] == ["DfltDisklessStorPool"] * 2
    ok(lin.volume_dfn_delete("r1", 1))
    assert free(lin, "alpha", "zfs") == before
    assert [v.number for v in rsc_of(lin, "r1", "bravo").volumes] == [0]


def test_volume_dfn_delete_refused_while_in_use(lin, controller, deployed):
    controller.cluster.set_resource_in_use("r1", "bravo")
    error(lin.volume_dfn_delete("r1", 0), C.FAIL_IN_USE)
    assert [vd.number for vd in rd_of(lin, "r1").volume_definitions] == [0]


# -- resources -------------------------------------------------------------------------------------
def test_resource_create_diskful_on_named_pool(lin, r1):
    before = free(lin, "alpha", "zfs")
    thin_before = free(lin, "alpha", "thin")
    replies = ok(lin.resource_create([ResourceData("alpha", "r1", storage_pool="zfs")]))
    assert replies[0].message == "New resource 'r1' on node 'alpha' registered."
    assert replies[1].object_refs == {"Node": "alpha", "RscDfn": "r1", "VlmNr": "0"}
    assert free(lin, "alpha", "zfs") == before - GIB
    assert free(lin, "alpha", "thin") == thin_before

    rsc = rsc_of(lin, "r1", "alpha")
    assert isinstance(rsc, Resource)
    assert rsc.name == "r1" and rsc.node_name == "alpha" and rsc.flags == [] and rsc.uuid
    assert rsc.create_datetime is not None
    layer = rsc.layer_data
    assert layer.type == "DRBD" and [c.type for c in layer.children] == ["STORAGE"]
    assert layer.drbd_resource.node_id == 0 and layer.drbd_resource.peer_slots == 7
    [vlm] = rsc.volumes
    minor = rd_of(lin, "r1").volume_definitions[0].drbd_data.minor
    assert minor == 1000
    assert vlm.number == 0 and vlm.storage_pool_name == "zfs" and vlm.storage_pool_driver_name == "ZFS"
    assert vlm.device_path == "/dev/drbd%d" % minor
    assert vlm.allocated_size == GIB
    drbd = vlm.drbd_data
    assert isinstance(drbd, DrbdVolumeData)
    assert drbd.device_path == vlm.device_path and drbd.drbd_volume_definition.minor == minor
    assert drbd.backing_device == "/dev/zvol/tank/r1_00000" and drbd.meta_disk == "internal"
    assert drbd.usable_size == GIB
    assert vlm.storage_data is not None and vlm.luks_data is None
    state = lin.resource_list_raise(filter_by_resources=["r1"]).resource_states[0]
    assert state.in_use is False and [v.disk_state for v in state.volume_states] == ["UpToDate"]
    assert rd_of(lin, "r1").drbd_data.port == 7000


def test_resource_create_on_thin_pool_keeps_free_capacity(lin, r1):
    before = free(lin, "bravo", "thin")
    ok(lin.resource_create([ResourceData("bravo", "r1", storage_pool="thin")]))
    assert free(lin, "bravo", "thin") == before
    vlm = rsc_of(lin, "r1", "bravo").volumes[0]
    assert vlm.storage_pool_name == "thin" and vlm.drbd_data.backing_device == "/dev/vg0/r1_00000"


def test_resource_create_on_the_default_pool(lin, r1):
    # without StorPoolName the controller falls back to DfltStorPool, which the demo cluster lacks
    error(lin.resource_create([ResourceData("alpha", "r1")]), C.FAIL_NOT_FOUND_DFLT_STOR_POOL)
    assert rsc_of(lin, "r1", "alpha") is None
    ok(lin.storage_pool_create("alpha", "DfltStorPool", "LVM", "vg1"))
    before = free(lin, "alpha", "DfltStorPool")
    ok(lin.resource_create([ResourceData("alpha", "r1")]))
    vlm = rsc_of(lin, "r1", "alpha").volumes[0]
    assert vlm.storage_pool_name == "DfltStorPool" and vlm.storage_pool_driver_name == "LVM"
    assert free(lin, "alpha", "DfltStorPool") == before - GIB


@pytest.mark.parametrize("data", [dict(diskless=True), dict(drbd_diskless=True)])
def test_resource_create_diskless(lin, r1, data):
    ok(lin.resource_create([ResourceData("alpha", "r1", storage_pool="zfs")]))
    ok(lin.resource_create([ResourceData("bravo", "r1", **data)]))
    rsc = rsc_of(lin, "r1", "bravo")
    assert rsc.flags == ["DISKLESS", "DRBD_DISKLESS"]
    [vlm] = rsc.volumes
    assert vlm.storage_pool_name == "DfltDisklessStorPool" and vlm.storage_pool_driver_name == "DISKLESS"
    assert vlm.device_path == "/dev/drbd1000" and not vlm.allocated_size
    assert vlm.drbd_data.backing_device is None
    assert rsc.layer_data.drbd_resource.node_id == 1
    assert "alpha" in rsc.layer_data.drbd_resource.connections


def test_resource_create_with_node_id_and_inactive(lin, r1):
    ok(lin.resource_create([ResourceData("alpha", "r1", storage_pool="zfs", node_id=5),
                            ResourceData("bravo", "r1", storage_pool="zfs", active=False)]))
    alpha, bravo = rsc_of(lin, "r1", "alpha"), rsc_of(lin, "r1", "bravo")
    assert alpha.layer_data.drbd_resource.node_id == 5
    assert bravo.layer_data.drbd_resource.node_id == 0
    assert bravo.flags == ["INACTIVE"]
    error(lin.resource_create([ResourceData("charlie", "r1", storage_pool="zfs", node_id=5)]), C.FAIL_INVLD_NODE_ID)
    assert rsc_of(lin, "r1", "charlie") is None


def test_resource_create_errors_change_nothing(lin, r1):
    before = free(lin, "alpha", "zfs")
    nowhere = error(lin.resource_create([ResourceData("alpha", "r1", storage_pool="zfs"),
                                         ResourceData("nowhere", "r1", storage_pool="zfs")]), C.FAIL_NOT_FOUND_NODE)
    # refused in the call's context: every node asked for, the definition as the only object ref
    assert nowhere.object_refs == {"RscDfn": "r1"}
    assert nowhere.details.endswith("Node(s): 'alpha', 'nowhere', Resource: 'r1'")
    error(lin.resource_create([ResourceData("alpha", "ghost", storage_pool="zfs")]), C.FAIL_NOT_FOUND_RSC_DFN)
    error(lin.resource_create([ResourceData("alpha", "r1", storage_pool="nopool")]),
          C.FAIL_NOT_FOUND_STOR_POOL_DFN)
    error(lin.resource_create([ResourceData("alpha", "r1", storage_pool="zfs", diskless=True)]),
          C.FAIL_INVLD_STOR_POOL_NAME)
    # no space: the second volume does not fit, so neither is created and one refused item undoes the others
    ok(lin.volume_dfn_create("r1", 199 * GIB + 1, volume_nr=1))
    error(lin.resource_create([ResourceData("bravo", "r1", storage_pool="thin"),
                               ResourceData("alpha", "r1", storage_pool="zfs")]), C.FAIL_INVLD_VLM_SIZE)
    assert free(lin, "alpha", "zfs") == before
    assert names_on(lin) == set()
    # the port and minors the undone item took are free again
    rd = rd_of(lin, "r1")
    assert rd.drbd_data is None and [vd.drbd_data for vd in rd.volume_definitions] == [None, None]


def test_resource_create_on_existing_diskful_resource_is_an_info(lin, deployed):
    replies = lin.resource_create([ResourceData("alpha", "r1", storage_pool="zfs")])
    assert replies[0].is_info() and not replies[0].is_error()
    assert replies[0].ret_code & C.MASK_BITS_CODE == C.INFO_RSC_ALREADY_EXISTS & C.MASK_BITS_CODE


def test_resource_delete(lin, deployed):
    before = free(lin, "bravo", "zfs")
    ok(lin.resource_delete("bravo", "r1"))
    assert free(lin, "bravo", "zfs") == before + GIB
    assert names_on(lin) == {("r1", "alpha"), ("r1", "charlie")}
    warning(lin.resource_delete("bravo", "r1"), C.WARN_NOT_FOUND)
    # the last disk with a diskless peer stays
    error(lin.resource_delete("alpha", "r1"), C.FAIL_IN_USE)
    assert names_on(lin) == {("r1", "alpha"), ("r1", "charlie")}


def test_resource_delete_refused_while_in_use(lin, controller, deployed):
    controller.cluster.set_resource_in_use("r1", "bravo")
    before = free(lin, "bravo", "zfs")
    error(lin.resource_delete("bravo", "r1"), C.FAIL_IN_USE)
    assert rsc_of(lin, "r1", "bravo") is not None and free(lin, "bravo", "zfs") == before


def test_resource_delete_if_diskless(lin, deployed):
    kept = lin.resource_delete_if_diskless("alpha", "r1")
    assert kept[0].ret_code == 0 and "not diskless" in kept[0].message
    assert rsc_of(lin, "r1", "alpha") is not None
    ok(lin.resource_delete_if_diskless("charlie", "r1"))
    assert rsc_of(lin, "r1", "charlie") is None
    # a resource that does not exist: the list comes back empty
    missing = lin.resource_delete_if_diskless("charlie", "r1")
    assert missing[0].ret_code == 0 and "did not exist" in missing[0].message


def test_resource_modify(lin, deployed):
    ok(lin.resource_modify("alpha", "r1", {"Aux/role": "primary", "Aux/x": "1"}))
    ok(lin.resource_modify("alpha", "r1", {}, delete_props=["Aux/x"]))
    assert rsc_of(lin, "r1", "alpha").properties["Aux/role"] == "primary"
    assert "Aux/x" not in rsc_of(lin, "r1", "alpha").properties
    picked = lin.resource_list_raise(filter_by_props=["Aux/role=primary"]).resources
    assert [(r.name, r.node_name) for r in picked] == [("r1", "alpha")]
    error(lin.resource_modify("charlie", "ghost", {"Aux/a": "b"}), C.FAIL_NOT_FOUND_RSC_DFN)
    error(lin.resource_modify("nowhere", "r1", {"Aux/a": "b"}), C.FAIL_NOT_FOUND_NODE)


def test_resource_toggle_disk_both_ways(lin, deployed):
    zfs_before = free(lin, "charlie", "zfs")
    ok(lin.resource_toggle_disk("charlie", "r1", storage_pool="zfs"))
    charlie = rsc_of(lin, "r1", "charlie")
    assert "DISKLESS" not in charlie.flags
    assert charlie.volumes[0].storage_pool_name == "zfs" and charlie.volumes[0].allocated_size == GIB
    assert free(lin, "charlie", "zfs") == zfs_before - GIB
    warning(lin.resource_toggle_disk("charlie", "r1", storage_pool="zfs"), C.WARN_RSC_ALREADY_HAS_DISK)

    ok(lin.resource_toggle_disk("charlie", "r1", diskless=True))
    charlie = rsc_of(lin, "r1", "charlie")
    assert {"DISKLESS", "DRBD_DISKLESS"} <= set(charlie.flags)
    assert charlie.volumes[0].storage_pool_name == "DfltDisklessStorPool"
    assert free(lin, "charlie", "zfs") == zfs_before
    warning(lin.resource_toggle_disk("charlie", "r1", diskless=True), C.WARN_RSC_ALREADY_DISKLESS)
    error(lin.resource_toggle_disk("nowhere", "r1", diskless=True), C.FAIL_NOT_FOUND_NODE)


def test_resource_toggle_disk_keeps_one_disk(lin, r1):
    ok(lin.resource_create([ResourceData("alpha", "r1", storage_pool="zfs"),
                            ResourceData("bravo", "r1", diskless=True)]))
    error(lin.resource_toggle_disk("alpha", "r1", diskless=True), C.FAIL_INSUFFICIENT_REPLICA_COUNT)
    assert "DISKLESS" not in rsc_of(lin, "r1", "alpha").flags


def test_resource_toggle_disk_migrate_from(lin, deployed):
    bravo_before = free(lin, "bravo", "zfs")
    charlie_before = free(lin, "charlie", "zfs")
    ok(lin.resource_toggle_disk("charlie", "r1", storage_pool="zfs", migrate_from="bravo"))
    assert names_on(lin) == {("r1", "alpha"), ("r1", "charlie")}
    assert "DISKLESS" not in rsc_of(lin, "r1", "charlie").flags
    assert free(lin, "bravo", "zfs") == bravo_before + GIB
    assert free(lin, "charlie", "zfs") == charlie_before - GIB


def test_resource_activate_and_deactivate(lin, deployed):
    replies = ok(lin.resource_deactivate("bravo", "r1"))
    # every reply of the call carries its context (operation, object, refs)
    assert all(r.ret_code & C.MASK_BITS_OP == C.MASK_MOD and r.ret_code & C.MASK_BITS_OBJ == C.MASK_RSC
               and r.object_refs == {"Node": "bravo", "RscDfn": "r1"} for r in replies)
    bravo = rsc_of(lin, "r1", "bravo")
    assert "INACTIVE" in bravo.flags
    state = [s for s in lin.resource_list_raise().resource_states if s.node_name == "bravo"][0]
    assert state.in_use is None
    noop = lin.resource_deactivate("bravo", "r1")
    assert noop[0].is_info() and noop[0].object_refs == {"Node": "bravo", "RscDfn": "r1"}
    ok(lin.resource_activate("bravo", "r1"))
    assert "INACTIVE" not in rsc_of(lin, "r1", "bravo").flags
    error(lin.resource_activate("bravo", "ghost"), C.FAIL_NOT_FOUND_RSC_DFN)


def test_resource_deactivate_refused_while_in_use(lin, controller, deployed):
    controller.cluster.set_resource_in_use("r1", "alpha")
    error(lin.resource_deactivate("alpha", "r1"), C.FAIL_IN_USE)
    assert "INACTIVE" not in rsc_of(lin, "r1", "alpha").flags


# -- listing ---------------------------------------------------------------------------------------
def test_resource_and_volume_list_filters(lin, deployed):
    ok(lin.resource_dfn_create("r2"))
    ok(lin.volume_dfn_create("r2", GIB))
    ok(lin.resource_create([ResourceData("alpha", "r2", storage_pool="thin")]))
    everything = lin.resource_list_raise()
    assert isinstance(everything, ResourceResponse)
    assert [(r.name, r.node_name) for r in everything.resources] == [
        ("r1", "alpha"), ("r1", "bravo"), ("r1", "charlie"), ("r2", "alpha")]
    assert names_on(lin, filter_by_nodes=["ALPHA"]) == {("r1", "alpha"), ("r2", "alpha")}
    assert names_on(lin, filter_by_resources=["r2"]) == {("r2", "alpha")}
    assert names_on(lin, filter_by_stor_pools=["zfs"]) == {("r1", "alpha"), ("r1", "bravo")}
    assert names_on(lin, filter_by_stor_pools=["thin"], filter_by_nodes=["alpha"]) == {("r2", "alpha")}
    assert lin.volume_list_raise(filter_by_resources=["ghost"]).resources == []
    assert lin.resource_list(filter_by_nodes=["bravo"])[0].nodes == ["bravo"]


def test_volume_modify(lin, deployed):
    ok(lin.volume_modify("alpha", "r1", 0, {"Aux/vlm": "yes"}))
    assert rsc_of(lin, "r1", "alpha").volumes[0].properties.get("Aux/vlm") == "yes"
    ok(lin.volume_modify("alpha", "r1", 0, {}, delete_props=["Aux/vlm"]))
    assert "Aux/vlm" not in rsc_of(lin, "r1", "alpha").volumes[0].properties
    error(lin.volume_modify("alpha", "r1", 9, {"Aux/a": "b"}), C.FAIL_NOT_FOUND_VLM)


def test_list_raise_calls_raise_the_controllers_error(lin):
    with pytest.raises(LinstorApiCallError) as err:
        lin.resource_conn_list_raise("ghost")
    assert err.value.main_error.ret_code & C.MASK_BITS_CODE == C.FAIL_NOT_FOUND_RSC_DFN & C.MASK_BITS_CODE


# -- resource connections, DRBD proxy ----------------------------------------------------------------
def test_resource_connections(lin, deployed):
    conns = lin.resource_conn_list_raise("r1")
    assert isinstance(conns, ResourceConnectionsResponse)
    assert [(c.node_a, c.node_b) for c in conns.resource_connections] == [
        ("alpha", "bravo"), ("alpha", "charlie"), ("bravo", "charlie")]
    ok(lin.resource_conn_modify("r1", "bravo", "alpha", {"DrbdOptions/Net/protocol": "A"}, []))
    conn = lin.resource_conn_node_list_raise("r1", "alpha", "bravo")
    assert isinstance(conn, ResourceConnection)
    assert conn.properties == {"DrbdOptions/Net/protocol": "A"}
    ok(lin.resource_conn_modify("r1", "alpha", "bravo", {}, ["DrbdOptions/Net/protocol"]))
    assert lin.resource_conn_node_list_raise("r1", "bravo", "alpha").properties == {}
    error(lin.resource_conn_modify("r1", "alpha", "nowhere", {"Aux/a": "b"}, []), C.FAIL_NOT_FOUND_NODE)
    with pytest.raises(LinstorApiCallError):
        lin.resource_conn_node_list_raise("r1", "alpha", "nowhere")


def test_drbd_proxy_enable_modify_disable(lin, deployed):
    ok(lin.drbd_proxy_enable("r1", "alpha", "bravo"))
    conn = lin.resource_conn_node_list_raise("r1", "alpha", "bravo")
    assert "LOCAL_DRBD_PROXY" in conn.flags
    # the proxy takes the next port of the pool the definition's port came from
    assert conn.port == rd_of(lin, "r1").drbd_data.port + 1
    ok(lin.drbd_proxy_enable("r1", "alpha", "charlie", port=7555))
    assert lin.resource_conn_node_list_raise("r1", "alpha", "charlie").port == 7555
    error(lin.drbd_proxy_enable("r1", "bravo", "charlie", port=7555), C.FAIL_INVLD_RSC_PORT)

    ok(lin.drbd_proxy_modify("r1", {"DrbdOptions/Proxy/memlimit": "134217728"}, compression_type="zlib",
                             compression_property_dict={"DrbdOptions/ProxyCompression/level": "9"}))
    props = rd_of(lin, "r1").properties
    assert props["DrbdProxy/CompressionType"] == "zlib"
    assert props["DrbdOptions/ProxyCompression/level"] == "9"
    assert props["DrbdOptions/Proxy/memlimit"] == "134217728"  # bytes, at least 16 MiB
    # another compression type replaces the options of the old one
    ok(lin.drbd_proxy_modify("r1", compression_type="lz4"))
    props = rd_of(lin, "r1").properties
    assert props["DrbdProxy/CompressionType"] == "lz4" and "DrbdOptions/ProxyCompression/level" not in props
    error(lin.drbd_proxy_modify("r1", compression_type="bogus"), C.FAIL_INVLD_DRBD_PROXY_COMPRESSION_TYPE)

    ok(lin.drbd_proxy_disable("r1", "alpha", "bravo"))
    conn = lin.resource_conn_node_list_raise("r1", "alpha", "bravo")
    assert "LOCAL_DRBD_PROXY" not in conn.flags and not conn.port
    error(lin.drbd_proxy_disable("r1", "bravo", "charlie"), C.FAIL_NOT_FOUND_RSC_CONN)
    error(lin.drbd_proxy_enable("ghost", "alpha", "bravo"), C.FAIL_NOT_FOUND_RSC_DFN)
