"""linstor.Resource and linstor.Volume: the calls they make and the state they keep."""
import pytest

import linstor
from linstor import consts
from linstor.resource import _Placement, wraps
from tests.linstor import canned
from tests.linstor.stub import CREATED_RSC_DFN, StubTransport, connected_client, rc, signed

RD = "/v1/resource-definitions"
VIEW = "/v1/view/resources"
ERROR = signed(consts.MASK_ERROR | 998)


@pytest.fixture
def stub():
    return StubTransport()


@pytest.fixture
def lin(stub):
    return connected_client(stub)


def _deployed_rd(**kwargs):
    return canned.rsc_dfn("my_res", external_name="my res", **kwargs)


def _placed(stub, *nodes_diskless):
    """The controller's view after placement: one resource per (node, diskless)."""
    stub.on("GET", VIEW, [canned.resource("my_res", node, diskless=dl) for node, dl in nodes_diskless])


def _defined_resource(stub, lin, *nodes_diskless, rd=None):
    stub.on("GET", RD, [rd or _deployed_rd()])
    _placed(stub, *nodes_diskless)
    return linstor.Resource("my res", existing_client=lin)


def test_autoplace_creates_definitions_then_places(stub, lin):
    stub.on("GET", RD, [])
    rsc = linstor.Resource("my res", existing_client=lin)
    assert not rsc.defined and rsc.linstor_name is None
    assert stub.calls() == [("GET", RD)]
    assert stub.last.query == "with_volume_definitions=true"

    stub.on("POST", RD, [rc(CREATED_RSC_DFN, "created", obj_refs={"RscDfn": "my_res"})], status=201)
    stub.on("PUT", RD + "/my_res", [rc(0x2380003, "modified")])
    stub.on("POST", RD + "/my_res/volume-definitions", [rc(0x1300001, "created")], status=201)
    stub.on("POST", RD + "/my_res/autoplace", [rc(0x1340001, "placed")], status=201)
    stub.on("GET", RD, [_deployed_rd()])
    _placed(stub, ("alpha", False), ("bravo", False))

    rsc.volumes[0] = linstor.Volume("1 GiB")
    rsc.placement.redundancy = 2
    rsc.placement.storage_pool = "sp1"
    assert rsc.autoplace() is True
    assert stub.calls()[1:] == [("POST", RD), ("PUT", RD + "/my_res"), ("POST", RD + "/my_res/volume-definitions"),
                                ("POST", RD + "/my_res/autoplace"), ("GET", RD), ("GET", VIEW)]
    bodies = [s.body for s in stub.sent[1:5]]
    assert bodies == [
        {"resource_definition": {"external_name": "my res"}},
        {"override_props": {"DrbdOptions/Net/allow-two-primaries": "no"}},
        {"volume_definition": {"size_kib": 1048576, "volume_number": 0, "props": {"StorPoolName": "sp1"}}},
        {"diskless_on_remaining": False,
         "select_filter": {"place_count": 2, "diskless_on_remaining": False, "storage_pool_list": ["sp1"]}},
    ]
    assert stub.last.query == "resources=my_res"
    assert rsc.defined and rsc.linstor_name == "my_res" and rsc.resource_group_name == "DfltRscGrp"
    assert sorted(rsc.diskful_nodes()) == ["alpha", "bravo"] and rsc.diskless_nodes() == []
    vol = rsc.volumes[0]
    assert (vol.size, vol.minor, vol.device_path, vol.storage_pool_name) == (1073741824, 1000, "/dev/drbd1000",
                                                                           "thin")
    assert str(rsc) == "my res(my_res)"


def test_existing_resource_is_found_by_external_name_and_reads_its_volumes(stub, lin):
    rsc = _defined_resource(stub, lin, ("alpha", False), ("charlie", True),
                            rd=_deployed_rd(props={"DrbdOptions/Net/allow-two-primaries": "yes"},
                                            vlm_dfns=[canned.vlm_dfn(0, 2048, 1003), canned.vlm_dfn(1, 4096, 1004)]))
    assert rsc.defined and rsc.allow_two_primaries is True
    assert sorted(rsc.volumes) == [0, 1]
    assert rsc.volumes[1].size == 4096 * 1024
    assert rsc.is_diskful("alpha") and rsc.is_diskless("charlie") and not rsc.is_assigned("bravo")
    assert not rsc.is_diskless("bravo") and not rsc.is_diskful("bravo")
    assert rsc.diskless_nodes() == ["charlie"]
    # a diskless assignment names no storage pool for the volume
    assert rsc.volumes[0].storage_pool_name == "thin"


def test_resource_found_by_name_when_it_has_no_external_name(stub, lin):
    stub.on("GET", RD, [canned.rsc_dfn("pvc-9")])
    stub.on("GET", VIEW, [])
    rsc = linstor.Resource("pvc-9", existing_client=lin)
    assert rsc.defined and rsc.linstor_name == "pvc-9" and rsc.volumes[0].minor == 1000


def test_activate_creates_a_diskless_assignment(stub, lin):
    rsc = _defined_resource(stub, lin, ("alpha", False))
    stub.on("POST", RD + "/my_res/resources", [rc(0x1340001, "created")], status=201)
    _placed(stub, ("alpha", False), ("charlie", True))
    assert rsc.activate("charlie") is True
    create = [s for s in stub.sent if s.method == "POST"][-1]
    assert create.body == [{"resource": {"node_name": "charlie", "flags": ["DISKLESS"]}}]
    assert rsc.is_diskless("charlie")


def test_activate_accepts_an_existing_assignment_but_reports_other_errors(stub, lin):
    rsc = _defined_resource(stub, lin, ("alpha", False))
    exists = signed(consts.FAIL_EXISTS_RSC | consts.MASK_CRT | consts.MASK_RSC)
    stub.on("POST", RD + "/my_res/resources", [rc(exists, "A resource 'my_res' on node 'alpha' already exists.")],
            status=500)
    stub.on("POST", RD + "/my_res/resources", [rc(ERROR, "Node 'zulu' not found.")], status=500)
    assert rsc.activate("alpha") is True
    with pytest.raises(linstor.LinstorError, match="Could not activate resource my res on node zulu: ERRO:Node"):
        rsc.activate("zulu")


def test_deactivate_deletes_only_diskless_assignments(stub, lin):
    rsc = _defined_resource(stub, lin, ("alpha", False), ("charlie", True))
    stub.on("DELETE", RD + "/my_res/resources/charlie", [rc(0x3340002, "deleted")])
    assert rsc.deactivate("alpha") is True
    assert ("DELETE", RD + "/my_res/resources/alpha") not in stub.calls()
    _placed(stub, ("alpha", False))
    assert rsc.deactivate("charlie") is True
    assert ("DELETE", RD + "/my_res/resources/charlie") in stub.calls()
    assert not rsc.is_assigned("charlie")


def test_diskful_and_diskless_create_or_toggle(stub, lin):
    rsc = _defined_resource(stub, lin, ("alpha", False), ("charlie", True))
    rsc.placement.storage_pool = "thin"
    rsc.placement.diskless_storage_pool = "dl"
    toggle = RD + "/my_res/resources/charlie/toggle-disk/diskful/thin"
    stub.on("PUT", toggle, [rc(0x2340003, "toggled")])
    stub.on("POST", RD + "/my_res/resources", [rc(0x1340001, "created")], status=201)
    _placed(stub, ("alpha", False), ("charlie", False))
    assert rsc.diskful("charlie") is True
    assert stub.calls()[-3] == ("PUT", toggle)
    assert rsc.is_diskful("charlie")
    n_sent = len(stub.sent)
    assert rsc.diskful("charlie") is True  # already diskful: no change requested
    assert [s.method for s in stub.sent[n_sent:]] == ["GET", "GET"]
    rsc.diskless("bravo")
    assert stub.sent[-3].body == [{"resource": {"node_name": "bravo", "props": {"StorPoolName": "dl"},
                                                "flags": ["DISKLESS"]}}]
    rsc.diskful("delta")
    assert stub.sent[-3].body == [{"resource": {"node_name": "delta", "props": {"StorPoolName": "thin"}}}]


def test_autoplace_uses_the_whole_placement_policy(stub, lin):
    rsc = _defined_resource(stub, lin, ("alpha", False))
    stub.on("POST", RD + "/my_res/autoplace", [rc(0x1340001, "placed")], status=201)
    rsc.placement.redundancy = 3
    rsc.placement.diskless_on_remaining = True
    rsc.placement.diskless_storage_pool = "dl"
    assert rsc.autoplace() is True
    autoplace = [s for s in stub.sent if s.path.endswith("/autoplace")][-1]
    assert autoplace.body == {"diskless_on_remaining": True,
                              "select_filter": {"place_count": 3, "diskless_on_remaining": True,
                                                "storage_pool_diskless_list": ["dl"]}}


def test_autoplace_error_raises(stub, lin):
    rsc = _defined_resource(stub, lin, ("alpha", False))
    stub.on("POST", RD + "/my_res/autoplace", [rc(ERROR, "Not enough available nodes")], status=500)
    with pytest.raises(linstor.LinstorError, match="Could not autoplace resource my res: ERRO:Not enough"):
        rsc.autoplace()


def test_delete_everywhere_removes_own_snapshots_first(stub, lin):
    rsc = _defined_resource(stub, lin, ("alpha", False))
    stub.on("GET", "/v1/view/snapshots", [canned.snapshot_dfn("s1", "MY_RES"), canned.snapshot_dfn("s2", "other")])
    stub.on("DELETE", RD + "/my_res/snapshots/s1", [rc(0x30C0002, "deleted")])
    stub.on("DELETE", RD + "/my_res", [rc(0x3380002, "deleted")])
    stub.on("GET", RD, [])
    assert rsc.delete() is True
    deletes = [s.path for s in stub.sent if s.method == "DELETE"]
    assert deletes == [RD + "/my_res/snapshots/s1", RD + "/my_res"]
    assert not rsc.defined and rsc.diskful_nodes() == []
    n_sent = len(stub.sent)
    assert rsc.delete() is True  # nothing left to delete
    assert len(stub.sent) == n_sent


def test_delete_on_a_node(stub, lin):
    rsc = _defined_resource(stub, lin, ("alpha", False), ("bravo", False))
    stub.on("DELETE", RD + "/my_res/resources/bravo", [rc(ERROR, "in use")], status=500)
    with pytest.raises(linstor.LinstorError, match="Could not delete resource my res: ERRO:in use"):
        rsc.delete("bravo")
    assert rsc.delete("zulu") is True  # not assigned there
    assert ("DELETE", RD + "/my_res/resources/zulu") not in stub.calls()


def test_snapshot_calls(stub, lin):
    stub.on("GET", RD, [])
    missing = linstor.Resource("ghost", existing_client=lin)
    with pytest.raises(linstor.LinstorError, match="Resource 'ghost' doesn't exist."):
        missing.snapshot_create("s1")
    rsc = _defined_resource(stub, lin, ("alpha", False))
    stub.on("POST", RD + "/my_res/snapshots", [rc(0x10C0001, "registered")], status=201)
    stub.on("POST", RD + "/my_res/snapshot-rollback/s1", [rc(ERROR, "Resource 'my_res' on node 'alpha' is still in use.")],
            status=500)
    stub.on("DELETE", RD + "/my_res/snapshots/s1", [rc(0x30C0002, "deleted")])
    assert rsc.snapshot_create("s1") is True
    assert stub.last.body == {"name": "s1"}
    with pytest.raises(linstor.LinstorError, match="still in use"):
        rsc.snapshot_rollback("s1")
    assert rsc.snapshot_delete("s1") is True


def test_restore_from_snapshot_returns_the_new_resource(stub, lin):
    rsc = _defined_resource(stub, lin, ("alpha", False))
    stub.on("POST", RD, [rc(CREATED_RSC_DFN, "created", obj_refs={"RscDfn": "restored"})], status=201)
    stub.on("POST", RD + "/my_res/snapshot-restore-volume-definition/s1", [rc(0x30C0002, "restored")])
    stub.on("POST", RD + "/my_res/snapshot-restore-resource/s1", [rc(0x1340001, "restored")])
    stub.on("GET", RD, [_deployed_rd(), canned.rsc_dfn("restored")])
    new = rsc.restore_from_snapshot("s1", "restored")
    posts = [s for s in stub.sent if s.method == "POST"]
    assert [p.body for p in posts] == [
        {"resource_definition": {"name": "restored", "resource_group_name": "DfltRscGrp"}},
        {"to_resource": "restored"}, {"to_resource": "restored"}]
    assert isinstance(new, linstor.Resource) and new.linstor_name == "restored" and new.defined


def test_from_resource_group_spawns_and_looks_up(stub, lin):
    stub.on("POST", "/v1/resource-groups/rg1/spawn", [rc(CREATED_RSC_DFN, "spawned")], status=201)
    stub.on("GET", RD, [canned.rsc_dfn("pvc-7", group="rg1")])
    stub.on("GET", VIEW, [canned.resource("pvc-7", "alpha")])
    rsc = linstor.Resource.from_resource_group("linstor://stub", "rg1", "pvc-7", ["1G"], existing_client=lin)
    assert stub.sent[0].body == {"resource_definition_name": "pvc-7", "volume_sizes": [1048576], "partial": False,
                                 "definitions_only": False}
    assert rsc.resource_group_name == "rg1" and rsc.diskful_nodes() == ["alpha"]
    stub.on("POST", "/v1/resource-groups/rg1/spawn", [rc(ERROR, "Invalid count of volume sizes")], status=500)
    with pytest.raises(linstor.LinstorError, match='Could not spawn resource "pvc-8" from resource group "rg1"'):
        linstor.Resource.from_resource_group("linstor://stub", "rg1", "pvc-8", ["1G"], existing_client=lin)


def test_properties_that_become_read_only(stub, lin):
    rsc = _defined_resource(stub, lin, ("alpha", False))
    with pytest.raises(linstor.LinstorReadOnlyAfterSetError):
        rsc.name = "other"
    with pytest.raises(linstor.LinstorReadOnlyAfterSetError):
        rsc.port = 7777
    with pytest.raises(linstor.LinstorReadOnlyAfterSetError):
        rsc.linstor_name = "x"
    stub.on("PUT", RD + "/my_res", [rc(0x2380003, "modified")])
    rsc.allow_two_primaries = True
    assert stub.last.body == {"override_props": {"DrbdOptions/Net/allow-two-primaries": "yes"}}
    n_sent = len(stub.sent)
    rsc.allow_two_primaries = True
    assert len(stub.sent) == n_sent


def test_is_thin_asks_for_the_volumes_storage_pool(stub, lin):
    rsc = _defined_resource(stub, lin, ("alpha", False))
    stub.on("GET", "/v1/view/storage-pools", [{"storage_pool_name": "thin", "node_name": "alpha",
                                               "provider_kind": "LVM_THIN",
                                               "static_traits": {"Provisioning": "Thin"}}])
    assert rsc.is_thin() is True
    assert stub.last.query == "storage_pools=thin"


def test_drbd_proxy_on_the_resource(stub, lin):
    rsc = _defined_resource(stub, lin, ("alpha", False), ("bravo", False))
    stub.on("POST", RD + "/my_res/drbd-proxy/enable/alpha/bravo", [rc(0x2240003, "enabled")])
    stub.on("POST", RD + "/my_res/drbd-proxy/disable/alpha/bravo", [rc(ERROR, "proxy not enabled")], status=500)
    assert rsc.drbd_proxy_enable("alpha", "bravo") is True
    with pytest.raises(linstor.LinstorError, match="proxy not enabled"):
        rsc.drbd_proxy_disable("alpha", "bravo")


# -- volumes ---------------------------------------------------------------------------------
def test_volume_sizes_and_read_only_fields():
    assert linstor.Volume("1 GiB").size == 1073741824
    assert linstor.Volume("4096").size == 4096
    assert linstor.Volume(512).size == 512
    vol = linstor.Volume("1MiB")
    vol.minor = 1005
    vol.size = "2 MiB"  # not deployed: only remembered
    assert (vol.minor, vol.size) == (1005, 2097152)
    with pytest.raises(linstor.LinstorReadOnlyAfterSetError, match="read-only property"):
        vol.device_path = "/dev/x"
    with pytest.raises(AttributeError):
        vol.storage_pool_name = "thin"


def test_resource_volumes_hold_only_volumes(stub, lin):
    stub.on("GET", RD, [])
    rsc = linstor.Resource("fresh", existing_client=lin)
    with pytest.raises(ValueError):
        rsc.volumes[0] = "1 GiB"
    rsc.volumes[3] = linstor.Volume("1 GiB")
    del rsc.volumes[3]  # never deployed: nothing to tell the controller
    assert rsc.volumes == {} and [s.method for s in stub.sent] == ["GET"]


def test_deployed_volume_resize_and_delete(stub, lin):
    rsc = _defined_resource(stub, lin, ("alpha", False))
    vol = rsc.volumes[0]
    with pytest.raises(linstor.LinstorReadOnlyAfterSetError):
        vol.minor = 1234
    with pytest.raises(ValueError, match="shrinking Resource/Volume my_res/0"):
        vol.size = 1024
    stub.on("PUT", RD + "/my_res/volume-definitions/0", [rc(0x2300003, "resized")])
    vol.size = "2 GiB"
    assert stub.last == ("PUT", RD + "/my_res/volume-definitions/0", "", {"size_kib": 2097152})
    assert vol.size == 2147483648
    stub.on("PUT", RD + "/my_res/volume-definitions/0", [rc(ERROR, "no space")], status=500)
    with pytest.raises(linstor.LinstorError, match="Could not resize Resource/Volume my_res/0: ERRO:no space"):
        vol.size = "3 GiB"
    assert vol.size == 2147483648
    stub.on("DELETE", RD + "/my_res/volume-definitions/0", [rc(0x3300002, "deleted")])
    del rsc.volumes[0]
    assert stub.last[:2] == ("DELETE", RD + "/my_res/volume-definitions/0") and 0 not in rsc.volumes
    assert repr(vol).startswith("Volume(my_res, 0, 2097152kib")


def test_placement_defaults_and_wraps():
    placement = _Placement()
    assert (placement.redundancy, placement.storage_pool, placement.diskless_storage_pool,
            placement.diskless_on_remaining) == (None, None, None, False)

    def original():
        """doc"""

    assert wraps(original)(lambda: None).__doc__ == "doc"
