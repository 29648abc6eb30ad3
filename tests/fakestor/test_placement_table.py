"""Which nodes and pools the LINSTOR 1.31.3 autoplacer picks, case by case.

Every case names the rule of the controller that decides it. Sizes are KiB.
"""
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

import pytest

from fakestor.placement import (
    ExistingRsc,
    NodeSnap,
    Placement,
    PlacementError,
    PoolSnap,
    SelectFilter,
    place,
    query_max_volume_size,
)
from linstor import sharedconsts as C

GIB = 1024 * 1024


def pool(name="thin", kind="LVM_THIN", free=100, total=100, reserved=0, rscs=0, props=None, shared=None,
         spd_props=None):
    return PoolSnap(name, kind, None if free is None else free * GIB, None if total is None else total * GIB,
                    reserved * GIB, rscs, props or {}, spd_props or {}, shared)


def node(name, *pools, props=None, online=True, flags=(), resources=(), type="SATELLITE"):
    pools = pools or (pool(),)
    pools = tuple(pools) + (PoolSnap("DfltDisklessStorPool", "DISKLESS", None, None),)
    return NodeSnap(name, type, online, props or {}, frozenset(flags), pools, frozenset(resources))


def zoned(name, zone, free=100, **kw):
    return node(name, pool(free=free), props={"Aux/zone": zone}, **kw)


@dataclass
class Case:
    rule: str
    nodes: Sequence[NodeSnap]
    request: dict
    expect: object  # list of (node, pool) chosen, or an error code
    existing: Sequence[ExistingRsc] = ()
    size: int = GIB
    group: dict = field(default_factory=lambda: {"place_count": 2})
    ctrl: Dict[str, str] = field(default_factory=dict)
    diskless: Optional[List[str]] = None  # nodes expected to get a diskless resource


CASES = [
    Case("MaxFreeSpace: the pools with most free space win",
         [node("a", pool(free=60)), node("b", pool(free=100)), node("c", pool(free=80))],
         {}, [("b", "thin"), ("c", "thin")]),
    Case("equal scores fall back to node name order",
         [node("c"), node("b"), node("a")], {"place_count": 2}, [("a", "thin"), ("b", "thin")]),
    Case("node names compare case-insensitively when scores tie",
         [node("Beta"), node("alpha"), node("Gamma")], {"place_count": 2}, [("alpha", "thin"), ("Beta", "thin")]),
    Case("one pool per node: the second-best pool of the same node is skipped",
         [node("a", pool("p1", free=100), pool("p2", free=90)), node("b", pool("p1", free=50))],
         {"place_count": 2}, [("a", "p1"), ("b", "p1")]),
    Case("a thick pool with less free space than the size is filtered out",
         [node("a", pool("lvm", "LVM", free=5, total=100)), node("b", pool("lvm", "LVM", free=50, total=100)),
          node("c", pool("lvm", "LVM", free=20, total=100))],
         {"place_count": 2}, [("b", "lvm"), ("c", "lvm")], size=10 * GIB),
    Case("thick pool: total minus reserved bounds the estimate even when free looks large",
         [node("a", pool("lvm", "LVM", free=100, total=100, reserved=95)),
          node("b", pool("lvm", "LVM", free=20, total=100)), node("c", pool("lvm", "LVM", free=20, total=100))],
         {"place_count": 2}, [("b", "lvm"), ("c", "lvm")], size=10 * GIB),
    Case("thin pools are over-subscribed 20x by default: 5 GiB free takes 50 GiB",
         [node("a", pool(free=5, total=10)), node("b", pool(free=5, total=10))],
         {"place_count": 2}, [("a", "thin"), ("b", "thin")], size=50 * GIB),
    Case("thin over-subscription is bounded by total x 20 - reserved",
         [node("a", pool(free=5, total=10, reserved=190)), node("b", pool(free=5, total=10)),
          node("c", pool(free=5, total=10))],
         {"place_count": 2}, [("b", "thin"), ("c", "thin")], size=50 * GIB),
    Case("MaxOversubscriptionRatio=1 on the controller makes a thin pool behave thick",
         [node("a", pool(free=5, total=10)), node("b", pool(free=5, total=10))],
         {"place_count": 2}, C.FAIL_NOT_ENOUGH_NODES, size=50 * GIB, ctrl={"MaxOversubscriptionRatio": "1.0"}),
    Case("MaxOversubscriptionRatio on the pool definition applies below the controller's",
         [node("a", pool(free=5, total=10, spd_props={"MaxOversubscriptionRatio": "2"})),
          node("b", pool(free=5, total=10, spd_props={"MaxOversubscriptionRatio": "2"}))],
         {"place_count": 2}, C.FAIL_NOT_ENOUGH_NODES, size=11 * GIB, ctrl={"MaxOversubscriptionRatio": "40"}),
    Case("MaxTotalCapacityOversubscriptionRatio bounds only the total-based estimate",
         [node("a", pool(free=5, total=10, props={"MaxTotalCapacityOversubscriptionRatio": "1.5"})),
          node("b", pool(free=5, total=10)), node("c", pool(free=5, total=10))],
         {"place_count": 2}, [("b", "thin"), ("c", "thin")], size=16 * GIB),
    Case("a pool that never reported its capacity counts as full",
         [node("a", pool(free=None, total=None)), node("b"), node("c")],
         {"place_count": 2}, [("b", "thin"), ("c", "thin")]),
    Case("offline nodes are not candidates",
         [node("a", online=False), node("b"), node("c")], {"place_count": 2}, [("b", "thin"), ("c", "thin")]),
    Case("evacuating nodes are not candidates",
         [node("a", flags=["EVACUATE"]), node("b"), node("c")], {"place_count": 2},
         [("b", "thin"), ("c", "thin")]),
    Case("a node marked DELETE is still a candidate (the EVACUATE check overwrites it)",
         [node("a", flags=["DELETE"]), node("b", pool(free=50))], {"place_count": 2},
         [("a", "thin"), ("b", "thin")]),
    Case("replicas_on_different: one replica per zone, the second z1 node is skipped",
         [zoned("a", "z1", 100), zoned("b", "z1", 90), zoned("c", "z2", 80), zoned("d", "z3", 70)],
         {"place_count": 3, "replicas_on_different": ["Aux/zone"]}, [("a", "thin"), ("c", "thin"), ("d", "thin")]),
    Case("replicas_on_different: fewer zones than replicas -> not enough nodes",
         [zoned("a", "z1"), zoned("b", "z1"), zoned("c", "z2")],
         {"place_count": 3, "replicas_on_different": ["Aux/zone"]}, C.FAIL_NOT_ENOUGH_NODES),
    Case("replicas_on_different key=value forbids that value",
         [zoned("a", "z1", 100), zoned("b", "z2", 90), zoned("c", "z3", 80)],
         {"place_count": 2, "replicas_on_different": ["Aux/zone=z1"]}, [("b", "thin"), ("c", "thin")]),
    Case("replicas_on_different: nodes without the property are not restricted",
         [zoned("a", "z1", 100), node("b", pool(free=90)), node("c", pool(free=80))],
         {"place_count": 3, "replicas_on_different": ["Aux/zone"]}, [("a", "thin"), ("b", "thin"), ("c", "thin")]),
    Case("replicas_on_different: a zone already holding a replica is used up",
         [zoned("a", "z1", 100), zoned("b", "z1", 100), zoned("c", "z2", 50), zoned("d", "z3", 40)],
         {"place_count": 3, "replicas_on_different": ["Aux/zone"]}, [("c", "thin"), ("d", "thin")],
         existing=[ExistingRsc("a", "thin")]),
    Case("x_replicas_on_different_map: two replicas per zone, one zone filled before the next",
         [zoned("a", "z1", 100), zoned("b", "z2", 95), zoned("c", "z1", 90), zoned("d", "z2", 85)],
         {"place_count": 3, "replicas_on_different": ["Aux/zone"], "x_replicas_on_different_map": {"Aux/zone": 2}},
         [("a", "thin"), ("b", "thin"), ("c", "thin")]),
    Case("x_replicas_on_different_map: at most one partially filled zone (2+1, never 1+1+1)",
         [zoned("a", "z1", 100), zoned("b", "z2", 95), zoned("c", "z3", 90), zoned("d", "z3", 10)],
         {"place_count": 3, "x_replicas_on_different_map": {"Aux/zone": 2}},
         [("a", "thin"), ("c", "thin"), ("d", "thin")]),
    Case("replicas_on_same: the first chosen node fixes the rack",
         [node("a", pool(free=100), props={"Aux/rack": "r1"}), node("b", pool(free=90), props={"Aux/rack": "r2"}),
          node("c", pool(free=80), props={"Aux/rack": "r1"})],
         {"place_count": 2, "replicas_on_same": ["Aux/rack"]}, [("a", "thin"), ("c", "thin")]),
    Case("replicas_on_same: an existing replica fixes the rack",
         [node("a", pool(free=100), props={"Aux/rack": "r1"}), node("b", pool(free=90), props={"Aux/rack": "r2"}),
          node("c", pool(free=80), props={"Aux/rack": "r2"}), node("d", pool(free=70), props={"Aux/rack": "r2"})],
         {"place_count": 3, "replicas_on_same": ["Aux/rack"]}, [("b", "thin"), ("d", "thin")],
         existing=[ExistingRsc("c", "thin")]),
    Case("replicas_on_same: nodes without the property are filtered out",
         [node("a", pool(free=100)), node("b", pool(free=90), props={"Aux/rack": "r1"}),
          node("c", pool(free=80), props={"Aux/rack": "r1"})],
         {"place_count": 2, "replicas_on_same": ["Aux/rack"]}, [("b", "thin"), ("c", "thin")]),
    Case("replicas_on_same: an existing replica on a node without the property fixes no value",
         [node("a", pool(free=100)), node("b", pool(free=90), props={"Aux/rack": "r1"}),
          node("c", pool(free=80), props={"Aux/rack": "r2"})],
         {"place_count": 2, "replicas_on_same": ["Aux/rack"]}, [("b", "thin")],
         existing=[ExistingRsc("a", "thin")]),
    Case("replicas_on_same key=value only takes that value",
         [node("a", pool(free=100), props={"Aux/rack": "r1"}), node("b", pool(free=90), props={"Aux/rack": "r2"}),
          node("c", pool(free=80), props={"Aux/rack": "r2"})],
         {"place_count": 2, "replicas_on_same": ["Aux/rack=r2"]}, [("b", "thin"), ("c", "thin")]),
    Case("replicas_on_same: no rack has enough nodes -> not enough nodes",
         [node(n, props={"Aux/rack": r}) for n, r in (("a", "r1"), ("b", "r2"), ("c", "r3"))],
         {"place_count": 2, "replicas_on_same": ["Aux/rack"]}, C.FAIL_NOT_ENOUGH_NODES),
    Case("replicas_on_same: existing replicas in two racks -> undecidable",
         [node(n, props={"Aux/rack": r}) for n, r in (("a", "r1"), ("b", "r2"), ("c", "r1"))],
         {"place_count": 3, "replicas_on_same": ["Aux/rack"]}, C.FAIL_UNDECIDABLE_AUTOPLACMENT,
         existing=[ExistingRsc("a", "thin"), ExistingRsc("b", "thin")]),
    Case("property keys are used as given: no Aux/ prefix is added",
         [node("a", props={"Aux/zone": "z1"}), node("b", props={"Aux/zone": "z1"})],
         {"place_count": 2, "replicas_on_different": ["zone"]}, [("a", "thin"), ("b", "thin")]),
    Case("not_place_with_rsc excludes nodes holding that resource (any case)",
         [node("a", pool(free=100), resources=["Other"]), node("b", pool(free=90)), node("c", pool(free=80))],
         {"place_count": 2, "not_place_with_rsc": ["other"]}, [("b", "thin"), ("c", "thin")]),
    Case("not_place_with_rsc_regex: case-insensitive find",
         [node("a", pool(free=100), resources=["db-Primary"]), node("b", pool(free=90)), node("c", pool(free=80))],
         {"place_count": 2, "not_place_with_rsc_regex": "PRIMARY"}, [("b", "thin"), ("c", "thin")]),
    Case("a node holding the resource itself is not chosen again",
         [node("a", pool(free=100), resources=["r1"]), node("b", pool(free=90)), node("c", pool(free=80))],
         {"place_count": 2}, [("b", "thin")], existing=[ExistingRsc("a", "thin")]),
    Case("a diskless replica's node may get the disk (it is skipped in the already-placed checks)",
         [node("a", pool(free=100), resources=["r1"]), node("b", pool(free=90)), node("c", pool(free=80))],
         {"place_count": 2}, [("a", "thin"), ("b", "thin")],
         existing=[ExistingRsc("a", "DfltDisklessStorPool", diskless=True)]),
    Case("node_name_list restricts the candidates",
         [node("a", pool(free=100)), node("b", pool(free=90)), node("c", pool(free=80))],
         {"place_count": 2, "node_name_list": ["B", "c"]}, [("b", "thin"), ("c", "thin")]),
    Case("storage_pool_list restricts the pools by name",
         [node("a", pool("thin", free=100), pool("zfs", "ZFS", free=10)), node("b", pool("zfs", "ZFS", free=10))],
         {"place_count": 2, "storage_pool": "zfs"}, [("a", "zfs"), ("b", "zfs")]),
    Case("provider_list restricts the pool kinds",
         [node("a", pool("thin", free=100), pool("zfs", "ZFS", free=10)), node("b", pool("zfs", "ZFS", free=10))],
         {"place_count": 2, "provider_list": ["zfs"]}, [("a", "zfs"), ("b", "zfs")]),
    Case("provider kinds do not mix: LVM and LVM_THIN never share a resource by default",
         [node("a", pool("lvm", "LVM", free=100)), node("b", pool("thin", "LVM_THIN", free=90)),
          node("c", pool("lvm", "LVM", free=80))],
         {"place_count": 2}, [("a", "lvm"), ("c", "lvm")]),
    Case("ZFS and ZFS_THIN may mix",
         [node("a", pool("zfs", "ZFS", free=100)), node("b", pool("zt", "ZFS_THIN", free=90))],
         {"place_count": 2}, [("a", "zfs"), ("b", "zt")]),
    Case("existing replicas fix the provider kind",
         [node("a", pool("lvm", "LVM", free=100)), node("b", pool("thin", "LVM_THIN", free=90)),
          node("c", pool("thin", "LVM_THIN", free=80))],
         {"place_count": 2}, [("c", "thin")], existing=[ExistingRsc("b", "thin")]),
    Case("pools sharing a space hold one replica between them",
         [node("a", pool(free=100, shared="san1")), node("b", pool(free=90, shared="san1")),
          node("c", pool(free=80))],
         {"place_count": 2}, [("a", "thin"), ("c", "thin")]),
    Case("an existing replica's shared space takes no second replica",
         [node("a", pool(free=100, shared="san1")), node("b", pool(free=90, shared="san1")),
          node("c", pool(free=80))],
         {"place_count": 2}, [("c", "thin")], existing=[ExistingRsc("a", "thin")]),
    Case("AutoplaceTarget=false on a node excludes it",
         [node("a", pool(free=100), props={"AutoplaceTarget": "false"}), node("b"), node("c")],
         {"place_count": 2}, [("b", "thin"), ("c", "thin")]),
    Case("AutoplaceTarget=false on a pool excludes the pool",
         [node("a", pool(free=100, props={"AutoplaceTarget": "False"})), node("b"), node("c")],
         {"place_count": 2}, [("b", "thin"), ("c", "thin")]),
    Case("a node's AutoplaceTarget=true overrides the controller's false (1.31.2+)",
         [node("a", props={"AutoplaceTarget": "true"}), node("b", props={"AutoplaceTarget": "true"}), node("c")],
         {"place_count": 2}, [("a", "thin"), ("b", "thin")], ctrl={"AutoplaceTarget": "false"}),
    Case("Autoplacer/Weights/MinRscCount: fewer resources beat more free space",
         [node("a", pool(free=100, rscs=10)), node("b", pool(free=90, rscs=1)), node("c", pool(free=80, rscs=2))],
         {"place_count": 2}, [("b", "thin"), ("c", "thin")], ctrl={"Autoplacer/Weights/MinRscCount": "10"}),
    Case("Autoplacer/Weights/MinReservedSpace: less reserved space wins",
         [node("a", pool(free=100, total=1000, reserved=500)), node("b", pool(free=90, total=1000, reserved=10)),
          node("c", pool(free=80, total=1000, reserved=20))],
         {"place_count": 2}, [("b", "thin"), ("c", "thin")],
         ctrl={"Autoplacer/Weights/MinReservedSpace": "5", "Autoplacer/Weights/MaxFreeSpace": "1"}),
    Case("the group's place_count applies when the request has none",
         [node("a"), node("b"), node("c")], {}, [("a", "thin"), ("b", "thin"), ("c", "thin")],
         group={"place_count": 3}),
    Case("a request's empty node_name_list beats the group's list (JSON default)",
         [node("a", pool(free=100)), node("b", pool(free=90)), node("c", pool(free=80))], {"place_count": 2},
         [("a", "thin"), ("b", "thin")], group={"place_count": 2, "node_name_list": ["c"]}),
    Case("additional_place_count adds replicas once place_count is reached",
         [node("a"), node("b"), node("c"), node("d")], {"place_count": 2, "additional_place_count": 1},
         [("c", "thin")], existing=[ExistingRsc("a", "thin"), ExistingRsc("b", "thin")]),
    Case("additional_place_count: a higher place_count still decides the selection size",
         [node("a"), node("b"), node("c"), node("d")], {"place_count": 3, "additional_place_count": 1},
         [("b", "thin"), ("c", "thin")], existing=[ExistingRsc("a", "thin")]),
    Case("place_count reached: a warning, nothing placed",
         [node("a"), node("b"), node("c")], {"place_count": 2}, C.WARN_RSC_ALREADY_DEPLOYED,
         existing=[ExistingRsc("a", "thin"), ExistingRsc("b", "thin")]),
    Case("place_count below the deployed count: a warning, nothing placed",
         [node("a"), node("b"), node("c")], {"place_count": 1}, C.WARN_RSC_ALREADY_DEPLOYED,
         existing=[ExistingRsc("a", "thin"), ExistingRsc("b", "thin")]),
    Case("diskless_on_remaining: every other SATELLITE gets a diskless replica (not COMBINED, 1.31.3)",
         [node("a", pool(free=100)), node("b", pool(free=90)), node("c", pool(free=10)),
          node("d", pool(free=10), type="COMBINED"), node("e", pool(free=5), online=False)],
         {"place_count": 2, "diskless_on_remaining": True}, [("a", "thin"), ("b", "thin")],
         diskless=["c", "e"]),
    Case("diskless_on_remaining: a tie-breaker node gets a real diskless replica",
         [node("a", pool(free=100)), node("b", pool(free=90)), node("c", pool(free=10), resources=["r1"])],
         {"place_count": 2, "diskless_on_remaining": True}, [("a", "thin"), ("b", "thin")],
         existing=[ExistingRsc("c", "DfltDisklessStorPool", diskless=True, flags=frozenset({"TIE_BREAKER"}))],
         diskless=["c"]),
    Case("diskless_on_remaining with place_count already reached: the empty selection fails (1.31.3)",
         [node("a"), node("b"), node("c")], {"place_count": 2, "diskless_on_remaining": True},
         C.FAIL_NOT_ENOUGH_NODES, existing=[ExistingRsc("a", "thin"), ExistingRsc("b", "thin")]),
    Case("not enough nodes",
         [node("a"), node("b"), node("c")], {"place_count": 4}, C.FAIL_NOT_ENOUGH_NODES),
]


def _run(case: Case):
    return place(case.nodes, case.existing, SelectFilter.from_json(case.request), case.size, rsc_name="r1",
                 group_filter=SelectFilter.from_json(case.group, missing_node_list_empty=False),
                 controller_props=case.ctrl, rsc_dfn_layer_stack=("DRBD", "STORAGE"))


@pytest.mark.parametrize("case", CASES, ids=[c.rule for c in CASES])
def test_autoplacer_choice(case: Case):
    result = _run(case)
    if isinstance(case.expect, list):
        assert isinstance(result, Placement), result
        assert result.code == C.CREATED
        assert [(c.node, c.pool) for c in result.selected] == case.expect
        if case.diskless is not None:
            assert result.diskless_nodes == case.diskless
        else:
            assert result.diskless_nodes == []
    elif isinstance(result, PlacementError):
        assert result.code == case.expect
    else:
        assert result.code == case.expect and not result.selected


def test_success_entry_texts():
    result = place([node("b", pool(free=90)), node("a", pool(free=100))], [], SelectFilter.from_json({}), GIB,
                   rsc_name="r1", group_filter=SelectFilter(place_count=2))
    assert result.message == "Resource 'r1' successfully autoplaced on 2 nodes"
    assert result.details == "Used nodes (storage pool name): 'a (thin)', 'b (thin)'"
    assert result.obj_refs == {"Node/0": "a", "StoragePool/0/0": "thin,LVM_THIN",
                               "Node/1": "b", "StoragePool/1/0": "thin,LVM_THIN"}


def test_already_deployed_texts():
    nodes = [node("a"), node("b"), node("c")]
    existing = [ExistingRsc("a", "thin"), ExistingRsc("b", "thin")]
    skip = place(nodes, existing, SelectFilter.from_json({"place_count": 2}), GIB, rsc_name="r1")
    assert skip.message == "Resource 'r1' was already deployed on 2 nodes. Skipping."
    assert skip.details == "Used nodes: 'a', 'b'"
    low = place(nodes, existing, SelectFilter.from_json({"place_count": 1}), GIB, rsc_name="r1")
    assert isinstance(low, PlacementError)
    assert low.message == ("The resource 'r1' was already deployed on 2 nodes: 'a', 'b'. The resource would have "
                           "to be deleted from nodes to reach the placement count.")


def test_not_enough_nodes_details():
    err = place([node("a"), node("b")], [], SelectFilter.from_json({"place_count": 3, "storage_pool": "thin"}),
                5 * GIB, rsc_name="r1", group_filter=SelectFilter.from_json({"place_count": 2}))
    assert isinstance(err, PlacementError) and err.message == "Not enough available nodes"
    assert err.details == (
        "Not enough nodes fulfilling the following auto-place criteria:\n"
        " * has a deployed storage pool named [thin]\n"
        " * the storage pools have to have at least '5242880' free space\n"
        " * the current access context has enough privileges to use the node and the storage pool\n"
        " * the node is online\n\n"
        "Auto-place configuration details:\n"
        "   Replica count: 3\n"
        "   Additional replica count: 3\n"
        "   Storage pool name:\n"
        "      thin\n"
        "   Do not place with resource:\n"
        "      r1\n")


def test_undecidable_message_lists_conflicting_values():
    nodes = [node(n, props={"Aux/rack": r}) for n, r in (("a", "r1"), ("b", "r2"), ("c", "r1"))]
    err = place(nodes, [ExistingRsc("a", "thin"), ExistingRsc("b", "thin")],
                SelectFilter.from_json({"place_count": 3, "replicas_on_same": ["Aux/rack"]}), GIB, rsc_name="r1")
    assert err.message.startswith("The property in --replicas-on-same 'Aux/rack' is already set on already "
                                  "deployed nodes with different values.")
    # a java.util.HashSet prints in hash-bucket order: "r2" lands in bucket 0, "r1" in bucket 15
    assert err.message.endswith("conflicting values: [r2, r1]")


@pytest.mark.parametrize("raw,message", [
    ({"provider_list": ["LVM", "floppy"]}, "Given provider kind 'floppy' is invalid"),
    ({"layer_stack": ["drbd", "tape"]}, "Given layer kind 'tape' is invalid"),
])
def test_bad_kind_names(raw, message):
    with pytest.raises(PlacementError) as info:
        SelectFilter.from_json(raw)
    assert info.value.code == C.FAIL_INVLD_LAYER_KIND and info.value.message == message


def test_provider_aliases_are_accepted():
    assert SelectFilter.from_json({"provider_list": ["lvmthin", "ZFS_THIN", "drbd_diskless"]}).provider_list == \
        ("LVM_THIN", "ZFS_THIN", "DISKLESS")


def _candidates(result) -> List[Tuple[str, int, Tuple[str, ...], bool]]:
    return [(c.storage_pool, c.max_volume_size_kib, c.node_names, c.all_thin) for c in result]


def test_query_max_volume_size_per_pool_definition():
    nodes = [node("a", pool("thin", free=100, total=200), pool("zfs", "ZFS", free=30, total=50)),
             node("b", pool("thin", free=70, total=200), pool("zfs", "ZFS", free=40, total=50)),
             node("c", pool("thin", free=10, total=200))]
    result = query_max_volume_size(nodes, SelectFilter(place_count=2), ["DfltDisklessStorPool", "zfs", "thin"])
    # the raw free space of the smallest chosen pool; thin pools are not over-subscribed here
    assert _candidates(result) == [("thin", 70 * GIB, ("a", "b"), True), ("zfs", 30 * GIB, ("a", "b"), False)]
    only = query_max_volume_size(nodes, SelectFilter(place_count=3, storage_pool_list=("thin",)), ["thin", "zfs"])
    assert _candidates(only) == [("thin", 10 * GIB, ("a", "b", "c"), True)]


def test_query_max_volume_size_errors():
    nodes = [node("a"), node("b")]
    missing = query_max_volume_size(nodes, SelectFilter(), ["thin"])
    assert missing.code == C.FAIL_INVLD_PLACE_COUNT
    assert missing.message == "Replica count is required for this operation"
    none = query_max_volume_size(nodes, SelectFilter(place_count=3), ["thin"])
    assert none.code == C.MASK_ERROR | C.FAIL_NOT_ENOUGH_NODES and none.message == "Not enough nodes"


def test_rules_of_other_releases():
    from fakestor.placement import Rules
    nodes = [node("a", props={"AutoplaceTarget": "true"}), node("b", props={"AutoplaceTarget": "true"}),
             node("c", type="COMBINED")]
    flt = SelectFilter.from_json({"place_count": 2, "diskless_on_remaining": True})
    # before 1.31.2 the controller's AutoplaceTarget=false beat the nodes' true
    old = place(nodes, [], flt, GIB, rsc_name="r1", controller_props={"AutoplaceTarget": "false"},
                rules=Rules(node_target_beats_controller=False))
    assert isinstance(old, PlacementError) and old.code == C.FAIL_NOT_ENOUGH_NODES
    # from 1.33.0-rc.2 on, COMBINED nodes get diskless replicas too
    new = place(nodes, [], flt, GIB, rsc_name="r1", rsc_dfn_layer_stack=("DRBD", "STORAGE"),
                rules=Rules(diskless_on_combined=True))
    assert [c.node for c in new.selected] == ["a", "b"] and new.diskless_nodes == ["c"]
