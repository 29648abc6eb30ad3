"""This project's client against python-linstor from PyPI: the same list calls, against the same
controller served over loopback HTTP, each client timed in a process of its own (so neither
shares an interpreter, and its GIL, with the server), in alternating rounds."""
import json
import os
import subprocess
import sys
from typing import Dict, List, Tuple

import linstor
from fakestor import Controller, create_app, fixtures
from fakestor.server import Server
from linstor import ResourceData
from linstor.transport import WsgiTransport

from .timing import median_seconds

LOOP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "client_loop.py")
CALLS = ("node_list", "storage_pool_list", "resource_dfn_list", "resource_list", "volume_list")
STATISTIC = "median"  # of each process's samples ("q25": the lower quartile)
RESOURCES = 20  # on the demo cluster's three nodes, two replicas each: lists worth parsing


def populated_controller() -> Controller:
    """The demo cluster plus ``RESOURCES`` resource definitions of one volume, two replicas each."""
    controller = Controller()
    fixtures.load(controller, "demo")
    lin = linstor.Linstor("linstor://fakestor", transport=WsgiTransport(create_app(controller)))
    lin.connect()
    nodes = ["alpha", "bravo", "charlie"]
    for i in range(RESOURCES):
        name = "pvc-%02d" % i
        lin.resource_dfn_create(name)
        lin.volume_dfn_create(name, 64 * 1024)
        lin.resource_create([ResourceData(nodes[(i + k) % 3], name, storage_pool="thin") for k in range(2)])
    lin.disconnect()
    return controller


def _loop(python: str, url: str, repeat: int) -> Dict[str, float]:
    proc = subprocess.run([python, "-I", LOOP, url, str(repeat), *CALLS], capture_output=True, text=True,
                          timeout=600, env={"PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8"})
    if proc.returncode != 0:
        raise RuntimeError("%s failed:\n%s" % (python, proc.stderr))
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    return {call: t[STATISTIC] for call, t in out["timings"].items()}


def compare(baseline_python: str, repeat: int, rounds: int = 5) -> Tuple[Dict[str, float], Dict[str, float],
                                                                         Dict[str, float]]:
    """Seconds per call: ours over HTTP and the baseline over HTTP (each the best of ``rounds``
    alternating rounds, a round's figure being its median: on a shared machine whole rounds can
    wait on the scheduler's tick, and both contenders get the same chances of a quiet round); and
    the median of ours in process (WSGI, no socket)."""
    controller = populated_controller()
    ours: Dict[str, List[float]] = {c: [] for c in CALLS}
    theirs: Dict[str, List[float]] = {c: [] for c in CALLS}
    with Server(controller) as server:
        for _ in range(rounds):
            for call, seconds in _loop(sys.executable, server.linstor_uri, repeat).items():
                ours[call].append(seconds)
            for call, seconds in _loop(baseline_python, server.linstor_uri, repeat).items():
                theirs[call].append(seconds)
    lin = linstor.Linstor("linstor://fakestor", transport=WsgiTransport(create_app(controller)))
    lin.connect()
    in_process = {c: median_seconds(getattr(lin, c), repeat * rounds) for c in CALLS}
    return {c: min(v) for c, v in ours.items()}, {c: min(v) for c, v in theirs.items()}, in_process
