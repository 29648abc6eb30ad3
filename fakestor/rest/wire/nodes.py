"""Wire JSON of nodes, net interfaces, storage pools and physical storage."""
from typing import Dict

from ...model import storage as storage_model
from ...model.nodes import LAYERS, PROVIDERS, SATELLITE_TYPES, not_connected_warning
from ...model.objects import NetInterface, Node, StoragePool, StoragePoolDefinition


def net_interface(nic: NetInterface) -> dict:
    out = {"name": nic.name, "address": nic.address, "is_active": nic.is_active, "uuid": nic.uuid}
    if nic.satellite_port is not None:
        out["satellite_port"] = nic.satellite_port
        out["satellite_encryption_type"] = nic.satellite_encryption_type
    return out


def node(n: Node) -> dict:
    satellite = n.type in SATELLITE_TYPES
    out = {
        "name": n.name,
        "type": n.type,
        "flags": list(n.flags),
        "props": dict(n.props),
        "net_interfaces": [net_interface(nic) for nic in n.net_interfaces.values()],
        "connection_status": n.connection_status,
        "uuid": n.uuid,
        "storage_providers": list(PROVIDERS) if satellite else [],
        "resource_layers": list(LAYERS) if satellite else [],
        "unsupported_providers": {},
        "unsupported_layers": {},
    }
    if n.eviction_timestamp is not None:
        out["eviction_timestamp"] = n.eviction_timestamp
    return out


def storage_pool(pool: StoragePool, node_online: bool = True) -> dict:
    out = {
        "storage_pool_name": pool.name,
        "node_name": pool.node_name,
        "provider_kind": pool.provider_kind,
        "props": dict(pool.props),
        "static_traits": storage_model.static_traits(pool.provider_kind),
        "free_space_mgr_name": pool.free_space_mgr_name or "%s:%s" % (pool.node_name, pool.name),
        "uuid": pool.uuid,
        "supports_snapshots": storage_model.supports_snapshots(pool.provider_kind),
        "external_locking": pool.external_locking,
    }
    if not node_online:
        # listed in a pool's reports while its node is offline
        out["reports"] = [not_connected_warning(pool.node_name).to_json()]
    elif pool.total_capacity is not None:
        out["free_capacity"] = pool.free_capacity
        out["total_capacity"] = pool.total_capacity
    return out


def storage_pool_definition(spd: StoragePoolDefinition) -> dict:
    return {"storage_pool_name": spd.name, "props": dict(spd.props), "uuid": spd.uuid}


def physical_storage(group: dict) -> dict:
    nodes: Dict[str, list] = {}
    for node_name, devices in group["nodes"].items():
        entries = []
        for dev in devices:
            entry = {"device": dev.device}
            for attr in ("model", "serial", "wwn"):
                if getattr(dev, attr):
                    entry[attr] = getattr(dev, attr)
            entries.append(entry)
        nodes[node_name] = entries
    return {"size": group["size_kib"] * 1024, "rotational": group["rotational"], "nodes": nodes}
