"""The pools that may take a replica (``StorPoolFilter``)."""
import re
from typing import Dict, List, Mapping, Optional, Sequence, Tuple

from linstor import sharedconsts as C

from .capacity import ConstRatio, Estimator
from .data import (
    RATIO_DEFAULTS,
    RULES_1_31_3,
    ExistingRsc,
    NodeSnap,
    PlacementError,
    PoolSnap,
    Rules,
    SelectFilter,
    prop,
    scaled,
)
from .java import java_hash_order, java_list


def _deployed_props_for_filter(existing, nodes_by_key, skip_upper, skip_all):
    if skip_all:
        return []
    out = []
    for rsc in existing:
        node = nodes_by_key.get(rsc.node.upper())
        if node is None or rsc.node.upper() in skip_upper:
            continue
        if rsc.flags & {"EVACUATE", "EVICTED"} or node.flags & {"EVACUATE", "EVICTED"}:
            continue
        out.append(node.props)
    return out


def undecidable(key: str, shown: str) -> PlacementError:
    return PlacementError(
        C.FAIL_UNDECIDABLE_AUTOPLACMENT,
        "The property in --replicas-on-same '%s' is already set on already deployed nodes with different "
        "values. Autoplacer cannot decide which value to continue with. Linstor found the following "
        "conflicting values: %s" % (key, shown), report=True)


def _fixed_same(entries, deployed_props) -> Dict[str, Optional[str]]:
    out: Dict[str, Optional[str]] = {}
    for entry in entries or ():
        key, sep, value = entry.partition("=")
        if sep:
            out[key] = value
            continue
        values = list(dict.fromkeys(v for v in (prop(p, key) for p in deployed_props) if v is not None))
        if len(values) > 1:
            raise undecidable(key, java_list(java_hash_order(values)))
        out[key] = values[0] if values else None
    return out


def _fixed_different(entries, deployed_props, xmap: Mapping[str, int]) -> Dict[str, Dict[str, int]]:
    out: Dict[str, Dict[str, int]] = {}
    pending = dict(xmap)

    def process(key, avoid):
        used = out.setdefault(key, {})
        if avoid is not None:
            used[avoid] = 0
        for props in deployed_props:
            value = prop(props, key)
            if value is not None:
                remaining = used.get(value)
                if remaining is None:
                    remaining = xmap.get(key, 1)
                used[value] = remaining - 1

    for entry in entries or ():
        key, sep, value = entry.partition("=")
        process(key, value if sep else None)
        pending.pop(key, None)
    for key in pending:
        process(key, None)
    return out


def _effective_layers(flt: SelectFilter) -> Tuple[Optional[Tuple[str, ...]], Optional[Tuple[str, ...]]]:
    """Layer and provider lists after the diskless-type rules of the filter."""
    layers, providers = flt.layer_stack, flt.provider_list
    dtype = flt.diskless_type
    if dtype == "NVME_INITIATOR":
        if not layers or "NVME" not in layers:
            raise PlacementError(C.FAIL_INVLD_LAYER_STACK, "You have to specify a --layer-list containing at "
                                 "least 'nvme' when autoplacing an nvme-initiator", report=True)
        layers = layers[layers.index("NVME"):]
    elif dtype == "DRBD_DISKLESS":
        if not layers or "DRBD" not in layers:
            layers = ("DRBD",) + tuple(layers or ())
    elif dtype == "EBS_INITIATOR":
        if not providers or "EBS_INIT" not in providers:
            providers = tuple(providers or ()) + ("EBS_INIT",)
    return layers, providers


def filter_pools(nodes: Sequence[NodeSnap], flt: SelectFilter, size_kib: int,
                 existing: Sequence[ExistingRsc], controller_props: Mapping[str, str],
                 has_rsc_dfn: bool = True, rules: Rules = RULES_1_31_3) -> List[Tuple[NodeSnap, PoolSnap]]:
    """The pools that may take a replica (``StorPoolFilter``)."""
    diskful = flt.diskless_type is None
    nodes_by_key = {n.key: n for n in nodes}
    skip_upper = {n.upper() for n in flt.skip_already_placed_on_nodes or ()}
    skip_all = bool(flt.skip_already_placed_on_all_nodes)
    deployed = _deployed_props_for_filter(existing, nodes_by_key, skip_upper, skip_all) if has_rsc_dfn else []

    node_names = {n.upper() for n in flt.node_name_list} if flt.node_name_list else None
    pool_list = flt.storage_pool_list if diskful else flt.storage_pool_diskless_list
    pool_names = {p.upper() for p in pool_list} if pool_list else None
    avoid_names = {n.upper() for n in flt.not_place_with_rsc} if flt.not_place_with_rsc else None
    regex = None
    if flt.not_place_with_rsc_regex is not None:
        try:
            regex = re.compile(flt.not_place_with_rsc_regex, re.IGNORECASE)
        except re.error as err:
            raise PlacementError(C.FAIL_UNKNOWN_ERROR, "Invalid regular expression '%s': %s"
                                 % (flt.not_place_with_rsc_regex, err), report=True)
    same = _fixed_same(flt.replicas_on_same, deployed)
    different = _fixed_different(flt.replicas_on_different, deployed, dict(flt.x_replicas_on_different_map or ()))
    layers, providers = _effective_layers(flt)
    provider_set = set(providers) if providers else None
    ctrl_target = controller_props.get(C.KEY_AUTOPLACE_ALLOW_TARGET)

    estimate_of = Estimator(controller_props)
    os_ratio, free_ratio, total_ratio = estimate_of.ratios
    kind_ratio = dict(RATIO_DEFAULTS) if os_ratio is None else {}
    fixed_ratios = None
    if os_ratio is None or os_ratio == os_ratio and os_ratio > 0:
        fixed_ratios = (free_ratio, total_ratio)
        if os_ratio is not None:
            kind_ratio = ConstRatio(os_ratio)
    if any(r is not None and not (r == r and r > 0) for r in (free_ratio, total_ratio)):
        fixed_ratios = None  # odd ratios (0, negative, NaN) take the general path
    # beyond the target property, the evacuation flag and the resources to avoid (the placed
    # resource itself is always one), which are checked inline below
    check_node = bool(node_names is not None or same or different or layers or ctrl_target is not None)
    avoid = bool(avoid_names or regex is not None)
    # no ratio anywhere but on pools with ratio properties: PoolSnap.default_estimate holds
    defaults = os_ratio is None and free_ratio is None and total_ratio is None
    target_key = C.KEY_AUTOPLACE_ALLOW_TARGET
    out = []
    for node in nodes:
        if not node.online:
            continue
        if check_node:
            if not _node_matches(node, node_names, same, different, ctrl_target, layers, avoid_names, regex,
                                 skip_all, skip_upper, rules):
                continue
        else:
            # what _node_matches checks when the filter names no node property
            if node.flags and "EVACUATE" in node.flags:
                continue
            if node.props:
                target = node.props.get(target_key)
                if target is not None and target.lower() == "false":
                    continue
            if avoid and (skip_all or node.key not in skip_upper):
                if avoid_names and not avoid_names.isdisjoint(node.resources_upper):
                    continue
                if regex is not None and any(regex.search(rsc_name) for rsc_name in node.resources):
                    continue
        for pair in node.disk_pairs if diskful else node.diskless_pairs:
            pool = pair[1]
            if pool_names is not None and pool.key not in pool_names:
                continue
            if provider_set is not None and pool.kind not in provider_set:
                continue
            if diskful:
                if pool.plain and defaults:
                    estimate = pool.default_estimate
                    if estimate is None:
                        if size_kib > 0:
                            continue
                    elif estimate < size_kib:
                        continue
                elif not pool.plain or fixed_ratios is None:
                    if estimate_of(pool) < size_kib:
                        continue
                else:
                    # a plain pool under the controller's ratios
                    free, total = pool.free_kib, pool.total_kib
                    if free is None or total is None:
                        if size_kib > 0:
                            continue
                    else:
                        ratio = kind_ratio.get(pool.kind, 1.0)
                        fr = ratio if fixed_ratios[0] is None else fixed_ratios[0]
                        tr = ratio if fixed_ratios[1] is None else fixed_ratios[1]
                        if min(scaled(free, fr), scaled(total, tr) - pool.reserved_kib) < size_kib:
                            continue
            if pool.props:
                target = pool.props.get(target_key)
                if target is not None and target.lower() == "false":
                    continue
            out.append(pair)
    return out


def _node_matches(node, node_names, same, different, ctrl_target, layers, avoid_names, regex, skip_all,
                  skip_upper, rules: Rules) -> bool:
    # the DELETE check is overwritten by the EVACUATE check in the controller: only EVACUATE counts
    if "EVACUATE" in node.flags:
        return False
    if node_names is not None and node.key not in node_names:
        return False
    for key, wanted in same.items():
        value = prop(node.props, key)
        if value is None or (wanted is not None and value != wanted):
            return False
    for key, remaining in different.items():
        value = prop(node.props, key)
        if value is not None and value in remaining and remaining[value] <= 0:
            return False
    # node props come before controller props
    if rules.node_target_beats_controller or ctrl_target is None:
        target = node.props.get(C.KEY_AUTOPLACE_ALLOW_TARGET, ctrl_target)
    else:
        target = ctrl_target
    if target is not None and target.lower() == "false":
        return False
    if layers and node.layers is not None and not set(layers) <= node.layers:
        return False
    if (avoid_names or regex is not None) and (skip_all or node.key not in skip_upper):
        if avoid_names and not avoid_names.isdisjoint(node.resources_upper):
            return False
        if regex is not None and any(regex.search(rsc_name) for rsc_name in node.resources):
            return False
    return True
