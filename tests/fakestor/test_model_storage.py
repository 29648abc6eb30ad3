"""Storage pool definitions, storage pools and controller properties on the cluster (no HTTP)."""
import pytest

from fakestor.apicallrc import http_status
from linstor import sharedconsts as C
from tests.fakestor.conftest import refusal

NIC = {"name": "default", "address": "10.43.0.9", "satellite_port": 3370, "satellite_encryption_type": "PLAIN"}



def test_pool_create_entries(cluster):
    entries = cluster.create_storage_pool("alpha", "fast", "LVM", {"StorDriver/StorPoolName": "vg1"})
    pool = cluster.get_storage_pool("alpha", "fast")
    assert [(e.ret_code, e.message, e.obj_refs) for e in entries] == [
        (C.MASK_STOR_POOL | C.MASK_CRT | C.CREATED, "Successfully set property key(s): StorDriver/StorPoolName", {}),
        (C.MASK_STOR_POOL | C.MASK_CRT | C.CREATED, "New storage pool 'fast' on node 'alpha' registered.",
         {"Node": "alpha", "StorPoolDfn": "fast", "UUID": pool.uuid}),
        # the satellite's answer, as the controller passes it on
        (C.MODIFIED, "(alpha) Changes applied to storage pool 'fast'", {})]
    assert "FAST" in cluster.storage_pool_definitions


@pytest.mark.parametrize("args, code, message, status", [
    (("zulu", "fast", "LVM"), C.FAIL_NOT_FOUND_NODE, "Node 'zulu' not found.", 404),
    (("alpha", "thin", "LVM"), C.FAIL_EXISTS_STOR_POOL, "Node: alpha, Storage pool name: thin already exists.", 500),
    (("alpha", "ab", "LVM"), C.FAIL_INVLD_STOR_POOL_NAME,
     "Invalid name: Name length 2 is less than minimum length 3", 500),
    (("alpha", "fast", "BTRFS"), C.FAIL_INVLD_LAYER_KIND, "Given provider kind 'BTRFS' is invalid", 500),
    (("alpha", "fast", "LVM", {"NoSuchKey": "1"}), C.FAIL_INVLD_PROP, "Invalid property key: NoSuchKey", 500),
])
def test_pool_create_refusals_come_back_without_masks(cluster, args, code, message, status):
    entry = refusal(cluster, cluster.create_storage_pool, *args)
    assert (entry.ret_code, entry.message) == (code, message)
    assert http_status([entry]) == status
    assert not entry.report  # the handler catches these: no error report


def test_a_controller_node_holds_no_pools(cluster):
    cluster.create_node("ctrl1", "Controller", [NIC])
    entry = refusal(cluster, cluster.create_storage_pool, "ctrl1", "fast", "LVM")
    assert entry.message == "The satellite does not support the device provider LVM"


def test_provider_kind_aliases(cluster):
    cluster.create_storage_pool("alpha", "thin2", "lvmthin")
    assert cluster.get_storage_pool("alpha", "thin2").provider_kind == "LVM_THIN"


def test_pool_delete(cluster):
    entry = cluster.delete_storage_pool("alpha", "zfs")[0]
    assert entry.message == "Node: alpha, Storage pool name: zfs deleted."
    missing = cluster.delete_storage_pool("alpha", "zfs")[0]
    assert missing.ret_code == C.WARN_NOT_FOUND | C.MASK_DEL | C.MASK_STOR_POOL
    assert missing.message == "Deletion of storage pool 'zfs' on node 'alpha' had no effect."
    diskless = refusal(cluster, cluster.delete_storage_pool, "alpha", "DfltDisklessStorPool")
    assert diskless.message == "The default diskless storage pool cannot be deleted!"


def test_pool_modify_sets_props_and_says_so(cluster):
    entries = cluster.modify_storage_pool("alpha", "thin", {"MaxOversubscriptionRatio": "3"})
    assert entries[0].message == "Successfully set property key(s): MaxOversubscriptionRatio"
    assert entries[1].message == "Storage pool 'thin' on node 'alpha' modified."
    assert cluster.get_storage_pool("alpha", "thin").props["MaxOversubscriptionRatio"] == "3"
    bad = refusal(cluster, cluster.modify_storage_pool, "alpha", "thin", {"MaxOversubscriptionRatio": "-1"})
    assert bad.message == "Invalid property(MaxOversubscriptionRatio) value: -1"


def test_pool_definition_life_cycle(cluster):
    created = cluster.create_pool_definition("gold", {"MaxOversubscriptionRatio": "2"})
    assert created[-1].message == "New storage pool definition 'gold' created."
    assert created[-1].obj_refs["StorPoolDfn"] == "gold"
    exists = refusal(cluster, cluster.create_pool_definition, "GOLD")
    assert exists.message == "Storage pool definition 'GOLD' already exists."
    in_use = cluster.delete_pool_definition("thin")[0]
    assert in_use.ret_code == C.FAIL_IN_USE | C.MASK_DEL | C.MASK_STOR_POOL_DFN
    assert in_use.message == "Storage pool definition 'thin' has still storage pools on node(s): " \
                             "'alpha', 'bravo', 'charlie'."
    assert "THIN" in cluster.storage_pool_definitions
    assert cluster.delete_pool_definition("gold")[0].message == "Storage pool definition 'gold' deleted."
    gone = refusal(cluster, cluster.delete_pool_definition, "gold")
    assert http_status([gone]) == 404


def test_controller_props_reply_per_key(cluster):
    entries = cluster.modify_controller_props({"Aux/a": "1", "DrbdOptions/AutoEvictAllowEviction": "yes"},
                                              ["Aux/none"])
    assert [(e.ret_code, e.message) for e in entries] == [
        (C.MASK_CTRL_CONF | C.MASK_CRT | C.CREATED, "Successfully set property 'Aux/a' to value '1'"),
        (C.MASK_CTRL_CONF | C.MASK_CRT | C.CREATED,
         "Successfully set property 'DrbdOptions/AutoEvictAllowEviction' to value 'true'"),
        (C.MASK_CTRL_CONF | C.MASK_DEL | C.DELETED, "Successfully deleted property 'Aux/none'")]
    assert cluster.controller_props["DrbdOptions/AutoEvictAllowEviction"] == "true"


def test_controller_props_refusals(cluster):
    entry = refusal(cluster, cluster.modify_controller_props, {"NoSuchKey": "1"})
    assert entry.ret_code == C.FAIL_INVLD_PROP | C.MASK_CTRL_CONF | C.MASK_CRT
    assert entry.message == "The key 'NoSuchKey' is not whitelisted"
    bad = refusal(cluster, cluster.modify_controller_props, {"TcpPortAutoRange": "lots"})
    assert bad.message == "The value 'lots' is not valid."


def test_controller_exos_keys_bypass_the_whitelist(cluster):
    cluster.modify_controller_props({"StorDriver/Exos/enc1/A/IP": "10.0.0.1"})
    assert cluster.delete_controller_prop("StorDriver/Exos/enc1/A/IP")[0].message == \
        "Successfully deleted property 'StorDriver/Exos/enc1/A/IP'"
    assert "StorDriver/Exos/enc1/A/IP" not in cluster.controller_props


def test_device_pool_with_storage_pool(cluster):
    entries = cluster.create_device_pool("alpha", "LVM_THIN", ["/dev/sdb"], None, {"name": "fast"})
    assert [e.message for e in entries] == [
        "(alpha) PV for device '/dev/sdb' created.",
        "(alpha) VG for devices [/dev/sdb] with name 'linstor_linstor_sdb' created.",
        "(alpha) Thin-pool 'linstor_sdb' in LVM-pool 'linstor_linstor_sdb' created.",
        "Successfully set property key(s): StorDriver/StorPoolName",
        "New storage pool 'fast' on node 'alpha' registered.",
        "(alpha) Changes applied to storage pool 'fast'"]
    assert entries[0].ret_code == C.MASK_CRT | C.MASK_PHYSICAL_DEVICE
    pool = cluster.get_storage_pool("alpha", "fast")
    assert pool.props == {"StorDriver/StorPoolName": "linstor_linstor_sdb/linstor_sdb"}
    assert pool.total_capacity == 500 * 1024 * 1024
    # the device is used now
    assert all("alpha" not in group["nodes"] for group in cluster.list_physical_storage())
    again = cluster.create_device_pool("alpha", "LVM", ["/dev/sdb"])
    assert again[0].ret_code == C.FAIL_UNKNOWN_ERROR and again[0].message.startswith("(alpha) ")


def test_device_pool_kinds_the_satellite_cannot_make(cluster):
    entry = cluster.create_device_pool("bravo", "FILE", ["/dev/sdb"])[0]
    assert (entry.ret_code, entry.message) == (
        C.FAIL_INVLD_PROVIDER, "(bravo) Create device pool not supported for provider: FILE")
    assert cluster.create_device_pool("bravo", "ZFS", ["/dev/sdb"], "tank2")[0].message == \
        "(bravo) ZPool 'tank2' on device(s) [/dev/sdb] created."


def test_the_last_pool_takes_its_definition_along(cluster):
    cluster.create_storage_pool("alpha", "solo", "LVM", {"StorDriver/StorPoolName": "vg"})
    cluster.delete_storage_pool("alpha", "solo")
    assert "SOLO" not in cluster.storage_pool_definitions
    cluster.delete_storage_pool("alpha", "zfs")
    assert "ZFS" in cluster.storage_pool_definitions  # bravo and charlie still have one
