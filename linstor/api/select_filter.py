"""The ``select_filter`` object that resource group create/modify and autoplace send."""
from typing import Optional

from ..errors import LinstorArgumentError


def as_list(value) -> Optional[list]:
    """Storage pools may be given as one name or as a list of names."""
    if value is None:
        return None
    return [value] if isinstance(value, str) else list(value)


def build_select_filter(client, place_count=None, additional_place_count=None, diskless_type=None,
                        diskless_on_remaining=None, storage_pool=None, diskless_storage_pool=None,
                        do_not_place_with=None, do_not_place_with_regex=None, replicas_on_same=None,
                        replicas_on_different=None, layer_list=None, provider_list=None) -> dict:
    """Only the given (not None) criteria go on the wire, in the order the controller documents them."""
    sf = {}
    if place_count is not None:
        sf["place_count"] = place_count
    if additional_place_count:
        if client.api_version_smaller("1.6.0"):
            raise LinstorArgumentError("Controller does not support additional_place_count (needs REST API 1.6.0)")
        sf["additional_place_count"] = additional_place_count
    if diskless_type:
        sf["diskless_type"] = diskless_type
    if diskless_on_remaining is not None:
        sf["diskless_on_remaining"] = diskless_on_remaining
    pools = as_list(storage_pool)
    if pools is not None:
        if client.api_version_smaller("1.1.0"):
            # old controllers know a single storage pool only
            if len(pools) > 1:
                raise LinstorArgumentError("Controller supports only one storage pool (needs REST API 1.1.0)")
            if pools:
                sf["storage_pool"] = pools[0]
        else:
            sf["storage_pool_list"] = pools if pools and pools[0] else []
    diskless_pools = as_list(diskless_storage_pool)
    if diskless_pools is not None:
        if client.api_version_smaller("1.7.0"):
            raise LinstorArgumentError("Controller does not support diskless_storage_pool (needs REST API 1.7.0)")
        sf["storage_pool_diskless_list"] = diskless_pools
    if do_not_place_with is not None:
        sf["not_place_with_rsc"] = do_not_place_with
    if do_not_place_with_regex is not None:
        sf["not_place_with_rsc_regex"] = do_not_place_with_regex
    if replicas_on_same is not None:
        sf["replicas_on_same"] = replicas_on_same
    if replicas_on_different is not None:
        sf["replicas_on_different"] = replicas_on_different
    if layer_list is not None:
        sf["layer_stack"] = layer_list
    if provider_list is not None:
        sf["provider_list"] = provider_list
    return sf


def props_body(property_dict=None, delete_props=None) -> dict:
    """``{override_props?, delete_props?}``: empty parts are left out."""
    body = {}
    if property_dict:
        body["override_props"] = property_dict
    if delete_props:
        body["delete_props"] = delete_props
    return body
