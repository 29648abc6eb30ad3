"""Snapshots over the REST API (werkzeug client, spec-checked): statuses, JSON shape, routes."""
import pytest
from werkzeug.test import Client

from fakestor import Controller, create_app, fixtures
from fakestor.apicallrc import code_of, unsigned64
from linstor import sharedconsts as C
from tests.support.openapi import SpecCheckingApp

GIB = 1024 * 1024
RD = "/v1/resource-definitions/r1"


def call(http, method, path, body=None):
    resp = http.open(path, method=method, json=body) if body is not None else http.open(path, method=method)
    return resp.status_code, resp.get_json()


def codes(reply):
    return [code_of(unsigned64(e["ret_code"])) for e in reply]


def deploy(http, name="r1", nodes=("alpha", "bravo"), pool="thin"):
    call(http, "POST", "/v1/resource-definitions", {"resource_definition": {"name": name}})
    call(http, "POST", "/v1/resource-definitions/%s/volume-definitions" % name,
         {"volume_definition": {"size_kib": GIB}})
    status, _ = call(http, "POST", "/v1/resource-definitions/%s/resources" % name,
                     [{"resource": {"node_name": n, "props": {"StorPoolName": pool}}} for n in nodes])
    assert status == 201


@pytest.fixture
def deployed(http):
    deploy(http)
    return "r1"


def test_create_201_and_the_snapshot_json(http, controller, deployed):
    controller.clock.advance(5)
    status, reply = call(http, "POST", RD + "/snapshots", {"name": "s1"})
    assert status == 201
    assert reply[0]["obj_refs"] == {"RscDfn": "r1", "Snapshot": "s1", "UUID": reply[0]["obj_refs"]["UUID"]}
    status, snap = call(http, "GET", RD + "/snapshots/s1")
    assert status == 200
    assert (snap["name"], snap["resource_name"], snap["nodes"], snap["flags"]) == ("s1", "r1", ["alpha", "bravo"],
                                                                                   ["SUCCESSFUL"])
    assert snap["volume_definitions"] == [{"volume_number": 0, "size_kib": GIB}]
    assert [s["create_timestamp"] for s in snap["snapshots"]] == [controller.clock.now_ms()] * 2
    assert snap["snapshot_definition_props"] == {"BackupShipping/BackupNodeIdsToReset": "0,1"}
    assert [v["vlm_nr"] for v in snap["snapshots"][0]["snapshot_volumes"]] == [0]


def test_list_view_and_filters(http, deployed):
    deploy(http, "r2", nodes=("charlie",))
    call(http, "POST", RD + "/snapshots", {"name": "s1"})
    call(http, "POST", "/v1/resource-definitions/r2/snapshots", {"name": "s2"})
    assert [s["name"] for s in call(http, "GET", RD + "/snapshots")[1]] == ["s1"]
    assert [s["name"] for s in call(http, "GET", "/v1/view/snapshots")[1]] == ["s1", "s2"]
    assert [s["name"] for s in call(http, "GET", "/v1/view/snapshots?nodes=charlie")[1]] == ["s2"]
    assert [s["name"] for s in call(http, "GET", "/v1/view/snapshots?resources=r1&resources=r2")[1]] == ["s1", "s2"]
    status, reply = call(http, "GET", RD + "/snapshots/nope")
    assert status == 404 and codes(reply) == [code_of(C.FAIL_NOT_FOUND_SNAPSHOT_DFN)]
    assert call(http, "GET", "/v1/resource-definitions/zz/snapshots")[0] == 404


def test_refusals_carry_the_controllers_status(http, deployed):
    status, reply = call(http, "POST", RD + "/snapshots", {"name": "-x"})
    assert status == 500 and codes(reply) == [code_of(C.FAIL_INVLD_SNAPSHOT_NAME)]
    assert reply[0]["error_report_ids"]
    status, reply = call(http, "POST", RD + "/snapshots", {"name": "s1", "nodes": ["zulu"]})
    assert status == 404 and codes(reply) == [code_of(C.FAIL_NOT_FOUND_NODE)]
    status, reply = call(http, "POST", RD + "/snapshots", {"name": "s1", "bogus": 1})
    assert status == 500 and unsigned64(reply[0]["ret_code"]) == C.API_CALL_PARSE_ERROR


def test_delete_with_nodes_query(http, deployed):
    call(http, "POST", RD + "/snapshots", {"name": "s1"})
    status, reply = call(http, "DELETE", RD + "/snapshots/s1?nodes=alpha")
    assert status == 200 and codes(reply)[0] == C.DELETED
    assert call(http, "GET", RD + "/snapshots/s1")[1]["nodes"] == ["bravo"]
    status, reply = call(http, "DELETE", RD + "/snapshots/s1")
    assert status == 200
    status, reply = call(http, "DELETE", RD + "/snapshots/s1")
    assert status == 200 and codes(reply) == [code_of(C.WARN_NOT_FOUND)]


def test_multi_snapshot(http, deployed):
    deploy(http, "r2", nodes=("charlie",))
    body = {"snapshots": [{"name": "mm", "resource_name": "r1"}, {"name": "mm", "resource_name": "r2"}]}
    status, reply = call(http, "POST", "/v1/actions/snapshot/multi", body)
    assert status == 201, reply
    assert [(s["resource_name"], s["name"]) for s in call(http, "GET", "/v1/view/snapshots")[1]] == [("r1", "mm"),
                                                                                                   ("r2", "mm")]


def test_rollback_and_restore_routes(http, deployed):
    call(http, "POST", RD + "/snapshots", {"name": "s1"})
    status, reply = call(http, "POST", RD + "/snapshot-rollback/s1")
    assert status == 200, reply
    call(http, "POST", "/v1/resource-definitions", {"resource_definition": {"name": "r9"}})
    status, reply = call(http, "POST", RD + "/snapshot-restore-volume-definition/s1", {"to_resource": "r9"})
    assert status == 200 and codes(reply)[-1] == C.DELETED
    status, reply = call(http, "POST", RD + "/snapshot-restore-resource/s1", {"to_resource": "r9"})
    assert status == 200 and codes(reply) == [C.CREATED]
    nodes = [r["node_name"] for r in call(http, "GET", "/v1/resource-definitions/r9/resources")[1]]
    assert nodes == ["alpha", "bravo"]
    status, reply = call(http, "POST", RD + "/snapshot-restore-resource/s1", {"to_resource": "r9"})
    assert status == 500 and codes(reply) == [code_of(C.FAIL_EXISTS_RSC)]


def test_snapshot_shipping_and_its_view(http, controller, deployed):
    call(http, "POST", RD + "/resources/bravo/deactivate")
    controller.cluster.snapshot_shipping_seconds = 10
    status, reply = call(http, "POST", RD + "/snapshot-shipping", {"from_node": "alpha", "to_node": "bravo"})
    assert status == 200 and codes(reply)[-1] == code_of(C.WARN_DEPRECATED)
    [ship] = call(http, "GET", "/v1/view/snapshot-shippings")[1]
    assert (ship["status"], ship["from_node_name"], ship["to_node_name"]) == ("Running", "alpha", "bravo")
    assert ship["snapshot"]["name"] == "ship0"
    assert call(http, "GET", "/v1/view/snapshot-shippings?status=complete")[1] == []
    controller.clock.advance(10)
    [ship] = call(http, "GET", "/v1/view/snapshot-shippings?status=complete&nodes=bravo")[1]
    assert ship["status"] == "Complete"


def test_shipping_routes_are_gone_from_1_32():
    ctl = Controller("1.32.0")
    fixtures.load(ctl, "demo")
    client = Client(create_app(ctl))
    status, reply = call(client, "GET", "/v1/view/snapshot-shippings")
    assert status == 404 and reply[0]["message"] == "Path '/v1/view/snapshot-shippings' not found on server."
    status, reply = call(client, "POST", RD + "/snapshot-shipping", {"from_node": "a", "to_node": "b"})
    assert status == 404


def test_before_1_30_snapshots_have_only_props():
    ctl = Controller("1.29.0")
    fixtures.load(ctl, "demo")
    app = SpecCheckingApp(create_app(ctl))
    client = Client(app)
    deploy(client)
    call(client, "POST", RD + "/snapshots", {"name": "s1"})
    snap = call(client, "GET", RD + "/snapshots/s1")[1]
    assert "snapshot_definition_props" not in snap and "snapshots" not in snap
    assert snap["props"]["BackupShipping/BackupNodeIdsToReset"] == "0,1"
    app.assert_clean()


def test_rollback_rules_of_1_30_over_http():
    ctl = Controller("1.30.1")
    fixtures.load(ctl, "demo")
    app = SpecCheckingApp(create_app(ctl))
    client = Client(app)
    deploy(client)
    call(client, "POST", RD + "/snapshots", {"name": "s1"})
    call(client, "POST", RD + "/snapshots", {"name": "s2"})
    status, reply = call(client, "POST", RD + "/snapshot-rollback/s1")
    assert status == 500 and codes(reply) == [code_of(C.FAIL_EXISTS_SNAPSHOT_DFN)]
    assert reply[0]["message"] == "Rollback is only allowed with the most recent snapshot"
    status, reply = call(client, "POST", RD + "/snapshot-rollback/s2")
    assert status == 200 and reply[0]["message"] == "Snapshot 's2' of resource 'r1' marked down for rollback."
    app.assert_clean()
