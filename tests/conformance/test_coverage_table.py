"""COVERAGE.md must list the spec's operations and what the fake implements as they are now."""
import importlib.util
import os

from fakestor import create_app
from fakestor.rest.spec import MISPLACED
from fakestor.rest.spec import operations as served_catalogue

from .catalogue import _shape, implemented, operation_of, routing, spec_operations

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _script():
    spec = importlib.util.spec_from_file_location("gen_coverage", os.path.join(ROOT, "scripts", "gen_coverage.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_coverage_md_is_current():
    gen = _script()
    with open(os.path.join(ROOT, "COVERAGE.md"), encoding="utf-8") as fh:
        text = fh.read()
    status = gen.current_status()
    hint = "COVERAGE.md is stale: run `make coverage` (or `python3 scripts/gen_coverage.py` to keep the tests column)"
    assert gen.parse(text) == status, hint
    assert gen.figure(status) in text, hint


def test_implemented_follows_the_routes():
    # a route serves its operation; an operation without one is what the app answers with 501
    app = create_app()
    routes = routing(app, spec_operations())
    status = implemented(app, spec_operations())
    assert status[("GET", "/v1/nodes")] and status[("POST", "/v1/storage-pool-definitions")]
    assert status[("GET", "/v1/stats/nodes")]  # served by the route /v1/stats/<kind>
    client = app.test_client()
    for (verb, template), target in routes.items():
        if status[(verb, template)] or verb == "OPTIONS":  # Flask answers OPTIONS itself where a path exists
            continue
        resp = client.open(template.replace("{", "x").replace("}", ""), method=verb)
        if (verb, template) in MISPLACED:  # the controller serves it elsewhere; its spec path is unknown
            assert resp.status_code == 404, (verb, template, resp.status_code)
        elif target is None:
            assert resp.status_code == 501, (verb, template, resp.status_code)
        else:  # shadowed: another operation's handler answers
            assert resp.status_code != 501 and _shape(target[1]) != _shape(template), (verb, template, target)


def test_the_fake_serves_the_same_catalogue():
    # the 501 answers and this table read the same list of operations
    assert set(served_catalogue()) == set(spec_operations())


def test_operation_matching_prefers_literal_segments():
    ops = spec_operations()
    assert operation_of("GET", "/v1/storage-pool-definitions/properties/info", ops) == \
        ("GET", "/v1/storage-pool-definitions/properties/info")
    assert operation_of("GET", "/v1/storage-pool-definitions/thin", ops) == \
        ("GET", "/v1/storage-pool-definitions/{storagepool}")
    assert operation_of("GET", "/v1/no-such-thing", ops) is None


def test_recording_maps_requests_to_operations(monkeypatch, tmp_path):
    from flask import Response

    from . import recording

    monkeypatch.setattr(recording, "_current", "tests/x.py::test_y")
    monkeypatch.setattr(recording, "_seen", set())
    app = create_app()
    for method, path, status in (("GET", "/v1/storage-pool-definitions/properties/info", 501),
                                 ("DELETE", "/v1/controller/properties/Aux/a/b", 200),  # matched via the route
                                 ("GET", "/v1/not-in-the-spec", 404)):
        with app.test_request_context(path, method=method):
            recording._finished(app, Response(status=status))
    assert recording._seen == {
        ("GET", "/v1/storage-pool-definitions/properties/info", "tests/x.py::test_y", 501),
        ("DELETE", "/v1/controller/properties/{key}", "tests/x.py::test_y", 200),
    }
    monkeypatch.setenv(recording.ENV, str(tmp_path))
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw7")
    recording.pytest_sessionfinish(None)
    gen = _script()
    assert gen.load_records(str(tmp_path)) == {("DELETE", "/v1/controller/properties/{key}"): {"tests/x.py::test_y"}}
