"""The selection of pools among the candidates (``Selector``, ``SelectionManager``)."""
from typing import Dict, List, Mapping, Optional, Sequence

from .data import (
    DISKLESS_DRBD_VERSION,
    RULES_1_31_3,
    Chosen,
    ExistingRsc,
    NodeSnap,
    PoolSnap,
    Rules,
    SelectFilter,
    prop,
    shared_name,
)
from .java import java_hash_order, java_list
from .kinds import drbd_supports_mixing, mixing_allowed
from .pool_filter import filter_pools, undecidable
from .scoring import score_pools


class _State:
    __slots__ = ("nodes", "shared", "kinds", "remaining", "same", "diff", "chosen")

    def __init__(self, nodes, shared, kinds, remaining, same, diff, chosen):
        self.nodes = nodes
        self.shared = shared
        self.kinds = kinds  # kind -> tuple of DRBD versions
        self.remaining = remaining
        self.same = same
        self.diff = diff
        self.chosen = chosen


def _replica_count(flt: SelectFilter, existing_count: int) -> int:
    """``SelectionManager#getReplicaCount``: place_count beats additional_place_count."""
    additional = flt.additional_place_count if flt.additional_place_count and flt.additional_place_count > 0 \
        else None
    if flt.place_count is not None:
        if flt.place_count > existing_count:
            return flt.place_count - existing_count
        return additional or 0
    return additional or 0


class _Ranked:
    """The candidates in the controller's order (score descending, then node and pool name).
    Indices are sorted by score alone, which allocates no tuples; the names are consulted only
    within a run of equal scores, when the search first reaches it."""

    def __init__(self, candidates, scores):
        self.items = candidates
        self.scores = scores
        self.order = sorted(range(len(scores)), key=scores.__getitem__, reverse=True)  # stable
        self.settled = 0  # order[:settled] is final

    def __len__(self):
        return len(self.items)

    def _index(self, pos: int) -> int:
        order, scores = self.order, self.scores
        while self.settled <= pos:
            start = self.settled
            score = scores[order[start]]
            end = start + 1
            while end < len(order) and scores[order[end]] == score:
                end += 1
            if end - start > 1:
                items = self.items
                order[start:end] = sorted(order[start:end], key=lambda i: (items[i][0].key, items[i][1].key))
            self.settled = end
        return order[pos]

    def __getitem__(self, pos: int):
        return self.items[self._index(pos)]

    def score(self, pos: int) -> float:
        return self.scores[self._index(pos)]

    def __iter__(self):
        return iter(self.items)  # unordered: for whole-set bounds only


class _Search:
    def __init__(self, candidates, flt, xcounts, allow_mixing):
        self.candidates = candidates
        self.flt = flt
        self.xcounts = xcounts
        self.allow_mixing = allow_mixing
        self.backtracked = False
        self.bound_tables = None

    # the checks of SelectionManager#isAllowed
    def allowed(self, state: _State, node: NodeSnap, pool: PoolSnap, kinds: bool = True) -> bool:
        if node.key in state.nodes or node.shared_names[pool.name] in state.shared:
            return False
        for kind, versions in (state.kinds.items() if kinds else ()):
            for version in versions:
                if not mixing_allowed(pool.kind, node.drbd_version, kind, version, self.allow_mixing):
                    return False
        for key, wanted in state.same.items():
            if wanted is not None and prop(node.props, key) != wanted:
                return False
        for key, remaining in state.diff.items():
            value = prop(node.props, key)
            if value is not None:
                left = remaining.get(value)
                if left is not None and left <= 0:
                    return False
        return True

    def select(self, state: _State, idx: int) -> _State:
        node, pool = self.candidates[idx]
        same = dict(state.same)
        for key, wanted in state.same.items():
            if wanted is None:
                value = prop(node.props, key)
                if value is not None:
                    same[key] = value
        diff = {}
        for key, remaining in state.diff.items():
            copy = dict(remaining)
            value = prop(node.props, key)
            if value is not None:
                left = copy.get(value)
                if left is None:
                    left = self.xcounts.get(key, 1)
                copy[value] = left - 1
            diff[key] = copy
        # the controller rebuilds the kind map keeping only the newly selected kind (with the
        # versions of the entry it iterated last); with one DRBD version per cluster that is {kind}
        prev = state.kinds.get(pool.kind, ())
        kinds = {pool.kind: tuple(prev) + (node.drbd_version,)} if prev else {pool.kind: (node.drbd_version,)}
        return _State(state.nodes | {node.key}, state.shared | {node.shared_names[pool.name]},
                      kinds, state.remaining - 1, same, diff, state.chosen + (idx,))

    @staticmethod
    def valid(state: _State) -> bool:
        """At most one partially filled group per x-replicas-on-different key."""
        for remaining in state.diff.values():
            if sum(1 for left in remaining.values() if left > 0) > 1:
                return False
        return True

    def run(self, state: _State) -> Optional[_State]:
        # bounds are computed only once a branch has failed: a search that succeeds straight away
        # (the common case) pays nothing for them
        self.root = state
        return self._dfs(state, 0)

    def _dfs(self, state: _State, start: int) -> Optional[_State]:
        if state.remaining <= 0:
            return state
        if self.backtracked and not self._bound_ok(state):
            return None
        candidates = self.candidates
        rechecked = False
        for idx in range(start, len(candidates) - state.remaining + 1):
            node, pool = candidates[idx]
            if not self.allowed(state, node, pool):
                continue
            nxt = self.select(state, idx)
            done = self._dfs(nxt, idx + 1)
            if done is not None and done.remaining <= 0 and self.valid(done):
                return done
            self.backtracked = True
            if not rechecked:
                # the first failure below this state: can this state complete at all?
                rechecked = True
                if not self._bound_ok(state):
                    return None
        return None

    # Upper bounds on how many more pools a state can still take; used only to cut branches
    # that cannot complete, so the first complete selection stays the one the controller finds.
    def _prepare_bounds(self, state: _State) -> None:
        nodes_ok = {}
        # provider kinds are left out: the controller's kind bookkeeping can allow later what the
        # first state forbids, and a bound must never be too low
        for node, pool in self.candidates:
            if self.allowed(state, node, pool, kinds=False):
                nodes_ok.setdefault(node.key, node)
        shared = {n.shared_names[p.name] for n, p in self.candidates if n.key in nodes_ok}
        per_key = {}
        for key in set(state.same) | set(state.diff):
            counts: Dict[Optional[str], int] = {}
            for node in nodes_ok.values():
                value = prop(node.props, key)
                counts[value] = counts.get(value, 0) + 1
            per_key[key] = counts
        # per x-replicas key, what the values nobody has touched yet can give: fill-ups and the
        # largest partial group (touched values are corrected in _diff_room_ok)
        self.diff_base = {}
        for key in state.diff:
            default = self.xcounts.get(key, 1)
            counts = per_key[key]
            full = sum(default for v, c in counts.items() if v is not None and c >= default > 0)
            partials = sorted(((c, v) for v, c in counts.items() if v is not None and 0 < c < default),
                              reverse=True)
            self.diff_base[key] = (full, partials)
        self.bound_tables = (nodes_ok, len(shared), per_key)

    def _bound_ok(self, state: _State) -> bool:
        if self.bound_tables is None:
            self._prepare_bounds(self.root)
        nodes_ok, shared_count, per_key = self.bound_tables
        taken = len(state.chosen)
        need = state.remaining
        if len(nodes_ok) - taken < need or shared_count - taken < need:
            return False
        if not per_key:
            return True
        taken_values: Dict[str, Dict[Optional[str], int]] = {}
        for idx in state.chosen:
            node = self.candidates[idx][0]
            for key in per_key:
                value = prop(node.props, key)
                counter = taken_values.setdefault(key, {})
                counter[value] = counter.get(value, 0) + 1
        for key, wanted in state.same.items():
            counts = per_key[key]
            used = taken_values.get(key, {})
            if wanted is not None:
                room = counts.get(wanted, 0) - used.get(wanted, 0)
            else:
                room = max((c - used.get(v, 0) for v, c in counts.items() if v is not None), default=0)
            if room < need:
                return False
        for key, remaining in state.diff.items():
            if not self._diff_room_ok(key, remaining, per_key[key], taken_values.get(key, {}), need):
                return False
        return True

    def _diff_room_ok(self, key, remaining, counts, used, need) -> bool:
        """A valid completion fills some value groups up to their count, leaves at most one group
        partly filled, and adds any number of nodes without the property."""
        default = self.xcounts.get(key, 1)
        room = counts.get(None, 0) - used.get(None, 0)
        full, partials = self.diff_base[key]
        stuck = stuck_room = 0
        for value in set(remaining) | set(used):
            if value is None:
                continue
            if counts.get(value, 0) >= default > 0:
                full -= default  # replace the untouched estimate by the real one
            left = remaining.get(value, default)
            if left <= 0:
                continue
            avail = counts.get(value, 0) - used.get(value, 0)
            if avail >= left:
                full += left
            elif value in remaining:
                # already partly filled and unable to fill up: it stays the partial group
                stuck += 1
                stuck_room = avail
        if stuck > 1:
            return False
        if stuck:
            partial = stuck_room
        else:
            partial = next((c for c, v in partials if v not in remaining and v not in used), 0)
        return room + full + partial >= need


def _initial_same(entries, counted_nodes) -> Dict[str, Optional[str]]:
    out: Dict[str, Optional[str]] = {}
    for entry in entries or ():
        key, sep, value = entry.partition("=")
        by_value: Dict[str, List[str]] = {}
        for node in counted_nodes:
            v = prop(node.props, key)
            if v is not None:
                by_value.setdefault(v, []).append(node.name)
        if len(by_value) > 1:
            shown = "{" + ", ".join("%s=%s" % (v, java_list(by_value[v])) for v in java_hash_order(by_value)) + "}"
            raise undecidable(key, shown)
        if by_value:
            out[key] = next(iter(by_value))
        else:
            out[key] = value if sep else None
    return out


def _initial_diff(entries, xmap: Mapping[str, int], counted_nodes, xcounts: Dict[str, int]):
    out: Dict[str, Dict[str, int]] = {}
    xmap = dict(xmap)
    # a "key=value" entry and the same key from the x-map rebuild one entry; the filter already
    # dropped nodes with a forbidden value, so which of them is processed last does not matter
    for entry in list(dict.fromkeys(list(xmap) + list(entries or ()))):
        key, sep, value = entry.partition("=")
        remaining: Dict[str, int] = {}
        if sep:
            remaining[value] = -1
        max_count = xmap.setdefault(key, 1)
        for node in counted_nodes:
            v = prop(node.props, key)
            if v is not None:
                old = remaining.get(v, max_count)
                if old > 0:
                    remaining[v] = old - 1
        xcounts[key] = max_count
        out[key] = remaining
    return out


def select_pools(nodes: Sequence[NodeSnap], flt: SelectFilter, size_kib: int,
                 existing: Sequence[ExistingRsc] = (), controller_props: Optional[Mapping[str, str]] = None,
                 has_rsc_dfn: bool = True, allow_mixing: Optional[bool] = None,
                 rules: Rules = RULES_1_31_3) -> Optional[List[Chosen]]:
    """``Autoplacer#autoPlace``: the pools for the replicas to add, ordered by node and pool name,
    or None when no complete selection exists. ``allow_mixing`` is AllowMixingStoragePoolDriver
    (rsc dfn, group, controller); without a resource definition mixing is allowed."""
    controller_props = controller_props or {}
    candidates = filter_pools(nodes, flt, size_kib, existing, controller_props, has_rsc_dfn, rules)
    scores = score_pools(candidates, controller_props)
    ranked = _Ranked(candidates, scores)

    nodes_by_key = {n.key: n for n in nodes}
    counted_nodes, diskful, diskless = [], 0, 0
    shared, kinds = set(), {}
    skip = set(flt.skip_already_placed_on_nodes or ())
    for rsc in existing if has_rsc_dfn else ():
        if rsc.flags & {"DELETE", "EVICTED"}:
            continue
        node = nodes_by_key.get(rsc.node.upper())
        if node is None:
            continue
        counted = not flt.skip_already_placed_on_all_nodes and node.name not in skip and \
            not ("EVACUATE" in rsc.flags or "EVACUATE" in node.flags)
        if counted:
            counted_nodes.append(node)
            if rsc.diskless:
                diskless += 1
            else:
                diskful += 1
        pool = next((p for p in node.pools if rsc.pool and p.name.upper() == rsc.pool.upper()), None)
        if pool is not None:
            shared.add(shared_name(node.name, pool))
            if pool.kind != "DISKLESS":
                kinds.setdefault(pool.kind, []).append(node.drbd_version)
    allow_mixing = True if not has_rsc_dfn else bool(allow_mixing)
    if any(not drbd_supports_mixing(n.drbd_version) for n in counted_nodes):
        allow_mixing = False
    if flt.diskless_type is not None:
        kinds = {"DISKLESS": [DISKLESS_DRBD_VERSION]}

    xcounts: Dict[str, int] = {}
    state = _State(
        frozenset(n.name.upper() for n in counted_nodes), frozenset(shared),
        {k: tuple(v) for k, v in kinds.items()},
        _replica_count(flt, diskful if flt.diskless_type is None else diskless),
        _initial_same(flt.replicas_on_same, counted_nodes),
        _initial_diff(flt.replicas_on_different, dict(flt.x_replicas_on_different_map or ()), counted_nodes,
                      xcounts),
        (),
    )
    if state.remaining <= 0:
        # an empty selection counts as "no candidate" in the controller
        return None
    search = _Search(ranked, flt, xcounts, allow_mixing)
    done = search.run(state)
    if done is None:
        return None
    chosen = [Chosen(ranked[i][0].name, ranked[i][1].name, ranked[i][1].kind, ranked.score(i)) for i in done.chosen]
    return sorted(chosen, key=lambda c: (c.node.upper(), c.pool.upper()))
