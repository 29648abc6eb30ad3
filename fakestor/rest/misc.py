"""The remaining node, controller and resource-definition calls: node connections (``rest/v1/NodeConnections.java``),
evacuation, a node's physical storage, sync status, size queries, volume passphrases,
configurations, the database backup and the event streams."""
from flask import Blueprint, request

from linstor import sharedconsts as C

from ..apicallrc import RcEntry, signed64
from ..model.misc_ops import SatelliteOffline
from .common import UNCAUGHT, ListOf, MapOf, Obj, body, controller, json_response, lookup, write
from .wire import misc as wire

bp = Blueprint("misc", __name__)

NODE_CONN_MODIFY = Obj({"override_props": MapOf(str), "delete_props": ListOf(str),
                        "delete_namespaces": ListOf(str)}, "NodeConnectionModify")


# -- node connections ---------------------------------------------------------------------------
@bp.get("/v1/node-connections")
def list_node_connections():
    node_a, node_b = request.args.get("node_a"), request.args.get("node_b")
    return lookup(lambda c: [wire.node_connection(x) for x in c.list_node_connections(node_a, node_b)])


@bp.put("/v1/node-connections/<node_a>/<node_b>")
def modify_node_connection(node_a, node_b):
    # parsed in the resource method itself: a bad body reaches the exception mapper
    data = body(NODE_CONN_MODIFY, **UNCAUGHT)
    return write(lambda c: c.modify_node_connection(node_a, node_b, data.get("override_props"),
                                                    data.get("delete_props"), data.get("delete_namespaces")))


# -- evacuation ---------------------------------------------------------------------------------
@bp.put("/v1/nodes/<node>/evacuate")
def evacuate_node(node):
    # LINSTOR 1.31.3 reads no body here
    return write(lambda c: c.evacuate_node(node))


# -- a node's physical storage ------------------------------------------------------------------
@bp.get("/v1/physical-storage/<node>")
def node_physical_storage(node):
    try:
        return lookup(lambda c: [wire.physical_device(d) for d in c.node_physical_devices(node)])
    except SatelliteOffline:
        # the satellite's PeerNotConnectedException carries no message; the entry (NON_EMPTY) has none
        entry = RcEntry(C.FAIL_UNKNOWN_ERROR, "", report=True)
        controller().call(lambda cluster: [entry])
        return json_response([{"ret_code": signed64(entry.ret_code), "error_report_ids": entry.error_report_ids}], 500)


# -- sync status ------------------------------------------------------------------------------
@bp.get("/v1/resource-definitions/<rsc>/sync-status")
def sync_status(rsc):
    return lookup(lambda c: {"synced_on_all": c.resource_definition_synced(rsc)})
