"""/v1/key-value-store: key-value store instances (a synchronous handler: bad JSON is a 400)."""
import json

from flask import Blueprint

from linstor import sharedconsts as C

from ..apicallrc import RcEntry
from .common import SYNC, Any, BodyError, ListOf, MapOf, Obj, body, json_response, read, write
from .wire import kvs as wire

bp = Blueprint("kvs", __name__)

KVS_MODIFY = Obj({"override_props": MapOf(Any), "delete_props": ListOf(Any), "delete_namespaces": ListOf(Any)})


def _text(value, where: str):
    """Jackson's String coercion: scalars become their JSON text, null stays null, the rest is refused."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    raise BodyError("Cannot deserialize value of type `java.lang.String` from %s value at '%s'"
                    % ("Array" if isinstance(value, list) else "Object", where), 400)


@bp.get("/v1/key-value-store")
def list_stores():
    return json_response(read(lambda c: [wire.key_value_store(k) for k in c.list_kvs()]))


@bp.get("/v1/key-value-store/<instance>")
def get_store(instance):
    kvs = read(lambda c: c.find_kvs(instance))
    if kvs is None:
        entry = RcEntry(C.FAIL_NOT_FOUND_KVS, "Could not find key value store instance '%s'." % instance)
        return json_response([entry.to_json()], 404)
    return json_response([wire.key_value_store(kvs)])


@bp.put("/v1/key-value-store/<instance>")
def modify_store(instance):
    data = body(KVS_MODIFY, **SYNC)
    override = data.get("override_props", {})
    if override is not None:
        override = {k: _text(v, "$.override_props.%s" % k) for k, v in override.items()}
    lists = {}
    for name in ("delete_props", "delete_namespaces"):
        values = data.get(name, [])
        lists[name] = None if values is None else [_text(v, "$.%s[%d]" % (name, i)) for i, v in enumerate(values)]
    return write(lambda c: c.modify_kvs(instance, override, lists["delete_props"], lists["delete_namespaces"]))


@bp.delete("/v1/key-value-store/<instance>")
def delete_store(instance):
    return write(lambda c: c.delete_kvs(instance))
