"""Wire JSON of resource groups, volume groups and query-max-volume-size answers.

The controller writes these classes with ``NON_EMPTY``: empty strings, lists and maps are left
out. A group's select filter shows only what ``Json#apiToResourceGroup`` copies (no node list,
no diskless pool list), and ``storage_pool`` only when exactly one pool is listed.
"""
from typing import List

from ...model.groups import ResourceGroup, VolumeGroup
from ...placement import OVERSUBSCRIPTION_RATIO_DEFAULT, MaxSizeCandidate


def _put(out: dict, key: str, value) -> None:
    if value is None or (isinstance(value, (str, list, dict, tuple)) and not value):
        return
    out[key] = list(value) if isinstance(value, tuple) else value


def select_filter(rg: ResourceGroup) -> dict:
    flt = rg.select_filter
    out: dict = {}
    _put(out, "place_count", flt.place_count)
    if flt.storage_pool_list and len(flt.storage_pool_list) == 1:
        out["storage_pool"] = flt.storage_pool_list[0]
    _put(out, "storage_pool_list", flt.storage_pool_list)
    _put(out, "not_place_with_rsc", flt.not_place_with_rsc)
    _put(out, "not_place_with_rsc_regex", flt.not_place_with_rsc_regex)
    _put(out, "replicas_on_same", flt.replicas_on_same)
    _put(out, "replicas_on_different", flt.replicas_on_different)
    _put(out, "x_replicas_on_different_map", dict(flt.x_replicas_on_different_map or ()))
    _put(out, "layer_stack", flt.layer_stack)
    _put(out, "provider_list", flt.provider_list)
    _put(out, "diskless_on_remaining", flt.diskless_on_remaining)
    return out


def resource_group(rg: ResourceGroup) -> dict:
    out = {"name": rg.name}
    _put(out, "description", rg.description)
    _put(out, "props", dict(rg.props))
    out["select_filter"] = select_filter(rg)
    out["uuid"] = rg.uuid
    return out


def volume_group(vg: VolumeGroup) -> dict:
    out = {"volume_number": vg.volume_number}
    _put(out, "props", dict(vg.props))
    out["uuid"] = vg.uuid
    _put(out, "flags", list(vg.flags))
    return out


def max_volume_sizes(candidates: List[MaxSizeCandidate]) -> dict:
    return {
        "candidates": [{"storage_pool": c.storage_pool, "max_volume_size_kib": c.max_volume_size_kib,
                        "node_names": list(c.node_names), "all_thin": c.all_thin} for c in candidates],
        "default_max_oversubscription_ratio": OVERSUBSCRIPTION_RATIO_DEFAULT,
    }
