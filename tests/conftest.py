"""Shared fixtures: a fake controller with the demo cluster, reached in process and over HTTP,
with every response checked against the OpenAPI spec."""
import os

import pytest

import linstor
from fakestor import Controller, create_app, fixtures
from fakestor.server import Server
from linstor.transport import WsgiTransport
from tests.support.openapi import SpecCheckingApp

# every controller in the suite recounts its usage index after each write and fails on a
# difference (fakestor/model/usage.py): an operation that changes volumes without saying so
# shows up in whichever test runs it
os.environ.setdefault("FAKESTOR_CHECK_INDEXES", "1")


@pytest.fixture
def controller():
    """A fresh fake controller holding the demo cluster."""
    ctl = Controller()
    fixtures.load(ctl, "demo")
    return ctl


@pytest.fixture
def empty_controller():
    return Controller()


@pytest.fixture
def checked_app(controller):
    app = SpecCheckingApp(create_app(controller))
    yield app
    app.assert_clean()


@pytest.fixture(params=["wsgi", "http"])
def lin(request, controller, checked_app):
    """A connected ``linstor.Linstor``: in process (no socket), then over real HTTP on loopback."""
    if request.param == "wsgi":
        client = linstor.Linstor("linstor://fakestor", transport=WsgiTransport(checked_app))
        client.connect()
        yield client
        client.disconnect()
    else:
        with Server(controller, app=checked_app) as server:
            client = linstor.Linstor(server.linstor_uri)
            client.connect()
            yield client
            client.disconnect()


@pytest.fixture
def http(checked_app):
    """Flask's test client on the spec-checked app, for raw requests."""
    from werkzeug.test import Client

    return Client(checked_app)
