"""Node and network interface calls of ``Linstor``."""
from .. import sharedconsts as apiconsts
from ..errors import LinstorError
from ..responses import NodeListResponse
from .base import ApiMixin, path_arg, props_query


def _default_port(node_type, com_type):
    if com_type == apiconsts.VAL_NETCOM_TYPE_PLAIN:
        return (3376 if node_type == apiconsts.VAL_NODE_TYPE_CTRL else apiconsts.DFLT_STLT_PORT_PLAIN)
    if com_type == apiconsts.VAL_NETCOM_TYPE_SSL:
        return (apiconsts.DFLT_STLT_PORT_SSL if node_type == apiconsts.VAL_NODE_TYPE_STLT else 3377)
    raise LinstorError("Communication type {} has no default port".format(com_type))


class NodesMixin(ApiMixin):
    def node_create(self, node_name, node_type, ip, com_type=apiconsts.VAL_NETCOM_TYPE_PLAIN, port=None,
                    netif_name="default", property_dict=None):
        known = self.node_types()
        if node_type.lower() not in [t.lower() for t in known]:
            raise LinstorError("Unknown node type '{}'. Known types are: {}".format(node_type, ", ".join(known)))
        if port is None:
            port = _default_port(node_type, com_type)
        netif = {"name": netif_name, "address": ip, "satellite_port": port, "satellite_encryption_type": com_type}
        if not self.api_version_smaller("1.0.7"):
            netif["is_active"] = True
        body = {"name": node_name, "type": node_type, "net_interfaces": [netif]}
        if property_dict:
            body["props"] = property_dict
        return self._rest_request(apiconsts.API_CRT_NODE, "POST", "/v1/nodes", body)

    def node_modify(self, node_name, node_type=None, property_dict=None, delete_props=None):
        body = {}
        if node_type is not None:
            body["node_type"] = node_type
        if property_dict:
            body["override_props"] = property_dict
        if delete_props:
            body["delete_props"] = delete_props
        return self._rest_request(apiconsts.API_MOD_NODE, "PUT", "/v1/nodes/" + path_arg(node_name), body)

    def node_delete(self, node_name, async_msg=False):
        return self._rest_request(apiconsts.API_DEL_NODE, "DELETE", "/v1/nodes/" + path_arg(node_name))

    def node_lost(self, node_name, async_msg=False):
        return self._rest_request(apiconsts.API_LOST_NODE, "DELETE", "/v1/nodes/{}/lost".format(path_arg(node_name)))

    def node_reconnect(self, node_names):
        replies = []
        for node_name in node_names:
            replies += self._rest_request(apiconsts.API_NODE_RECONNECT, "PUT",
                                          "/v1/nodes/{}/reconnect".format(path_arg(node_name)))
        return replies

    def node_restore(self, node_name):
        return self._rest_request(apiconsts.API_NODE_RESTORE, "PUT",
                                  "/v1/nodes/{}/restore".format(path_arg(node_name)))

    def node_list(self, filter_by_nodes=None, filter_by_props=None):
        query = [("nodes", list(filter_by_nodes))] if filter_by_nodes else []
        query += props_query(filter_by_props)
        return self._rest_request(apiconsts.API_LST_NODE, "GET", "/v1/nodes", query=query)

    def node_list_raise(self, filter_by_nodes=None, filter_by_props=None):
        return self._list_or_raise(self.node_list(filter_by_nodes, filter_by_props), NodeListResponse)

    def _netif_body(self, interface_name, ip, port, com_type, is_active):
        body = {"name": interface_name}
        if ip is not None:
            body["address"] = ip
        if port:
            body["satellite_port"] = port
            body["satellite_encryption_type"] = com_type
        if not self.api_version_smaller("1.0.7"):
            body["is_active"] = is_active
        return body

    def netinterface_create(self, node_name, interface_name, ip, port=None, com_type=None, is_active=False):
        return self._rest_request(apiconsts.API_CRT_NET_IF, "POST",
                                  "/v1/nodes/{}/net-interfaces".format(path_arg(node_name)),
                                  self._netif_body(interface_name, ip, port, com_type, is_active))

    def netinterface_modify(self, node_name, interface_name, ip=None, port=None, com_type=None, is_active=False):
        return self._rest_request(apiconsts.API_MOD_NET_IF, "PUT", "/v1/nodes/{}/net-interfaces/{}".format(
            path_arg(node_name), path_arg(interface_name)),
            self._netif_body(interface_name, ip, port, com_type, is_active))

    def netinterface_delete(self, node_name, interface_name):
        return self._rest_request(apiconsts.API_DEL_NET_IF, "DELETE", "/v1/nodes/{}/net-interfaces/{}".format(
            path_arg(node_name), path_arg(interface_name)))

    def net_interface_list(self, node_name):
        return self._rest_request(apiconsts.API_LST_NET_IF, "GET",
                                  "/v1/nodes/{}/net-interfaces".format(path_arg(node_name)))
