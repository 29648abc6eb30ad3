"""What the resources and snapshots of the cluster take, kept up to date as they change.

The autoplacer needs, for every storage pool of every node, the space its volumes and snapshot
volumes reserve and how many resources it holds, and for every node the resources it holds;
port and minor allocation need the numbers in use. Counting those over the whole cluster on
each call makes an autoplace cost as much as the cluster is big, so they are kept here instead:
each resource definition's share (its resources' volumes, its snapshots, its port and minors)
is recorded, and an operation that changes a definition marks it (``_touch_rd``); the totals are
brought up to date from the marked definitions only, when next read. The autoplacer's view of
each node (``NodeSnap``) is kept the same way: rebuilt for the nodes whose usage changed, and
for all after any change to nodes, pools or pool definitions (``_nodes_changed``).

None of this is part of the cluster's state: a restored or loaded state starts a fresh index.
Code that changes model objects directly instead of through operations calls ``recount()``
(the controller does so after running a scheduled callback).
With ``check_indexes`` on (the test suite turns it on), the controller compares the index to a
recount after every write, so an operation that forgets to mark what it changes fails a test.
"""
from typing import Container, Dict, FrozenSet, Iterable, List, Optional, Set, Tuple

from . import names

PoolKey = Tuple[str, str]  # (node key, pool key)


class _Share:
    """One resource definition's part of the totals (tuples: there is one per definition)."""

    __slots__ = ("name", "reserved", "pools", "nodes", "ports", "minors")

    def __init__(self, name: str, reserved: Dict[PoolKey, int], pools: Set[PoolKey], nodes: Set[str],
                 ports: List[int], minors: List[int]):
        self.name = name
        self.reserved = tuple(reserved.items())
        self.pools = tuple(pools)
        self.nodes = tuple(nodes)
        self.ports = tuple(ports)
        self.minors = tuple(minors)


def _share_of(cluster, rd_key: str) -> Optional[_Share]:
    rd = cluster.resource_definitions.get(rd_key)
    per_rd = getattr(cluster, "snapshot_definitions", {}).get(rd_key)
    if rd is None and not per_rd:
        return None
    reserved: Dict[PoolKey, int] = {}
    pools: Set[PoolKey] = set()
    nodes: Set[str] = set()
    ports: List[int] = []
    minors: List[int] = []
    if rd is not None:
        vds = rd.volume_definitions
        for node_key, rsc in rd.resources.items():
            if "DELETE" not in rsc.flags:
                nodes.add(node_key)
            for vlm in rsc.volumes.values():
                key = (node_key, names.key(vlm.storage_pool_name))
                pools.add(key)
                if vlm.provider_kind != "DISKLESS":
                    vd = vds.get(vlm.volume_number)
                    reserved[key] = reserved.get(key, 0) + (vd.size_kib if vd is not None else 0)
        if rd.port is not None:
            ports.append(rd.port)
        ports.extend(c.port for c in rd.connections.values() if c.port is not None)
        minors.extend(vd.minor_number for vd in vds.values() if vd.minor_number is not None)
    for sd in (per_rd or {}).values():
        for node_key, snap in sd.snapshots.items():
            for vlm in snap.volumes.values():
                key = (node_key, names.key(vlm.storage_pool_name))
                reserved[key] = reserved.get(key, 0) + vlm.allocated_kib
    return _Share(rd.name if rd is not None else rd_key, reserved, pools, nodes, ports, minors)


def _add(counts: Dict, key, delta: int) -> None:
    value = counts.get(key, 0) + delta
    if value:
        counts[key] = value
    else:
        counts.pop(key, None)


class UsageIndex:
    """The totals of every resource definition's share, and the node views built from them."""

    def __init__(self) -> None:
        self.shares: Dict[str, _Share] = {}
        self.reserved: Dict[PoolKey, int] = {}
        self.rsc_count: Dict[PoolKey, int] = {}
        self.on_node: Dict[str, Set[str]] = {}
        self.ports: Dict[int, int] = {}  # number -> how many hold it (a clash stays visible)
        self.minors: Dict[int, int] = {}
        # "ports"/"minors" -> {start of a range: the first number from there not in use, as last seen}
        self.free_marks: Dict[str, Dict[int, int]] = {"ports": {}, "minors": {}}
        self.dirty: Set[str] = set()
        self.complete = False  # False: recount everything on the next read
        self.changed_nodes: Set[str] = set()  # node keys whose usage changed since their view was built
        self.node_views: Optional[Dict[str, object]] = None  # node key -> NodeSnap; None: none built
        self.node_list: Optional[List[object]] = None

    # -- keeping the totals -------------------------------------------------------------------
    def _apply(self, share: _Share, sign: int) -> None:
        for key, kib in share.reserved:
            _add(self.reserved, key, sign * kib)
        for key in share.pools:
            _add(self.rsc_count, key, sign)
        for node_key in share.nodes:
            held = self.on_node.setdefault(node_key, set())
            if sign > 0:
                held.add(share.name)
            else:
                held.discard(share.name)
        for kind, numbers, counts in (("ports", share.ports, self.ports), ("minors", share.minors, self.minors)):
            for number in numbers:
                _add(counts, number, sign)
                if sign < 0 and number not in counts:
                    marks = self.free_marks[kind]
                    for start, mark in marks.items():
                        if start <= number < mark:
                            marks[start] = number  # free again: scans start no later than here
        self.changed_nodes.update(k[0] for k, _ in share.reserved)
        self.changed_nodes.update(k[0] for k in share.pools)
        self.changed_nodes.update(share.nodes)

    def refresh(self, cluster) -> "UsageIndex":
        if not self.complete:
            self.__init__()
            keys: Iterable[str] = set(cluster.resource_definitions) | set(getattr(cluster, "snapshot_definitions", {}))
            self.complete = True
        else:
            keys, self.dirty = self.dirty, set()
        for rd_key in keys:
            old = self.shares.pop(rd_key, None)
            if old is not None:
                self._apply(old, -1)
            new = _share_of(cluster, rd_key)
            if new is not None:
                self.shares[rd_key] = new
                self._apply(new, +1)
        return self

    def resources_on(self, node_key: str) -> FrozenSet[str]:
        return frozenset(self.on_node.get(node_key, ()))

    def totals(self) -> dict:
        """Everything the index answers, for comparing two indexes."""
        return {"reserved": self.reserved, "rsc_count": self.rsc_count,
                "on_node": {k: v for k, v in self.on_node.items() if v}, "ports": self.ports,
                "minors": self.minors}


class UsageOps:
    """The cluster's side: marking what changed, and reading the index."""

    def _init_usage(self) -> None:
        self.usage_index = UsageIndex()
        self.undo_logs: List[dict] = []  # see ResourceOps._undoable

    def _touch_rd(self, rsc_name: str) -> None:
        """An operation changed the resources, volumes, volume definitions, port or snapshots of
        this resource definition."""
        self.usage_index.dirty.add(names.key(rsc_name))

    def _nodes_changed(self) -> None:
        """An operation changed nodes, their storage pools or the pool definitions."""
        self.usage_index.node_views = None
        self.usage_index.node_list = None

    def recount(self) -> None:
        """Model objects were changed directly, not by the cluster's operations (a test setting
        a pool's capacity, a scheduled callback setting node properties): the kept usage and node
        views are counted again from the objects on next use."""
        self.usage_index = UsageIndex()

    def _state_replaced(self) -> None:
        self.recount()

    def usage(self) -> UsageIndex:
        return self.usage_index.refresh(self)

    def used_tcp_ports(self):
        """The ports in use: resource definitions' and DRBD proxies' (one global pool)."""
        return self.usage().ports.keys()

    def lowest_free_number(self, kind: str, bounds: Tuple[int, int], also: Container[int] = ()) -> Optional[int]:
        """The lowest port or minor (``kind`` "ports" or "minors") within ``bounds`` that is
        neither in use nor in ``also``; None when there is none. The scan starts where the last
        one found the first number not in use (numbers below only come free by a release, which
        moves that mark back), so allocating one after another does not walk the range anew."""
        index = self.usage()
        used = index.ports if kind == "ports" else index.minors
        marks = index.free_marks[kind]
        number = max(bounds[0], marks.get(bounds[0], bounds[0]))
        while number <= bounds[1] and number in used:
            number += 1
        marks[bounds[0]] = number
        while number <= bounds[1] and (number in used or number in also):
            number += 1
        return number if number <= bounds[1] else None

    def used_minors(self):
        return self.usage().minors.keys()

    def check_usage_index(self) -> None:
        """Raises AssertionError when the kept index or node views differ from a recount."""
        from .placement_input import node_snapshot, node_snapshots

        fresh = UsageIndex().refresh(self)
        kept, recounted = self.usage().totals(), fresh.totals()
        if kept != recounted:
            diff = {name: (value, recounted[name]) for name, value in kept.items() if value != recounted[name]}
            raise AssertionError("usage index out of date (kept, recounted): %r" % diff)
        views = node_snapshots(self)
        rebuilt = [node_snapshot(self, node, fresh) for _, node in sorted(self.nodes.items())]
        if views != rebuilt:
            stale = [(a, b) for a, b in zip(views, rebuilt) if a != b] or [(len(views), len(rebuilt))]
            raise AssertionError("node views out of date (kept, rebuilt): %r" % stale[:1])
