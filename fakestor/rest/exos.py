"""/v1/vendor/seagate/exos: EXOS enclosures (served by LINSTOR 1.12 ... 1.31 only).

Synchronous handlers: bad JSON is a 400; POST answers 200; every write reply ends with the
deprecation warning (from 1.26 on), also after an error entry.
"""
from flask import Blueprint, request
from werkzeug.exceptions import NotFound

from ..apicallrc import ApiError
from .common import SYNC, ListOf, Obj, body, controller, json_response, rc_response, read
from .wire import exos as wire

bp = Blueprint("exos", __name__)

PREFIX = "/v1/vendor/seagate/exos"
DEFAULTS = {"username": str, "username_env": str, "password": str, "password_env": str}
DEFAULTS_MODIFY = Obj(dict(DEFAULTS, unset_keys=ListOf(str)))
ENCLOSURE = Obj(dict(DEFAULTS, name=str, ctrl_a_ip=str, ctrl_b_ip=str))


@bp.before_request
def only_while_exos_exists():
    # releases without EXOS do not know these paths at all
    if not controller().version.has("exos"):
        raise NotFound()


def _write(operation):
    def run(cluster):
        return operation(cluster) + cluster.deprecation_entries()

    return rc_response(controller().call(run))


def _credentials(data: dict) -> dict:
    return {k: data.get(k) for k in ("username", "username_env", "password", "password_env")}


def _int_arg(name: str):
    raw = request.args.get(name)
    if raw is None:
        return None
    try:
        return int(raw)
    except ValueError:
        raise NotFound()  # JAX-RS answers 404 when a query parameter does not convert


@bp.get(PREFIX + "/defaults")
def get_defaults():
    return json_response(wire.defaults(read(lambda c: c.exos_defaults())))


@bp.put(PREFIX + "/defaults")
def set_defaults():
    data = body(DEFAULTS_MODIFY, **SYNC)
    values = {"Username": data.get("username"), "UsernameEnv": data.get("username_env"),
              "Password": data.get("password"), "PasswordEnv": data.get("password_env")}
    # an explicit null reaches the controller as null (and fails there)
    return _write(lambda c: c.modify_exos_defaults(values, data.get("unset_keys", [])))


@bp.get(PREFIX + "/enclosures")
def list_enclosures():
    return json_response(read(lambda c: [wire.enclosure(e) for e in c.list_exos_enclosures()]))


@bp.post(PREFIX + "/enclosures")
def create_enclosure():
    data = body(ENCLOSURE, **SYNC)
    return _write(lambda c: c.create_exos_enclosure(data.get("name"), data.get("ctrl_a_ip"), data.get("ctrl_b_ip"),
                                                    **_credentials(data)))


@bp.put(PREFIX + "/enclosures/<enclosure>")
def modify_enclosure(enclosure):
    data = body(ENCLOSURE, **SYNC)
    return _write(lambda c: c.modify_exos_enclosure(enclosure, data.get("ctrl_a_ip"), data.get("ctrl_b_ip"),
                                                    **_credentials(data)))


@bp.delete(PREFIX + "/enclosures/<enclosure>")
def delete_enclosure(enclosure):
    return _write(lambda c: c.delete_exos_enclosure(enclosure))


@bp.get(PREFIX + "/enclosures/<enclosure>/events")
def enclosure_events(enclosure):
    count = _int_arg("count")
    return json_response(read(lambda c: [wire.event(e) for e in c.exos_enclosure_events(enclosure, count)]))


@bp.get(PREFIX + "/enclosures/<enclosure>/exec/<path:command>")
def enclosure_exec(enclosure, command):
    return json_response(read(lambda c: c.exos_exec(enclosure, command.split("/"))))


@bp.get(PREFIX + "/map")
def connection_map():
    try:
        return json_response(read(lambda c: wire.connection_maps(c.exos_connection_map())))
    except ApiError as err:
        # a malformed port property makes the controller fail; file the report as it does
        entries = err.entries
        return rc_response(controller().call(lambda c: entries))
