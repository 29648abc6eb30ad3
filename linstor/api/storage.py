"""Storage pool definition, storage pool and physical storage calls of ``Linstor``."""
from .. import sharedconsts as apiconsts
from ..errors import LinstorError
from ..responses import PhysicalStorageList, StoragePoolDriver, StoragePoolListResponse
from .base import ApiMixin, path_arg, props_query


class StorageMixin(ApiMixin):
    # -- storage pool definitions ------------------------------------------------------------
    def storage_pool_dfn_create(self, name):
        return self._rest_request(apiconsts.API_CRT_STOR_POOL_DFN, "POST", "/v1/storage-pool-definitions",
                                  {"storage_pool_name": name})

    def storage_pool_dfn_modify(self, name, property_dict, delete_props=None):
        body = {}
        if property_dict:
            body["override_props"] = property_dict
        if delete_props:
            body["delete_props"] = delete_props
        return self._rest_request(apiconsts.API_MOD_STOR_POOL_DFN, "PUT",
                                  "/v1/storage-pool-definitions/" + path_arg(name), body)

    def storage_pool_dfn_delete(self, name):
        return self._rest_request(apiconsts.API_DEL_STOR_POOL_DFN, "DELETE",
                                  "/v1/storage-pool-definitions/" + path_arg(name))

    def storage_pool_dfn_list(self):
        return self._rest_request(apiconsts.API_LST_STOR_POOL_DFN, "GET", "/v1/storage-pool-definitions")

    def storage_pool_dfn_max_vlm_sizes(self, place_count, storage_pool_name=None, do_not_place_with=None,
                                       do_not_place_with_regex=None, replicas_on_same=None,
                                       replicas_on_different=None):
        body = {"place_count": place_count}
        if storage_pool_name:
            body["storage_pool"] = storage_pool_name
        if do_not_place_with:
            body["not_place_with_rsc"] = do_not_place_with
        if do_not_place_with_regex:
            body["not_place_with_rsc_regex"] = do_not_place_with_regex
        if replicas_on_same:
            body["replicas_on_same"] = replicas_on_same
        if replicas_on_different:
            body["replicas_on_different"] = replicas_on_different
        return self._rest_request(apiconsts.API_QRY_MAX_VLM_SIZE, "OPTIONS", "/v1/query-max-volume-size", body)

    # -- storage pools -------------------------------------------------------------------
    def storage_pool_create(self, node_name, storage_pool_name, storage_driver, driver_pool_name,
                            shared_space=None, property_dict=None, external_locking=False):
        if storage_driver not in StoragePoolDriver.list():
            raise LinstorError("Unknown storage driver: {}".format(storage_driver))
        props = {}
        if storage_driver != StoragePoolDriver.Diskless:
            if not driver_pool_name:
                raise LinstorError("Driver '{}' needs a driver pool name.".format(storage_driver))
            if self.api_version_smaller("1.2.0"):
                props = StoragePoolDriver.storage_driver_pool_to_props(storage_driver, driver_pool_name)
            else:
                props = {apiconsts.NAMESPC_STORAGE_DRIVER + "/" + apiconsts.KEY_STOR_POOL_NAME: driver_pool_name}
        if property_dict:
            props.update(property_dict)
        body = {"storage_pool_name": storage_pool_name, "provider_kind": storage_driver, "props": props}
        if shared_space:
            body["free_space_mgr_name"] = shared_space
        if external_locking:
            body["external_locking"] = True
        return self._rest_request(apiconsts.API_CRT_STOR_POOL, "POST",
                                  "/v1/nodes/{}/storage-pools".format(path_arg(node_name)), body)

    def storage_pool_modify(self, node_name, storage_pool_name, property_dict, delete_props=None):
        body = {}
        if property_dict:
            body["override_props"] = property_dict
        if delete_props:
            body["delete_props"] = delete_props
        return self._rest_request(apiconsts.API_MOD_STOR_POOL, "PUT", "/v1/nodes/{}/storage-pools/{}".format(
            path_arg(node_name), path_arg(storage_pool_name)), body)

    def storage_pool_delete(self, node_name, storage_pool_name):
        return self._rest_request(apiconsts.API_DEL_STOR_POOL, "DELETE", "/v1/nodes/{}/storage-pools/{}".format(
            path_arg(node_name), path_arg(storage_pool_name)))

    def storage_pool_list(self, filter_by_nodes=None, filter_by_stor_pools=None, filter_by_props=None):
        query = []
        if filter_by_nodes:
            query.append(("nodes", list(filter_by_nodes)))
        if filter_by_stor_pools:
            query.append(("storage_pools", list(filter_by_stor_pools)))
        query += props_query(filter_by_props)
        return self._rest_request(apiconsts.API_LST_STOR_POOL, "GET", "/v1/view/storage-pools", query=query)

    def storage_pool_list_raise(self, filter_by_nodes=None, filter_by_stor_pools=None, filter_by_props=None):
        return self._list_or_raise(self.storage_pool_list(filter_by_nodes, filter_by_stor_pools, filter_by_props),
                                   StoragePoolListResponse)

    # -- physical storage ----------------------------------------------------------------
    def physical_storage_list(self):
        self._require_version("1.0.10", msg="Physical storage API not supported by server")
        replies = self._rest_request(apiconsts.API_LST_PHYS_STOR, "GET", "/v1/physical-storage")
        if not replies:
            return None
        if isinstance(replies[0], PhysicalStorageList):
            return replies[0]
        raise LinstorError("Unexpected physical storage list response: {}".format(replies[0]))

    def physical_storage_create_device_pool(self, node_name, provider_kind, device_paths, pool_name=None,
                                            raid_level="JBOD", vdo_enable=False, vdo_logical_size_kib=None,
                                            vdo_slab_size_kib=None, storage_pool_name=None,
                                            storage_pool_props=None):
        self._require_version("1.0.10", msg="Physical storage API not supported by server")
        body = {"device_paths": device_paths, "provider_kind": provider_kind, "pool_name": pool_name,
                "vdo_enable": vdo_enable}
        if vdo_enable:
            if vdo_logical_size_kib:
                body["vdo_logical_size_kib"] = vdo_logical_size_kib
            if vdo_slab_size_kib:
                body["vdo_slab_size_kib"] = vdo_slab_size_kib
        if storage_pool_name:
            body["with_storage_pool"] = {"name": storage_pool_name}
            if storage_pool_props:
                body["with_storage_pool"]["props"] = storage_pool_props
        return self._rest_request(apiconsts.API_CREATE_DEVICE_POOL, "POST",
                                  "/v1/physical-storage/" + path_arg(node_name), body)
