"""linstor.ResourceGroup: created on first use, cached getters, setters that write the whole state."""
import pytest

import linstor
from linstor import consts
from tests.linstor import canned
from tests.linstor.stub import StubTransport, connected_client, rc, signed

RG = "/v1/resource-groups"
RG1 = {"name": "rg1", "description": "fast", "props": {"Aux/a": "1"}, "uuid": "u1",
       "select_filter": {"place_count": 2, "storage_pool_list": ["thin"], "diskless_on_remaining": False,
                         "not_place_with_rsc": ["x"], "replicas_on_same": ["Aux/site"],
                         "layer_stack": ["DRBD", "STORAGE"], "provider_list": ["LVM_THIN"]}}


@pytest.fixture
def stub():
    return StubTransport()


@pytest.fixture
def lin(stub):
    return connected_client(stub)


def _existing(stub, lin, group=RG1, n_volumes=1):
    stub.on("GET", RG, [group])
    stub.on("GET", RG + "/rg1/volume-groups", [{"volume_number": n} for n in range(n_volumes)])
    return linstor.ResourceGroup("rg1", existing_client=lin)


def test_missing_group_is_created_with_one_volume_group(stub, lin):
    stub.on("GET", RG, [])
    stub.on("GET", RG, [{"name": "rg1", "select_filter": {}}])
    stub.on("POST", RG, [rc(0x1440001, "created")], status=201)
    stub.on("POST", RG + "/rg1/volume-groups", [rc(0x1480001, "created")], status=201)
    stub.on("GET", RG + "/rg1/volume-groups", [{"volume_number": 0}])
    rg = linstor.ResourceGroup("rg1", existing_client=lin)
    assert stub.calls() == [("GET", RG), ("POST", RG), ("POST", RG + "/rg1/volume-groups"), ("GET", RG),
                            ("GET", RG + "/rg1/volume-groups")]
    assert stub.sent[0].query == "resource_groups=rg1"
    assert [s.body for s in stub.sent[1:3]] == [{"name": "rg1", "select_filter": {}}, {"volume_number": 0}]
    assert (rg.name, rg.description, rg.redundancy, rg.storage_pool, rg.nr_volumes) == ("rg1", "", None, [], 1)


def test_existing_group_is_read_not_created(stub, lin):
    rg = _existing(stub, lin, n_volumes=2)
    assert [s.method for s in stub.sent] == ["GET", "GET"]
    assert (rg.description, rg.redundancy, rg.storage_pool, rg.do_not_place_with) == ("fast", 2, ["thin"], ["x"])
    assert (rg.do_not_place_with_regex, rg.replicas_on_same, rg.replicas_on_different) == (None, ["Aux/site"], None)
    assert (rg.diskless_on_remaining, rg.layer_list, rg.provider_list) == (False, ["DRBD", "STORAGE"], ["LVM_THIN"])
    assert (rg.property_dict, rg.nr_volumes) == ({"Aux/a": "1"}, 2)


def test_a_setter_writes_the_whole_cached_state(stub, lin):
    rg = _existing(stub, lin, group={"name": "rg1", "select_filter": {}})
    stub.on("PUT", RG + "/rg1", [rc(0x2440003, "modified")])
    rg.redundancy = 3
    assert stub.last.body == {"description": "", "select_filter": {"place_count": 3, "diskless_on_remaining": False,
                                                                   "storage_pool_list": []}}
    rg.storage_pool = "zfs"
    rg.property_dict = {"Aux/b": "2"}
    assert stub.last.body == {"description": "",
                              "select_filter": {"place_count": 3, "diskless_on_remaining": False,
                                                "storage_pool_list": ["zfs"]},
                              "override_props": {"Aux/b": "2"}}
    assert (rg.redundancy, rg.storage_pool) == (3, "zfs")


def test_all_settings_round_trip_into_the_modify_body(stub, lin):
    rg = _existing(stub, lin)
    stub.on("PUT", RG + "/rg1", [rc(0x2440003, "modified")])
    rg.description = "slow"
    rg.do_not_place_with_regex = "tmp-.*"
    rg.replicas_on_different = ["Aux/rack"]
    rg.diskless_on_remaining = True
    rg.layer_list = ["drbd", "storage"]
    rg.provider_list = ["ZFS"]
    rg.do_not_place_with = ["y"]
    rg.replicas_on_same = ["Aux/zone"]
    assert stub.last.body == {
        "description": "slow",
        "select_filter": {"place_count": 2, "diskless_on_remaining": True, "storage_pool_list": ["thin"],
                          "not_place_with_rsc": ["y"], "not_place_with_rsc_regex": "tmp-.*",
                          "replicas_on_same": ["Aux/zone"], "replicas_on_different": ["Aux/rack"],
                          "layer_stack": ["drbd", "storage"], "provider_list": ["ZFS"]},
        "override_props": {"Aux/a": "1"},
    }
    assert len([s for s in stub.sent if s.method == "PUT"]) == 8


def test_name_is_read_only(stub, lin):
    rg = _existing(stub, lin)
    with pytest.raises(linstor.LinstorReadOnlyAfterSetError, match="read-only property"):
        rg.name = "other"


def test_nr_volumes_grows_and_shrinks_volume_groups(stub, lin):
    rg = _existing(stub, lin, n_volumes=1)
    vgs = RG + "/rg1/volume-groups"
    stub.on("POST", vgs, [rc(0x1480001, "created")], status=201)
    stub.on("GET", vgs, [{"volume_number": n} for n in range(3)])
    rg.nr_volumes = 3
    assert [s.body for s in stub.sent if s.method == "POST"] == [{"volume_number": 1}, {"volume_number": 2}]
    assert rg.nr_volumes == 3
    stub.on("DELETE", vgs + "/2", [rc(0x3480002, "deleted")])
    stub.on("DELETE", vgs + "/1", [rc(0x3480002, "deleted")])
    stub.on("GET", vgs, [{"volume_number": 0}])
    rg.nr_volumes = 1
    assert [s.path for s in stub.sent if s.method == "DELETE"] == [vgs + "/2", vgs + "/1"]
    assert rg.nr_volumes == 1
    with pytest.raises(linstor.LinstorError, match="at least one volume group"):
        rg.nr_volumes = 0


def test_nr_volumes_reports_a_refused_volume_group(stub, lin):
    rg = _existing(stub, lin)
    stub.on("POST", RG + "/rg1/volume-groups",
            [rc(signed(consts.FAIL_EXISTS_VLM_GRP | consts.MASK_CRT | consts.MASK_VLM_GRP), "exists")], status=500)
    with pytest.raises(linstor.LinstorError, match="Could not create a volume group of resource group rg1"):
        rg.nr_volumes = 2


def test_delete_query_and_create_resource(stub, lin):
    rg = _existing(stub, lin)
    stub.on("DELETE", RG + "/rg1", [rc(0x3440002, "deleted")])
    assert rg.delete() is True
    stub.on("GET", RG + "/rg1/query-max-volume-size",
            {"candidates": [{"max_volume_size_kib": 1024, "storage_pool": "thin", "all_thin": True}],
             "default_max_oversubscription_ratio": 20.0})
    assert rg.query_max_volume_size()[0].candidates[0].max_volume_size == 1024
    stub.on("POST", RG + "/rg1/spawn", [rc(0x1380001, "spawned")], status=201)
    stub.on("GET", "/v1/resource-definitions", [canned.rsc_dfn("pvc-3", group="rg1")])
    stub.on("GET", "/v1/view/resources", [])
    rg.client.timeout = 17
    rsc = rg.create_resource("pvc-3", ["10M"])
    assert [s.body for s in stub.sent if s.path.endswith("/spawn")] == [
        {"resource_definition_name": "pvc-3", "volume_sizes": [10240], "partial": False, "definitions_only": False}]
    assert rsc.linstor_name == "pvc-3" and rsc.resource_group_name == "rg1" and rsc.client.timeout == 17
