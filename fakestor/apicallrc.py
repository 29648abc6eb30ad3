"""ApiCallRc entries, the controller's answer to every write, and the HTTP status of a reply.

A ret_code is ``type mask | operation mask | object mask | code`` (linstor-common's
consts). The controller adds its context's operation and object masks to each entry
that has no bits in those fields yet, and sends the result as a signed 64-bit number.
"""
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional

from linstor import sharedconsts as C

_BIT63 = 1 << 63
_BIT64 = 1 << 64


def signed64(value: int) -> int:
    """The Java ``long`` form of an unsigned 64-bit mask."""
    value &= _BIT64 - 1
    return value - _BIT64 if value & _BIT63 else value


def unsigned64(value: int) -> int:
    return value & (_BIT64 - 1)


def code_of(ret_code: int) -> int:
    return ret_code & C.MASK_BITS_CODE


def is_error(ret_code: int) -> bool:
    return unsigned64(ret_code) & C.MASK_ERROR == C.MASK_ERROR


@dataclass
class RcEntry:
    ret_code: int  # unsigned
    message: str
    cause: Optional[str] = None
    details: Optional[str] = None
    correction: Optional[str] = None
    obj_refs: Dict[str, str] = field(default_factory=dict)
    error_report_ids: List[str] = field(default_factory=list)
    # not sent: whether the controller files an error report for this entry
    report: bool = False

    @property
    def is_error(self) -> bool:
        return is_error(self.ret_code)

    def to_json(self) -> dict:
        out = {"ret_code": signed64(self.ret_code), "message": self.message}
        if self.cause:
            out["cause"] = self.cause
        if self.details:
            out["details"] = self.details
        if self.correction:
            out["correction"] = self.correction
        if self.error_report_ids:
            out["error_report_ids"] = list(self.error_report_ids)
        if self.obj_refs:
            out["obj_refs"] = dict(self.obj_refs)
        return out


class ApiError(Exception):
    """A refused request: the entries to send (the first one is an error)."""

    def __init__(self, entries):
        self.entries = list(entries) if isinstance(entries, (list, tuple)) else [entries]
        super().__init__(self.entries[0].message)


class Context:
    """The operation and object a reply is about, as the controller's ResponseContext."""

    __slots__ = ("op", "obj", "refs", "description")

    def __init__(self, op: int, obj: int, refs: Optional[Dict[str, str]] = None, description: str = ""):
        self.op = op
        self.obj = obj
        self.refs = refs or {}
        self.description = description

    def _compose(self, code: int) -> int:
        code = unsigned64(code)
        if code & C.MASK_BITS_OP == 0:
            code |= self.op
        if code & C.MASK_BITS_OBJ == 0:
            code |= self.obj
        return code

    def entry(self, code: int, message: str, cause=None, details=None, correction=None, refs=None,
              report=False) -> RcEntry:
        obj_refs = dict(self.refs)
        if refs:
            obj_refs.update(refs)
        return RcEntry(self._compose(code), message, cause, details, correction, obj_refs, [], report)

    def error(self, code: int, message: str, cause=None, details=None, correction=None, refs=None,
              report=False) -> ApiError:
        """An ApiError to raise; ``details`` gets the object description as the controller adds it."""
        if self.description:
            details = "%s\n%s" % (details, self.description) if details else self.description
        return ApiError(self.entry(code, message, cause, details, correction, refs, report))


def bare_error(code: int, message: str, **kw) -> ApiError:
    """An error entry without operation or object masks (lookups, parse errors, unknown paths)."""
    return ApiError(RcEntry(unsigned64(code), message, **kw))


def http_status(entries: Iterable[RcEntry], success: int = 200) -> int:
    """The status the controller gives a reply: decided by its first error entry."""
    for entry in entries:
        if not entry.is_error:
            continue
        code = code_of(entry.ret_code)
        if entry.ret_code == unsigned64(C.FAIL_SIGN_IN_MISSING_CREDENTIALS):
            return 401
        if entry.ret_code == unsigned64(C.FAIL_SIGN_IN) or 400 <= code <= 499:
            return 403
        if 300 <= code <= 399:
            return 404
        return 500
    return success
