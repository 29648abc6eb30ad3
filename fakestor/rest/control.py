"""Test controls over HTTP under ``/_fakestor/`` (a prefix no LINSTOR path uses), and the request
hooks that feed the journal, the scheduler and the fault rules.

The routes mirror the Python API of ``fakestor.Controller``; tests written in other languages
drive the fake through them:

    POST   /_fakestor/reset
    GET    /_fakestor/state                  dump (JSON);  PUT: load a dump
    POST   /_fakestor/fixtures               {"name": "demo"} or {"fixture": {...cluster file...}}
    GET    /_fakestor/snapshots              names;  POST {"name"?}: take one
    POST   /_fakestor/snapshots/<n>/restore  DELETE /_fakestor/snapshots/<n>
    GET    /_fakestor/journal                ?method=&path=;  DELETE: clear
    PUT    /_fakestor/journal/budget         {"budget": n or null}
    GET    /_fakestor/faults                 POST {"kind": "error"|"status"|"latency"|"drop"|"truncate", ...}
    DELETE /_fakestor/faults[/<id>]
    POST   /_fakestor/nodes/<n>/{offline,online,evict,lost}
    POST   /_fakestor/nodes/<n>/storage-pools/<p>/fill   {"free": "0"}
    GET    /_fakestor/clock                  POST /_fakestor/clock/advance {"seconds": 30}
"""
import itertools
import json
import threading
from typing import Any, Optional

from flask import Blueprint, Flask, Response, request

from linstor import sharedconsts as C

from .. import faults as faultlib
from .. import fixtures
from ..apicallrc import RcEntry, http_status, signed64
from .common import controller, json_response

PREFIX = "/_fakestor"

bp = Blueprint("fakestor_control", __name__, url_prefix=PREFIX)
_names = itertools.count(1)
# requests a handler makes to its own app (e.g. the SOS report collecting listings) are the
# controller's own business: not journaled, not faulted, not polls
_handling = threading.local()
INTERNAL_KEY = "fakestor.internal"


class ControlError(Exception):
    pass


def install(app: Flask) -> None:
    """Adds the control routes, the request hooks and the fault middleware to a fakestor app."""
    app.register_blueprint(bp)
    app.before_request(_before_request)
    app.after_request(_after_request)
    app.teardown_request(_teardown_request)
    app.wsgi_app = faultlib.wrap_wsgi(app.wsgi_app)


# -- request hooks -----------------------------------------------------------------------------
# The hooks run on every request: they take the request object once instead of going through
# Flask's context-local proxy for each attribute.
_CONTROL_KEY = "fakestor.control"


def _is_control(req) -> bool:
    flag = req.environ.get(_CONTROL_KEY)
    if flag is None:
        path = req.path
        flag = req.environ[_CONTROL_KEY] = path == PREFIX or path.startswith(PREFIX + "/")
    return flag


def _before_request() -> Optional[Response]:
    req = request._get_current_object()
    if _is_control(req):
        return None
    if getattr(_handling, "depth", 0) > 0:
        req.environ[INTERNAL_KEY] = True
        return None
    _handling.depth = 1
    ctl = controller()
    ctl.clock.poll()
    fault = ctl.faults.match(req.method, req.path, req.endpoint)
    if fault is None:
        return None
    req.environ[faultlib.ENVIRON_KEY] = fault.kind
    req.environ["fakestor.fault_rule"] = fault
    if fault.kind == "latency":
        faultlib.sleep(fault.latency)
        return None
    if fault.kind == "error":
        entries = ctl.call(lambda cluster: [ctl.faults.entry_for(fault)])
        return json_response([e.to_json() for e in entries], fault.status or http_status(entries))
    if fault.kind == "status":
        if fault.body is not None:
            return Response(fault.body, status=fault.status, mimetype="text/plain")
        entry = RcEntry(C.FAIL_UNKNOWN_ERROR, "HTTP %d injected by fakestor." % fault.status)
        return json_response([entry.to_json()], fault.status)
    if fault.kind == "drop":
        return Response(b"", 500)  # never sent: the middleware drops the connection
    return None  # truncate: cut in the after-request hook


def _teardown_request(exc) -> None:
    req = request._get_current_object()
    if not _is_control(req) and not req.environ.get(INTERNAL_KEY):
        _handling.depth = 0


def _after_request(response: Response) -> Response:
    req = request._get_current_object()
    if _is_control(req) or req.environ.get(INTERNAL_KEY):
        return response
    ctl = controller()
    kind = req.environ.get(faultlib.ENVIRON_KEY)
    data = response.get_data()
    if kind == "truncate":
        fault = req.environ["fakestor.fault_rule"]
        at = len(data) // 2 if fault.truncate_at is None else min(fault.truncate_at, len(data))
        full_length = len(data)
        data = data[:at]
        response.set_data(data)
        response.headers["Content-Length"] = str(full_length)
    ctl.journal.record(req.method, req.path, req.args.to_dict(flat=False), req.get_data(cache=True),
                       None if kind == "drop" else response.status_code, b"" if kind == "drop" else data,
                       req.endpoint, ctl.clock.now(), kind)
    return response


# -- helpers -----------------------------------------------------------------------------------
@bp.errorhandler(ControlError)
@bp.errorhandler(ValueError)
@bp.errorhandler(KeyError)
@bp.errorhandler(TypeError)
def _bad_request(err):
    message = err.args[0] if isinstance(err, KeyError) and err.args else str(err)
    entry = RcEntry(C.FAIL_INVLD_REQUEST, "fakestor control: %s" % message)
    return json_response([entry.to_json()], 400)


def _json() -> Any:
    raw = request.get_data(cache=True)
    if not raw.strip():
        return {}
    try:
        return json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as err:
        raise ControlError("body is not JSON: %s" % err)


def _ok(message: str, status: int = 200, **extra: Any) -> Response:
    out = {"message": message}
    out.update(extra)
    return json_response(out, status)


# -- reset, state, fixtures, snapshots ----------------------------------------------------------
@bp.get("")
def summary():
    ctl = controller()
    return json_response({"linstor_version": ctl.version.linstor_version,
                          "rest_api_version": ctl.version.rest_api_version, "seed": ctl.seed,
                          "clock": ctl.clock.now(), "polls": ctl.clock.polls, "faults": len(ctl.faults),
                          "journal": len(ctl.journal), "snapshots": sorted(ctl.named_snapshots)})


@bp.post("/reset")
def reset():
    controller().reset()
    return _ok("reset")


@bp.get("/state")
def dump_state():
    return Response(controller().dump(), mimetype="application/json")


@bp.put("/state")
def load_state():
    controller().load(request.get_data(cache=True))
    return _ok("state loaded")


@bp.post("/fixtures")
def load_fixture():
    data = _json()
    fixture = data.get("fixture") if isinstance(data.get("fixture"), dict) else data.get("name")
    if not fixture:
        raise ControlError("give a cluster file as 'name' (a name or path) or 'fixture' (its content)")
    fixtures.load(controller(), fixture)
    return _ok("fixture loaded", 201)


@bp.get("/snapshots")
def list_snapshots():
    return json_response(sorted(controller().named_snapshots))


@bp.post("/snapshots")
def take_snapshot():
    ctl = controller()
    name = _json().get("name") or "snapshot-%d" % next(_names)
    ctl.named_snapshots[str(name)] = ctl.snapshot()
    return _ok("snapshot taken", 201, name=name)


@bp.post("/snapshots/<name>/restore")
def restore_snapshot(name):
    ctl = controller()
    if name not in ctl.named_snapshots:
        return json_response([RcEntry(C.FAIL_INVLD_REQUEST, "no snapshot named '%s'" % name).to_json()], 404)
    ctl.restore(ctl.named_snapshots[name])
    return _ok("snapshot '%s' restored" % name)


@bp.delete("/snapshots/<name>")
def delete_snapshot(name):
    controller().named_snapshots.pop(name, None)
    return _ok("snapshot '%s' deleted" % name)


# -- journal ----------------------------------------------------------------------------------
@bp.get("/journal")
def journal():
    ctl = controller()
    calls = ctl.journal.filter(request.args.get("method"), request.args.get("path"),
                               int(request.args["status"]) if "status" in request.args else None,
                               request.args.get("operation"))
    return json_response([c.to_json() for c in calls])


@bp.delete("/journal")
def clear_journal():
    controller().journal.clear()
    return _ok("journal cleared")


@bp.put("/journal/budget")
def set_budget():
    budget = _json().get("budget")
    if budget is not None and (isinstance(budget, bool) or not isinstance(budget, int) or budget < 0):
        raise ControlError("budget is a number of calls (or null)")
    controller().journal.budget = budget
    return _ok("budget set", budget=budget)


# -- faults -----------------------------------------------------------------------------------
_FAULT_FIELDS = ("method", "path", "operation", "times", "probability", "seed", "message", "cause", "status",
                 "body", "latency", "truncate_at", "report")


def _ret_code(value: Any) -> int:
    if isinstance(value, str):
        if not hasattr(C, value):
            raise ControlError("unknown ret code name %r" % value)
        return getattr(C, value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ControlError("ret_code is a number or a constant name such as FAIL_NOT_FOUND_NODE")
    return value


@bp.get("/faults")
def list_faults():
    return json_response([f.to_json() for f in controller().faults])


@bp.post("/faults")
def add_fault():
    data = _json()
    if not isinstance(data, dict) or "kind" not in data:
        raise ControlError("a fault needs a 'kind': %s" % ", ".join(faultlib.KINDS))
    unknown = set(data) - set(_FAULT_FIELDS) - {"kind", "ret_code"}
    if unknown:
        raise ControlError("unknown fault field(s): %s" % ", ".join(sorted(unknown)))
    kw = {k: data[k] for k in _FAULT_FIELDS if k in data}
    if "ret_code" in data:
        kw["ret_code"] = _ret_code(data["ret_code"])
    if data["kind"] == "status" and not isinstance(data.get("status"), int):
        raise ControlError("a status fault needs a 'status'")
    fault = controller().faults.add(data["kind"], **kw)
    out = fault.to_json()
    if "ret_code" in out:
        out["ret_code"] = signed64(out["ret_code"])
    return json_response(out, 201)


@bp.delete("/faults")
def clear_faults():
    controller().faults.clear()
    return _ok("faults cleared")


@bp.delete("/faults/<int:fault_id>")
def remove_fault(fault_id):
    controller().faults.remove(fault_id)
    return _ok("fault %d removed" % fault_id)


_NODE_FAULTS = {"offline": "node_offline", "online": "node_online", "evict": "evict_node", "lost": "lose_node"}


@bp.post("/nodes/<node>/<action>")
def node_fault(node, action):
    if action not in _NODE_FAULTS:
        raise ControlError("unknown node action %r (one of %s)" % (action, ", ".join(_NODE_FAULTS)))
    _state_fault(lambda f: getattr(f, _NODE_FAULTS[action])(node))
    return _ok("node '%s': %s" % (node, action))


@bp.post("/nodes/<node>/storage-pools/<pool>/fill")
def fill_pool(node, pool):
    free = _json().get("free", 0)
    _state_fault(lambda f: f.fill_pool(node, pool, fixtures.size_kib(free)))
    return _ok("storage pool '%s' on node '%s' filled" % (pool, node))


def _state_fault(action) -> None:
    from ..apicallrc import ApiError

    try:
        action(controller().faults)
    except ApiError as err:
        entries = err.entries
        raise _Reply(json_response([e.to_json() for e in entries], http_status(entries)))


class _Reply(Exception):
    def __init__(self, response: Response):
        super().__init__("reply")
        self.response = response


@bp.errorhandler(_Reply)
def _reply(err):
    return err.response


# -- clock ------------------------------------------------------------------------------------
@bp.get("/clock")
def clock():
    ctl = controller()
    return json_response({"now": ctl.clock.now(), "iso": ctl.clock.isoformat(), "polls": ctl.clock.polls,
                          "pending": len(ctl.clock.pending)})


@bp.post("/clock/advance")
def advance():
    seconds = _json().get("seconds")
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or seconds < 0:
        raise ControlError("'seconds' is a number >= 0")
    ctl = controller()
    ctl.clock.advance(seconds)
    return json_response({"now": ctl.clock.now(), "iso": ctl.clock.isoformat()})
