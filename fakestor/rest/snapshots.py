"""Snapshots: /v1/resource-definitions/{r}/snapshots..., rollback, restore, snapshot shipping,
/v1/actions/snapshot/multi, /v1/view/snapshots and /v1/view/snapshot-shippings."""
from flask import Blueprint
from werkzeug.exceptions import NotFound

from ..apicallrc import ApiError
from .common import (
    Any,
    ListOf,
    MapOf,
    Obj,
    body,
    controller,
    json_response,
    paginate,
    query_list,
    rc_response,
    read,
    write,
)
from .wire import snapshots as wire

bp = Blueprint("snapshots", __name__)

SNAPSHOT = Obj({"name": str, "resource_name": str, "nodes": ListOf(str), "props": MapOf(str),
                "snapshot_definition_props": MapOf(str), "resource_definition_props": MapOf(str),
                "flags": ListOf(str), "volume_definitions": ListOf(Any), "uuid": str, "snapshots": ListOf(Any)})
MULTI = Obj({"snapshots": ListOf(SNAPSHOT)})
RESTORE = Obj({"to_resource": str, "nodes": ListOf(str), "stor_pool_rename": MapOf(str)})
SHIPPING = Obj({"from_node": str, "from_nic": str, "to_node": str, "to_nic": str})

RD = "/v1/resource-definitions/<rsc>"


def _split() -> bool:
    return controller().version.has("snapshot_split_props")


def _answer(query):
    try:
        return json_response(read(query))
    except ApiError as err:
        return rc_response(err.entries)


def _require_shipping() -> None:
    # releases from 1.32 on do not know the snapshot-shipping paths at all
    if not controller().version.has("snapshot_shipping"):
        raise NotFound()


# -- views ----------------------------------------------------------------------------------------
@bp.get("/v1/view/snapshots")
def view_snapshots():
    nodes, resources, split = query_list("nodes"), query_list("resources"), _split()
    return json_response(paginate(read(lambda c: [wire.snapshot(sd, split)
                                                  for sd in c.list_snapshots(nodes, resources)])))


@bp.get("/v1/view/snapshot-shippings")
def view_snapshot_shippings():
    _require_shipping()
    nodes, resources = query_list("nodes"), query_list("resources")
    snapshots, status, split = query_list("snapshots"), query_list("status"), _split()
    return json_response(paginate(read(lambda c: [
        wire.shipping(ship, sd, state, split)
        for ship, sd, state in c.list_snapshot_shippings(nodes, resources, snapshots, status)])))


# -- per resource definition ----------------------------------------------------------------------
@bp.get(RD + "/snapshots")
def list_snapshots(rsc):
    split = _split()

    def query(c):
        rd = c.get_resource_definition(rsc)
        return paginate([wire.snapshot(sd, split) for sd in c.list_snapshots(resources=[rd.name])])
    return _answer(query)


@bp.get(RD + "/snapshots/<snap>")
def get_snapshot(rsc, snap):
    split = _split()
    return _answer(lambda c: wire.snapshot(c.get_snapshot_definition(rsc, snap), split))


@bp.post(RD + "/snapshots")
def create_snapshot(rsc):
    # v1.31.3 parses snapshot_definition_props but ignores them (applied from v1.32.0 on)
    data = body(SNAPSHOT)
    return write(lambda c: c.create_snapshot(rsc, data.get("name") or "", data.get("nodes")), 201)


@bp.post("/v1/actions/snapshot/multi")
def create_multi_snapshot():
    data = body(MULTI)
    items = [{"name": s.get("name"), "resource_name": s.get("resource_name"), "nodes": s.get("nodes")}
             for s in data.get("snapshots") or []]
    return write(lambda c: c.create_snapshots_multi(items), 201)


@bp.delete(RD + "/snapshots/<snap>")
def delete_snapshot(rsc, snap):
    nodes = query_list("nodes")
    return write(lambda c: c.delete_snapshot(rsc, snap, nodes))


@bp.post(RD + "/snapshot-rollback/<snap>")
def rollback_snapshot(rsc, snap):
    # v1.31.3 takes no body here: whatever is sent is ignored
    return write(lambda c: c.rollback_snapshot(rsc, snap))


@bp.post(RD + "/snapshot-restore-resource/<snap>")
def restore_snapshot(rsc, snap):
    data = body(RESTORE)
    return write(lambda c: c.restore_snapshot_resources(rsc, snap, data.get("to_resource") or "", data.get("nodes"),
                                                        data.get("stor_pool_rename")))


@bp.post(RD + "/snapshot-restore-volume-definition/<snap>")
def restore_volume_definitions(rsc, snap):
    data = body(RESTORE)
    return write(lambda c: c.restore_snapshot_volume_definitions(rsc, snap, data.get("to_resource") or ""))


@bp.post(RD + "/snapshot-shipping")
def ship_snapshot(rsc):
    _require_shipping()
    data = body(SHIPPING)
    return write(lambda c: c.ship_snapshot(rsc, data.get("from_node") or "", data.get("to_node") or "",
                                           data.get("from_nic"), data.get("to_nic")))
