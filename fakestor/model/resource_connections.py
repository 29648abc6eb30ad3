"""Resource connections (properties between two resources of a definition) and DRBD proxy.

Rules from LINSTOR 1.31.3 (``CtrlRscApiCallHandler#listResourceConnections``,
``CtrlRscConnectionApiCallHandler``, ``CtrlRscConnectionHelper``, ``CtrlDrbdProxy*``):
listing shows every pair of resources, with an empty connection (port 0) where none was
set up; a DRBD proxy takes its port from the same global pool as resource definitions.
"""
from typing import List, Optional

from linstor import sharedconsts as C

from ..apicallrc import Context, RcEntry, bare_error
from . import names, numbers
from . import props as propslib
from .objects import ResourceConnection, ResourceDefinition
from .resource_definitions import rd_ctx

PROXY_FLAG = "LOCAL_DRBD_PROXY"
COMPRESSION_TYPE_KEY = C.NAMESPC_DRBD_PROXY + "/" + C.KEY_DRBD_PROXY_COMPRESSION_TYPE
COMPRESSION_TYPES = ("zlib", "lzma", "lz4", "zstd")


def conn_ctx(op: int, node_a: str, node_b: str, rsc_name: str, description: str = "") -> Context:
    return Context(op, C.MASK_RSC_CONN, {C.KEY_1ST_NODE: node_a, C.KEY_2ND_NODE: node_b, C.KEY_RSC_DFN: rsc_name},
                   description or "Resource connection between nodes %s and %s for resource %s"
                   % (node_a, node_b, rsc_name))


def conn_inline(node_a: str, node_b: str, rsc_name: str) -> str:
    return "resource connection between nodes '%s' and '%s' for resource '%s'" % (node_a, node_b, rsc_name)


def pair_key(node_a: str, node_b: str) -> tuple:
    return tuple(sorted((names.key(node_a), names.key(node_b))))


class ResourceConnectionOps:
    def list_resource_connections(self, rsc_name: str) -> List[ResourceConnection]:
        """Connections set up, plus an empty one for every other pair of resources."""
        rd = self.get_resource_definition(rsc_name)
        out = dict(rd.connections)
        rscs = sorted(rd.resources.values(), key=lambda r: names.key(r.node_name))
        for i, first in enumerate(rscs):
            for second in rscs[i + 1:]:
                key = pair_key(first.node_name, second.node_name)
                if key not in out:
                    out[key] = ResourceConnection(first.node_name, second.node_name, "", port=0)
        return [out[k] for k in sorted(out)]

    def get_resource_connection(self, rsc_name: str, node_a: str, node_b: str) -> ResourceConnection:
        wanted = pair_key(node_a, node_b)
        for conn in self.list_resource_connections(rsc_name):
            if pair_key(conn.node_a, conn.node_b) == wanted:
                return conn
        raise bare_error(C.FAIL_NOT_FOUND_RSC_CONN, "Resource connection between '%s' and '%s' not found."
                         % (node_a, node_b))

    def _load_or_create_connection(self, rd: ResourceDefinition, node_a: str, node_b: str,
                                   ctx: Context) -> ResourceConnection:
        first = self.get_resource(rd.name, node_a, ctx)
        second = self.get_resource(rd.name, node_b, ctx)
        key = pair_key(first.node_name, second.node_name)
        conn = rd.connections.get(key)
        if conn is None:
            ordered = sorted((first.node_name, second.node_name), key=names.key)
            conn = ResourceConnection(ordered[0], ordered[1], self.ids.uuid())
        return conn

    def modify_resource_connection(self, rsc_name: str, node_a: str, node_b: str, override=None, delete=None,
                                   delete_namespaces=None) -> List[RcEntry]:
        ctx = conn_ctx(C.MASK_MOD, node_a, node_b, rsc_name)
        rd = self.get_resource_definition(rsc_name, ctx)
        conn = self._load_or_create_connection(rd, node_a, node_b, ctx)
        conn.props = propslib.apply_changes(conn.props, "resource-connection", ctx, override, delete,
                                            delete_namespaces)
        rd.connections[pair_key(conn.node_a, conn.node_b)] = conn
        desc = conn_inline(conn.node_a, conn.node_b, rd.name)
        desc = desc[0].upper() + desc[1:]
        return [ctx.entry(C.MODIFIED, "%s modified." % desc, details="%s UUID is: %s" % (desc, conn.uuid),
                          refs={"UUID": conn.uuid})]

    # -- DRBD proxy -------------------------------------------------------------------------
    def enable_drbd_proxy(self, rsc_name: str, node_a: str, node_b: str, port: Optional[int] = None
                          ) -> List[RcEntry]:
        ctx = conn_ctx(C.MASK_MOD, node_a, node_b, rsc_name,
                       "DRBD Proxy on " + conn_inline(node_a, node_b, rsc_name))
        rd = self.get_resource_definition(rsc_name, ctx)
        conn = self._load_or_create_connection(rd, node_a, node_b, ctx)
        if port is not None:
            taken = port != conn.port and port in self.used_tcp_ports()
            if not numbers.in_limits(port, numbers.TCP_PORT_LIMITS) or taken:
                raise ctx.error(C.FAIL_INVLD_RSC_PORT, "The specified TCP port '%s' is invalid." % port, report=True)
            new_port = port
        elif conn.port:
            new_port = conn.port
        else:
            new_port = self.lowest_free_number("ports", self._tcp_port_range())
            if new_port is None:
                raise ctx.error(C.FAIL_POOL_EXHAUSTED_TCP_PORT, "Could not find free TCP port", report=True)
        conn.port = new_port
        self._touch_rd(rsc_name)
        if PROXY_FLAG not in conn.flags:
            conn.flags.append(PROXY_FLAG)
        conn.props[C.NAMESPC_DRBD_NET_OPTIONS + "/protocol"] = "A"
        rd.connections[pair_key(conn.node_a, conn.node_b)] = conn
        entries = [ctx.entry(C.MODIFIED, "DRBD Proxy enabled on " + conn_inline(conn.node_a, conn.node_b, rd.name))]
        entries += [ctx.entry(C.MODIFIED, "Notified '%s' of proxy connection for '%s'" % (r.node_name, rd.name))
                    for _, r in sorted(rd.resources.items())]
        return entries

    def disable_drbd_proxy(self, rsc_name: str, node_a: str, node_b: str) -> List[RcEntry]:
        ctx = conn_ctx(C.MASK_MOD, node_a, node_b, rsc_name,
                       "DRBD Proxy on " + conn_inline(node_a, node_b, rsc_name))
        rd = self.get_resource_definition(rsc_name, ctx)
        first = self.get_resource(rd.name, node_a, ctx)
        second = self.get_resource(rd.name, node_b, ctx)
        conn = rd.connections.get(pair_key(first.node_name, second.node_name))
        if conn is None:
            raise ctx.error(C.FAIL_NOT_FOUND_RSC_CONN, "Resource connection between node '%s' and '%s' not found "
                                                       "for resource '%s'." % (node_a, node_b, rsc_name))
        conn.props[C.NAMESPC_DRBD_PROXY + "/" + C.KEY_DRBD_PROXY_AUTO_ENABLE] = C.VAL_FALSE
        conn.flags = [f for f in conn.flags if f != PROXY_FLAG]
        conn.port = None
        self._touch_rd(rsc_name)
        entries = [ctx.entry(C.MODIFIED, "DRBD Proxy disabled on " + conn_inline(conn.node_a, conn.node_b, rd.name))]
        entries += [ctx.entry(C.MODIFIED, "Notified '%s' of removed proxy connection for '%s'"
                              % (r.node_name, rd.name))
                    for _, r in sorted(rd.resources.items())]
        return entries

    def modify_drbd_proxy(self, rsc_name: str, override=None, delete=None, compression_type: Optional[str] = None,
                          compression_props=None) -> List[RcEntry]:
        ctx = rd_ctx(C.MASK_MOD, rsc_name)
        rd = self.get_resource_definition(rsc_name, ctx)
        entries: List[RcEntry] = []
        new_props = propslib.apply_changes(rd.props, "drbd-proxy", ctx, override)
        for key in delete or []:
            if new_props.pop(propslib.sanitize_key(key) or key, None) is None:
                entries.append(ctx.entry(C.WARN_DEL_UNSET_PROP, "Could not delete property '%s' as it did not "
                                                                "exist. This operation had no effect." % key))
        if compression_type is not None:
            prefix = C.NAMESPC_DRBD_PROXY_COMPRESSION_OPTIONS + "/"
            new_props = {k: v for k, v in new_props.items() if not k.startswith(prefix)}
            if compression_type == C.VAL_DRBD_PROXY_COMPRESSION_NONE:
                new_props.pop(COMPRESSION_TYPE_KEY, None)
            elif compression_type in COMPRESSION_TYPES:
                new_props[COMPRESSION_TYPE_KEY] = compression_type
                new_props = propslib.apply_changes(new_props, "drbd-proxy-" + compression_type, ctx,
                                                   compression_props)
            else:
                raise ctx.error(C.FAIL_INVLD_DRBD_PROXY_COMPRESSION_TYPE,
                                "Unknown compression type '%s'" % compression_type, report=True)
        rd.props = new_props
        desc = "Proxy options for resource definition '%s'" % rd.name
        entries.append(ctx.entry(C.MODIFIED, "%s modified." % desc, details="%s UUID is: %s" % (desc, rd.uuid),
                                 refs={"UUID": rd.uuid}))
        return entries
