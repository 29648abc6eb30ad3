"""The request journal: every call the REST API answered, for tests to assert on.

Paths are matched by patterns in which ``*`` stands for one path segment and ``**`` for
any number of them (``/v1/nodes/*/storage-pools``), or by a compiled regular expression.
"""
import json
import re
import threading
from dataclasses import dataclass, field
from typing import Any, Dict, Iterator, List, Optional, Pattern, Union

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
PathPattern = Union[str, Pattern[str], None]


class JournalAssertionError(AssertionError):
    pass


def _parse(raw: bytes) -> Any:
    if not raw:
        return None
    try:
        return json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return raw.decode("utf-8", "replace")


@dataclass
class Call:
    """One request and its answer. ``body`` and ``reply`` are parsed JSON (text when not JSON)."""

    seq: int
    method: str
    path: str
    query: Dict[str, List[str]]
    raw_body: bytes
    status: Optional[int]  # None when a fault dropped the connection
    raw_reply: bytes
    operation: Optional[str] = None  # the REST endpoint, e.g. "nodes.create_node"
    time: float = 0.0
    fault: Optional[str] = None  # the kind of fault injected into this call, if any
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def body(self) -> Any:
        if "body" not in self._cache:
            self._cache["body"] = _parse(self.raw_body)
        return self._cache["body"]

    @property
    def reply(self) -> Any:
        if "reply" not in self._cache:
            self._cache["reply"] = _parse(self.raw_reply)
        return self._cache["reply"]

    @property
    def is_write(self) -> bool:
        return self.method in WRITE_METHODS

    def to_json(self) -> dict:
        return {"seq": self.seq, "method": self.method, "path": self.path, "query": self.query, "body": self.body,
                "status": self.status, "reply": self.reply, "operation": self.operation, "time": self.time,
                "fault": self.fault}

    def __str__(self) -> str:
        qs = "&".join("%s=%s" % (k, v) for k, vals in self.query.items() for v in vals)
        return "%s %s%s -> %s" % (self.method, self.path, "?" + qs if qs else "", self.status)


def compile_path(pattern: PathPattern) -> Optional[Pattern[str]]:
    """A regex for a path pattern (``*`` one segment, ``**`` any), or the given regex."""
    if pattern is None or isinstance(pattern, re.Pattern):
        return pattern
    out = []
    for part in re.split(r"(\*\*|\*)", pattern):
        if part == "**":
            out.append(".*")
        elif part == "*":
            out.append("[^/]*")
        else:
            out.append(re.escape(part))
    return re.compile("".join(out) + "/?")


def matches(method: Optional[str], path: PathPattern, call_method: str, call_path: str) -> bool:
    if method not in (None, "*") and method.upper() != call_method:
        return False
    regex = compile_path(path)
    return regex is None or regex.fullmatch(call_path) is not None


class Journal:
    """Every call answered by one controller's REST API, oldest first."""

    def __init__(self) -> None:
        self._calls: List[Call] = []
        self._lock = threading.Lock()
        self._seq = 0
        self.budget: Optional[int] = None

    def record(self, method: str, path: str, query: Dict[str, List[str]], raw_body: bytes, status: Optional[int],
               raw_reply: bytes, operation: Optional[str] = None, time: float = 0.0,
               fault: Optional[str] = None) -> Call:
        with self._lock:
            self._seq += 1
            call = Call(self._seq, method, path, query, raw_body, status, raw_reply, operation, time, fault)
            self._calls.append(call)
            return call

    def clear(self) -> None:
        with self._lock:
            self._calls = []

    def truncate(self, keep: int) -> None:
        """Forgets every call after the first ``keep``."""
        with self._lock:
            del self._calls[keep:]

    @property
    def calls(self) -> List[Call]:
        return list(self._calls)

    def __len__(self) -> int:
        return len(self._calls)

    def __iter__(self) -> Iterator[Call]:
        return iter(list(self._calls))

    @property
    def last(self) -> Optional[Call]:
        return self._calls[-1] if self._calls else None

    def filter(self, method: Optional[str] = None, path: PathPattern = None, status: Optional[int] = None,
               operation: Optional[str] = None) -> List[Call]:
        """The calls matching a method (or ``*``), a path pattern, a status and an operation."""
        regex = compile_path(path)
        out = []
        for call in self._calls:
            if method not in (None, "*") and method.upper() != call.method:
                continue
            if regex is not None and regex.fullmatch(call.path) is None:
                continue
            if status is not None and call.status != status:
                continue
            if operation is not None and call.operation != operation:
                continue
            out.append(call)
        return out

    def count(self, method: Optional[str] = None, path: PathPattern = None, **kw: Any) -> int:
        return len(self.filter(method, path, **kw))

    @property
    def writes(self) -> List[Call]:
        return [c for c in self._calls if c.is_write]

    # -- assertions -----------------------------------------------------------------------------
    def assert_called(self, method: Optional[str], path: PathPattern, times: Optional[int] = None,
                      **kw: Any) -> List[Call]:
        """Fails unless a matching call was made (exactly ``times`` times, when given)."""
        found = self.filter(method, path, **kw)
        if (times is None and not found) or (times is not None and len(found) != times):
            expected = "at least once" if times is None else "%d time(s)" % times
            raise JournalAssertionError("expected %s %s %s, got %d; calls made:\n%s" % (
                method or "*", _show(path), expected, len(found), self._listing()))
        return found

    def assert_not_called(self, method: Optional[str], path: PathPattern, **kw: Any) -> None:
        found = self.filter(method, path, **kw)
        if found:
            raise JournalAssertionError("expected no %s %s, got:\n%s" % (
                method or "*", _show(path), "\n".join("  %s" % c for c in found)))

    def assert_no_writes(self) -> None:
        """Fails if any POST, PUT, PATCH or DELETE reached the controller."""
        writes = self.writes
        if writes:
            raise JournalAssertionError("expected no writes, got:\n%s" % "\n".join("  %s" % c for c in writes))

    def over_budget(self) -> bool:
        return self.budget is not None and len(self._calls) > self.budget

    def assert_within_budget(self, budget: Optional[int] = None) -> None:
        """Fails if more calls were made than ``budget`` (or the journal's ``budget``)."""
        limit = self.budget if budget is None else budget
        if limit is not None and len(self._calls) > limit:
            raise JournalAssertionError("%d calls made, budget %d:\n%s" % (len(self._calls), limit,
                                                                         self._listing()))

    def _listing(self) -> str:
        return "\n".join("  %s" % c for c in self._calls) or "  (none)"


def _show(path: PathPattern) -> str:
    return path.pattern if isinstance(path, re.Pattern) else str(path or "*")
