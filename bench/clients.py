"""This project's client against python-linstor from PyPI: the same list calls, against the same
controller served over loopback HTTP, each client timed in a process of its own (so neither
shares an interpreter, and its GIL, with the server), taking turns batch by batch."""
import json
import os
import statistics
import subprocess
import sys
import tempfile
from typing import Dict, List, NamedTuple

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


class _ClientProcess:
    """One ``client_loop.py`` process: a client connected to the server, timing calls on request."""

    def __init__(self, python: str, url: str):
        self._stderr = tempfile.TemporaryFile(mode="w+")
        self._proc = subprocess.Popen([python, "-I", LOOP, url], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                      stderr=self._stderr, text=True,
                                      env={"PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8"})
        self.origin = self._answer()["linstor"]

    def _answer(self) -> dict:
        line = self._proc.stdout.readline()
        if not line:
            self._proc.wait(10)
            self._stderr.seek(0)
            raise RuntimeError("%s failed:\n%s" % (self._proc.args[0], self._stderr.read()))
        return json.loads(line)

    def median(self, call: str, repeat: int, warmup: int) -> float:
        self._proc.stdin.write("%s %d %d\n" % (call, repeat, warmup))
        self._proc.stdin.flush()
        return self._answer()[STATISTIC]

    def close(self) -> None:
        try:
            self._proc.stdin.close()  # end of commands: the loop disconnects and exits
        except BrokenPipeError:  # it has already gone
            pass
        self._proc.wait(30)
        self._stderr.close()


class Comparison(NamedTuple):
    """Seconds per call, by call name. Each round times a batch of every call in each client, the
    two clients taking turns batch by batch (who goes first alternates between rounds); a
    round's figure is the median of its batch."""

    ours: Dict[str, float]  # the best round (on a shared machine whole batches can wait on the scheduler)
    theirs: Dict[str, float]
    ours_median: Dict[str, float]  # the median round
    theirs_median: Dict[str, float]
    ratio_median: Dict[str, float]  # the median of the rounds' ours/theirs ratios
    in_process: Dict[str, float]  # ours through WsgiTransport (no socket), the median call


def compare(baseline_python: str, repeat: int, rounds: int = 5, warmup: int = 20) -> Comparison:
    """This project's client against the one ``baseline_python`` imports, both over loopback HTTP
    to one server holding ``populated_controller()``, in batches of ``repeat`` calls; and ours in
    process."""
    controller = populated_controller()
    ours: Dict[str, List[float]] = {c: [] for c in CALLS}
    theirs: Dict[str, List[float]] = {c: [] for c in CALLS}
    with Server(controller) as server:
        started: List[_ClientProcess] = []
        try:
            mine = _ClientProcess(sys.executable, server.linstor_uri)
            started.append(mine)
            other = _ClientProcess(baseline_python, server.linstor_uri)
            started.append(other)
            if os.path.realpath(mine.origin) != os.path.realpath(linstor.__file__):
                raise RuntimeError("our client process imports another linstor: %s" % mine.origin)
            if os.path.realpath(other.origin) == os.path.realpath(mine.origin):
                raise RuntimeError("the baseline imports this project's linstor: %s" % other.origin)
            for rnd in range(rounds):
                # the first round warms each client up; later ones re-warm it after the other's batch
                first = warmup if rnd == 0 else max(1, warmup // 4)
                turns = [(mine, ours), (other, theirs)]
                for call in CALLS:
                    for client, samples in (turns if rnd % 2 == 0 else turns[::-1]):
                        samples[call].append(client.median(call, repeat, first))
        finally:
            for client in started:
                client.close()
    lin = linstor.Linstor("linstor://fakestor", transport=WsgiTransport(create_app(controller)))
    lin.connect()
    in_process = {c: median_seconds(getattr(lin, c), repeat * rounds) for c in CALLS}
    return Comparison(
        {c: min(v) for c, v in ours.items()}, {c: min(v) for c, v in theirs.items()},
        {c: statistics.median(v) for c, v in ours.items()}, {c: statistics.median(v) for c, v in theirs.items()},
        {c: statistics.median(a / b for a, b in zip(ours[c], theirs[c])) for c in CALLS}, in_process)
