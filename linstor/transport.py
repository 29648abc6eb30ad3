"""The client's transport: every byte the client sends goes through here.

``HttpTransport`` talks to a controller over HTTP(S) with a ``requests.Session``;
``WsgiTransport`` hands requests straight to a WSGI application in the same process
(no socket), which is how tests call an in-memory controller in microseconds;
``CurlTransport`` prints each request as a curl command line and sends nothing.
All return a ``Reply``; socket failures become ``LinstorNetworkError`` /
``LinstorTimeoutError``.
"""
import base64
import io
import json
import sys
import warnings
from typing import Any, Callable, Mapping, NamedTuple, Optional, Sequence, Tuple
from urllib.parse import unquote_to_bytes, urlencode, urlparse

import requests
from requests.adapters import HTTPAdapter, TimeoutSauce
from requests.structures import CaseInsensitiveDict
from urllib3.exceptions import DecodeError, InsecureRequestWarning, ProtocolError, ReadTimeoutError, SSLError

from .errors import LinstorNetworkError, LinstorTimeoutError

REST_PORT = 3370
REST_HTTPS_PORT = 3371
VERSION_PATH = "/v1/controller/version"

Query = Sequence[Tuple[str, Any]]
_PREPARED_KEPT = 256  # prepared requests an HttpTransport keeps for sending again


class Reply(NamedTuple):
    status: int
    headers: Mapping[str, str]  # looked up with lower-case names
    body: bytes


class ControllerUri(NamedTuple):
    """A parsed controller address: ``linstor://`` is HTTP (3370), ``linstor+ssl://`` and
    ``https://`` are HTTPS (3371); any other scheme is taken as ``linstor://``."""

    secure: bool
    host: str
    port: int

    @classmethod
    def parse(cls, uri: str) -> "ControllerUri":
        # a bare "host[:port]" is accepted too (python-linstor only accepts it via controller_uri_list)
        parsed = urlparse(uri if "://" in uri else "linstor://" + uri)
        secure = parsed.scheme in ("linstor+ssl", "https")
        host = parsed.hostname
        if not host:
            raise LinstorNetworkError("Unable to connect to {}: no host given".format(uri))
        try:
            port = parsed.port
        except ValueError as err:
            raise LinstorNetworkError("Unable to connect to {}: {}".format(uri, err))
        return cls(secure, host, port or (REST_HTTPS_PORT if secure else REST_PORT))

    @property
    def base_url(self) -> str:
        host = "[%s]" % self.host if ":" in self.host else self.host
        return "%s://%s:%d" % ("https" if self.secure else "http", host, self.port)

    @property
    def display(self) -> str:
        return "%s://%s:%d" % ("linstor+ssl" if self.secure else "linstor", self.host, self.port)


class ConnectFailed(LinstorNetworkError):
    """No connection to the controller could be opened; ``reason`` is the socket's own word."""

    def __init__(self, msg: str, reason: str):
        super().__init__(msg)
        self.reason = reason


def build_query(query: Optional[Query]) -> str:
    """Encode (key, value) pairs; list values repeat the key, as the controller expects."""
    if not query:
        return ""
    pairs = []
    for key, value in query:
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            pairs.extend((key, v) for v in value)
        else:
            pairs.append((key, value))
    return urlencode(pairs, safe="/=") if pairs else ""


def basic_auth_header(username: str, password: Optional[str]) -> str:
    token = "{}:{}".format(username, password or "").encode()
    return "Basic " + base64.b64encode(token).decode()


def _root_cause(err: BaseException) -> BaseException:
    """The socket/ssl error underneath the layers requests and urllib3 wrap around it."""
    found = err
    todo, seen = [err], set()
    while todo:
        cur = todo.pop(0)
        if id(cur) in seen:
            continue
        seen.add(id(cur))
        module = type(cur).__module__
        if not module.startswith(("requests", "urllib3")):
            found = cur
        todo.extend(x for x in (getattr(cur, "reason", None), cur.__cause__, cur.__context__, *cur.args)
                    if isinstance(x, BaseException))
    return found


class _ControllerRequest(requests.PreparedRequest):
    """A request this transport prepared: ``path_url`` is worked out once, not on every send."""

    path_url = "/"  # replaces requests' property (which splits the URL on every use) with a plain attribute


class _ControllerAdapter(HTTPAdapter):
    """requests' HTTP adapter, trimmed for a client that sends every request to one controller.

    What HTTPAdapter.send works out again for every request is worked out once: the connection
    pool (found by parsing the URL and looking the pool up in the pool manager) and the request
    line's path (split out of the URL). For the transport's own requests the answer is read here,
    whole, and handed back as a ``Reply``: no ``requests.Response``, no cookie jar (the controller
    sets no cookies), no chunked re-assembly of the body. Requests that come through the session
    (the HTTPS redirect probe) get requests' ordinary response.
    """

    def __init__(self) -> None:
        super().__init__()
        self._pools: dict = {}

    def get_connection_with_tls_context(self, request, verify, proxies=None, cert=None):
        if proxies:
            return super().get_connection_with_tls_context(request, verify, proxies=proxies, cert=cert)
        url = request.url
        end = url.find("/", url.find("//") + 2)
        key = (url if end < 0 else url[:end], verify, cert)  # scheme://host:port and the TLS settings
        pool = self._pools.get(key)
        if pool is None or pool.pool is None:  # a pool the pool manager has closed is not used again
            pool = super().get_connection_with_tls_context(request, verify, proxies=proxies, cert=cert)
            self._pools[key] = pool
        return pool

    def request_url(self, request, proxies):
        if proxies or not isinstance(request, _ControllerRequest):
            return super().request_url(request, proxies)
        return request.path_url

    def build_response(self, req, resp):
        if not isinstance(req, _ControllerRequest):
            return super().build_response(req, resp)
        try:
            body = resp.read(decode_content=True)
        # what requests' Response.content turns these into, except that a read timeout stays a timeout
        except ReadTimeoutError as err:
            raise requests.ReadTimeout(err, request=req)
        except ProtocolError as err:
            raise requests.ConnectionError(err, request=req)
        except DecodeError as err:
            raise requests.exceptions.ContentDecodingError(err, request=req)
        except SSLError as err:
            raise requests.exceptions.SSLError(err, request=req)
        return Reply(resp.status, resp.headers, body)

    def close(self) -> None:
        self._pools.clear()
        super().close()


class HttpTransport:
    """HTTP(S) to a real (or fake) controller, on one keep-alive session."""

    def __init__(self, uri: str, timeout: float, user_agent: str):
        self.uri_text = uri
        self.uri = ControllerUri.parse(uri)
        self.timeout = timeout
        self.session = requests.Session()
        self.session.trust_env = False  # no proxies or netrc from the environment: talk to the controller
        # python-linstor's headers, no more: requests' default "Accept: */*" is one more line for
        # both ends to handle on every call, and python-linstor never sends it
        self.session.headers = CaseInsensitiveDict(
            [("User-Agent", user_agent), ("Connection", "keep-alive"), ("Accept-Encoding", "gzip")])
        self._adapter = _ControllerAdapter()
        self.session.mount("http://", self._adapter)
        self.session.mount("https://", self._adapter)
        self._timeout = TimeoutSauce(connect=timeout, read=timeout)
        self._base_url = self.uri.base_url
        self._quiet_insecure = False
        # prepared requests by (method, URL): preparing one (URL parsing and re-quoting, header
        # checks, an empty cookie jar) costs as much as the rest of the client's side of a call
        self._prepared: dict = {}

    @property
    def where(self) -> str:
        """The controller as error messages name it."""
        return self.uri.display if self.uri.secure else self.uri_text

    def https_redirect_port(self) -> int:
        """The port of the controller's HTTPS side when its HTTP side redirects there, else 0."""
        try:
            resp = self.session.get(self._base_url + VERSION_PATH, allow_redirects=False,
                                    timeout=min(3, self.timeout) if self.timeout else 3)
        except requests.RequestException:
            return 0
        if resp.status_code == 302:
            try:
                return urlparse(resp.headers.get("Location", "")).port or 0
            except ValueError:
                return 0
        return 0

    def use_https(self, port: int) -> None:
        self.uri = ControllerUri(True, self.uri.host, port)
        self._base_url = self.uri.base_url
        self._prepared.clear()

    def configure(self, auth=None, cafile=None, certfile=None, keyfile=None) -> None:
        """Basic auth (user, password) and TLS: the server's certificate is checked against
        ``cafile`` (with its host name) only when one is given; certfile/keyfile is our own."""
        if auth is not None:
            self.session.headers["Authorization"] = basic_auth_header(*auth)
        self._prepared.clear()  # they carry the session's headers
        if self.uri.secure:
            self.session.verify = cafile if cafile else False
            self._quiet_insecure = not cafile
            if certfile:
                self.session.cert = (certfile, keyfile) if keyfile else certfile

    def request(self, method: str, path: str, body: Any = None, query: Optional[Query] = None) -> Reply:
        url = self._base_url + path
        if query:
            qs = build_query(query)
            if qs:
                url += "?" + qs
        data = None if body is None else json.dumps(body)
        try:
            if self._quiet_insecure:
                # not checking the server's certificate is what the user asked for (no cafile)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", InsecureRequestWarning)
                    resp = self._send(method, url, data)
            else:
                resp = self._send(method, url, data)
        except requests.ConnectTimeout as err:
            raise ConnectFailed("Unable to send request to {}: timed out".format(self.where), "timed out") from err
        except requests.Timeout as err:
            raise LinstorTimeoutError(
                "Socket timeout, no data received for more than {}s.".format(self.timeout)) from err
        except requests.RequestException as err:
            raise self._network_error(err) from err
        return resp

    def _send(self, method: str, url: str, data: Optional[str]) -> Reply:
        # The adapter directly: Session.request() would merge environment settings, cookies and
        # hooks on every call, which this client never uses.
        return self._adapter.send(self._prepare(method, url, data), timeout=self._timeout,
                                  verify=self.session.verify, cert=self.session.cert)

    def _prepare(self, method: str, url: str, data: Optional[str]) -> _ControllerRequest:
        """The request, prepared by requests; bodiless ones are prepared once and sent again as
        they are (nothing on the way to the socket changes a prepared request)."""
        template = self._prepared.get((method, url))
        if template is None:
            template = _ControllerRequest()
            template.prepare(method=method, url=url, headers=self.session.headers)
            template.path_url = requests.PreparedRequest.path_url.fget(template)
            # a plain dict from here on: urllib3 copies the headers of every request it sends, and a
            # dict copies in C (the names are requests' own spelling, so lookups by them still match)
            template.headers = dict(template.headers)
            if len(self._prepared) >= _PREPARED_KEPT:
                self._prepared.clear()  # many different URLs (names in paths, queries): start over
            self._prepared[(method, url)] = template
        if data is None:
            return template
        prep = _ControllerRequest()
        prep.method, prep.url, prep.path_url = template.method, template.url, template.path_url
        prep.headers = CaseInsensitiveDict(template.headers)
        prep._cookies, prep.hooks = template._cookies, template.hooks
        prep.prepare_body(data, None)
        prep.headers = dict(prep.headers)
        return prep

    def _network_error(self, err: requests.RequestException) -> LinstorNetworkError:
        reading = isinstance(err, requests.exceptions.ContentDecodingError) or any(
            isinstance(x, ProtocolError) for x in (err, *err.args))
        reason = str(_root_cause(err))
        if reading:
            return LinstorNetworkError("Error reading response from {}: {}".format(self.where, reason))
        return ConnectFailed("Unable to send request to {}: {}".format(self.where, reason), reason)

    def close(self) -> None:
        self.session.close()


class WsgiTransport:
    """Calls a WSGI application directly: same requests, no socket."""

    def __init__(self, app: Callable, host: str = "fakestor", port: int = REST_PORT, user_agent: str = ""):
        self.app = app
        self.uri = ControllerUri(False, host, port)
        self.where = self.uri.display
        self._environ = {
            "SERVER_NAME": host,
            "SERVER_PORT": str(port),
            "SERVER_PROTOCOL": "HTTP/1.1",
            "SCRIPT_NAME": "",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": "%s:%d" % (host, port),
            "HTTP_ACCEPT_ENCODING": "gzip",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
        }
        if user_agent:
            self._environ["HTTP_USER_AGENT"] = user_agent

    def configure(self, auth=None, cafile=None, certfile=None, keyfile=None) -> None:
        if auth is not None:
            self._environ["HTTP_AUTHORIZATION"] = basic_auth_header(*auth)
        else:
            self._environ.pop("HTTP_AUTHORIZATION", None)

    def request(self, method: str, path: str, body: Any = None, query: Optional[Query] = None) -> Reply:
        data = b"" if body is None else json.dumps(body).encode()
        environ = self._environ.copy()
        environ["REQUEST_METHOD"] = method
        # PEP 3333: PATH_INFO is the percent-decoded path, its bytes carried as latin-1
        environ["PATH_INFO"] = unquote_to_bytes(path).decode("latin-1")
        environ["QUERY_STRING"] = build_query(query) if query else ""
        environ["CONTENT_LENGTH"] = str(len(data))
        environ["wsgi.input"] = io.BytesIO(data)
        started = []

        def start_response(status, headers, exc_info=None):
            started.append(status)
            started.append(headers)

        result = self.app(environ, start_response)
        try:
            payload = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        headers = {k.lower(): v for k, v in started[1]}
        return Reply(int(started[0][:3]), headers, payload)

    def close(self) -> None:
        pass


class CurlTransport:
    """Prints each request as the curl command line that would send it, and sends nothing."""

    def __init__(self, uri: str, out=None):
        self.uri = ControllerUri.parse(uri)
        self.where = self.uri.display
        self.out = out

    def configure(self, **_) -> None:
        pass

    def request(self, method: str, path: str, body: Any = None, query: Optional[Query] = None) -> None:
        url = self.uri.base_url + path
        qs = build_query(query)
        if qs:
            url += "?" + qs
        parts = ["curl", "-X", method]
        if body is not None:
            # the shell quoting python-linstor prints; a ' inside the JSON is closed and reopened
            parts += ['-H "Content-Type: application/json"', "-d '" + json.dumps(body).replace("'", "'\\''") + "'"]
        parts.append(url)
        print(" ".join(parts), file=self.out or sys.stdout)
        return None  # nothing was sent, so there is no reply

    def close(self) -> None:
        pass
