"""The HTTP transport's fast path: prepared requests kept and sent again, the answer read whole
by the adapter. What goes on the wire must be exactly what requests itself would send, and a
failure while the body arrives must still become a LinstorNetworkError / LinstorTimeoutError."""
import json
import socket
import threading
import time
from typing import Callable, List, Optional

import pytest
import requests

import linstor
from fakestor.server import Server
from linstor.transport import _PREPARED_KEPT, HttpTransport, build_query
from tests.linstor.netfaults import VERSION

VERSION_BODY = (b'{"version": "%s", "git_hash": "x", "build_time": "x", "rest_api_version": "%s"}'
                % (VERSION["version"].encode(), VERSION["rest_api_version"].encode()))


def _answer(body: bytes = b"[]", status: str = "200 OK") -> bytes:
    return (b"HTTP/1.1 %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s"
            % (status.encode(), len(body), body))


class RawServer:
    """A loopback HTTP server at the socket level: records each request's bytes as they arrived
    and lets ``reply(conn, request_bytes)`` write whatever it likes back."""

    def __init__(self, reply: Optional[Callable[[socket.socket, bytes], None]] = None):
        self.requests: List[bytes] = []
        self._reply = reply or (lambda conn, raw: conn.sendall(_answer(VERSION_BODY if b"/version " in raw
                                                                        else b"[]")))
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.uri = "linstor://127.0.0.1:%d" % self.port
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket):
        with conn:
            raw = b""
            while b"\r\n\r\n" not in raw:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                raw += chunk
            head = raw.split(b"\r\n\r\n", 1)[0]
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            while len(raw) - len(head) - 4 < length:
                raw += conn.recv(65536)
            self.requests.append(raw)
            try:
                self._reply(conn, raw)
            except OSError:
                pass

    def close(self):
        self.sock.close()


@pytest.fixture
def raw_server():
    server = RawServer()
    yield server
    server.close()


def _on_the_wire(server: RawServer, raw: bytes) -> bytes:
    return raw.replace(b"127.0.0.1:%d" % server.port, b"HOST")


def _what_requests_sends(method: str, path: str, headers: dict, body: Optional[str]) -> bytes:
    """The bytes a plain requests.Session sends for the same request."""
    capture = RawServer()
    try:
        with requests.Session() as session:
            session.trust_env = False
            session.headers.clear()
            session.headers.update(headers)
            session.request(method, "http://127.0.0.1:%d%s" % (capture.port, path), data=body, timeout=5)
        return _on_the_wire(capture, capture.requests[-1])
    finally:
        capture.close()


@pytest.mark.parametrize("auth", [None, ("admin", "s3cret")])
def test_requests_on_the_wire_are_byte_for_byte_what_requests_sends(raw_server, auth):
    transport = HttpTransport(raw_server.uri, 5, "PythonLinstor/1.7.1 (API1.0.4)")
    transport.configure(auth=auth)
    calls = [("GET", "/v1/nodes", None, None), ("GET", "/v1/nodes", None, [("nodes", ["a b", "c"])]),
             ("POST", "/v1/nodes", {"name": "delta", "type": "SATELLITE"}, None),
             ("POST", "/v1/nodes", {"name": "echo"}, None),  # the same URL again, another body
             ("PUT", "/v1/nodes/alpha", {"override_props": {"Aux/\u00fc": "1"}}, None),
             ("DELETE", "/v1/nodes/alpha", None, None), ("DELETE", "/v1/nodes/alpha", None, None),
             ("GET", "/v1/nodes", None, None)]
    for method, path, body, query in calls:
        assert transport.request(method, path, body, query).status == 200
    transport.close()
    assert len(raw_server.requests) == len(calls)
    for (method, path, body, query), sent in zip(calls, raw_server.requests):
        target = path + ("?" + build_query(query) if query else "")
        data = None if body is None else json.dumps(body)
        assert _on_the_wire(raw_server, sent) == _what_requests_sends(method, target, dict(transport.session.headers),
                                                                     data)


def test_headers_are_python_linstors(raw_server):
    client = linstor.Linstor(raw_server.uri)
    client.username, client.password, client.allow_insecure = "admin", "s3cret", True
    client.connect()
    client.node_list()
    head = raw_server.requests[-1].split(b"\r\n\r\n")[0].decode().split("\r\n")
    assert head[0] == "GET /v1/nodes HTTP/1.1"
    assert sorted(head[1:]) == sorted(["Host: 127.0.0.1:%d" % raw_server.port, "User-Agent: PythonLinstor/1.7.1 (API1.0.4)",
                                       "Connection: keep-alive", "Accept-Encoding: gzip",
                                       "Authorization: Basic YWRtaW46czNjcmV0"])


def test_a_body_cut_short_is_a_network_error(raw_server):
    def cut(conn, raw):
        if b"/version " in raw:
            conn.sendall(_answer(VERSION_BODY))
        else:
            conn.sendall(_answer(b'[{"name": "alpha", "type": "SATELLITE"}]')[:-10])  # then the socket closes

    _assert_read_error(cut)


def test_a_gzip_body_that_does_not_decompress_is_a_network_error():
    def garbled(conn, raw):
        if b"/version " in raw:
            conn.sendall(_answer(VERSION_BODY))
        else:
            body = b"not gzip at all"
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\n"
                         b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(body), body))

    _assert_read_error(garbled)


def _assert_read_error(answer) -> None:
    """node_list() against a server that answers with ``answer`` fails as an error reading the response."""
    server = RawServer(answer)
    try:
        client = linstor.Linstor(server.uri)
        client.connect()
        with pytest.raises(linstor.LinstorNetworkError) as err:
            client.node_list()
        assert err.value.message.startswith("Error reading response from %s: " % server.uri)
    finally:
        server.close()


def test_a_body_that_stops_arriving_times_out():
    release = threading.Event()

    def stall(conn, raw):
        if b"/version " in raw:
            conn.sendall(_answer(VERSION_BODY))
        else:
            conn.sendall(_answer(b'[{"name": "alpha", "type": "SATELLITE"}]')[:-10])
            release.wait(5)

    server = RawServer(stall)
    try:
        client = linstor.Linstor(server.uri, timeout=0.3)
        client.connect()
        started = time.monotonic()
        with pytest.raises(linstor.LinstorTimeoutError, match="no data received for more than 0.3s"):
            client.node_list()
        assert time.monotonic() - started < 3
    finally:
        release.set()
        server.close()


def test_keep_alive_retries_a_body_cut_short():
    cuts = []

    def cut_once(conn, raw):
        if b"/v1/nodes " in raw and not cuts:
            cuts.append(raw)
            conn.sendall(_answer(b'[{"name": "alpha", "type": "SATELLITE"}]')[:-10])
        else:
            body = b'[{"name": "alpha", "type": "SATELLITE"}]' if b"/v1/nodes " in raw else VERSION_BODY
            conn.sendall(_answer(body))

    server = RawServer(cut_once)
    try:
        client = linstor.Linstor(server.uri, keep_alive=True)
        client.connect()
        assert [n.name for n in client.node_list_raise().nodes] == ["alpha"]
        assert len(cuts) == 1
    finally:
        server.close()


def test_prepared_requests_kept_are_bounded(raw_server):
    transport = HttpTransport(raw_server.uri, 5, "ua")
    for i in range(_PREPARED_KEPT + 50):
        transport.request("DELETE", "/v1/resource-definitions/pvc-%d" % i)
    assert 0 < len(transport._prepared) <= _PREPARED_KEPT
    transport.close()
    assert [r.split(b" ")[1] for r in raw_server.requests[-2:]] == [
        b"/v1/resource-definitions/pvc-%d" % i for i in (_PREPARED_KEPT + 48, _PREPARED_KEPT + 49)]


def test_credentials_set_after_requests_were_sent_are_sent_from_then_on(raw_server):
    transport = HttpTransport(raw_server.uri, 5, "ua")
    transport.request("GET", "/v1/nodes")
    transport.configure(auth=("u", "p"))
    transport.request("GET", "/v1/nodes")
    assert b"Authorization" not in raw_server.requests[0]
    assert b"\r\nAuthorization: Basic dTpw\r\n" in raw_server.requests[1]


def test_one_client_shared_by_threads(controller):
    with Server(controller) as server:
        client = linstor.Linstor(server.linstor_uri)
        client.connect()
        before = len(client.resource_dfn_list_raise().resource_definitions)
        names, errors = [], []

        def work():
            try:
                for _ in range(20):
                    names.append(tuple(n.name for n in client.node_list_raise().nodes))
                    assert client.resource_dfn_create("r-%s-%d" % (threading.get_ident(), len(names)))[0].is_success()
            except Exception as err:  # reported below, with the thread's failure
                errors.append(err)

        threads = [threading.Thread(target=work) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        assert set(names) == {("alpha", "bravo", "charlie")} and len(names) == 120
        assert len(client.resource_dfn_list_raise().resource_definitions) == before + 120
