"""Controller.snapshot/restore/reset/dump/load and the structured copy behind them."""
import json
import statistics
import time

import pytest

from fakestor import Controller, fixtures
from fakestor.model.objects import Node
from fakestor.state import copy_tree, from_json, to_json
from testkit.controllers import fresh_controller


@pytest.fixture
def demo():
    ctl = Controller()
    fixtures.load(ctl, "demo")
    return ctl


def node_names(ctl):
    return sorted(n.name for n in ctl.cluster.list_nodes())


def test_restore_brings_back_the_state_at_the_snapshot(demo):
    snap = demo.snapshot()
    demo.call(lambda c: c.delete_node("charlie"))
    demo.call(lambda c: c.modify_node("alpha", override={"Aux/x": "1"}))
    demo.restore(snap)
    assert node_names(demo) == ["alpha", "bravo", "charlie"]
    assert "Aux/x" not in demo.cluster.get_node("alpha").props


def test_a_snapshot_restores_any_number_of_times(demo):
    snap = demo.snapshot()
    for _ in range(3):
        demo.call(lambda c: c.delete_node("bravo"))
        demo.restore(snap)
        assert node_names(demo) == ["alpha", "bravo", "charlie"]


def test_a_restored_controller_hands_out_the_same_ids_again(demo):
    snap = demo.snapshot()
    demo.call(lambda c: c.create_node("delta", None, [{"address": "10.0.0.4", "satellite_port": 3366, "satellite_encryption_type": "PLAIN"}]))
    first = demo.cluster.get_node("delta").uuid
    demo.restore(snap)
    demo.call(lambda c: c.create_node("delta", None, [{"address": "10.0.0.4", "satellite_port": 3366, "satellite_encryption_type": "PLAIN"}]))
    assert demo.cluster.get_node("delta").uuid == first


def test_snapshot_restores_the_virtual_clock(demo):
    snap = demo.snapshot()
    before = demo.clock.now()
    demo.clock.advance(3600)
    demo.restore(snap)
    assert demo.clock.now() == before


def test_reset_gives_a_fresh_controller_and_forgets_faults_and_journal(demo):
    demo.faults.error(path="/v1/nodes")
    demo.journal.record("GET", "/v1/nodes", {}, b"", 200, b"[]")
    demo.reset()
    assert node_names(demo) == []
    assert len(demo.faults) == 0 and len(demo.journal) == 0
    assert demo.dump() == Controller().dump()


def test_dump_and_load_round_trip_byte_for_byte(demo):
    text = demo.dump()
    other = Controller()
    other.load(text)
    assert other.dump() == text
    assert node_names(other) == ["alpha", "bravo", "charlie"]
    assert other.cluster.get_storage_pool("alpha", "thin").total_capacity == 100 * 1024 ** 2


def test_dump_is_plain_json_that_names_its_format(demo):
    data = json.loads(demo.dump())
    assert data["format"] == "fakestor-state/1"
    assert data["linstor_version"] == "1.31.3"


def test_load_refuses_what_is_not_a_state_and_changes_nothing(demo):
    before = demo.dump()
    with pytest.raises(ValueError):
        demo.load('{"nodes": []}')
    assert demo.dump() == before


def test_load_refuses_classes_outside_fakestor():
    with pytest.raises(ValueError, match="outside fakestor"):
        from_json({"$obj": "os.system", "fields": {}})


def test_load_carries_the_emulated_version():
    old = Controller("1.26.1")
    new = Controller()
    new.load(old.dump())
    assert new.version.linstor_version == "1.26.1"
    assert new.cluster.version.linstor_version == "1.26.1"


def test_copy_tree_copies_deeply_and_keeps_shared_objects_shared():
    node = Node("a", "SATELLITE", "u", props={"k": "v"})
    tree = {"one": node, "two": node, "list": [node], "t": (1, [2])}
    copy = copy_tree(tree)
    assert copy["one"] is copy["two"] is copy["list"][0]
    assert copy["one"] is not node and copy["one"] == node
    copy["one"].props["k"] = "changed"
    assert node.props["k"] == "v"
    copy["t"][1].append(3)
    assert tree["t"] == (1, [2])


def test_to_json_round_trips_containers():
    value = {"s": {1, 2}, "t": (1, "a"), "b": b"\x00\xff", "$odd": 1, 5: "int key", "fs": frozenset({"x"})}
    assert from_json(json.loads(json.dumps(to_json(value)))) == value


def best_median(fn, rounds=3, number=50):
    """The best of a few rounds' medians: other processes on the machine only ever add time."""
    medians = []
    for _ in range(rounds):
        times = []
        for _ in range(number):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
        medians.append(statistics.median(times))
    return min(medians)


def test_a_fresh_demo_controller_costs_well_under_a_millisecond():
    assert node_names(fresh_controller("demo")) == ["alpha", "bravo", "charlie"]
    assert best_median(lambda: fresh_controller("demo")) < 0.001


def test_reset_costs_well_under_a_millisecond(demo):
    assert best_median(demo.reset) < 0.001


def test_every_area_round_trips_through_dump_and_load(demo):
    from werkzeug.test import Client

    from fakestor import create_app

    http = Client(create_app(demo))
    http.put("/v1/key-value-store/csi", json={"override_props": {"volume/pvc-1": "ready"}})
    http.post("/v1/resource-definitions", json={"resource_definition": {"name": "res1"}})
    http.post("/v1/resource-definitions/res1/volume-definitions", json={"volume_definition": {"size_kib": 1024}})
    http.post("/v1/resource-definitions/res1/resources",
              json=[{"resource": {"node_name": "alpha", "props": {"StorPoolName": "thin"}}}])
    resources = http.get("/v1/view/resources").json
    assert [r["node_name"] for r in resources] == ["alpha"]
    demo.faults.error(path="/v1/nodes")
    report_id = http.get("/v1/nodes").json[0]["error_report_ids"][0]
    other = Controller()
    dumped = demo.dump()
    other.load(dumped)
    assert other.dump() == dumped
    again = Client(create_app(other))
    assert again.get("/v1/key-value-store/csi").json == [{"name": "csi", "props": {"volume/pvc-1": "ready"}}]
    assert again.get("/v1/error-reports/" + report_id).status_code == 200
    assert again.get("/v1/view/resources").json == resources
