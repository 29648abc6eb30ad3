import pytest
from werkzeug.test import Client

from fakestor import Controller, create_app, fixtures

pytest_plugins = ["pytester"]


@pytest.fixture
def ctl():
    """A fresh controller with the demo cluster."""
    c = Controller()
    fixtures.load(c, "demo")
    return c


@pytest.fixture
def http(ctl):
    """Raw requests to ``ctl`` (no spec check: these tests also drive the control API)."""
    return Client(create_app(ctl))
