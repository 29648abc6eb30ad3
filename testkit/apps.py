"""WSGI apps for test controllers, without building a Flask app per test.

Building the Flask app (compiling its routes) costs tens of milliseconds, a hundred times more
than a fresh controller. The app does not depend on the controller it serves, so one app per
process serves every test: ``ControllerApp(controller)`` points it at its controller for the
length of each request, under a lock, so servers of different controllers in one process never
see each other's state.
"""
import threading
from typing import Callable, Iterable, Optional

from flask import Flask

from fakestor import Controller, create_app

_lock = threading.RLock()
_shared: Optional[Flask] = None


def shared_app() -> Flask:
    global _shared
    if _shared is None:
        with _lock:
            if _shared is None:
                _shared = create_app(Controller())
    return _shared


class ControllerApp:
    """A WSGI app serving ``controller`` (pass it to ``Server(controller, app=...)`` or a WsgiTransport)."""

    def __init__(self, controller: Controller):
        self.controller = controller

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        app = shared_app()
        with _lock:
            # a Flask response is complete when the app returns: the controller is no longer needed
            # while the body is sent
            app.config["FAKESTOR_CONTROLLER"] = self.controller
            return app(environ, start_response)
