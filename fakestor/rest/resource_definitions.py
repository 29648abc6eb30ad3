"""/v1/resource-definitions: resource definitions, volume definitions, resource connections
and DRBD proxy."""
from flask import Blueprint

from ..apicallrc import ApiError
from .common import (
    Any,
    ListOf,
    Long,
    MapOf,
    Obj,
    body,
    json_response,
    paginate,
    query_bool,
    query_list,
    rc_response,
    read,
    write,
)
from .wire import resources as wire

bp = Blueprint("resource_definitions", __name__)

PROPS_CHANGE = {"override_props": MapOf(str), "delete_props": ListOf(str), "delete_namespaces": ListOf(str)}
VOLUME_DEFINITION = Obj({"volume_number": int, "size_kib": Long, "props": MapOf(str), "flags": ListOf(str),
                         "layer_data": ListOf(Any), "uuid": str})
RESOURCE_DEFINITION = Obj({"name": str, "external_name": str, "props": MapOf(str), "flags": ListOf(str),
                           "layer_data": ListOf(Obj({"type": str, "data": Any})), "uuid": str,
                           "resource_group_name": str, "volume_definitions": ListOf(VOLUME_DEFINITION)})
RD_CREATE = Obj({"drbd_port": int, "drbd_secret": str, "drbd_peer_slots": int, "drbd_transport_type": str,
                 "resource_definition": RESOURCE_DEFINITION})
RD_MODIFY = Obj(dict(PROPS_CHANGE, drbd_port=int, drbd_peer_slots=int, layer_stack=ListOf(str),
                     resource_group=str))
VD_CREATE = Obj({"volume_definition": VOLUME_DEFINITION, "drbd_minor_number": int, "passphrase": str})
VD_MODIFY = Obj(dict(PROPS_CHANGE, size_kib=Long, flags=ListOf(str)))
CONN_MODIFY = Obj(PROPS_CHANGE)
PROXY_ENABLE = Obj({"port": int})
PROXY_MODIFY = Obj({"override_props": MapOf(str), "delete_props": ListOf(str), "compression_type": str,
                    "compression_props": MapOf(str)})


def _answer(query):
    try:
        return json_response(read(query))
    except ApiError as err:
        return rc_response(err.entries)


# -- resource definitions ------------------------------------------------------------------
@bp.get("/v1/resource-definitions")
def list_resource_definitions():
    wanted, props = query_list("resource_definitions"), query_list("props")
    with_vds = query_bool("with_volume_definitions")
    return json_response(paginate(read(lambda c: [wire.resource_definition(rd, with_vds)
                                                  for rd in c.list_resource_definitions(wanted, props)])))


@bp.get("/v1/resource-definitions/<rsc>")
def get_resource_definition(rsc):
    with_vds = query_bool("with_volume_definitions")
    return _answer(lambda c: wire.resource_definition(c.get_resource_definition(rsc), with_vds))


@bp.post("/v1/resource-definitions")
def create_resource_definition():
    data = body(RD_CREATE)
    rd = data.get("resource_definition") or {}
    layers = [entry.get("type") for entry in rd.get("layer_data") or []]
    return write(lambda c: c.create_resource_definition(
        rd.get("name"), rd.get("external_name"), data.get("drbd_port"), rd.get("props"), layers,
        rd.get("resource_group_name"), data.get("drbd_peer_slots"), data.get("drbd_secret"),
        data.get("drbd_transport_type")), 201)


@bp.put("/v1/resource-definitions/<rsc>")
def modify_resource_definition(rsc):
    data = body(RD_MODIFY, required=False)
    return write(lambda c: c.modify_resource_definition(
        rsc, data.get("override_props"), data.get("delete_props"), data.get("delete_namespaces"),
        data.get("drbd_peer_slots"), data.get("drbd_port"), data.get("layer_stack"), data.get("resource_group")))


@bp.delete("/v1/resource-definitions/<rsc>")
def delete_resource_definition(rsc):
    return write(lambda c: c.delete_resource_definition(rsc))


# -- volume definitions ----------------------------------------------------------------------
@bp.get("/v1/resource-definitions/<rsc>/volume-definitions")
def list_volume_definitions(rsc):
    def query(c):
        rd = c.get_resource_definition(rsc)
        return paginate([wire.volume_definition(vd) for _, vd in sorted(rd.volume_definitions.items())])
    return _answer(query)


@bp.get("/v1/resource-definitions/<rsc>/volume-definitions/<int:vlm_nr>")
def get_volume_definition(rsc, vlm_nr):
    return _answer(lambda c: wire.volume_definition(c.get_volume_definition(rsc, vlm_nr)))


@bp.post("/v1/resource-definitions/<rsc>/volume-definitions")
def create_volume_definition(rsc):
    data = body(VD_CREATE)
    vd = data.get("volume_definition") or {}
    # the controller answers 200 here, not 201
    return write(lambda c: c.create_volume_definition(rsc, vd.get("size_kib"), vd.get("volume_number"),
                                                      data.get("drbd_minor_number"), vd.get("flags"),
                                                      vd.get("props")))


@bp.put("/v1/resource-definitions/<rsc>/volume-definitions/<int:vlm_nr>")
def modify_volume_definition(rsc, vlm_nr):
    data = body(VD_MODIFY, required=False)
    return write(lambda c: c.modify_volume_definition(rsc, vlm_nr, data.get("size_kib"), data.get("override_props"),
                                                      data.get("delete_props"), data.get("delete_namespaces"),
                                                      data.get("flags")))


@bp.delete("/v1/resource-definitions/<rsc>/volume-definitions/<int:vlm_nr>")
def delete_volume_definition(rsc, vlm_nr):
    return write(lambda c: c.delete_volume_definition(rsc, vlm_nr))


# -- resource connections --------------------------------------------------------------------
@bp.get("/v1/resource-definitions/<rsc>/resource-connections")
def list_resource_connections(rsc):
    return _answer(lambda c: [wire.resource_connection(x) for x in c.list_resource_connections(rsc)])


@bp.get("/v1/resource-definitions/<rsc>/resource-connections/<node_a>/<node_b>")
def get_resource_connection(rsc, node_a, node_b):
    # one object, not the list the spec documents (ResourceConnections.java)
    return _answer(lambda c: wire.resource_connection(c.get_resource_connection(rsc, node_a, node_b)))


@bp.put("/v1/resource-definitions/<rsc>/resource-connections/<node_a>/<node_b>")
def modify_resource_connection(rsc, node_a, node_b):
    data = body(CONN_MODIFY, required=False)
    return write(lambda c: c.modify_resource_connection(rsc, node_a, node_b, data.get("override_props"),
                                                        data.get("delete_props"), data.get("delete_namespaces")))


# -- DRBD proxy ------------------------------------------------------------------------------
@bp.post("/v1/resource-definitions/<rsc>/drbd-proxy/enable/<node_a>/<node_b>")
def enable_drbd_proxy(rsc, node_a, node_b):
    data = body(PROXY_ENABLE, required=False)
    return write(lambda c: c.enable_drbd_proxy(rsc, node_a, node_b, data.get("port")))


@bp.post("/v1/resource-definitions/<rsc>/drbd-proxy/disable/<node_a>/<node_b>")
def disable_drbd_proxy(rsc, node_a, node_b):
    return write(lambda c: c.disable_drbd_proxy(rsc, node_a, node_b))


@bp.put("/v1/resource-definitions/<rsc>/drbd-proxy")
def modify_drbd_proxy(rsc):
    data = body(PROXY_MODIFY, required=False)
    return write(lambda c: c.modify_drbd_proxy(rsc, data.get("override_props"), data.get("delete_props"),
                                               data.get("compression_type"), data.get("compression_props")))
