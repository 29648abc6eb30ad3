"""Resource group and volume group calls of ``Linstor``."""
from .. import sharedconsts as apiconsts
from ..responses import ResourceGroupResponse, VolumeGroupResponse
from .base import ApiMixin, path_arg, props_query
from .select_filter import build_select_filter, props_body

_RG_MSG = "Resource groups not supported by server"


def _rg_path(name, *parts) -> str:
    return "/".join(["/v1/resource-groups", path_arg(name)] + [str(p) for p in parts])


class GroupsMixin(ApiMixin):
    def _rg_body(self, description, place_count, storage_pool, do_not_place_with, do_not_place_with_regex,
                 replicas_on_same, replicas_on_different, diskless_on_remaining, layer_list, provider_list,
                 diskless_storage_pool):
        body = {}
        if description is not None:
            body["description"] = description
        body["select_filter"] = build_select_filter(
            self, place_count=place_count, diskless_on_remaining=diskless_on_remaining, storage_pool=storage_pool,
            diskless_storage_pool=diskless_storage_pool, do_not_place_with=do_not_place_with,
            do_not_place_with_regex=do_not_place_with_regex, replicas_on_same=replicas_on_same,
            replicas_on_different=replicas_on_different, layer_list=layer_list, provider_list=provider_list)
        return body

    def resource_group_create(self, name, description=None, place_count=None, storage_pool=None,
                              do_not_place_with=None, do_not_place_with_regex=None, replicas_on_same=None,
                              replicas_on_different=None, diskless_on_remaining=None, layer_list=None,
                              provider_list=None, property_dict=None, diskless_storage_pool=None):
        self._require_version("1.0.8", msg=_RG_MSG)
        body = {"name": name}
        body.update(self._rg_body(description, place_count, storage_pool, do_not_place_with,
                                  do_not_place_with_regex, replicas_on_same, replicas_on_different,
                                  diskless_on_remaining, layer_list, provider_list, diskless_storage_pool))
        if property_dict:
            body["props"] = property_dict
        return self._rest_request(apiconsts.API_CRT_RSC_GRP, "POST", "/v1/resource-groups", body)

    def resource_group_modify(self, name, description=None, place_count=None, storage_pool=None,
                              do_not_place_with=None, do_not_place_with_regex=None, replicas_on_same=None,
                              replicas_on_different=None, diskless_on_remaining=None, layer_list=None,
                              provider_list=None, property_dict=None, delete_props=None,
                              diskless_storage_pool=None):
        self._require_version("1.0.8", msg=_RG_MSG)
        body = self._rg_body(description, place_count, storage_pool, do_not_place_with, do_not_place_with_regex,
                             replicas_on_same, replicas_on_different, diskless_on_remaining, layer_list,
                             provider_list, diskless_storage_pool)
        body.update(props_body(property_dict, delete_props))
        return self._rest_request(apiconsts.API_MOD_RSC_GRP, "PUT", _rg_path(name), body)

    def resource_group_delete(self, name):
        self._require_version("1.0.8", msg=_RG_MSG)
        return self._rest_request(apiconsts.API_DEL_RSC_GRP, "DELETE", _rg_path(name))

    def resource_group_list_raise(self, filter_by_resource_groups=None, filter_by_props=None):
        self._require_version("1.0.8", msg=_RG_MSG)
        query = [("resource_groups", list(filter_by_resource_groups))] if filter_by_resource_groups else []
        query += props_query(filter_by_props)
        replies = self._rest_request(apiconsts.API_LST_RSC_GRP, "GET", "/v1/resource-groups", query=query)
        return self._list_or_raise(replies, ResourceGroupResponse)

    def resource_group_spawn(self, rsc_grp_name, rsc_dfn_name, vlm_sizes, partial=False, definitions_only=False,
                             external_name=None):
        self._require_version("1.0.8", msg=_RG_MSG)
        sizes = [s if isinstance(s, int) else self.parse_volume_size_to_kib(s) for s in vlm_sizes]
        body = {"resource_definition_name": rsc_dfn_name, "volume_sizes": sizes, "partial": partial,
                "definitions_only": definitions_only}
        if external_name:
            self._require_version("1.0.16", msg="Spawn with external name not supported by server")
            body["resource_definition_name"] = ""
            body["resource_definition_external_name"] = external_name
        return self._rest_request(apiconsts.API_SPAWN_RSC_DFN, "POST", _rg_path(rsc_grp_name, "spawn"), body)

    def resource_group_qmvs(self, rsc_grp_name):
        self._require_version("1.0.12", msg="Query max volume size of a resource group not supported by server")
        return self._rest_request(apiconsts.API_QRY_MAX_VLM_SIZE, "GET",
                                  _rg_path(rsc_grp_name, "query-max-volume-size"))

    # -- volume groups -------------------------------------------------------------------
    def volume_group_create(self, resource_grp_name, volume_nr=None, property_dict=None, gross=False):
        self._require_version("1.0.8", msg=_RG_MSG)
        body = {}
        if volume_nr is not None:
            body["volume_number"] = volume_nr
        if property_dict:
            body["props"] = property_dict
        if gross:
            self._require_version("1.0.13", msg="Gross size not supported by server")
            body["flags"] = [apiconsts.FLAG_GROSS_SIZE]
        return self._rest_request(apiconsts.API_CRT_VLM_GRP, "POST", _rg_path(resource_grp_name, "volume-groups"),
                                  body)

    def volume_group_modify(self, resource_grp_name, volume_nr, property_dict=None, delete_props=None, gross=None):
        self._require_version("1.0.8", msg=_RG_MSG)
        body = props_body(property_dict, delete_props)
        if gross:
            self._require_version("1.0.13", msg="Gross size not supported by server")
            body["flags"] = [apiconsts.FLAG_GROSS_SIZE]
        return self._rest_request(apiconsts.API_MOD_VLM_GRP, "PUT",
                                  _rg_path(resource_grp_name, "volume-groups", volume_nr), body)

    def volume_group_delete(self, resource_grp_name, volume_nr):
        self._require_version("1.0.8", msg=_RG_MSG)
        return self._rest_request(apiconsts.API_DEL_VLM_GRP, "DELETE",
                                  _rg_path(resource_grp_name, "volume-groups", volume_nr))

    def volume_group_list_raise(self, resource_grp_name):
        self._require_version("1.0.8", msg=_RG_MSG)
        replies = self._rest_request(apiconsts.API_LST_VLM_GRP, "GET", _rg_path(resource_grp_name, "volume-groups"))
        return self._list_or_raise(replies, VolumeGroupResponse)
