"""Resource, volume and autoplace calls of ``Linstor`` (definitions and connections come from
``definitions.py`` and ``connections.py``)."""
from .. import sharedconsts as apiconsts
from ..responses import ApiCallResponse, ResourceResponse
from .base import path_arg, props_query
from .connections import ConnectionsMixin
from .definitions import DefinitionsMixin
from .select_filter import build_select_filter, props_body


def _resource_path(rsc_name, node_name) -> str:
    return "/v1/resource-definitions/{}/resources/{}".format(path_arg(rsc_name), path_arg(node_name))


class ResourcesMixin(DefinitionsMixin, ConnectionsMixin):
    def resource_create(self, rscs, async_msg=False):
        body = []
        for rsc in rscs:
            resource = {"node_name": rsc.node_name}
            if rsc.storage_pool:
                resource["props"] = {apiconsts.KEY_STOR_POOL_NAME: rsc.storage_pool}
            flags = []
            if rsc.diskless:
                flags.append(apiconsts.FLAG_DISKLESS)
            if rsc.drbd_diskless:
                flags.append(apiconsts.FLAG_DRBD_DISKLESS)
            if rsc.nvme_initiator:
                flags.append(apiconsts.FLAG_NVME_INITIATOR)
            if not rsc.active:
                flags.append(apiconsts.FLAG_RSC_INACTIVE)
            if flags:
                resource["flags"] = flags
            entry = {"resource": resource}
            if rsc.node_id is not None:
                entry["drbd_node_id"] = rsc.node_id
            if rsc.layer_list:
                entry["layer_list"] = rsc.layer_list
            body.append(entry)
        return self._rest_request(apiconsts.API_CRT_RSC, "POST", "/v1/resource-definitions/{}/resources".format(
            path_arg(rscs[0].rsc_name)), body)

    def resource_auto_place(self, rsc_name, place_count, storage_pool=None, do_not_place_with=None,
                            do_not_place_with_regex=None, replicas_on_same=None, replicas_on_different=None,
                            diskless_on_remaining=False, async_msg=False, layer_list=None, provider_list=None,
                            additional_place_count=None, diskless_type=None, diskless_storage_pool=None):
        select_filter = build_select_filter(
            self, place_count=place_count, additional_place_count=additional_place_count,
            diskless_type=diskless_type, diskless_on_remaining=diskless_on_remaining, storage_pool=storage_pool,
            diskless_storage_pool=diskless_storage_pool, do_not_place_with=do_not_place_with,
            do_not_place_with_regex=do_not_place_with_regex, replicas_on_same=replicas_on_same,
            replicas_on_different=replicas_on_different, layer_list=layer_list, provider_list=provider_list)
        body = {"diskless_on_remaining": diskless_on_remaining, "select_filter": select_filter}
        if layer_list:
            body["layer_list"] = layer_list
        return self._rest_request(apiconsts.API_AUTO_PLACE_RSC, "POST",
                                  "/v1/resource-definitions/{}/autoplace".format(path_arg(rsc_name)), body)

    def resource_create_and_auto_place(self, rsc_name, size, place_count, storage_pool=None,
                                       diskless_on_remaining=False):
        replies = self.resource_dfn_create(rsc_name)
        if not replies[0].is_success():
            return replies
        replies = self.volume_dfn_create(rsc_name, size, storage_pool=storage_pool)
        if not replies[0].is_success():
            return replies
        return self.resource_auto_place(rsc_name, place_count, storage_pool=storage_pool,
                                        diskless_on_remaining=diskless_on_remaining)

    def resource_modify(self, node_name, rsc_name, property_dict, delete_props=None):
        return self._rest_request(apiconsts.API_MOD_RSC, "PUT", _resource_path(rsc_name, node_name),
                                  props_body(property_dict, delete_props))

    def resource_delete(self, node_name, rsc_name, async_msg=False):
        return self._rest_request(apiconsts.API_DEL_RSC, "DELETE", _resource_path(rsc_name, node_name))

    def resource_delete_if_diskless(self, node_name, rsc_name):
        replies = self.resource_list(filter_by_nodes=[node_name], filter_by_resources=[rsc_name])
        if not replies:
            return [ApiCallResponse({"ret_code": 0, "message": "Resource {} did not exist on node {}".format(
                rsc_name, node_name)})]
        if isinstance(replies[0], ApiCallResponse):
            return replies
        resources = replies[0].resources
        if resources and apiconsts.FLAG_DISKLESS in resources[0].flags:
            return self.resource_delete(node_name, rsc_name)
        if not resources:
            return [ApiCallResponse({"ret_code": 0, "message": "Resource {} did not exist on node {}".format(
                rsc_name, node_name)})]
        return [ApiCallResponse({"ret_code": 0, "message": "Resource {} not diskless on node {}, not deleted".format(
            rsc_name, node_name)})]

    def resource_toggle_disk(self, node_name, rsc_name, storage_pool=None, diskless=False, async_msg=False,
                             migrate_from=None):
        path = _resource_path(rsc_name, node_name)
        if migrate_from:
            path += "/migrate-disk/" + path_arg(migrate_from)
        else:
            path += "/toggle-disk/" + ("diskless" if diskless else "diskful")
        if storage_pool:
            path += "/" + path_arg(storage_pool)
        return self._rest_request(apiconsts.API_TOGGLE_DISK, "PUT", path)

    def resource_activate(self, node_name, rsc_name):
        self._require_version("1.2.0", msg="Resource activate not supported by server")
        return self._rest_request(apiconsts.API_ACTIVATE_RSC, "POST", _resource_path(rsc_name, node_name) + "/activate")

    def resource_deactivate(self, node_name, rsc_name):
        self._require_version("1.2.0", msg="Resource deactivate not supported by server")
        return self._rest_request(apiconsts.API_DEACTIVATE_RSC, "POST",
                                  _resource_path(rsc_name, node_name) + "/deactivate")

    def resource_list(self, filter_by_nodes=None, filter_by_resources=None, filter_by_props=None):
        return self.volume_list(filter_by_nodes=filter_by_nodes, filter_by_resources=filter_by_resources,
                                filter_by_props=filter_by_props)

    def resource_list_raise(self, filter_by_nodes=None, filter_by_resources=None, filter_by_props=None):
        return self.volume_list_raise(filter_by_nodes=filter_by_nodes, filter_by_resources=filter_by_resources,
                                      filter_by_props=filter_by_props)

    # -- volumes ---------------------------------------------------------------------------
    def volume_list(self, filter_by_nodes=None, filter_by_stor_pools=None, filter_by_resources=None,
                    filter_by_props=None):
        query = []
        if filter_by_nodes:
            query.append(("nodes", list(filter_by_nodes)))
        if filter_by_stor_pools:
            query.append(("storage_pools", list(filter_by_stor_pools)))
        if filter_by_resources:
            query.append(("resources", list(filter_by_resources)))
        query += props_query(filter_by_props)
        return self._rest_request(apiconsts.API_LST_RSC, "GET", "/v1/view/resources", query=query)

    def volume_list_raise(self, filter_by_nodes=None, filter_by_stor_pools=None, filter_by_resources=None,
                          filter_by_props=None):
        return self._list_or_raise(
            self.volume_list(filter_by_nodes, filter_by_stor_pools, filter_by_resources, filter_by_props),
            ResourceResponse)

    def volume_modify(self, node_name, rsc_name, vlm_nr, property_dict, delete_props=None):
        self._require_version("1.0.6", msg="Volume modify not supported by server")
        return self._rest_request(apiconsts.API_MOD_VLM, "PUT",
                                  _resource_path(rsc_name, node_name) + "/volumes/{}".format(vlm_nr),
                                  props_body(property_dict, delete_props))
