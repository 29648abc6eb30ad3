"""Nodes and their network interfaces."""
import ipaddress
from typing import Dict, List, Optional

from linstor import sharedconsts as C

from ..apicallrc import ApiError, Context, RcEntry, bare_error
from . import names
from . import props as propslib
from .objects import NetInterface, Node, StoragePool

NODE_TYPES = ("CONTROLLER", "SATELLITE", "COMBINED", "AUXILIARY", "REMOTE_SPDK", "EBS_TARGET")
# node types that run a satellite and get the default diskless pool
SATELLITE_TYPES = ("SATELLITE", "COMBINED")
DFLT_DISKLESS_POOL = "DfltDisklessStorPool"
DFLT_STLT_PORT = {"PLAIN": C.DFLT_STLT_PORT_PLAIN, "SSL": C.DFLT_STLT_PORT_SSL}
# what a Linux satellite with LVM, ZFS and a file system reports as supported
PROVIDERS = ["DISKLESS", "LVM", "LVM_THIN", "ZFS", "ZFS_THIN", "FILE", "FILE_THIN"]
LAYERS = ["DRBD", "LUKS", "NVME", "WRITECACHE", "CACHE", "BCACHE", "STORAGE"]


def node_ctx(op: int, name: str) -> Context:
    return Context(op, C.MASK_NODE, {"Node": name}, "Node: %s" % name)


def node_not_found(name: str, ctx: Optional[Context] = None) -> ApiError:
    msg = "Node '%s' not found." % name
    cause = "The specified node '%s' could not be found in the database" % name
    correction = "Create a node with the name '%s' first." % name
    if ctx is None:
        return bare_error(C.FAIL_NOT_FOUND_NODE, msg, cause=cause, correction=correction)
    return ctx.error(C.FAIL_NOT_FOUND_NODE, msg, cause=cause, correction=correction)


class NodeOps:
    def _init_state(self) -> None:
        self.nodes: Dict[str, Node] = {}

    # -- lookups ---------------------------------------------------------------------------
    def get_node(self, name: str, ctx: Optional[Context] = None) -> Node:
        node = self.nodes.get(names.key(name))
        if node is None:
            raise node_not_found(name, ctx)
        return node

    def list_nodes(self, nodes: Optional[List[str]] = None, props: Optional[List[str]] = None) -> List[Node]:
        wanted = {names.key(n) for n in nodes} if nodes else None
        return [n for k, n in sorted(self.nodes.items())
                if (wanted is None or k in wanted) and (not props or propslib.matches_filter(n.props, props))]

    # -- checks ------------------------------------------------------------------------------
    def _check_node_name(self, name, ctx: Context) -> str:
        try:
            return names.check_node_name(name)
        except names.InvalidName as err:
            raise ctx.error(C.FAIL_INVLD_NODE_NAME, "The given node name '%s' is invalid." % name,
                            cause=str(err), report=True)

    def _make_net_interface(self, node_name: str, data: dict, ctx: Context) -> NetInterface:
        nic_name = data.get("name") or C.DEFAULT_NETIF
        try:
            names.check_net_interface_name(nic_name)
        except names.InvalidName as err:
            raise ctx.error(C.FAIL_INVLD_NET_NAME, "The specified net interface name '%s' is invalid." % nic_name,
                            cause=str(err), report=True)
        address = data.get("address")
        try:
            ipaddress.ip_address(address)
        except (TypeError, ValueError):
            raise ctx.error(C.FAIL_INVLD_NET_ADDR, "Failed to parse IP address",
                            cause="The address '%s' is not a valid IPv4 or IPv6 address." % address, report=True)
        port = data.get("satellite_port")
        enc = data.get("satellite_encryption_type")
        if port is not None or enc is not None:
            enc = (enc or "PLAIN").upper()
            if enc not in DFLT_STLT_PORT:
                raise ctx.error(C.FAIL_INVLD_NET_TYPE, "The given encryption type '%s' is invalid." % enc,
                                correction="Use PLAIN or SSL.", report=True)
            if port is None:
                port = DFLT_STLT_PORT[enc]
            if names.parse_int(port, 1, 65535) is None:
                raise ctx.error(C.FAIL_INVLD_NET_PORT, "The given port '%s' is invalid." % port, report=True)
        return NetInterface(nic_name, address, self.ids.uuid(), port, enc, bool(data.get("is_active", False)))

    # -- operations -------------------------------------------------------------------------
    def create_node(self, name: str, node_type: Optional[str] = None, net_interfaces=None,
                    props: Optional[Dict[str, str]] = None) -> List[RcEntry]:
        ctx = node_ctx(C.MASK_CRT, name)
        self._check_node_name(name, ctx)
        type_name = (node_type or "SATELLITE").upper()
        if type_name not in NODE_TYPES:
            raise ctx.error(C.FAIL_INVLD_NODE_TYPE, "The specified node type '%s' is invalid." % node_type,
                            correction="Valid node types are:\nCONTROLLER\nSATELLITE\nCOMBINED\nAUXILIARY\n",
                            report=True)
        if names.key(name) in self.nodes:
            raise ctx.error(C.FAIL_EXISTS_NODE, "Registration of node '%s' failed." % name,
                            cause="A node with the specified name '%s' already exists." % name)
        if not net_interfaces:
            raise ctx.error(C.FAIL_MISSING_NETCOM, "Registration of node '%s' failed." % name,
                            cause="No network interfaces were given.",
                            correction="At least one network interface has to be given and be marked to be used "
                                       "for controller-satellite communitaction.")
        nics = {}
        for data in net_interfaces:
            nic = self._make_net_interface(name, data, ctx)
            if names.key(nic.name) in nics:
                raise ctx.error(C.FAIL_EXISTS_NET_IF, "Net interface '%s' on node '%s' already exists."
                                % (nic.name, name))
            nics[names.key(nic.name)] = nic
        if type_name in SATELLITE_TYPES and not any(n.satellite_port for n in nics.values()):
            raise ctx.error(C.FAIL_NO_STLT_CONN_DEFINED, "No satellite connection defined for node '%s'" % name)
        new_props = propslib.apply_changes({}, "node", ctx, props)
        uuid = self.ids.uuid()
        node = Node(name=name, type=type_name, uuid=uuid, props=new_props, net_interfaces=nics)
        if type_name in SATELLITE_TYPES:
            node.storage_pools[names.key(DFLT_DISKLESS_POOL)] = StoragePool(
                DFLT_DISKLESS_POOL, name, "DISKLESS", self.ids.uuid())
        self.nodes[names.key(name)] = node
        self._ensure_pool_definition(DFLT_DISKLESS_POOL)
        return [ctx.entry(C.CREATED, "New node '%s' registered." % name, details="Node '%s' UUID is: %s"
                          % (name, uuid), refs={"UUID": uuid})]

    def modify_node(self, name: str, node_type: Optional[str] = None, override=None, delete=None,
                    delete_namespaces=None) -> List[RcEntry]:
        ctx = node_ctx(C.MASK_MOD, name)
        node = self.get_node(name, ctx)
        type_name = node.type
        if node_type is not None:
            type_name = node_type.upper()
            if type_name not in NODE_TYPES:
                raise ctx.error(C.FAIL_INVLD_NODE_TYPE, "The specified node type '%s' is invalid." % node_type,
                                report=True)
        new_props = propslib.apply_changes(node.props, "node", ctx, override, delete, delete_namespaces)
        node.type = type_name
        node.props = new_props
        return [ctx.entry(C.MODIFIED, "Node '%s' modified." % node.name,
                          details="Node '%s' UUID is: %s" % (node.name, node.uuid), refs={"UUID": node.uuid})]

    def delete_node(self, name: str) -> List[RcEntry]:
        ctx = node_ctx(C.MASK_DEL, name)
        node = self.nodes.get(names.key(name))
        if node is None:
            return [ctx.entry(C.WARN_NOT_FOUND, "Deletion of node '%s' had no effect." % name,
                              cause="Node '%s' does not exist." % name)]
        self._check_node_deletable(node, ctx)
        return self._remove_node(node, ctx, "Node '%s' deleted." % node.name)

    def lose_node(self, name: str) -> List[RcEntry]:
        """``node lost``: the node is gone for good; everything it held goes with it."""
        ctx = node_ctx(C.MASK_DEL, name)
        node = self.get_node(name, ctx)
        return self._remove_node(node, ctx, "Node '%s' deleted." % node.name)

    def _check_node_deletable(self, node: Node, ctx: Context) -> None:
        """Refuses a delete the controller refuses; areas with objects on nodes extend this."""

    def _remove_node(self, node: Node, ctx: Context, message: str) -> List[RcEntry]:
        self._drop_node_objects(node)
        del self.nodes[names.key(node.name)]
        return [ctx.entry(C.DELETED, message, details="Node '%s' UUID was: %s" % (node.name, node.uuid),
                          refs={"UUID": node.uuid})]

    def _drop_node_objects(self, node: Node) -> None:
        """Removes what lives on a node that goes away; areas with objects on nodes extend this."""

    def reconnect_node(self, name: str) -> List[RcEntry]:
        ctx = node_ctx(C.MASK_MOD, name)
        node = self.get_node(name, ctx)
        if node.type in SATELLITE_TYPES:
            node.connection_status = "ONLINE"
        return [ctx.entry(C.MODIFIED, "Node '%s' reconnected." % node.name)]

    def restore_node(self, name: str) -> List[RcEntry]:
        ctx = node_ctx(C.MASK_MOD, name)
        node = self.get_node(name, ctx)
        if "EVICTED" not in node.flags and "EVACUATE" not in node.flags:
            return [ctx.entry(C.WARN_NOT_FOUND, "Node '%s' is not evicted." % node.name)]
        node.flags = [f for f in node.flags if f not in ("EVICTED", "EVACUATE", "DELETE")]
        node.eviction_timestamp = None
        node.connection_status = "ONLINE"
        return [ctx.entry(C.MODIFIED, "Node '%s' restored." % node.name)]

    # -- net interfaces ---------------------------------------------------------------------
    def _netif_ctx(self, op: int, node_name: str, nic_name: str) -> Context:
        return Context(op, C.MASK_NET_IF, {"Node": node_name, "NetIf": nic_name},
                       "Node: %s, NetInterface: %s" % (node_name, nic_name))

    def create_net_interface(self, node_name: str, data: dict) -> List[RcEntry]:
        nic_name = data.get("name") or ""
        ctx = self._netif_ctx(C.MASK_CRT, node_name, nic_name)
        node = self.get_node(node_name, ctx)
        nic = self._make_net_interface(node_name, data, ctx)
        if names.key(nic.name) in node.net_interfaces:
            raise ctx.error(C.FAIL_EXISTS_NET_IF, "Net interface '%s' on node '%s' already exists."
                            % (nic.name, node.name))
        node.net_interfaces[names.key(nic.name)] = nic
        return [ctx.entry(C.CREATED, "New netInterface '%s' on node '%s' created." % (nic.name, node.name),
                          details="NetInterface '%s' on node '%s' UUID is: %s" % (nic.name, node.name, nic.uuid),
                          refs={"UUID": nic.uuid})]

    def get_net_interface(self, node_name: str, nic_name: str, ctx: Optional[Context] = None) -> NetInterface:
        node = self.get_node(node_name, ctx)
        nic = node.net_interfaces.get(names.key(nic_name))
        if nic is None:
            msg = "Netinterface '%s' on node '%s' not found." % (nic_name, node_name)
            raise ctx.error(C.FAIL_NOT_FOUND_NET_IF, msg) if ctx else bare_error(C.FAIL_NOT_FOUND_NET_IF, msg)
        return nic

    def modify_net_interface(self, node_name: str, nic_name: str, data: dict) -> List[RcEntry]:
        ctx = self._netif_ctx(C.MASK_MOD, node_name, nic_name)
        nic = self.get_net_interface(node_name, nic_name, ctx)
        merged = {"name": nic.name, "address": data.get("address") or nic.address,
                  "satellite_port": data.get("satellite_port", nic.satellite_port),
                  "satellite_encryption_type": data.get("satellite_encryption_type", nic.satellite_encryption_type),
                  "is_active": data.get("is_active", nic.is_active)}
        updated = self._make_net_interface(node_name, merged, ctx)
        nic.address, nic.satellite_port = updated.address, updated.satellite_port
        nic.satellite_encryption_type, nic.is_active = updated.satellite_encryption_type, updated.is_active
        return [ctx.entry(C.MODIFIED, "NetInterface '%s' on node '%s' modified." % (nic.name, node_name),
                          details="NetInterface '%s' on node '%s' UUID is: %s" % (nic.name, node_name, nic.uuid),
                          refs={"UUID": nic.uuid})]

    def delete_net_interface(self, node_name: str, nic_name: str) -> List[RcEntry]:
        ctx = self._netif_ctx(C.MASK_DEL, node_name, nic_name)
        node = self.get_node(node_name, ctx)
        nic = node.net_interfaces.get(names.key(nic_name))
        if nic is None:
            return [ctx.entry(C.WARN_NOT_FOUND, "Deletion of net interface '%s' on node '%s' had no effect."
                              % (nic_name, node.name),
                              cause="Net interface '%s' on node '%s' does not exist." % (nic_name, node.name))]
        others = [n for k, n in node.net_interfaces.items() if k != names.key(nic_name)]
        if nic.satellite_port and not any(n.satellite_port for n in others) and node.type in SATELLITE_TYPES:
            raise ctx.error(C.FAIL_IN_USE, "Deletion of net interface '%s' on node '%s' failed." % (nic.name,
                            node.name), cause="The net interface is used for the satellite connection.")
        del node.net_interfaces[names.key(nic_name)]
        return [ctx.entry(C.DELETED, "NetInterface '%s' on node '%s' deleted." % (nic.name, node.name),
                          details="NetInterface '%s' on node '%s' UUID was: %s" % (nic.name, node.name, nic.uuid),
                          refs={"UUID": nic.uuid})]
