"""Faults a test injects into a fake controller.

Two kinds:
- request faults: the next N calls (or each call with a seeded probability) that match a
  method, a path pattern (``journal.compile_path``) or an operation (the REST endpoint, e.g.
  ``nodes.create_node``) fail with an ApiCallRc error, answer an HTTP status, get extra
  latency, lose their connection or get a truncated body;
- state faults: a node goes OFFLINE, is evicted or lost; a storage pool fills up.

An injected error entry gets an error report as the controller files one for its errors.
"""
import itertools
import random
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, List, Optional

from linstor import sharedconsts as C

from .apicallrc import RcEntry
from .journal import PathPattern, compile_path

KINDS = ("error", "status", "latency", "drop", "truncate")
# the WSGI environ key where a request's fault is noted for the middleware
ENVIRON_KEY = "fakestor.fault"


class ConnectionDropped(ConnectionResetError):
    """Raised out of the WSGI app when a fault drops the connection (in process: no socket)."""


@dataclass
class Fault:
    """One request fault. ``times=None`` fires on every match; ``hits`` counts firings."""

    kind: str
    method: Optional[str] = None
    path: PathPattern = None
    operation: Optional[str] = None
    times: Optional[int] = 1
    probability: Optional[float] = None
    seed: int = 0
    ret_code: int = C.FAIL_UNKNOWN_ERROR
    message: str = "Fault injected by fakestor."
    cause: Optional[str] = None
    status: Optional[int] = None
    body: Optional[str] = None
    latency: float = 0.0
    truncate_at: Optional[int] = None
    report: bool = True
    id: int = 0
    hits: int = 0
    _rng: random.Random = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError("unknown fault kind %r (one of %s)" % (self.kind, ", ".join(KINDS)))
        if self.probability is not None and not 0.0 <= self.probability <= 1.0:
            raise ValueError("probability must be within [0, 1]")
        self._regex = compile_path(self.path)
        self._rng = random.Random(self.seed)

    @property
    def exhausted(self) -> bool:
        return self.times is not None and self.hits >= self.times

    def matches(self, method: str, path: str, operation: Optional[str]) -> bool:
        if self.method not in (None, "*") and self.method.upper() != method:
            return False
        if self._regex is not None and self._regex.fullmatch(path) is None:
            return False
        return self.operation is None or self.operation == operation

    def to_json(self) -> dict:
        out = {"id": self.id, "kind": self.kind, "method": self.method,
               "path": self.path if not hasattr(self.path, "pattern") else self.path.pattern,
               "operation": self.operation, "times": self.times, "probability": self.probability,
               "seed": self.seed, "hits": self.hits}
        if self.kind == "error":
            out.update(ret_code=self.ret_code, message=self.message, cause=self.cause, status=self.status,
                       report=self.report)
        elif self.kind == "status":
            out.update(status=self.status, body=self.body)
        elif self.kind == "latency":
            out["latency"] = self.latency
        elif self.kind == "truncate":
            out["truncate_at"] = self.truncate_at
        return out


class Faults:
    """The fault rules of one controller (``controller.faults``)."""

    def __init__(self, controller) -> None:
        self._controller = controller
        self._rules: List[Fault] = []
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    # -- request faults ---------------------------------------------------------------------
    def add(self, kind: str, **kw: Any) -> Fault:
        fault = Fault(kind, **kw)
        with self._lock:
            fault.id = next(self._ids)
            self._rules.append(fault)
        return fault

    def error(self, ret_code: int = C.FAIL_UNKNOWN_ERROR, message: str = "Fault injected by fakestor.", *,
              cause: Optional[str] = None, status: Optional[int] = None, report: bool = True, **match: Any) -> Fault:
        """Matching calls answer one ApiCallRc error entry (HTTP status from the code unless given)."""
        return self.add("error", ret_code=ret_code, message=message, cause=cause, status=status, report=report,
                        **match)

    def http_status(self, status: int, body: Optional[str] = None, **match: Any) -> Fault:
        """Matching calls answer ``status`` with ``body`` (text), or with an ApiCallRc error when no body."""
        return self.add("status", status=status, body=body, **match)

    def latency(self, seconds: float, **match: Any) -> Fault:
        """Matching calls are answered normally after ``seconds`` of wall-clock time."""
        return self.add("latency", latency=seconds, **match)

    def drop_connection(self, **match: Any) -> Fault:
        """Matching calls get no answer: the connection closes (over HTTP) or ``ConnectionDropped`` is raised."""
        return self.add("drop", **match)

    def truncate(self, at: Optional[int] = None, **match: Any) -> Fault:
        """Matching calls get only the first ``at`` bytes (default: half) of their answer."""
        return self.add("truncate", truncate_at=at, **match)

    def remove(self, fault_or_id) -> None:
        fid = fault_or_id.id if isinstance(fault_or_id, Fault) else int(fault_or_id)
        with self._lock:
            self._rules = [f for f in self._rules if f.id != fid]

    def clear(self) -> None:
        with self._lock:
            self._rules = []

    @property
    def rules(self) -> List[Fault]:
        return list(self._rules)

    def __iter__(self):
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self._rules)

    def match(self, method: str, path: str, operation: Optional[str]) -> Optional[Fault]:
        """The first fault that fires for this call (each rule counts its own hits)."""
        if not self._rules:
            return None
        with self._lock:
            for fault in self._rules:
                if fault.exhausted or not fault.matches(method, path, operation):
                    continue
                if fault.probability is not None and fault._rng.random() >= fault.probability:
                    continue
                fault.hits += 1
                return fault
            return None

    # -- state faults --------------------------------------------------------------------------
    def _node(self, cluster, name: str):
        return cluster.get_node(name)

    def _set_status(self, name: str, status: str) -> None:
        def set_status(c):
            self._node(c, name).connection_status = status
            c._nodes_changed()
        self._controller.read(set_status)

    def node_offline(self, name: str) -> None:
        """The satellite stops answering: the node shows OFFLINE until ``node_online``."""
        self._set_status(name, "OFFLINE")

    def node_online(self, name: str) -> None:
        self._set_status(name, "ONLINE")

    def evict_node(self, name: str) -> None:
        """The node stayed offline past the auto-evict timeout: flagged EVICTED (``node restore`` undoes it)."""
        def evict(c):
            node = self._node(c, name)
            node.connection_status = "OFFLINE"
            for flag in ("DELETE", "EVICTED"):
                if flag not in node.flags:
                    node.flags.append(flag)
            node.eviction_timestamp = c.clock.now_ms()
            c._nodes_changed()
            hook = getattr(c, "_on_node_evicted", None)
            if hook is not None:
                hook(node)
        self._controller.read(evict)

    def lose_node(self, name: str) -> None:
        """The node is gone for good, as after ``node lost``: it and everything on it disappear."""
        def lose(c):
            node = self._node(c, name)
            # the controller accepts `node lost` only once the satellite is gone
            node.connection_status = "OFFLINE"
            return c.lose_node(node.name)
        entries = self._controller.call(lose)
        errors = [e for e in entries if e.is_error]
        if errors:
            raise ValueError(errors[0].message)

    def fill_pool(self, node: str, pool: str, free: int = 0) -> None:
        """The storage pool has only ``free`` KiB left (default: none)."""
        def fill(c):
            sp = c.get_storage_pool(node, pool)
            if sp.total_capacity is None:
                raise ValueError("storage pool %s on %s reports no capacity" % (pool, node))
            sp.allocated_kib = max(sp.total_capacity - int(free), 0)
            c._nodes_changed()
        self._controller.read(fill)

    # -- applying a request fault --------------------------------------------------------------
    def entry_for(self, fault: Fault) -> RcEntry:
        return RcEntry(fault.ret_code & ((1 << 64) - 1), fault.message, cause=fault.cause, report=fault.report)


def wrap_wsgi(app: Callable) -> Callable:
    """WSGI middleware that carries out the faults that need the connection: drop and truncate."""

    def middleware(environ, start_response):
        result = app(environ, start_response)
        kind = environ.get(ENVIRON_KEY)
        if kind is None:
            return result
        sock = environ.get("werkzeug.socket")
        if kind == "drop":
            if hasattr(result, "close"):
                result.close()
            _shutdown(sock)
            raise ConnectionDropped("connection dropped by a fakestor fault")
        if kind == "truncate" and sock is not None:
            return _close_after(result, sock)
        return result

    return middleware


def _close_after(result: Iterable[bytes], sock) -> Iterable[bytes]:
    try:
        for chunk in result:
            yield chunk
    finally:
        if hasattr(result, "close"):
            result.close()
        # the body is shorter than its Content-Length: close so the client sees the cut
        _shutdown(sock)


def _shutdown(sock) -> None:
    if sock is None:
        return
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


def sleep(seconds: float) -> None:
    if seconds > 0:
        time.sleep(seconds)


__all__ = ["ConnectionDropped", "Fault", "Faults", "wrap_wsgi"]
