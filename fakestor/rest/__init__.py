"""The REST API: a Flask app factory and one blueprint per area."""
import importlib
import logging

from flask import Flask, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound

from linstor import sharedconsts as C

from ..apicallrc import ApiError, RcEntry
from ..controller import Controller
from . import control
from .common import BodyError, NullBody, json_response, null_body_response, parse_error_response, rc_response
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
        ctl = app.config["FAKESTOR_CONTROLLER"]
        log.exception("internal error in fakestor")
        report_id = ctl.file_error_report("Exception thrown.", "%s: %s" % (type(err).__name__, err), exc=err)
        entry = RcEntry(C.FAIL_UNKNOWN_ERROR, "Exception thrown.", details="%s: %s" % (type(err).__name__, err),
                        error_report_ids=[report_id])
        return json_response([entry.to_json()], 500)

    return app
