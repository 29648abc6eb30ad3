"""A client workload for the concurrency checks: one thread's mix of creates, modifies and deletes.

Each worker owns the names that start with ``t<id>`` (nodes, pools, pool definitions, its KVS
instance, its controller property namespace), so what must exist at the end is decidable: the
worker's model changes only when the controller acknowledges a write with 2xx.
"""
import random
from dataclasses import dataclass, field
from typing import Dict, List, Tuple

import requests

ACTIONS = ("node", "netif", "netif_del", "pool", "pool_del", "spd", "spd_mod", "spd_del", "kv", "kv_del",
           "ctrl", "ctrl_del", "node_mod", "node_del")


@dataclass
class Model:
    """What a worker expects of its own name space."""
    nodes: Dict[str, dict] = field(default_factory=dict)  # name -> {"netifs": set, "pools": set, "props": dict}
    spds: Dict[str, Dict[str, str]] = field(default_factory=dict)
    kv: Dict[str, str] = field(default_factory=dict)
    ctrl: Dict[str, str] = field(default_factory=dict)
    refused: List[Tuple[str, str, int, str]] = field(default_factory=list)  # non-2xx replies
    requests: int = 0


def run_worker(base_url: str, worker: int, steps: int, seed: int = 0) -> Model:
    rnd = random.Random(seed * 1000 + worker)
    model = Model()
    session = requests.Session()
    prefix = "t%d" % worker
    counter = [0]

    def fresh(kind: str) -> str:
        counter[0] += 1
        return "%s%s%d" % (prefix, kind, counter[0])

    def send(method: str, path: str, body=None) -> bool:
        model.requests += 1
        resp = session.request(method, base_url + path, json=body, timeout=30)
        if resp.status_code // 100 == 2:
            return True
        model.refused.append((method, path, resp.status_code, resp.text[:300]))
        return False

    def some(collection):
        return rnd.choice(sorted(collection)) if collection else None

    for _ in range(steps):
        action = rnd.choice(ACTIONS)
        node = some(model.nodes)
        if action == "node" or node is None and action.startswith(("node", "netif", "pool")):
            name = fresh("n")
            nic = {"name": "default", "address": "10.%d.%d.1" % (worker, counter[0] % 250),
                   "satellite_port": 3366, "satellite_encryption_type": "PLAIN"}
            if send("POST", "/v1/nodes", {"name": name, "type": "SATELLITE", "net_interfaces": [nic]}):
                model.nodes[name] = {"netifs": {"default"}, "pools": {"DfltDisklessStorPool"}, "props": {}}
        elif action == "netif":
            nic = fresh("nic")
            if send("POST", "/v1/nodes/%s/net-interfaces" % node, {"name": nic, "address": "192.0.2.%d" % (
                    counter[0] % 250)}):
                model.nodes[node]["netifs"].add(nic)
        elif action == "netif_del":
            nic = some(model.nodes[node]["netifs"] - {"default"})  # the satellite connection stays
            if nic and send("DELETE", "/v1/nodes/%s/net-interfaces/%s" % (node, nic)):
                model.nodes[node]["netifs"].discard(nic)
        elif action == "pool":
            pool = fresh("p")
            if send("POST", "/v1/nodes/%s/storage-pools" % node,
                    {"storage_pool_name": pool, "provider_kind": "LVM", "props": {"StorDriver/LvmVg": "vg0"}}):
                model.nodes[node]["pools"].add(pool)
        elif action == "pool_del":
            pool = some(model.nodes[node]["pools"] - {"DfltDisklessStorPool"})
            if pool and send("DELETE", "/v1/nodes/%s/storage-pools/%s" % (node, pool)):
                model.nodes[node]["pools"].discard(pool)
        elif action == "spd":
            name = fresh("d")
            if send("POST", "/v1/storage-pool-definitions", {"storage_pool_name": name}):
                model.spds[name] = {}
        elif action == "spd_mod":
            name = some(model.spds)
            key, value = "Aux/%s" % fresh("k"), str(rnd.random())
            if name and send("PUT", "/v1/storage-pool-definitions/%s" % name, {"override_props": {key: value}}):
                model.spds[name][key] = value
        elif action == "spd_del":
            name = some(model.spds)
            if name and send("DELETE", "/v1/storage-pool-definitions/%s" % name):
                del model.spds[name]
        elif action == "kv":
            key, value = "%s/%s" % (prefix, fresh("k")), str(rnd.random())
            if send("PUT", "/v1/key-value-store/%skv" % prefix, {"override_props": {key: value}}):
                model.kv[key] = value
        elif action == "kv_del":
            key = some(model.kv)
            if key and send("PUT", "/v1/key-value-store/%skv" % prefix, {"delete_props": [key]}):
                del model.kv[key]
        elif action == "ctrl":
            key, value = "Aux/%s/%s" % (prefix, fresh("k")), str(rnd.random())
            if send("POST", "/v1/controller/properties", {"override_props": {key: value}}):
                model.ctrl[key] = value
        elif action == "ctrl_del":
            key = some(model.ctrl)
            if key and send("DELETE", "/v1/controller/properties/%s" % key):
                del model.ctrl[key]
        elif action == "node_mod":
            key, value = "Aux/%s" % fresh("k"), str(rnd.random())
            if send("PUT", "/v1/nodes/%s" % node, {"override_props": {key: value}}):
                model.nodes[node]["props"][key] = value
        elif action == "node_del":
            if send("DELETE", "/v1/nodes/%s" % node):
                del model.nodes[node]
    session.close()
    return model


def run_threads(base_url: str, workers: List[int], steps: int) -> List[Model]:
    """Runs ``workers`` at once, one thread each; returns their models in order."""
    import threading

    models: List[Model] = [None] * len(workers)
    errors: List[BaseException] = []

    def target(i: int, worker: int) -> None:
        try:
            models[i] = run_worker(base_url, worker, steps)
        except BaseException as err:  # surfaced by the caller
            errors.append(err)

    threads = [threading.Thread(target=target, args=(i, w)) for i, w in enumerate(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return models

