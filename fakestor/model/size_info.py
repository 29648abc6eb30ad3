"""Size queries of resource groups: ``POST /v1/resource-groups/{rg}/query-size-info`` and
``POST /v1/queries/resource-groups/query-all-size-info`` (``CtrlRscGrpApiCallHandler#querySizeInfo``,
``CtrlQuerySizeInfoHelper`` of LINSTOR 1.31.3).

The autoplacer picks pools for a spawn of the group (size 0, no resource definition); the answer
holds the largest volume those pools take (their oversubscribed free capacity), and what all
pools the filter admits could hold together with ``place_count`` replicas each (raw free space,
and total capacity). The controller caches answers for callers that ask for it with
``ignore_cache_older_than_sec``; the fake computes each answer afresh.
"""
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from linstor import sharedconsts as C

from ..apicallrc import ApiError, RcEntry, bare_error
from ..autoplacer.capacity import free_capacity_estimate, kind_ratio, oversubscription_ratio
from ..placement import PlacementError, SelectFilter, filter_pools, select_pools
from . import names, placement_input


@dataclass
class SpawnPool:
    node_name: str
    pool_name: str
    ratio: float
    free_ratio: Optional[float]
    total_ratio: Optional[float]


@dataclass
class SizeInfo:
    """``space_info`` of the answer, or None when only ``reports`` are sent."""

    max_vlm_size_kib: int = 0
    available_kib: int = 0
    capacity_kib: int = 0
    next_spawn: List[SpawnPool] = field(default_factory=list)


def fill_up(sizes: List[int], place_count: int) -> int:
    """How much ``place_count``-fold replicated data fits into pools of these sizes: repeatedly
    fill the ``place_count`` largest by the smallest of them (``CtrlQuerySizeInfoHelper#simulate``)."""
    sizes = list(sizes)
    total = 0
    if place_count <= 0:
        return total
    while len(sizes) >= place_count:
        sizes.sort()
        first = len(sizes) - place_count
        step = sizes[first]
        total += step
        for idx in range(first, len(sizes)):
            sizes[idx] -= step
        sizes = [s for s in sizes if s != 0]
    return total


class SizeInfoOps:
    def query_size_info(self, rg_name: str, request: SelectFilter) -> Tuple[Optional[SizeInfo], List[RcEntry]]:
        """(space info, reports); a missing or invalid group is a report, not a refusal."""
        try:
            rg = self.get_resource_group(rg_name)
        except ApiError as err:
            return None, err.entries
        return self._size_info_of(rg, request)

    def query_all_size_info(self, request: SelectFilter) -> Dict[str, Tuple[Optional[SizeInfo], List[RcEntry]]]:
        """Every group by its name (ordered as the controller's TreeMap of display names)."""
        out = {}
        for _, rg in sorted(self.resource_groups.items()):
            out[rg.name] = self._size_info_of(rg, request)
        return dict(sorted(out.items()))

    def _size_info_of(self, rg, request: SelectFilter) -> Tuple[Optional[SizeInfo], List[RcEntry]]:
        # the group itself must name a replica count; the request's does not count here
        if rg.select_filter.place_count is None:
            return None, [RcEntry(C.FAIL_INVLD_PLACE_COUNT, "Replica count is required for this operation")]
        merged = SelectFilter.merge(request, rg.select_filter)
        try:
            return self._size_info(merged), []
        except PlacementError as err:
            raise bare_error(err.code, err.message, details=err.details, report=err.report)

    def _size_info(self, flt: SelectFilter) -> SizeInfo:
        nodes = placement_input.node_snapshots(self)
        cprops = self.controller_props
        by_node = {n.key: n for n in nodes}
        chosen = select_pools(nodes, flt, 0, (), cprops, has_rsc_dfn=False)
        # the pools the filter admits among those of online nodes with a backing device
        admitted = [pool for node, pool in filter_pools(nodes, flt, 0, (), cprops, has_rsc_dfn=False)
                    if node.online and pool.has_disk]
        info = SizeInfo()
        if chosen:
            selected = [next(p for p in by_node[names.key(c.node)].pools if p.name == c.pool) for c in chosen]
            estimates = [free_capacity_estimate(p, cprops, True) for p in selected]
            info.max_vlm_size_kib = min(e if e is not None else 0 for e in estimates)
            info.available_kib = fill_up([p.free_kib for p in admitted if p.free_kib is not None],
                                         flt.place_count or 0)
            info.next_spawn = [
                SpawnPool(c.node, p.name, oversubscription_ratio(p, cprops),
                          kind_ratio(p, cprops, C.KEY_STOR_POOL_MAX_FREE_CAPACITY_OVERSUBSCRIPTION_RATIO),
                          kind_ratio(p, cprops, C.KEY_STOR_POOL_MAX_TOTAL_CAPACITY_OVERSUBSCRIPTION_RATIO))
                for c, p in zip(chosen, selected)]
        info.capacity_kib = fill_up([p.total_kib for p in admitted if p.total_kib is not None], flt.place_count or 0)
        return info
