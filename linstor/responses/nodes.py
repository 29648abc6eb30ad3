"""Node replies."""
from .. import sharedconsts as consts
from .base import RESTMessageResponse
from .common import field, props_v0, required

__all__ = ["NodeType", "NetInterface", "Node", "NodeListResponse"]


class NodeType:
    CONTROLLER = consts.VAL_NODE_TYPE_CTRL
    SATELLITE = consts.VAL_NODE_TYPE_STLT
    COMBINED = consts.VAL_NODE_TYPE_CMBD
    AUXILIARY = consts.VAL_NODE_TYPE_AUX


class NetInterface(RESTMessageResponse):
    name = required("name")
    address = required("address")
    stlt_port = field("satellite_port")
    stlt_encryption_type = field("satellite_encryption_type")
    is_active = field("is_active")

    @property
    def data_v0(self):
        return {"address": self.address, "name": self.name, "stlt_port": self.stlt_port,
                "stlt_encryption_type": self.stlt_encryption_type}


class Node(RESTMessageResponse):
    name = required("name")
    type = required("type")
    flags = field("flags", [])
    props = field("props", {})
    properties = field("props", {})
    storage_providers = field("storage_providers", [])
    resource_layers = field("resource_layers", [])
    unsupported_providers = field("unsupported_providers", {})
    unsupported_layers = field("unsupported_layers", {})
    connection_status = field("connection_status", "OFFLINE")

    @property
    def net_interfaces(self):
        return [NetInterface(x) for x in self._rest_data.get("net_interfaces", [])]

    @property
    def data_v0(self):
        """The node in the old layout: every field, props as key/value pairs, the connection
        status as its number (UNKNOWN when the controller sent none)."""
        out = dict(self._rest_data)
        out["props"] = props_v0(self.props)
        status = self._rest_data.get("connection_status", consts.ConnectionStatus.UNKNOWN.name)
        out["connection_status"] = consts.ConnectionStatus[status].value
        out["net_interfaces"] = [n.data_v0 for n in self.net_interfaces]
        return out

    def __str__(self):
        return "Node({}, {}, {})".format(self.name, self.type, self.connection_status)


class NodeListResponse(RESTMessageResponse):
    @property
    def nodes(self):
        return [Node(x) for x in self._rest_data]

    def node(self, node_name):
        for node in self.nodes:
            if node.name == node_name:
                return node
        return None

    @property
    def data_v0(self):
        return {"nodes": [n.data_v0 for n in self.nodes]}
