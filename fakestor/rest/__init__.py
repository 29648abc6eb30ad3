"""The REST API: the app factory and one blueprint per area.

Compiling the routes of a Flask app costs tens of milliseconds, a hundred times more than a
fresh controller, and the routes do not depend on the controller. So one Flask app per process
serves every controller: ``create_app(controller)`` returns a thin WSGI app that hands each
request to the shared Flask app with its controller in the WSGI environ. Controllers stay
independent; requests to different controllers run concurrently.
"""
import importlib
import logging
import threading
from typing import Callable, Iterable, Optional

from flask import Flask, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound

from linstor import sharedconsts as C

from ..apicallrc import ApiError, RcEntry
from ..controller import Controller
from . import control
from .common import (
    CONTROLLER_KEY,
    BodyError,
    NullBody,
    json_response,
    null_body_response,
    parse_error_response,
    rc_response,
)
from .spec import spec_operation

# area modules, each with a blueprint ``bp``
AREAS = (
    "controller",
    "nodes",
    "storage_pools",
    "kvs", "exos", "error_reports", "encryption", "sos",
    "resource_definitions",
    "resources",
    "resource_groups",
    "autoplace",
    "snapshots",
    "properties_info",
    "ext_files", "clone",
    "misc",
    "remotes", "schedules", "backups",
)

log = logging.getLogger(__name__)


class FakestorApp:
    """The WSGI app of one controller; ``create_app(controller)`` makes it.

    Anything else it is asked for (``url_map``, ``view_functions``, ...) comes from the
    shared Flask app.
    """

    def __init__(self, controller: Controller):
        self.controller = controller
        self.flask = _shared_flask_app()

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        environ[CONTROLLER_KEY] = self.controller
        return self.flask(environ, start_response)

    def test_client(self):
        """A werkzeug test client calling this app (responses have ``get_json()``)."""
        from werkzeug.test import Client

        return Client(self)

    def __getattr__(self, name):
        return getattr(self.flask, name)


def create_app(controller: Optional[Controller] = None) -> FakestorApp:
    """A WSGI app serving ``controller`` (a new one when not given) on the LINSTOR REST paths."""
    return FakestorApp(controller if controller is not None else Controller())


_flask_app: Optional[Flask] = None
_flask_lock = threading.Lock()


def _shared_flask_app() -> Flask:
    global _flask_app
    if _flask_app is None:
        with _flask_lock:
            if _flask_app is None:
                _flask_app = _build_flask_app()
    return _flask_app


def _build_flask_app() -> Flask:
    app = Flask("fakestor")
    app.url_map.strict_slashes = False
    app.json.sort_keys = False
    for area in AREAS:
        app.register_blueprint(importlib.import_module("." + area, __name__).bp)
    # test controls under /_fakestor/, the request journal, the scheduler's polls and faults
    control.install(app)

    @app.errorhandler(BodyError)
    def body_error(err):
        return parse_error_response(err)

    @app.errorhandler(NullBody)
    def null_body(err):
        return null_body_response()

    @app.errorhandler(ApiError)
    def api_error(err):
        return rc_response(err.entries)

    def not_implemented():
        if request.url_rule is not None:  # a route matched and refused on purpose (e.g. a version gate)
            return None
        template = spec_operation(request.method, request.path)
        if template is None:
            return None
        entry = RcEntry(C.FAIL_UNKNOWN_ERROR, "fakestor does not implement '%s %s' yet." % (request.method,
                                                                                       template),
                        cause="The operation is part of the LINSTOR REST API but this fake does not emulate it.")
        return json_response([entry.to_json()], 501)

    @app.errorhandler(NotFound)
    def unknown_path(err):
        unimplemented = not_implemented()
        if unimplemented is not None:
            return unimplemented
        entry = RcEntry(C.FAIL_UNKNOWN_ERROR, "Path '%s' not found on server." % request.path)
        return json_response([entry.to_json()], 404)

    @app.errorhandler(MethodNotAllowed)
    def wrong_method(err):
        unimplemented = not_implemented()
        if unimplemented is not None:
            return unimplemented
        entry = RcEntry(C.FAIL_UNKNOWN_ERROR, "Method '%s' not allowed on path '%s'." % (request.method,
                                                                                       request.path))
        return json_response([entry.to_json()], 405)

    @app.errorhandler(HTTPException)
    def http_error(err):
        entry = RcEntry(C.FAIL_UNKNOWN_ERROR, "%s: %s" % (err.name, err.description))
        return json_response([entry.to_json()], err.code or 500)

    @app.errorhandler(Exception)
    def internal_error(err):
        # An internal failure never reaches the client as a traceback: it becomes an error report.
        ctl = request.environ[CONTROLLER_KEY]
        log.exception("internal error in fakestor")
        report_id = ctl.file_error_report("Exception thrown.", "%s: %s" % (type(err).__name__, err), exc=err)
        entry = RcEntry(C.FAIL_UNKNOWN_ERROR, "Exception thrown.", details="%s: %s" % (type(err).__name__, err),
                        error_report_ids=[report_id])
        return json_response([entry.to_json()], 500)

    return app
