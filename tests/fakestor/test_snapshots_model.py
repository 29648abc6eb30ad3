"""Snapshot operations on the cluster directly (no HTTP): create, delete, rollback, restore,
accounting, the refusals of other areas because of snapshots, and shipping on the clock."""
import pytest

from fakestor import Controller, fixtures
from fakestor.apicallrc import code_of
from linstor import sharedconsts as C

GIB = 1024 * 1024


def make(version=None):
    ctl = Controller(version) if version else Controller()
    fixtures.load(ctl, "demo")
    return ctl


@pytest.fixture
def ctl():
    return make()


def ok(ctl, op):
    entries = ctl.call(op)
    assert not any(e.is_error for e in entries), [e.message for e in entries]
    return entries


def state(ctl):
    # error reports are filed for refusals; everything else must stay as it was
    return {k: v for k, v in ctl.cluster.copy_state().items() if k != "error_reports"}


def refused(ctl, op, code):
    before = state(ctl)
    entries = ctl.call(op)
    assert entries[0].is_error, [e.message for e in entries]
    assert code_of(entries[0].ret_code) == code_of(code), entries[0].message
    assert state(ctl) == before
    return entries[0]


def deploy(ctl, name="r1", pool="thin", nodes=("alpha", "bravo"), sizes=(GIB,), diskless=()):
    ok(ctl, lambda c: c.create_resource_definition(name))
    for size in sizes:
        ok(ctl, lambda c: c.create_volume_definition(name, size))
    items = [{"node_name": n, "props": {"StorPoolName": pool}} for n in nodes]
    items += [{"node_name": n, "flags": ["DRBD_DISKLESS"]} for n in diskless]
    ok(ctl, lambda c: c.create_resources(name, items))


# -- create ------------------------------------------------------------------------------------------
def test_snapshot_on_every_diskful_resource_with_the_controllers_clock(ctl):
    deploy(ctl, diskless=("charlie",))
    ctl.clock.advance(42)
    entries = ok(ctl, lambda c: c.create_snapshot("r1", "s1"))
    assert entries[0].message == "New snapshot 's1' of resource 'r1' registered."
    assert entries[0].ret_code == C.MASK_CRT | C.MASK_SNAPSHOT | C.CREATED
    sd = ctl.cluster.get_snapshot_definition("r1", "s1")
    assert sorted(s.node_name for s in sd.snapshots.values()) == ["alpha", "bravo"]
    assert sd.flags == ["SUCCESSFUL"]
    assert {s.create_timestamp for s in sd.snapshots.values()} == {ctl.clock.now_ms()}
    assert sd.volume_definitions[0].size_kib == GIB


def test_snapshot_on_named_nodes(ctl):
    deploy(ctl)
    entries = ok(ctl, lambda c: c.create_snapshot("r1", "s1", ["bravo"]))
    assert entries[0].message == "New snapshot 's1' of resource 'r1' on nodes 'bravo' registered."
    assert list(ctl.cluster.get_snapshot_definition("r1", "s1").snapshots) == ["BRAVO"]


@pytest.mark.parametrize("setup, nodes, name, code, message", [
    ("lvm", None, "s1", C.FAIL_SNAPSHOTS_NOT_SUPPORTED, "Storage driver 'LVM' does not support snapshots."),
    ("diskless", ["charlie"], "s1", C.FAIL_SNAPSHOTS_NOT_SUPPORTED,
     "Cannot create snapshot from diskless resource on node 'charlie'"),
    ("plain", ["charlie"], "s1", C.FAIL_NOT_FOUND_RSC, "Resource 'r1' on node 'charlie' not found."),
    ("plain", None, "1bad", C.FAIL_INVLD_SNAPSHOT_NAME, "The given snapshot name '1bad' is invalid."),
    ("plain", None, "s0", C.FAIL_EXISTS_SNAPSHOT_DFN,
     "A snapshot definition with the name 's0' already exists in resource definition 'r1'."),
    ("empty", None, "s1", C.FAIL_NOT_CONNECTED, "No diskful connected satellite for snapshot or no resources."),
])
def test_create_refusals_change_nothing(ctl, setup, nodes, name, code, message):
    if setup == "lvm":
        ok(ctl, lambda c: c.create_storage_pool("alpha", "fat", "LVM", {"StorDriver/LvmVg": "vg1"},
                                                total_capacity_kib=10 * GIB))
        deploy(ctl, pool="fat", nodes=("alpha",))
    elif setup == "diskless":
        deploy(ctl, diskless=("charlie",))
    elif setup == "empty":
        ok(ctl, lambda c: c.create_resource_definition("r1"))
    else:
        deploy(ctl)
        ok(ctl, lambda c: c.create_snapshot("r1", "s0"))
    err = refused(ctl, lambda c: c.create_snapshot("r1", name, nodes), code)
    assert err.message == message


def test_offline_and_evacuating_nodes_are_skipped_with_a_warning(ctl):
    deploy(ctl, nodes=("alpha", "bravo", "charlie"))
    ctl.cluster.get_node("bravo").connection_status = "OFFLINE"
    ctl.cluster.get_node("charlie").flags.append("EVACUATE")
    entries = ok(ctl, lambda c: c.create_snapshot("r1", "s1"))
    warnings = [e.message for e in entries if e.ret_code & C.MASK_WARN]
    # resources are visited in node-name order
    assert warnings == [
        "Snapshot for resource 'r1' will not be created on node 'bravo' because that node is currently offline.",
        "Snapshot for resource 'r1' will not be created on node 'charlie' because that node is currently evacuating.",
    ]
    assert list(ctl.cluster.get_snapshot_definition("r1", "s1").snapshots) == ["ALPHA"]


def test_multi_snapshot_is_all_or_nothing(ctl):
    deploy(ctl, "r1")
    deploy(ctl, "r2")
    items = [{"name": "s1", "resource_name": "r1"}, {"name": "s1", "resource_name": "missing"}]
    refused(ctl, lambda c: c.create_snapshots_multi(items), C.FAIL_NOT_FOUND_RSC_DFN)
    assert ctl.cluster.list_snapshots() == []
    items[1]["resource_name"] = "r2"
    ok(ctl, lambda c: c.create_snapshots_multi(items))
    assert [(sd.resource_name, sd.name) for sd in ctl.cluster.list_snapshots()] == [("r1", "s1"), ("r2", "s1")]


# -- delete and list -----------------------------------------------------------------------------------
def test_delete_on_some_nodes_then_all(ctl):
    deploy(ctl)
    ok(ctl, lambda c: c.create_snapshot("r1", "s1"))
    entries = ok(ctl, lambda c: c.delete_snapshot("r1", "s1", ["alpha", "zulu"]))
    assert entries[0].message == "Marked snapshot for deletion snapshot 's1' of resource 'r1' on nodes 'alpha'"
    assert entries[1].ret_code == C.MASK_DEL | C.MASK_SNAPSHOT | C.WARN_NOT_FOUND
    assert list(ctl.cluster.get_snapshot_definition("r1", "s1").snapshots) == ["BRAVO"]
    ok(ctl, lambda c: c.delete_snapshot("r1", "s1"))
    assert ctl.cluster.list_snapshots() == []
    entries = ok(ctl, lambda c: c.delete_snapshot("r1", "s1"))
    assert entries[0].message == "Snapshot definition s1 of resource r1 not found."
    assert code_of(entries[0].ret_code) == code_of(C.WARN_NOT_FOUND)


def test_list_filters(ctl):
    deploy(ctl, "r1", nodes=("alpha",))
    deploy(ctl, "r2", nodes=("bravo",))
    ok(ctl, lambda c: c.create_snapshot("r1", "s1"))
    ok(ctl, lambda c: c.create_snapshot("r2", "s2"))
    assert [sd.name for sd in ctl.cluster.list_snapshots(nodes=["BRAVO"])] == ["s2"]
    assert [sd.name for sd in ctl.cluster.list_snapshots(resources=["r1"])] == ["s1"]
    assert ctl.cluster.list_snapshots(nodes=["alpha"], resources=["r2"]) == []


# -- accounting and refusals elsewhere ----------------------------------------------------------------
def test_thin_snapshot_counts_in_reserved_space_not_in_free_capacity(ctl):
    deploy(ctl, sizes=(GIB, 2 * GIB))
    pool = ctl.cluster.get_storage_pool("alpha", "thin")
    free = pool.free_capacity
    ok(ctl, lambda c: c.create_snapshot("r1", "s1"))
    assert ctl.cluster.reserved_kib("alpha", "thin") == 2 * 3 * GIB
    assert pool.free_capacity == free
    ok(ctl, lambda c: c.delete_snapshot("r1", "s1"))
    assert ctl.cluster.reserved_kib("alpha", "thin") == 3 * GIB


def test_zfs_snapshot_holds_nothing_extra(ctl):
    deploy(ctl, pool="zfs")
    pool = ctl.cluster.get_storage_pool("alpha", "zfs")
    free = pool.free_capacity
    ok(ctl, lambda c: c.create_snapshot("r1", "s1"))
    assert (pool.free_capacity, ctl.cluster.reserved_kib("alpha", "zfs")) == (free, GIB)


def test_definition_and_pool_with_snapshots_cannot_be_deleted(ctl):
    deploy(ctl)
    ok(ctl, lambda c: c.create_snapshot("r1", "s1"))
    err = refused(ctl, lambda c: c.delete_resource_definition("r1"), C.FAIL_EXISTS_SNAPSHOT_DFN)
    assert err.message == "Cannot delete resource definition 'r1' because it has snapshots."
    # v1.31.3: resources and volume definitions may go although snapshots depend on them
    ok(ctl, lambda c: c.delete_resource("r1", "alpha"))
    ok(ctl, lambda c: c.delete_volume_definition("r1", 0))
    refused(ctl, lambda c: c.delete_storage_pool("alpha", "thin"), C.FAIL_IN_USE)
    err = refused(ctl, lambda c: c.delete_node("alpha"), C.FAIL_EXISTS_VLM)
    assert err.message.startswith("Deletion of node 'alpha' failed because the storage pool 'thin' references")
    ok(ctl, lambda c: c.delete_snapshot("r1", "s1"))
    ok(ctl, lambda c: c.delete_storage_pool("alpha", "thin"))
    ok(ctl, lambda c: c.delete_node("alpha"))
    ok(ctl, lambda c: c.delete_resource("r1", "bravo"))
    ok(ctl, lambda c: c.delete_resource_definition("r1"))


def test_before_1_31_zfs_volumes_with_snapshots_cannot_be_deleted():
    old = make("1.30.4")
    deploy(old, pool="zfs")
    ok(old, lambda c: c.create_snapshot("r1", "s1"))
    err = refused(old, lambda c: c.delete_resource("r1", "alpha"), C.FAIL_EXISTS_SNAPSHOT)
    assert err.message == "Resource 'r1' cannot be deleted because volume 0 has dependent snapshot 's1'"
    refused(old, lambda c: c.delete_volume_definition("r1", 0), C.FAIL_EXISTS_SNAPSHOT)
    deploy(old, "r2", pool="thin")
    ok(old, lambda c: c.create_snapshot("r2", "s1"))
    ok(old, lambda c: c.delete_resource("r2", "alpha"))


def test_lost_node_takes_its_snapshots(ctl):
    deploy(ctl)
    ok(ctl, lambda c: c.create_snapshot("r1", "s1"))
    ctl.cluster.set_node_online("alpha", False)  # only an unreachable node can be declared lost
    ok(ctl, lambda c: c.lose_node("alpha"))
    assert list(ctl.cluster.get_snapshot_definition("r1", "s1").snapshots) == ["BRAVO"]


# -- rollback -------------------------------------------------------------------------------------------
def test_rollback_refused_while_in_use(ctl):
    deploy(ctl)
    ok(ctl, lambda c: c.create_snapshot("r1", "s1"))
    ctl.cluster.set_resource_in_use("r1", "bravo")
    err = refused(ctl, lambda c: c.rollback_snapshot("r1", "s1"), C.FAIL_IN_USE)
    assert err.message == "Resource 'r1' on node 'bravo' is still in use."


def test_rollback_to_an_older_snapshot_restores_sizes_and_keeps_nodes(ctl):
    deploy(ctl, diskless=("charlie",))
    ok(ctl, lambda c: c.create_snapshot("r1", "old"))
    ok(ctl, lambda c: c.modify_volume_definition("r1", 0, size_kib=3 * GIB))
    ok(ctl, lambda c: c.create_volume_definition("r1", GIB))
    ok(ctl, lambda c: c.create_snapshot("r1", "new"))
    ok(ctl, lambda c: c.rollback_snapshot("r1", "old"))
    rd = ctl.cluster.get_resource_definition("r1")
    assert {nr: vd.size_kib for nr, vd in rd.volume_definitions.items()} == {0: GIB}
    layout = {r.node_name: "DISKLESS" in r.flags for r in rd.resources.values()}
    assert layout == {"alpha": False, "bravo": False, "charlie": True}
    assert all(list(r.volumes) == [0] for r in rd.resources.values())
    # the safety snapshot is gone again
    assert [sd.name for sd in ctl.cluster.snapshots_of("r1")] == ["new", "old"]


def test_before_1_31_only_the_most_recent_snapshot(ctl):
    old = make("1.30.1")
    for c in (old, ctl):
        deploy(c)
        ok(c, lambda cl: cl.create_snapshot("r1", "s1"))
        ok(c, lambda cl: cl.create_snapshot("r1", "s2"))
    err = refused(old, lambda c: c.rollback_snapshot("r1", "s1"), C.FAIL_EXISTS_SNAPSHOT_DFN)
    assert err.message == "Rollback is only allowed with the most recent snapshot"
    entries = ok(old, lambda c: c.rollback_snapshot("r1", "s2"))
    assert entries[0].message == "Snapshot 's2' of resource 'r1' marked down for rollback."
    assert entries[0].ret_code == C.MASK_MOD | C.MASK_SNAPSHOT | C.MODIFIED
    ok(ctl, lambda c: c.rollback_snapshot("r1", "s1"))


# -- restore --------------------------------------------------------------------------------------------
def test_restore_volume_definitions_then_resources(ctl):
    deploy(ctl, sizes=(GIB, 2 * GIB))
    ok(ctl, lambda c: c.create_snapshot("r1", "s1"))
    ok(ctl, lambda c: c.create_resource_definition("copy"))
    entries = ok(ctl, lambda c: c.restore_snapshot_volume_definitions("r1", "s1", "copy"))
    assert entries[-1].ret_code == C.MASK_CRT | C.MASK_SNAPSHOT | C.DELETED
    assert entries[-1].message == "Volume definitions of resource definition 'copy' restored from resource 'r1', " \
                                  "snapshot 's1'."
    assert {nr: vd.size_kib for nr, vd in ctl.cluster.get_resource_definition("copy").volume_definitions.items()} \
        == {0: GIB, 1: 2 * GIB}
    entries = ok(ctl, lambda c: c.restore_snapshot_resources("r1", "s1", "copy", ["bravo"]))
    assert entries[-1].message == "Resource 'copy' on nodes 'bravo' restored from resource 'r1', snapshot 's1'."
    copy = ctl.cluster.get_resource_definition("copy")
    assert list(copy.resources) == ["BRAVO"]
    assert {nr: v.storage_pool_name for nr, v in copy.resources["BRAVO"].volumes.items()} == {0: "thin", 1: "thin"}
    err = refused(ctl, lambda c: c.restore_snapshot_resources("r1", "s1", "copy"), C.FAIL_EXISTS_RSC)
    assert err.message == "Cannot restore to resource definition which already has resources"


def test_restore_checks_sizes_and_renames_pools(ctl):
    deploy(ctl)
    ok(ctl, lambda c: c.create_snapshot("r1", "s1"))
    ok(ctl, lambda c: c.create_resource_definition("copy"))
    ok(ctl, lambda c: c.create_resource_definition("empty"))
    entries = ok(ctl, lambda c: c.restore_snapshot_resources("r1", "s1", "empty"))
    # the controller restores empty resources, and says so
    assert code_of(entries[0].ret_code) == code_of(C.WARN_NOT_FOUND)
    assert entries[0].message == "No volumes to restore."
    assert sorted(ctl.cluster.get_resource_definition("empty").resources) == ["ALPHA", "BRAVO"]
    ok(ctl, lambda c: c.create_volume_definition("copy", 2 * GIB))
    err = refused(ctl, lambda c: c.restore_snapshot_resources("r1", "s1", "copy"), C.FAIL_INVLD_VLM_SIZE)
    assert err.message == ("Snapshot size does not match for volume number 0; snapshot size: %dKiB, required size: "
                           "%dKiB" % (GIB, 2 * GIB))
    ok(ctl, lambda c: c.delete_volume_definition("copy", 0))
    ok(ctl, lambda c: c.create_volume_definition("copy", GIB))
    zfs_free = ctl.cluster.get_storage_pool("alpha", "zfs").free_capacity
    ok(ctl, lambda c: c.restore_snapshot_resources("r1", "s1", "copy", stor_pool_rename={"thin": "zfs"}))
    assert ctl.cluster.get_storage_pool("alpha", "zfs").free_capacity == zfs_free - GIB
    refused(ctl, lambda c: c.restore_snapshot_resources("r1", "nope", "copy"), C.FAIL_NOT_FOUND_SNAPSHOT_DFN)


def test_restore_needs_every_target_volume_in_the_snapshot(ctl):
    deploy(ctl)
    ok(ctl, lambda c: c.create_snapshot("r1", "s1"))
    ok(ctl, lambda c: c.create_resource_definition("copy"))
    ok(ctl, lambda c: c.create_volume_definition("copy", GIB, 0))
    ok(ctl, lambda c: c.create_volume_definition("copy", GIB, 1))
    err = refused(ctl, lambda c: c.restore_snapshot_resources("r1", "s1", "copy"), C.FAIL_NOT_FOUND_SNAPSHOT_VLM_DFN)
    assert err.message == "Snapshot does not contain required volume number 1"


def test_a_snapshot_being_shipped_cannot_be_restored(ctl):
    shipping_setup(ctl)
    ctl.cluster.snapshot_shipping_seconds = 9
    ok(ctl, lambda c: c.ship_snapshot("r1", "alpha", "bravo"))
    ok(ctl, lambda c: c.create_resource_definition("copy"))
    err = refused(ctl, lambda c: c.restore_snapshot_resources("r1", "ship0", "copy"), C.FAIL_EXISTS_SNAPSHOT_SHIPPING)
    assert err.message == "Snapshot is being shipped. Please wait until shipping is finished"
    ctl.clock.advance(9)
    ok(ctl, lambda c: c.restore_snapshot_resources("r1", "ship0", "copy"))
    assert "FROM_SHIPPED_SNAPSHOT" in ctl.cluster.get_resource_definition("copy").flags


# -- shipping -------------------------------------------------------------------------------------------
def shipping_setup(ctl):
    deploy(ctl)
    ok(ctl, lambda c: c.set_resource_active("r1", "bravo", False))


def test_shipping_runs_until_the_clock_says_so(ctl):
    shipping_setup(ctl)
    ctl.cluster.snapshot_shipping_seconds = 30
    entries = ok(ctl, lambda c: c.ship_snapshot("r1", "alpha", "bravo"))
    assert entries[-1].ret_code == C.MASK_MOD | C.MASK_SNAPSHOT | C.WARN_DEPRECATED
    [(ship, sd, state)] = ctl.cluster.list_snapshot_shippings()
    assert (sd.name, state, "SHIPPING" in sd.flags) == ("ship0", "Running", True)
    refused(ctl, lambda c: c.ship_snapshot("r1", "alpha", "bravo"), C.FAIL_EXISTS_SNAPSHOT_SHIPPING)
    ctl.clock.advance(30)
    [(ship, sd, state)] = ctl.cluster.list_snapshot_shippings()
    assert (state, sd.flags) == ("Complete", ["SUCCESSFUL", "SHIPPED"])
    assert ctl.cluster.list_snapshot_shippings(status=["running"]) == []


def test_shipping_completes_at_once_by_default_and_is_aborted_by_delete(ctl):
    shipping_setup(ctl)
    ok(ctl, lambda c: c.ship_snapshot("r1", "alpha", "bravo"))
    assert [s for _, _, s in ctl.cluster.list_snapshot_shippings()] == ["Complete"]
    ctl.cluster.snapshot_shipping_seconds = 5
    ok(ctl, lambda c: c.ship_snapshot("r1", "alpha", "bravo"))
    entries = ok(ctl, lambda c: c.delete_snapshot("r1", "ship1"))
    assert "Aborted snapshot shipping" in [e.message for e in entries]
    assert [sd.name for _, sd, _ in ctl.cluster.list_snapshot_shippings()] == ["ship0"]


def test_deleting_a_resource_aborts_a_running_shipping(ctl):
    shipping_setup(ctl)
    ctl.cluster.snapshot_shipping_seconds = 60
    ok(ctl, lambda c: c.ship_snapshot("r1", "alpha", "bravo"))
    ok(ctl, lambda c: c.delete_resource("r1", "bravo"))
    assert ctl.cluster.list_snapshot_shippings() == []
    assert ctl.cluster.get_snapshot_definition("r1", "ship0").flags == ["SUCCESSFUL"]


def test_shipping_target_must_be_inactive(ctl):
    deploy(ctl)
    err = refused(ctl, lambda c: c.ship_snapshot("r1", "alpha", "bravo"), C.FAIL_INVLD_SNAPSHOT_SHIPPING_TARGET)
    assert err.message == "Snapshot shipping target must be inactive"
