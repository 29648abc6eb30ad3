"""What the testkit costs a test, measured beside moto's equivalents in the same run.

    python bench/bench_testkit.py [--quick]

Rows: a fresh controller with the demo cluster (what the ``fakestor`` fixture does per test),
snapshot() and restore(), reset(), one in-process client call, and starting and stopping a real
HTTP server; moto (when installed): ``mock_aws`` enter/exit, an in-process ``list_buckets`` and
``ThreadedMotoServer`` start/stop. Each row is the median of several rounds.
"""
import argparse
import logging
import os
import statistics
import sys
import time
from typing import Callable, List, Optional, Tuple

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import linstor  # noqa: E402
from fakestor import Controller, create_app, fixtures  # noqa: E402
from fakestor.server import Server  # noqa: E402
from testkit.controllers import fresh_controller  # noqa: E402
from testkit.transport import InProcessTransport  # noqa: E402


def measure(fn: Callable[[], object], number: int, rounds: int = 5) -> float:
    """Median seconds per call over ``rounds`` rounds of ``number`` calls."""
    results = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        results.append((time.perf_counter() - start) / number)
    return statistics.median(results)


def fakestor_rows(scale: int) -> List[Tuple[str, float]]:
    rows = []
    fresh_controller("demo")
    rows.append(("fakestor: fresh controller + demo cluster (cached snapshot)",
                 measure(lambda: fresh_controller("demo"), 200 * scale)))

    def load_from_file():
        ctl = Controller()
        fixtures.load(ctl, "demo")

    rows.append(("fakestor: fresh controller + demo cluster (parse and load YAML)", measure(load_from_file, 10 * scale)))
    demo = fresh_controller("demo")
    snap = demo.snapshot()
    rows.append(("fakestor: snapshot() of the demo cluster", measure(demo.snapshot, 200 * scale)))
    rows.append(("fakestor: restore() of the demo cluster", measure(lambda: demo.restore(snap), 200 * scale)))
    rows.append(("fakestor: reset()", measure(demo.reset, 200 * scale)))

    def fixture_chain():
        # what a test using linstor_client pays: controller, app, connected client
        ctl = fresh_controller("demo")
        client = linstor.Linstor("linstor://fakestor", transport=InProcessTransport(create_app(ctl)))
        client.connect()

    rows.append(("testkit: fakestor + linstor_client fixtures (demo cluster, connected)",
                 measure(fixture_chain, 100 * scale)))
    rows.append(("fakestor: create_app() (a Flask app of its own)", measure(lambda: create_app(Controller()), 3 * scale)))
    ctl = fresh_controller("demo")
    client = linstor.Linstor("linstor://fakestor", transport=InProcessTransport(create_app(ctl)))
    client.connect()
    rows.append(("fakestor: in-process client call (node_list, 3 nodes)", measure(client.node_list, 100 * scale)))

    shared = create_app(ctl)

    def start_stop():
        server = Server(ctl, app=shared)
        server.start()
        server.stop()

    rows.append(("fakestor: HTTP server start + stop", measure(start_stop, 5 * scale)))
    with Server(ctl) as server:
        http_client = linstor.Linstor(server.linstor_uri)
        http_client.connect()
        rows.append(("fakestor: client call over HTTP (node_list)", measure(http_client.node_list, 30 * scale)))
        http_client.disconnect()
    return rows


def moto_rows(scale: int) -> Optional[List[Tuple[str, float]]]:
    try:
        import boto3
        from moto import mock_aws
        from moto.server import ThreadedMotoServer
    except ImportError:
        return None
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    rows = []

    def enter_exit():
        with mock_aws():
            pass

    enter_exit()
    rows.append(("moto: mock_aws enter + exit", measure(enter_exit, 20 * scale)))
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="bench")
        s3.list_buckets()
        rows.append(("moto: in-process call (s3 list_buckets)", measure(s3.list_buckets, 50 * scale)))

    def server_start_stop():
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        server.stop()

    rows.append(("moto: ThreadedMotoServer start + stop", measure(server_start_stop, 3 * scale)))
    return rows


def show(seconds: float) -> str:
    if seconds < 1e-3:
        return "%8.1f µs" % (seconds * 1e6)
    return "%8.2f ms" % (seconds * 1e3)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer calls per round")
    args = parser.parse_args(argv)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    scale = 1 if args.quick else 5
    ours = fakestor_rows(scale)
    theirs = moto_rows(scale)
    width = max(len(name) for name, _ in ours + (theirs or []))
    for name, seconds in ours + (theirs or []):
        print("%-*s %s" % (width, name, show(seconds)))
    if theirs is None:
        print("(moto is not installed: pip install moto boto3 for the baseline)")
        return 0
    ours_d, theirs_d = dict(ours), dict(theirs)
    print()
    print("ratios (moto / fakestor, higher means fakestor is faster):")
    pairs = [
        ("per-test fresh state", "moto: mock_aws enter + exit", "fakestor: fresh controller + demo cluster (cached snapshot)"),
        ("in-process call", "moto: in-process call (s3 list_buckets)",
         "fakestor: in-process client call (node_list, 3 nodes)"),
        ("server start + stop", "moto: ThreadedMotoServer start + stop", "fakestor: HTTP server start + stop"),
    ]
    for label, theirs_key, ours_key in pairs:
        print("  %-22s %7.1fx" % (label, theirs_d[theirs_key] / ours_d[ours_key]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
