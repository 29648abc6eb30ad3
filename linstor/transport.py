"""The client's transport: every byte the client sends goes through here.

``HttpTransport`` talks to a controller over HTTP(S) with a ``requests.Session``;
``WsgiTransport`` hands requests straight to a WSGI application in the same process
(no socket), which is how tests call an in-memory controller in microseconds.
Both return a ``Reply``; socket failures become ``LinstorNetworkError`` /
``LinstorTimeoutError``.
"""
import io
import json
import shlex
import sys
from typing import Any, Callable, NamedTuple, Optional, Sequence, Tuple
from urllib.parse import urlencode, urlparse

import requests

from .errors import LinstorError, LinstorNetworkError, LinstorTimeoutError

REST_PORT = 3370
REST_HTTPS_PORT = 3371

Query = Sequence[Tuple[str, Any]]


class Reply(NamedTuple):
    status: int
    headers: dict  # lower-cased header names
    body: bytes


class ControllerUri(NamedTuple):
    """A parsed controller address."""

    secure: bool
    host: str
    port: int

    @classmethod
    def parse(cls, uri: str) -> "ControllerUri":
        parsed = urlparse(uri if "://" in uri else "linstor://" + uri)
        secure = parsed.scheme in ("linstor+ssl", "https")
        host = parsed.hostname
        if not host:
            raise LinstorNetworkError("Unable to connect to {}: no host given".format(uri))
        port = parsed.port or (REST_HTTPS_PORT if secure else REST_PORT)
        return cls(secure, host, port)

    @property
    def base_url(self) -> str:
        host = "[%s]" % self.host if ":" in self.host else self.host
        return "%s://%s:%d" % ("https" if self.secure else "http", host, self.port)

    @property
    def display(self) -> str:
        return "%s://%s:%d" % ("linstor+ssl" if self.secure else "linstor", self.host, self.port)


def build_query(query: Optional[Query]) -> str:
    """Encode (key, value) pairs; list values repeat the key, as the controller expects."""
    if not query:
        return ""
    pairs = []
    for key, value in query:
        if value is None:
            continue
        values = value if isinstance(value, (list, tuple)) else [value]
        pairs.extend((key, v) for v in values)
    return urlencode(pairs, safe="/=") if pairs else ""


class HttpTransport:
    """HTTP(S) to a real (or fake) controller, on one keep-alive session."""

    def __init__(self, uri: str, timeout: float, user_agent: str):
        self.uri = ControllerUri.parse(uri)
        self.timeout = timeout
        self.session = requests.Session()
        self.session.headers.update({"User-Agent": user_agent, "Accept-Encoding": "gzip"})
        self.session.trust_env = False

    def configure(self, auth=None, cafile=None, certfile=None, keyfile=None):
        self.session.auth = auth
        if self.uri.secure:
            self.session.verify = cafile if cafile else False
            if certfile:
                self.session.cert = (certfile, keyfile) if keyfile else certfile

    def request(self, method: str, path: str, body: Any = None, query: Optional[Query] = None) -> Reply:
        url = self.uri.base_url + path
        qs = build_query(query)
        if qs:
            url += "?" + qs
        data = None if body is None else json.dumps(body)
        try:
            resp = self.session.request(method, url, data=data, timeout=self.timeout, allow_redirects=True)
        except requests.Timeout:
            raise LinstorTimeoutError(
                "Socket timeout, no data received for more than {}s.".format(self.timeout))
        except requests.RequestException as err:
            raise LinstorNetworkError("Unable to send request to {}: {}".format(self.uri.display, err))
        return Reply(resp.status_code, {k.lower(): v for k, v in resp.headers.items()}, resp.content)

    def close(self):
        self.session.close()


class WsgiTransport:
    """Calls a WSGI application directly: same requests, no socket."""

    def __init__(self, app: Callable, host: str = "fakestor", port: int = REST_PORT, user_agent: str = ""):
        self.app = app
        self.uri = ControllerUri(False, host, port)
        self.user_agent = user_agent
        self._environ = {
            "SERVER_NAME": host,
            "SERVER_PORT": str(port),
            "SERVER_PROTOCOL": "HTTP/1.1",
            "SCRIPT_NAME": "",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": "%s:%d" % (host, port),
            "HTTP_USER_AGENT": user_agent,
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
        }

    def configure(self, auth=None, cafile=None, certfile=None, keyfile=None):
        self.auth = auth

    def request(self, method: str, path: str, body: Any = None, query: Optional[Query] = None) -> Reply:
        data = b"" if body is None else json.dumps(body).encode()
        environ = dict(self._environ)
        environ["REQUEST_METHOD"] = method
        environ["PATH_INFO"] = path
        environ["QUERY_STRING"] = build_query(query)
        environ["CONTENT_LENGTH"] = str(len(data))
        environ["wsgi.input"] = io.BytesIO(data)
        started = {}

        def start_response(status, headers, exc_info=None):
            started["status"] = int(status.split(" ", 1)[0])
            started["headers"] = {k.lower(): v for k, v in headers}

        result = self.app(environ, start_response)
        try:
            payload = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        return Reply(started["status"], started["headers"], payload)

    def close(self):
        pass


class CurlTransport:
    """Prints each request as a curl command line and sends nothing."""

    def __init__(self, uri: str, out=None):
        self.uri = ControllerUri.parse(uri)
        self.out = out

    def configure(self, **_):
        pass

    def request(self, method: str, path: str, body: Any = None, query: Optional[Query] = None) -> Reply:
        url = self.uri.base_url + path
        qs = build_query(query)
        if qs:
            url += "?" + qs
        parts = ["curl", "-X", method]
        if body is not None:
            parts += ["-H", "Content-Type: application/json", "-d", json.dumps(body)]
        parts.append(url)
        print(" ".join(shlex.quote(p) for p in parts), file=self.out or sys.stdout)
        return Reply(200, {"content-type": "application/json"}, b"[]")

    def close(self):
        pass


def decode_json(reply: Reply, method: str, path: str):
    """The JSON payload of a reply, or a LinstorError saying why there is none."""
    try:
        return json.loads(reply.body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as err:
        raise LinstorError("Unable to parse REST json data: {}\nRequest-Uri: {}; Status: {}".format(
            err, path, reply.status))
