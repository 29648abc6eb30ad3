"""The REST API: a Flask app factory and one blueprint per area."""
import importlib
import logging

from flask import Flask, request
from linstor import sharedconsts as C
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound

from ..apicallrc import ApiError, RcEntry
from ..controller import Controller
from . import control
from .common import BodyError, json_response, parse_error_response, rc_response

# area modules, each with a blueprint ``bp``
AREAS = (
    "controller",
    "nodes",
    "storage_pools",
)

log = logging.getLogger(__name__)


def create_app(controller: Controller = None) -> Flask:
    """A WSGI app serving ``controller`` (a new one when not given) on the LINSTOR REST paths."""
    app = Flask("fakestor")
    app.config["FAKESTOR_CONTROLLER"] = controller or Controller()
    app.url_map.strict_slashes = False
    app.json.sort_keys = False
    for area in AREAS:
        app.register_blueprint(importlib.import_module("." + area, __name__).bp)
    # test controls under /_fakestor/, the request journal, the scheduler's polls and faults
    control.install(app)

    @app.errorhandler(BodyError)
    def body_error(err):
        return parse_error_response(err)

    @app.errorhandler(ApiError)
    def api_error(err):
        return rc_response(err.entries)

    @app.errorhandler(NotFound)
    def unknown_path(err):
        entry = RcEntry(C.FAIL_UNKNOWN_ERROR, "Path '%s' not found on server." % request.path)
        return json_response([entry.to_json()], 404)

    @app.errorhandler(MethodNotAllowed)
    def wrong_method(err):
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
        ctl = app.config["FAKESTOR_CONTROLLER"]
        log.exception("internal error in fakestor")
        report_id = ctl.file_error_report("Exception thrown.", "%s: %s" % (type(err).__name__, err), exc=err)
        entry = RcEntry(C.FAIL_UNKNOWN_ERROR, "Exception thrown.", details="%s: %s" % (type(err).__name__, err),
                        error_report_ids=[report_id])
        return json_response([entry.to_json()], 500)

    return app
