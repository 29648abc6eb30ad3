"""Resources and volumes: /v1/resource-definitions/{r}/resources/... and /v1/view/resources."""
from flask import Blueprint

from linstor import sharedconsts as C

from ..apicallrc import ApiError, RcEntry, bare_error
from ..model import names
from .common import (
    Any,
    ListOf,
    Long,
    MapOf,
    Obj,
    body,
    json_response,
    paginate,
    query_list,
    rc_response,
    read,
    write,
)
from .wire import resources as wire

bp = Blueprint("resources", __name__)

PROPS_CHANGE = Obj({"override_props": MapOf(str), "delete_props": ListOf(str), "delete_namespaces": ListOf(str)})
RESOURCE = Obj({"name": str, "node_name": str, "props": MapOf(str), "effective_props": Any, "flags": ListOf(str),
                "layer_object": Any, "state": Any, "uuid": str, "create_timestamp": Long})
# v1.31.3's ResourceCreate: later fields (drbd_tcp_ports, ...) are parse errors
RESOURCE_CREATE = Obj({"resource": RESOURCE, "layer_list": ListOf(str), "drbd_node_id": int})
TOGGLE_DISKFUL = Obj({"layer_list": ListOf(str)})
# v1.31.3's ResourceMakeAvailable: drbd_tcp_ports, snap_names, copy_all_snaps came later (parse errors)
MAKE_AVAILABLE = Obj({"layer_list": ListOf(str), "diskful": bool}, java="ResourceMakeAvailable")

RSC_BASE = "/v1/resource-definitions/<rsc>/resources"


def _pools(c, node_name):
    node = c.nodes.get(names.key(node_name))
    return node.storage_pools if node is not None else {}


def _render(c, rsc, with_volumes):
    rd = c.get_resource_definition(rsc.name)
    return wire.resource(rd, rsc, _pools(c, rsc.node_name), with_volumes)


def _answer(query):
    try:
        return json_response(read(query))
    except ApiError as err:
        return rc_response(err.entries)


def _create_items(data, node=None):
    items = []
    for entry in data:
        if entry.get("resource") is None:
            # v1.31.3 dereferences the missing member (fixed in v1.33.3)
            raise ApiError(RcEntry(C.FAIL_UNKNOWN_ERROR, "Exception thrown.",
                                   details="NullPointerException: Cannot read field \"flags\" because "
                                           "\"rsc.resource\" is null", report=True))
        rsc = entry["resource"]
        items.append({"node_name": node or rsc.get("node_name"), "props": rsc.get("props"),
                      "flags": rsc.get("flags"), "drbd_node_id": entry.get("drbd_node_id"),
                      "layer_list": entry.get("layer_list")})
    return items


def _create(rsc, data, node=None):
    def operation(c):
        return c.create_resources(rsc, _create_items(data, node))
    return write(operation, 201)


# -- view ---------------------------------------------------------------------------------------
@bp.get("/v1/view/resources")
def view_resources():
    nodes, resources = query_list("nodes"), query_list("resources")
    pools, props = query_list("storage_pools"), query_list("props")
    return json_response(paginate(read(lambda c: [_render(c, r, True)
                                                  for r in c.list_resources(nodes, resources, pools, props)])))


# -- resources ----------------------------------------------------------------------------------
@bp.get(RSC_BASE)
def list_resources(rsc):
    def query(c):
        rd = c.get_resource_definition(rsc)
        return paginate([_render(c, r, False) for _, r in sorted(rd.resources.items())])
    return _answer(query)


@bp.get(RSC_BASE + "/<node>")
def get_resource(rsc, node):
    def query(c):
        rd = c.get_resource_definition(rsc)
        found = rd.resources.get(names.key(node))
        if found is None:
            raise bare_error(C.FAIL_NOT_FOUND_RSC, "Resource '%s' on '%s' not found." % (rsc, node))
        return _render(c, found, False)
    return _answer(query)


@bp.post(RSC_BASE)
def create_resources(rsc):
    return _create(rsc, body(ListOf(RESOURCE_CREATE)) or [])


@bp.post(RSC_BASE + "/<node>")
def create_resource_on_node(rsc, node):
    data = body(RESOURCE_CREATE, required=False) or {}
    data.setdefault("resource", {})
    return _create(rsc, [data], node)


@bp.put(RSC_BASE + "/<node>")
def modify_resource(rsc, node):
    data = body(PROPS_CHANGE, required=False)
    return write(lambda c: c.modify_resource(rsc, node, data.get("override_props"), data.get("delete_props"),
                                             data.get("delete_namespaces")))


@bp.delete(RSC_BASE + "/<node>")
def delete_resource(rsc, node):
    return write(lambda c: c.delete_resource(rsc, node))


@bp.post(RSC_BASE + "/<node>/activate")
def activate_resource(rsc, node):
    return write(lambda c: c.set_resource_active(rsc, node, True))


@bp.post(RSC_BASE + "/<node>/deactivate")
def deactivate_resource(rsc, node):
    return write(lambda c: c.set_resource_active(rsc, node, False))


@bp.post(RSC_BASE + "/<node>/make-available")
def make_available(rsc, node):
    data = body(MAKE_AVAILABLE)
    return write(lambda c: c.make_resource_available(rsc, node, data.get("layer_list"), bool(data.get("diskful"))))


# -- toggle disk (the legacy routes; v1.31.3 has no unified PUT .../toggle-disk) ---------------
@bp.put(RSC_BASE + "/<node>/toggle-disk/diskless")
@bp.put(RSC_BASE + "/<node>/toggle-disk/diskless/<pool>")
def toggle_diskless(rsc, node, pool=None):
    return write(lambda c: c.toggle_disk(rsc, node, diskful=False, pool=pool))


@bp.put(RSC_BASE + "/<node>/toggle-disk/diskful")
@bp.put(RSC_BASE + "/<node>/toggle-disk/diskful/<pool>")
def toggle_diskful(rsc, node, pool=None):
    data = body(TOGGLE_DISKFUL, required=False) or {}
    return write(lambda c: c.toggle_disk(rsc, node, diskful=True, pool=pool, layer_list=data.get("layer_list")))


@bp.put(RSC_BASE + "/<node>/migrate-disk/<from_node>")
@bp.put(RSC_BASE + "/<node>/migrate-disk/<from_node>/<pool>")
def migrate_disk(rsc, node, from_node, pool=None):
    return write(lambda c: c.toggle_disk(rsc, node, diskful=True, pool=pool, migrate_from=from_node))


# -- volumes --------------------------------------------------------------------------------------
@bp.get(RSC_BASE + "/<node>/volumes")
def list_volumes(rsc, node):
    def query(c):
        found = c.get_resource(rsc, node)
        rd = c.get_resource_definition(rsc)
        pools = _pools(c, found.node_name)
        return paginate([wire.volume(rd, found, v, pools.get(names.key(v.storage_pool_name)))
                         for _, v in sorted(found.volumes.items())])
    return _answer(query)


@bp.get(RSC_BASE + "/<node>/volumes/<int:vlm_nr>")
def get_volume(rsc, node, vlm_nr):
    def query(c):
        vlm = c.get_volume(rsc, node, vlm_nr)
        found = c.get_resource(rsc, node)
        pools = _pools(c, found.node_name)
        return wire.volume(c.get_resource_definition(rsc), found, vlm, pools.get(names.key(vlm.storage_pool_name)))
    return _answer(query)


@bp.put(RSC_BASE + "/<node>/volumes/<int:vlm_nr>")
def modify_volume(rsc, node, vlm_nr):
    data = body(PROPS_CHANGE, required=False)
    return write(lambda c: c.modify_volume(rsc, node, vlm_nr, data.get("override_props"), data.get("delete_props"),
                                           data.get("delete_namespaces")))
