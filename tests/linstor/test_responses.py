"""The reply wrappers on their own: ApiCallResponse's ret_code logic and the views of the
controller, node and storage replies."""
import pytest

import linstor
from linstor import consts
from linstor.responses import (
    ApiCallResponse,
    ControllerVersion,
    FreeSpace,
    NetInterface,
    NodeListResponse,
    NodeType,
    PhysicalStorageList,
    RESTMessageResponse,
    StoragePool,
    StoragePoolDefinitionResponse,
    StoragePoolDriver,
    StoragePoolListResponse,
)

NODE_CREATED = consts.MASK_CRT | consts.MASK_NODE | consts.CREATED


def rc(ret_code, message="msg", **extra):
    return ApiCallResponse(dict(ret_code=ret_code, message=message, **extra))


# -- ApiCallResponse --------------------------------------------------------------------------------

def test_success_entry():
    entry = rc(NODE_CREATED, "New node 'n1' registered.")
    assert entry.ret_code == 20709377
    assert entry.is_success() and not entry.is_error() and not entry.is_warning() and not entry.is_info()
    assert str(entry) == "SUCC:New node 'n1' registered."


def test_error_entry_is_also_warning_and_info():
    entry = rc(consts.FAIL_NOT_FOUND_NODE, "Node 'x' not found.")
    assert entry.is_error() and entry.is_warning() and entry.is_info() and not entry.is_success()
    assert str(entry) == "ERRO:Node 'x' not found."


def test_signed_ret_codes_from_the_wire():
    # the controller sends a Java long: codes with the top bit set arrive negative
    entry = rc(-4611686018427387604)
    assert entry.is_error(consts.FAIL_NOT_FOUND_NODE) and not entry.is_error(consts.FAIL_NOT_FOUND_RSC_DFN)
    assert rc(consts.FAIL_NOT_FOUND_NODE - (1 << 64)).is_error(consts.FAIL_NOT_FOUND_NODE)
    warn = rc((consts.WARN_NOT_FOUND | consts.MASK_DEL) - (1 << 64))
    assert warn.is_warning() and not warn.is_error()


def test_is_error_with_a_code_is_a_bit_subset_test():
    entry = rc(consts.FAIL_NOT_FOUND_NODE | consts.MASK_DEL | consts.MASK_NODE)
    assert entry.is_error(consts.FAIL_NOT_FOUND_NODE)
    assert entry.is_error(0) and entry.is_error(None)
    assert not entry.is_error(consts.FAIL_NOT_FOUND_RSC_DFN)  # 302 has a bit that 300 lacks
    # a subset of the bits matches too, as in python-linstor: 300 = 256 + 32 + 8 + 4
    assert entry.is_error(consts.MASK_ERROR | 256)
    assert not rc(NODE_CREATED).is_error(consts.CREATED)


def test_warning_and_info_entries():
    warn = rc(consts.WARN_NOT_FOUND | consts.MASK_DEL | consts.MASK_NODE, "gone")
    assert warn.is_warning() and not warn.is_error() and not warn.is_info() and not warn.is_success()
    assert str(warn) == "WARN:gone"
    info = rc(consts.INFO_NOOP, "nothing")
    assert info.is_info() and not info.is_warning() and not info.is_error()
    assert str(info) == "INFO:nothing"


def test_optional_fields_and_defaults():
    bare = ApiCallResponse({"ret_code": 0})
    assert (bare.message, bare.cause, bare.correction, bare.details) == (None, None, None, None)
    assert bare.object_refs == {} and bare.error_report_ids == []
    full = rc(consts.FAIL_EXISTS_NODE, "exists", cause="c", correction="fix", details="d",
              obj_refs={"Node": "n1"}, error_report_ids=["5F00-000001"])
    assert (full.cause, full.correction, full.details) == ("c", "fix", "d")
    assert full.object_refs == {"Node": "n1"} and full.error_report_ids == ["5F00-000001"]
    with pytest.raises(KeyError):
        _ = ApiCallResponse({"message": "no code"}).ret_code


def test_data_v0_layout():
    full = rc(NODE_CREATED, "m", cause="c", details="d", obj_refs={"Node": "n1"}, error_report_ids=["e1"])
    assert full.data_v0 == {"ret_code": NODE_CREATED, "message": "m", "cause": "c", "details": "d",
                            "object_refs": [{"key": "Node", "value": "n1"}], "error_report_ids": ["e1"]}
    assert rc(1, "m").data_v0 == {"ret_code": 1, "message": "m"}
    assert rc(1, "m").data("v0") == {"ret_code": 1, "message": "m"}
    assert rc(1, "m").data("v1") == {"ret_code": 1, "message": "m"}


def test_from_json_equality_and_hash():
    data = {"ret_code": NODE_CREATED, "message": "m", "details": "first"}
    one = ApiCallResponse.from_json(data)
    assert isinstance(one, ApiCallResponse)
    same = ApiCallResponse({"ret_code": NODE_CREATED, "message": "m", "details": "other"})
    assert one == same and hash(one) == hash(same)  # equal by code and message only
    assert one != rc(NODE_CREATED, "n") and one != rc(NODE_CREATED + 1, "m")
    assert one != data
    assert len({one, same, rc(2, "x")}) == 2
    assert linstor.ApiCallResponse is ApiCallResponse


def test_rest_message_response_basics():
    empty = RESTMessageResponse([])
    assert bool(empty) is True  # even an empty list reply is truthy
    assert str(empty) == "[]"
    assert repr(RESTMessageResponse({"a": 1})) == "RESTMessageResponse({'a': 1})"
    assert repr(rc(1, "m")) == "RESTMessageResponse({'ret_code': 1, 'message': 'm'})"
    assert RESTMessageResponse({"a": 1}).data_v1 == {"a": 1}


# -- controller, nodes ----------------------------------------------------------------------------

def test_controller_version_fields():
    version = ControllerVersion({"version": "1.31.3", "git_hash": "abc", "build_time": "t"})
    assert (version.version, version.git_hash, version.build_time) == ("1.31.3", "abc", "t")
    assert version.rest_api_version == "1.0.0"  # what a controller without the field means
    with pytest.raises(KeyError):
        _ = ControllerVersion({"version": "1"}).build_time


def test_node_defaults_and_data_v0_without_status():
    node = NodeListResponse([{"name": "n1", "type": "SATELLITE"}]).nodes[0]
    assert node.connection_status == "OFFLINE"
    assert (node.flags, node.props, node.net_interfaces, node.storage_providers) == ([], {}, [], [])
    assert node.data_v0["connection_status"] == consts.ConnectionStatus.UNKNOWN.value
    assert NodeType.SATELLITE == "Satellite" and NodeType.COMBINED == "Combined"
    assert NodeType.CONTROLLER == "Controller" and NodeType.AUXILIARY == "Auxiliary"


def test_net_interface_without_satellite_port():
    nic = NetInterface({"name": "data", "address": "10.0.0.1"})
    assert nic.stlt_port is None and nic.is_active is None
    assert nic.data_v0 == {"address": "10.0.0.1", "name": "data", "stlt_port": None, "stlt_encryption_type": None}


# -- storage ------------------------------------------------------------------------------------------

POOL = {"storage_pool_name": "thin", "node_name": "n1", "provider_kind": "LVM_THIN", "uuid": "u1",
        "props": {"StorDriver/StorPoolName": "vg/lv"}, "free_capacity": 10, "total_capacity": 30,
        "static_traits": {"Provisioning": "Thin", "SupportsSnapshots": "true"}, "free_space_mgr_name": "n1:thin"}


def test_storage_pool_views():
    pool = StoragePool(dict(POOL))
    assert pool.is_thin() and pool.supports_snapshots() and not pool.is_fat() and not pool.is_diskless()
    assert str(pool.free_space) == "20/30 Kib used"
    assert pool.reports == []
    assert pool.data_v0 == {
        "stor_pool_uuid": "u1", "stor_pool_name": "thin", "node_name": "n1", "free_space_mgr_name": "n1:thin",
        "free_space": {"stor_pool_name": "thin", "free_capacity": 10, "total_capacity": 30},
        "driver": "LvmThinDriver",
        "static_traits": [{"key": "Provisioning", "value": "Thin"}, {"key": "SupportsSnapshots", "value": "true"}],
        "props": [{"key": "StorDriver/StorPoolName", "value": "vg/lv"}]}
    assert StoragePoolListResponse([POOL]).data_v0 == {"stor_pools": [pool.data_v0]}


def test_storage_pool_supports_snapshots_prefers_the_explicit_field():
    assert StoragePool(dict(POOL, supports_snapshots=False)).supports_snapshots() is False
    assert StoragePool(dict(POOL, static_traits={})).supports_snapshots() is False


def test_storage_pool_of_an_offline_node_has_no_free_space():
    data = {k: v for k, v in POOL.items() if k not in ("free_capacity", "total_capacity")}
    data["reports"] = [{"ret_code": consts.WARN_NOT_CONNECTED, "message": "No active connection"}]
    pool = StoragePool(data)
    assert pool.free_space is None and "free_space" not in pool.data_v0
    assert pool.reports[0].is_warning()
    exotic = StoragePool(dict(data, provider_kind="FILE", props={}))
    assert exotic.data_v0["driver"] == "" and "props" not in exotic.data_v0


def test_free_space_data_v0():
    space = FreeSpace({"storage_pool_name": "p", "free_capacity": 1, "total_capacity": 2})
    assert space.data_v0 == {"stor_pool_name": "p", "free_capacity": 1, "total_capacity": 2}


def test_storage_pool_definition_data_v0():
    reply = StoragePoolDefinitionResponse([{"storage_pool_name": "a", "props": {"k": "v"}},
                                           {"storage_pool_name": "b"}])
    assert reply.data_v0 == {"stor_pool_dfns": [{"stor_pool_name": "a", "props": [{"key": "k", "value": "v"}]},
                                                {"stor_pool_name": "b"}]}
    assert StoragePoolDefinitionResponse([]).data_v0 == {}


def test_physical_storage_views():
    devices = PhysicalStorageList([{"size": 1024, "rotational": True,
                                    "nodes": {"n1": [{"device": "/dev/sdb", "wwn": "w"}]}}]).physical_devices
    entry = devices[0].nodes["n1"][0]
    assert (devices[0].size, devices[0].rotational) == (1024, True)
    assert (entry.device, entry.model, entry.serial, entry.wwn) == ("/dev/sdb", None, None, "w")


def test_storage_pool_driver_lists_and_props():
    assert StoragePoolDriver.list() == ["LVM", "LVM_THIN", "ZFS", "ZFS_THIN", "DISKLESS", "FILE", "FILE_THIN",
                                        "SPDK", "OPENFLEX_TARGET", "EXOS"]
    assert StoragePoolDriver.diskless_driver() == ["DISKLESS"]
    to_props = StoragePoolDriver.storage_driver_pool_to_props
    assert to_props("LVM", "vg") == {"StorDriver/LvmVg": "vg"}
    assert to_props("LVM_THIN", "vg/lv") == {"StorDriver/LvmVg": "vg", "StorDriver/ThinPool": "lv"}
    assert to_props("ZFS", "tank") == {"StorDriver/ZPool": "tank"}
    assert to_props("ZFS_THIN", "tank") == {"StorDriver/ZPoolThin": "tank"}
    assert to_props("FILE_THIN", "/d") == {"StorDriver/FileDir": "/d"}
    assert to_props("DISKLESS", None) == {}
    with pytest.raises(linstor.LinstorError):
        to_props("LVM_THIN", "novg")
    from_props = StoragePoolDriver.storage_props_to_driver_pool
    assert from_props("LVM_THIN", {"StorDriver/LvmVg": "vg", "StorDriver/ThinPool": "lv"}) == "vg/lv"
    assert from_props("ZFS", {"StorDriver/StorPoolName": "tank", "StorDriver/ZPool": "old"}) == "tank"
    assert from_props("LVM", {}) == ""
