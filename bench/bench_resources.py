"""Creating and deleting resources through the ``linstor`` client: in process and over HTTP.

    python bench/bench_resources.py [--count 1000] [--repeat 1] [--profile]

Builds a 10-node cluster (one thick LVM pool per node), then for ``count`` resources (one
volume each, three replicas): resource definition create, volume definition create, three
resource creates, three resource deletes, resource definition delete. Prints µs per call of
each operation, in process (WSGI, no socket) and over HTTP on loopback, and their ratio.
``--profile`` also runs the in-process path under cProfile and prints the top functions.
"""
import argparse
import cProfile
import io
import logging
import os
import pstats
import sys
import time
from typing import Callable, Dict, List

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import linstor  # noqa: E402
from fakestor import Controller, create_app, fixtures  # noqa: E402
from fakestor.server import Server  # noqa: E402
from linstor import ResourceData  # noqa: E402
from linstor.transport import WsgiTransport  # noqa: E402

NODES = 10
REPLICAS = 3
VOLUME_KIB = 1024 * 1024
OPERATIONS = ("rd create", "vd create", "resource create", "resource delete", "rd delete")
# one call per operation above for every resource, except one per replica for these
PER_REPLICA = ("resource create", "resource delete")


def cluster() -> dict:
    # a port range wide enough for --count beyond the default 1000 ports
    return {"controller_props": {"TcpPortAutoRange": "7000-60999"},
            "nodes": [{"name": "node%02d" % i, "address": "10.0.0.%d" % (i + 1),
                       "storage_pools": [{"name": "pool", "provider_kind": "LVM", "pool": "vg0", "size": "100T"}]}
                      for i in range(NODES)]}


def new_controller() -> Controller:
    ctl = Controller()
    fixtures.load(ctl, cluster())
    return ctl


def check(replies) -> None:
    if not linstor.Linstor.all_api_responses_no_error(replies):
        raise SystemExit("call failed: %s" % "; ".join(str(r) for r in replies))


def run(lin: linstor.Linstor, count: int) -> Dict[str, float]:
    """Seconds per call of each operation, over ``count`` resources."""
    names = ["res%05d" % i for i in range(count)]
    placement = {name: ["node%02d" % ((i + k) % NODES) for k in range(REPLICAS)] for i, name in enumerate(names)}
    steps: List[tuple] = [
        ("rd create", lambda n: [lambda: lin.resource_dfn_create(n)]),
        ("vd create", lambda n: [lambda: lin.volume_dfn_create(n, VOLUME_KIB)]),
        ("resource create", lambda n: [(lambda node=node: lin.resource_create(
            [ResourceData(node, n, storage_pool="pool")])) for node in placement[n]]),
        ("resource delete", lambda n: [(lambda node=node: lin.resource_delete(node, n)) for node in placement[n]]),
        ("rd delete", lambda n: [lambda: lin.resource_dfn_delete(n)]),
    ]
    # the same replicas placed with one call per resource (as a multi-node create sends them)
    batch: List[tuple] = [
        ("", lambda n: [lambda: lin.resource_dfn_create(n), lambda: lin.volume_dfn_create(n, VOLUME_KIB)]),
        ("resource create, 3 per call", lambda n: [lambda: lin.resource_create(
            [ResourceData(node, n, storage_pool="pool") for node in placement[n]])]),
        ("", lambda n: [lambda: lin.resource_dfn_delete(n)]),
    ]
    timings = {}
    for label, calls_for in steps + batch:
        calls: List[Callable] = [c for n in names for c in calls_for(n)]
        start = time.perf_counter()
        for call in calls:
            check(call())
        if label:
            timings[label] = (time.perf_counter() - start) / len(calls)
    return timings


def in_process(count: int) -> Dict[str, float]:
    lin = linstor.Linstor("linstor://fakestor", transport=WsgiTransport(create_app(new_controller())))
    lin.connect()
    try:
        return run(lin, count)
    finally:
        lin.disconnect()


def over_http(count: int) -> Dict[str, float]:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no access log line per request
    with Server(new_controller()) as server:
        lin = linstor.Linstor(server.linstor_uri, keep_alive=True)
        lin.connect()
        try:
            return run(lin, count)
        finally:
            lin.disconnect()


def best(runs) -> Dict[str, float]:
    out: Dict[str, float] = {}
    for timings in runs:
        for label, seconds in timings.items():
            out[label] = min(seconds, out.get(label, seconds))
    return out


def profile(count: int, top: int = 25) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    in_process(count)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000, help="resources to create and delete")
    parser.add_argument("--repeat", type=int, default=1, help="runs per path; the best time of each counts")
    parser.add_argument("--profile", action="store_true", help="profile the in-process path")
    args = parser.parse_args()

    # best of --repeat runs: on a busy machine single runs scatter
    wsgi = best(in_process(args.count) for _ in range(args.repeat))
    http = best(over_http(args.count) for _ in range(args.repeat))
    print("%d resources, 1 volume each, %d replicas on %d nodes (best of %d, load average %.1f)"
          % (args.count, REPLICAS, NODES, args.repeat, os.getloadavg()[0]))
    print("%-18s %14s %14s %10s" % ("operation", "in process", "HTTP", "ratio"))
    for label in OPERATIONS:
        print("%-18s %11.0f µs %11.0f µs %9.2fx" % (label, wsgi[label] * 1e6, http[label] * 1e6,
                                                    http[label] / wsgi[label]))
    label = "resource create, 3 per call"
    print("%-18s %11.0f µs %11.0f µs %9.2fx   (resource create, %d nodes in one call)"
          % ("", wsgi[label] * 1e6, http[label] * 1e6, http[label] / wsgi[label], REPLICAS))
    calls = sum(REPLICAS if k in PER_REPLICA else 1 for k in OPERATIONS) * args.count
    total_wsgi = sum(wsgi[k] * (REPLICAS if k in PER_REPLICA else 1) for k in OPERATIONS) * args.count
    total_http = sum(http[k] * (REPLICAS if k in PER_REPLICA else 1) for k in OPERATIONS) * args.count
    print("%-18s %12.2f s %12.2f s %9.2fx   (%d calls)" % ("total", total_wsgi, total_http, total_http / total_wsgi,
                                                           calls))
    print("in process / HTTP: %.2f" % (total_wsgi / total_http))
    if args.profile:
        print(profile(args.count))


if __name__ == "__main__":
    main()
