"""Nodes and their network interfaces (``CtrlNodeApiCallHandler``, ``CtrlNodeCrtApiCallHandler``,
``CtrlNodeDeleteApiCallHandler``, ``CtrlNodeLostApiCallHandler``, ``CtrlNetIfApiCallHandler``)."""
import ipaddress
from typing import Dict, List, Optional

from linstor import sharedconsts as C

from ..apicallrc import ApiError, Context, RcEntry, bare_error
from . import names
from . import props as propslib
from .objects import NetInterface, Node, StoragePool

NODE_TYPES = ("CONTROLLER", "SATELLITE", "COMBINED", "AUXILIARY", "REMOTE_SPDK", "EBS_TARGET")
# types the controller runs as its own special satellites: one net interface, never switched to/from
SPECIAL_TYPES = ("REMOTE_SPDK", "EBS_TARGET")
# node types that run a satellite and get the default diskless pool
SATELLITE_TYPES = ("SATELLITE", "COMBINED")
# provider kinds each node type may hold (``Node.Type#isDeviceProviderKindAllowed``)
ALLOWED_PROVIDERS = {
    "CONTROLLER": (),
    "AUXILIARY": (),
    "SATELLITE": ("DISKLESS", "LVM", "LVM_THIN", "ZFS", "ZFS_THIN", "FILE", "FILE_THIN", "SPDK", "EBS_INIT",
                  "STORAGE_SPACES", "STORAGE_SPACES_THIN", "EXOS"),
    "REMOTE_SPDK": ("REMOTE_SPDK",),
    "EBS_TARGET": ("EBS_TARGET",),
}
ALLOWED_PROVIDERS["COMBINED"] = ALLOWED_PROVIDERS["SATELLITE"]
DFLT_DISKLESS_POOL = "DfltDisklessStorPool"
DFLT_STLT_PORT = {"PLAIN": C.DFLT_STLT_PORT_PLAIN, "SSL": C.DFLT_STLT_PORT_SSL}
DFLT_CTRL_PORT = {"PLAIN": C.DFLT_CTRL_PORT_PLAIN, "SSL": C.DFLT_CTRL_PORT_SSL}
# what a Linux satellite with LVM, ZFS and a file system reports as supported
PROVIDERS = ["DISKLESS", "LVM", "LVM_THIN", "ZFS", "ZFS_THIN", "FILE", "FILE_THIN"]
LAYERS = ["DRBD", "LUKS", "NVME", "WRITECACHE", "CACHE", "BCACHE", "STORAGE"]
EBS_TAGS_PREFIX = C.NAMESPC_EBS + "/" + C.NAMESPC_TAGS + "/"


def node_ctx(op: int, name: str) -> Context:
    return Context(op, C.MASK_NODE, {C.KEY_NODE: name}, "Node: %s" % name)


def node_not_found(name: str, ctx: Optional[Context] = None) -> ApiError:
    msg = "Node '%s' not found." % name
    cause = "The specified node '%s' could not be found in the database" % name
    correction = "Create a node with the name '%s' first." % name
    if ctx is None:
        return bare_error(C.FAIL_NOT_FOUND_NODE, msg, cause=cause, correction=correction)
    return ctx.error(C.FAIL_NOT_FOUND_NODE, msg, cause=cause, correction=correction)


def with_detail(ctx: Context, code: int, message: str, **kw) -> RcEntry:
    """A non-error entry with the object description added, as ``ResponseConverter#addWithDetail``."""
    return ctx.entry(code, message, details=ctx.description, **kw)


def not_connected_warning(node_name: str) -> RcEntry:
    """``ResponseUtils#makeNotConnectedWarning``."""
    return RcEntry(C.WARN_NOT_CONNECTED, "No active connection to satellite '%s'" % node_name,
                   details="The controller is trying to (re-) establish a connection to the satellite. The "
                           "controller stored the changes and as soon the satellite is connected, it will receive "
                           "this update.")


def netif_inline(node_name: str, nic_name: str) -> str:
    return "netInterface '%s' on node '%s'" % (nic_name, node_name)


def first_letter_caps(text: str) -> str:
    """``StringUtils#firstLetterCaps``: how the controller starts a sentence with a description."""
    return text[:1].upper() + text[1:]


class NodeOps:
    def _init_state(self) -> None:
        self.nodes: Dict[str, Node] = {}

    # -- lookups ---------------------------------------------------------------------------
    def get_node(self, name: str, ctx: Optional[Context] = None) -> Node:
        node = self.nodes.get(names.key(name)) if isinstance(name, str) else None
        if node is None:
            raise node_not_found(name, ctx)
        return node

    def list_nodes(self, nodes: Optional[List[str]] = None, props: Optional[List[str]] = None) -> List[Node]:
        wanted = {names.key(n) for n in nodes} if nodes else None
        return [n for k, n in sorted(self.nodes.items())
                if (wanted is None or k in wanted) and (not props or propslib.matches_filter(n.props, props))]

    def check_node_names(self, node_names: Optional[List[str]]) -> None:
        """Lookups parse their node names first (``LinstorParsingUtils#asNodeName``): a malformed
        one is an error (500), not an empty answer."""
        for name in node_names or []:
            try:
                names.check_node_name(name)
            except names.InvalidName as err:
                raise bare_error(C.FAIL_INVLD_NODE_NAME, "The given node name '%s' is invalid." % name,
                                 cause=str(err))

    def _satellite_answer(self, node: Node, message: str) -> RcEntry:
        """What a satellite answers an update with (prefixed with its name by the controller), or
        the controller's not-connected warning when it is offline."""
        if node.connection_status != "ONLINE":
            return not_connected_warning(node.name)
        return RcEntry(C.MODIFIED, "(%s) %s" % (node.name, message))

    def node_online(self, name: str) -> bool:
        return self.get_node(name).connection_status == "ONLINE"

    # -- checks ------------------------------------------------------------------------------
    def _check_node_name(self, name, ctx: Context) -> str:
        try:
            if not isinstance(name, str):
                raise names.InvalidName("Invalid name: Name length 0 is less than minimum length 2")
            return names.check_node_name(name)
        except names.InvalidName as err:
            raise ctx.error(C.FAIL_INVLD_NODE_NAME, "The given node name '%s' is invalid." % name,
                            cause=str(err), report=True)

    def _check_node_type(self, node_type, ctx: Context) -> str:
        type_name = (node_type or "SATELLITE").upper() if isinstance(node_type, (str, type(None))) else ""
        if type_name not in NODE_TYPES:
            raise ctx.error(C.FAIL_INVLD_NODE_TYPE, "The specified node type '%s' is invalid." % node_type,
                            correction="Valid node types are:\nCONTROLLER\nSATELLITE\nCOMBINED\nAUXILIARY\n",
                            report=True)
        return type_name

    def _make_net_interface(self, data: dict, ctx: Context, default_name: Optional[str] = C.DEFAULT_NETIF
                            ) -> NetInterface:
        nic_name = data.get("name") or default_name
        try:
            if not isinstance(nic_name, str):
                raise names.InvalidName("Invalid name: Name length 0 is less than minimum length 3")
            names.check_net_interface_name(nic_name)
        except names.InvalidName as err:
            raise ctx.error(C.FAIL_INVLD_NET_NAME, "The specified net interface name '%s' is invalid." % nic_name,
                            cause=str(err), report=True)
        address = self._check_address(data.get("address"), ctx)
        port, enc = self._check_stlt_conn(data.get("satellite_port"), data.get("satellite_encryption_type"), ctx)
        return NetInterface(nic_name, address, self.ids.uuid(), port, enc, False)

    def _check_address(self, address, ctx: Context) -> str:
        try:
            return str(ipaddress.ip_address(address))
        except (TypeError, ValueError):
            raise ctx.error(C.FAIL_INVLD_NET_ADDR, "Failed to parse IP address",
                            cause="The specified IP address is not valid",
                            details="The specified input '%s' is not a valid IP address." % address,
                            correction="Specify a valid IPv4 or IPv6 address.", report=True)

    def _check_stlt_conn(self, port, enc, ctx: Context):
        """Port and encryption type count only together (``NetInterfaceApi#isUsableAsSatelliteConnection``)."""
        if port is None or enc is None:
            return None, None
        enc_name = enc.upper()
        if enc_name not in DFLT_STLT_PORT:
            raise ctx.error(C.FAIL_INVLD_NET_TYPE, "The given encryption type '%s' is invalid." % enc, report=True)
        if names.parse_int(port, 1, 65535) is None:
            raise ctx.error(C.FAIL_INVLD_NET_PORT, "The given portNumber '%s' is invalid." % port, report=True)
        return port, enc_name

    def _ignored_node_prefixes(self, modify: bool) -> List[str]:
        ignored = [EBS_TAGS_PREFIX]
        # node modify (not create) lets StorDriver/Exos/* through while EXOS exists
        if modify and self.version.has("exos"):
            ignored.insert(0, C.NAMESPC_EXOS)
        return ignored

    # -- operations -------------------------------------------------------------------------
    def create_node(self, name: str, node_type: Optional[str] = None, net_interfaces=None,
                    props: Optional[Dict[str, str]] = None) -> List[RcEntry]:
        self._nodes_changed()
        ctx = node_ctx(C.MASK_CRT, name)
        # the type is parsed first, then the interfaces are counted, then the name is checked
        type_name = self._check_node_type(node_type, ctx)
        if not net_interfaces:
            raise ctx.error(C.FAIL_MISSING_NETCOM, "Registration of node '%s' failed." % name,
                            cause="No network interfaces were given.",
                            correction="At least one network interface has to be given and be marked to be used "
                                       "for controller-satellite communitaction.", report=True)
        self._check_node_name(name, ctx)
        if names.key(name) in self.nodes:
            raise ctx.error(C.FAIL_EXISTS_NODE, "Registration of node '%s' failed." % name,
                            cause="A node with the specified name '%s' already exists." % name,
                            correction="- Specify another name for the new node\nor\n- Delete the existing node "
                                       "before creating a new node with the same name")
        props = props or {}
        new_props = propslib.apply_changes({}, "node", ctx, props, version=self.version,
                                           ignored=self._ignored_node_prefixes(False))
        nics: Dict[str, NetInterface] = {}
        active = None
        for data in net_interfaces:
            nic = self._make_net_interface(data, ctx)
            if names.key(nic.name) in nics:
                raise ctx.error(C.FAIL_EXISTS_NET_IF, "Registration of node '%s' failed." % name,
                                cause="A duplicate network interface name was encountered during node "
                                      "registration.",
                                details="The network interface name '%s' was specified for more than one network "
                                        "interface." % nic.name,
                                correction="A name that is unique per node must be specified for each network "
                                           "interface.")
            nics[names.key(nic.name)] = nic
            if active is None and nic.satellite_port is not None:
                active = nic
        if active is None:
            raise ctx.error(C.FAIL_NO_STLT_CONN_DEFINED, "No satellite connection defined for node '%s'" % name,
                            report=True)
        active.is_active = True
        uuid = self.ids.uuid()
        node = Node(name=name, type=type_name, uuid=uuid, props=new_props, net_interfaces=nics)
        if type_name in ("CONTROLLER", "AUXILIARY"):
            # the controller does not connect to these (CtrlNodeCrtApiCallHandler#connectNow)
            node.connection_status = "OFFLINE"
        if "DISKLESS" in ALLOWED_PROVIDERS[type_name]:
            # a diskless pool reports Long.MAX_VALUE as its capacities
            node.storage_pools[names.key(DFLT_DISKLESS_POOL)] = StoragePool(
                DFLT_DISKLESS_POOL, name, "DISKLESS", self.ids.uuid(), total_capacity=(1 << 63) - 1)
            self._ensure_pool_definition(DFLT_DISKLESS_POOL)
        self.nodes[names.key(name)] = node
        entries = propslib.change_entries(C.MASK_NODE, props)
        entries.append(ctx.entry(C.CREATED, "New node '%s' registered." % name,
                                 details="Node '%s' UUID is: %s" % (name, uuid), refs={C.KEY_UUID: uuid}))
        return entries

    def modify_node(self, name: str, node_type: Optional[str] = None, override=None, delete=None,
                    delete_namespaces=None) -> List[RcEntry]:
        self._nodes_changed()
        ctx = node_ctx(C.MASK_MOD, name)
        self._check_node_name(name, ctx)
        node = self.get_node(name, ctx)
        new_type = node.type
        port_change = None
        if node_type is not None:
            new_type = self._check_node_type(node_type, ctx)
            port_change = self._check_type_change(node, new_type, node_type, ctx)
        new_props, prop_entries = propslib.modify(node.props, "node", C.MASK_NODE, ctx, override, delete,
                                                  delete_namespaces, self.version,
                                                  self._ignored_node_prefixes(True))
        # the satellites hear of it when the type is given or a property really changed
        notify = node_type is not None or new_props != node.props
        if new_type != node.type and new_type in SATELLITE_TYPES and node.type not in SATELLITE_TYPES:
            node.connection_status = "ONLINE"  # reconnected to the (fake) satellite
        node.type = new_type
        node.props = new_props
        if port_change is not None:
            nic, port = port_change
            nic.satellite_port = port
        entries = prop_entries + [
            ctx.entry(C.MODIFIED, "Node '%s' modified." % node.name,
                      details="Node '%s' UUID is: %s" % (node.name, node.uuid), refs={C.KEY_UUID: node.uuid})]
        if notify:
            entries.append(self._satellite_answer(node, "Node changes applied."))
        return entries

    def _check_type_change(self, node: Node, new_type: str, given: str, ctx: Context):
        """``setNodeType``: refusals, and the satellite port a switch to or from CONTROLLER moves to."""
        old = node.type
        if (old in SPECIAL_TYPES) != (new_type in SPECIAL_TYPES):
            raise ctx.error(C.FAIL_INVLD_NODE_TYPE, "Failed to change node type",
                            cause="Changing node types from %s to %s is not allowed" % (old, new_type), report=True)
        if not all(p.provider_kind in ALLOWED_PROVIDERS[new_type] for p in node.storage_pools.values()):
            raise ctx.error(C.FAIL_INVLD_STOR_DRIVER, "Failed to change node type",
                            cause="The current node has at least one storage pool with a storage driver that is "
                                  "not compatible with node type '%s'" % given, report=True)
        if new_type in SPECIAL_TYPES and len(node.net_interfaces) != 1:
            raise ctx.error(C.FAIL_INVLD_NODE_TYPE, "Failed to change node type",
                            cause="A node with type %s is only allowed to have 1 network interface" % new_type,
                            report=True)
        active = next((n for n in node.net_interfaces.values() if n.is_active), None)
        if active is None or active.satellite_encryption_type is None:
            return None
        if old == "CONTROLLER" and new_type in SATELLITE_TYPES:
            return active, DFLT_STLT_PORT[active.satellite_encryption_type]
        if old in SATELLITE_TYPES and new_type == "CONTROLLER":
            return active, DFLT_CTRL_PORT[active.satellite_encryption_type]
        return None

    def delete_node(self, name: str) -> List[RcEntry]:
        self._nodes_changed()
        ctx = node_ctx(C.MASK_DEL, name)
        self._check_node_name(name, ctx)
        node = self.nodes.get(names.key(name))
        if node is None:
            return [with_detail(ctx, C.WARN_NOT_FOUND, "Deletion of node '%s' had no effect." % name,
                                cause="Node '%s' does not exist." % name)]
        if "EVICTED" in node.flags:
            return [with_detail(ctx, C.WARN_NODE_EVICTED, "Deletion of node '%s' had no effect." % name,
                                cause="Node '%s' has been evicted." % name,
                                correction="Use node lost command to delete an evicted node.")]
        self._check_node_deletable(node, ctx)
        return self._remove_node(node, ctx)

    def lose_node(self, name: str) -> List[RcEntry]:
        """``node lost``: a node that cannot come back; refused while its satellite is connected."""
        self._nodes_changed()
        ctx = node_ctx(C.MASK_DEL, name)
        self._check_node_name(name, ctx)
        node = self.nodes.get(names.key(name))
        if node is None:
            raise ApiError(with_detail(ctx, C.WARN_NOT_FOUND, "Deletion of node '%s' had no effect." % name,
                                       cause="Node '%s' does not exist." % name))
        if node.connection_status == "ONLINE":
            raise ctx.error(C.FAIL_EXISTS_NODE_CONN, "Node '%s' still connected, please use the '%s' api."
                            % (name, C.API_DEL_NODE), report=True)
        return self._remove_node(node, ctx)

    def _check_node_deletable(self, node: Node, ctx: Context) -> None:
        """Refuses a delete the controller refuses; areas with objects on nodes extend this."""

    def _remove_node(self, node: Node, ctx: Context) -> List[RcEntry]:
        self._drop_node_objects(node)
        del self.nodes[names.key(node.name)]
        # the controller builds this entry by hand: no UUID object reference
        return [ctx.entry(C.DELETED, "Node '%s' deleted." % node.name,
                          details="Node '%s' UUID was: %s" % (node.name, node.uuid))]

    def _drop_node_objects(self, node: Node) -> None:
        """Removes what lives on a node that goes away; areas with objects on nodes extend this."""

    def reconnect_node(self, name: str) -> List[RcEntry]:
        self._nodes_changed()
        ctx = Context(C.MASK_MOD, C.MASK_NODE, {C.KEY_NODE: name}, "Nodes: [%s]" % name)
        node = self.get_node(name, ctx)
        if "EVICTED" in node.flags:
            return [RcEntry(C.MASK_MOD | C.MASK_NODE | C.WARN_NODE_EVICTED,
                            "Nodes [%s] are evicted and will not be reconnected. Use node restore <node-name> to "
                            "reconnect." % name)]
        return [RcEntry(C.MASK_MOD | C.MASK_NODE | C.MASK_SUCCESS, "Nodes [%s] will be reconnected." % name)]

    def restore_node(self, name: str) -> List[RcEntry]:
        self._nodes_changed()
        node = self.get_node(name)
        if "EVICTED" not in node.flags and "EVACUATE" not in node.flags:
            raise bare_error(C.MASK_ERROR, "Node '%s' is neither evicted nor evacuated." % name)
        # EVICTED includes the DELETE bit: clearing it clears both
        node.flags = [f for f in node.flags if f not in ("EVICTED", "EVACUATE", "DELETE")]
        node.eviction_timestamp = None
        return [RcEntry(C.MASK_SUCCESS | C.MASK_NODE, "Successfully restored node %s" % name)]

    def evict_node(self, name: str) -> List[RcEntry]:
        """``PUT /v1/nodes/{n}/evict``: only an offline node; the reply holds what moving its
        resources answers (nothing for a node without resources)."""
        self._nodes_changed()
        node = self.get_node(name)
        if node.connection_status == "ONLINE":
            raise bare_error(C.FAIL_IN_USE | C.MASK_NODE, "Eviction of an online node is not possible.")
        for flag in ("DELETE", "EVICTED"):
            if flag not in node.flags:
                node.flags.append(flag)
        node.eviction_timestamp = self.clock.now_ms()
        return self._on_node_evicted(node)

    def _on_node_evicted(self, node: Node) -> List[RcEntry]:
        """Marks and re-places the node's resources; the resource areas extend this."""
        return []

    def set_node_online(self, name: str, online: bool = True) -> None:
        """Simulates the satellite going away or coming back (no REST call does this)."""
        self._nodes_changed()
        self.get_node(name).connection_status = "ONLINE" if online else "OFFLINE"

    # -- net interfaces ---------------------------------------------------------------------
    def _netif_ctx(self, op: int, node_name: str, nic_name: str) -> Context:
        # the controller's description really has these quotes
        return Context(op, C.MASK_NET_IF, {C.KEY_NODE: node_name},
                       "Node: '%s', NetIfName: %s'" % (node_name, nic_name))

    def _set_active(self, node: Node, nic: NetInterface) -> None:
        for other in node.net_interfaces.values():
            other.is_active = other is nic

    def create_net_interface(self, node_name: str, data: dict) -> List[RcEntry]:
        nic_name = data.get("name")
        ctx = self._netif_ctx(C.MASK_CRT, node_name, nic_name)
        node = self.get_node(node_name, ctx)
        if node.type in SPECIAL_TYPES:
            raise ctx.error(C.FAIL_INVLD_NODE_TYPE, "Only one network interface allowed for '%s' nodes" % node.type,
                            report=True)
        nic = self._make_net_interface(data, ctx, default_name=None)
        if names.key(nic.name) in node.net_interfaces:
            raise ctx.error(C.FAIL_EXISTS_NET_IF,
                            "%s already exists." % first_letter_caps(netif_inline(node_name, nic.name)))
        set_active = bool(data.get("is_active"))
        has_active = any(n.is_active for n in node.net_interfaces.values())
        if set_active and nic.satellite_port is None:
            raise ctx.error(C.FAIL_INVLD_NET_PORT | C.FAIL_INVLD_ENCRYPT_TYPE,
                            "No satellite port / encryption type set for active satellite connection", report=True)
        node.net_interfaces[names.key(nic.name)] = nic
        if nic.satellite_port is not None and (set_active or not has_active):
            self._set_active(node, nic)
        inline = netif_inline(node_name, nic.name)
        return [ctx.entry(C.CREATED, "New %s registered." % inline,
                          details="%s UUID is: %s" % (first_letter_caps(inline), nic.uuid),
                          refs={C.KEY_UUID: nic.uuid})]

    def get_net_interface(self, node_name: str, nic_name: str, ctx: Optional[Context] = None) -> NetInterface:
        node = self.get_node(node_name, ctx)
        nic = node.net_interfaces.get(names.key(nic_name))
        if nic is None:
            msg = "Netinterface '%s' not found." % nic_name
            raise ctx.error(C.FAIL_NOT_FOUND_NET_IF, msg) if ctx else bare_error(C.FAIL_NOT_FOUND_NET_IF, msg)
        return nic

    def modify_net_interface(self, node_name: str, nic_name: str, data: dict) -> List[RcEntry]:
        ctx = self._netif_ctx(C.MASK_MOD, node_name, nic_name)
        node = self.get_node(node_name, ctx)
        nic = node.net_interfaces.get(names.key(nic_name))
        if nic is None:
            raise ctx.error(C.FAIL_NOT_FOUND_NET_IF, "Node '%s' has no network interface named '%s'."
                            % (node_name, nic_name), report=True)
        address = data.get("address")
        set_active = bool(data.get("is_active"))
        reconnect = (not nic.is_active and set_active) or (
            nic.is_active and (address is not None or (data.get("satellite_port") is not None
                                                       and data.get("satellite_encryption_type") is not None)))
        if reconnect and node.type in SPECIAL_TYPES:
            raise ctx.error(C.FAIL_INVLD_NODE_TYPE, "Modifying netinterface %s failed"
                            % netif_inline(node.name, nic.name),
                            cause="Changing the address of a %s is prohibited" % node.type, report=True)
        new_address = self._check_address(address, ctx) if address is not None else nic.address
        port, enc = self._check_stlt_conn(data.get("satellite_port"), data.get("satellite_encryption_type"), ctx)
        if set_active and port is None and nic.satellite_port is None:
            raise ctx.error(C.FAIL_INVLD_NET_PORT | C.FAIL_INVLD_ENCRYPT_TYPE,
                            "No satellite port / encryption type set for active satellite connection", report=True)
        nic.address = new_address
        if port is not None:
            nic.satellite_port, nic.satellite_encryption_type = port, enc
        if set_active:
            self._set_active(node, nic)
        inline = netif_inline(node.name, nic.name)
        return [ctx.entry(C.MODIFIED, "%s modified." % first_letter_caps(inline),
                          details="%s UUID is: %s" % (first_letter_caps(inline), nic.uuid),
                          refs={C.KEY_UUID: nic.uuid})]

    def delete_net_interface(self, node_name: str, nic_name: str) -> List[RcEntry]:
        ctx = self._netif_ctx(C.MASK_DEL, node_name, nic_name)
        inline = netif_inline(node_name, nic_name)
        node = self.nodes.get(names.key(node_name))
        nic = node.net_interfaces.get(names.key(nic_name)) if node is not None else None
        if nic is None:
            return [with_detail(ctx, C.WARN_NOT_FOUND, "Deletion of %s had no effect." % inline,
                                cause="%s does not exist." % first_letter_caps(inline))]
        del node.net_interfaces[names.key(nic_name)]
        if nic.is_active:
            replacement = next((n for n in node.net_interfaces.values() if n.satellite_port is not None), None)
            if replacement is not None:
                self._set_active(node, replacement)
            else:
                # the interface is gone all the same; the reply is only this warning
                node.connection_status = "NO_STLT_CONN"
                return [with_detail(ctx, C.WARN_NO_STLT_CONN_DEFINED,
                                    "%s was the last connection to the satellite! \nTo fix this, create at least one "
                                    "netInterface with a valid PORT and COMMUNICATION-TYPE."
                                    % first_letter_caps(inline))]
        return [ctx.entry(C.DELETED, "%s deleted." % first_letter_caps(inline),
                          details="%s UUID was: %s" % (first_letter_caps(inline), nic.uuid),
                          refs={C.KEY_UUID: nic.uuid})]
