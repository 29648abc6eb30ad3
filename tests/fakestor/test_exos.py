"""EXOS enclosures: served only by the releases that had them, with the controller's odd answers."""
import json

import pytest
from werkzeug.test import Client

from fakestor import Controller, create_app, fixtures
from fakestor.apicallrc import signed64
from linstor import sharedconsts as C
from tests.support.openapi import SpecCheckingApp

EXOS = "/v1/vendor/seagate/exos"
DEPRECATED = {"ret_code": signed64(C.WARN_DEPRECATED),
              "message": "EXOS is deprecated and will be deleted in a future LINSTOR release"}


def create(http, **body):
    return http.post(EXOS + "/enclosures", data=json.dumps(body))


@pytest.fixture
def enc1(http):
    reply = create(http, name="enc1", ctrl_a_ip="10.0.0.1", ctrl_b_ip="10.0.0.2", username="manage",
                   password="secret")
    assert reply.status_code == 200
    return "enc1"


def test_create_answers_200_with_bare_success_and_deprecation(http):
    reply = create(http, name="enc1", ctrl_a_ip="10.0.0.1")
    assert reply.status_code == 200
    assert reply.get_json() == [{"ret_code": 0, "message": "Exos Enclosure enc1 successfully created"}, DEPRECATED]


def test_listing_shows_health_but_never_credentials(http, enc1):
    assert http.get(EXOS + "/enclosures").get_json() == [
        {"name": "enc1", "ctrl_a_ip": "10.0.0.1", "ctrl_b_ip": "10.0.0.2", "health": "OK"}]


def test_enclosure_settings_live_in_the_satellite_config(http, enc1):
    props = http.get("/v1/controller/properties").get_json()
    assert props["StorDriver/Exos/enc1/A/IP"] == "10.0.0.1"
    assert props["StorDriver/Exos/enc1/Password"] == "secret"


@pytest.mark.parametrize("body, status, message", [
    ({"name": "enc1", "ctrl_a_ip": "10.9.9.9"}, 500, "An Exos enclosure with the name enc1 already exists"),
    ({"name": "", "ctrl_a_ip": "10.0.0.1"}, 500, "An Exos enclosure with the name  already exists"),
    ({"ctrl_a_ip": "10.0.0.1"}, 500, "Enclosure name must not be empty"),
    ({"name": "enc2"}, 500, "At least controller A IP must not be empty"),
])
def test_create_refusals_keep_the_deprecation_entry(http, enc1, body, status, message):
    reply = create(http, **body)
    assert reply.status_code == status
    entries = reply.get_json()
    assert entries[0]["message"] == message
    assert "error_report_ids" not in entries[0]
    assert entries[1:] == [DEPRECATED]
    assert [e["name"] for e in http.get(EXOS + "/enclosures").get_json()] == ["enc1"]


def test_modify_changes_only_given_fields_and_unknown_is_404(http, enc1):
    reply = http.put(EXOS + "/enclosures/enc1", data=json.dumps({"name": "ignored", "ctrl_b_ip": "10.0.0.3"}))
    assert reply.get_json()[0] == {"ret_code": 0, "message": "Exos Enclosure enc1 successfully modified"}
    assert http.get(EXOS + "/enclosures").get_json()[0]["ctrl_b_ip"] == "10.0.0.3"
    missing = http.put(EXOS + "/enclosures/nope", data=json.dumps({"ctrl_a_ip": "1.2.3.4"}))
    assert missing.status_code == 404
    assert missing.get_json()[0] == {"ret_code": signed64(C.FAIL_NOT_FOUND_EXOS_ENCLOSURE),
                                     "message": "An Exos enclosure with the name nope does not exist"}


def test_delete_missing_is_a_warning(http):
    reply = http.delete(EXOS + "/enclosures/ghost")
    assert reply.status_code == 200
    assert reply.get_json() == [{"ret_code": signed64(C.WARN_NOT_FOUND),
                                 "message": "The Exos enclosure ghost does not exist"}, DEPRECATED]


def test_delete_refused_while_a_pool_uses_the_enclosure(http, controller, enc1):
    controller.call(lambda c: c.create_storage_pool("alpha", "exospool", "EXOS", free_space_mgr_name="ENC1_00c0ff"))
    reply = http.delete(EXOS + "/enclosures/enc1")
    assert reply.status_code == 500
    assert reply.get_json()[0]["message"] == ("The enclosure enc1 is still in use at least from the following "
                                              "storage pools:\nStorage pool exospool on Node alpha")
    controller.call(lambda c: c.delete_storage_pool("alpha", "exospool"))
    assert http.delete(EXOS + "/enclosures/enc1").get_json()[0]["message"] == "Exos Enclosure enc1 successfully deleted"
    assert http.get(EXOS + "/enclosures").get_json() == []
    assert not any(k.startswith("StorDriver/Exos/enc1/") for k in http.get("/v1/controller/properties").get_json())


def test_defaults_are_one_object_and_unset_keys_ignore_case(http):
    assert http.get(EXOS + "/defaults").get_json() == {}
    body = {"username": "admin", "password": "pw", "password_env": "EXOS_PW"}
    assert http.put(EXOS + "/defaults", data=json.dumps(body)).get_json() == [
        {"ret_code": 0, "message": "Defaults successully updated"}, DEPRECATED]
    assert http.get(EXOS + "/defaults").get_json() == {"username": "admin", "password": "pw",
                                                       "password_env": "EXOS_PW"}
    http.put(EXOS + "/defaults", data=json.dumps({"unset_keys": ["PASSWORD", "passwordenv"]}))
    assert http.get(EXOS + "/defaults").get_json() == {"username": "admin"}


def test_defaults_with_null_unset_keys_fail_like_the_controller(http, controller):
    # python-linstor's exos_set_defaults sends "unset_keys": null when nothing is unset
    reply = http.put(EXOS + "/defaults", data=json.dumps({"username": "admin", "unset_keys": None}))
    assert reply.status_code == 500
    assert reply.get_json()[0]["message"] == "Exception thrown."
    assert reply.get_json()[0]["error_report_ids"]
    assert http.get(EXOS + "/defaults").get_json() == {}


def test_events_newest_first_and_counted(http, enc1):
    http.put(EXOS + "/enclosures/enc1", data=json.dumps({"ctrl_b_ip": "10.0.0.3"}))
    events = http.get(EXOS + "/enclosures/enc1/events").get_json()
    assert [e["message"].split(" ")[1] for e in events] == ["reconfigured", "registered"]
    assert {"severity", "event_id", "controller", "time_stamp", "time_stamp_numeric", "message"} <= set(events[0])
    assert len(http.get(EXOS + "/enclosures/enc1/events?count=1").get_json()) == 1


def test_events_of_unknown_enclosure_is_a_200_error_event(http):
    reply = http.get(EXOS + "/enclosures/ghost/events")
    assert reply.status_code == 200
    assert reply.get_json() == [{"severity": "Linstor-ERROR", "message": "Enclosure does not exist"}]


def test_exec_passes_commands_through(http, controller, enc1):
    controller.cluster.set_exos_enclosure_health("enc1", "Degraded", "Controller B is down")
    system = http.get(EXOS + "/enclosures/enc1/exec/show/system").get_json()
    assert system["system"][0]["health"] == "Degraded"
    assert system["status"][0]["response-type"] == "Success"
    assert http.get(EXOS + "/enclosures").get_json()[0]["health_reason"] == "Controller B is down"
    assert http.get(EXOS + "/enclosures/ghost/exec/show/pools").get_json() == {"Error": "Enclosure not found"}


def test_connection_map_from_node_properties(http, controller):
    props = {"StorDriver/Exos/enc1/A/Ports/0": "Connected", "StorDriver/Exos/enc1/B/Ports/1": "Connected",
             "StorDriver/Exos/enc1/B/Ports/2": "Disconnected"}
    controller.cluster.get_node("bravo").props.update(props)
    assert http.get(EXOS + "/map").get_json() == [
        {"node_name": "bravo", "enclosure_name": "enc1", "connections": ["A0", "B1"]}]


def test_connection_map_repeats_all_ports_per_enclosure(http, controller):
    # the controller collects the ports of every enclosure of the node for each enclosure
    controller.cluster.get_node("alpha").props.update({"StorDriver/Exos/e1/A/Ports/0": "Connected",
                                                       "StorDriver/Exos/e2/B/Ports/3": "Connected"})
    assert [(m["enclosure_name"], m["connections"]) for m in http.get(EXOS + "/map").get_json()] == [
        ("e1", ["A0", "B3"]), ("e2", ["A0", "B3"])]


def _client(version):
    ctl = Controller(linstor_version=version)
    fixtures.load(ctl, "demo")
    app = SpecCheckingApp(create_app(ctl))
    return Client(app), app


def test_gone_after_131(http):
    client, app = _client("1.32.0")
    reply = client.get(EXOS + "/enclosures")
    assert reply.status_code == 404
    assert reply.get_json()[0]["message"] == "Path '%s/enclosures' not found on server." % EXOS
    app.assert_clean()


def test_no_deprecation_warning_before_126():
    client, app = _client("1.25.1")
    reply = client.post(EXOS + "/enclosures", data=json.dumps({"name": "e", "ctrl_a_ip": "1.2.3.4"}))
    assert reply.get_json() == [{"ret_code": 0, "message": "Exos Enclosure e successfully created"}]
    app.assert_clean()


def test_malformed_json_is_400(http):
    reply = http.post(EXOS + "/enclosures", data="{")
    assert reply.status_code == 400
    assert reply.get_json()[0]["error_report_ids"]


def test_in_use_check_matches_shared_names_by_prefix(http):
    # the controller compares the upper-cased enclosure name with the start of every shared pool name,
    # so an enclosure "Al" counts as used by alpha's ordinary pools ("ALPHA:THIN", ...)
    create(http, name="Al", ctrl_a_ip="10.0.0.5")
    reply = http.delete(EXOS + "/enclosures/Al")
    assert reply.status_code == 500
    assert "Storage pool thin on Node alpha" in reply.get_json()[0]["message"]
