"""``PUT .../volume-definitions/{nr}/encryption-passphrase``."""
from fakestor.apicallrc import unsigned64
from linstor import sharedconsts as C

VD = "/v1/resource-definitions/r1/volume-definitions/0"
KEY = "Encryption/Passphrase"


def put(http, path, body):
    resp = http.put(path, json=body)
    return resp.status_code, resp.get_json()


def rc(entry) -> int:
    return unsigned64(entry["ret_code"])


def setup_rd(http, layers=None):
    body = {"resource_definition": {"name": "r1"}}
    if layers:
        body["layer_list"] = layers
    assert http.post("/v1/resource-definitions", json=body).status_code == 201
    assert http.post("/v1/resource-definitions/r1/volume-definitions",
                     json={"volume_definition": {"size_kib": 1024}}).status_code == 200


def unlock(http):
    assert http.post("/v1/encryption/passphrase", json={"new_passphrase": "master"}).status_code == 201


def test_without_luks_the_passphrase_is_stored_with_a_warning(http):
    setup_rd(http)
    unlock(http)
    status, reply = put(http, VD + "/encryption-passphrase", {"new_passphrase": "s3cret"})
    assert status == 200, reply
    assert [rc(e) for e in reply] == [C.MASK_MOD | C.MASK_VLM_DFN | C.WARN_NOT_FOUND,
                                      C.MASK_MOD | C.MASK_VLM_DFN | C.MODIFIED]
    assert reply[0]["message"] == "No resources have any luks layer, no passphrase has been changed."
    assert reply[1]["message"] == "Volume definition with number '0' of resource definition 'r1' modified."
    stored = http.get(VD).get_json()["props"][KEY]
    assert stored and "s3cret" not in stored
    # a new passphrase is a new value
    put(http, VD + "/encryption-passphrase", {"new_passphrase": "other"})
    assert http.get(VD).get_json()["props"][KEY] != stored


def test_luks_resources_take_the_passphrase(http):
    setup_rd(http)
    unlock(http)
    resp = http.post("/v1/resource-definitions/r1/resources", json=[
        {"resource": {"node_name": "alpha", "props": {"StorPoolName": "thin"}}, "layer_list": ["LUKS", "STORAGE"]}])
    assert resp.status_code == 201
    status, reply = put(http, VD + "/encryption-passphrase", {"new_passphrase": "s3cret"})
    assert status == 200
    assert [rc(e) for e in reply] == [C.MASK_MOD | C.MASK_VLM_DFN | C.MODIFIED]


def test_refusals_change_nothing(http, controller):
    setup_rd(http)
    # no master key
    status, reply = put(http, VD + "/encryption-passphrase", {"new_passphrase": "s3cret"})
    assert status == 404
    assert rc(reply[0]) == C.MASK_MOD | C.MASK_VLM_DFN | C.FAIL_NOT_FOUND_CRYPT_KEY
    assert reply[0]["message"] == "Unable to create encrypt key without having a master key"
    unlock(http)
    status, reply = put(http, "/v1/resource-definitions/r1/volume-definitions/3/encryption-passphrase",
                        {"new_passphrase": "s3cret"})
    assert (status, rc(reply[0])) == (404, C.MASK_MOD | C.MASK_VLM_DFN | C.FAIL_NOT_FOUND_VLM_DFN)
    status, reply = put(http, "/v1/resource-definitions/nope/volume-definitions/0/encryption-passphrase",
                        {"new_passphrase": "s3cret"})
    assert (status, rc(reply[0])) == (404, C.FAIL_NOT_FOUND_RSC_DFN)
    status, reply = put(http, VD + "/encryption-passphrase", {})
    assert status == 500
    assert "NullPointerException" in reply[0]["message"]
    assert reply[0]["error_report_ids"]
    status, reply = put(http, VD + "/encryption-passphrase", {"passphrase": "x"})
    assert (status, rc(reply[0])) == (500, C.API_CALL_PARSE_ERROR)
    assert KEY not in http.get(VD).get_json().get("props", {})
