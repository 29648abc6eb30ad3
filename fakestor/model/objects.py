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
