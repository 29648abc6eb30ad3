"""Many clients at once against one fake over HTTP: writes are atomic and none is lost.

16 threads (then two processes of 8 threads) create, modify and delete nodes, net interfaces,
storage pools, pool definitions, KVS entries and controller properties in their own name spaces.
Afterwards the state holds every invariant and matches, name space by name space, what the
acknowledged (2xx) writes say it must be.
"""
import multiprocessing
import re
from typing import Dict, List

import pytest
import requests

from fakestor import Controller, fixtures
from fakestor.server import Server

from .invariants import violations
from .support import InternalFailures
from .workload import Model, run_threads

STEPS = 30
OWN = re.compile(r"^t\d+[a-z]+\d+$")  # the names the workload creates
OWN_KEY = re.compile(r"^Aux/(t\d+/)?t\d+k\d+$")


def _expected(models: List[Model]) -> Dict[str, dict]:
    nodes, spds, kv, ctrl = {}, {}, {}, {}
    for model in models:
        for name, node in model.nodes.items():
            nodes[name] = {"netifs": set(node["netifs"]), "pools": set(node["pools"]), "props": node["props"]}
        spds.update(model.spds)
        kv.update(model.kv)
        ctrl.update(model.ctrl)
    return {"nodes": nodes, "spds": spds, "kv": kv, "ctrl": ctrl}


def _actual(base: str) -> Dict[str, dict]:
    def get(path):
        return requests.get(base + path, timeout=30).json()

    nodes = {}
    for node in get("/v1/nodes"):
        if OWN.match(node["name"]):
            pools = {p["storage_pool_name"] for p in get("/v1/nodes/%s/storage-pools" % node["name"])}
            nodes[node["name"]] = {"netifs": {n["name"] for n in node["net_interfaces"]}, "pools": pools,
                                   "props": {k: v for k, v in node["props"].items() if OWN_KEY.match(k)}}
    spds = {d["storage_pool_name"]: d["props"] for d in get("/v1/storage-pool-definitions")
            if re.match(r"^t\d+d\d+$", d["storage_pool_name"])}
    kv = {}
    for store in get("/v1/key-value-store"):
        if re.match(r"^t\d+kv$", store["name"]):
            kv.update(store["props"])
    ctrl = {k: v for k, v in get("/v1/controller/properties").items() if OWN_KEY.match(k)}
    return {"nodes": nodes, "spds": spds, "kv": kv, "ctrl": ctrl}


def _check(server: Server, failures: InternalFailures, models: List[Model]) -> None:
    assert not failures.failures, failures.failures
    refused = [r for m in models for r in m.refused]
    assert not refused, refused[:5]  # every step is valid for the worker's model
    assert all(m.requests >= STEPS // 2 for m in models)  # steps with nothing to delete send nothing

    def get(path):
        resp = requests.get(server.url + path, timeout=30)
        return resp.status_code, resp.json()

    assert violations(get) == []
    expected, actual = _expected(models), _actual(server.url)
    for part in ("nodes", "spds", "kv", "ctrl"):
        assert actual[part] == expected[part], part


@pytest.fixture
def server():
    ctl = Controller()
    fixtures.load(ctl, "demo")
    failures = InternalFailures(ctl)
    with Server(ctl) as srv:
        yield srv, failures


@pytest.mark.http
def test_sixteen_threads(server):
    srv, failures = server
    models = run_threads(srv.url, list(range(16)), STEPS)
    _check(srv, failures, models)


def _process(args) -> List[Model]:
    url, workers = args
    return run_threads(url, workers, STEPS)


@pytest.mark.http
def test_two_client_processes(server):
    srv, failures = server
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        parts = pool.map(_process, [(srv.url, list(range(0, 8))), (srv.url, list(range(8, 16)))])
    _check(srv, failures, parts[0] + parts[1])
