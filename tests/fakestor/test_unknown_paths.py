"""What the fake answers for paths it does not serve: always a JSON ApiCallRc list."""
import json
import re

from fakestor.rest import spec
from fakestor.rest.spec import operations


def _rc(resp):
    assert resp.headers["Content-Type"].startswith("application/json")
    data = json.loads(resp.get_data())
    assert isinstance(data, list) and "ret_code" in data[0]
    return data[0]


def test_unknown_path_is_a_json_404(http):
    resp = http.get("/v1/no-such-thing")
    assert resp.status_code == 404
    assert "not found on server" in _rc(resp)["message"]


def test_wrong_method_is_a_json_405(http):
    resp = http.patch("/v1/nodes")
    assert resp.status_code == 405
    assert "not allowed" in _rc(resp)["message"]


def test_spec_operation_not_emulated_is_a_json_501(http, monkeypatch):
    # every operation of the 1.25.1 spec is served; a spec with one more (a newer release) gets a
    # 501 for it, not the 404 of a path no controller has
    patterns = spec._patterns() + [("GET", re.compile(r"^/v1/remotes/[^/]+/future/?$"), "/v1/remotes/{remote}/future")]
    monkeypatch.setattr(spec, "_patterns", lambda: patterns)
    resp = http.get("/v1/remotes/r1/future")
    assert resp.status_code == 501
    rc = _rc(resp)
    assert "does not implement 'GET /v1/remotes/{remote}/future'" in rc["message"]
    assert http.get("/v1/remotes/r1/past").status_code == 404


def test_unknown_method_on_a_spec_path_stays_405(http):
    resp = http.open("/v1/controller/version", method="DELETE")
    assert resp.status_code == 405


def test_operations_catalogue_has_the_spec():
    ops = operations()
    assert ("GET", "/v1/nodes") in ops
    assert ("OPTIONS", "/v1/query-max-volume-size") in ops
    assert len(ops) == len(set(ops))
