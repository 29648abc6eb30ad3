"""The EXOS events path: LINSTOR 1.31.3 serves ``.../exos/enclosures/{enclosure}/events``
(``Exos.java``, and python-linstor calls it there); the 1.25.1 spec documents
``.../exos/{enclosure}/events``, which the controller answers like any unknown path."""
import json

from fakestor.apicallrc import signed64
from linstor import sharedconsts as C
from tests.support.openapi import check, find_operation

SPEC = "/work/shared/reference/openapi/rest_v1_openapi-1.25.1.yaml"
EXOS = "/v1/vendor/seagate/exos"


def test_the_spec_path_is_unknown_to_the_controller_not_unimplemented(http):
    resp = http.get(EXOS + "/enc1/events")
    assert resp.status_code == 404
    assert resp.get_json() == [{"ret_code": signed64(C.FAIL_UNKNOWN_ERROR),
                                "message": "Path '%s/enc1/events' not found on server." % EXOS}]


def test_the_served_path_answers_events(http, controller):
    created = http.post(EXOS + "/enclosures", data=json.dumps({"name": "enc1", "ctrl_a_ip": "10.0.0.1"}))
    assert created.status_code == 200
    resp = http.get(EXOS + "/enclosures/enc1/events")
    assert resp.status_code == 200
    assert [e["message"].split(" ")[1] for e in resp.get_json()] == ["registered"]


def test_answers_of_the_served_path_are_checked_against_the_spec_operation():
    template, op = find_operation(SPEC, "GET", EXOS + "/enclosures/enc1/events")
    assert template == EXOS + "/{enclosure}/events" and op is not None
    # a body the schema refuses is reported, so the check really applies there
    assert check("GET", EXOS + "/enclosures/enc1/events", 200, b'{"not": "a list"}', SPEC)
    assert check("GET", EXOS + "/enclosures/enc1/events", 200, b"[]", SPEC) == []
