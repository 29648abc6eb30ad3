"""The property whitelist, per object kind and emulated LINSTOR version (no HTTP)."""
import pytest

from fakestor.apicallrc import ApiError, Context
from fakestor.model import props
from linstor import sharedconsts as C

CTX = Context(C.MASK_MOD, C.MASK_NODE, {"Node": "alpha"}, "Node: alpha")


def refusal(fn, *args, **kw):
    with pytest.raises(ApiError) as info:
        fn(*args, **kw)
    return info.value.entries[0]


def test_the_generated_whitelist_ships_with_the_package():
    assert props.whitelist("storagepool")["StorDriver/StorPoolName"]["type"] == "regex"
    assert "PrefNic" in props.whitelist("node")
    assert "MaxOversubscriptionRatio" in props.whitelist("storagepool-definition")
    assert "TcpPortAutoRange" in props.whitelist("controller")


@pytest.mark.parametrize("kind, key", [
    ("node", "Autoplacer/MinThinFreeSpace"),
    ("controller", "ExtCmd/WaitTimeout"),
    ("controller", "REST/AutoHTTPS"),
    ("controller", "Auth/TokenAuthenticationEnabled"),
    ("storagepool", "StorDriver/LvcreatePvSelection"),
])
def test_keys_added_after_1_31_3_are_refused_by_default_and_accepted_later(kind, key):
    assert key not in props.whitelist(kind)
    assert key in props.whitelist(kind, "1.34.0")


@pytest.mark.parametrize("kind, key", [
    ("storagepool", "StorDriver/Exos/Enclosure"),
    ("storagepool", "StorDriver/Exos/PoolSN"),
    ("controller", "SnapshotShipping/TcpPortRange"),
    ("controller", "ExtCmdWaitTimeout"),
])
def test_keys_of_1_31_3_that_newer_releases_dropped(kind, key):
    assert key in props.whitelist(kind)
    if key != "ExtCmdWaitTimeout":
        assert key not in props.whitelist(kind, "1.32.0")


def test_unknown_key_is_refused_with_the_controller_texts():
    entry = refusal(props.apply_changes, {}, "node", CTX, {"NoSuchKey": "1"})
    assert entry.ret_code == C.FAIL_INVLD_PROP | C.MASK_MOD | C.MASK_NODE
    assert entry.message == "Invalid property key: NoSuchKey"
    assert entry.cause == "The key 'NoSuchKey' is not whitelisted."
    assert entry.report


def test_whitelist_looks_up_the_raw_key():
    # 'Aux/' is matched before PropsContainer strips the slash, so '/Aux/x' is not an aux key
    assert refusal(props.apply_changes, {}, "node", CTX, {"/Aux/x": "1"}).message == "Invalid property key: /Aux/x"
    assert props.apply_changes({}, "node", CTX, {"Aux//x": "1"}) == {"Aux/x": "1"}


def test_bad_value_names_key_value_and_rule():
    entry = refusal(props.apply_changes, {}, "node", CTX, {"DrbdOptions/AutoEvictAllowEviction": "maybe"})
    assert entry.message == "Invalid property(DrbdOptions/AutoEvictAllowEviction) value: maybe"
    assert entry.cause == "The value 'maybe' is not valid for the key 'DrbdOptions/AutoEvictAllowEviction'"
    assert entry.details.startswith("This value must be either 'yes', 'no', 'true' or 'false'.")


def test_values_are_normalized_as_the_controller_stores_them():
    assert props.apply_changes({}, "node", CTX, {"DrbdOptions/AutoEvictAllowEviction": "YES"}) == {
        "DrbdOptions/AutoEvictAllowEviction": "true"}


@pytest.mark.parametrize("value, ok", [("0", True), ("100", True), ("101", False), ("-1", False), ("1.5", False),
                                       ("x", False), ("", False)])
def test_range_rule(value, ok):
    rule = props.whitelist("controller")["DrbdOptions/AutoEvictMaxDisconnectedNodes"]
    assert props.value_ok(rule, value) is ok


def test_deleting_an_unlisted_key_is_refused_without_the_key_in_the_message():
    entry = refusal(props.apply_changes, {"Aux/a": "1"}, "node", CTX, None, ["Bogus"])
    assert (entry.message, entry.cause) == ("Invalid property key", "The key 'Bogus' is not whitelisted.")


def test_change_entries_report_set_and_deleted_keys():
    entries = props.change_entries(C.MASK_NODE, {"Aux/a": "1", "Aux/b": "2"}, ["Aux/c"])
    assert [(e.ret_code, e.message) for e in entries] == [
        (C.MASK_NODE | C.MASK_CRT | C.CREATED, "Successfully set property key(s): Aux/a,Aux/b"),
        (C.MASK_NODE | C.MASK_DEL | C.DELETED, "Successfully deleted property key(s): Aux/c")]


def test_properties_info_shows_rules_as_the_controller_prints_them():
    info = props.properties_info("controller")
    assert info["DrbdOptions/AutoEvictMaxDisconnectedNodes"]["value"] == "(0 - 100)"
    assert info["DrbdOptions/AutoEvictMaxDisconnectedNodes"]["prop_type"] == "range"
    assert "ExtCmd/WaitTimeout" not in info
