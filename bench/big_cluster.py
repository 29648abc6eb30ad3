"""A large cluster built straight through the model operations, in process, and what it costs:
build time, resident memory, and snapshot()/restore()/reset() of its controller.

    python -m bench.big_cluster [--resources 100000] [--nodes 100] [--replicas 3]

Prints one JSON line (``python -m bench`` runs it in a process of its own, so the memory
figure is that process's resident-set growth and nothing else's).
"""
import argparse
import gc
import json
import time
from typing import Dict

from fakestor import Controller, fixtures

KIB_PER_GIB = 1024 * 1024


def rss_bytes() -> int:
    with open("/proc/self/statm") as fh:
        pages = int(fh.read().split()[1])
    import resource
    return pages * resource.getpagesize()


ONE_POOL = [{"name": "pool", "provider_kind": "LVM_THIN", "pool": "vg0/thin", "size": "10000T"}]


def empty_cluster(nodes: int, pools=ONE_POOL, props=lambda i: {}) -> Controller:
    """``nodes`` nodes, each with ``pools`` and the properties ``props(index)``."""
    controller = Controller()
    fixtures.load(controller, {
        "controller_props": {"TcpPortAutoRange": "7000-65535", "MinorNrAutoRange": "1000-1048575"},
        "nodes": [{"name": "node-%04d" % i, "address": "10.%d.%d.%d" % (i // 64516, i // 254 % 254, i % 254 + 1),
                   "props": props(i), "storage_pools": pools}
                  for i in range(nodes)]})
    return controller


def fill(controller: Controller, resources: int, nodes: int, replicas: int, pool: str = "pool") -> int:
    """Adds resource definitions of one 1 GiB volume with ``replicas`` diskful resources each until
    ``resources`` resources exist; returns how many resource definitions that took."""
    cluster = controller.cluster
    definitions = -(-resources // replicas)
    made = 0
    for i in range(definitions):
        name = "pvc-%06d" % i
        count = min(replicas, resources - made)
        cluster.create_resource_definition(name)
        cluster.create_volume_definition(name, KIB_PER_GIB)
        cluster.create_resources(name, [{"node_name": "node-%04d" % ((i + k) % nodes), "props": {"StorPoolName": pool}}
                                        for k in range(count)])
        made += count
    return definitions


def measure(resources: int, nodes: int, replicas: int) -> Dict[str, float]:
    gc.collect()
    before = rss_bytes()
    controller = empty_cluster(nodes)
    start = time.perf_counter()
    definitions = fill(controller, resources, nodes, replicas)
    build = time.perf_counter() - start
    gc.collect()
    held = rss_bytes() - before
    start = time.perf_counter()
    snap = controller.snapshot()
    snapshot = time.perf_counter() - start
    start = time.perf_counter()
    controller.restore(snap)
    restore = time.perf_counter() - start
    assert len(controller.cluster.resource_definitions) == definitions
    start = time.perf_counter()
    controller.reset()
    reset = time.perf_counter() - start
    return {"resources": resources, "definitions": definitions, "nodes": nodes, "build_s": build,
            "rss_bytes": held, "snapshot_s": snapshot, "restore_s": restore, "reset_s": reset}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--resources", type=int, default=100000)
    parser.add_argument("--nodes", type=int, default=100)
    parser.add_argument("--replicas", type=int, default=3)
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.resources, args.nodes, args.replicas)))


if __name__ == "__main__":
    main()
