"""Fixtures for contract tests: python-linstor from PyPI (1.7.1 and 1.29.1, each in its own
environment), and a fake controller with the demo cluster on a real socket.

Add a scenario by writing a test that takes ``compat`` and calls ``compat(script)``; see
``compat.py`` for what a script can use. Every such test runs once per python-linstor version
(``FAKESTOR_COMPAT_VERSIONS=1.7.1`` narrows the choice); where a newer version cannot run a
scenario, ``NOT_IN_NEWER`` says why, in one place.
"""
import os

import pytest
from filelock import FileLock

from fakestor import Controller, fixtures
from fakestor.server import Server
from tests.contract.compat import (
    NEWER_VERSION,
    PY_LINSTOR_VERSION,
    CompatSetupError,
    ensure_venv,
    run_compat,
    selected_versions,
    venv_dir,
)

# Scenarios python-linstor 1.29.1 cannot run, by test name: APIs the library removed since 1.7.1,
# or endpoints it moved to that the fake does not serve yet.
NOT_IN_NEWER = {
    "test_every_exos_call": "python-linstor 1.29.1 removed the exos_* calls",
    "test_error_reports_list_and_delete": "the scenario calls exos_set_defaults, removed in python-linstor 1.29.1",
}


@pytest.fixture(scope="session", params=selected_versions(), ids=lambda v: "py-linstor-" + v)
def compat_version(request) -> str:
    return request.param


def _library_python(version: str) -> str:
    """The python of the python-linstor ``version`` environment; made once, shared by xdist
    workers. No PyPI means a failed test, not a skipped one: the contract must be checked."""
    target = venv_dir(version)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with FileLock(target + ".lock", timeout=900):
        try:
            return ensure_venv(version=version)
        except CompatSetupError as err:
            pytest.fail("cannot install python-linstor from PyPI: %s" % err, pytrace=False)


@pytest.fixture(scope="session")
def compat_python(compat_version) -> str:
    return _library_python(compat_version)


@pytest.fixture(scope="session")
def newer_python() -> str:
    """python-linstor 1.29.1, for scenarios of calls 1.7.1 does not have (mark them ``newer_only``)."""
    return _library_python(NEWER_VERSION)


@pytest.fixture(autouse=True)
def _newer_library_limits(request):
    """Skips, with its reason, a scenario the selected newer python-linstor cannot run."""
    if "compat_version" not in request.fixturenames:
        return
    version = request.getfixturevalue("compat_version")
    reason = NOT_IN_NEWER.get(request.node.originalname)
    if version != PY_LINSTOR_VERSION and reason:
        pytest.skip(reason)


@pytest.fixture
def compat_controller() -> Controller:
    ctl = Controller()
    fixtures.load(ctl, "demo")
    return ctl


@pytest.fixture
def compat_server(compat_controller):
    with Server(compat_controller) as server:
        yield server


@pytest.fixture
def compat(compat_python, compat_server):
    """``compat(script)`` runs a python-linstor script against the demo cluster; returns what
    the script emitted."""
    def run(script: str):
        return run_compat(compat_python, script, compat_server.linstor_uri)

    return run
