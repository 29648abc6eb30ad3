"""The measured cases. Each returns a ``Result``: our median, the baseline's median (or None for
an absolute measurement) and the target."""
import threading
from typing import Callable, NamedTuple, Optional

import requests
from flask import Flask, Response
from werkzeug.serving import make_server

import linstor
from fakestor import Controller, create_app, fixtures
from fakestor.server import Server
from linstor.transport import WsgiTransport

from .timing import median_seconds, side_by_side


class Result(NamedTuple):
    name: str
    ours: float  # seconds
    baseline: Optional[float]  # seconds; None when the target is absolute
    target: Optional[float]  # a ratio, or seconds when baseline is None; None: shown for information


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
