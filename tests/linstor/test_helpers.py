"""The pure-Python helpers: Linstor's classmethods, the errors, and Config."""
import pytest

import linstor
from linstor import Linstor, consts
from linstor.responses import ApiCallResponse, NodeListResponse

OK = ApiCallResponse({"ret_code": consts.MASK_CRT | consts.MASK_NODE | consts.CREATED, "message": "ok"})
WARN = ApiCallResponse({"ret_code": consts.WARN_NOT_FOUND, "message": "warn"})
INFO = ApiCallResponse({"ret_code": consts.INFO_NOOP, "message": "info"})
ERR = ApiCallResponse({"ret_code": consts.FAIL_EXISTS_NODE, "message": "err"})


# -- reply classification ------------------------------------------------------------------------

def test_all_api_responses_no_error_accepts_warnings_and_infos():
    assert Linstor.all_api_responses_no_error([OK, WARN, INFO])
    assert Linstor.all_api_responses_no_error([])
    assert not Linstor.all_api_responses_no_error([OK, ERR])


def test_all_api_responses_success_needs_pure_successes():
    assert Linstor.all_api_responses_success([OK, OK])
    assert not Linstor.all_api_responses_success([OK, WARN])
    assert not Linstor.all_api_responses_success([INFO])


def test_filters():
    listing = NodeListResponse([])
    assert Linstor.filter_api_call_response([listing, OK, ERR]) == [OK, ERR]
    assert Linstor.filter_api_call_response_errors([OK, WARN, ERR]) == [ERR]


def test_return_if_error_and_failure():
    assert Linstor.return_if_error([OK, WARN]) is None
    assert Linstor.return_if_error([OK, ERR]) == [OK, ERR]
    assert Linstor.return_if_failure([OK]) is None
    assert Linstor.return_if_failure([OK, WARN]) == [OK, WARN]


@pytest.mark.parametrize("text, kib", [("1G", 1048576), ("100MiB", 102400), ("10M", 10240), ("5", 5 * 1024 ** 2),
                                       ("1kB", 1), ("1500B", 2), ("2TiB", 2 * 1024 ** 3), ("3gb", 2929688)])
def test_parse_volume_size_to_kib(text, kib):
    assert Linstor.parse_volume_size_to_kib(text) == kib


def test_parse_volume_size_errors():
    with pytest.raises(linstor.LinstorArgumentError) as err:
        Linstor.parse_volume_size_to_kib("big")
    assert err.value.message == "Size 'big' is not a valid number"
    with pytest.raises(linstor.LinstorArgumentError) as err:
        Linstor.parse_volume_size_to_kib("1 GiB")
    assert err.value.message == '" GiB" is not a valid unit!\nValid units: ' + linstor.SizeCalc.UNITS_LIST_STR


def test_layer_provider_and_node_type_lists():
    assert Linstor.layer_list() == {"drbd", "luks", "storage", "nvme", "openflex", "exos", "writecache", "cache"}
    assert Linstor.provider_list() == linstor.StoragePoolDriver.list()
    assert Linstor("linstor://x").node_types() == ["Controller", "Auxiliary", "Combined", "Satellite",
                                                   "Openflex_Target"]


# -- errors ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("cls", [linstor.LinstorError, linstor.LinstorNetworkError, linstor.LinstorTimeoutError,
                                 linstor.LinstorArgumentError])
def test_error_message_str_and_repr(cls):
    err = cls("went wrong", ["a", "b"])
    assert err.message == "went wrong"
    assert str(err) == "Error: went wrong"
    assert repr(err) == "LinstorError('went wrong')"
    assert err.all_errors() == ["a", "b"]
    assert cls("x").all_errors() == []
    assert isinstance(err, linstor.LinstorError)


def test_api_call_error_carries_the_reply():
    err = linstor.LinstorApiCallError(ERR, [ERR, OK])
    assert err.message == "ERRO:err" and str(err) == "Error: ERRO:err"
    assert err.main_error is ERR
    assert err.all_errors() == [ERR, OK]


def test_read_only_after_set_error_default_message():
    assert linstor.LinstorReadOnlyAfterSetError().message == "After this property got set it is read-only"
    assert linstor.LinstorReadOnlyAfterSetError("custom").message == "custom"


def test_network_error_and_timeout_error_are_distinct():
    assert not issubclass(linstor.LinstorTimeoutError, linstor.LinstorNetworkError)
    assert not issubclass(linstor.LinstorNetworkError, linstor.LinstorTimeoutError)


# -- Config ---------------------------------------------------------------------------------------

def test_config_reads_sections(tmp_path):
    conf = tmp_path / "client.conf"
    conf.write_text("[global]\ncontrollers = a,linstor+ssl://b:1\n\n[other]\nkey = value\n")
    assert linstor.Config.read_config(str(conf)) == {"global": [("controllers", "a,linstor+ssl://b:1")],
                                                     "other": [("key", "value")]}
    assert linstor.Config.get_section("other", str(conf)) == {"key": "value"}


def test_get_controllers_prefers_the_environment(tmp_path, monkeypatch):
    conf = tmp_path / "client.conf"
    conf.write_text("[global]\ncontrollers = a,linstor+ssl://b:1\n")
    monkeypatch.setenv("LS_CONTROLLERS", "env1,env2:3370")
    assert linstor.Config.get_controllers(config_file_name=str(conf)) == ["linstor://env1", "linstor://env2:3370"]
    monkeypatch.delenv("LS_CONTROLLERS")
    assert linstor.Config.get_controllers(config_file_name=str(conf)) == ["linstor://a", "linstor+ssl://b:1"]


def test_get_controllers_fallback(tmp_path, monkeypatch):
    monkeypatch.delenv("LS_CONTROLLERS", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))  # no user config here
    conf = tmp_path / "empty.conf"
    conf.write_text("[global]\n")
    assert linstor.Config.get_controllers(config_file_name=str(conf)) == ["linstor://localhost"]
    assert linstor.Config.get_controllers(config_file_name=str(conf), fallback="c1,c2") == [
        "linstor://c1", "linstor://c2"]


def test_missing_config_file_falls_back_to_the_users(tmp_path, monkeypatch):
    monkeypatch.delenv("LS_CONTROLLERS", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    user_conf = tmp_path / ".config" / "linstor" / "linstor-client.conf"
    user_conf.parent.mkdir(parents=True)
    user_conf.write_text("[global]\ncontrollers = mine\n")
    assert linstor.Config.get_controllers(config_file_name=str(tmp_path / "absent.conf")) == ["linstor://mine"]
