"""LinstorStateMachine runs clean against the fake, and catches a controller that breaks its model."""
import pytest
from hypothesis import Phase, settings
from hypothesis.errors import Flaky
from hypothesis.stateful import run_state_machine_as_test

from testkit.machine import LinstorStateMachine

SETTINGS = settings(max_examples=25, stateful_step_count=15, deadline=None, derandomize=True)


class DemoMachine(LinstorStateMachine):
    fixture = "demo"


def test_the_machine_passes_on_an_empty_controller():
    run_state_machine_as_test(LinstorStateMachine, settings=SETTINGS)


def test_the_machine_passes_on_the_demo_cluster():
    run_state_machine_as_test(DemoMachine, settings=SETTINGS)


class ForgetfulMachine(LinstorStateMachine):
    """A controller whose node delete answers success but keeps the node."""

    def make_controller(self):
        ctl = super().make_controller()
        cluster = ctl.cluster

        def fake_delete(name):
            from fakestor.model.nodes import node_ctx
            from linstor import sharedconsts as C

            return [node_ctx(C.MASK_DEL, name).entry(C.DELETED, "Node '%s' deleted." % name)]

        cluster.delete_node = fake_delete
        return ctl


def test_the_machine_finds_a_controller_that_breaks_its_model():
    with pytest.raises((AssertionError, Flaky)):
        # no shrinking: finding the failure is the point, not its smallest form
        run_state_machine_as_test(ForgetfulMachine, settings=settings(SETTINGS, max_examples=60,
                                                                      phases=[Phase.generate]))


class GenerousMachine(LinstorStateMachine):
    """A controller that places volumes in thick pools without taking their space; the node,
    pool and property rules are left out (set to None) so the runs spend their steps on resources."""

    fixture = "demo"
    create_node = create_node_invalid_name = delete_node = set_node_props = None
    create_storage_pool = delete_storage_pool = set_controller_props = None

    def make_controller(self):
        ctl = super().make_controller()
        cluster = ctl.cluster
        add_volume = cluster._add_volume

        def add_without_reserving(rsc, vd, plan):
            vlm = add_volume(rsc, vd, plan)
            plan[1].allocated_kib -= plan[2]
            return vlm

        cluster._add_volume = add_without_reserving
        return ctl


def test_the_machine_finds_a_thick_pool_that_is_over_committed():
    with pytest.raises(AssertionError, match="free"):
        run_state_machine_as_test(GenerousMachine, settings=settings(SETTINGS, max_examples=200,
                                                                     phases=[Phase.generate]))
