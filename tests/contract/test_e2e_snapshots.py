"""Our client's snapshot calls and ``linstor.Resource``'s snapshot methods against the fake,
in process and over HTTP, every response checked against the OpenAPI spec."""
import pytest

import linstor
from linstor import sharedconsts as C
from linstor.errors import LinstorError
from linstor.responses import ApiCallResponse, SnapshotResponse, SnapshotShippingResponse

GIB = 1024 * 1024


def no_error(replies):
    assert replies and all(not r.is_error() for r in replies if isinstance(r, ApiCallResponse)), \
        [str(r) for r in replies]
    return replies


def deploy(lin, name="web", nodes=("alpha", "bravo"), pool="thin", size_kib=GIB):
    no_error(lin.resource_dfn_create(name))
    no_error(lin.volume_dfn_create(name, size_kib))
    for node in nodes:
        no_error(lin.resource_create([linstor.ResourceData(node, name, storage_pool=pool)]))


def snapshots(lin, **filters):
    [reply] = lin.snapshot_dfn_list(**filters)
    assert isinstance(reply, SnapshotResponse)
    return reply.snapshots


def test_create_list_delete(lin, controller):
    deploy(lin)
    controller.clock.advance(60)
    replies = no_error(lin.snapshot_create([], "web", "s1"))
    assert replies[0].is_success() and replies[0].message == "New snapshot 's1' of resource 'web' registered."
    [snap] = snapshots(lin)
    assert (snap.name, snap.rsc_name, snap.nodes, snap.flags) == ("s1", "web", ["alpha", "bravo"], ["SUCCESSFUL"])
    assert [(v.number, v.size) for v in snap.snapshot_volume_definitions] == [(0, GIB)]
    assert snap.snapshots[0].create_datetime.timestamp() == controller.clock.now()
    assert snapshots(lin, filter_by_nodes=["charlie"]) == []
    no_error(lin.snapshot_delete("web", "s1"))
    assert snapshots(lin) == []


def test_refusals_reach_the_client(lin):
    deploy(lin)
    [reply] = lin.snapshot_create(["charlie"], "web", "s1")
    assert reply.is_error() and reply.ret_code & C.MASK_BITS_CODE == C.FAIL_NOT_FOUND_RSC & C.MASK_BITS_CODE
    [reply] = lin.snapshot_create([], "web", "x")
    assert reply.is_error(C.FAIL_INVLD_SNAPSHOT_NAME)
    no_error(lin.snapshot_create([], "web", "s1"))
    [reply] = lin.resource_dfn_delete("web")
    assert reply.is_error(C.FAIL_EXISTS_SNAPSHOT_DFN)


def test_restore_into_a_new_definition(lin):
    deploy(lin, size_kib=2 * GIB)
    no_error(lin.snapshot_create(["bravo"], "web", "s1"))
    no_error(lin.resource_dfn_create("copy"))
    no_error(lin.snapshot_volume_definition_restore("web", "s1", "copy"))
    no_error(lin.snapshot_resource_restore([], "web", "s1", "copy"))
    [view] = lin.resource_list(filter_by_resources=["copy"])
    assert [r.node_name for r in view.resources] == ["bravo"]
    [rd] = lin.resource_dfn_list(query_volume_definitions=True, filter_by_resource_definitions=["copy"])
    assert [vd.size for vd in rd.resource_definitions[0].volume_definitions] == [2 * GIB]


def test_rollback_by_emulated_version(lin, controller):
    deploy(lin)
    no_error(lin.snapshot_create([], "web", "s1"))
    no_error(lin.snapshot_create([], "web", "s2"))
    controller.cluster.set_resource_in_use("web", "alpha")
    [reply] = lin.snapshot_rollback("web", "s1")
    assert reply.is_error(C.FAIL_IN_USE)
    controller.cluster.set_resource_in_use("web", "alpha", False)
    no_error(lin.snapshot_rollback("web", "s1"))  # 1.31.3: any snapshot
    assert sorted(s.name for s in snapshots(lin)) == ["s1", "s2"]


def test_snapshot_shipping(lin, controller):
    deploy(lin)
    no_error(lin.resource_deactivate("bravo", "web"))
    controller.cluster.snapshot_shipping_seconds = 20
    replies = lin.snapshot_ship("alpha", "bravo", "web")
    assert any(r.is_warning() and r.ret_code & C.MASK_BITS_CODE == C.WARN_DEPRECATED & C.MASK_BITS_CODE
               for r in replies)
    [reply] = lin.snapshot_shipping_list()
    assert isinstance(reply, SnapshotShippingResponse)
    [ship] = reply.shippings
    assert (ship.from_node_name, ship.to_node_name, ship.status) == ("alpha", "bravo", C.SnapshotShipStatus.RUNNING)
    controller.clock.advance(20)
    [ship] = lin.snapshot_shipping_list(filter_by_status=["complete"])[0].shippings
    assert ship.snapshot_dfn.name == "ship0"


# -- linstor.Resource ------------------------------------------------------------------------------
@pytest.fixture
def web(lin):
    # a Resource given an existing client enters it (``with lin``) per call; holding it open
    # keeps the client connected between calls, as python-linstor users do
    with lin:
        rsc = linstor.Resource("web", existing_client=lin)
        rsc.placement.storage_pool = "thin"
        rsc.volumes[0] = linstor.Volume("1 GiB")
        rsc.diskful("alpha")
        rsc.diskful("bravo")
        rsc.diskless("charlie")
        yield rsc


def test_resource_snapshot_rollback_restore_and_delete(lin, web):
    assert web.snapshot_create("before") is True
    web.volumes[0].size = 2 * 1024 ** 3
    assert web.snapshot_rollback("before") is True
    lin_rd = lin.resource_dfn_list(query_volume_definitions=True, filter_by_resource_definitions=["web"])
    assert [vd.size for vd in lin_rd[0].resource_definitions[0].volume_definitions] == [GIB]
    assert (web.diskful_nodes(), web.diskless_nodes()) == (["alpha", "bravo"], ["charlie"])
    copy = web.restore_from_snapshot("before", "web-copy")
    assert sorted(copy.diskful_nodes()) == ["alpha", "bravo"]
    assert copy.volumes[0].size == 1024 ** 3
    assert web.snapshot_delete("before") is True
    web.snapshot_create("again")
    assert web.delete() is True
    assert snapshots(lin) == []
    assert lin.resource_dfn_list(filter_by_resource_definitions=["web"])[0].resource_definitions == []


def test_resource_snapshot_errors_raise(web):
    with pytest.raises(LinstorError):
        web.snapshot_rollback("never-taken")
    with pytest.raises(LinstorError):
        web.snapshot_create("-bad")
