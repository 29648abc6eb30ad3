"""Snapshot and snapshot shipping replies."""
from .. import sharedconsts as consts
from .base import DataResponse
from .common import field, required
from .defaults import from_epoch_ms, list_field

__all__ = ["SnapshotVolumeDefinition", "Snapshot", "SnapshotDefinition", "SnapshotResponse", "Shipping",
           "SnapshotShippingResponse"]


class SnapshotVolumeDefinition(DataResponse):
    number = required("volume_number")
    size = required("size_kib")

    @property
    def data_v0(self):
        return {"vlm_nr": self.number, "vlm_size": self.size}


class Snapshot(DataResponse):
    """The snapshot of one resource definition on one node."""

    name = field("snapshot_name")
    node_name = field("node_name")
    flags = list_field("flags")
    uuid = field("uuid")

    @property
    def create_datetime(self):
        return from_epoch_ms(self._rest_data.get("create_timestamp"))


class SnapshotDefinition(DataResponse):
    name = required("name")
    snapshot_name = required("name")
    uuid = field("uuid")
    resource_name = required("resource_name")
    rsc_name = required("resource_name")
    nodes = required("nodes")
    flags = list_field("flags")

    @property
    def snapshot_volume_definitions(self):
        return [SnapshotVolumeDefinition(x) for x in self._rest_data.get("volume_definitions", [])]

    @property
    def snapshots(self):
        return [Snapshot(x) for x in self._rest_data.get("snapshots", [])]

    @property
    def data_v0(self):
        return {"rsc_name": self.resource_name, "snapshot_name": self.snapshot_name, "uuid": self.uuid,
                "snapshot_dfn_flags": self.flags, "snapshots": [{"node_name": n} for n in self.nodes],
                "snapshot_vlm_dfns": [v.data_v0 for v in self.snapshot_volume_definitions]}


class SnapshotResponse(DataResponse):
    @property
    def snapshots(self):
        return [SnapshotDefinition(x) for x in self._rest_data]

    @property
    def data_v0(self):
        snapshots = self.snapshots
        return {"snapshot_dfns": [s.data_v0 for s in snapshots]} if snapshots else {}


class Shipping(DataResponse):
    from_node_name = required("from_node_name")
    to_node_name = required("to_node_name")

    @property
    def snapshot_dfn(self):
        return SnapshotDefinition(self._rest_data["snapshot"])

    @property
    def status(self):
        return consts.SnapshotShipStatus(self._rest_data["status"])


class SnapshotShippingResponse(DataResponse):
    @property
    def shippings(self):
        return [Shipping(x) for x in self._rest_data]
