"""Resource group, volume group and max-volume-size replies."""
from .base import DataResponse, RESTMessageResponse
from .common import field, required
from .defaults import dict_field, list_field

__all__ = ["SelectFilter", "ResourceGroup", "ResourceGroupResponse", "VolumeGroup", "VolumeGroupResponse",
           "Candidate", "MaxVolumeSizeResponse"]


class SelectFilter(RESTMessageResponse):
    """The autoplace criteria of a resource group."""

    place_count = field("place_count")
    diskless_on_remaining = field("diskless_on_remaining", False)
    storage_pool = field("storage_pool")
    not_place_with_rsc = field("not_place_with_rsc")
    not_place_with_rsc_regex = field("not_place_with_rsc_regex")
    replicas_on_same = field("replicas_on_same")
    replicas_on_different = field("replicas_on_different")
    layer_stack = field("layer_stack")
    provider_list = field("provider_list")

    @property
    def storage_pool_list(self):
        if "storage_pool_list" in self._rest_data:
            return self._rest_data["storage_pool_list"]
        return [self.storage_pool] if self.storage_pool else []

    def __str__(self):
        lines = []
        if self.place_count:
            lines.append("PlaceCount: {}".format(self.place_count))
        if self.storage_pool_list:
            lines.append("StoragePool(s): " + ", ".join(self.storage_pool_list))
        if "diskless_on_remaining" in self._rest_data:
            lines.append("DisklessOnRemaining: {}".format(self.diskless_on_remaining))
        for label, value in (("NotPlaceWithRsc", self.not_place_with_rsc),
                             ("NotPlaceWithRscRegex", self.not_place_with_rsc_regex),
                             ("ReplicasOnSame", self.replicas_on_same),
                             ("ReplicasOnDifferent", self.replicas_on_different),
                             ("LayerStack", self.layer_stack), ("ProviderList", self.provider_list)):
            if value:
                lines.append("{}: {}".format(label, value))
        return "\n".join(lines)


class ResourceGroup(RESTMessageResponse):
    name = required("name")
    description = field("description", "")
    properties = dict_field("props")

    @property
    def select_filter(self):
        return SelectFilter(self._rest_data.get("select_filter", {}))


class ResourceGroupResponse(RESTMessageResponse):
    @property
    def resource_groups(self):
        return [ResourceGroup(x) for x in self._rest_data]


class VolumeGroup(RESTMessageResponse):
    number = required("volume_number")
    properties = dict_field("props")
    flags = list_field("flags")


class VolumeGroupResponse(RESTMessageResponse):
    @property
    def volume_groups(self):
        return [VolumeGroup(x) for x in self._rest_data]


class Candidate(DataResponse):
    """One place a volume of the queried size fits: a storage pool on some nodes."""

    max_volume_size = required("max_volume_size_kib")
    storage_pool = required("storage_pool")
    node_names = list_field("node_names")
    all_thin = required("all_thin")


class MaxVolumeSizeResponse(DataResponse):
    default_max_oversubscription_ratio = required("default_max_oversubscription_ratio")

    @property
    def candidates(self):
        return [Candidate(x) for x in self._rest_data.get("candidates", [])]
