"""/v1/controller: version and properties (``rest/v1/Controller.java``)."""
from flask import Blueprint

from .common import ASYNC, ListOf, MapOf, Obj, body, controller, json_response, read, write

bp = Blueprint("controller", __name__)

PROPS_MODIFY = Obj({"override_props": MapOf(str), "delete_props": ListOf(str), "delete_namespaces": ListOf(str)},
                   "ControllerPropsModify")


@bp.get("/v1/controller/version")
def version():
    return json_response(controller().version_info())


@bp.get("/v1/controller/properties")
def properties():
    return json_response(read(lambda c: dict(c.controller_props)))


@bp.post("/v1/controller/properties")
def set_properties():
    data = body(PROPS_MODIFY, **ASYNC)
    return write(lambda c: c.modify_controller_props(data.get("override_props"), data.get("delete_props"),
                                                     data.get("delete_namespaces")), 201)


@bp.delete("/v1/controller/properties/<path:key>")
def delete_property(key):
    return write(lambda c: c.delete_controller_prop(key))
