"""The server-sent event streams: the current state on request, then the end of the stream."""
import json
import os

import pytest
from openapi_schema_validator import OAS30Validator

from tests.support.openapi import load_spec


def events(resp):
    """(event name, data) of each event of an SSE body."""
    out = []
    for block in resp.get_data(as_text=True).split("\n\n"):
        if not block.strip():
            continue
        fields = dict(line.split(": ", 1) for line in block.split("\n"))
        out.append((fields["event"], json.loads(fields["data"])))
    return out


@pytest.fixture
def deployed(http):
    assert http.post("/v1/resource-groups/DfltRscGrp/spawn",
                     json={"resource_definition_name": "r1", "volume_sizes": [1024]}).status_code == 201
    http.post("/v1/resource-definitions/r1/resources",
              json=[{"resource": {"node_name": "charlie", "flags": ["DRBD_DISKLESS"]}}])


def test_promotion_stream_sends_the_current_state_when_asked(http, deployed, controller):
    resp = http.get("/v1/events/drbd/promotion", headers={"Last-Event-ID": "current"})
    assert resp.status_code == 200
    assert resp.mimetype == "text/event-stream"
    assert events(resp) == [("may-promote-change", {"resource_name": "r1", "node_name": n, "may_promote": True})
                            for n in ("alpha", "bravo", "charlie")]
    controller.cluster.get_resource("r1", "alpha").in_use = True
    controller.cluster.set_node_online("charlie", False)
    got = {e[1]["node_name"]: e[1].get("may_promote") for e in events(
        http.get("/v1/events/drbd/promotion", headers={"Last-Event-ID": "current"}))}
    # a primary anywhere stops every promotion; an offline satellite reports no state
    assert got == {"alpha": False, "bravo": False, "charlie": None}


def test_promotion_events_follow_the_spec(http, deployed):
    spec_file = os.environ.get("LINSTOR_OPENAPI_SPEC")
    if not spec_file:
        pytest.skip("no OpenAPI spec")
    spec = load_spec(spec_file)
    validator = OAS30Validator(dict(spec["components"]["schemas"]["EventMayPromoteChange"],
                                    components=spec["components"]))
    sent = events(http.get("/v1/events/drbd/promotion", headers={"Last-Event-ID": "current"}))
    assert sent
    for _, data in sent:
        validator.validate(data)


def test_without_asking_for_the_current_state_nothing_is_sent(http, deployed):
    resp = http.get("/v1/events/drbd/promotion")
    assert (resp.status_code, resp.mimetype, events(resp)) == (200, "text/event-stream", [])


def test_only_drbd_resources_are_reported(http):
    http.post("/v1/resource-definitions", json={"resource_definition": {"name": "plain"}})
    http.post("/v1/resource-definitions/plain/volume-definitions", json={"volume_definition": {"size_kib": 1024}})
    http.post("/v1/resource-definitions/plain/resources", json=[
        {"resource": {"node_name": "alpha", "props": {"StorPoolName": "thin"}}, "layer_list": ["STORAGE"]}])
    assert http.get("/v1/resource-definitions/plain/resources/alpha").status_code == 200
    resp = http.get("/v1/events/drbd/promotion", headers={"Last-Event-ID": "current"})
    assert events(resp) == []


def test_node_stream_has_no_initial_events(http):
    resp = http.get("/v1/events/nodes")
    assert (resp.status_code, resp.mimetype, resp.get_data()) == (200, "text/event-stream", b"")
