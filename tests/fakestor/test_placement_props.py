"""Properties of the autoplacer on random small clusters, checked against a brute-force search."""
from itertools import combinations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from fakestor.placement import (
    ExistingRsc,
    NodeSnap,
    Placement,
    PlacementError,
    PoolSnap,
    SelectFilter,
    free_capacity_estimate,
    place,
)
from linstor import sharedconsts as C

GIB = 1024 * 1024
KINDS = ("LVM", "LVM_THIN", "ZFS", "ZFS_THIN")
# kinds that may hold replicas of one resource together (mixing of LVM and ZFS is off by default)
FAMILY = {"LVM": "lvm", "LVM_THIN": "lvm-thin", "ZFS": "zfs", "ZFS_THIN": "zfs"}


@st.composite
def pools(draw, node_index):
    count = draw(st.integers(1, 2))
    out = []
    for i in range(count):
        total = draw(st.integers(1, 20)) * GIB
        free = draw(st.integers(0, total // GIB)) * GIB
        reserved = draw(st.sampled_from([0, total - free, total * 2]))
        shared = draw(st.sampled_from([None, None, "san"]))
        out.append(PoolSnap("p%d" % i, draw(st.sampled_from(KINDS)), free, total, reserved, 0, {}, {}, shared))
    return tuple(out)


@st.composite
def clusters(draw):
    count = draw(st.integers(1, 5))
    nodes = []
    for i in range(count):
        props = {}
        zone = draw(st.sampled_from([None, "z1", "z2", "z3"]))
        rack = draw(st.sampled_from([None, "r1", "r2"]))
        if zone:
            props["Aux/zone"] = zone
        if rack:
            props["Aux/rack"] = rack
        resources = frozenset(draw(st.sets(st.sampled_from(["other", "db"]), max_size=1)))
        nodes.append(NodeSnap("n%d" % i, "SATELLITE", draw(st.booleans()) or i == 0, props,
                              frozenset(draw(st.sets(st.sampled_from(["EVACUATE"]), max_size=1))) if i else frozenset(),
                              draw(pools(i)), resources))
    existing = []
    if draw(st.booleans()):
        holder = nodes[0]
        pool = holder.pools[0]
        nodes[0] = NodeSnap(holder.name, holder.type, holder.online, holder.props, holder.flags, holder.pools,
                            holder.resources | {"r1"})
        existing.append(ExistingRsc(holder.name, pool.name))
    return nodes, existing


@st.composite
def filters(draw):
    raw = {"place_count": draw(st.integers(1, 4))}
    if draw(st.booleans()):
        raw["replicas_on_different"] = ["Aux/zone"]
    if draw(st.integers(0, 3)) == 0:
        raw["x_replicas_on_different_map"] = {"Aux/zone": 2}
    if draw(st.booleans()):
        raw["replicas_on_same"] = ["Aux/rack"]
    if draw(st.booleans()):
        raw["storage_pool"] = draw(st.sampled_from(["p0", "p1"]))
    if draw(st.booleans()):
        raw["not_place_with_rsc"] = ["other"]
    return raw


def _eligible(node: NodeSnap, pool: PoolSnap, raw: dict, size: int) -> bool:
    if not node.online or "EVACUATE" in node.flags or "r1" in node.resources:
        return False
    if "other" in node.resources and raw.get("not_place_with_rsc"):
        return False
    if raw.get("storage_pool") and pool.name != raw["storage_pool"]:
        return False
    if raw.get("replicas_on_same") and "Aux/rack" not in node.props:
        return False
    return free_capacity_estimate(pool, {}) >= size


def _valid(combo, existing_nodes, raw) -> bool:
    chosen_nodes = [n for n, _ in combo]
    if len({n.name for n in chosen_nodes}) < len(combo):
        return False
    # one replica per shared space, counting the spaces the existing replicas already use
    shared = [p.shared_space or n.name + ":" + p.name for n, p in list(combo) + list(existing_nodes)]
    if len(set(shared)) < len(shared):
        return False
    if len({FAMILY[p.kind] for _, p in combo} | {FAMILY[p.kind] for _, p in existing_nodes}) > 1:
        return False
    everyone = chosen_nodes + [n for n, _ in existing_nodes]
    per_zone = (raw.get("x_replicas_on_different_map") or {}).get("Aux/zone")
    if per_zone is None and raw.get("replicas_on_different"):
        per_zone = 1
    if per_zone is not None:
        zones = [n.props["Aux/zone"] for n in everyone if "Aux/zone" in n.props]
        counts = [zones.count(z) for z in set(zones)]
        # at most per_zone replicas in a zone, and at most one zone left partly filled
        if any(c > per_zone for c in counts) or sum(1 for c in counts if c < per_zone) > 1:
            return False
    if raw.get("replicas_on_same"):
        # an existing replica on a node without the property fixes no value (SelectionManager
        # starts undecided), so only the nodes that have it must agree
        if len({n.props["Aux/rack"] for n in everyone if "Aux/rack" in n.props}) > 1:
            return False
    return True


def _brute_force(nodes, existing, raw, size):
    by_name = {n.name: n for n in nodes}
    existing_pairs = [(by_name[e.node], next(p for p in by_name[e.node].pools if p.name == e.pool))
                      for e in existing]
    wanted = raw["place_count"] - len(existing)
    candidates = [(n, p) for n in nodes for p in n.pools if _eligible(n, p, raw, size)]
    return any(_valid(combo, existing_pairs, raw) for combo in combinations(candidates, wanted))


def _pool(free_gib: int, name: str = "p0", shared=None) -> PoolSnap:
    return PoolSnap(name, "LVM", free_gib * GIB, GIB, 0, 0, {}, {}, shared)


@settings(max_examples=150, deadline=None)
@given(clusters(), filters(), st.integers(1, 30))
# replicas_on_same: the existing replica's node has no rack, so it fixes none and n1's rack is fine
@example(([NodeSnap("n0", "SATELLITE", True, {}, frozenset(), (_pool(0),), frozenset({"r1"})),
           NodeSnap("n1", "SATELLITE", True, {"Aux/rack": "r1"}, frozenset(), (_pool(1),), frozenset()),
           NodeSnap("n2", "SATELLITE", False, {}, frozenset(), (_pool(0),), frozenset())],
          [ExistingRsc("n0", "p0")]),
         {"place_count": 2, "x_replicas_on_different_map": {"Aux/zone": 2}, "replicas_on_same": ["Aux/rack"]}, 1)
# one replica per shared space: the existing replica already uses "san", so n1/p0 may not take one
@example(([NodeSnap("n0", "SATELLITE", True, {}, frozenset(), (_pool(0, shared="san"), _pool(0, "p1")),
                    frozenset({"r1"})),
           NodeSnap("n1", "SATELLITE", True, {}, frozenset(), (_pool(1, shared="san"), _pool(0, "p1")),
                    frozenset())],
          [ExistingRsc("n0", "p0")]),
         {"place_count": 2, "x_replicas_on_different_map": {"Aux/zone": 2}}, 1)
def test_placement_is_valid_and_complete(cluster, raw, size_gib):
    nodes, existing = cluster
    size = size_gib * GIB // 4
    result = place(nodes, existing, SelectFilter.from_json(raw), size, rsc_name="r1")
    wanted = raw["place_count"] - len(existing)
    if wanted <= 0:
        assert result.code == C.WARN_RSC_ALREADY_DEPLOYED
        return
    by_name = {n.name: n for n in nodes}
    if isinstance(result, Placement):
        combo = [(by_name[c.node], next(p for p in by_name[c.node].pools if p.name == c.pool))
                 for c in result.selected]
        assert len(combo) == wanted
        assert all(_eligible(n, p, raw, size) for n, p in combo)
        existing_pairs = [(by_name[e.node], by_name[e.node].pools[0]) for e in existing]
        assert _valid(combo, existing_pairs, raw)
        for _, pool in combo:
            if pool.kind in ("LVM", "ZFS"):  # thick: never more than is really there
                assert size <= pool.free_kib and size <= pool.total_kib - pool.reserved_kib
    else:
        assert isinstance(result, PlacementError)
        assert result.code == C.FAIL_NOT_ENOUGH_NODES
        assert not _brute_force(nodes, existing, raw, size)
    if isinstance(result, Placement):
        assert _brute_force(nodes, existing, raw, size)
