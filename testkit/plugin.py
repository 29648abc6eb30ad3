"""The pytest plugin (entry point ``pytest11``): fixtures that hand out fake LINSTOR controllers."""
import pytest

from fakestor import Controller, create_app, fixtures
from fakestor.server import Server


def pytest_configure(config):
    config.addinivalue_line("markers", "linstor_fixture(name): load a cluster file into the fake controller")


def _load_marked_fixture(request, controller):
    marker = request.node.get_closest_marker("linstor_fixture")
    if marker is not None:
        fixtures.load(controller, marker.args[0])


@pytest.fixture
def fakestor(request):
    """A fresh in-process fake LINSTOR controller (``fakestor.Controller``) for this test."""
    controller = Controller()
    _load_marked_fixture(request, controller)
    return controller


@pytest.fixture
def fakestor_app(fakestor):
    """The WSGI app serving the test's fake controller."""
    return create_app(fakestor)


@pytest.fixture
def fakestor_url(fakestor):
    """The test's fake controller served over HTTP on an ephemeral loopback port."""
    with Server(fakestor) as server:
        yield server.url


@pytest.fixture
def linstor_client(fakestor_app):
    """A connected ``linstor.Linstor`` calling the test's fake controller in process."""
    import linstor
    from linstor.transport import WsgiTransport

    client = linstor.Linstor("linstor://fakestor", transport=WsgiTransport(fakestor_app))
    client.connect()
    yield client
    client.disconnect()
