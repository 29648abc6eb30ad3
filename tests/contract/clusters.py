"""Clusters for the placement tests: the demo cluster grown to five satellites."""
import copy
from typing import Any, Dict

from fakestor import fixtures


def five_nodes() -> Dict[str, Any]:
    """alpha, bravo, charlie of the demo cluster plus delta (zone a, both pools) and echo (zone b,
    only the thin pool). Zones: a = alpha, delta; b = bravo, echo; c = charlie."""
    data = copy.deepcopy(fixtures.read("demo"))
    data["nodes"] += [
        {"name": "delta", "address": "10.43.0.4", "props": {"Aux/zone": "a", "Aux/rack": "r2"},
         "storage_pools": [{"name": "thin", "provider_kind": "LVM_THIN", "pool": "vg0/thin", "size": "100G"},
                           {"name": "zfs", "provider_kind": "ZFS", "pool": "tank", "size": "200G"}]},
        {"name": "echo", "address": "10.43.0.5", "props": {"Aux/zone": "b", "Aux/rack": "r3"},
         "storage_pools": [{"name": "thin", "provider_kind": "LVM_THIN", "pool": "vg0/thin", "size": "100G"}]},
    ]
    return data
