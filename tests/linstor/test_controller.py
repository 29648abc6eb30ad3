"""Controller calls: properties against the fake; encryption and max-volume-size queries on the
wire (against a recording app, as the fake serves neither yet)."""
import pytest

import linstor
from linstor import consts
from linstor.responses import ControllerProperties, MaxVolumeSizeResponse
from linstor.transport import WsgiTransport
from tests.linstor.netfaults import CannedApp, json_answer

MODIFIED = consts.MASK_MOD | consts.MASK_CTRL_CONF | consts.MODIFIED


def test_controller_props_shows_the_defaults(lin):
    replies = lin.controller_props()
    assert isinstance(replies[0], ControllerProperties)
    props = replies[0].properties
    assert props["TcpPortAutoRange"] == "7000-7999"
    assert props["MinorNrAutoRange"] == "1000-49999"


def test_controller_set_prop_is_a_modification(lin):
    replies = lin.controller_set_prop("DrbdOptions/Net/max-buffers", "10000")
    # CtrlConfApiCallHandler answers each key with its own "set" entry
    assert [r.ret_code for r in replies] == [consts.MASK_CTRL_CONF | consts.MASK_CRT | consts.CREATED]
    assert replies[0].message == "Successfully set property 'DrbdOptions/Net/max-buffers' to value '10000'"
    assert lin.controller_props()[0].properties["DrbdOptions/Net/max-buffers"] == "10000"


def test_controller_del_prop_answers_with_a_delete_entry(lin):
    lin.controller_set_prop("Aux/owner", "me")
    replies = lin.controller_del_prop("Aux/owner")
    assert [r.ret_code for r in replies] == [consts.MASK_CTRL_CONF | consts.MASK_DEL | consts.DELETED]
    assert "Aux/owner" not in lin.controller_props()[0].properties


def test_controller_set_prop_with_an_invalid_value_is_refused(lin):
    replies = lin.controller_set_prop("TcpPortAutoRange", "not-a-range")
    assert replies[0].is_error()
    assert lin.controller_props()[0].properties["TcpPortAutoRange"] == "7000-7999"


def _recording_client(answers=None):
    app = CannedApp(answers)
    client = linstor.Linstor("linstor://ctrl", transport=WsgiTransport(app))
    client.connect()
    return client, app


def test_passphrase_calls_on_the_wire():
    ok = json_answer([{"ret_code": consts.MASK_CRT | consts.PASSPHRASE_ACCEPTED, "message": "ok"}])
    client, app = _recording_client({("POST", "/v1/encryption/passphrase"): ok,
                                     ("PATCH", "/v1/encryption/passphrase"): ok,
                                     ("PUT", "/v1/encryption/passphrase"): ok})
    assert client.crypt_create_passphrase("first")[0].is_success()
    assert client.crypt_enter_passphrase("first")[0].message == "ok"
    client.crypt_modify_passphrase("first", "second")
    sent = [(r["method"], r["body"]) for r in app.requests[1:]]
    assert sent == [("POST", {"new_passphrase": "first"}), ("PATCH", "first"),
                    ("PUT", {"new_passphrase": "second", "old_passphrase": "first"})]


def test_max_volume_size_query_on_the_wire_and_its_reply():
    answer = {"candidates": [{"max_volume_size_kib": 104857600, "storage_pool": "thin",
                              "node_names": ["alpha", "bravo"], "all_thin": True},
                             {"max_volume_size_kib": 2048, "storage_pool": "zfs", "all_thin": False}],
              "default_max_oversubscription_ratio": 20.0}
    client, app = _recording_client({("OPTIONS", "/v1/query-max-volume-size"): json_answer(answer)})
    replies = client.storage_pool_dfn_max_vlm_sizes(2, storage_pool_name="thin", do_not_place_with=["r1"],
                                                    do_not_place_with_regex="r.*", replicas_on_same=["Aux/a"],
                                                    replicas_on_different=["Aux/b"])
    assert app.requests[-1]["body"] == {"place_count": 2, "storage_pool": "thin", "not_place_with_rsc": ["r1"],
                                        "not_place_with_rsc_regex": "r.*", "replicas_on_same": ["Aux/a"],
                                        "replicas_on_different": ["Aux/b"]}
    result = replies[0]
    assert isinstance(result, MaxVolumeSizeResponse)
    assert result.default_max_oversubscription_ratio == 20.0
    first, second = result.candidates
    assert (first.max_volume_size, first.storage_pool, first.node_names, first.all_thin) == (
        104857600, "thin", ["alpha", "bravo"], True)
    assert (second.node_names, second.all_thin) == ([], False)


def test_max_volume_size_query_sends_only_the_place_count_by_default():
    client, app = _recording_client({("OPTIONS", "/v1/query-max-volume-size"): json_answer({"candidates": []})})
    assert client.storage_pool_dfn_max_vlm_sizes(3)[0].candidates == []
    assert app.requests[-1]["body"] == {"place_count": 3}


def test_physical_storage_list_with_an_error_reply_is_a_linstor_error():
    rc = [{"ret_code": consts.FAIL_UNKNOWN_ERROR, "message": "nope"}]
    client, _ = _recording_client({("GET", "/v1/physical-storage"): json_answer(rc, 500)})
    with pytest.raises(linstor.LinstorError, match="Unexpected physical storage list response"):
        client.physical_storage_list()


def test_physical_storage_create_device_pool_body():
    client, app = _recording_client({("POST", "/v1/physical-storage/alpha"): json_answer([])})
    client.physical_storage_create_device_pool("alpha", "LVM_THIN", ["/dev/sdc"], pool_name="p", vdo_enable=True,
                                               vdo_logical_size_kib=100, vdo_slab_size_kib=10,
                                               storage_pool_name="sp", storage_pool_props={"Aux/a": "b"})
    assert app.requests[-1]["body"] == {
        "device_paths": ["/dev/sdc"], "provider_kind": "LVM_THIN", "pool_name": "p", "vdo_enable": True,
        "vdo_logical_size_kib": 100, "vdo_slab_size_kib": 10,
        "with_storage_pool": {"name": "sp", "props": {"Aux/a": "b"}}}
    client.physical_storage_create_device_pool("alpha", "LVM", ["/dev/sdc"])
    assert app.requests[-1]["body"] == {"device_paths": ["/dev/sdc"], "provider_kind": "LVM", "pool_name": None,
                                        "vdo_enable": False}
