"""What the placement tests share: the demo cluster grown to five satellites, reply checks."""
import copy
from typing import Any, Dict

from fakestor import Controller, fixtures
from linstor.responses import ApiCallResponse


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


def five_node_controller() -> Controller:
    ctl = Controller()
    fixtures.load(ctl, five_nodes())
    return ctl


def no_error(replies):
    """The replies, after checking that none of them is an error."""
    assert replies and all(not r.is_error() for r in replies if isinstance(r, ApiCallResponse)), \
        [str(r) for r in replies]
    return replies
