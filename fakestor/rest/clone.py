"""/v1/resource-definitions/{rsc}/clone: cloning a resource definition
(``ResourceDefinitions.java#clone`` / ``#getCloneStatus`` of LINSTOR 1.31.3).

The clone call answers 201 with a ``CloneStarted`` object whatever happened; refusals are in
its ``messages`` (the controller changed that to an error status only in 1.32.2).
"""
from flask import Blueprint

from ..apicallrc import ApiError
from .common import UNCAUGHT, ListOf, Obj, body, controller, json_response, rc_response, read
from .wire import clone as wire

bp = Blueprint("clone", __name__)

CLONE_REQUEST = Obj({"name": str, "external_name": str, "use_zfs_clone": bool, "layer_list": ListOf(str),
                     "volume_passphrases": ListOf(str), "resource_group": str}, "ResourceDefinitionCloneRequest")


@bp.post("/v1/resource-definitions/<rsc>/clone")
def clone(rsc):
    data = body(CLONE_REQUEST, **UNCAUGHT)
    name = data.get("name")
    entries = controller().call(lambda c: c.clone_resource_definition(
        rsc, name, data.get("external_name"), data.get("use_zfs_clone"), data.get("volume_passphrases"),
        data.get("layer_list"), data.get("resource_group")))
    return json_response(wire.clone_started(rsc, name or wire.INVALID_NAME, entries), 201)


@bp.get("/v1/resource-definitions/<rsc>/clone/<clone_name>")
def clone_status(rsc, clone_name):
    try:
        return json_response(wire.clone_status(read(lambda c: c.clone_status(clone_name))))
    except ApiError as err:
        return rc_response(err.entries)
