"""POST /v1/resource-definitions/{rsc}/autoplace and POST /v1/resource-groups/{rg}/spawn."""
from dataclasses import replace

from flask import Blueprint

from ..placement import SelectFilter
from .common import ListOf, Long, MapOf, Obj, body, write
from .resource_groups import SELECT_FILTER, parse_filter

bp = Blueprint("autoplace", __name__)

# v1.31.3's AutoPlaceRequest: no snap_names / copy_all_snaps yet
AUTOPLACE = Obj({"diskless_on_remaining": bool, "select_filter": SELECT_FILTER, "layer_list": ListOf(str)})
SPAWN = Obj({"resource_definition_name": str, "resource_definition_external_name": str,
             "volume_sizes": ListOf(Long), "select_filter": SELECT_FILTER, "partial": bool,
             "definitions_only": bool, "peer_slots": int, "volume_passphrases": ListOf(str),
             "resource_definition_props": MapOf(str)})


@bp.post("/v1/resource-definitions/<rsc>/autoplace")
def autoplace(rsc):
    data = body(AUTOPLACE)
    flt = parse_filter(data.get("select_filter") or {})
    # the REST layer overwrites the filter's diskless_on_remaining (always set) and layer_stack
    layers = parse_filter({"layer_stack": data["layer_list"]}).layer_stack if data.get("layer_list") else None
    flt = replace(flt, diskless_on_remaining=bool(data.get("diskless_on_remaining")), layer_stack=layers)
    return write(lambda c: c.autoplace(rsc, flt), 201)


@bp.post("/v1/resource-groups/<rg>/spawn")
def spawn(rg):
    data = body(SPAWN)
    flt = parse_filter(data.get("select_filter")) if data.get("select_filter") is not None else SelectFilter()
    return write(lambda c: c.spawn_resource_definition(
        rg, data.get("resource_definition_name") or "", data.get("volume_sizes") or [], flt,
        bool(data.get("partial")), bool(data.get("definitions_only")),
        data.get("resource_definition_external_name"), data.get("peer_slots"), data.get("volume_passphrases"),
        data.get("resource_definition_props")), 201)
