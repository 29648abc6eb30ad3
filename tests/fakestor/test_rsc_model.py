"""Resource operations called on the cluster directly (no HTTP): naming, accounting, refusals."""
import random

import pytest

from fakestor import Controller, fixtures
from fakestor.apicallrc import ApiError
from fakestor.model.resource_definitions import name_from_external
from linstor import sharedconsts as C

GIB = 1024 * 1024


@pytest.fixture
def ctl():
    controller = Controller()
    fixtures.load(controller, "demo")
    return controller


def ok(ctl, op):
    entries = ctl.call(op)
    assert not any(e.is_error for e in entries), [e.message for e in entries]
    return entries


def first_code(entries):
    return entries[0].ret_code


@pytest.mark.parametrize("external, expected", [
    ("web data", "web_data"),
    ("a", None),                      # too short to copy, translation keeps it short: random name
    ("9lives", "Flives"),             # a digit may not start a name: translated
    ("ÄÖ", "JUJC"),                   # bytes C3 84 C3 96 as Java bytes: abs(b % 52) -> 9 20 9 2
    ("d6f3a0a8-0c6c-4f55-9d5e-6b3b9f1c2a10", "LS_D6F3A0A8-0C6C-4F55-9D5E-6B3B9F1C2A10"),
    ("", None),
])
def test_name_from_external(external, expected):
    name = name_from_external(external, {}, random.Random(1))
    if expected is None:
        assert name.startswith("LS_") and len(name) == 39
    else:
        assert name == expected


def test_taken_derived_name_falls_back_to_a_random_one():
    name = name_from_external("web data", {"WEB_DATA": object()}, random.Random(1))
    assert name.startswith("LS_") and name != "LS_web_data"


def test_reserved_space_and_resource_count_per_pool(ctl):
    c = ctl.cluster
    for rsc, size in (("r1", GIB), ("r2", 3 * GIB)):
        ok(ctl, lambda c, r=rsc: c.create_resource_definition(r))
        ok(ctl, lambda c, r=rsc, s=size: c.create_volume_definition(r, s))
        ok(ctl, lambda c, r=rsc: c.create_resources(r, [{"node_name": "alpha", "props": {"StorPoolName": "thin"}}]))
    assert c.reserved_kib("alpha", "thin") == 4 * GIB
    assert c.resource_count_in_pool("alpha", "thin") == 2
    assert c.get_storage_pool("alpha", "thin").allocated_kib == 0
    assert c.reserved_kib("bravo", "thin") == 0


def test_same_node_twice_in_one_request_is_an_info(ctl):
    c = ctl.cluster
    ok(ctl, lambda c: c.create_resource_definition("r1"))
    ok(ctl, lambda c: c.create_volume_definition("r1", GIB))
    entries = ok(ctl, lambda c: c.create_resources("r1", [
        {"node_name": "bravo", "props": {"StorPoolName": "zfs"}},
        {"node_name": "BRAVO", "props": {"StorPoolName": "zfs"}},
    ]))
    # the second item's INFO comes during the transaction, the 'registered' entry after it
    assert [e.ret_code for e in entries[:2]] == [C.MASK_CRT | C.MASK_RSC | C.INFO_RSC_ALREADY_EXISTS,
                                                 C.MASK_CRT | C.MASK_RSC | C.CREATED]
    assert c.get_storage_pool("bravo", "zfs").allocated_kib == GIB


def test_refused_resize_leaves_the_cluster_as_it_was(ctl):
    c = ctl.cluster
    ok(ctl, lambda c: c.create_resource_definition("r1"))
    ok(ctl, lambda c: c.create_volume_definition("r1", 150 * GIB))
    ok(ctl, lambda c: c.create_resources("r1", [{"node_name": "alpha", "props": {"StorPoolName": "zfs"}}]))
    before = (repr(c.resource_definitions), repr(c.nodes))
    entries = ctl.call(lambda c: c.modify_volume_definition("r1", 0, size_kib=210 * GIB, override={"Aux/x": "1"}))
    assert entries[0].ret_code == C.MASK_MOD | C.MASK_VLM_DFN | C.FAIL_NOT_ENOUGH_FREE_SPACE
    assert (repr(c.resource_definitions), repr(c.nodes)) == before


def test_unknown_flag_is_an_unhandled_error(ctl):
    ok(ctl, lambda c: c.create_resource_definition("r1"))
    entries = ctl.call(lambda c: c.create_resources("r1", [{"node_name": "alpha", "flags": ["diskless"]}]))
    assert entries[0].ret_code == C.FAIL_UNKNOWN_ERROR
    assert entries[0].error_report_ids
    assert ctl.cluster.get_resource_definition("r1").resources == {}


def test_multi_resource_request_is_all_or_nothing(ctl):
    c = ctl.cluster
    ok(ctl, lambda c: c.create_resource_definition("r1"))
    ok(ctl, lambda c: c.create_volume_definition("r1", GIB))
    entries = ctl.call(lambda c: c.create_resources("r1", [
        {"node_name": "alpha", "props": {"StorPoolName": "zfs"}},
        {"node_name": "bravo", "props": {"StorPoolName": "nosuchpool"}},
    ]))
    assert first_code(entries) == C.MASK_CRT | C.MASK_RSC | C.FAIL_NOT_FOUND_STOR_POOL_DFN
    assert c.get_resource_definition("r1").resources == {}
    assert c.get_storage_pool("alpha", "zfs").allocated_kib == 0


def test_peer_slots_limit_the_number_of_drbd_peers(ctl):
    c = ctl.cluster
    for i in range(9):
        ok(ctl, lambda c, i=i: c.create_node("n%d" % i, "SATELLITE", [{"name": "default", "address": "10.9.0.%d" % i,
                                                                       "satellite_port": 3366,
                                                                       "satellite_encryption_type": "PLAIN"}]))
    ok(ctl, lambda c: c.create_resource_definition("r1"))
    for i in range(8):
        ok(ctl, lambda c, i=i: c.create_resources("r1", [{"node_name": "n%d" % i, "flags": ["DRBD_DISKLESS"]}]))
    entries = ctl.call(lambda c: c.create_resources("r1", [{"node_name": "n8", "flags": ["DRBD_DISKLESS"]}]))
    # the default 7 peer slots hold 8 resources
    assert first_code(entries) == C.MASK_CRT | C.MASK_RSC | C.FAIL_INSUFFICIENT_PEER_SLOTS
    assert sorted(r.node_id for r in c.get_resource_definition("r1").resources.values()) == list(range(8))


def test_minor_range_comes_from_the_controller_property(ctl):
    c = ctl.cluster
    ok(ctl, lambda c: c.modify_controller_props({"MinorNrAutoRange": "3000-3001"}))
    ok(ctl, lambda c: c.create_resource_definition("r1", layer_stack=["DRBD", "STORAGE"]))
    ok(ctl, lambda c: c.create_volume_definition("r1", GIB))
    ok(ctl, lambda c: c.create_volume_definition("r1", GIB))
    entries = ctl.call(lambda c: c.create_volume_definition("r1", GIB))
    assert first_code(entries) == C.MASK_CRT | C.MASK_VLM_DFN | C.FAIL_POOL_EXHAUSTED_MINOR_NR
    assert [vd.minor_number for vd in c.get_resource_definition("r1").volume_definitions.values()] == [3000, 3001]


def test_definition_without_drbd_has_no_port_or_minor(ctl):
    c = ctl.cluster
    ok(ctl, lambda c: c.create_resource_definition("r1", layer_stack=["STORAGE"]))
    ok(ctl, lambda c: c.create_volume_definition("r1", GIB))
    ok(ctl, lambda c: c.create_resources("r1", [{"node_name": "alpha", "props": {"StorPoolName": "zfs"}}]))
    rd = c.get_resource_definition("r1")
    assert rd.port is None
    assert rd.volume_definitions[0].minor_number is None
    assert rd.resources["ALPHA"].node_id is None
    assert rd.resources["ALPHA"].layer_stack == ["STORAGE"]


def test_lookups_raise_api_errors(ctl):
    with pytest.raises(ApiError) as err:
        ctl.cluster.get_resource("nope", "alpha")
    assert err.value.entries[0].ret_code == C.FAIL_NOT_FOUND_RSC_DFN
    ok(ctl, lambda c: c.create_resource_definition("r1"))
    with pytest.raises(ApiError) as err:
        ctl.cluster.get_resource("r1", "alpha")
    assert err.value.entries[0].ret_code == C.FAIL_NOT_FOUND_RSC
