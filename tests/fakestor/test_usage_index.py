"""The usage index the autoplacer and port/minor allocation read: kept up to date by the
operations, checked against a recount, never part of the saved state."""
import pytest

from fakestor.model.usage import UsageIndex
from fakestor.placement import SelectFilter

GIB = 1024 * 1024


def recount(cluster) -> dict:
    return UsageIndex().refresh(cluster).totals()


def thin_reserved(cluster, node: str) -> int:
    return cluster.usage().reserved.get((node.upper(), "THIN"), 0)


def make(controller, name: str, nodes, pool="thin", size=GIB):
    def op(c):
        entries = c.create_resource_definition(name) + c.create_volume_definition(name, size)
        return entries + c.create_resources(name, [{"node_name": n, "props": {"StorPoolName": pool}} for n in nodes])
    entries = controller.call(op)
    assert not any(e.is_error for e in entries), [e.message for e in entries]


def test_the_index_follows_creates_resizes_snapshots_and_deletes(controller):
    cluster = controller.cluster
    make(controller, "r1", ["alpha", "bravo"])
    assert thin_reserved(cluster, "alpha") == GIB
    assert cluster.usage().rsc_count[("ALPHA", "THIN")] == 1
    assert "r1" in cluster.usage().on_node["ALPHA"]
    controller.call(lambda c: c.modify_volume_definition("r1", 0, size_kib=3 * GIB))
    assert thin_reserved(cluster, "bravo") == 3 * GIB
    controller.call(lambda c: c.create_snapshot("r1", "s1"))
    # a thin pool holds the snapshot's volume as well
    assert thin_reserved(cluster, "alpha") == 6 * GIB
    controller.call(lambda c: c.delete_resource("r1", "alpha"))
    assert "r1" not in cluster.usage().on_node.get("ALPHA", set())
    assert cluster.usage().totals() == recount(cluster)


def test_ports_and_minors_of_a_deleted_definition_are_free_again(controller):
    make(controller, "r1", ["alpha"])
    rd = controller.cluster.get_resource_definition("r1")
    port, minor = rd.port, rd.volume_definitions[0].minor_number
    assert port in controller.cluster.used_tcp_ports()
    controller.call(lambda c: c.delete_resource("r1", "alpha") + c.delete_resource_definition("r1"))
    assert port not in controller.cluster.used_tcp_ports()
    make(controller, "r2", ["alpha"])
    rd2 = controller.cluster.get_resource_definition("r2")
    assert (rd2.port, rd2.volume_definitions[0].minor_number) == (port, minor)


def test_a_direct_change_is_caught_by_the_check_and_recount_settles_it(controller):
    controller.check_indexes = True
    make(controller, "r1", ["alpha"])
    controller.cluster.get_storage_pool("bravo", "zfs").total_capacity = GIB
    with pytest.raises(AssertionError, match="node views out of date"):
        make(controller, "r2", ["alpha"])
    controller.cluster.recount()
    make(controller, "r3", ["alpha"])
    view = {n.name: n for n in controller.cluster.usage().node_list}["bravo"]
    assert {p.name: p.total_kib for p in view.pools}["zfs"] == GIB


def test_an_operation_that_forgets_to_mark_its_definition_fails_the_check(controller, monkeypatch):
    controller.check_indexes = True
    make(controller, "r1", ["alpha"])
    monkeypatch.setattr(type(controller.cluster), "_touch_rd", lambda self, name: None)
    with pytest.raises(AssertionError, match="usage index out of date"):
        controller.call(lambda c: c.delete_resource("r1", "alpha"))


def test_the_index_is_not_state_and_a_restore_recounts(controller):
    make(controller, "r1", ["alpha"])
    snap = controller.snapshot()
    assert "usage_index" not in snap.cluster and "undo_logs" not in snap.cluster
    assert "usage_index" not in controller.dump()
    controller.call(lambda c: c.delete_resource("r1", "alpha"))
    assert thin_reserved(controller.cluster, "alpha") == 0
    controller.restore(snap)
    assert thin_reserved(controller.cluster, "alpha") == GIB
    assert controller.cluster.usage().totals() == recount(controller.cluster)


def test_autoplace_sees_what_earlier_placements_took(controller):
    cluster = controller.cluster
    # thin pools only: the emptiest pools win, so three single-replica placements spread out
    for name in ("a1", "a2", "a3"):
        controller.call(lambda c, n=name: c.create_resource_definition(n) + c.create_volume_definition(n, 10 * GIB))
        entries = controller.call(lambda c, n=name: c.autoplace(n, SelectFilter(place_count=1,
                                                                               storage_pool_list=("thin",))))
        assert not any(e.is_error for e in entries), [e.message for e in entries]
    holders = sorted(next(iter(cluster.get_resource_definition(n).resources.values())).node_name
                     for n in ("a1", "a2", "a3"))
    assert holders == ["alpha", "bravo", "charlie"]


def test_allocation_fills_the_lowest_gap_first(controller):
    for name in ("p1", "p2", "p3"):
        make(controller, name, ["alpha"])
    ports = [controller.cluster.get_resource_definition(n).port for n in ("p1", "p2", "p3")]
    assert ports == [ports[0], ports[0] + 1, ports[0] + 2]
    controller.call(lambda c: c.delete_resource("p2", "alpha") + c.delete_resource_definition("p2"))
    make(controller, "p4", ["alpha"])
    make(controller, "p5", ["alpha"])
    assert [controller.cluster.get_resource_definition(n).port for n in ("p4", "p5")] == [ports[1], ports[2] + 1]
