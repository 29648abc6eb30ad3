"""The request journal and its assertions."""
import re

import pytest

from fakestor.journal import JournalAssertionError, compile_path
from tests.testkit.common import NODE


def test_every_call_is_recorded_with_its_request_and_reply(ctl, http):
    http.post("/v1/nodes", json=NODE)
    http.get("/v1/nodes?nodes=delta&nodes=alpha")
    create, listing = ctl.journal.calls
    assert (create.method, create.path, create.status, create.operation) == ("POST", "/v1/nodes", 201,
                                                                             "nodes.create_node")
    assert create.body == NODE
    assert create.reply[0]["message"] == "New node 'delta' registered."
    assert listing.query == {"nodes": ["delta", "alpha"]}
    assert [n["name"] for n in listing.reply] == ["alpha", "delta"]


def test_failed_and_unknown_calls_are_recorded_too(ctl, http):
    http.get("/v1/nodes/nope")
    http.get("/v1/no-such-path")
    assert [c.status for c in ctl.journal] == [404, 404]


def test_control_calls_are_not_recorded(ctl, http):
    http.get("/_fakestor/clock")
    http.post("/_fakestor/snapshots")
    assert len(ctl.journal) == 0


def test_path_patterns_match_one_segment_per_star():
    assert compile_path("/v1/nodes/*").fullmatch("/v1/nodes/alpha")
    assert not compile_path("/v1/nodes/*").fullmatch("/v1/nodes/alpha/storage-pools")
    assert compile_path("/v1/nodes/**").fullmatch("/v1/nodes/alpha/storage-pools/thin")
    assert compile_path("/v1/nodes").fullmatch("/v1/nodes/")


def test_assert_called_counts_and_explains(ctl, http):
    http.get("/v1/nodes")
    http.get("/v1/nodes/alpha")
    http.get("/v1/nodes/bravo")
    assert len(ctl.journal.assert_called("GET", "/v1/nodes/*", times=2)) == 2
    ctl.journal.assert_called("get", re.compile(r"/v1/nodes(/\w+)?"), times=3)
    with pytest.raises(JournalAssertionError, match="expected POST /v1/nodes at least once, got 0"):
        ctl.journal.assert_called("POST", "/v1/nodes")
    with pytest.raises(JournalAssertionError, match="GET /v1/nodes/alpha -> 200"):
        ctl.journal.assert_called("GET", "/v1/nodes/*", times=1)
    assert ctl.journal.count("GET", "/v1/nodes/*", status=200) == 2
    ctl.journal.assert_not_called("DELETE", "**")


def test_assert_no_writes(ctl, http):
    http.get("/v1/nodes")
    ctl.journal.assert_no_writes()
    http.put("/v1/nodes/alpha", json={"override_props": {"Aux/a": "b"}})
    with pytest.raises(JournalAssertionError, match="PUT /v1/nodes/alpha"):
        ctl.journal.assert_no_writes()


def test_a_budget_fails_once_more_calls_were_made(ctl, http):
    ctl.journal.budget = 2
    http.get("/v1/nodes")
    http.get("/v1/nodes")
    ctl.journal.assert_within_budget()
    http.get("/v1/nodes")
    with pytest.raises(JournalAssertionError, match="3 calls made, budget 2"):
        ctl.journal.assert_within_budget()


def test_a_reply_that_is_not_json_is_kept_as_text(ctl, http):
    ctl.faults.http_status(503, body="upstream down", path="/v1/nodes")
    http.get("/v1/nodes")
    assert ctl.journal.last.reply == "upstream down"
    assert ctl.journal.last.fault == "status"


def test_requests_the_controller_makes_to_itself_are_not_the_callers(ctl, http):
    # the SOS report collects listings through the app itself
    assert http.get("/v1/sos-report").status_code == 201
    assert [(c.method, c.path) for c in ctl.journal] == [("GET", "/v1/sos-report")]
    http.get("/v1/nodes")
    assert len(ctl.journal) == 2
