"""Hostile input at the HTTP level: huge, deeply nested, badly encoded, NUL-laden, path-traversing
and out-of-range requests. Each gets a JSON ApiCallRc error of the controller's kind, changes no
object, and never reaches the fake as a Python exception."""
import http.client
import json

import pytest

from fakestor import Controller, fixtures
from fakestor.server import Server
from linstor import sharedconsts as C

from .support import InternalFailures

BIG = 50 * 1024 * 1024
DEEP = 10_000
HUGE = 2 ** 70
# the state besides error reports, which refusals legitimately add
REPORT_STATE = {"error_reports", "satellite_error_reports", "_satellite_report_counters"}
# a body the parser refuses: 400 or 500 depending on where the endpoint's controller code parses it
PARSE = {400, 500}
# a path name the lookup refuses: not found, or invalid (names are checked before the lookup)
LOOKUP = {404, 500}
NIC = {"name": "default", "address": "192.0.2.9", "satellite_port": 3366, "satellite_encryption_type": "PLAIN"}


def objects(ctl: Controller) -> dict:
    return {k: v for k, v in ctl.snapshot()[0].items() if k not in REPORT_STATE}


def assert_refused(status: int, content_type: str, raw: bytes, statuses) -> list:
    assert status in statuses, (status, raw[:300])
    assert content_type.startswith("application/json")
    entries = json.loads(raw)
    assert isinstance(entries, list) and entries
    assert any((e["ret_code"] & 0xFFFFFFFFFFFFFFFF) & C.MASK_ERROR == C.MASK_ERROR for e in entries), entries
    return entries


def _deep(opening: bytes, closing: bytes, inner: bytes = b"1") -> bytes:
    return opening * DEEP + inner + closing * DEEP


def _big(prefix: bytes, suffix: bytes = b"") -> bytes:
    return prefix + b"a" * BIG + suffix


def _json(data) -> bytes:
    return json.dumps(data).encode()


# id -> (method, path, body, statuses); bodies are built lazily (some are 50 MB)
CASES = {
    "50MB-unknown-field": ("POST", "/v1/nodes", lambda: _big(b'{"name": "big1", "junk": "', b'"}'), PARSE),
    "50MB-unterminated-string": ("PUT", "/v1/key-value-store/big", lambda: _big(b'{"override_props": {"k": "'),
                                 PARSE),
    "50MB-whitespace": ("POST", "/v1/storage-pool-definitions", lambda: b" " * BIG + b"[1]", PARSE),
    "deep-arrays-node-create": ("POST", "/v1/nodes", lambda: _deep(b"[", b"]"), PARSE),
    "deep-arrays-node-modify": ("PUT", "/v1/nodes/alpha", lambda: _deep(b"[", b"]"), PARSE),
    "deep-arrays-kvs": ("PUT", "/v1/key-value-store/deep", lambda: _deep(b"[", b"]"), PARSE),
    "deep-objects-controller-props": ("POST", "/v1/controller/properties",
                                      lambda: b'{"override_props": ' + _deep(b'{"a": ', b"}") + b"}", PARSE),
    "deep-objects-pool-props": ("POST", "/v1/nodes/alpha/storage-pools",
                                lambda: b'{"storage_pool_name": "deep1", "provider_kind": "LVM", "props": '
                                        + _deep(b'{"a": ', b"}") + b"}", PARSE),
    "deep-arrays-error-reports": ("PATCH", "/v1/error-reports", lambda: _deep(b"[", b"]"), PARSE),
    "json-null-node": ("POST", "/v1/nodes", lambda: b"null", PARSE),
    "json-null-kvs": ("PUT", "/v1/key-value-store/nil", lambda: b"null", PARSE),
    "utf8-invalid-name": ("POST", "/v1/nodes", lambda: b'{"name": "\xff\xfe", "net_interfaces": []}', PARSE),
    "utf8-truncated-kvs": ("PUT", "/v1/key-value-store/utf", lambda: b'{"override_props": {"k": "\xc3\x28"}}', PARSE),
    "utf8-overlong-pool-def": ("POST", "/v1/storage-pool-definitions", lambda: b'{"storage_pool_name": "\xc0\xaf"}',
                               PARSE),
    "nul-in-node-name": ("POST", "/v1/nodes", lambda: _json({"name": "ab\x00cd", "net_interfaces": [NIC]}), {500}),
    "nul-in-pool-def-name": ("POST", "/v1/storage-pool-definitions", lambda: _json({"storage_pool_name": "po\x00ol"}),
                             {500}),
    "raw-nul-in-string": ("POST", "/v1/storage-pool-definitions", lambda: b'{"storage_pool_name": "po\x00ol"}',
                           PARSE),
    "nul-in-path": ("GET", "/v1/nodes/alpha%00", lambda: b"", LOOKUP),
    "traversal-node-name": ("POST", "/v1/nodes", lambda: _json({"name": "../../etc", "net_interfaces": [NIC]}),
                            {500}),
    "traversal-pool-def-name": ("POST", "/v1/storage-pool-definitions",
                                lambda: _json({"storage_pool_name": "..%2F..%2Fx"}), {500}),
    "traversal-net-interface": ("POST", "/v1/nodes/alpha/net-interfaces",
                                lambda: _json({"name": "../../nic", "address": "192.0.2.1"}), {500}),
    "traversal-get": ("GET", "/v1/nodes/..%2F..%2Fetc%2Fpasswd", lambda: b"", {404}),
    "traversal-delete": ("DELETE", "/v1/nodes/..%2F..", lambda: b"", {404}),
    "traversal-kvs": ("PUT", "/v1/key-value-store/..%2F..%2Fx", lambda: _json({"override_props": {"a": "b"}}), {404}),
    "huge-port": ("POST", "/v1/nodes", lambda: _json({"name": "huge1", "net_interfaces": [dict(NIC, satellite_port=HUGE)]}),
                  PARSE),
    "huge-timestamp": ("POST", "/v1/nodes", lambda: _json({"name": "huge2", "net_interfaces": [NIC],
                                                           "eviction_timestamp": HUGE}), PARSE),
    "huge-vdo-size": ("POST", "/v1/physical-storage/alpha",
                      lambda: _json({"provider_kind": "LVM", "device_paths": ["/dev/sdb"], "vdo_enable": True,
                                     "vdo_logical_size_kib": HUGE}), PARSE),
    "huge-report-filter": ("PATCH", "/v1/error-reports", lambda: _json({"since": HUGE}), PARSE),
    "huge-report-limit": ("GET", "/v1/error-reports?limit=%d" % HUGE, lambda: b"", {404}),
    "huge-float": ("POST", "/v1/nodes", lambda: b'{"name": "huge3", "eviction_timestamp": 1e400}', PARSE),
    "huge-digits": ("POST", "/v1/nodes", lambda: b'{"name": "huge4", "eviction_timestamp": ' + b"9" * 5000 + b"}",
                    PARSE),
    "negative-port": ("POST", "/v1/nodes", lambda: _json({"name": "neg1", "net_interfaces": [dict(NIC, satellite_port=-1)]}),
                      {500}),
    "negative-net-interface-port": ("POST", "/v1/nodes/alpha/net-interfaces",
                                    lambda: _json({"name": "neg2", "address": "192.0.2.2", "satellite_port": -5,
                                                   "satellite_encryption_type": "PLAIN"}),
                                    {500}),
}


@pytest.mark.parametrize("case", list(CASES))
def test_refused_in_process(http, controller, case):
    method, path, make_body, statuses = CASES[case]
    failures = InternalFailures(controller)
    before = objects(controller)
    resp = http.open(path, method=method, data=make_body())
    assert_refused(resp.status_code, resp.headers.get("Content-Type", ""), resp.get_data(), statuses)
    assert not failures.failures
    assert objects(controller) == before


@pytest.mark.http
def test_refused_over_a_socket(controller):
    """The same through a real server, with raw request lines no client library rewrites."""
    failures = InternalFailures(controller)
    before = objects(controller)
    raw_cases = [
        ("GET", "/v1/nodes/..%2F..%2F..%2Fetc%2Fpasswd", b"", {404}),
        ("GET", "/v1/nodes/../../../etc/passwd", b"", {404}),
        ("DELETE", "/v1/storage-pool-definitions/..%2F..%2Fthin", b"", {404}),
        ("GET", "/v1/nodes/alpha%00bravo", b"", LOOKUP),
        ("GET", "/v1/nodes/%FF%FE", b"", LOOKUP),
        ("POST", "/v1/nodes", _deep(b"[", b"]"), PARSE),
        ("POST", "/v1/nodes", b'{"name": "\xff"}', PARSE),
        ("POST", "/v1/nodes", _big(b'{"name": "big2", "junk": "', b'"}'), PARSE),
    ]
    with Server(controller) as srv:
        for method, path, body, statuses in raw_cases:
            conn = http.client.HTTPConnection(srv.host, srv.port, timeout=60)
            conn.putrequest(method, path, skip_accept_encoding=True)
            conn.putheader("Content-Length", str(len(body)))
            conn.endheaders(body)
            resp = conn.getresponse()
            assert_refused(resp.status, resp.getheader("Content-Type", ""), resp.read(), statuses)
            conn.close()
    assert not failures.failures
    assert objects(controller) == before


# Sizes of volumes: the areas that take them answer 501 until they land, then these apply.
SIZE_CASES = {
    "volume-definition-negative": ("POST", "/v1/resource-definitions/hostile/volume-definitions",
                                   {"volume_definition": {"size_kib": -1}}),
    "volume-definition-huge": ("POST", "/v1/resource-definitions/hostile/volume-definitions",
                               {"volume_definition": {"size_kib": HUGE}}),
    "spawn-negative": ("POST", "/v1/resource-groups/hostile/spawn",
                       {"resource_definition_name": "spawned", "volume_sizes": [-1]}),
    "spawn-huge": ("POST", "/v1/resource-groups/hostile/spawn",
                   {"resource_definition_name": "spawned", "volume_sizes": [HUGE]}),
}
SIZE_SETUP = [("POST", "/v1/resource-groups", {"name": "hostile"}),
              ("POST", "/v1/resource-definitions", {"resource_definition": {"name": "hostile"}})]


@pytest.mark.parametrize("case", list(SIZE_CASES))
def test_refused_sizes(http, controller, case):
    method, path, body = SIZE_CASES[case]
    if http.open(path, method=method, json=body).status_code == 501:
        pytest.skip("%s %s is not emulated yet" % (method, path))
    controller.reset()
    fixtures.load(controller, "demo")
    for set_method, set_path, set_body in SIZE_SETUP:
        assert http.open(set_path, method=set_method, json=set_body).status_code == 201, set_path
    failures = InternalFailures(controller)
    before = objects(controller)
    resp = http.open(path, method=method, json=body)
    assert_refused(resp.status_code, resp.headers.get("Content-Type", ""), resp.get_data(), {400, 404, 500})
    assert not failures.failures
    assert objects(controller) == before
