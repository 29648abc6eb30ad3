"""Storage pool definitions, storage pools and physical storage through the client, against the
fake (in process and over HTTP)."""
import pytest

import linstor
from linstor import consts
from linstor.responses import StoragePoolDefinitionResponse, StoragePoolDriver, StoragePoolListResponse

STOR_POOL_NAME_KEY = "StorDriver/StorPoolName"


def _definitions(lin):
    replies = lin.storage_pool_dfn_list()
    assert isinstance(replies[0], StoragePoolDefinitionResponse)
    return {d.name: d for d in replies[0].storage_pool_definitions}


# -- storage pool definitions -------------------------------------------------------------------

def test_storage_pool_definition_list_shows_the_demo_pools(lin):
    assert sorted(_definitions(lin)) == ["DfltDisklessStorPool", "DfltStorPool", "thin", "zfs"]


def test_storage_pool_definition_create_modify_delete(lin):
    created = lin.storage_pool_dfn_create("fast")
    assert created[0].is_success()
    assert created[0].ret_code == consts.MASK_CRT | consts.MASK_STOR_POOL_DFN | consts.CREATED
    assert created[0].object_refs["StorPoolDfn"] == "fast"
    assert lin.storage_pool_dfn_modify("fast", {"Aux/tier": "1"})[0].is_success()
    assert _definitions(lin)["fast"].properties == {"Aux/tier": "1"}
    assert lin.storage_pool_dfn_modify("fast", None, delete_props=["Aux/tier"])[0].is_success()
    assert _definitions(lin)["fast"].properties == {}
    deleted = lin.storage_pool_dfn_delete("fast")
    assert deleted[0].ret_code == consts.MASK_DEL | consts.MASK_STOR_POOL_DFN | consts.DELETED
    assert "fast" not in _definitions(lin)


def test_duplicate_storage_pool_definition_is_refused(lin):
    replies = lin.storage_pool_dfn_create("THIN")
    assert replies[0].is_error(consts.FAIL_EXISTS_STOR_POOL_DFN)
    assert sorted(_definitions(lin)) == ["DfltDisklessStorPool", "DfltStorPool", "thin", "zfs"]


@pytest.mark.parametrize("bad", ["1abc", "a b", "x" * 49, "bad/name"])
def test_invalid_storage_pool_definition_names_are_refused(lin, bad):
    replies = lin.storage_pool_dfn_create(bad)
    assert replies[0].is_error(consts.FAIL_INVLD_STOR_POOL_NAME)
    assert bad not in _definitions(lin)


def test_storage_pool_definition_in_use_cannot_be_deleted(lin):
    replies = lin.storage_pool_dfn_delete("thin")
    assert replies[0].is_error(consts.FAIL_IN_USE)
    assert "thin" in _definitions(lin)


def test_missing_storage_pool_definition(lin):
    modified = lin.storage_pool_dfn_modify("nothere", {"Aux/a": "b"})
    assert modified[0].is_error(consts.FAIL_NOT_FOUND_STOR_POOL_DFN)
    # unlike most deletes, the controller's storage pool definition delete refuses a missing one
    deleted = lin.storage_pool_dfn_delete("nothere")
    assert deleted[0].is_error(consts.FAIL_NOT_FOUND_STOR_POOL_DFN)


# -- storage pools --------------------------------------------------------------------------

def test_storage_pool_list_shows_capacity_and_traits(lin):
    pools = lin.storage_pool_list_raise(filter_by_nodes=["alpha"]).storage_pools
    by_name = {p.name: p for p in pools}
    assert sorted(by_name) == ["DfltDisklessStorPool", "thin", "zfs"]
    thin, zfs, diskless = by_name["thin"], by_name["zfs"], by_name["DfltDisklessStorPool"]
    assert thin.node_name == "alpha" and thin.provider_kind == thin.driver == StoragePoolDriver.LVMThin
    assert thin.is_thin() and not thin.is_fat() and not thin.is_diskless()
    assert thin.free_space.total_capacity == 100 * 1024 * 1024
    assert thin.free_space.free_capacity == thin.free_space.total_capacity
    assert thin.supports_snapshots()
    assert StoragePoolDriver.storage_props_to_driver_pool(thin.provider_kind, thin.properties) == "vg0/thin"
    assert zfs.is_fat() and zfs.free_space.total_capacity == 200 * 1024 * 1024
    assert diskless.is_diskless()
    assert thin.uuid and thin.free_space_mgr_name == "alpha:thin"


def test_storage_pool_list_filters(lin):
    listed = lin.storage_pool_list_raise(filter_by_nodes=["BRAVO"], filter_by_stor_pools=["zfs"]).storage_pools
    assert [(p.node_name, p.name) for p in listed] == [("bravo", "zfs")]
    assert lin.storage_pool_list_raise(filter_by_stor_pools=["nothere"]).storage_pools == []


def test_storage_pool_create_sends_the_driver_pool_name(lin):
    replies = lin.storage_pool_create("alpha", "fast", StoragePoolDriver.LVM, "vgfast")
    assert replies[0].is_success(), replies
    pool = lin.storage_pool_list_raise(filter_by_nodes=["alpha"], filter_by_stor_pools=["fast"]).storage_pools[0]
    assert pool.properties[STOR_POOL_NAME_KEY] == "vgfast"
    assert pool.provider_kind == "LVM" and pool.is_fat()
    assert "fast" in _definitions(lin)  # the definition comes with the first pool
    assert isinstance(lin.storage_pool_list()[0], StoragePoolListResponse)


def test_storage_pool_create_with_props_shared_space_and_filter_by_props(lin):
    replies = lin.storage_pool_create("bravo", "shared", StoragePoolDriver.LVM, "vgshared",
                                      shared_space="san1", property_dict={"Aux/site": "x"})
    assert not replies[0].is_error(), replies
    listed = lin.storage_pool_list_raise(filter_by_props=["Aux/site=x"]).storage_pools
    assert [(p.node_name, p.name, p.free_space_mgr_name) for p in listed] == [("bravo", "shared", "san1")]


def test_diskless_storage_pool_needs_no_driver_pool(lin):
    assert lin.storage_pool_create("charlie", "nodisk", StoragePoolDriver.Diskless, None)[0].is_success()
    pool = lin.storage_pool_list_raise(["charlie"], ["nodisk"]).storage_pools[0]
    assert pool.is_diskless() and not pool.is_thin() and not pool.is_fat()


def test_storage_pool_create_is_checked_by_the_client_first(lin):
    with pytest.raises(linstor.LinstorError, match="Unknown storage driver: lvm"):
        lin.storage_pool_create("alpha", "x", "lvm", "vg")
    with pytest.raises(linstor.LinstorError, match="Driver 'LVM' needs a driver pool name."):
        lin.storage_pool_create("alpha", "x", "LVM", None)


def test_storage_pool_on_missing_node_is_refused(lin):
    replies = lin.storage_pool_create("nowhere", "fast", "LVM", "vg")
    assert replies[0].is_error(consts.FAIL_NOT_FOUND_NODE)
    assert "fast" not in _definitions(lin)


def test_duplicate_storage_pool_is_refused(lin):
    replies = lin.storage_pool_create("alpha", "ZFS", "ZFS", "tank2")
    assert replies[0].is_error(consts.FAIL_EXISTS_STOR_POOL)
    pools = lin.storage_pool_list_raise(["alpha"], ["zfs"]).storage_pools
    assert pools[0].properties[STOR_POOL_NAME_KEY] != "tank2"


def test_invalid_storage_pool_name_is_refused(lin):
    replies = lin.storage_pool_create("alpha", "9lives", "LVM", "vg")
    assert replies[0].is_error(consts.FAIL_INVLD_STOR_POOL_NAME)


def test_storage_pool_modify_and_delete(lin):
    assert lin.storage_pool_modify("alpha", "zfs", {"Aux/x": "1"})[0].is_success()
    assert lin.storage_pool_list_raise(["alpha"], ["zfs"]).storage_pools[0].properties["Aux/x"] == "1"
    assert lin.storage_pool_modify("alpha", "zfs", None, ["Aux/x"])[0].is_success()
    assert "Aux/x" not in lin.storage_pool_list_raise(["alpha"], ["zfs"]).storage_pools[0].properties
    deleted = lin.storage_pool_delete("alpha", "zfs")
    assert deleted[0].ret_code == consts.MASK_DEL | consts.MASK_STOR_POOL | consts.DELETED
    assert lin.storage_pool_list_raise(["alpha"], ["zfs"]).storage_pools == []
    again = lin.storage_pool_delete("alpha", "zfs")
    assert again[0].is_warning() and not again[0].is_error()


def test_storage_pool_modify_missing_pool_is_not_found(lin):
    replies = lin.storage_pool_modify("alpha", "nothere", {"Aux/x": "1"})
    assert replies[0].is_error()
    assert replies[0].ret_code & consts.MASK_BITS_CODE in (
        consts.FAIL_NOT_FOUND_STOR_POOL & consts.MASK_BITS_CODE,
        consts.FAIL_NOT_FOUND_STOR_POOL_DFN & consts.MASK_BITS_CODE)


# -- physical storage -----------------------------------------------------------------------

def test_physical_storage_list_groups_devices(lin):
    physical = lin.physical_storage_list()
    assert isinstance(physical, linstor.responses.PhysicalStorageList)
    groups = {(d.size, d.rotational): d for d in physical.physical_devices}
    ssd = groups[(500 * 1024 ** 3, False)]
    assert sorted(ssd.nodes) == ["alpha", "bravo"]
    entry = ssd.nodes["alpha"][0]
    assert (entry.device, entry.model, entry.serial, entry.wwn) == ("/dev/sdb", "SAMSUNG MZ7LH480", "S45NNE0M101", None)
    hdd = groups[(1024 ** 4, True)]
    assert list(hdd.nodes) == ["charlie"]


def test_physical_storage_list_leaves_out_satellites_that_are_not_connected(lin, controller):
    controller.faults.node_offline("charlie")
    groups = {(d.size, d.rotational): d for d in lin.physical_storage_list().physical_devices}
    assert (1024 ** 4, True) not in groups  # charlie's disk
    assert sorted(groups[(500 * 1024 ** 3, False)].nodes) == ["alpha", "bravo"]


def test_physical_storage_create_device_pool_with_a_storage_pool(lin):
    replies = lin.physical_storage_create_device_pool("alpha", "LVM", ["/dev/sdb"], pool_name="vgnew",
                                                      storage_pool_name="newpool",
                                                      storage_pool_props={"Aux/a": "b"})
    assert linstor.Linstor.all_api_responses_no_error(replies), replies
    pool = lin.storage_pool_list_raise(["alpha"], ["newpool"]).storage_pools[0]
    assert pool.properties[STOR_POOL_NAME_KEY] == "vgnew" and pool.properties["Aux/a"] == "b"
    assert pool.free_space.total_capacity == 500 * 1024 * 1024
    remaining = lin.physical_storage_list().physical_devices
    assert all("alpha" not in d.nodes for d in remaining)


def test_physical_storage_create_device_pool_errors(lin):
    unknown = lin.physical_storage_create_device_pool("alpha", "LVM", ["/dev/nothere"])
    assert unknown[0].is_error()
    no_node = lin.physical_storage_create_device_pool("nowhere", "LVM", ["/dev/sdb"])
    assert no_node[0].is_error(consts.FAIL_NOT_FOUND_NODE)
    assert len(lin.physical_storage_list().physical_devices) == 2
