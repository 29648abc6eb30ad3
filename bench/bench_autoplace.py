"""Times ``POST /v1/resource-definitions/{r}/autoplace`` through the REST layer and the model on
clusters of 10, 100 and 1,000 nodes (an LVM_THIN and a ZFS pool each); the largest also holds
10,000 resources (two replicas each), which the autoplacer's view of the pools has to count.

Run: python bench/bench_autoplace.py [--repeat N]
Each timed call places a fresh definition (one 1 GiB volume) on 3 nodes; prints the medians and
how each grows from one cluster size to the next (linear growth would be x10 per step).
"""
import argparse
import json
import os
import random
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from werkzeug.test import Client  # noqa: E402

from fakestor import Controller, create_app, fixtures  # noqa: E402

GIB = 1024 * 1024


def build(node_count: int, resource_count: int, seed: int = 1) -> Controller:
    rng = random.Random(seed)
    ctl = Controller()
    fixtures.load(ctl, {"nodes": [
        {"name": "node-%04d" % i, "address": "10.%d.%d.%d" % (i // 65536, i // 256 % 256, i % 256),
         "props": {"Aux/zone": "z%d" % (i % 3)},
         "storage_pools": [{"name": "thin", "provider_kind": "LVM_THIN", "pool": "vg0/thin",
                            "size": "%dG" % rng.randrange(200, 1000)},
                           {"name": "zfs", "provider_kind": "ZFS", "pool": "tank",
                            "size": "%dG" % rng.randrange(500, 2000)}]}
        for i in range(node_count)]})
    cluster = ctl.cluster
    nodes = sorted(n.name for n in cluster.nodes.values())
    # existing resources: storage only (no DRBD port or minor to allocate), two replicas each
    for r in range(resource_count):
        name = "pvc-%05d" % r
        cluster.create_resource_definition(name, layer_stack=["STORAGE"])
        cluster.create_volume_definition(name, rng.randrange(1, 20) * GIB)
        for node in rng.sample(nodes, 2):
            cluster.create_resources(name, [{"node_name": node,
                                             "props": {"StorPoolName": rng.choice(("thin", "zfs"))}}])
    return ctl


def time_autoplace(ctl: Controller, repeat: int, body: dict, prefix: str):
    http = Client(create_app(ctl))
    names = ["%s-%03d" % (prefix, i) for i in range(repeat)]
    for name in names:
        ctl.cluster.create_resource_definition(name)
        ctl.cluster.create_volume_definition(name, GIB)
    times = []
    for name in names:
        start = time.perf_counter()
        response = http.post("/v1/resource-definitions/%s/autoplace" % name, data=json.dumps(body))
        times.append(time.perf_counter() - start)
        assert response.status_code == 201, response.get_json()
        assert len(ctl.cluster.get_resource_definition(name).resources) == 3
    return statistics.median(times)


FILTERS = {
    "place_count=3": {"select_filter": {"place_count": 3}},
    "3 on different zones, zfs": {"select_filter": {"place_count": 3, "replicas_on_different": ["Aux/zone"],
                                                    "storage_pool": "zfs"}},
}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args(argv)
    sizes = ((10, 0), (100, 0), (1000, 10000))
    print("%-28s %8s %10s %12s %8s" % ("filter", "nodes", "resources", "median", "growth"))
    previous = {}
    for nodes, rscs in sizes:
        start = time.perf_counter()
        ctl = build(nodes, rscs)
        built = time.perf_counter() - start
        for idx, (label, body) in enumerate(FILTERS.items()):
            median = time_autoplace(ctl, args.repeat, body, "new%d" % idx)
            growth = "x%.1f" % (median / previous[label]) if label in previous else ""
            previous[label] = median
            print("%-28s %8d %10d %9.2f ms %8s" % (label, nodes, rscs, median * 1e3, growth))
            sys.stdout.flush()
        print("  (cluster built in %.1f s)" % built)
    return 0


if __name__ == "__main__":
    sys.exit(main())
