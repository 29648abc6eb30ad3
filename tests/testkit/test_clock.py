"""Virtual time and the scheduler: things that complete over time or after polls."""
import pytest
from werkzeug.test import Client

from fakestor import Controller, create_app, fixtures
from fakestor.clock import Clock


def test_a_task_runs_when_its_time_has_come_and_sees_that_time():
    clock = Clock()
    seen = []
    clock.schedule(lambda: seen.append(clock.now()), after_seconds=10)
    start = clock.now()
    clock.advance(5)
    assert seen == []
    clock.advance(20)
    assert seen == [start + 10]
    assert clock.now() == start + 25


def test_tasks_run_in_due_order_within_one_advance():
    clock = Clock()
    order = []
    clock.schedule(lambda: order.append("late"), after_seconds=30)
    clock.schedule(lambda: order.append("early"), after_seconds=10)
    clock.advance(60)
    assert order == ["early", "late"]


def test_a_cancelled_task_never_runs():
    clock = Clock()
    ran = []
    task = clock.schedule(lambda: ran.append(1), after_seconds=1)
    task.cancel()
    clock.advance(5)
    assert ran == [] and clock.pending == []


def test_time_never_goes_back():
    with pytest.raises(ValueError):
        Clock().advance(-1)


def test_listeners_hear_every_advance():
    clock = Clock()
    heard = []
    clock.on_advance(lambda c: heard.append(c.now()))
    clock.advance(1)
    clock.advance(2)
    assert heard == [clock.now() - 2, clock.now()]


def test_controller_schedule_hands_the_cluster_to_the_callback_after_polls():
    ctl = Controller()
    fixtures.load(ctl, "demo")
    http = Client(create_app(ctl))
    ctl.schedule(lambda cluster: setattr(cluster.get_node("alpha"), "connection_status", "OFFLINE"),
                 after_polls=2)
    assert http.get("/v1/nodes/alpha").json["connection_status"] == "ONLINE"
    # the second request after scheduling sees the change
    assert http.get("/v1/nodes/alpha").json["connection_status"] == "OFFLINE"


def test_a_restore_brings_back_pending_tasks():
    ctl = Controller()
    fixtures.load(ctl, "demo")
    ctl.schedule(lambda c: c.get_node("alpha").props.update({"Aux/done": "yes"}), after_seconds=30)
    snap = ctl.snapshot()
    ctl.clock.advance(60)
    assert ctl.cluster.get_node("alpha").props["Aux/done"] == "yes"
    ctl.restore(snap)
    assert "Aux/done" not in ctl.cluster.get_node("alpha").props
    ctl.clock.advance(60)
    assert ctl.cluster.get_node("alpha").props["Aux/done"] == "yes"


def test_reset_drops_pending_tasks():
    ctl = Controller()
    ctl.schedule(lambda c: None, after_seconds=5)
    ctl.reset()
    assert ctl.clock.pending == []


def test_a_real_time_clock_runs_due_tasks_at_the_next_poll():
    clock = Clock.real_time()
    ran = []
    clock.schedule(lambda: ran.append(1), after_seconds=0)
    clock.poll()
    assert ran == [1]


def test_a_snapshot_restored_into_another_controller_runs_its_tasks_there():
    first = Controller()
    fixtures.load(first, "demo")
    first.schedule(lambda c: c.get_node("alpha").props.update({"Aux/done": "yes"}), after_seconds=10)
    second = Controller()
    second.restore(first.snapshot())
    second.clock.advance(10)
    assert second.cluster.get_node("alpha").props["Aux/done"] == "yes"
    assert "Aux/done" not in first.cluster.get_node("alpha").props
