"""EXOS end to end: every ``exos_*`` call of our client against the fake, and its reply classes.

EXOS exists from LINSTOR 1.12 to 1.31 (the fake's default 1.31.3 has it, deprecated); a
1.32 controller no longer knows the paths.
"""
import pytest

import linstor
from fakestor import Controller, create_app
from linstor import consts
from linstor.responses import (
    ApiCallResponse,
    ExosDefaults,
    ExosEnclosure,
    ExosEnclosureEvent,
    ExosEnclosureEventListResponse,
    ExosExecResponse,
    ExosListResponse,
    ExosMapListResponse,
    ExosMapResponse,
)
from linstor.transport import WsgiTransport
from tests.contract.counting import CountingApp
from tests.contract.rc import code, codes
from tests.support.openapi import SpecCheckingApp

DEPRECATED = "EXOS is deprecated and will be deleted in a future LINSTOR release"


def assert_deprecated_success(replies, message):
    assert codes(replies) == [consts.MASK_SUCCESS, consts.WARN_DEPRECATED]
    assert [r.message for r in replies] == [message, DEPRECATED]
    assert replies[0].is_success() and replies[1].is_warning() and not replies[1].is_error()


@pytest.fixture
def enc1(lin):
    replies = lin.exos_enclosure_create("enc1", "10.0.0.1", "10.0.0.2", username="admin", password="secret")
    assert_deprecated_success(replies, "Exos Enclosure enc1 successfully created")
    return "enc1"


def listed(lin) -> ExosListResponse:
    replies = lin.exos_list_enclosures()
    assert len(replies) == 1 and isinstance(replies[0], ExosListResponse)
    return replies[0]


# -- defaults ------------------------------------------------------------------------------
def test_defaults_start_empty(lin):
    replies = lin.exos_get_defaults()
    assert len(replies) == 1 and isinstance(replies[0], ExosDefaults)
    defaults = replies[0]
    assert (defaults.username, defaults.username_env, defaults.password, defaults.password_env) == (
        None, None, None, None)


def test_set_defaults_then_unset_ignoring_case(lin):
    replies = lin.exos_set_defaults(username="admin", password_env="EXOS_PW")
    assert_deprecated_success(replies, "Defaults successully updated")
    defaults = lin.exos_get_defaults()[0]
    assert (defaults.username, defaults.username_env, defaults.password, defaults.password_env) == (
        "admin", None, None, "EXOS_PW")
    # None leaves a value alone; unset names the keys to drop, in any case
    lin.exos_set_defaults(password="pw", unset=["USERNAME", "passwordenv"])
    defaults = lin.exos_get_defaults()[0]
    assert (defaults.username, defaults.username_env, defaults.password, defaults.password_env) == (
        None, None, "pw", None)
    # the defaults live in the controller's properties
    assert lin.controller_props()[0].properties.get("StorDriver/Exos/Password") == "pw"


# -- enclosures ----------------------------------------------------------------------------
def test_created_enclosure_is_listed_with_health(lin, enc1):
    enclosures = listed(lin)
    assert all(isinstance(e, ExosEnclosure) for e in enclosures.exos_enclosures)
    assert [(e.name, e.ctrl_a_ip, e.ctrl_b_ip, e.health, e.health_reason) for e in enclosures.exos_enclosures] == [
        ("enc1", "10.0.0.1", "10.0.0.2", "OK", None)]
    assert enclosures.exos_enclosure("enc1").ctrl_a_ip == "10.0.0.1"
    assert enclosures.exos_enclosure("other") is None
    # nocache asks the enclosures again: same answer from the fake
    fresh = lin.exos_list_enclosures(nocache=True)[0]
    assert [e.name for e in fresh.exos_enclosures] == ["enc1"]


def test_listing_never_shows_credentials_but_the_props_hold_them(lin, enc1):
    assert "secret" not in str(listed(lin))
    props = lin.controller_props()[0].properties
    assert props["StorDriver/Exos/enc1/A/IP"] == "10.0.0.1"
    assert props["StorDriver/Exos/enc1/B/IP"] == "10.0.0.2"
    assert props["StorDriver/Exos/enc1/Password"] == "secret"


def test_degraded_health_reaches_the_client(lin, controller, enc1):
    controller.read(lambda c: c.set_exos_enclosure_health("enc1", "Degraded", "Disk 0.3 failed"))
    enclosure = listed(lin).exos_enclosure("enc1")
    assert (enclosure.health, enclosure.health_reason) == ("Degraded", "Disk 0.3 failed")


def test_second_create_is_refused(lin, enc1):
    replies = lin.exos_enclosure_create("enc1", "10.9.9.9")
    assert codes(replies) == [consts.FAIL_EXISTS_EXOS_ENCLOSURE, consts.WARN_DEPRECATED]
    assert replies[0].message == "An Exos enclosure with the name enc1 already exists"
    assert listed(lin).exos_enclosure("enc1").ctrl_a_ip == "10.0.0.1"


def test_create_without_controller_a_ip_is_refused(lin):
    replies = lin.exos_enclosure_create("enc2", None)
    assert codes(replies) == [consts.FAIL_INVLD_CONF, consts.WARN_DEPRECATED]
    assert replies[0].message == "At least controller A IP must not be empty"
    assert listed(lin).exos_enclosures == []


def test_modify_changes_only_what_is_given(lin, enc1):
    replies = lin.exos_enclosure_modify("enc1", ctrl_b_ip="10.0.0.3")
    assert_deprecated_success(replies, "Exos Enclosure enc1 successfully modified")
    enclosure = listed(lin).exos_enclosure("enc1")
    assert (enclosure.ctrl_a_ip, enclosure.ctrl_b_ip) == ("10.0.0.1", "10.0.0.3")
    # an empty string is not sent, so it clears nothing
    lin.exos_enclosure_modify("enc1", ctrl_a_ip="", ctrl_b_ip="")
    enclosure = listed(lin).exos_enclosure("enc1")
    assert (enclosure.ctrl_a_ip, enclosure.ctrl_b_ip) == ("10.0.0.1", "10.0.0.3")


def test_modify_unknown_enclosure_is_not_found(lin):
    replies = lin.exos_enclosure_modify("nope", ctrl_a_ip="10.0.0.1")
    assert codes(replies) == [consts.FAIL_NOT_FOUND_EXOS_ENCLOSURE, consts.WARN_DEPRECATED]
    assert replies[0].is_error()
    assert listed(lin).exos_enclosures == []


def test_delete_then_delete_again_is_a_warning(lin, enc1):
    assert_deprecated_success(lin.exos_enclosure_delete("enc1"), "Exos Enclosure enc1 successfully deleted")
    assert listed(lin).exos_enclosures == []
    assert not any(k.startswith("StorDriver/Exos/enc1/") for k in lin.controller_props()[0].properties)
    replies = lin.exos_enclosure_delete("enc1")
    assert codes(replies) == [consts.WARN_NOT_FOUND, consts.WARN_DEPRECATED]
    assert replies[0].message == "The Exos enclosure enc1 does not exist"
    assert not any(r.is_error() for r in replies)


def test_delete_refused_while_a_pool_shares_the_enclosure(lin, enc1):
    created = lin.storage_pool_create("alpha", "exospool", "EXOS", "enc1", shared_space="enc1_00c0ff",
                                      property_dict={"StorDriver/Exos/Enclosure": "enc1",
                                                     "StorDriver/Exos/PoolSN": "00c0ff"})
    assert not any(r.is_error() for r in created)
    replies = lin.exos_enclosure_delete("enc1")
    assert codes(replies) == [consts.FAIL_IN_USE, consts.WARN_DEPRECATED]
    assert replies[0].message == ("The enclosure enc1 is still in use at least from the following storage "
                                  "pools:\nStorage pool exospool on Node alpha")
    assert listed(lin).exos_enclosure("enc1") is not None


# -- events, exec, map ---------------------------------------------------------------------
def test_events_newest_first_and_counted(lin, enc1):
    lin.exos_enclosure_modify("enc1", ctrl_b_ip="10.0.0.3")
    replies = lin.exos_enclosure_events("enc1")
    assert len(replies) == 1 and isinstance(replies[0], ExosEnclosureEventListResponse)
    events = replies[0].exos_events
    assert all(isinstance(e, ExosEnclosureEvent) for e in events)
    assert [e.message for e in events] == [
        "Enclosure reconfigured by LINSTOR (controller A at 10.0.0.1, controller B at 10.0.0.3).",
        "Enclosure registered by LINSTOR (controller A at 10.0.0.1, controller B at 10.0.0.2).",
    ]
    first = events[0]
    assert (first.severity, first.controller, first.recommended_action) == (
        "INFORMATIONAL", "A", "- No action is required.")
    assert isinstance(first.time_stamp_numeric, int) and first.time_stamp and first.event_id
    assert first.additional_information is not None
    assert [e.message for e in lin.exos_enclosure_events("enc1", count=1)[0].exos_events] == [events[0].message]
    # count=0 is not sent, so the controller's default (20) applies
    assert len(lin.exos_enclosure_events("enc1", count=0)[0].exos_events) == 2


def test_events_of_an_unknown_enclosure_come_as_one_error_event(lin):
    events = lin.exos_enclosure_events("nope")[0].exos_events
    assert [(e.severity, e.message) for e in events] == [("Linstor-ERROR", "Enclosure does not exist")]


def test_exec_passes_the_command_through(lin, enc1):
    replies = lin.exos_exec("enc1", ["show", "system"])
    assert len(replies) == 1 and isinstance(replies[0], ExosExecResponse)
    answer = replies[0].data_v1
    assert answer["system"][0]["system-name"] == "enc1" and answer["system"][0]["health"] == "OK"
    assert answer["status"][0]["response-type"] == "Success"
    assert lin.exos_exec("nope", ["show", "system"])[0].data_v1 == {"Error": "Enclosure not found"}


def test_map_lists_the_connected_ports_of_each_node(lin, enc1):
    assert isinstance(lin.exos_map()[0], ExosMapListResponse)
    assert lin.exos_map()[0].exos_connections == []
    lin.node_modify("bravo", property_dict={"StorDriver/Exos/enc1/A/Ports/0": "Connected",
                                            "StorDriver/Exos/enc1/B/Ports/1": "Connected",
                                            "StorDriver/Exos/enc1/B/Ports/2": "Disconnected"})
    connections = lin.exos_map()[0].exos_connections
    assert all(isinstance(c, ExosMapResponse) for c in connections)
    assert [(c.node_name, c.enclosure_name, c.connections) for c in connections] == [("bravo", "enc1", ["A0", "B1"])]


# -- version gating ------------------------------------------------------------------------
def _client_for(version: str):
    app = SpecCheckingApp(CountingApp(create_app(Controller(version))))
    client = linstor.Linstor("linstor://fakestor", transport=WsgiTransport(app))
    client.connect()
    return client, app


def test_a_132_controller_answers_404_and_the_client_hands_back_the_error():
    client, app = _client_for("1.32.0")
    assert client._ctrl_version.rest_api_version == "1.26.0"
    calls = [lambda: client.exos_get_defaults(), lambda: client.exos_set_defaults(username="u"),
             lambda: client.exos_list_enclosures(), lambda: client.exos_enclosure_create("enc1", "10.0.0.1"),
             lambda: client.exos_enclosure_modify("enc1", ctrl_a_ip="10.0.0.1"),
             lambda: client.exos_enclosure_delete("enc1"), lambda: client.exos_enclosure_events("enc1"),
             lambda: client.exos_exec("enc1", ["show", "system"]), lambda: client.exos_map()]
    for call in calls:
        replies = call()
        # the client's version gate (REST 1.7.0) passes; the controller knows no such path
        assert len(replies) == 1 and type(replies[0]) is ApiCallResponse
        assert replies[0].is_error() and "not found on server" in replies[0].message
    app.assert_clean()


def test_the_client_refuses_before_sending_to_a_controller_older_than_rest_1_7():
    client, app = _client_for("1.11.0")
    with pytest.raises(linstor.LinstorError, match="EXOS API not supported by server"):
        client.exos_list_enclosures()
    assert app.app.requests == [("GET", "/v1/controller/version")]  # only connect() asked anything


def test_no_deprecation_warning_before_126():
    client, app = _client_for("1.25.0")
    replies = client.exos_enclosure_create("enc1", "10.0.0.1")
    assert codes(replies) == [consts.MASK_SUCCESS]
    assert code(client.exos_enclosure_delete("enc1")[0]) == consts.MASK_SUCCESS
    app.assert_clean()
