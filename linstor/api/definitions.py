"""Resource definition and volume definition calls of ``Linstor``."""
from .. import sharedconsts as apiconsts
from ..errors import LinstorApiCallError, LinstorError
from ..responses import ApiCallResponse, ResourceDefinitionResponse, VolumeDefinitionResponse
from .base import ApiMixin, path_arg, props_query
from .select_filter import props_body


class DefinitionsMixin(ApiMixin):
    # -- resource definitions ------------------------------------------------------------
    def resource_dfn_create(self, name, port=None, external_name=None, layer_list=None, resource_group=None):
        rsc_dfn = {"name": name}
        if external_name:
            # the controller derives the name from the external one
            del rsc_dfn["name"]
            rsc_dfn["external_name"] = external_name
        if layer_list:
            rsc_dfn["layer_data"] = [{"type": layer} for layer in layer_list]
        if resource_group:
            rsc_dfn["resource_group_name"] = resource_group
        body = {"resource_definition": rsc_dfn}
        if port is not None:
            body["drbd_port"] = port
        return self._rest_request(apiconsts.API_CRT_RSC_DFN, "POST", "/v1/resource-definitions", body)

    def resource_dfn_modify(self, name, property_dict, delete_props=None, peer_slots=None, resource_group=None):
        body = {}
        if peer_slots is not None:
            body["drbd_peer_slots"] = peer_slots
        body.update(props_body(property_dict, delete_props))
        if resource_group:
            body["resource_group"] = resource_group
        return self._rest_request(apiconsts.API_MOD_RSC_DFN, "PUT", "/v1/resource-definitions/" + path_arg(name),
                                  body)

    def resource_dfn_delete(self, name, async_msg=False):
        return self._rest_request(apiconsts.API_DEL_RSC_DFN, "DELETE",
                                  "/v1/resource-definitions/" + path_arg(name))

    def resource_dfn_list(self, query_volume_definitions=True, filter_by_resource_definitions=None,
                          filter_by_props=None):
        if self.api_version_smaller("1.0.10"):
            return self._resource_dfn_list_legacy(query_volume_definitions)
        query = []
        if filter_by_resource_definitions:
            query.append(("resource_definitions", list(filter_by_resource_definitions)))
        if query_volume_definitions:
            query.append(("with_volume_definitions", "true"))
        query += props_query(filter_by_props)
        return self._rest_request(apiconsts.API_LST_RSC_DFN, "GET", "/v1/resource-definitions", query=query)

    def _resource_dfn_list_legacy(self, query_volume_definitions):
        """Controllers before REST 1.0.10 list volume definitions per resource definition only."""
        replies = self._rest_request(apiconsts.API_LST_RSC_DFN, "GET", "/v1/resource-definitions")
        if not query_volume_definitions or not replies or not isinstance(replies[0], ResourceDefinitionResponse):
            return replies
        for rsc_dfn in replies[0].data_v1:
            vd_replies = self._rest_request(apiconsts.API_LST_VLM_DFN, "GET",
                                            "/v1/resource-definitions/{}/volume-definitions".format(
                                                path_arg(rsc_dfn["name"])))
            if vd_replies and isinstance(vd_replies[0], VolumeDefinitionResponse):
                rsc_dfn["volume_definitions"] = vd_replies[0].rest_data
        return replies

    def resource_dfn_list_raise(self, query_volume_definitions=True, filter_by_resource_definitions=None,
                                filter_by_props=None):
        return self._list_or_raise(
            self.resource_dfn_list(query_volume_definitions, filter_by_resource_definitions, filter_by_props),
            ResourceDefinitionResponse)

    def resource_dfn_props_list(self, rsc_name, filter_by_namespace=""):
        replies = self.resource_dfn_list(query_volume_definitions=False, filter_by_resource_definitions=[rsc_name])
        if not replies:
            raise LinstorError("Could not list resource definitions, or they are empty")
        if isinstance(replies[0], ApiCallResponse):
            raise LinstorApiCallError(replies[0], replies)
        for rsc_dfn in replies[0].resource_definitions:
            if rsc_dfn.name.lower() == rsc_name.lower():
                return {k: v for k, v in rsc_dfn.properties.items() if k.startswith(filter_by_namespace)}
        return {}

    # -- volume definitions ----------------------------------------------------------------
    def volume_dfn_create(self, rsc_name, size, volume_nr=None, minor_nr=None, encrypt=False, storage_pool=None,
                          gross=False):
        vlm_dfn = {"size_kib": size}
        if volume_nr is not None:
            vlm_dfn["volume_number"] = volume_nr
        flags = []
        if encrypt:
            flags.append(apiconsts.FLAG_ENCRYPTED)
        if gross:
            self._require_version("1.0.13", msg="Gross size not supported by server")
            flags.append(apiconsts.FLAG_GROSS_SIZE)
        if flags:
            vlm_dfn["flags"] = flags
        if storage_pool:
            vlm_dfn["props"] = {apiconsts.KEY_STOR_POOL_NAME: storage_pool}
        body = {"volume_definition": vlm_dfn}
        if minor_nr is not None:
            body["drbd_minor_number"] = minor_nr
        return self._rest_request(apiconsts.API_CRT_VLM_DFN, "POST",
                                  "/v1/resource-definitions/{}/volume-definitions".format(path_arg(rsc_name)), body)

    def volume_dfn_modify(self, rsc_name, volume_nr, set_properties=None, delete_properties=None, size=None,
                          gross=None):
        body = {}
        if size:
            body["size_kib"] = size
        body.update(props_body(set_properties, delete_properties))
        if gross:
            self._require_version("1.0.13", msg="Gross size not supported by server")
            body["flags"] = [apiconsts.FLAG_GROSS_SIZE]
        return self._rest_request(apiconsts.API_MOD_VLM_DFN, "PUT",
                                  "/v1/resource-definitions/{}/volume-definitions/{}".format(
                                      path_arg(rsc_name), volume_nr), body)

    def volume_dfn_delete(self, rsc_name, volume_nr, async_msg=False):
        return self._rest_request(apiconsts.API_DEL_VLM_DFN, "DELETE",
                                  "/v1/resource-definitions/{}/volume-definitions/{}".format(
                                      path_arg(rsc_name), volume_nr))
