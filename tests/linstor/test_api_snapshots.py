"""Snapshots and snapshot shipping: requests and parsed replies."""
import datetime

import pytest

import linstor
from linstor import consts
from linstor.responses import SnapshotResponse
from tests.linstor import canned
from tests.linstor.stub import StubTransport, connected_client, rc

RD = "/v1/resource-definitions"


@pytest.fixture
def stub():
    return StubTransport()


@pytest.fixture
def lin(stub):
    return connected_client(stub)


def test_snapshot_create_with_and_without_nodes(stub, lin):
    stub.on("POST", RD + "/pvc-1/snapshots", [rc(0x10C0001, "New snapshot 'snap1' of resource 'pvc-1' registered.")],
            status=201)
    lin.snapshot_create([], "pvc-1", "snap1")
    assert stub.last.body == {"name": "snap1"}
    lin.snapshot_create(["alpha"], "pvc-1", "snap2")
    assert stub.last.body == {"name": "snap2", "nodes": ["alpha"]}


def test_snapshot_restore_delete_rollback(stub, lin):
    vd_path = RD + "/pvc-1/snapshot-restore-volume-definition/snap1"
    rsc_path = RD + "/pvc-1/snapshot-restore-resource/snap1"
    for method, path in (("POST", vd_path), ("POST", rsc_path), ("DELETE", RD + "/pvc-1/snapshots/snap1"),
                         ("POST", RD + "/pvc-1/snapshot-rollback/snap1")):
        stub.on(method, path, [rc(0x10C0002, "ok")])
    lin.snapshot_volume_definition_restore("pvc-1", "snap1", "pvc-2")
    assert stub.last == ("POST", vd_path, "", {"to_resource": "pvc-2"})
    lin.snapshot_resource_restore([], "pvc-1", "snap1", "pvc-2")
    assert stub.last == ("POST", rsc_path, "", {"to_resource": "pvc-2"})
    lin.snapshot_resource_restore(["alpha", "bravo"], "pvc-1", "snap1", "pvc-2")
    assert stub.last.body == {"to_resource": "pvc-2", "nodes": ["alpha", "bravo"]}
    lin.snapshot_delete("pvc-1", "snap1")
    lin.snapshot_rollback("pvc-1", "snap1")
    assert stub.calls()[-2:] == [("DELETE", RD + "/pvc-1/snapshots/snap1"),
                                 ("POST", RD + "/pvc-1/snapshot-rollback/snap1")]
    assert stub.last.body is None


def test_snapshot_dfn_list_parses_definitions_and_per_node_snapshots(stub, lin):
    stub.on("GET", "/v1/view/snapshots", [canned.snapshot_dfn()])
    listed = lin.snapshot_dfn_list_raise(filter_by_nodes=["alpha"], filter_by_resources=["pvc-1"])
    assert stub.last.query == "nodes=alpha&resources=pvc-1"
    sd = listed.snapshots[0]
    assert (sd.name, sd.snapshot_name, sd.resource_name, sd.rsc_name) == ("snap1", "snap1", "pvc-1", "pvc-1")
    assert (sd.nodes, sd.flags) == (["alpha", "bravo"], ["SUCCESSFUL"])
    assert [(v.number, v.size) for v in sd.snapshot_volume_definitions] == [(0, 1048576)]
    snap = sd.snapshots[1]
    assert (snap.name, snap.node_name, snap.flags) == ("snap1", "bravo", ["SUCCESSFUL"])
    assert snap.create_datetime == datetime.datetime.fromtimestamp(1700000100)
    assert listed.data_v0 == {"snapshot_dfns": [{
        "rsc_name": "pvc-1", "snapshot_name": "snap1", "uuid": sd.uuid, "snapshot_dfn_flags": ["SUCCESSFUL"],
        "snapshots": [{"node_name": "alpha"}, {"node_name": "bravo"}],
        "snapshot_vlm_dfns": [{"vlm_nr": 0, "vlm_size": 1048576}]}]}


def test_snapshot_dfn_list_on_old_controller_asks_each_definition():
    stub = StubTransport(rest_api_version="1.0.15")
    lin = connected_client(stub)
    stub.on("GET", RD, [canned.rsc_dfn("pvc-1"), canned.rsc_dfn("pvc-2")])
    stub.on("GET", RD + "/pvc-1/snapshots", [canned.snapshot_dfn("s1", "pvc-1")])
    stub.on("GET", RD + "/pvc-2/snapshots", [canned.snapshot_dfn("s2", "pvc-2")])
    listed = lin.snapshot_dfn_list_raise()
    assert isinstance(listed, SnapshotResponse)
    assert [(s.rsc_name, s.name) for s in listed.snapshots] == [("pvc-1", "s1"), ("pvc-2", "s2")]


def test_snapshot_ship_and_shipping_list(stub, lin):
    stub.on("POST", RD + "/pvc-1/snapshot-shipping", [rc(0x10C0001, "shipping")])
    stub.on("GET", "/v1/view/snapshot-shippings", [
        {"snapshot": canned.snapshot_dfn("ship-1"), "from_node_name": "alpha", "to_node_name": "charlie",
         "status": "Running"}])
    lin.snapshot_ship("alpha", "charlie", "pvc-1")
    assert stub.last.body == {"from_node": "alpha", "to_node": "charlie"}
    shippings = lin.snapshot_shipping_list(filter_by_nodes=["alpha"], filter_by_resources=["pvc-1"],
                                           filter_by_snapshots=["ship-1"], filter_by_status=["Running"])
    assert stub.last.query == "nodes=alpha&resources=pvc-1&snapshots=ship-1&status=Running"
    ship = shippings[0].shippings[0]
    assert (ship.from_node_name, ship.to_node_name) == ("alpha", "charlie")
    assert ship.status is consts.SnapshotShipStatus.RUNNING
    assert ship.snapshot_dfn.name == "ship-1"


@pytest.mark.parametrize("version, call", [("1.1.0", lambda lin: lin.snapshot_ship("a", "b", "r")),
                                           ("1.2.0", lambda lin: lin.snapshot_shipping_list())])
def test_shipping_calls_are_version_gated(version, call):
    stub = StubTransport(rest_api_version=version)
    with pytest.raises(linstor.LinstorError, match="REST-API-VERSION"):
        call(connected_client(stub))
    assert stub.sent == []
