"""Resource groups, volume groups and query-max-volume-size."""
from flask import Blueprint

from ..apicallrc import ApiError, bare_error
from ..placement import PlacementError, SelectFilter
from .common import ListOf, MapOf, Obj, body, json_response, paginate, query_list, rc_response, read, write
from .wire import groups as wire

bp = Blueprint("resource_groups", __name__)

# v1.31.3's AutoSelectFilter (no port_count)
SELECT_FILTER = Obj({
    "place_count": int, "additional_place_count": int, "node_name_list": ListOf(str), "storage_pool": str,
    "storage_pool_list": ListOf(str), "storage_pool_diskless_list": ListOf(str), "not_place_with_rsc": ListOf(str),
    "not_place_with_rsc_regex": str, "replicas_on_same": ListOf(str), "replicas_on_different": ListOf(str),
    "x_replicas_on_different_map": MapOf(int), "layer_stack": ListOf(str), "provider_list": ListOf(str),
    "diskless_on_remaining": bool, "diskless_type": str, "overprovision": float,
})
RG_CREATE = Obj({"name": str, "description": str, "props": MapOf(str), "select_filter": SELECT_FILTER,
                 "uuid": str, "peer_slots": int})
RG_MODIFY = Obj({"description": str, "override_props": MapOf(str), "delete_props": ListOf(str),
                 "delete_namespaces": ListOf(str), "select_filter": SELECT_FILTER, "peer_slots": int})
RG_ADJUST = Obj({"select_filter": SELECT_FILTER})
VG_CREATE = Obj({"volume_number": int, "props": MapOf(str), "uuid": str, "flags": ListOf(str)})
VG_MODIFY = Obj({"override_props": MapOf(str), "flags": ListOf(str), "delete_props": ListOf(str),
                 "delete_namespaces": ListOf(str)})


def parse_filter(data):
    """A body's select filter as the controller's REST layer reads it; bad provider or layer
    names are refused before any change."""
    if data is None:
        return None
    try:
        return SelectFilter.from_json(data)
    except PlacementError as err:
        raise bare_error(err.code, err.message, report=True)


def _answer(query, status_ok=200):
    try:
        return json_response(read(query), status_ok)
    except ApiError as err:
        return rc_response(err.entries)


@bp.get("/v1/resource-groups")
def list_resource_groups():
    groups, props = query_list("resource_groups"), query_list("props")
    return _answer(lambda c: paginate([wire.resource_group(g) for g in c.list_resource_groups(groups, props)]))


@bp.get("/v1/resource-groups/<rg>")
def get_resource_group(rg):
    return _answer(lambda c: wire.resource_group(c.get_resource_group(rg)))


@bp.post("/v1/resource-groups")
def create_resource_group():
    data = body(RG_CREATE, status=500)
    flt = parse_filter(data.get("select_filter"))
    # the controller's REST create passes neither props nor volume groups on
    return write(lambda c: c.create_resource_group(data.get("name", ""), data.get("description"), flt,
                                                   peer_slots=data.get("peer_slots")), 201)


@bp.put("/v1/resource-groups/<rg>")
def modify_resource_group(rg):
    data = body(RG_MODIFY)
    flt = parse_filter(data.get("select_filter"))
    return write(lambda c: c.modify_resource_group(
        rg, data.get("description"), data.get("override_props"), data.get("delete_props"),
        data.get("delete_namespaces"), flt, data.get("peer_slots")))


@bp.delete("/v1/resource-groups/<rg>")
def delete_resource_group(rg):
    return write(lambda c: c.delete_resource_group(rg))


@bp.post("/v1/resource-groups/<rg>/adjust")
def adjust_resource_group(rg):
    data = body(RG_ADJUST, required=False)
    flt = parse_filter(data.get("select_filter"))
    return write(lambda c: c.adjust_resource_group(rg, flt))


@bp.post("/v1/resource-groups/adjustall")
def adjust_all_resource_groups():
    data = body(RG_ADJUST, required=False)
    flt = parse_filter(data.get("select_filter"))
    return write(lambda c: c.adjust_all_resource_groups(flt))


@bp.get("/v1/resource-groups/<rg>/volume-groups")
def list_volume_groups(rg):
    return _answer(lambda c: paginate([wire.volume_group(v) for v in c.list_volume_groups(rg)]))


@bp.get("/v1/resource-groups/<rg>/volume-groups/<int:number>")
def get_volume_group(rg, number):
    return _answer(lambda c: wire.volume_group(c.get_volume_group(rg, number)))


@bp.post("/v1/resource-groups/<rg>/volume-groups")
def create_volume_group(rg):
    data = body(VG_CREATE, required=False)
    return write(lambda c: c.create_volume_group(rg, data.get("volume_number"), data.get("props"),
                                                 data.get("flags")), 201)


@bp.put("/v1/resource-groups/<rg>/volume-groups/<int:number>")
def modify_volume_group(rg, number):
    data = body(VG_MODIFY)
    return write(lambda c: c.modify_volume_group(rg, number, data.get("override_props"), data.get("delete_props"),
                                                 data.get("delete_namespaces"), data.get("flags")))


@bp.delete("/v1/resource-groups/<rg>/volume-groups/<int:number>")
def delete_volume_group(rg, number):
    return write(lambda c: c.delete_volume_group(rg, number))


@bp.get("/v1/resource-groups/<rg>/query-max-volume-size")
def query_max_volume_size_of_group(rg):
    return _answer(lambda c: wire.max_volume_sizes(c.query_max_volume_size_of_group(rg)))


@bp.route("/v1/query-max-volume-size", methods=["OPTIONS"], provide_automatic_options=False)
def query_max_volume_size():
    data = body(SELECT_FILTER, required=False)
    flt = parse_filter(data) if data else SelectFilter.from_json({})
    return _answer(lambda c: wire.max_volume_sizes(c.query_max_volume_size(flt)))

