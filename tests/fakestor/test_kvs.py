"""Key-value stores: the model's rules, and the wire answers XCP-ng and linstor.KV rely on."""
import json

import pytest

from fakestor import Controller
from fakestor.apicallrc import ApiError, signed64, unsigned64
from fakestor.server import Server
from linstor import sharedconsts as C

MODIFIED_KVS = 34603011  # MASK_CTRL_CONF | MASK_MOD | MODIFIED, as the controller answers


@pytest.fixture
def cluster():
    return Controller().cluster


def put(http, name, body):
    return http.put("/v1/key-value-store/" + name, data=json.dumps(body))


# -- model ------------------------------------------------------------------------------------
def test_first_modification_creates_the_instance_and_strips_leading_slashes(cluster):
    entries = cluster.modify_kvs("xcp-sr", {"/xcp/volume/1/uuid": "u1", "//xcp//name": "n"})
    assert [(e.ret_code, e.message) for e in entries] == [(MODIFIED_KVS, "Successfully updated properties")]
    assert cluster.find_kvs("XCP-SR").props == {"xcp/volume/1/uuid": "u1", "xcp/name": "n"}


def test_instance_disappears_with_its_last_key(cluster):
    cluster.modify_kvs("store", {"a": "1", "b/c": "2"})
    cluster.modify_kvs("store", delete=["a", "/b/c"])
    assert cluster.find_kvs("store") is None
    assert cluster.list_kvs() == []


def test_delete_namespaces_is_recursive_and_sets_come_first(cluster):
    cluster.modify_kvs("store", {"ns/a": "1", "ns/deep/b": "2", "ns": "key not namespace", "other/c": "3"})
    cluster.modify_kvs("store", {"ns/new": "4"}, delete_namespaces=["/ns/"])
    assert cluster.find_kvs("store").props == {"ns": "key not namespace", "other/c": "3"}


@pytest.mark.parametrize("namespace", ["", "/", None])
def test_root_namespace_deletes_everything(cluster, namespace):
    cluster.modify_kvs("store", {"a/b": "1", "c": "2"})
    cluster.modify_kvs("store", delete_namespaces=[namespace])
    assert cluster.find_kvs("store") is None


@pytest.mark.parametrize("name", ["a", "1abc", "bad name", "x" * 49, "has.dot"])
def test_invalid_names_are_refused_with_a_bare_code(cluster, name):
    with pytest.raises(ApiError) as err:
        cluster.modify_kvs(name, {"k": "v"})
    entry = err.value.entries[0]
    assert entry.ret_code == unsigned64(C.FAIL_INVLD_KVS_NAME)
    assert entry.message == "The given keyValueStore name '%s' is invalid." % name
    assert not entry.report
    assert cluster.list_kvs() == []


def test_too_long_key_refuses_the_whole_change(cluster):
    cluster.modify_kvs("store", {"keep": "1"})
    with pytest.raises(ApiError) as err:
        cluster.modify_kvs("store", {"fine": "2", "k" * 256: "3"})
    assert err.value.entries[0].message == "Invalid key."
    assert err.value.entries[0].cause == "The key '%s' is invalid." % ("k" * 256)
    assert cluster.find_kvs("store").props == {"keep": "1"}
    # 255 characters are the most a key may have
    cluster.modify_kvs("store", {"k" * 255: "ok"})
    assert cluster.find_kvs("store").props["k" * 255] == "ok"


def test_null_value_is_refused(cluster):
    with pytest.raises(ApiError) as err:
        cluster.modify_kvs("store", {"k": None})
    assert err.value.entries[0].cause == "The value 'null' is invalid for key 'k'."


def test_delete_replies(cluster):
    cluster.modify_kvs("Store", {"k": "v"})
    uuid = cluster.find_kvs("store").uuid
    deleted = cluster.delete_kvs("STORE")[0]
    assert (deleted.ret_code, deleted.message, deleted.details) == (
        C.DELETED, "Kvs 'Store' deleted.", "Kvs 'Store' UUID was: %s" % uuid)
    missing = cluster.delete_kvs("store")[0]
    assert missing.ret_code == unsigned64(C.WARN_NOT_FOUND)
    assert (missing.message, missing.cause) == ("Deletion of kvs 'store' had no effect.", "Kvs 'store' does not exist.")


# -- REST -------------------------------------------------------------------------------------
def test_put_reply_is_exactly_the_controllers(http):
    reply = put(http, "xcp", {"override_props": {"/xcp/sr/uuid": "abc"}})
    assert reply.status_code == 200
    assert reply.get_json() == [{"ret_code": MODIFIED_KVS, "message": "Successfully updated properties"}]


def test_get_one_is_a_list_and_lookup_ignores_case(http):
    put(http, "Xcp", {"override_props": {"/a": "1"}})
    assert http.get("/v1/key-value-store/xCP").get_json() == [{"name": "Xcp", "props": {"a": "1"}}]


def test_get_unknown_is_404_without_error_report(http, controller):
    reply = http.get("/v1/key-value-store/nothere")
    assert reply.status_code == 404
    assert reply.get_json() == [{"ret_code": signed64(C.FAIL_NOT_FOUND_KVS),
                                 "message": "Could not find key value store instance 'nothere'."}]
    assert controller.cluster.error_reports == {}


def test_list_all_instances_sorted(http):
    for name in ("zeta", "alpha", "mid"):
        put(http, name, {"override_props": {"k": name}})
    assert [s["name"] for s in http.get("/v1/key-value-store").get_json()] == ["alpha", "mid", "zeta"]


def test_malformed_json_is_400_with_error_report(http, controller):
    reply = http.put("/v1/key-value-store/xcp", data="{not json")
    assert reply.status_code == 400
    entry = reply.get_json()[0]
    assert entry["ret_code"] == signed64(C.API_CALL_PARSE_ERROR)
    assert entry["error_report_ids"][0] in controller.cluster.error_reports
    assert controller.cluster.list_kvs() == []


def test_unknown_body_field_is_a_parse_error(http):
    assert put(http, "xcp", {"props": {"a": "b"}}).status_code == 400


def test_scalar_values_are_stored_as_their_json_text(http):
    put(http, "xcp", {"override_props": {"n": 5, "b": True, "f": 1.5}})
    assert http.get("/v1/key-value-store/xcp").get_json()[0]["props"] == {"n": "5", "b": "true", "f": "1.5"}


def test_invalid_name_over_rest_is_500_without_report(http, controller):
    reply = put(http, "x", {"override_props": {"a": "b"}})
    assert reply.status_code == 500
    assert "error_report_ids" not in reply.get_json()[0]
    assert controller.cluster.error_reports == {}


def test_explicit_null_list_fails_as_the_controller_does(http, controller):
    reply = put(http, "xcp", {"override_props": {"a": "b"}, "delete_props": None})
    assert reply.status_code == 500
    entry = reply.get_json()[0]
    assert (entry["ret_code"], entry["message"]) == (signed64(C.FAIL_UNKNOWN_ERROR), "Exception thrown.")
    assert entry["error_report_ids"]
    assert controller.cluster.list_kvs() == []


def test_delete_over_rest(http):
    put(http, "xcp", {"override_props": {"a": "b"}})
    assert http.delete("/v1/key-value-store/xcp").get_json()[0]["ret_code"] == C.DELETED
    again = http.delete("/v1/key-value-store/xcp")
    assert again.status_code == 200
    assert again.get_json()[0]["ret_code"] == signed64(C.WARN_NOT_FOUND)
    assert http.delete("/v1/key-value-store/x").status_code == 500


@pytest.mark.http
def test_kv_round_trip_over_a_socket(controller):
    import requests

    with Server(controller) as server:
        url = server.url + "/v1/key-value-store/xcp-sr"
        # no Content-Type header, as python-linstor sends it
        reply = requests.put(url, data=json.dumps({"override_props": {"/xcp/volume/v1": "{\"size\": 1}"}}))
        assert reply.json()[0]["ret_code"] == MODIFIED_KVS
        assert requests.get(url).json() == [{"name": "xcp-sr", "props": {"xcp/volume/v1": "{\"size\": 1}"}}]
