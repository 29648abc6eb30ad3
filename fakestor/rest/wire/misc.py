"""Wire JSON of node connections, size queries, configurations and events."""
from typing import Dict, Tuple

from ...model.objects import PhysicalDevice


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
