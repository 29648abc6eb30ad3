"""The cluster's snapshot for the autoplacer and the autoplace plan on the demo cluster."""
import pytest

from fakestor.apicallrc import ApiError
from fakestor.model import placement_input
from fakestor.placement import ExistingRsc, SelectFilter
from linstor import sharedconsts as C

GIB = 1024 * 1024


def test_snapshot_reflects_nodes_and_pools(controller):
    nodes = placement_input.node_snapshots(controller.cluster)
    assert [n.name for n in nodes] == ["alpha", "bravo", "charlie"]
    alpha = nodes[0]
    assert alpha.online and alpha.props["Aux/zone"] == "a"
    kinds = {p.name: p.kind for p in alpha.pools}
    assert kinds == {"DfltDisklessStorPool": "DISKLESS", "thin": "LVM_THIN", "zfs": "ZFS"}


def test_plan_on_the_demo_cluster(controller):
    # zfs pools have the most free space, so they take the replicas; ties go by node name
    plan = placement_input.plan_autoplace(controller.cluster, "r1", SelectFilter.from_json({}), [], GIB,
                                          "DfltRscGrp")
    assert [(c.node, c.pool) for c in plan.selected] == [("alpha", "zfs"), ("bravo", "zfs")]
    entry = placement_input.reply_entry(plan, placement_input.autoplace_context("r1"))
    assert entry.ret_code == C.CREATED | C.MASK_CRT | C.MASK_RSC
    assert entry.obj_refs["RscDfn"] == "r1" and entry.obj_refs["StoragePool/1/0"] == "zfs,ZFS"


def test_plan_follows_the_group_filter_and_node_changes(controller):
    cluster = controller.cluster
    cluster.create_resource_group("rg1", select_filter=SelectFilter(place_count=2, storage_pool_list=("thin",)))
    cluster.modify_node("alpha", override={"AutoplaceTarget": "false"})
    plan = placement_input.plan_autoplace(cluster, "r1", SelectFilter.from_json({}), [], GIB, "rg1")
    assert [(c.node, c.pool) for c in plan.selected] == [("bravo", "thin"), ("charlie", "thin")]


def test_plan_refusals_carry_the_autoplace_context(controller):
    with pytest.raises(ApiError) as info:
        placement_input.plan_autoplace(controller.cluster, "r1", SelectFilter.from_json({"place_count": 4}), [],
                                       GIB, "DfltRscGrp")
    entry = info.value.entries[0]
    assert entry.ret_code == C.FAIL_NOT_ENOUGH_NODES | C.MASK_CRT | C.MASK_RSC
    assert entry.details.endswith("\nAuto-placing resource: r1")
    skip = placement_input.plan_autoplace(controller.cluster, "r1", SelectFilter.from_json({}),
                                          [ExistingRsc("alpha", "zfs"), ExistingRsc("bravo", "zfs")], GIB,
                                          "DfltRscGrp")
    entry = placement_input.reply_entry(skip, placement_input.autoplace_context("r1"))
    assert entry.ret_code == C.WARN_RSC_ALREADY_DEPLOYED | C.MASK_CRT | C.MASK_RSC
    assert entry.details == "Used nodes: 'alpha', 'bravo'\nAuto-placing resource: r1"
