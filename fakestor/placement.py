"""The autoplacer of LINSTOR 1.31.3 as a pure function of a cluster snapshot.

The input is plain data (``NodeSnap``, ``PoolSnap``, ``ExistingRsc``, ``SelectFilter``), so the
model builds a snapshot and asks; nothing here touches the cluster. The stages follow the
controller: the request's filter is merged over the resource group's, the count of replicas
to add is decided (``place``), pools are filtered, scored and selected (``select_pools``), and
the result names the pools and the nodes that get a diskless resource. ``query_max_volume_size``
runs the same selection once per storage pool definition.

Selection is the controller's depth-first search over the pools sorted by score. The
controller's outer loop that compares the sums of several searches never runs more than one
real search (the search state is not reset between its rounds), so the result is the first
complete selection of that depth-first order; the bounds used here only cut branches that
cannot complete, so they never change which selection comes out first.
"""
from typing import Dict, List, Mapping, Optional, Sequence, Union

from linstor import sharedconsts as C

from .autoplacer.capacity import free_capacity_estimate, oversubscription_ratio
from .autoplacer.data import (
    DEFAULT_DRBD_VERSION,
    DISKLESS_POOL,
    MAX_LONG,
    OVERSUBSCRIPTION_RATIO_DEFAULT,
    RULES_1_31_3,
    THIN_KINDS,
    Chosen,
    ExistingRsc,
    MaxSizeCandidate,
    NodeSnap,
    Placement,
    PlacementError,
    PoolSnap,
    Rules,
    SelectFilter,
    parse_layers,
    parse_providers,
    shared_name,
)
from .autoplacer.java import java_hash_order, java_list
from .autoplacer.kinds import mixing_allowed
from .autoplacer.pool_filter import filter_pools
from .autoplacer.scoring import score_pools
from .autoplacer.selection import select_pools

__all__ = [
    "DEFAULT_DRBD_VERSION", "DISKLESS_POOL", "OVERSUBSCRIPTION_RATIO_DEFAULT", "Chosen", "ExistingRsc",
    "MaxSizeCandidate", "NodeSnap", "Placement", "PlacementError", "PoolSnap", "RULES_1_31_3", "Rules", "SelectFilter", "filter_pools",
    "free_capacity_estimate", "help_string", "mixing_allowed", "oversubscription_ratio", "parse_layers",
    "parse_providers", "place", "query_max_volume_size", "score_pools", "select_pools",
]

def _one_per_shared_pool(existing: Sequence[ExistingRsc], nodes_by_key) -> List[ExistingRsc]:
    seen, out = set(), []
    for rsc in existing:
        node = nodes_by_key.get(rsc.node.upper())
        pool = None
        if node is not None and rsc.pool:
            pool = next((p for p in node.pools if p.name.upper() == rsc.pool.upper()), None)
        name = shared_name(rsc.node, pool) if pool is not None else None
        if name is not None and name in seen:
            continue
        if name is not None:
            seen.add(name)
        out.append(rsc)
    return out


def help_string(flt: SelectFilter, indent: str = "", x_map_order: Optional[List[str]] = None) -> str:
    """``AutoSelectFilterApi#asHelpString``."""
    lines: List[str] = []

    def single(label, value):
        if value is not None:
            if isinstance(value, bool):
                value = "true" if value else "false"
            lines.append("%s%s: %s\n" % (indent, label, value))

    def many(singular, plural, items):
        if items:
            lines.append("%s%s:\n" % (indent, singular if len(items) == 1 else plural))
            lines.extend("%s   %s\n" % (indent, item) for item in items)

    single("Replica count", flt.place_count)
    single("Additional replica count", flt.additional_place_count)
    many("Node name", "Node names", flt.node_name_list)
    many("Storage pool name", "Storage pool names", flt.storage_pool_list)
    many("Storage pool diskless name", "Storage pool diskless names", flt.storage_pool_diskless_list)
    many("Do not place with resource", "Do not place with resources", flt.not_place_with_rsc)
    single("Do not place with resource (regex)", flt.not_place_with_rsc_regex)
    many("Replicas on nodes with same property", "Replicas on nodes with same properties", flt.replicas_on_same)
    many("Replicas on nodes with different property", "Replicas on nodes with different properties",
         flt.replicas_on_different)
    if flt.x_replicas_on_different_map:
        xmap = dict(flt.x_replicas_on_different_map)
        keys = x_map_order or list(xmap)
        many("X replicas on nodes with different property", "X replicas on nodes with different properties",
             ["%s: %s" % (k, xmap[k]) for k in keys])
    many("Layer stack", "Layer stack", flt.layer_stack)
    many("Allowed Provider", "Allowed Providers", flt.provider_list)
    single("Diskless on remaining", flt.diskless_on_remaining)
    many("Skip check if already placed on node", "Skip check if already placed on nodes",
         flt.skip_already_placed_on_nodes)
    single("Skip check if already placed on any node", flt.skip_already_placed_on_all_nodes)
    single("Diskful/Diskless type", flt.diskless_type)
    return "".join(lines)


def _not_enough_nodes(pool_list, size_kib: int, flt: SelectFilter, x_order=None) -> PlacementError:
    criteria = ""
    if pool_list:
        criteria = (" * has a deployed storage pool named %s\n * the storage pools have to have at least '%d' "
                    "free space\n" % (java_list(pool_list), size_kib))
    details = ("Not enough nodes fulfilling the following auto-place criteria:\n" + criteria +
               " * the current access context has enough privileges to use the node and the storage pool\n"
               " * the node is online\n\nAuto-place configuration details:\n" + help_string(flt, "   ", x_order))
    return PlacementError(C.FAIL_NOT_ENOUGH_NODES, "Not enough available nodes", details=details)


def _remaining_diskless_nodes(nodes, existing, selected, rules: Rules) -> List[str]:
    """Satellites (exactly SATELLITE in 1.31.3) without a resource of the definition, or with only
    a tie-breaker, that were not just chosen for a disk."""
    holders: Dict[str, bool] = {}
    for rsc in existing:
        key = rsc.node.upper()
        holders[key] = holders.get(key, True) and "TIE_BREAKER" in rsc.flags
    chosen = {c.node.upper() for c in selected}
    out = []
    for node in sorted(nodes, key=lambda n: n.key):
        key = node.key
        allowed_types = ("SATELLITE", "COMBINED") if rules.diskless_on_combined else ("SATELLITE",)
        if node.type not in allowed_types or key in chosen:
            continue
        if key in holders and not holders[key]:
            continue
        out.append(node.name)
    return out


def place(nodes: Sequence[NodeSnap], existing: Sequence[ExistingRsc], select_filter: Optional[SelectFilter],
          size_kib: int, *, rsc_name: str, group_filter: Optional[SelectFilter] = None,
          controller_props: Optional[Mapping[str, str]] = None, allow_mixing: bool = False,
          rsc_dfn_layer_stack: Sequence[str] = (), rules: Rules = RULES_1_31_3) -> Union[Placement, PlacementError]:
    """An autoplace of resource definition ``rsc_name`` (whose volume definitions sum up to
    ``size_kib``) over the cluster ``nodes``; ``existing`` are its resources. ``select_filter`` is
    the request's, merged over ``group_filter`` (the resource group's, as ``group_select_filter``
    gives it). Never raises: a refusal is returned as a PlacementError."""
    try:
        return _place(nodes, existing, select_filter, size_kib, rsc_name, group_filter, controller_props or {},
                      allow_mixing, rsc_dfn_layer_stack, rules)
    except PlacementError as err:
        return err


def _place(nodes, existing, request, size_kib, rsc_name, group_filter, controller_props, allow_mixing,
           rsc_dfn_layer_stack, rules):
    merged = SelectFilter.merge(request, group_filter)
    nodes_by_key = {n.key: n for n in nodes}
    already = _one_per_shared_pool(existing, nodes_by_key)
    diskful, diskless = [], []
    for rsc in already:
        node = nodes_by_key.get(rsc.node.upper())
        node_flags = node.flags if node is not None else frozenset()
        if rsc.flags & {"DELETE", "EVICTED", "EVACUATE"} or "EVACUATE" in node_flags or rsc.skip_disk:
            continue
        (diskless if rsc.diskless else diskful).append(rsc)

    if merged.additional_place_count is not None and merged.additional_place_count > 0:
        additional = merged.additional_place_count
    elif not merged.diskless_type:
        additional = (merged.place_count or 0) - len(diskful)
    else:
        additional = (merged.place_count or 0) - len(diskless)
    if additional < 0:
        raise PlacementError(
            C.WARN_RSC_ALREADY_DEPLOYED,
            "The resource '%s' was already deployed on %d nodes: %s. The resource would have to be deleted "
            "from nodes to reach the placement count." % (rsc_name, len(already),
                                                          ", ".join("'%s'" % _display(r.node, nodes_by_key)
                                                                    for r in already)))

    pool_list = merged.storage_pool_list if not already or merged.storage_pool_list else None
    dl_pool_list = merged.storage_pool_diskless_list if not already or merged.storage_pool_diskless_list \
        else None

    if additional == 0 and not merged.diskless_on_remaining:
        shown = diskful if not merged.diskless_type else diskless
        return Placement(
            [], [], C.WARN_RSC_ALREADY_DEPLOYED,
            "Resource '%s' was already deployed on %d nodes. Skipping." % (rsc_name, len(shown)),
            details="Used nodes: '%s'" % "', '".join(_display(r.node, nodes_by_key) for r in shown),
            size_kib=size_kib)

    config = merged.with_changes(
        additional_place_count=additional,
        storage_pool_list=pool_list,
        storage_pool_diskless_list=dl_pool_list,
        not_place_with_rsc=tuple(merged.not_place_with_rsc or ()) + (rsc_name,),
        skip_already_placed_on_nodes=tuple(_display(r.node, nodes_by_key) for r in diskless),
    )
    selected = select_pools(nodes, config, size_kib, existing, controller_props, True, allow_mixing, rules)
    if selected is None:
        # a request's map keeps its JSON order; the group's is a java.util.HashMap
        x_order = None
        if config.x_replicas_on_different_map and (request is None or request.x_replicas_on_different_map is None):
            x_order = java_hash_order(k for k, _ in config.x_replicas_on_different_map)
        raise _not_enough_nodes(pool_list, size_kib, config, x_order)

    diskless_nodes: List[str] = []
    if merged.diskless_on_remaining:
        if not merged.layer_stack:
            diskful_after = len(selected) + sum(1 for r in existing if not r.diskless)
            if diskful_after == 0:
                raise PlacementError(C.FAIL_NOT_FOUND_RSC, "Cannot place 'diskless-on-remaining' without "
                                     "having diskful resources deployed", report=True)
            if not rsc_dfn_layer_stack:
                raise PlacementError(C.FAIL_INVLD_LAYER_STACK, "Could not find default layer stack", report=True)
        diskless_nodes = _remaining_diskless_nodes(nodes, existing, selected, rules)

    refs = {}
    for i, chosen in enumerate(selected):
        refs["Node/%d" % i] = chosen.node
        refs["StoragePool/%d/0" % i] = "%s,%s" % (chosen.pool, chosen.kind)
    return Placement(
        selected, diskless_nodes, C.CREATED,
        "Resource '%s' successfully autoplaced on %d nodes" % (rsc_name, len(selected)),
        details="Used nodes (storage pool name): '%s'" % "', '".join("%s (%s)" % (c.node, c.pool)
                                                                     for c in selected),
        obj_refs=refs, size_kib=size_kib)


def _display(name: str, nodes_by_key) -> str:
    node = nodes_by_key.get(name.upper())
    return node.name if node is not None else name


def query_max_volume_size(nodes: Sequence[NodeSnap], select_filter: SelectFilter,
                          pool_definitions: Sequence[str],
                          controller_props: Optional[Mapping[str, str]] = None
                          ) -> Union[List[MaxSizeCandidate], PlacementError]:
    """One selection (size 0, no resource definition) per storage pool definition name (or per
    name of the filter's storage_pool_list); each success is a candidate whose size is the
    smallest raw free capacity of its pools. Sorted by pool name; none -> FAIL_NOT_ENOUGH_NODES."""
    controller_props = controller_props or {}
    if select_filter.place_count is None:
        return PlacementError(C.FAIL_INVLD_PLACE_COUNT, "Replica count is required for this operation",
                              report=True)
    names_to_try = list(select_filter.storage_pool_list or ()) or sorted(pool_definitions, key=str.upper)
    candidates = []
    try:
        for name in names_to_try:
            current = SelectFilter.merge(SelectFilter(storage_pool_list=(name,)), select_filter)
            chosen = select_pools(nodes, current, 0, (), controller_props, has_rsc_dfn=False)
            if not chosen:
                continue
            by_node = {n.key: n for n in nodes}
            lowest = MAX_LONG
            for c in chosen:
                pool = next(p for p in by_node[c.node.upper()].pools if p.name == c.pool)
                if pool.free_kib is not None and pool.free_kib < lowest:
                    lowest = pool.free_kib
            display = next((d for d in pool_definitions if d.upper() == chosen[0].pool.upper()), chosen[0].pool)
            candidates.append(MaxSizeCandidate(display, lowest, tuple(c.node for c in chosen),
                                               all(c.kind in THIN_KINDS for c in chosen)))
    except PlacementError as err:
        return err
    if not candidates:
        return PlacementError(C.MASK_ERROR | C.FAIL_NOT_ENOUGH_NODES, "Not enough nodes")
    return sorted(candidates, key=lambda c: c.storage_pool)
