"""The control API over HTTP under /_fakestor/, for tests written in any language."""
import json

import pytest
import requests
from werkzeug.test import Client

from fakestor import Controller, create_app
from fakestor.server import Server
from linstor import sharedconsts as C
from tests.testkit.common import NODE


def names(http):
    return [n["name"] for n in http.get("/v1/nodes").json]


def test_reset(http):
    assert http.post("/_fakestor/reset").status_code == 200
    assert names(http) == []


def test_named_snapshots_restore(http):
    assert http.post("/_fakestor/snapshots", json={"name": "before"}).json["name"] == "before"
    http.delete("/v1/nodes/alpha")
    assert http.get("/_fakestor/snapshots").json == ["before"]
    assert http.post("/_fakestor/snapshots/before/restore").status_code == 200
    assert names(http) == ["alpha", "bravo", "charlie"]
    assert http.post("/_fakestor/snapshots/nope/restore").status_code == 404
    http.delete("/_fakestor/snapshots/before")
    assert http.get("/_fakestor/snapshots").json == []


def test_state_dump_and_load(http):
    dumped = http.get("/_fakestor/state")
    assert dumped.status_code == 200 and dumped.json["format"] == "fakestor-state/1"
    other = Client(create_app(Controller()))
    assert other.put("/_fakestor/state", data=dumped.data).status_code == 200
    assert names(other) == ["alpha", "bravo", "charlie"]
    bad = other.put("/_fakestor/state", data=b'{"format": "other"}')
    assert bad.status_code == 400 and bad.json[0]["ret_code"] < 0


def test_load_a_fixture_by_name_or_content(http):
    http.post("/_fakestor/reset")
    assert http.post("/_fakestor/fixtures", json={"name": "demo"}).status_code == 201
    assert len(names(http)) == 3
    http.post("/_fakestor/reset")
    fixture = {"nodes": [{"name": "solo", "address": "10.1.0.1"}]}
    assert http.post("/_fakestor/fixtures", json={"fixture": fixture}).status_code == 201
    assert names(http) == ["solo"]
    assert http.post("/_fakestor/fixtures", json={}).status_code == 400


def test_journal_over_http(http):
    http.post("/v1/nodes", json=NODE)
    http.get("/v1/nodes")
    calls = http.get("/_fakestor/journal?method=POST").json
    assert [(c["method"], c["path"], c["status"]) for c in calls] == [("POST", "/v1/nodes", 201)]
    assert calls[0]["body"] == NODE
    assert len(http.get("/_fakestor/journal?path=/v1/*").json) == 2
    http.delete("/_fakestor/journal")
    assert http.get("/_fakestor/journal").json == []


def test_budget_over_http(ctl, http):
    assert http.put("/_fakestor/journal/budget", json={"budget": 3}).status_code == 200
    assert ctl.journal.budget == 3
    assert http.put("/_fakestor/journal/budget", json={"budget": -1}).status_code == 400


def test_faults_over_http(http):
    made = http.post("/_fakestor/faults", json={"kind": "error", "method": "POST", "path": "/v1/nodes",
                                                 "ret_code": "FAIL_EXISTS_NODE", "message": "taken", "times": 1})
    assert made.status_code == 201
    assert made.json["ret_code"] & 0xFFFF == C.FAIL_EXISTS_NODE & 0xFFFF
    reply = http.post("/v1/nodes", json=NODE)
    assert reply.status_code == 500 and reply.json[0]["message"] == "taken"
    assert http.get("/_fakestor/faults").json[0]["hits"] == 1
    http.post("/_fakestor/faults", json={"kind": "status", "status": 503, "path": "/v1/nodes"})
    assert http.get("/v1/nodes").status_code == 503
    fid = http.post("/_fakestor/faults", json={"kind": "error", "times": None}).json["id"]
    assert http.get("/v1/nodes").status_code == 500
    http.delete("/_fakestor/faults/%d" % fid)
    assert http.get("/v1/nodes").status_code == 200
    http.delete("/_fakestor/faults")
    assert http.get("/_fakestor/faults").json == []


@pytest.mark.parametrize("body", [{}, {"kind": "boom"}, {"kind": "error", "colour": "red"},
                                  {"kind": "error", "ret_code": "NO_SUCH_CODE"}, {"kind": "status"},
                                  {"kind": "error", "probability": 2}])
def test_bad_faults_are_refused_and_add_nothing(http, body):
    reply = http.post("/_fakestor/faults", json=body)
    assert reply.status_code == 400
    assert reply.json[0]["message"].startswith("fakestor control: ")
    assert http.get("/_fakestor/faults").json == []


def test_node_and_pool_faults_over_http(http):
    assert http.post("/_fakestor/nodes/alpha/offline").status_code == 200
    assert http.get("/v1/nodes/alpha").json["connection_status"] == "OFFLINE"
    http.post("/_fakestor/nodes/alpha/online")
    http.post("/_fakestor/nodes/bravo/evict")
    assert "EVICTED" in http.get("/v1/nodes/bravo").json["flags"]
    http.post("/_fakestor/nodes/charlie/lost")
    assert names(http) == ["alpha", "bravo"]
    assert http.post("/_fakestor/nodes/zulu/offline").status_code == 404
    assert http.post("/_fakestor/nodes/alpha/explode").status_code == 400
    assert http.post("/_fakestor/nodes/alpha/storage-pools/thin/fill", json={"free": "1G"}).status_code == 200
    assert http.get("/v1/nodes/alpha/storage-pools/thin").json["free_capacity"] == 1024 ** 2


def test_clock_over_http(ctl, http):
    start = http.get("/_fakestor/clock").json["now"]
    assert http.post("/_fakestor/clock/advance", json={"seconds": 90}).json["now"] == start + 90
    assert ctl.clock.now() == start + 90
    assert http.post("/_fakestor/clock/advance", json={"seconds": -1}).status_code == 400


def test_summary(http):
    info = http.get("/_fakestor").json
    assert info["linstor_version"] == "1.31.3" and info["faults"] == 0


def test_no_linstor_path_lives_under_the_control_prefix():
    from fakestor.rest.spec import operations

    spec_paths = [path for _, path in operations()]
    assert spec_paths and not [p for p in spec_paths if p.startswith("/_fakestor")]


@pytest.mark.http
def test_control_api_over_a_real_socket(ctl):
    with Server(ctl) as srv:
        requests.post(srv.url + "/_fakestor/faults", json={"kind": "error", "path": "/v1/nodes"}, timeout=5)
        assert requests.get(srv.url + "/v1/nodes", timeout=5).status_code == 500
        state = requests.get(srv.url + "/_fakestor/state", timeout=5).text
        assert json.loads(state)["format"] == "fakestor-state/1"
        requests.post(srv.url + "/_fakestor/reset", timeout=5)
        assert requests.get(srv.url + "/v1/nodes", timeout=5).json() == []
