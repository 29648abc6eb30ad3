"""Sequences the snapshot state machine once found failing, replayed step by step, and the
controller rules they came down to: a restore fills the target's own volume definitions only,
and a disk added to a diskless resource can over-commit a thick pool, which then reports
nothing free."""
from fakestor.apicallrc import code_of
from linstor import sharedconsts as C

from .test_snapshots_invariants import SnapshotMachine
from .test_snapshots_model import GIB, deploy, make, ok

INVARIANTS = ("free_and_reserved_space_add_up", "no_snapshot_outlives_its_definition_node_or_pool")


def replay(pools, steps):
    machine = SnapshotMachine()
    machine.start(**pools)
    for rule, args in steps:
        getattr(machine, rule)(**args)
        for check in INVARIANTS:
            getattr(machine, check)()
    return machine


def test_replay_restore_into_a_target_left_by_a_failed_restore():
    machine = replay({"pool_r1": "thin", "pool_r2": "zfs"}, [
        ("deploy", {"name": "r1", "nodes": ["alpha"], "pool": "zfs", "size": 90 * GIB}),
        ("deploy", {"name": "r2", "nodes": ["alpha"], "pool": "zfs", "size": GIB}),
        ("deploy", {"name": "r1", "nodes": ["alpha", "bravo", "charlie"], "pool": "zfs", "size": 40 * GIB}),
        ("restore", {"name": "r2", "snap": "s1", "to": "c1"}),
        ("rollback", {"name": "r1", "snap": "s1"}),
        ("snapshot", {"name": "r2", "snap": "s2"}),
        ("restore", {"name": "r2", "snap": "s2", "to": "c1"}),
    ])
    c1 = machine.cluster.get_resource_definition("c1")
    assert {nr: vd.size_kib for nr, vd in c1.volume_definitions.items()} == {0: 40 * GIB}
    assert all(sorted(r.volumes) == [0] for r in c1.resources.values()) and c1.resources


def test_restore_fills_only_the_targets_volume_definitions():
    ctl = make()
    deploy(ctl, name="r2", pool="zfs", nodes=("bravo",), sizes=(40 * GIB, GIB))
    ok(ctl, lambda c: c.create_snapshot("r2", "s1"))
    # what a restore of a one-volume snapshot leaves when its resources do not fit
    ok(ctl, lambda c: c.create_resource_definition("c1"))
    ok(ctl, lambda c: c.create_volume_definition("c1", 40 * GIB))

    entries = ctl.call(lambda c: c.restore_snapshot_volume_definitions("r2", "s1", "c1"))
    assert code_of(entries[0].ret_code) == code_of(C.FAIL_EXISTS_VLM_DFN)
    assert sorted(ctl.cluster.get_resource_definition("c1").volume_definitions) == [0]

    # CtrlSnapshotRestoreApiCallHandler walks the target's volume definitions, not the snapshot's
    ok(ctl, lambda c: c.restore_snapshot_resources("r2", "s1", "c1"))
    c1 = ctl.cluster.get_resource_definition("c1")
    assert sorted(c1.volume_definitions) == [0]
    assert sorted(c1.resources) == ["BRAVO"] and sorted(c1.resources["BRAVO"].volumes) == [0]
    pool = ctl.cluster.get_storage_pool("bravo", "zfs")
    assert pool.allocated_kib == 40 * GIB + 41 * GIB


def test_replay_disk_added_to_a_diskless_resource_over_commits_zfs():
    machine = replay({"pool_r1": "thin", "pool_r2": "zfs"}, [
        ("resize", {"name": "r1", "size": 40 * GIB}),
        ("place", {"name": "r1", "node": "charlie", "pool": "DfltDisklessStorPool"}),
        ("deploy", {"name": "r1", "nodes": ["alpha"], "pool": "zfs", "size": 90 * GIB}),
        ("deploy", {"name": "r1", "nodes": ["charlie"], "pool": "zfs", "size": 40 * GIB}),
    ])
    pool = machine.cluster.get_storage_pool("charlie", "zfs")
    assert pool.allocated_kib > pool.total_capacity and pool.free_capacity == 0


def test_over_committed_thick_pool_reports_nothing_free_and_refuses_more():
    ctl = make()
    deploy(ctl, name="r2", pool="zfs", nodes=("charlie",), sizes=(40 * GIB,))
    deploy(ctl, name="r1", pool="thin", nodes=("alpha",), sizes=(90 * GIB, 90 * GIB), diskless=("charlie",))
    pool = ctl.cluster.get_storage_pool("charlie", "zfs")
    # v1.31.3 checks no free space when a diskless resource gets its disk (CtrlRscToggleDiskApiCallHandler)
    ok(ctl, lambda c: c.create_resources("r1", [{"node_name": "charlie", "props": {"StorPoolName": "zfs"}}]))
    assert pool.allocated_kib == 220 * GIB > pool.total_capacity
    assert pool.free_capacity == 0

    deploy_refused = ctl.call(lambda c: c.create_resource_definition("r3"))
    assert not deploy_refused[0].is_error
    ok(ctl, lambda c: c.create_volume_definition("r3", GIB))
    entries = ctl.call(lambda c: c.create_resources("r3", [{"node_name": "charlie",
                                                            "props": {"StorPoolName": "zfs"}}]))
    assert code_of(entries[0].ret_code) == code_of(C.FAIL_INVLD_VLM_SIZE)

    # deleting the disk gives back exactly what it took
    ok(ctl, lambda c: c.delete_resource("r1", "charlie"))
    assert pool.allocated_kib == 40 * GIB and pool.free_capacity == 160 * GIB
