"""Resource definition, volume definition, resource, volume and resource connection replies."""
from .base import ApiCallResponse, DataResponse, RESTMessageResponse
from .common import field, props_v0, required
from .defaults import dict_field, from_epoch_ms, layer_data, list_field

__all__ = ["DrbdLayer", "ResourceDefinition", "ResourceDefinitionResponse", "DrbdVolumeDefinitionData",
           "VolumeDefinition", "VolumeDefinitionResponse", "DrbdConnection", "DrbdResource", "ResourceLayerData",
           "VolumeLayerData", "DrbdVolumeDefinition", "DrbdVolumeData", "StorageVolumeData", "LUKSVolumeData",
           "Volume", "VolumeResponse", "VolumeState", "ResourceState", "Resource", "ResourceResponse",
           "ResourceConnection", "ResourceConnectionsResponse"]


def _name_suffix(data):
    """A layer's resource name suffix. The controller sends ``resource_name_suffix`` and leaves an
    empty one out; python-linstor 1.7.1 read ``rsc_name_suffix``."""
    return data.get("resource_name_suffix", data.get("rsc_name_suffix", ""))


# -- resource definitions ------------------------------------------------------------------
class DrbdLayer(RESTMessageResponse):
    """The DRBD layer of a resource definition."""

    port = required("port")
    secret = required("secret")


class ResourceDefinition(RESTMessageResponse):
    name = required("name")
    uuid = field("uuid")
    external_name = field("external_name", "")
    flags = list_field("flags")
    properties = dict_field("props")
    resource_group_name = field("resource_group_name", "")

    @property
    def drbd_data(self):
        data = layer_data(self._rest_data.get("layer_data"), "DRBD")
        return DrbdLayer(data) if data else None

    @property
    def volume_definitions(self):
        return [VolumeDefinition(x) for x in self._rest_data.get("volume_definitions", [])]


class ResourceDefinitionResponse(RESTMessageResponse):
    @property
    def resource_definitions(self):
        return [ResourceDefinition(x) for x in self._rest_data]

    @property
    def data_v0(self):
        rsc_dfns = []
        for rd in self.resource_definitions:
            out = {"rsc_name": rd.name, "rsc_dfn_uuid": rd.uuid,
                   "vlm_dfns": [vd.data_v0 for vd in rd.volume_definitions]}
            if rd.flags:
                out["rsc_dfn_flags"] = rd.flags
            if rd.properties:
                out["rsc_dfn_props"] = props_v0(rd.properties)
            drbd = rd.drbd_data
            if drbd:
                out["rsc_dfn_port"] = drbd.port
                out["rsc_dfn_secret"] = drbd.secret
            rsc_dfns.append(out)
        return {"rsc_dfns": rsc_dfns}


# -- volume definitions --------------------------------------------------------------------
class DrbdVolumeDefinitionData(RESTMessageResponse):
    """The DRBD layer of a volume definition."""

    minor = required("minor_number")
    number = required("volume_number")

    @property
    def resource_name_suffix(self):
        return _name_suffix(self._rest_data)


class VolumeDefinition(RESTMessageResponse):
    number = required("volume_number")
    uuid = field("uuid")
    size = required("size_kib")
    flags = list_field("flags")
    properties = dict_field("props")

    @property
    def drbd_data(self):
        data = layer_data(self._rest_data.get("layer_data"), "DRBD")
        return DrbdVolumeDefinitionData(data) if data else None

    @property
    def data_v0(self):
        out = {"vlm_nr": self.number, "vlm_size": self.size, "vlm_dfn_uuid": self.uuid}
        if self.flags:
            out["vlm_flags"] = self.flags
        if self.properties:
            out["vlm_props"] = props_v0(self.properties)
        drbd = self.drbd_data
        if drbd:
            out["vlm_minor"] = drbd.minor
        return out


class VolumeDefinitionResponse(RESTMessageResponse):
    @property
    def volume_definitions(self):
        return [VolumeDefinition(x) for x in self._rest_data]

    @property
    def rest_data(self):
        return self._rest_data


# -- resource layers -----------------------------------------------------------------------
class DrbdConnection(RESTMessageResponse):
    connected = required("connected")
    message = field("message")


class DrbdResource(DataResponse):
    node_id = field("node_id")
    peer_slots = field("peer_slots")
    al_stripes = field("al_stripes")
    al_size = field("al_size")

    @property
    def connections(self):
        return {node: DrbdConnection(c) for node, c in self._rest_data.get("connections", {}).items()}


class ResourceLayerData(DataResponse):
    """One layer of a resource's layer tree (``layer_object``)."""

    type = required("type")

    @property
    def name_suffix(self):
        return _name_suffix(self._rest_data)

    @property
    def children(self):
        return [ResourceLayerData(x) for x in self._rest_data.get("children", [])]

    @property
    def drbd_resource(self):
        if self.type == "DRBD" and "drbd" in self._rest_data:
            return DrbdResource(self._rest_data["drbd"])
        return None


class VolumeLayerData(DataResponse):
    @property
    def layer_type(self):
        return self._rest_data["type"]


class DrbdVolumeDefinition(DataResponse):
    number = required("volume_number")
    minor = required("minor_number")

    @property
    def resource_name_suffix(self):
        return _name_suffix(self._rest_data)


class DrbdVolumeData(DataResponse):
    device_path = required("device_path")
    backing_device = field("backing_device")
    meta_disk = field("meta_disk", "")
    allocated_size = required("allocated_size_kib")
    usable_size = required("usable_size_kib")

    @property
    def drbd_volume_definition(self):
        return DrbdVolumeDefinition(self._rest_data["drbd_volume_definition"])


class StorageVolumeData(DataResponse):
    """The storage layer of a volume (its fields are passed through as they come)."""


class LUKSVolumeData(DataResponse):
    """The LUKS layer of a volume (its fields are passed through as they come)."""


# -- volumes and resources -----------------------------------------------------------------
class Volume(DataResponse):
    number = required("volume_number")
    uuid = field("uuid")
    storage_pool_name = field("storage_pool_name")
    storage_pool_driver_name = required("provider_kind")
    device_path = field("device_path")
    allocated_size = field("allocated_size_kib")
    flags = list_field("flags")
    properties = dict_field("props")

    @property
    def usable_size(self):
        drbd = self.drbd_data
        return drbd.usable_size if drbd else None

    @property
    def layer_data(self):
        return [VolumeLayerData(x) for x in self._rest_data.get("layer_data", [])]

    def _layer(self, layer_type):
        return layer_data(self._rest_data.get("layer_data_list"), layer_type)

    @property
    def drbd_data(self):
        data = self._layer("DRBD")
        return DrbdVolumeData(data) if data else None

    @property
    def storage_data(self):
        data = self._layer("STORAGE")
        return StorageVolumeData(data) if data else None

    @property
    def luks_data(self):
        data = self._layer("LUKS")
        return LUKSVolumeData(data) if data else None

    @property
    def reports(self):
        return [ApiCallResponse(x) for x in self._rest_data.get("reports", [])]

    @property
    def data_v0(self):
        out = {"stor_pool_name": self.storage_pool_name, "vlm_nr": self.number, "vlm_uuid": self.uuid,
               "device_path": self.device_path}
        drbd = self.drbd_data
        if drbd is not None:
            out["vlm_minor_nr"] = drbd.drbd_volume_definition.minor
            if drbd.backing_device:
                out["backing_disk"] = drbd.backing_device
            out["meta_disk"] = drbd.meta_disk
            if drbd.allocated_size:
                out["allocated"] = self.allocated_size
        return out


class VolumeResponse(RESTMessageResponse):
    @property
    def volumes(self):
        return [Volume(x) for x in self._rest_data]


class VolumeState(DataResponse):
    number = required("vlm_nr")
    disk_state = field("disk_state")

    @property
    def data_v0(self):
        return {"vlm_nr": self.number, "disk_state": self.disk_state}


class ResourceState(DataResponse):
    name = required("rsc_name")
    rsc_name = required("rsc_name")
    node_name = required("node_name")
    in_use = field("in_use")

    @property
    def volume_states(self):
        return [VolumeState(x) for x in self._rest_data.get("vlm_states", [])]

    @property
    def data_v0(self):
        out = {"rsc_name": self.name, "node_name": self.node_name}
        if self.in_use is not None:
            out["in_use"] = self.in_use
        if self.volume_states:
            out["vlm_states"] = [v.data_v0 for v in self.volume_states]
        return out


class Resource(RESTMessageResponse):
    name = required("name")
    uuid = field("uuid")
    node_name = required("node_name")
    flags = list_field("flags")
    properties = dict_field("props")

    @property
    def volumes(self):
        return [Volume(x) for x in self._rest_data.get("volumes", [])]

    @property
    def layer_data(self):
        obj = self._rest_data.get("layer_object")
        return ResourceLayerData(obj) if obj is not None else None

    @property
    def create_datetime(self):
        return from_epoch_ms(self._rest_data.get("create_timestamp"))

    @property
    def data_v0(self):
        return {"name": self.name, "uuid": self.uuid, "node_name": self.node_name, "rsc_flags": self.flags,
                "props": props_v0(self.properties), "vlms": [v.data_v0 for v in self.volumes]}


class ResourceResponse(RESTMessageResponse):
    @property
    def resources(self):
        return [Resource(x) for x in self._rest_data]

    @property
    def nodes(self):
        return [x["node_name"] for x in self._rest_data]

    @property
    def resource_states(self):
        states = []
        for rsc in self._rest_data:
            states.append(ResourceState({
                "rsc_name": rsc["name"],
                "node_name": rsc["node_name"],
                "in_use": (rsc.get("state") or {}).get("in_use"),
                "vlm_states": [{"vlm_nr": v["volume_number"], "disk_state": (v.get("state") or {}).get("disk_state")}
                               for v in rsc.get("volumes", [])],
            }))
        return states

    @property
    def data_v0(self):
        return {"resource_states": [s.data_v0 for s in self.resource_states],
                "resources": [r.data_v0 for r in self.resources]}


# -- resource connections ------------------------------------------------------------------
class ResourceConnection(DataResponse):
    node_a = required("node_a")
    node_b = required("node_b")
    flags = list_field("flags")
    properties = dict_field("props")
    port = field("port")

    @property
    def data_v0(self):
        out = {"node_name_1": self.node_a, "node_name_2": self.node_b}
        if self.flags:
            out["flags"] = self.flags
        if self.properties:
            out["props"] = props_v0(self.properties)
        if self.port is not None:
            out["port"] = self.port
        return out


class ResourceConnectionsResponse(DataResponse):
    @property
    def resource_connections(self):
        return [ResourceConnection(x) for x in self._rest_data]

    @property
    def data_v0(self):
        conns = self.resource_connections
        return {"rsc_connections": [c.data_v0 for c in conns]} if conns else {}
