"""/v1/nodes: nodes and their net interfaces."""
from flask import Blueprint

from ..apicallrc import ApiError
from .common import ListOf, MapOf, Obj, body, json_response, paginate, query_list, rc_response, read, write
from .wire import nodes as wire

bp = Blueprint("nodes", __name__)

NET_INTERFACE = Obj({"name": str, "address": str, "satellite_port": int, "satellite_encryption_type": str,
                     "is_active": bool, "uuid": str})
NODE_CREATE = Obj({"name": str, "type": str, "flags": ListOf(str), "props": MapOf(str),
                   "net_interfaces": ListOf(NET_INTERFACE), "connection_status": str, "uuid": str,
                   "storage_providers": ListOf(str), "resource_layers": ListOf(str),
                   "unsupported_providers": MapOf(ListOf(str)), "unsupported_layers": MapOf(ListOf(str)),
                   "eviction_timestamp": int})
NODE_MODIFY = Obj({"node_type": str, "override_props": MapOf(str), "delete_props": ListOf(str),
                   "delete_namespaces": ListOf(str)})


@bp.get("/v1/nodes")
def list_nodes():
    nodes, props = query_list("nodes"), query_list("props")
    return json_response(paginate(read(lambda c: [wire.node(n) for n in c.list_nodes(nodes, props)])))


@bp.get("/v1/nodes/<node>")
def get_node(node):
    try:
        return json_response(read(lambda c: wire.node(c.get_node(node))))
    except ApiError as err:
        return rc_response(err.entries)


@bp.post("/v1/nodes")
def create_node():
    data = body(NODE_CREATE)
    return write(lambda c: c.create_node(data.get("name"), data.get("type"), data.get("net_interfaces"),
                                         data.get("props")), 201)


@bp.put("/v1/nodes/<node>")
def modify_node(node):
    data = body(NODE_MODIFY, required=False)
    return write(lambda c: c.modify_node(node, data.get("node_type"), data.get("override_props"),
                                         data.get("delete_props"), data.get("delete_namespaces")))


@bp.delete("/v1/nodes/<node>")
def delete_node(node):
    return write(lambda c: c.delete_node(node))


@bp.delete("/v1/nodes/<node>/lost")
def lose_node(node):
    return write(lambda c: c.lose_node(node))


@bp.put("/v1/nodes/<node>/reconnect")
def reconnect_node(node):
    return write(lambda c: c.reconnect_node(node))


@bp.put("/v1/nodes/<node>/restore")
def restore_node(node):
    return write(lambda c: c.restore_node(node))


@bp.get("/v1/nodes/<node>/net-interfaces")
def list_net_interfaces(node):
    try:
        return json_response(read(lambda c: [wire.net_interface(n)
                                             for n in c.get_node(node).net_interfaces.values()]))
    except ApiError as err:
        return rc_response(err.entries)


@bp.get("/v1/nodes/<node>/net-interfaces/<netif>")
def get_net_interface(node, netif):
    try:
        return json_response(read(lambda c: wire.net_interface(c.get_net_interface(node, netif))))
    except ApiError as err:
        return rc_response(err.entries)


@bp.post("/v1/nodes/<node>/net-interfaces")
def create_net_interface(node):
    data = body(NET_INTERFACE)
    return write(lambda c: c.create_net_interface(node, data), 201)


@bp.put("/v1/nodes/<node>/net-interfaces/<netif>")
def modify_net_interface(node, netif):
    data = body(NET_INTERFACE, required=False)
    return write(lambda c: c.modify_net_interface(node, netif, data))


@bp.delete("/v1/nodes/<node>/net-interfaces/<netif>")
def delete_net_interface(node, netif):
    return write(lambda c: c.delete_net_interface(node, netif))
