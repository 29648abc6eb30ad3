"""Fixtures for the fake's own tests: a cluster to call operations on directly."""
import copy
import dataclasses

import pytest

from fakestor import Controller, fixtures
from fakestor.apicallrc import ApiError


@pytest.fixture
def demo() -> Controller:
    """A fresh controller with the demo cluster (alpha, bravo, charlie)."""
    ctl = Controller()
    fixtures.load(ctl, "demo")
    return ctl


@pytest.fixture
def cluster(demo):
    return demo.cluster


def core_state(cluster) -> dict:
    """What the foundation operations may change, as plain data (error reports excluded)."""
    return copy.deepcopy({
        "nodes": {k: dataclasses.asdict(n) for k, n in cluster.nodes.items()},
        "spds": {k: dataclasses.asdict(d) for k, d in cluster.storage_pool_definitions.items()},
        "ctrl": dict(cluster.controller_props),
    })


def refusal(cluster, fn, *args, **kw):
    """The first entry of an operation the cluster refuses; asserts that nothing changed."""
    before = core_state(cluster)
    with pytest.raises(ApiError) as info:
        fn(*args, **kw)
    assert core_state(cluster) == before
    return info.value.entries[0]
