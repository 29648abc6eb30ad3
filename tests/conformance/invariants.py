"""Invariants of a controller's state, read through the REST API so they hold for any client view.

``violations(get)`` takes ``get(path) -> (status, json)`` and returns what is wrong. Checks of areas
the fake does not serve yet (a 501 reply) are skipped, so they start to apply when the area lands.
"""
from collections import Counter
from typing import Any, Callable, List, Optional, Tuple

Get = Callable[[str], Tuple[int, Any]]


def _listing(get: Get, path: str) -> Optional[list]:
    status, data = get(path)
    if status == 501:
        return None
    assert status == 200 and isinstance(data, list), "GET %s -> %s %r" % (path, status, data)
    return data


def _dupes(values) -> List[str]:
    return sorted(v for v, n in Counter(values).items() if n > 1)


def violations(get: Get) -> List[str]:
    out: List[str] = []
    nodes = _listing(get, "/v1/nodes") or []
    node_keys = {n["name"].upper() for n in nodes}
    uuids: List[str] = []
    out += ["node listed twice: %s" % d for d in _dupes(n["name"].upper() for n in nodes)]
    for node in nodes:
        nics = node.get("net_interfaces") or []
        uuids += [node["uuid"]] + [n["uuid"] for n in nics]
        if not nics:
            out.append("node %s has no net interface" % node["name"])
        if node["type"] in ("SATELLITE", "COMBINED") and not any(n.get("satellite_port") for n in nics):
            out.append("satellite %s has no satellite connection" % node["name"])
        out += ["net interface %s listed twice on %s" % (d, node["name"])
                for d in _dupes(n["name"].upper() for n in nics)]
        _, own = get("/v1/nodes/%s/net-interfaces" % node["name"])
        if sorted(n["name"] for n in own) != sorted(n["name"] for n in nics):
            out.append("net interfaces of %s differ between the node and its list" % node["name"])

    pools = _listing(get, "/v1/view/storage-pools") or []
    definitions = _listing(get, "/v1/storage-pool-definitions") or []
    spd_keys = {d["storage_pool_name"].upper() for d in definitions}
    uuids += [p["uuid"] for p in pools] + [d["uuid"] for d in definitions]
    out += ["storage pool definition listed twice: %s" % d
            for d in _dupes(d["storage_pool_name"].upper() for d in definitions)]
    out += ["storage pool listed twice: %s" % (d,)
            for d in _dupes((p["node_name"].upper(), p["storage_pool_name"].upper()) for p in pools)]
    for pool in pools:
        if pool["node_name"].upper() not in node_keys:
            out.append("storage pool %s on missing node %s" % (pool["storage_pool_name"], pool["node_name"]))
        if pool["storage_pool_name"].upper() not in spd_keys:
            out.append("storage pool %s has no definition" % pool["storage_pool_name"])
    for node in nodes:
        _, own = get("/v1/nodes/%s/storage-pools" % node["name"])
        listed = sorted(p["storage_pool_name"] for p in pools if p["node_name"] == node["name"])
        if sorted(p["storage_pool_name"] for p in own) != listed:
            out.append("storage pools of %s differ between the node and the view" % node["name"])
        if node["type"] in ("SATELLITE", "COMBINED") and "DfltDisklessStorPool" not in listed:
            out.append("satellite %s lacks DfltDisklessStorPool" % node["name"])
    out += ["uuid used twice: %s" % d for d in _dupes(uuids)]

    for kvs in _listing(get, "/v1/key-value-store") or []:
        if not kvs.get("props"):
            out.append("key-value store %s is kept empty" % kvs["name"])

    # areas that land later: every reference points at an existing object
    groups = _listing(get, "/v1/resource-groups")
    rds = _listing(get, "/v1/resource-definitions")
    rd_keys = {r["name"].upper() for r in rds or []}
    if groups is not None and rds is not None:
        group_keys = {g["name"].upper() for g in groups}
        out += ["resource definition %s in missing group %s" % (r["name"], r.get("resource_group_name"))
                for r in rds if r.get("resource_group_name") and r["resource_group_name"].upper() not in group_keys]
    for rsc in _listing(get, "/v1/view/resources") or []:
        if rsc["node_name"].upper() not in node_keys:
            out.append("resource %s on missing node %s" % (rsc["name"], rsc["node_name"]))
        if rds is not None and rsc["name"].upper() not in rd_keys:
            out.append("resource %s has no definition" % rsc["name"])
    for snap in _listing(get, "/v1/view/snapshots") or []:
        if rds is not None and snap.get("resource_name", "").upper() not in rd_keys:
            out.append("snapshot %s of missing resource definition %s" % (snap.get("name"), snap.get("resource_name")))
    return out
