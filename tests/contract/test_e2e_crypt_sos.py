"""The master passphrase and SOS reports, end to end (our client against the fake)."""
import json
import os
import tarfile
from datetime import datetime, timedelta

import pytest

from linstor import consts
from linstor.responses import ApiCallResponse
from tests.contract.rc import codes

CTRL = consts.MASK_CTRL_CONF
WRONG_PASSPHRASE = "Could not restore master passphrase as the given old passphrase was incorrect"
CRYPT_KEYS = {"encrypted/masterhash", "encrypted/masterkey", "encrypted/passphrasesalt"}


def crypt_props(lin) -> dict:
    return {k: v for k, v in lin.controller_props()[0].properties.items() if k.startswith("encrypted/")}


def assert_wrong_passphrase(replies):
    assert codes(replies) == [consts.MASK_MOD | CTRL | consts.FAIL_MISSING_PROPS]
    reply = replies[0]
    assert (reply.message, reply.cause, reply.correction) == (
        WRONG_PASSPHRASE, "Wrong passphrase", "Enter the correct passphrase")


# -- passphrase ------------------------------------------------------------------------------
def test_create_stores_the_encrypted_master_key_not_the_passphrase(lin):
    assert crypt_props(lin) == {}
    replies = lin.crypt_create_passphrase("s3cret-pass")
    assert codes(replies) == [consts.MASK_CRT | CTRL | consts.CREATED]
    assert replies[0].is_success() and replies[0].message == "Crypt passphrase created."
    stored = crypt_props(lin)
    assert set(stored) == CRYPT_KEYS
    assert not any("s3cret-pass" in v for v in stored.values())


def test_second_create_is_refused_and_changes_nothing(lin):
    lin.crypt_create_passphrase("first")
    stored = crypt_props(lin)
    replies = lin.crypt_create_passphrase("second")
    assert codes(replies) == [consts.MASK_CRT | CTRL | consts.FAIL_EXISTS_CRYPT_PASSPHRASE]
    assert replies[0].is_error()
    assert crypt_props(lin) == stored
    assert codes(lin.crypt_enter_passphrase("first")) == [consts.MASK_MOD | CTRL | consts.PASSPHRASE_ACCEPTED]


def test_enter_accepts_only_the_right_passphrase(lin):
    lin.crypt_create_passphrase("right")
    replies = lin.crypt_enter_passphrase("right")
    assert codes(replies) == [consts.MASK_MOD | CTRL | consts.PASSPHRASE_ACCEPTED]
    assert replies[0].message == "Passphrase accepted"
    # PASSPHRASE_ACCEPTED is a success code: callers checking is_success() pass
    assert replies[0].is_success()
    assert_wrong_passphrase(lin.crypt_enter_passphrase("wrong"))


def test_enter_before_create_is_refused(lin):
    replies = lin.crypt_enter_passphrase("anything")
    assert replies[0].is_error()
    assert replies[0].message == "encrypted namespace is empty, you need to set a passphrase first"
    assert crypt_props(lin) == {}


def test_modify_needs_the_old_passphrase_and_switches_to_the_new(lin, controller):
    lin.crypt_create_passphrase("old-pass")
    stored = crypt_props(lin)
    assert_wrong_passphrase(lin.crypt_modify_passphrase("not-it", "new-pass"))
    assert crypt_props(lin) == stored

    replies = lin.crypt_modify_passphrase("old-pass", "new-pass")
    assert codes(replies) == [consts.MASK_MOD | CTRL | consts.MODIFIED]
    assert replies[0].message == "Crypt passphrase updated"
    assert crypt_props(lin) != stored
    # as after a controller restart: the key must be entered again, with the new passphrase
    controller.read(lambda c: c.forget_master_key())
    assert_wrong_passphrase(lin.crypt_enter_passphrase("old-pass"))
    assert codes(lin.crypt_enter_passphrase("new-pass")) == [consts.MASK_MOD | CTRL | consts.PASSPHRASE_ACCEPTED]


def test_modify_without_a_passphrase_is_refused(lin):
    replies = lin.crypt_modify_passphrase("old", "new")
    assert codes(replies) == [consts.MASK_MOD | CTRL | consts.FAIL_EXISTS_CRYPT_PASSPHRASE]
    assert replies[0].message == "Could not modify crypt passphrase as it does not exist"
    assert crypt_props(lin) == {}


# -- SOS report --------------------------------------------------------------------------------
def test_sos_report_create_names_the_file_on_the_controller(lin):
    replies = lin.sos_report_create()
    assert codes(replies) == [consts.CREATED]
    path = replies[0].object_refs["path"]
    assert path.endswith(".tar.gz") and os.path.basename(path).startswith("sos_")
    assert replies[0].message == "SOS Report created on Controller: " + path


def _open(path):
    tar = tarfile.open(path, "r:gz")
    members = {m.name: m for m in tar.getmembers()}
    top = {name.split("/", 1)[0] for name in members}
    assert len(top) == 1
    return tar, members, top.pop()


def _read(tar, name) -> bytes:
    return tar.extractfile(name).read()


def test_sos_download_writes_a_tarball_holding_the_state(lin, tmp_path):
    lin.keyvaluestore_modify("plugin", property_dict={"volume": "pvc-1"})
    lin.exos_enclosure_create("enc1", "10.0.0.1")
    target = str(tmp_path / "report.tar.gz")
    replies = lin.sos_report_download(to_file=target)
    assert len(replies) == 1 and isinstance(replies[0], ApiCallResponse)
    assert (replies[0].ret_code, replies[0].message, replies[0].object_refs) == (
        0, "File saved to: " + target, {"path": target})
    tar, members, top = _open(target)
    with tar:
        for node in ("alpha", "bravo", "charlie"):
            assert members[top + "/" + node].isdir()
        state = json.loads(_read(tar, top + "/_Controller/state.json"))
        nodes = json.loads(_read(tar, top + "/_Controller/node-list.json"))
    assert [kvs["props"] for kvs in state["key_value_stores"].values()] == [{"volume": "pvc-1"}]
    assert state["controller_props"]["StorDriver/Exos/enc1/A/IP"] == "10.0.0.1"
    assert sorted(n["name"] for n in nodes) == ["alpha", "bravo", "charlie"]


def test_sos_download_without_a_file_name_uses_the_controllers(lin, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    expected = os.path.basename(lin.sos_report_create()[0].object_refs["path"])
    replies = lin.sos_report_download()
    assert replies[0].object_refs == {"path": expected}
    assert os.listdir(tmp_path) == [expected]
    tar, _, top = _open(str(tmp_path / expected))
    tar.close()
    assert expected == top + ".tar.gz"


def test_sos_download_since_selects_the_error_reports(lin, controller, tmp_path):
    failed = lin.node_create("bad name", consts.VAL_NODE_TYPE_STLT, "10.0.0.9")
    report_name = "ErrorReport-%s.log" % failed[0].error_report_ids[0]
    now = datetime.fromtimestamp(controller.clock.now())

    def logs(since):
        target = str(tmp_path / ("sos-%s.tar.gz" % since.timestamp()))
        lin.sos_report_download(since=since, to_file=target)
        tar, members, top = _open(target)
        with tar:
            found = {os.path.basename(n): _read(tar, n) for n in members if "/_Controller/logs/" in n}
        return found

    earlier = logs(now - timedelta(hours=1))
    assert list(earlier) == [report_name]
    assert b"bad name" in earlier[report_name]
    assert logs(now + timedelta(hours=1)) == {}


@pytest.mark.parametrize("to_file", [None, "given.tar.gz"])
def test_sos_download_in_curl_mode_writes_nothing(controller, tmp_path, monkeypatch, capsys, to_file):
    import linstor
    from fakestor.server import Server

    monkeypatch.chdir(tmp_path)
    with Server(controller) as server:
        client = linstor.Linstor(server.linstor_uri)
        client.curl = True
        client.connect()
        assert client.sos_report_download(to_file=to_file) == []
    assert os.listdir(tmp_path) == []
    assert "/v1/sos-report/download" in capsys.readouterr().out
