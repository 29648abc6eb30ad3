"""/v1/nodes: nodes and their net interfaces (``rest/v1/Nodes.java``)."""
from flask import Blueprint

from linstor import sharedconsts as C

from ..apicallrc import bare_error
from .common import (
    ASYNC,
    SYNC,
    ListOf,
    Long,
    MapOf,
    Obj,
    body,
    lookup,
    paginate,
    query_list,
    write,
)
from .wire import nodes as wire

bp = Blueprint("nodes", __name__)

# request bodies as LINSTOR 1.31.3's JsonGenTypes declares them
NET_INTERFACE = Obj({"name": str, "address": str, "satellite_port": int, "satellite_encryption_type": str,
                     "is_active": bool, "uuid": str}, "NetInterface")
NODE_CREATE = Obj({"name": str, "type": str, "flags": ListOf(str), "props": MapOf(str),
                   "net_interfaces": ListOf(NET_INTERFACE), "connection_status": str, "uuid": str,
                   "storage_providers": ListOf(str), "resource_layers": ListOf(str),
                   "unsupported_providers": MapOf(ListOf(str)), "unsupported_layers": MapOf(ListOf(str)),
                   "eviction_timestamp": Long}, "Node")
NODE_MODIFY = Obj({"node_type": str, "override_props": MapOf(str), "delete_props": ListOf(str),
                   "delete_namespaces": ListOf(str)}, "NodeModify")
NODE_RESTORE = Obj({"delete_resources": bool, "delete_snapshots": bool}, "NodeRestore")



@bp.get("/v1/nodes")
def list_nodes():
    nodes, props = query_list("nodes"), query_list("props")

    def query(c):
        c.check_node_names(nodes)
        return paginate([wire.node(n) for n in c.list_nodes(nodes, props)])

    return lookup(query)


@bp.get("/v1/nodes/<node>")
def get_node(node):
    paginate([])  # the query parameters are parsed (and refused) as on the list
    def query(c):
        c.check_node_names([node])
        found = c.list_nodes([node])
        if not found:
            # RequestHelper#queryRequestResponse: the message alone
            raise bare_error(C.FAIL_NOT_FOUND_NODE, "Node '%s' not found." % node)
        return wire.node(found[0])

    return lookup(query)


@bp.post("/v1/nodes")
def create_node():
    data = body(NODE_CREATE, **ASYNC)
    return write(lambda c: c.create_node(data.get("name"), data.get("type"), data.get("net_interfaces") or [],
                                         data.get("props")), 201)


@bp.put("/v1/nodes/<node>")
def modify_node(node):
    data = body(NODE_MODIFY, **ASYNC)
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
    # the body is optional; without one nothing is deleted
    body(NODE_RESTORE, required=False, **ASYNC)
    return write(lambda c: c.restore_node(node))


@bp.put("/v1/nodes/<node>/evict")
def evict_node(node):
    return write(lambda c: c.evict_node(node))


@bp.get("/v1/nodes/<node>/net-interfaces")
def list_net_interfaces(node):
    return lookup(lambda c: paginate([wire.net_interface(n) for n in c.get_node(node).net_interfaces.values()]))


@bp.get("/v1/nodes/<node>/net-interfaces/<netif>")
def get_net_interface(node, netif):
    return lookup(lambda c: wire.net_interface(c.get_net_interface(node, netif)))


@bp.post("/v1/nodes/<node>/net-interfaces")
def create_net_interface(node):
    data = body(NET_INTERFACE, **SYNC)
    return write(lambda c: c.create_net_interface(node, data), 201)


@bp.put("/v1/nodes/<node>/net-interfaces/<netif>")
def modify_net_interface(node, netif):
    data = body(NET_INTERFACE, **SYNC)
    return write(lambda c: c.modify_net_interface(node, netif, data))


@bp.delete("/v1/nodes/<node>/net-interfaces/<netif>")
def delete_net_interface(node, netif):
    return write(lambda c: c.delete_net_interface(node, netif))
