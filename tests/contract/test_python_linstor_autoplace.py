"""python-linstor 1.7.1 (from PyPI, unmodified) placing resources on a five-node fake cluster:
a ResourceGroup with redundancy 3, spawn, Resource.from_resource_group and Resource.autoplace."""
import pytest

from fakestor import Controller, fixtures
from tests.contract.clusters import five_nodes

GIB = 1024 * 1024


@pytest.fixture
def compat_controller() -> Controller:
    ctl = Controller()
    fixtures.load(ctl, five_nodes())
    return ctl


SCENARIO = """
    rg = linstor.ResourceGroup("triple", uri=URL)
    rg.redundancy = 3
    rg.replicas_on_different = ["Aux/zone"]
    created = rg.create_resource("web", ["4GiB"])
    spawned = lin.resource_group_spawn("triple", "db", ["8GiB"])
    from_rg = linstor.Resource.from_resource_group(URL, "triple", "logs", ["2GiB"])
    solo = linstor.Resource("solo", uri=URL)
    solo.volumes[0] = linstor.Volume("16GiB")
    solo.placement.redundancy = 3
    solo.placement.storage_pool = "zfs"
    solo.autoplace()
    too_many = linstor.Resource("wide", uri=URL)
    too_many.volumes[0] = linstor.Volume("1GiB")
    too_many.placement.redundancy = 6
    try:
        too_many.autoplace()
        refused = None
    except linstor.LinstorError as err:
        refused = str(err)
    emit({
        "group": [rg.redundancy, rg.replicas_on_different, rg.nr_volumes],
        "names": [created.name, from_rg.name],
        "spawned": [[r.ret_code, r.message] for r in spawned],
        "refused": refused,
        "resources": sorted([r.name, r.node_name, r.flags, [v.storage_pool_name for v in r.volumes]]
                            for r in lin.resource_list_raise().resources),
        "pools": sorted([p.node_name, p.name, p.provider_kind, p.free_space.free_capacity,
                         p.free_space.total_capacity] for p in lin.storage_pool_list_raise().storage_pools),
        "sizes": {d.name: [v.size for v in d.volume_definitions]
                  for d in lin.resource_dfn_list_raise(query_volume_definitions=True).resource_definitions},
    })
"""


def test_resource_group_spawn_and_autoplace_place_validly(compat, compat_controller):
    out = compat(SCENARIO)
    assert out["group"] == [3, ["Aux/zone"], 1]
    assert out["names"] == ["web", "logs"]
    messages = [m for _, m in out["spawned"]]
    assert messages[:3] == ["New resource definition 'db' created.",
                            "New volume definition with number '0' of resource definition 'db' created.",
                            "Resource 'db' successfully autoplaced on 3 nodes"]
    assert out["refused"] == "Error: Could not autoplace resource wide(wide): ERRO:Not enough available nodes"
    pools = {(n, p): (kind, free, total) for n, p, kind, free, total in out["pools"]}
    zones = {n["name"]: n["props"]["Aux/zone"] for n in five_nodes()["nodes"]}
    by_rsc = {}
    for name, node, flags, vlm_pools in out["resources"]:
        assert "DISKLESS" not in flags
        assert len(vlm_pools) == 1 and (node, vlm_pools[0]) in pools
        by_rsc.setdefault(name, []).append((node, vlm_pools[0]))
    assert sorted(by_rsc) == ["db", "logs", "solo", "web"]
    used = {}
    for name, placed in by_rsc.items():
        nodes = [n for n, _ in placed]
        assert len(nodes) == 3 and len(set(nodes)) == 3, name
        if name != "solo":
            assert sorted(zones[n] for n in nodes) == ["a", "b", "c"], name
        size = out["sizes"][name][0]
        for node, pool in placed:
            used[(node, pool)] = used.get((node, pool), 0) + size
    assert {p for _, p in by_rsc["solo"]} == {"zfs"}
    for key, kib in used.items():
        kind, free, total = pools[key]
        assert kib <= total
        # thick pools give the space away; thin pools keep it until data is written
        assert free == (total - kib if kind == "ZFS" else total), key
    # the library's requests really reached this controller
    assert sorted(compat_controller.cluster.resource_definitions) == ["DB", "LOGS", "SOLO", "WEB", "WIDE"]
