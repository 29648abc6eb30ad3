"""/v1/error-reports: the controller's (and connected satellites') error reports."""
from typing import Any, Optional

from flask import Blueprint, request
from werkzeug.exceptions import NotFound

from linstor import sharedconsts as C

from ..apicallrc import RcEntry
from ..model.reports import DEFAULT_LIMIT
from .common import BodyError, ListOf, Long, Obj, body, json_response, read, write
from .wire import reports as wire

bp = Blueprint("error_reports", __name__)

REPORT_DELETE = Obj({"since": Long, "to": Long, "nodes": ListOf(str), "exception": str, "version": str,
                     "ids": ListOf(str)})


def async_body(spec: Any, required: bool = True):
    """The body of an asynchronous handler: a refused one is answered 500 (``handleJsonParseException``
    passes its 400 through the error mapping) and, unlike the synchronous handlers, files no report."""
    try:
        return body(spec, required=required)
    except BodyError as err:
        entry = RcEntry(C.API_CALL_PARSE_ERROR, "Unable to parse input json.", details=err.detail)
        raise _Answer(json_response([entry.to_json()], 500))


class _Answer(Exception):
    def __init__(self, response):
        super().__init__("answer")
        self.response = response


@bp.app_errorhandler(_Answer)
def _answer(err):
    return err.response


def long_arg(name: str, default: Optional[int] = None) -> Optional[int]:
    """A ``Long`` query parameter; JAX-RS answers 404 when it does not convert."""
    raw = request.args.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise NotFound()
    if not -(1 << 63) <= value < (1 << 63):
        raise NotFound()
    return value


def bool_arg(name: str, default: bool) -> bool:
    raw = request.args.get(name)
    return default if raw is None else raw.lower() == "true"


def _list(report_id: Optional[str], with_content_default: bool):
    node = request.args.get("node")
    since, to = long_arg("since"), long_arg("to")
    limit = long_arg("limit", DEFAULT_LIMIT)
    long_arg("offset")  # accepted and ignored, as by the controller
    with_content = bool_arg("withContent", with_content_default)
    ids = [report_id] if report_id is not None else None
    reports = read(lambda c: c.list_error_reports(node, since, to, ids, limit))
    return json_response([wire.error_report(r, with_content) for r in reports])


@bp.get("/v1/error-reports")
def list_reports():
    return _list(None, False)


@bp.get("/v1/error-reports/<report_id>")
def get_report(report_id):
    # always a list: empty for an unknown id
    return _list(report_id, True)


@bp.patch("/v1/error-reports")
def delete_reports():
    data = async_body(REPORT_DELETE)
    return write(lambda c: c.delete_error_reports(data.get("since"), data.get("to"), data.get("nodes"),
                                                  data.get("exception"), data.get("version"), data.get("ids")))


@bp.delete("/v1/error-reports/<report_id>")
def delete_report(report_id):
    return write(lambda c: c.delete_error_reports(ids=[report_id]))
