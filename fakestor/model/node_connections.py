"""Node connections: properties between two nodes (``CtrlNodeConnectionApiCallHandler``,
``CtrlNodeConnectionHelper`` of LINSTOR 1.31.3).

A connection comes into being with the first modify that sets a property and goes away again
when a modify leaves it without properties, so every stored connection has properties.
Its keys are checked against the same drbdsetup option namespaces as a resource connection's
(linstor-common generates both from ``peer-device-options`` and ``new-peer``); ``Paths/``
keys name a net interface of one of the two nodes.
"""
import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from linstor import sharedconsts as C

from ..apicallrc import ApiError, Context, RcEntry
from . import names
from . import props as propslib
from .nodes import node_not_found
from .objects import Node

PATHS_PREFIX = C.NAMESPC_CONNECTION_PATHS + "/"
_PATH_KEY = re.compile(r"^" + re.escape(C.NAMESPC_CONNECTION_PATHS) + r"/(?P<path>[^/]+)/(?P<node>[^/]+)$")
# node and resource connections share their whitelist (linstor-common's gendrbdoptions)
PROPS_KIND = "resource-connection"


@dataclass
class NodeConnection:
    source: str  # display names; the source is the smaller node name (``NodeConnection#get``)
    target: str
    uuid: str
    props: Dict[str, str] = field(default_factory=dict)


def describe(node_a: str, node_b: str) -> str:
    return "Node connection between nodes '%s' and '%s'" % (node_a, node_b)


def describe_inline(node_a: str, node_b: str) -> str:
    return "node connection between nodes '%s' and '%s'" % (node_a, node_b)


def conn_ctx(op: int, node_a: str, node_b: str) -> Context:
    return Context(op, C.MASK_NODE_CONN, {C.KEY_1ST_NODE: node_a, C.KEY_2ND_NODE: node_b}, describe(node_a, node_b))


def pair_key(node_a: str, node_b: str) -> Tuple[str, str]:
    first, second = names.key(node_a), names.key(node_b)
    return (first, second) if first <= second else (second, first)


def wire_pair(local: str, other: str) -> Tuple[str, str]:
    """``Json#apiToNodeConnection``: the smaller display name (Java ``String#compareTo``) is node_a."""
    return (local, other) if local < other else (other, local)


class NodeConnectionOps:
    def _init_state(self) -> None:
        self.node_connections: Dict[Tuple[str, str], NodeConnection] = {}

    def _drop_node_objects(self, node: Node) -> None:
        node_key = names.key(node.name)
        self.node_connections = {k: c for k, c in self.node_connections.items() if node_key not in k}
        super()._drop_node_objects(node)

    # -- GET /v1/node-connections ---------------------------------------------------------
    def list_node_connections(self, node_a: Optional[str] = None, node_b: Optional[str] = None
                              ) -> List[Tuple[str, str, Dict[str, str]]]:
        """(node_a, node_b, props) as the list answers: every connection (they all have
        properties), those of one node, or the one pair (empty when none was set up)."""
        if node_a is not None and node_b is not None:
            first = self._load_node(node_a)
            second = self._load_node(node_b)
            conn = self.node_connections.get(pair_key(first.name, second.name))
            if conn is None:
                # the controller answers with the first name as it was given
                return [wire_pair(node_a, second.name) + ({},)]
            return [wire_pair(conn.source, conn.target) + (dict(conn.props),)]
        if node_a is None and node_b is None:
            conns = list(self.node_connections.values())
        else:
            node_key = names.key(self._load_node(node_a if node_a is not None else node_b).name)
            conns = [c for k, c in self.node_connections.items() if node_key in k]
        # a TreeSet ordered by source, then target name
        conns.sort(key=lambda c: (c.source, c.target))
        return [wire_pair(c.source, c.target) + (dict(c.props),) for c in conns]

    def _load_node(self, name: str, ctx: Optional[Context] = None, fail_if_missing: bool = True) -> Optional[Node]:
        """``CtrlApiDataLoader#loadNode``: the name is parsed first."""
        if ctx is None:
            self.check_node_names([name])
        else:
            self._check_node_name(name, ctx)
        node = self.nodes.get(names.key(name))
        if node is None and fail_if_missing:
            raise node_not_found(name, ctx)
        return node

    # -- PUT /v1/node-connections/{node_a}/{node_b} ---------------------------------------
    def modify_node_connection(self, node_a: str, node_b: str, override: Optional[Dict[str, str]] = None,
                               delete: Optional[List[str]] = None,
                               delete_namespaces: Optional[List[str]] = None) -> List[RcEntry]:
        ctx = conn_ctx(C.MASK_MOD, node_a, node_b)
        override = override or {}
        delete = list(dict.fromkeys(delete or []))
        first = self._load_node(node_a, ctx, fail_if_missing=False)
        second = self._load_node(node_b, ctx, fail_if_missing=False)
        conn = None
        if first is not None and second is not None:
            conn = self.node_connections.get(pair_key(first.name, second.name))
        if conn is None and override:
            if first is None or second is None:
                # the controller creates the connection with the missing node and fails on it
                missing = "node1" if first is None else "node2"
                raise ApiError(ctx.entry(
                    C.FAIL_UNKNOWN_ERROR,
                    "Modification of %s failed due to an unhandled exception of type NullPointerException. "
                    "Cannot invoke \"com.linbit.linstor.core.objects.Node.getObjProt()\" because \"%s\" is null"
                    % (describe_inline(node_a, node_b), missing), details=ctx.description, report=True))
            source, target = sorted((first, second), key=lambda n: names.key(n.name))
            conn = NodeConnection(source.name, target.name, self.ids.uuid())
        if conn is None:
            return [ctx.entry(C.WARN_NOT_FOUND, "%s does not exist" % describe(node_a, node_b))]
        self._check_paths(conn, node_a, node_b, override, ctx)
        new_props = propslib.apply_changes(conn.props, PROPS_KIND, ctx, override, delete, delete_namespaces,
                                           self.version, ignored=[PATHS_PREFIX])
        entries = propslib.change_entries(C.MASK_NODE_CONN, override, delete)
        for entry in entries:
            entry.obj_refs.update(ctx.refs)
        inline = describe_inline(node_a, node_b)
        caps = inline[0].upper() + inline[1:]
        entries.append(ctx.entry(C.MODIFIED, "%s modified." % caps, details="%s UUID is: %s" % (caps, conn.uuid),
                                 refs={C.KEY_UUID: conn.uuid}))
        key = pair_key(conn.source, conn.target)
        if new_props:
            conn.props = new_props
            self.node_connections[key] = conn
        else:
            # an empty connection is cleaned up right after the modify
            self.node_connections.pop(key, None)
        # the controller tells each node of the other; each connected satellite answers
        for node in (self.nodes[key[1]], self.nodes[key[0]]):
            if node.connection_status == "ONLINE":
                entries.append(ctx.entry(C.MODIFIED, "(%s) Node changes applied." % node.name))
        return entries

    def _check_paths(self, conn: NodeConnection, node_a: str, node_b: str, override: Dict[str, str],
                     ctx: Context) -> None:
        for key, value in override.items():
            match = _PATH_KEY.match(key) if isinstance(key, str) else None
            if match is not None:
                path_node = match.group("node")
                # compared with the names as given in the path, case and all
                if path_node not in (node_a, node_b):
                    raise ctx.error(C.FAIL_INVLD_PROP, "Connection path node unknown.",
                                    cause="The node name '%s' is unknown." % path_node, report=True)
                node = self.nodes[names.key(path_node)]
                try:
                    names.check_net_interface_name(value)
                except (names.InvalidName, TypeError) as err:
                    raise ApiError(ctx.entry(
                        C.FAIL_UNKNOWN_ERROR,
                        "Modification of %s failed due to an unhandled exception of type InvalidNameException. %s"
                        % (describe_inline(node_a, node_b), err), details=ctx.description, report=True))
                if names.key(value) not in node.net_interfaces:
                    raise ctx.error(C.FAIL_INVLD_PROP, "NetInterface for node unknown.",
                                    cause="The Netinterface '%s' is not known for node '%s'" % (value, path_node),
                                    report=True)
            elif isinstance(key, str) and key.startswith(PATHS_PREFIX):
                raise ctx.error(C.FAIL_INVLD_PROP, "Connection path property invalid.",
                                cause="The key '%s=%s' is invalid." % (key, value), report=True)
