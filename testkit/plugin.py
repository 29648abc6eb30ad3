"""The pytest plugin (entry point ``pytest11``): fixtures that hand out fake LINSTOR controllers,
and the contract mode that runs the same tests against a real controller.

Fixtures: ``fakestor`` (the test's fake controller), ``fakestor_url``, ``linstor_client``,
``linstor_cluster``, ``linstor_name``, ``fakestor_app``, ``linstor_target``.
Markers: ``linstor_fixture(name)``, ``linstor_version(spec)``, ``fake_only``, ``linstor_call_budget(n)``.
Option: ``--linstor-target=fake|URL|both`` (or the ``LINSTOR_TARGET`` environment variable).
"""
import json
import os
import uuid
import warnings
from typing import Callable, List

import pytest

from fakestor import create_app
from fakestor.journal import JournalAssertionError
from fakestor.server import Server

from . import cleanup, versions
from .builder import ClusterBuilder
from .controllers import fresh_controller
from .transport import InProcessTransport, RecordingTransport

FAKE = "fake"
_CHECKS = pytest.StashKey[List[Callable[[], None]]]()
_REMOTE_VERSIONS: dict = {}


def pytest_addoption(parser):
    group = parser.getgroup("fakestor", "LINSTOR testing with fakestor")
    group.addoption("--linstor-target", default=None, metavar="TARGET",
                    help="where the LINSTOR fixtures point: 'fake' (default, an in-memory controller per test), "
                         "the URL of a real controller (contract mode), or 'both' (with --linstor-url)")
    group.addoption("--linstor-url", default=None, metavar="URL",
                    help="the real controller for --linstor-target=both (or the LINSTOR_URL environment variable)")


def pytest_configure(config):
    if config.option.help:
        return
    _targets(config)  # a bad option stops the run before collection
    for line in (
        "linstor_fixture(name): load a cluster file (a name in fixtures/ or a path) into the fake controller",
        "linstor_version(spec): emulate this LINSTOR version ('1.26.1', '>=1.28'); skip on a real controller "
        "whose version does not match",
        "fake_only: the test needs the fake controller; skipped against a real one",
        "linstor_call_budget(n): fail the test if its code makes more than n calls to the controller",
    ):
        config.addinivalue_line("markers", line)


def _target_option(config) -> str:
    return config.getoption("--linstor-target") or os.environ.get("LINSTOR_TARGET") or FAKE


def _targets(config) -> List[str]:
    option = _target_option(config)
    if option == "both":
        url = config.getoption("--linstor-url") or os.environ.get("LINSTOR_URL")
        if not url:
            raise pytest.UsageError("--linstor-target=both needs the real controller's URL: --linstor-url=URL "
                                    "or LINSTOR_URL")
        return [FAKE, url]
    if option != FAKE and "://" not in option:
        raise pytest.UsageError("--linstor-target is 'fake', 'both' or a URL such as http://controller:3370, "
                                "not %r" % option)
    return [option]


def pytest_generate_tests(metafunc):
    if "linstor_target" in metafunc.fixturenames and _target_option(metafunc.config) == "both":
        metafunc.parametrize("linstor_target", _targets(metafunc.config), indirect=True, ids=["fake", "real"])


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    result = yield
    # checks made after the test body, reported as the test's failure
    for check in item.stash.get(_CHECKS, []):
        check()
    return result


def _add_check(request, check: Callable[[], None]) -> None:
    request.node.stash.setdefault(_CHECKS, []).append(check)


def _marker_arg(request, name: str):
    marker = request.node.get_closest_marker(name)
    if marker is None:
        return None
    if not marker.args:
        raise pytest.UsageError("@pytest.mark.%s needs an argument" % name)
    return marker.args[0]


# -- the target -------------------------------------------------------------------------------
@pytest.fixture
def linstor_target(request) -> str:
    """``"fake"`` or the URL of the real controller this test runs against."""
    target = getattr(request, "param", None) or _targets(request.config)[0]
    if target != FAKE:
        if request.node.get_closest_marker("fake_only"):
            pytest.skip("fake_only: needs the fake controller")
        spec = _marker_arg(request, "linstor_version")
        if spec is not None:
            actual = _remote_version(target)
            if not versions.matches(actual, spec):
                pytest.skip("needs LINSTOR %s, the controller runs %s" % (spec, actual))
    return target


def _remote_version(url: str) -> str:
    if url not in _REMOTE_VERSIONS:
        transport = RecordingTransport(url)
        try:
            reply = transport.request("GET", "/v1/controller/version")
        finally:
            transport.close()
        _REMOTE_VERSIONS[url] = json.loads(reply.body.decode("utf-8"))["version"]
    return _REMOTE_VERSIONS[url]


# -- the fake --------------------------------------------------------------------------------
@pytest.fixture
def fakestor(request, linstor_target):
    """A fresh in-process fake LINSTOR controller (``fakestor.Controller``) for this test.

    Skips the test against a real controller: the Python control API exists only on the fake."""
    if linstor_target != FAKE:
        pytest.skip("uses the fakestor fixture: needs the fake controller")
    spec = _marker_arg(request, "linstor_version")
    version = versions.emulated(spec) if spec is not None else None
    if spec is not None and version is None:
        pytest.skip("no LINSTOR version the fake emulates matches %r" % spec)
    kwargs = {"linstor_version": version} if version else {}
    controller = fresh_controller(_marker_arg(request, "linstor_fixture"), **kwargs)
    budget = _marker_arg(request, "linstor_call_budget")
    if budget is not None:
        controller.journal.budget = int(budget)
        _add_check(request, controller.journal.assert_within_budget)
    return controller


@pytest.fixture
def fakestor_app(fakestor):
    """The WSGI app serving the test's fake controller."""
    return create_app(fakestor)


@pytest.fixture
def fakestor_url(request, linstor_target):
    """An HTTP URL for the test's controller: the fake served on an ephemeral loopback port
    (``http://127.0.0.1:<port>``), or the real controller's URL in contract mode."""
    if linstor_target != FAKE:
        yield linstor_target
        return
    controller = request.getfixturevalue("fakestor")
    with Server(controller, app=request.getfixturevalue("fakestor_app")) as server:
        yield server.url


@pytest.fixture
def linstor_client(request, linstor_target):
    """A connected ``linstor.Linstor``: in process to the test's fake (no socket), or to the real
    controller in contract mode, where what the test creates is deleted afterwards."""
    import linstor

    if linstor_target == FAKE:
        controller = request.getfixturevalue("fakestor")
        transport = InProcessTransport(request.getfixturevalue("fakestor_app"))
        client = linstor.Linstor("linstor://fakestor", transport=transport)
        already = len(controller.journal)
        client.connect()
        # the fixture's own version call is not the test's
        controller.journal.truncate(already)
        yield client
        client.disconnect()
        return
    yield from _remote_client(request, linstor_target)


def _remote_client(request, url: str):
    import linstor

    transport = RecordingTransport(url)
    client = linstor.Linstor(url, transport=transport)
    client.connect()
    start = len(transport.sent)
    props_before = cleanup.controller_props(transport)
    pool_dfns_before = cleanup.pool_definitions(transport)
    budget = _marker_arg(request, "linstor_call_budget")
    if budget is not None:
        def check():
            made = len(transport.sent) - start
            if made > int(budget):
                raise JournalAssertionError("%d calls made, budget %d" % (made, int(budget)))
        _add_check(request, check)
    try:
        yield client
    finally:
        client.disconnect()
        sent = transport.sent[start:]
        admin = RecordingTransport(url)
        try:
            failed = cleanup.remove_created(admin, sent)
            failed += cleanup.remove_new_pool_definitions(admin, pool_dfns_before, sent)
            if cleanup.touches_controller_props(sent):
                cleanup.restore_controller_props(admin, props_before)
        finally:
            admin.close()
            transport.close()
        if failed:
            warnings.warn("fakestor: could not remove %s from %s" % (", ".join(failed), url), stacklevel=2)


@pytest.fixture
def linstor_name(linstor_target):
    """``linstor_name("res")``: a name for an object the test creates. Against a real controller it
    gets a prefix unique to the test (``t1a2b3c-res``) so tests never collide; on the fake it is kept."""
    if linstor_target == FAKE:
        return lambda name: name
    prefix = "t%s-" % uuid.uuid4().hex[:6]
    return lambda name: prefix + name


@pytest.fixture
def linstor_cluster(fakestor):
    """A builder on the test's fake: ``linstor_cluster.node("alpha").pool("thin", "LVM_THIN", "100G")``."""
    return ClusterBuilder(fakestor)

