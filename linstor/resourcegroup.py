"""High-level object: a resource group (``ResourceGroup``), created on first use."""
from typing import List

from .errors import LinstorError, LinstorReadOnlyAfterSetError
from .linstorapi import Linstor, MultiLinstor
from .resource import Resource, _Client


def _cached_setting(attr):
    """A property whose setter stores the value and sends the group's whole state to the controller."""

    def getter(self):
        return getattr(self, attr)

    def setter(self, value):
        setattr(self, attr, value)
        self._modify()

    return property(getter, setter)


class ResourceGroup:
    """A resource group: its placement policy, properties and number of volumes.

    Getters return the state read when the object was made (or last changed through it);
    each setter writes the full state back with one modify call.
    """

    def __init__(self, name, uri="linstor://localhost", existing_client=None):
        self._name = name
        self._existing_client = existing_client
        self.client = _Client(uri)
        self._description = None
        self._redundancy = None
        self._storage_pool = None
        self._do_not_place_with = None
        self._do_not_place_with_regex = None
        self._replicas_on_same = None
        self._replicas_on_different = None
        self._diskless_on_remaining = None
        self._layer_list = None
        self._provider_list = None
        self._property_dict = None
        self._nr_volumes = 0
        self._update_or_create()

    def _connection(self) -> Linstor:
        if self._existing_client is not None:
            return self._existing_client
        return MultiLinstor(self.client.uri_list, self.client.timeout, self.client.keep_alive)

    # -- controller state ----------------------------------------------------------------
    def _update_or_create(self):
        with self._connection() as lin:
            groups = lin.resource_group_list_raise(filter_by_resource_groups=[self._name]).resource_groups
            if not groups:
                for replies in (lin.resource_group_create(self._name),
                                lin.volume_group_create(self._name, volume_nr=0)):
                    self._check(replies, "create")
                groups = lin.resource_group_list_raise(filter_by_resource_groups=[self._name]).resource_groups
                if not groups:
                    raise LinstorError("Resource group {} not found after creating it".format(self._name))
            self._read(groups[0])
            self._nr_volumes = len(lin.volume_group_list_raise(self._name).volume_groups)

    def _read(self, group):
        sf = group.select_filter
        self._description = group.description
        self._redundancy = sf.place_count
        self._storage_pool = sf.storage_pool_list
        self._do_not_place_with = sf.not_place_with_rsc
        self._do_not_place_with_regex = sf.not_place_with_rsc_regex
        self._replicas_on_same = sf.replicas_on_same
        self._replicas_on_different = sf.replicas_on_different
        self._diskless_on_remaining = sf.diskless_on_remaining
        self._layer_list = sf.layer_stack
        self._provider_list = sf.provider_list
        self._property_dict = group.properties

    def _modify(self):
        # errors are not raised here: the getters keep what was set
        with self._connection() as lin:
            lin.resource_group_modify(
                self._name, description=self._description, place_count=self._redundancy,
                storage_pool=self._storage_pool, do_not_place_with=self._do_not_place_with,
                do_not_place_with_regex=self._do_not_place_with_regex, replicas_on_same=self._replicas_on_same,
                replicas_on_different=self._replicas_on_different,
                diskless_on_remaining=self._diskless_on_remaining, layer_list=self._layer_list,
                provider_list=self._provider_list, property_dict=self._property_dict)

    # -- properties ----------------------------------------------------------------------
    @property
    def name(self) -> str:
        return self._name

    @name.setter
    def name(self, value):
        raise LinstorReadOnlyAfterSetError("This is a read-only property")

    description = _cached_setting("_description")
    redundancy = _cached_setting("_redundancy")
    storage_pool = _cached_setting("_storage_pool")
    do_not_place_with = _cached_setting("_do_not_place_with")
    do_not_place_with_regex = _cached_setting("_do_not_place_with_regex")
    replicas_on_same = _cached_setting("_replicas_on_same")
    replicas_on_different = _cached_setting("_replicas_on_different")
    diskless_on_remaining = _cached_setting("_diskless_on_remaining")
    layer_list = _cached_setting("_layer_list")
    provider_list = _cached_setting("_provider_list")
    property_dict = _cached_setting("_property_dict")

    @property
    def nr_volumes(self) -> int:
        return self._nr_volumes

    @nr_volumes.setter
    def nr_volumes(self, wanted):
        if wanted < 1:
            raise LinstorError("A resource group needs at least one volume group")
        with self._connection() as lin:
            have = self._nr_volumes
            for number in range(have, wanted):
                self._check(lin.volume_group_create(self._name, volume_nr=number), "create a volume group of")
            for number in range(have - 1, wanted - 1, -1):
                self._check(lin.volume_group_delete(self._name, number), "delete a volume group of")
            self._nr_volumes = len(lin.volume_group_list_raise(self._name).volume_groups)

    def _check(self, replies, what):
        if not Linstor.all_api_responses_no_error(replies):
            raise LinstorError("Could not {} resource group {}: {}".format(
                what, self._name, "; ".join(str(r) for r in replies)))

    # -- operations ----------------------------------------------------------------------
    def delete(self) -> bool:
        with self._connection() as lin:
            lin.resource_group_delete(self._name)
        return True

    def create_resource(self, resource_name, vlm_sizes) -> Resource:
        """Spawns a resource from this group; ``vlm_sizes`` like ["128MiB", "1G"] (or KiB ints)."""
        rsc = Resource.from_resource_group(",".join(self.client.uri_list), self._name, resource_name, vlm_sizes,
                                           timeout=self.client.timeout, keep_alive=self.client.keep_alive,
                                           existing_client=self._existing_client)
        rsc.client.keep_alive = self.client.keep_alive
        rsc.client.timeout = self.client.timeout
        return rsc

    def query_max_volume_size(self) -> List:
        """The controller's raw replies: MaxVolumeSizeResponse (candidates) or ApiCallResponses."""
        with self._connection() as lin:
            return lin.resource_group_qmvs(self._name)

    def __repr__(self) -> str:
        return "ResourceGroup({}, {})".format(self._name, self.client.uri_list)


__all__ = ["ResourceGroup"]
