"""The cluster as the autoplacer sees it: a snapshot of plain data for ``fakestor.placement``."""
from typing import List, Mapping, Optional, Sequence

from linstor import sharedconsts as C

from ..apicallrc import Context, RcEntry
from ..placement import (
    RULES_1_31_3,
    ExistingRsc,
    NodeSnap,
    Placement,
    PlacementError,
    PoolSnap,
    Rules,
    SelectFilter,
    place,
)
from . import names


def node_snapshot(cluster, node, usage) -> NodeSnap:
    """One node as the autoplacer sees it, its volume usage taken from ``usage`` (a UsageIndex).
    Offline nodes too: they hold resources and props the placement looks at."""
    node_key = names.key(node.name)
    reserved, counts = usage.reserved, usage.rsc_count
    pools = []
    for pool_key, pool in sorted(node.storage_pools.items()):
        spd = cluster.storage_pool_definitions.get(pool_key)
        key = (node_key, pool_key)
        pools.append(PoolSnap(
            pool.name, pool.provider_kind, pool.free_capacity, pool.total_capacity, reserved.get(key, 0),
            counts.get(key, 0), dict(pool.props), dict(spd.props) if spd is not None else {},
            pool.free_space_mgr_name))
    return NodeSnap(node.name, node.type, node.connection_status == "ONLINE", dict(node.props),
                    frozenset(node.flags), tuple(pools), usage.resources_on(node_key))


def node_snapshots(cluster) -> List[NodeSnap]:
    """Every node, in name order. The views are kept between calls (see ``usage``): only the
    nodes whose usage changed are built again. The list is shared: do not change it."""
    usage = cluster.usage()
    views = usage.node_views
    if views is None:
        views = usage.node_views = {k: node_snapshot(cluster, n, usage) for k, n in sorted(cluster.nodes.items())}
        usage.node_list = None
    else:
        for key in usage.changed_nodes:
            node = cluster.nodes.get(key)
            if node is not None and key in views:
                views[key] = node_snapshot(cluster, node, usage)
                usage.node_list = None
    usage.changed_nodes.clear()
    if usage.node_list is None:
        usage.node_list = [views[k] for k in sorted(views)]
    return usage.node_list


def autoplace_context(rsc_name: str) -> Context:
    """The context of ``POST .../autoplace`` (registered as a creation, object mask RSC)."""
    return Context(C.MASK_CRT, C.MASK_RSC, {C.KEY_RSC_DFN: rsc_name}, "Auto-placing resource: %s" % rsc_name)


def plan_autoplace(cluster, rsc_name: str, request: Optional[SelectFilter], existing: Sequence[ExistingRsc],
                   size_kib: int, group_name: str, rsc_dfn_props: Optional[Mapping[str, str]] = None,
                   rsc_dfn_layer_stack: Sequence[str] = (), ctx: Optional[Context] = None,
                   rules: Rules = RULES_1_31_3) -> Placement:
    """What an autoplace of ``rsc_name`` would do in ``cluster``; the resource operations create
    what it names. A refusal raises ApiError with the controller's entry (in ``ctx``, by default
    the autoplace context); WARN_RSC_ALREADY_DEPLOYED comes back as a Placement that places nothing,
    or, when place_count is below the deployed count, as an ApiError holding only that warning."""
    ctx = ctx or autoplace_context(rsc_name)
    group = cluster.get_resource_group(group_name)
    mixing = _first_prop(C.KEY_RSC_ALLOW_MIXING_DEVICE_KIND, rsc_dfn_props or {}, group.props,
                         cluster.controller_props)
    result = place(node_snapshots(cluster), existing, request, size_kib, rsc_name=rsc_name,
                   group_filter=group.select_filter, controller_props=cluster.controller_props,
                   allow_mixing=(mixing or "false").lower() == "true", rsc_dfn_layer_stack=rsc_dfn_layer_stack,
                   rules=rules)
    if isinstance(result, PlacementError):
        raise ctx.error(result.code, result.message, cause=result.cause, details=result.details,
                        report=result.report)
    return result


def reply_entry(placement: Placement, ctx: Context) -> RcEntry:
    """The autoplace's own reply entry: the success (with the chosen pools as obj_refs), or the
    already-deployed warning, to which the controller adds the object description."""
    if placement.placed:
        return ctx.entry(placement.code, placement.message, details=placement.details, refs=placement.obj_refs)
    details = "%s\n%s" % (placement.details, ctx.description) if placement.details else ctx.description
    return ctx.entry(placement.code, placement.message, details=details)


def _first_prop(key: str, *layers: Mapping[str, str]) -> Optional[str]:
    for props in layers:
        if key in props:
            return props[key]
    return None
