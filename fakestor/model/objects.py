"""The objects a LINSTOR controller keeps. Plain data; every rule lives in the cluster's operations.

Dicts of children are keyed by ``names.key(name)`` (upper case), as the controller compares
names case-insensitively; ``name`` keeps the spelling given at creation.
"""
from dataclasses import dataclass, field
from typing import Dict, List, Optional


@dataclass
class NetInterface:
    name: str
    address: str
    uuid: str
    satellite_port: Optional[int] = None
    satellite_encryption_type: Optional[str] = None
    is_active: bool = False


@dataclass
class PhysicalDevice:
    """A block device a satellite reports as free for a new device pool."""

    device: str
    size_kib: int
    rotational: bool = False
    model: Optional[str] = None
    serial: Optional[str] = None
    wwn: Optional[str] = None


@dataclass
class StoragePool:
    name: str
    node_name: str
    provider_kind: str
    uuid: str
    props: Dict[str, str] = field(default_factory=dict)
    # capacities in KiB as the satellite reports them; None for a pool never reported
    total_capacity: Optional[int] = None
    # KiB the pool's volumes (and snapshots) take: maintained by the resource operations
    allocated_kib: int = 0
    free_space_mgr_name: Optional[str] = None
    external_locking: bool = False

    @property
    def free_capacity(self) -> Optional[int]:
        if self.total_capacity is None:
            return None
        return max(self.total_capacity - self.allocated_kib, 0)


@dataclass
class Node:
    name: str
    type: str  # upper case, as the controller sends it: SATELLITE, COMBINED, ...
    uuid: str
    props: Dict[str, str] = field(default_factory=dict)
    flags: List[str] = field(default_factory=list)
    net_interfaces: Dict[str, NetInterface] = field(default_factory=dict)
    storage_pools: Dict[str, StoragePool] = field(default_factory=dict)
    physical_devices: List[PhysicalDevice] = field(default_factory=list)
    connection_status: str = "ONLINE"
    eviction_timestamp: Optional[int] = None


@dataclass
class StoragePoolDefinition:
    name: str
    uuid: str
    props: Dict[str, str] = field(default_factory=dict)


@dataclass
class VolumeDefinition:
    volume_number: int
    size_kib: int
    uuid: str
    # DRBD minor number; None when the definition's layer stack has no DRBD
    minor_number: Optional[int] = None
    props: Dict[str, str] = field(default_factory=dict)
    flags: List[str] = field(default_factory=list)


@dataclass
class Volume:
    volume_number: int
    uuid: str
    storage_pool_name: str
    provider_kind: str
    # KiB this volume takes from its storage pool now (0 for thin and diskless volumes)
    allocated_kib: int = 0
    props: Dict[str, str] = field(default_factory=dict)
    flags: List[str] = field(default_factory=list)


@dataclass
class Resource:
    name: str  # the resource definition's name
    node_name: str
    uuid: str
    layer_stack: List[str]
    node_id: Optional[int] = None
    peer_slots: int = 7
    props: Dict[str, str] = field(default_factory=dict)
    flags: List[str] = field(default_factory=list)
    volumes: Dict[int, Volume] = field(default_factory=dict)
    create_timestamp: int = 0
    # whether a DRBD device of the resource is open (Primary); set through the Python API
    in_use: bool = False


@dataclass
class ResourceConnection:
    node_a: str
    node_b: str
    uuid: str
    props: Dict[str, str] = field(default_factory=dict)
    flags: List[str] = field(default_factory=list)
    # DRBD proxy port, taken from the TCP port pool while the proxy is enabled
    port: Optional[int] = None


@dataclass
class ResourceDefinition:
    name: str
    uuid: str
    external_name: Optional[str] = None
    resource_group_name: str = "DfltRscGrp"
    props: Dict[str, str] = field(default_factory=dict)
    flags: List[str] = field(default_factory=list)
    # the layer stack given at creation or by modify; empty means the default (DRBD, STORAGE)
    layer_stack: List[str] = field(default_factory=list)
    # DRBD layer data; port is None when the definition has no DRBD layer
    port: Optional[int] = None
    secret: str = ""
    peer_slots: int = 7
    transport_type: str = "IP"
    volume_definitions: Dict[int, VolumeDefinition] = field(default_factory=dict)
    # keyed by names.key(node name)
    resources: Dict[str, Resource] = field(default_factory=dict)
    # keyed by the pair of node keys in sorted order
    connections: Dict[tuple, ResourceConnection] = field(default_factory=dict)


@dataclass
class SnapshotVolumeDefinition:
    volume_number: int
    size_kib: int
    uuid: str
    # the volume definition's properties and flags when the snapshot was taken
    volume_definition_props: Dict[str, str] = field(default_factory=dict)
    flags: List[str] = field(default_factory=list)
    props: Dict[str, str] = field(default_factory=dict)


@dataclass
class SnapshotVolume:
    volume_number: int
    uuid: str
    storage_pool_name: str
    provider_kind: str
    # KiB the snapshot volume holds in its pool (counts in the pool's reserved space)
    allocated_kib: int = 0
    volume_props: Dict[str, str] = field(default_factory=dict)
    props: Dict[str, str] = field(default_factory=dict)


@dataclass
class Snapshot:
    """The snapshot of one resource definition on one node."""

    node_name: str
    uuid: str
    create_timestamp: int
    # the resource's properties, node id and layers when the snapshot was taken
    resource_props: Dict[str, str] = field(default_factory=dict)
    node_id: Optional[int] = None
    layer_stack: List[str] = field(default_factory=list)
    props: Dict[str, str] = field(default_factory=dict)
    flags: List[str] = field(default_factory=list)
    volumes: Dict[int, SnapshotVolume] = field(default_factory=dict)


@dataclass
class SnapshotDefinition:
    name: str
    resource_name: str
    uuid: str
    # order of creation within the cluster ("the most recent snapshot")
    sequence: int = 0
    props: Dict[str, str] = field(default_factory=dict)
    resource_definition_props: Dict[str, str] = field(default_factory=dict)
    flags: List[str] = field(default_factory=list)
    volume_definitions: Dict[int, SnapshotVolumeDefinition] = field(default_factory=dict)
    # keyed by names.key(node name)
    snapshots: Dict[str, Snapshot] = field(default_factory=dict)


@dataclass
class SnapshotShipping:
    resource_name: str
    snapshot_name: str
    from_node: str
    to_node: str
    # controller clock (ms) at which the shipping completes; None once aborted
    complete_at_ms: Optional[int] = 0
