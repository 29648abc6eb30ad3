"""Wire JSON of error reports (``ErrorReports.java``; null fields dropped)."""
from ...model.reports import ErrorReport


def error_report(report: ErrorReport, with_content: bool) -> dict:
    out = {
        "node_name": report.node_name,
        "error_time": report.error_time,
        "filename": report.filename,
        "module": report.module,
        "version": report.version,
        "peer": report.peer,
        "exception": report.exception,
        "exception_message": report.exception_message,
        "origin_file": report.origin_file,
        "origin_method": report.origin_method,
        # read back from an INT column: 0 when the report has no origin
        "origin_line": report.origin_line or 0,
        "text": report.text if with_content else None,
    }
    return {k: v for k, v in out.items() if v not in (None, "")}
