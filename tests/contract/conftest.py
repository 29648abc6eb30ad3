"""Fixtures for contract tests: python-linstor 1.7.1 from PyPI in its own environment, and a
fake controller with the demo cluster on a real socket.

Add a scenario by writing a test that takes ``compat`` and calls ``compat(script)``; see
``compat.py`` for what a script can use.
"""
import os

import pytest
from filelock import FileLock

from fakestor import Controller, fixtures
from fakestor.server import Server
from tests.contract.compat import VENV_DIR, CompatSetupError, ensure_venv, run_compat


@pytest.fixture(scope="session")
def compat_python() -> str:
    """The python of the python-linstor 1.7.1 environment; made once, shared by xdist workers.

    No PyPI means a failed test, not a skipped one: the contract must be checked."""
    os.makedirs(os.path.dirname(VENV_DIR), exist_ok=True)
    with FileLock(VENV_DIR + ".lock", timeout=900):
        try:
            return ensure_venv()
        except CompatSetupError as err:
            pytest.fail("cannot install python-linstor from PyPI: %s" % err, pytrace=False)


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
    """``compat(script)`` runs a python-linstor 1.7.1 script against the demo cluster; returns
    what the script emitted."""
    def run(script: str):
        return run_compat(compat_python, script, compat_server.linstor_uri)

    return run
