"""Servers that misbehave on purpose, and WSGI apps that record or can answer anything:
the client's network and error paths need them."""
import json
import socket
import threading
from typing import Callable, Dict, List, Optional, Tuple

VERSION = {"version": "1.31.3", "git_hash": "abc123", "build_time": "2025-07-10T09:41:12+00:00",
           "rest_api_version": "1.25.1"}


def refused_port() -> int:
    """A loopback port nobody listens on (connecting to it is refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SilentServer:
    """Accepts connections and never answers."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self._conns: List[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self._conns.append(conn)  # held open, never read from or written to

    def close(self):
        try:
            self.sock.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept()
        except OSError:
            pass
        self.sock.close()
        for conn in self._conns:
            conn.close()
        self._thread.join(1)


class DroppingProxy:
    """Forwards TCP connections to ``backend``; after ``drop_next()`` the next request that
    arrives is swallowed and its connection closed without an answer."""

    def __init__(self, backend_port: int):
        self.backend_port = backend_port
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.dropped = 0
        self._drop = threading.Event()
        self._drop_always = False
        threading.Thread(target=self._accept, daemon=True).start()

    def drop_next(self):
        self._drop.set()

    def drop_all(self):
        self._drop_always = True
        self._drop.set()

    def _accept(self):
        while True:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket):
        backend = socket.create_connection(("127.0.0.1", self.backend_port))
        threading.Thread(target=self._pump, args=(backend, client), daemon=True).start()
        try:
            while True:
                data = client.recv(65536)
                if not data:
                    break
                if self._drop.is_set():
                    if not self._drop_always:
                        self._drop.clear()
                    self.dropped += 1
                    break
                backend.sendall(data)
        except OSError:
            pass
        finally:
            client.close()
            backend.close()

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket):
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                dst.sendall(data)
        except OSError:
            pass
        finally:
            try:
                dst.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def close(self):
        self.sock.close()


Answer = Tuple[int, Dict[str, str], bytes]


def json_answer(data, status: int = 200) -> Answer:
    return status, {"Content-Type": "application/json"}, json.dumps(data).encode()


class CannedApp:
    """A WSGI app answering (method, path) from a table; the controller version by default.
    Every request is recorded as a dict (method, path, query, headers, body)."""

    def __init__(self, answers: Optional[Dict[Tuple[str, str], object]] = None, version: Optional[dict] = None):
        self.answers: Dict[Tuple[str, str], object] = {("GET", "/v1/controller/version"):
                                                       json_answer(version or VERSION)}
        self.answers.update(answers or {})
        self.requests: List[dict] = []

    def __call__(self, environ, start_response):
        record = _record(environ)
        self.requests.append(record)
        answer = self.answers.get((record["method"], record["path"]), json_answer([], 404))
        if callable(answer):
            answer = answer(record)
        status, headers, body = answer
        start_response("%d X" % status, list(headers.items()) + [("Content-Length", str(len(body)))])
        return [body]


class Recorder:
    """Wraps a WSGI app and records each request it passes on."""

    def __init__(self, app: Callable):
        self.app = app
        self.requests: List[dict] = []

    def __call__(self, environ, start_response):
        record = _record(environ)
        self.requests.append(record)
        from io import BytesIO

        environ["wsgi.input"] = BytesIO(record["raw_body"])
        environ["CONTENT_LENGTH"] = str(len(record["raw_body"]))
        return self.app(environ, start_response)

    def last(self, method: Optional[str] = None) -> dict:
        found = [r for r in self.requests if method is None or r["method"] == method]
        return found[-1]


def _record(environ) -> dict:
    length = int(environ.get("CONTENT_LENGTH") or 0)
    raw = environ["wsgi.input"].read(length) if length else b""
    headers = {k[5:].replace("_", "-").title(): v for k, v in environ.items() if k.startswith("HTTP_")}
    if environ.get("CONTENT_TYPE"):
        headers["Content-Type"] = environ["CONTENT_TYPE"]
    return {"method": environ["REQUEST_METHOD"], "path": environ["PATH_INFO"],
            "query": environ.get("QUERY_STRING", ""), "headers": headers, "raw_body": raw,
            "body": json.loads(raw) if raw else None}
