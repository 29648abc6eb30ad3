"""The master passphrase: create, modify, enter; its status; what other areas ask of it."""
import json

import pytest
from werkzeug.test import Client

from fakestor import Controller, create_app
from fakestor.apicallrc import ApiError, Context, signed64, unsigned64
from linstor import sharedconsts as C
from tests.support.openapi import SpecCheckingApp

PATH = "/v1/encryption/passphrase"
CREATED = C.MASK_CTRL_CONF | C.MASK_CRT | C.CREATED
WRONG = signed64(C.MASK_CTRL_CONF | C.MASK_MOD | C.FAIL_MISSING_PROPS)


def status(http):
    return http.get(PATH).get_json()["status"]


def test_create_answers_201_and_unlocks(http, controller):
    assert status(http) == "unset"
    assert not controller.cluster.crypt_ready()
    reply = http.post(PATH, data=json.dumps({"new_passphrase": "s3cret"}))
    assert reply.status_code == 201
    assert reply.get_json() == [{"ret_code": CREATED, "message": "Crypt passphrase created."}]
    assert status(http) == "unlocked"
    assert controller.cluster.crypt_ready()
    props = http.get("/v1/controller/properties").get_json()
    assert {"encrypted/masterhash", "encrypted/masterkey", "encrypted/passphrasesalt"} <= set(props)
    assert "s3cret" not in json.dumps(props)


def test_second_create_is_refused(http):
    http.post(PATH, data=json.dumps({"new_passphrase": "one"}))
    reply = http.post(PATH, data=json.dumps({"new_passphrase": "two"}))
    assert reply.status_code == 500
    entry = reply.get_json()[0]
    assert entry["ret_code"] == signed64(C.MASK_CTRL_CONF | C.MASK_CRT | C.FAIL_EXISTS_CRYPT_PASSPHRASE)
    assert entry["message"] == "Could not create new crypt passphrase as it already exists"


def test_modify_needs_the_old_passphrase(http, controller):
    http.post(PATH, data=json.dumps({"new_passphrase": "one"}))
    wrong = http.put(PATH, data=json.dumps({"old_passphrase": "nope", "new_passphrase": "two"}))
    assert wrong.status_code == 500
    assert wrong.get_json() == [{"ret_code": WRONG, "message": "Could not restore master passphrase as the given "
                                 "old passphrase was incorrect", "cause": "Wrong passphrase",
                                 "correction": "Enter the correct passphrase"}]
    right = http.put(PATH, data=json.dumps({"old_passphrase": "one", "new_passphrase": "two"}))
    assert right.status_code == 200
    assert right.get_json()[0]["message"] == "Crypt passphrase updated"
    # after a restart only the new passphrase opens the key
    controller.cluster.forget_master_key()
    assert status(http) == "locked"
    assert http.patch(PATH, data=json.dumps("one")).get_json()[0]["ret_code"] == WRONG
    assert http.patch(PATH, data=json.dumps("two")).get_json() == [
        {"ret_code": C.MASK_CTRL_CONF | C.MASK_MOD | C.PASSPHRASE_ACCEPTED, "message": "Passphrase accepted"}]
    assert status(http) == "unlocked"


def test_modify_without_passphrase_is_refused(http):
    reply = http.put(PATH, data=json.dumps({"old_passphrase": "x", "new_passphrase": "y"}))
    assert reply.get_json()[0]["message"] == "Could not modify crypt passphrase as it does not exist"
    assert status(http) == "unset"


def test_modify_does_not_unlock(http, controller):
    http.post(PATH, data=json.dumps({"new_passphrase": "one"}))
    controller.cluster.forget_master_key()
    http.put(PATH, data=json.dumps({"old_passphrase": "one", "new_passphrase": "two"}))
    assert status(http) == "locked"


def test_enter_before_create(http):
    reply = http.patch(PATH, data=json.dumps("whatever"))
    assert reply.status_code == 500
    assert reply.get_json()[0]["message"] == "encrypted namespace is empty, you need to set a passphrase first"


def test_enter_needs_a_json_string(http, controller):
    http.post(PATH, data=json.dumps({"new_passphrase": "one"}))
    reply = http.patch(PATH, data=json.dumps({"passphrase": "one"}))
    assert reply.status_code == 500  # an asynchronous handler's parse error
    assert reply.get_json()[0]["ret_code"] == signed64(C.API_CALL_PARSE_ERROR)


def test_null_passphrase_fails_as_the_controller_does(http, controller):
    reply = http.post(PATH, data=json.dumps({}))
    assert reply.status_code == 500
    entry = reply.get_json()[0]
    assert entry["ret_code"] == signed64(C.MASK_CTRL_CONF | C.MASK_CRT | C.FAIL_UNKNOWN_ERROR)
    assert entry["message"].startswith("Creation of controller failed due to an unhandled exception")
    assert entry["error_report_ids"][0] in controller.cluster.error_reports
    assert status(http) == "unset"


def test_require_crypt_key_is_the_controllers_refusal(controller):
    ctx = Context(C.MASK_CRT, C.MASK_VLM_DFN, {"RscDfn": "r1"}, "Resource definition: r1")
    with pytest.raises(ApiError) as err:
        controller.cluster.require_crypt_key(ctx)
    entry = err.value.entries[0]
    assert entry.ret_code == unsigned64(C.FAIL_NOT_FOUND_CRYPT_KEY) | C.MASK_CRT | C.MASK_VLM_DFN
    assert entry.message == "Unable to create an encrypted volume definition without having a master key"
    assert entry.correction == "Create or enter the master passphrase"
    controller.call(lambda c: c.set_passphrase("pw"))
    controller.cluster.require_crypt_key(ctx)  # no longer refused


def test_status_is_served_from_131_on():
    app = SpecCheckingApp(create_app(Controller(linstor_version="1.30.1")))
    client = Client(app)
    assert client.get(PATH).status_code == 405
    assert client.post(PATH, data=json.dumps({"new_passphrase": "pw"})).status_code == 201
    app.assert_clean()


def test_passphrase_survives_snapshot_and_restore(controller):
    snap = controller.snapshot()
    controller.call(lambda c: c.set_passphrase("pw"))
    controller.restore(snap)
    assert controller.cluster.passphrase_status() == "unset"
