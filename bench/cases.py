"""The measured cases. Each returns a ``Result``: our median, the baseline's median (or None for
an absolute measurement) and the target."""
import http.client
import json
import statistics
import subprocess
import sys
import threading
import time
from typing import Callable, List, NamedTuple, Optional

import requests
from flask import Flask, Response
from werkzeug.serving import make_server

import linstor
from fakestor import Controller, create_app, fixtures
from fakestor.placement import SelectFilter, place
from fakestor.server import Server
from linstor.transport import HttpTransport, WsgiTransport
from tests.contract.compat import CompatSetupError, ensure_venv

from . import bench_placement, bench_resources, clients, load
from . import big_cluster as big_cluster_mod
from .timing import median_seconds, side_by_side


class Result(NamedTuple):
    name: str
    ours: float  # in ``unit``
    baseline: Optional[float]  # in ``unit``; None when the target is absolute
    target: Optional[float]  # a ratio, or an upper bound in ``unit`` when baseline is None; None: information
    unit: str = "s"  # "s", "MB" or "req/s"
    note: str = ""


def demo_controller() -> Controller:
    controller = Controller()
    fixtures.load(controller, "demo")
    return controller


def _bare_wsgi(body: bytes) -> Callable:
    headers = [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]

    def app(environ, start_response):
        start_response("200 OK", headers)
        return [body]

    return app


def node_list_in_process(repeat: int) -> Result:
    """node_list() through the client straight into the fake's WSGI app, against Flask's own
    test client fetching the same JSON from a one-route Flask app."""
    app = create_app(demo_controller())
    client = linstor.Linstor("linstor://fakestor", transport=WsgiTransport(app))
    client.connect()
    body = app.test_client().get("/v1/nodes").get_data()

    bare = Flask("bare")

    @bare.get("/v1/nodes")
    def nodes():
        return Response(body, mimetype="application/json")

    tester = bare.test_client()
    ours, theirs = side_by_side(client.node_list, lambda: tester.get("/v1/nodes").get_data(), repeat)
    return Result("node_list() in process vs bare Flask test client", ours, theirs, 2.0)


def node_list_over_http(repeat: int) -> Result:
    """node_list() over loopback HTTP to the fake's server, against a bare requests.Session GET of
    the same JSON from a bare werkzeug server."""
    controller = demo_controller()
    with Server(controller) as server:
        client = linstor.Linstor(server.linstor_uri)
        client.connect()
        body = requests.get(server.url + "/v1/nodes").content
        bare = make_server("127.0.0.1", 0, _bare_wsgi(body), threaded=True)
        thread = threading.Thread(target=bare.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
        thread.start()
        try:
            session = requests.Session()
            url = "http://127.0.0.1:%d/v1/nodes" % bare.server_port
            ours, theirs = side_by_side(client.node_list, lambda: session.get(url).content, repeat)
        finally:
            bare.shutdown()
            bare.server_close()
            client.disconnect()
    return Result("node_list() over HTTP vs bare requests + werkzeug", ours, theirs, 1.3)


def server_start_stop(repeat: int) -> Result:
    """Building, starting and stopping fakestor's HTTP server for one controller."""
    controller = demo_controller()

    def cycle():
        Server(controller).start().stop()

    return Result("fakestor Server(controller) start+stop", median_seconds(cycle, repeat, warmup=3), None, 0.050)


def server_parts(repeat: int):
    """Where a server's start+stop time goes: building the Flask app, and the rest."""
    controller = demo_controller()
    app = create_app(controller)
    build = median_seconds(lambda: create_app(controller), repeat, warmup=3)
    run = median_seconds(lambda: Server(controller, app=app).start().stop(), repeat, warmup=3)
    return [Result("  of which create_app(controller)", build, None, None),
            Result("  start+stop with the app built beforehand", run, None, None)]


def demo_state(repeat: int) -> List[Result]:
    """snapshot(), restore() and reset() of a controller holding the demo cluster."""
    controller = demo_controller()
    snap = controller.snapshot()
    return [Result("snapshot() of the demo controller", median_seconds(controller.snapshot, repeat), None, None),
            Result("restore() of the demo controller", median_seconds(lambda: controller.restore(snap), repeat),
                   None, None),
            Result("reset() of the demo controller", median_seconds(controller.reset, repeat), None, None)]


def autoplace_1000_nodes(repeat: int) -> List[Result]:
    """``fakestor.placement.place`` (the autoplacer's selection) on 1,000 nodes x 3 pools holding
    10,000 resources, for each of bench_placement's filters."""
    nodes = bench_placement.cluster(1000, 10000)
    out = []
    for label, raw in bench_placement.FILTERS.items():
        flt = SelectFilter.from_json(raw)
        seconds = median_seconds(lambda: place(nodes, [], flt, 10 * bench_placement.GIB, rsc_name="new-rsc"),
                                 repeat, warmup=2)
        out.append(Result("placement.place, 1,000 nodes: " + label, seconds, None, AUTOPLACE_TARGET,
                          note="the selection alone, 10,000 resources"))
    # ten times the nodes may cost at most ten times as much
    flt = SelectFilter.from_json(bench_placement.FILTERS["plain place_count=3"])
    small = bench_placement.cluster(100, 0)
    small_seconds = median_seconds(lambda: place(small, [], flt, 10 * bench_placement.GIB, rsc_name="new-rsc"),
                                   repeat * 4, warmup=4)
    out.append(Result("placement.place growth: 1,000 nodes vs 100 nodes", median_seconds(
        lambda: place(nodes, [], flt, 10 * bench_placement.GIB, rsc_name="new-rsc"), repeat, warmup=2),
        small_seconds, 10.0, note="linear growth is 10x; baseline column: 100 nodes"))
    return out


def create_delete_cycle(count: int) -> Result:
    """bench_resources' create/delete cycle: per call in process and over HTTP."""
    wsgi = bench_resources.in_process(count)
    http = bench_resources.over_http(count)

    def per_call(timings):
        calls = sum(bench_resources.REPLICAS if k in bench_resources.PER_REPLICA else 1
                    for k in bench_resources.OPERATIONS)
        return sum(timings[k] * (bench_resources.REPLICAS if k in bench_resources.PER_REPLICA else 1)
                   for k in bench_resources.OPERATIONS) / calls

    return Result("create/delete call, in process vs over HTTP (%d rscs)" % count, per_call(wsgi), per_call(http),
                  None, note="baseline column: the same calls over HTTP")


def _in_subprocess(module: str, *args: str) -> dict:
    proc = subprocess.run([sys.executable, "-m", module, *args], capture_output=True, text=True, timeout=1800)
    if proc.returncode != 0:
        raise RuntimeError("%s failed:\n%s" % (module, proc.stderr))
    return json.loads(proc.stdout.strip().splitlines()[-1])


def big_cluster(resources: int) -> List[Result]:
    """Memory of the fake holding ``resources`` resources (its own process), and the cost of
    building, snapshotting, restoring and resetting it."""
    out = _in_subprocess("bench.big_cluster", "--resources", str(resources))
    label = "%s resources (%s definitions x 3, %d nodes)" % (format(resources, ","), format(out["definitions"], ","),
                                                             out["nodes"])
    return [Result("memory of the fake holding " + label, out["rss_bytes"] / 1e6, None, 500.0, "MB",
                   note="RSS growth"),
            Result("  building it through the model operations", out["build_s"], None, None),
            Result("  snapshot() of that controller", out["snapshot_s"], None, None),
            Result("  restore() of that controller", out["restore_s"], None, None),
            Result("  reset() of that controller", out["reset_s"], None, None)]


def serve_throughput(clients: int, seconds: float) -> Result:
    rps = load.requests_per_second(clients, seconds)
    return Result("fakestor serve, %d concurrent clients (GET /v1/nodes)" % clients, rps, None, None, "req/s",
                  note="threads with requests.Session in one process")


def _fmt_us(seconds: float) -> str:
    return "%.0f µs" % (seconds * 1e6)


def python_linstor(version: str, repeat: int, rounds: int, target: Optional[float] = 1.1,
                   with_in_process: bool = True) -> List[Result]:
    """Each list call: ours over HTTP against python-linstor ``version`` over HTTP, and ours in process."""
    try:
        python = ensure_venv(version=version)
    except CompatSetupError as err:
        return [Result("python-linstor %s unavailable: %s" % (version, str(err).splitlines()[0]), 0, None, None)]
    cmp = clients.compare(python, repeat, rounds)
    out = []
    for call in clients.CALLS:
        note = "median rounds: %s vs %s, %.2fx; median of the rounds' ratios %.2fx" % (
            _fmt_us(cmp.ours_median[call]), _fmt_us(cmp.theirs_median[call]),
            cmp.ours_median[call] / cmp.theirs_median[call], cmp.ratio_median[call])
        out.append(Result("%s() over HTTP vs python-linstor %s" % (call, version), cmp.ours[call], cmp.theirs[call],
                          target, note=note))
    for call in clients.CALLS if with_in_process else ():
        out.append(Result("%s() in process (WSGI) vs over HTTP" % call, cmp.in_process[call], cmp.ours[call], None,
                          note="baseline column: ours over HTTP"))
    return out


def requests_vs_http_client(repeat: int) -> List[Result]:
    """Where an HTTP client's floor lies: one GET of the demo node list from a bare werkzeug server
    with ``requests.Session`` (what our client sends through) against ``http.client`` on a kept-alive
    connection (what python-linstor sends through)."""
    body = create_app(demo_controller()).test_client().get("/v1/nodes").get_data()
    bare = make_server("127.0.0.1", 0, _bare_wsgi(body), threaded=True)
    thread = threading.Thread(target=bare.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    try:
        session = requests.Session()
        url = "http://127.0.0.1:%d/v1/nodes" % bare.server_port
        conn = http.client.HTTPConnection("127.0.0.1", bare.server_port)

        def plain():
            conn.request("GET", "/v1/nodes")
            return conn.getresponse().read()

        ours, theirs = side_by_side(lambda: session.get(url).content, plain, repeat)
        # what this project's client sends through: requests' HTTPAdapter, trimmed
        transport = HttpTransport("linstor://127.0.0.1:%d" % bare.server_port, 300, "bench")
        trimmed, plain_again = side_by_side(lambda: transport.request("GET", "/v1/nodes"), plain, repeat)
        transport.close()
        conn.close()
    finally:
        bare.shutdown()
        bare.server_close()
    return [Result("bare GET: requests.Session vs http.client", ours, theirs, None,
                   note="the transport floor under each client"),
            Result("bare GET: our HttpTransport vs http.client", trimmed, plain_again, None,
                   note="requests' HTTPAdapter as this client uses it")]


AUTOPLACE_TARGET = 5e-3  # seconds per call on 1,000 nodes


def autoplace_rest_1000_nodes(repeat: int) -> List[Result]:
    """``resource_auto_place(place_count=3)`` through our client in process (REST, model,
    autoplacer) on 1,000 nodes x 3 pools already holding 10,000 resources."""
    pools = [{"name": "thin", "provider_kind": "LVM_THIN", "pool": "vg/thin", "size": "500T"},
             {"name": "zfs", "provider_kind": "ZFS", "pool": "tank", "size": "1000T"},
             {"name": "lvm", "provider_kind": "LVM", "pool": "vg", "size": "200T"}]
    controller = big_cluster_mod.empty_cluster(1000, pools, lambda i: {"Aux/zone": "z%d" % (i % 3)})
    big_cluster_mod.fill(controller, 10000, 1000, 2, pool="thin")
    lin = linstor.Linstor("linstor://fakestor", transport=WsgiTransport(create_app(controller)))
    lin.connect()
    out = []
    for label, kwargs in (("place_count=3", {}), ("replicas_on_different zone", {"replicas_on_different": ["Aux/zone"]})):
        samples = []
        for i in range(repeat):
            name = "auto-%s-%03d" % (len(out), i)
            controller.cluster.create_resource_definition(name)
            controller.cluster.create_volume_definition(name, 10 * 1024 * 1024)
            start = time.perf_counter()
            replies = lin.resource_auto_place(name, 3, **kwargs)
            samples.append(time.perf_counter() - start)
            if not linstor.Linstor.all_api_responses_no_error(replies):
                raise RuntimeError("autoplace failed: %s" % replies[0])
        out.append(Result("autoplace 1,000 nodes via REST in process: " + label, statistics.median(samples), None,
                          AUTOPLACE_TARGET, note="10,000 resources placed beforehand"))
    return out
