"""Controller and satellite configuration: what GET shows and which log levels PUT changes."""
import pytest

from fakestor.apicallrc import unsigned64
from linstor import sharedconsts as C


def call(http, method, path, body=None):
    resp = http.open(path, method=method, json=body) if body is not None else http.open(path, method=method)
    return resp.status_code, resp.get_json()


def rc(entry) -> int:
    return unsigned64(entry["ret_code"])


def test_controller_config_of_a_packaged_controller(http):
    status, cfg = call(http, "GET", "/v1/controller/config")
    assert status == 200
    assert cfg["log"]["level"] == "INFO"
    assert "level_linstor" not in cfg["log"]
    assert cfg["http"] == {"enabled": True, "listen_address": "::", "port": 3370}
    assert cfg["db"]["connection_url"] == "jdbc:h2:/var/lib/linstor/linstordb"


def test_setting_the_controller_log_level_keeps_it(http):
    status, reply = call(http, "PUT", "/v1/controller/config", {"log": {"level": "DEBUG", "level_linstor": "TRACE"}})
    assert status == 200
    assert [(rc(e), e["message"]) for e in reply] == [
        (C.MASK_MOD | C.MASK_CTRL_CONF | C.MODIFIED, "Successfully updated controller config")]
    log = call(http, "GET", "/v1/controller/config")[1]["log"]
    assert (log["level"], log["level_linstor"]) == ("DEBUG", "TRACE")
    # the satellites keep theirs
    assert call(http, "GET", "/v1/nodes/alpha/config")[1]["log"]["level"] == "INFO"


def test_global_levels_reach_every_connected_satellite(http, controller):
    controller.cluster.set_node_online("charlie", False)
    status, reply = call(http, "PUT", "/v1/controller/config", {"log": {"level_global": "WARN"}})
    assert status == 200
    assert [(rc(e), e.get("obj_refs")) for e in reply] == [
        (C.MASK_MOD | C.MASK_NODE | C.MODIFIED, {C.KEY_NODE: "alpha"}),
        (C.MASK_MOD | C.MASK_NODE | C.MODIFIED, {C.KEY_NODE: "bravo"}),
        (C.MASK_MOD | C.MASK_CTRL_CONF | C.MODIFIED, None)]
    assert call(http, "GET", "/v1/controller/config")[1]["log"]["level"] == "WARN"
    assert call(http, "GET", "/v1/nodes/bravo/config")[1]["log"]["level"] == "WARN"
    controller.cluster.set_node_online("charlie", True)
    assert call(http, "GET", "/v1/nodes/charlie/config")[1]["log"]["level"] == "INFO"


def test_satellite_config(http):
    status, cfg = call(http, "GET", "/v1/nodes/ALPHA/config")
    assert status == 200
    assert cfg["net"] == {"bind_address": "::0", "port": 3366, "com_type": "plain"}
    assert cfg["log"]["directory"] == "/var/log/linstor-satellite"
    status, reply = call(http, "PUT", "/v1/nodes/alpha/config", {"log": {"level_linstor": "DEBUG"}})
    assert status == 200
    assert [(rc(e), e["message"]) for e in reply] == [
        (C.MASK_MOD | C.MASK_NODE | C.MODIFIED, "Successfully updated satellite config")]
    log = call(http, "GET", "/v1/nodes/alpha/config")[1]["log"]
    assert (log["level"], log["level_linstor"]) == ("INFO", "DEBUG")


def test_an_offline_satellite(http, controller):
    controller.cluster.set_node_online("bravo", False)
    status, reply = call(http, "GET", "/v1/nodes/bravo/config")
    assert status == 503
    assert (rc(reply[0]), reply[0]["message"]) == (C.WARN_NOT_CONNECTED | C.MASK_NODE, "Node is offline")
    # nothing is sent to it: an empty answer
    assert call(http, "PUT", "/v1/nodes/bravo/config", {"log": {"level": "DEBUG"}}) == (200, [])


@pytest.mark.parametrize("path", ["/v1/controller/config", "/v1/nodes/alpha/config"])
def test_refusals_change_nothing(http, path):
    before = call(http, "GET", path)[1]
    status, reply = call(http, "PUT", path, {"log": {"level": "LOUD"}})
    assert status == 500
    assert (rc(reply[0]), reply[0]["message"]) == (C.FAIL_INVLD_CONF, "Given loglevel 'LOUD' is invalid")
    status, reply = call(http, "PUT", path, {"debug": {"console_enabled": True}})
    assert status == 500
    assert rc(reply[0]) == C.FAIL_UNKNOWN_ERROR
    assert reply[0]["error_report_ids"]
    status, reply = call(http, "PUT", path, {"log": {"colour": "red"}})
    assert (status, rc(reply[0])) == (500, C.API_CALL_PARSE_ERROR)
    assert call(http, "GET", path)[1] == before


def test_unknown_node(http):
    status, reply = call(http, "GET", "/v1/nodes/delta/config")
    assert (status, rc(reply[0])) == (404, C.FAIL_NOT_FOUND_NODE)
    status, reply = call(http, "PUT", "/v1/nodes/delta/config", {"log": {"level": "DEBUG"}})
    assert (status, rc(reply[0])) == (404, C.FAIL_NOT_FOUND_NODE)
