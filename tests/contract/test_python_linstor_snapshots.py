"""python-linstor 1.7.1 (from PyPI, unmodified) against the fake: snapshots, rollback and
restore through ``linstor.Resource``."""

MIB = 1024 * 1024


def test_snapshot_rollback_restore_and_delete(compat, compat_controller):
    out = compat("""
        from linstor.resource import Resource, Volume

        def snapshots(name):
            snaps = lin.snapshot_dfn_list_raise(filter_by_resources=[name]).snapshots
            return sorted([s.snapshot_name, sorted(s.nodes), sorted(s.flags),
                           [v.size for v in s.snapshot_volume_definitions]] for s in snaps)

        def state(r):
            r = Resource(r.name, uri=URL)  # read afresh
            return [r.diskful_nodes(), r.diskless_nodes(), {k: v.size for k, v in r.volumes.items()}]

        def refusal(call, *args):
            try:
                call(*args)
            except linstor.LinstorError as err:
                return str(err)
            return None

        rsc = Resource("db", uri=URL)
        seen = {"unknown": refusal(rsc.snapshot_create, "s0")}
        rsc.placement.storage_pool = "thin"
        rsc.volumes[0] = Volume("16 MiB")
        rsc.diskful("alpha")
        rsc.diskful("bravo")
        rsc.diskless("charlie")
        seen["s1"] = rsc.snapshot_create("s1")
        seen["dup"] = refusal(rsc.snapshot_create, "s1")
        rsc.volumes[0].size = "32 MiB"
        seen["s2"] = rsc.snapshot_create("s2")
        seen["snapshots"] = snapshots("db")

        # v1.31 rolls back to any snapshot (by restoring it), not only the newest
        seen["rollback"] = rsc.snapshot_rollback("s1")
        seen["rolled_back"] = state(rsc)
        seen["snapshots_after_rollback"] = snapshots("db")
        seen["rollback_unknown"] = refusal(rsc.snapshot_rollback, "nope")

        copy = rsc.restore_from_snapshot("s2", "db-copy")
        seen["copy"] = [copy.linstor_name, copy.resource_group_name] + state(copy)
        seen["copy_vlms"] = sorted([r.node_name, v.number, v.storage_pool_name]
                                   for r in lin.volume_list_raise(filter_by_resources=["db-copy"]).resources
                                   for v in r.volumes)
        seen["restore_again"] = refusal(rsc.restore_from_snapshot, "s2", "db-copy")

        seen["keep_snapshots"] = refusal(rsc.delete, None, False)
        seen["snapshot_delete"] = rsc.snapshot_delete("s2")
        seen["snapshots_after_delete"] = snapshots("db")
        seen["delete"] = [rsc.delete(), copy.delete(snapshots=False)]
        seen["left"] = [[d.name for d in lin.resource_dfn_list_raise().resource_definitions],
                        lin.snapshot_dfn_list_raise().snapshots]
        emit(seen)
    """)
    s1 = ["s1", ["alpha", "bravo"], ["SUCCESSFUL"], [16 * 1024]]  # diskful nodes only; sizes in KiB
    s2 = ["s2", ["alpha", "bravo"], ["SUCCESSFUL"], [32 * 1024]]
    assert out == {
        "unknown": "Error: Resource 'db' doesn't exist.",  # the library's own check, nothing was sent
        "s1": True,
        "dup": "Error: Could not create snapshot s1: A snapshot definition with the name 's1' already exists in "
               "resource definition 'db'.",
        "s2": True,
        "snapshots": [s1, s2],
        "rollback": True,
        # same nodes, same diskful/diskless state, the size the snapshot had
        "rolled_back": [["alpha", "bravo"], ["charlie"], {"0": 16 * MIB}],
        # the safety snapshot taken for the rollback is gone again
        "snapshots_after_rollback": [s1, s2],
        "rollback_unknown": "Error: Could not rollback to snapshot nope: Snapshot 'nope' of resource 'db' not found.",
        "copy": ["db-copy", "DfltRscGrp", ["alpha", "bravo"], [], {"0": 32 * MIB}],
        "copy_vlms": [["alpha", 0, "thin"], ["bravo", 0, "thin"]],
        "restore_again": "Error: Could not resource definition 'db-copy' for snapshot restore: A resource definition "
                         "with the name 'db-copy' already exists",
        "keep_snapshots": "Error: Could not delete resource db(db) on node ALL: ERRO:Cannot delete resource "
                          "definition 'db' because it has snapshots.",
        "snapshot_delete": True,
        "snapshots_after_delete": [s1],
        "delete": [True, True],
        "left": [[], []],
    }
    assert not compat_controller.cluster.resource_definitions
