"""Resource connection and DRBD proxy calls of ``Linstor``."""
from .. import sharedconsts as apiconsts
from ..responses import ResourceConnection, ResourceConnectionsResponse
from .base import ApiMixin, path_arg
from .select_filter import props_body


def _rd_path(rsc_name, *parts) -> str:
    return "/".join(["/v1/resource-definitions", path_arg(rsc_name)] + [path_arg(p) for p in parts])


class ConnectionsMixin(ApiMixin):
    def resource_conn_modify(self, rsc_name, node_a, node_b, property_dict, delete_props):
        return self._rest_request(apiconsts.API_MOD_RSC_CONN, "PUT",
                                  _rd_path(rsc_name, "resource-connections", node_a, node_b),
                                  props_body(property_dict, delete_props))

    def resource_conn_list(self, rsc_name):
        return self._rest_request(apiconsts.API_REQ_RSC_CONN_LIST, "GET",
                                  _rd_path(rsc_name, "resource-connections"))

    def resource_conn_list_raise(self, rsc_name):
        return self._list_or_raise(self.resource_conn_list(rsc_name), ResourceConnectionsResponse)

    def resource_conn_node_list_raise(self, rsc_name, node_a, node_b):
        # the controller answers this one with a single object, not a list
        replies = self._rest_request("API_SINGLE_NODE_REQ", "GET",
                                     _rd_path(rsc_name, "resource-connections", node_a, node_b))
        return self._list_or_raise(replies, ResourceConnection)

    def drbd_proxy_enable(self, rsc_name, node_a, node_b, port=None):
        body = {}
        if port is not None:
            body["port"] = port
        return self._rest_request(apiconsts.API_ENABLE_DRBD_PROXY, "POST",
                                  _rd_path(rsc_name, "drbd-proxy", "enable", node_a, node_b), body)

    def drbd_proxy_disable(self, rsc_name, node_a, node_b):
        return self._rest_request(apiconsts.API_DISABLE_DRBD_PROXY, "POST",
                                  _rd_path(rsc_name, "drbd-proxy", "disable", node_a, node_b))

    def drbd_proxy_modify(self, rsc_name, property_dict=None, delete_props=None, compression_type=None,
                          compression_property_dict=None):
        body = props_body(property_dict, delete_props)
        if compression_type:
            body["compression_type"] = compression_type
            if compression_property_dict:
                body["compression_props"] = compression_property_dict
        return self._rest_request(apiconsts.API_MOD_DRBD_PROXY, "PUT", _rd_path(rsc_name, "drbd-proxy"), body)
