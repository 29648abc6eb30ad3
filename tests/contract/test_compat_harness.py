"""The python-linstor harness itself: no PyPI means an error, never a silent skip."""
import os

import pytest

from tests.contract import compat


def test_unreachable_index_is_an_error(tmp_path, monkeypatch):
    venv = str(tmp_path / "py-linstor")
    monkeypatch.setattr(compat, "VENV_DIR", venv)
    monkeypatch.setattr(compat, "_STAMP", os.path.join(venv, ".installed"))
    # nothing pip could install from: a dead index, no local wheels, no configuration files
    for key, value in {"PIP_INDEX_URL": "http://127.0.0.1:9/simple", "PIP_EXTRA_INDEX_URL": "",
                       "PIP_FIND_LINKS": "", "PIP_CONFIG_FILE": os.devnull, "PIP_RETRIES": "0",
                       "PIP_DEFAULT_TIMEOUT": "2", "PIP_NO_INPUT": "1"}.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(compat.CompatSetupError, match="python-linstor==1.7.1"):
        compat.ensure_venv(timeout=120)
    assert not os.path.exists(compat._STAMP)


def test_scenarios_see_only_what_they_emit(compat):
    assert compat("emit(1)\nprint('noise')\nemit({'a': [2]})") == [1, {"a": [2]}]
    with pytest.raises(AssertionError, match="ZeroDivisionError"):
        compat("1 / 0")
