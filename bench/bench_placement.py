"""Times one autoplace on clusters of 10, 100 and 1,000 nodes (3 storage pools each).

Run: python bench/bench_placement.py
The largest cluster also holds 10,000 resources spread over its nodes, so the
not-place-with check (which always includes the placed resource's own name) sees them.
Prints the median time per call and how it grows from one size to the next.
"""
import os
import random
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from fakestor.placement import NodeSnap, PoolSnap, SelectFilter, place  # noqa: E402

GIB = 1024 * 1024


def cluster(node_count: int, resource_count: int, seed: int = 1):
    rng = random.Random(seed)
    holders = [set() for _ in range(node_count)]
    for r in range(resource_count):
        for idx in rng.sample(range(node_count), min(2, node_count)):
            holders[idx].add("pvc-%05d" % r)
    nodes = []
    for i in range(node_count):
        pools = (
            PoolSnap("thin", "LVM_THIN", rng.randrange(50, 500) * GIB, 500 * GIB,
                     reserved_kib=rng.randrange(0, 400) * GIB, rsc_count=len(holders[i])),
            PoolSnap("zfs", "ZFS", rng.randrange(50, 900) * GIB, 1000 * GIB),
            PoolSnap("lvm", "LVM", rng.randrange(10, 200) * GIB, 200 * GIB),
            PoolSnap("DfltDisklessStorPool", "DISKLESS", None, None),
        )
        nodes.append(NodeSnap("node-%04d" % i, props={"Aux/zone": "z%d" % (i % 3), "Aux/rack": "r%d" % (i // 4)},
                              pools=pools, resources=frozenset(holders[i])))
    return nodes


FILTERS = {
    "plain place_count=3": {"place_count": 3},
    "replicas_on_different zone": {"place_count": 3, "replicas_on_different": ["Aux/zone"]},
    "replicas_on_same rack, pool zfs": {"place_count": 3, "replicas_on_same": ["Aux/rack"],
                                        "storage_pool": "zfs"},
}


def median_call(nodes, flt, repeat: int):
    """Median wall-clock and CPU seconds of one call (CPU time is steadier on a busy machine)."""
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = place(nodes, [], flt, 10 * GIB, rsc_name="new-rsc")
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        assert result.code == 1, result
    return statistics.median(wall), statistics.median(cpu)


def hard_cases():
    """Filters that make the depth-first search backtrack, on 1,000 nodes: the bounds must keep
    these from exploding."""
    def nodes(count, props):
        return [NodeSnap("n%04d" % i, props=props(i), pools=(
            PoolSnap("thin", "LVM_THIN", (100 + i) * GIB, 2000 * GIB),
            PoolSnap("zfs", "ZFS", (100 + i) * GIB // 2, 2000 * GIB),
            PoolSnap("lvm", "LVM", (100 + i) * GIB // 3, 2000 * GIB))) for i in range(count)]

    return {
        "2 zones, 3 replicas on different zones (fails)":
            (nodes(1000, lambda i: {"Aux/zone": "z%d" % (i % 2)}),
             {"place_count": 3, "replicas_on_different": ["Aux/zone"]}),
        "racks of 2, 3 replicas on the same rack (fails)":
            (nodes(1000, lambda i: {"Aux/rack": "r%d" % (i // 2)}),
             {"place_count": 3, "replicas_on_same": ["Aux/rack"]}),
        "only the emptiest rack has 3 nodes":
            (nodes(1001, lambda i: {"Aux/rack": "r%d" % (i // 2) if i >= 3 else "big"}),
             {"place_count": 3, "replicas_on_same": ["Aux/rack"]}),
        "2 per zone, 1,000 one-node zones (fails)":
            (nodes(1000, lambda i: {"Aux/zone": "z%d" % i}),
             {"place_count": 3, "x_replicas_on_different_map": {"Aux/zone": 2}}),
    }


def main() -> None:
    sizes = [(10, 0), (100, 0), (1000, 10000)]
    clusters = {n: cluster(n, r) for n, r in sizes}
    for label, raw in FILTERS.items():
        flt = SelectFilter.from_json(raw)
        print(label)
        previous = None
        for n, r in sizes:
            wall, cpu = median_call(clusters[n], flt, repeat=40 if n < 1000 else 25)
            growth = "" if previous is None else "  (x%.1f wall, x%.1f cpu for x10 nodes)" % (
                wall / previous[0], cpu / previous[1])
            print("  %5d nodes x 3 pools, %5d resources: %7.3f ms wall, %7.3f ms cpu per call%s"
                  % (n, r, wall * 1000, cpu * 1000, growth))
            previous = (wall, cpu)
    print("searches that backtrack (1,000 nodes x 3 pools)")
    for label, (nodes, raw) in hard_cases().items():
        flt = SelectFilter.from_json(raw)
        cpu = []
        for _ in range(5):
            start = time.process_time()
            place(nodes, [], flt, GIB, rsc_name="new-rsc")
            cpu.append(time.process_time() - start)
        print("  %-50s %7.2f ms cpu per call" % (label, statistics.median(cpu) * 1000))


if __name__ == "__main__":
    main()
