"""Wire JSON of node connections, size queries, configurations and events."""
from typing import Dict, List, Optional, Tuple

from ...apicallrc import RcEntry
from ...model.objects import PhysicalDevice
from ...model.size_info import SizeInfo

# LinStor.OVERSUBSCRIPTION_RATIO_DEFAULT
DEFAULT_OVERSUBSCRIPTION_RATIO = 20.0


def node_connection(conn: Tuple[str, str, Dict[str, str]]) -> dict:
    node_a, node_b, props = conn
    return {"node_a": node_a, "node_b": node_b, "props": dict(props)}


def physical_device(dev: PhysicalDevice) -> dict:
    """``PhysicalStorageNode``: sizes in bytes; empty fields left out."""
    out = {"size": dev.size_kib * 1024, "rotational": dev.rotational, "device": dev.device}
    for attr in ("model", "serial", "wwn"):
        if getattr(dev, attr):
            out[attr] = getattr(dev, attr)
    return out


def size_info(info: Optional[SizeInfo], reports: List[RcEntry]) -> dict:
    """``QuerySizeInfoResponse``; the controller leaves out what is null or empty."""
    out: dict = {}
    if info is not None:
        space = {"max_vlm_size_in_kib": info.max_vlm_size_kib, "available_size_in_kib": info.available_kib,
                 "capacity_in_kib": info.capacity_kib,
                 "default_max_oversubscription_ratio": DEFAULT_OVERSUBSCRIPTION_RATIO}
        spawn = []
        for pool in info.next_spawn:
            entry = {"node_name": pool.node_name, "stor_pool_name": pool.pool_name,
                     "stor_pool_oversubscription_ratio": pool.ratio}
            if pool.free_ratio is not None:
                entry["stor_pool_free_capacity_oversubscription_ratio"] = pool.free_ratio
            if pool.total_ratio is not None:
                entry["stor_pool_total_capacity_oversubscription_ratio"] = pool.total_ratio
            spawn.append(entry)
        if spawn:
            space["next_spawn_result"] = spawn
        out["space_info"] = space
    if reports:
        out["reports"] = [e.to_json() for e in reports]
    return out
