"""Error reports: what the controller files for failed calls, and what satellites report.

The controller keeps its reports in an H2 table (``H2ErrorReporter``) and asks every
connected satellite for theirs (``CtrlErrorListApiCallHandler``). Its quirks are kept:
the list filters ``since``/``to`` compare against the *day* of the given time (the SQL
compares with a ``java.sql.Date``), each source returns its newest ``limit`` reports, the
merged list is sorted oldest first and cut to ``limit`` again; deleting compares exact
milliseconds and never deletes without a filter.
"""
import os
import re
import traceback
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Dict, Iterable, List, Optional

from linstor import sharedconsts as C

from ..apicallrc import RcEntry
from . import names

# What LinStor.getHostName() gives the fake controller; the module names as the JSON shows them.
CONTROLLER_HOSTNAME = "linstor-controller"
CONTROLLER_MODULE = "CONTROLLER"
SATELLITE_MODULE = "SATELLITE"
# the node filter that selects the controller's own reports (LinStor.CONTROLLER_MODULE)
CONTROLLER_FILTER = "controller"
DEFAULT_LIMIT = 1000
DAY_MS = 24 * 3600 * 1000
_FIELD = "%-32s    %s\n"
_SEPARATOR = "=" * 60
_PARSE_ERROR = "Unable to parse input json."


@dataclass
class ErrorReport:
    report_id: str
    node_name: str
    module: str
    error_time: int  # epoch milliseconds
    version: str
    text: str
    exception: Optional[str] = None
    exception_message: Optional[str] = None
    peer: Optional[str] = None
    origin_file: Optional[str] = None
    origin_method: Optional[str] = None
    origin_line: Optional[int] = None

    @property
    def filename(self) -> str:
        return "ErrorReport-%s.log" % self.report_id


def _java_exception(message: str, detail: Optional[str]) -> Optional[str]:
    """The Java exception behind an emulated controller failure, when the reply names or implies one."""
    match = re.search(r"unhandled exception of type (\w+)\.", message)
    if match:
        return match.group(1)
    if message == "Exception thrown." and detail:
        if detail.startswith("Cannot invoke"):
            return "NullPointerException"
        if detail.startswith("Index "):
            return "ArrayIndexOutOfBoundsException"
    return None


def _jackson_exception(detail: str) -> str:
    """The Jackson exception class the controller's parser throws for a refused body."""
    if detail.startswith("Unrecognized field"):
        return "UnrecognizedPropertyException"
    if detail.startswith(("No content to map", "Cannot deserialize")):
        return "MismatchedInputException"
    return "JsonParseException"


def render_text(report: ErrorReport, module_title: str, body: str, build_id: str) -> str:
    """The report file in the layout of the controller's ``BaseErrorReporter``."""
    when = datetime.fromtimestamp(report.error_time / 1000, timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
    out = ["ERROR REPORT %s\n\n" % report.report_id, _SEPARATOR, "\n\n"]
    for label, value in (("Application:", "LINBIT\u00ae LINSTOR"), ("Module:", module_title),
                         ("Version:", report.version), ("Build ID:", build_id), ("Error time:", when),
                         ("Node:", report.node_name)):
        out.append(_FIELD % (label, value))
    if report.peer:
        out.append(_FIELD % ("Peer:", report.peer))
    out += ["\n", _SEPARATOR, "\n\n", "Reported error:\n===============\n\n"]
    out.append(_FIELD % ("Class name:", report.exception or "<UNKNOWN>"))
    if report.origin_file:
        out.append(_FIELD % ("Generated at:", "Method '%s', Source file '%s', Line #%s"
                             % (report.origin_method, report.origin_file, report.origin_line)))
    out.append("\n")
    if report.exception_message:
        out.append(_FIELD % ("Error message:", report.exception_message))
    out += ["\n", body.rstrip("\n"), "\n\nEND OF ERROR REPORT.\n"]
    return "".join(out)


def _day_start(ms: int) -> int:
    return ms - ms % DAY_MS


def _listed(reports: Iterable[ErrorReport], since: Optional[int], to: Optional[int], ids: Optional[set],
            limit: int) -> List[ErrorReport]:
    """One source's answer: filtered, newest first, at most ``limit`` (none for limit <= 0)."""
    if limit <= 0:
        return []
    out = [r for r in reports
           if (not ids or r.report_id in ids)
           and (since is None or r.error_time >= _day_start(since))
           and (to is None or r.error_time <= _day_start(to))]
    out.sort(key=lambda r: r.error_time, reverse=True)
    return out[:limit]


def _deleted(reports: List[ErrorReport], since, to, exception, version, ids) -> List[ErrorReport]:
    if since is None and to is None and exception is None and version is None and not ids:
        return []  # the reporter refuses an empty filter (it would delete everything)
    return [r for r in reports
            if (to is None or r.error_time < to) and (since is None or r.error_time >= since)
            and (exception is None or r.exception == exception) and (version is None or r.version == version)
            and (not ids or r.report_id in ids)]


class ErrorReportOps:
    def _init_state(self) -> None:
        # the controller's own reports by id, in filing order
        self.error_reports: Dict[str, ErrorReport] = {}
        # node key -> reports the satellite holds
        self.satellite_error_reports: Dict[str, List[ErrorReport]] = {}
        self._satellite_report_counters: Dict[str, int] = {}
        self.controller_hostname = CONTROLLER_HOSTNAME

    # -- filing -------------------------------------------------------------------------
    def add_error_report(self, report_id: str, message: str, text: str, exc: Optional[BaseException] = None,
                         peer: Optional[str] = None) -> ErrorReport:
        """Files the controller's report ``report_id`` (called by ``Controller.file_error_report``)."""
        from ..controller import GIT_HASH

        detail = text.split("\n", 1)[1] if "\n" in text else None
        report = ErrorReport(report_id, self.controller_hostname, CONTROLLER_MODULE, self.clock.now_ms(),
                             self.version.linstor_version, "", peer=peer)
        if exc is not None:
            report.exception = type(exc).__name__
            report.exception_message = str(exc) or None
            frames = traceback.extract_tb(exc.__traceback__)
            if frames:
                report.origin_file = os.path.basename(frames[-1].filename)
                report.origin_method = frames[-1].name
                report.origin_line = frames[-1].lineno
        elif message == _PARSE_ERROR and detail:
            report.exception = _jackson_exception(detail)
            report.exception_message = detail
        elif _java_exception(message, detail):
            report.exception = _java_exception(message, detail)
            report.exception_message = detail if message == "Exception thrown." else message
        else:
            # a refusal the controller reports: it throws its ApiRcException with the entry's text
            report.exception = "ApiRcException"
            report.exception_message = message
        report.text = render_text(report, "Controller", text, GIT_HASH)
        self.error_reports[report_id] = report
        return report

    def add_satellite_error_report(self, node_name: str, message: str, exception: str = "StorageException",
                                   detail: str = "") -> ErrorReport:
        """Puts a report on a satellite, as if it had failed there (tests of listing and deleting)."""
        from ..controller import GIT_HASH

        node = self.get_node(node_name)
        key = names.key(node.name)
        number = self._satellite_report_counters.get(key, 0) + 1
        self._satellite_report_counters[key] = number
        node_hash = zlib.crc32(node.name.encode("utf-8")) & 0xFFFFF
        report_id = "%08X-%05X-%06d" % (int(self.clock.now()) & 0xFFFFFFFF, node_hash, number)
        report = ErrorReport(report_id, node.name, SATELLITE_MODULE, self.clock.now_ms(),
                             self.version.linstor_version, "", exception, message)
        report.text = render_text(report, "Satellite", detail or message, GIT_HASH)
        self.satellite_error_reports.setdefault(key, []).append(report)
        return report

    # -- reading ------------------------------------------------------------------------
    def _connected_satellites(self, wanted: Optional[Iterable[str]] = None) -> List[str]:
        """Keys of the nodes that answer report requests (connected), optionally only ``wanted``."""
        keys = {names.key(n) for n in wanted} if wanted else None
        return [key for key, node in sorted(self.nodes.items())
                if node.connection_status == "ONLINE" and (keys is None or key in keys)]

    def list_error_reports(self, node: Optional[str] = None, since: Optional[int] = None,
                           to: Optional[int] = None, ids: Optional[Iterable[str]] = None,
                           limit: int = DEFAULT_LIMIT) -> List[ErrorReport]:
        """GET /v1/error-reports: ``node`` is one node name or "Controller" (any case)."""
        id_set = set(ids) if ids else None
        found: List[ErrorReport] = []
        if not node or node.lower() == CONTROLLER_FILTER:
            found += _listed(self.error_reports.values(), since, to, id_set, limit)
        for key in self._connected_satellites([node] if node else None):
            found += _listed(self.satellite_error_reports.get(key, []), since, to, id_set, limit)
        found.sort(key=lambda r: (r.error_time, r.node_name, r.filename))
        return found[:limit] if limit > 0 else found

    def count_error_reports(self) -> int:
        """What /v1/stats/error-reports counts: the controller's and every connected satellite's."""
        return len(self.error_reports) + sum(len(self.satellite_error_reports.get(k, []))
                                             for k in self._connected_satellites())

    def error_reports_since(self, since_ms: int) -> List[ErrorReport]:
        """The controller's reports filed at or after ``since_ms``, oldest first (for SOS reports)."""
        return sorted((r for r in self.error_reports.values() if r.error_time >= since_ms),
                      key=lambda r: (r.error_time, r.report_id))

    # -- deleting -----------------------------------------------------------------------
    def delete_error_reports(self, since: Optional[int] = None, to: Optional[int] = None,
                             nodes: Optional[List[str]] = None, exception: Optional[str] = None,
                             version: Optional[str] = None, ids: Optional[List[str]] = None) -> List[RcEntry]:
        """PATCH /v1/error-reports (and DELETE /v1/error-reports/{id} with ``ids=[id]``)."""
        entries: List[RcEntry] = []
        if not nodes or any(n.lower() == CONTROLLER_FILTER for n in nodes):
            gone = _deleted(list(self.error_reports.values()), since, to, exception, version, ids)
            for report in gone:
                del self.error_reports[report.report_id]
            if gone:
                entries.append(RcEntry(C.DELETED, "Deleted %d error-report(s)" % len(gone)))
        for key in self._connected_satellites(nodes or None):
            held = self.satellite_error_reports.get(key, [])
            gone = _deleted(held, since, to, exception, version, ids)
            if gone:
                node_name = self.nodes[key].name
                self.satellite_error_reports[key] = [r for r in held if r not in gone]
                entries.append(RcEntry(C.DELETED, "%s: Deleted %d error-report(s)" % (node_name, len(gone)),
                                       obj_refs={"Node": node_name}))
        if not entries:
            entries.append(RcEntry(C.INFO_NOOP, "No error reports deleted."))
        return entries
