"""One fake LINSTOR controller: a cluster, its lock, clock, ids, version and error reports.

Many controllers can live in one process; nothing here is global.
"""
import threading
import traceback
from typing import Callable, List, Optional

from .apicallrc import ApiError, RcEntry
from .clock import Clock
from .ids import IdGenerator
from .model import Cluster
from .versions import DEFAULT_LINSTOR_VERSION, EmulatedVersion

GIT_HASH = "3734cb10b0e3a2c9bda0c1bd6b49cdde0bc0a8f5"


class Controller:
    """The fake controller. ``create_app(controller)`` serves it over the REST API.

    ``seed`` makes uuids and error-report ids reproducible; ``clock`` is virtual unless a
    real-time one is given; ``linstor_version`` picks the emulated release.
    """

    def __init__(self, linstor_version: str = DEFAULT_LINSTOR_VERSION, seed: int = 0,
                 clock: Optional[Clock] = None):
        self.lock = threading.RLock()
        self.seed = seed
        self.clock = clock or Clock()
        self.version = EmulatedVersion(linstor_version)
        self.ids = IdGenerator(seed, int(self.clock.now()))
        self.cluster = Cluster(self.ids, self.clock, self.version)
        self._pristine = self.snapshot()

    # -- version --------------------------------------------------------------------------
    def version_info(self) -> dict:
        return {
            "version": self.version.linstor_version,
            "git_hash": GIT_HASH,
            "build_time": "2025-07-10T09:41:12+00:00",
            "rest_api_version": self.version.rest_api_version,
        }

    # -- running operations ---------------------------------------------------------------
    def call(self, operation: Callable[[Cluster], List[RcEntry]]) -> List[RcEntry]:
        """Runs one write atomically; a refusal comes back as its entries, each error reported."""
        with self.lock:
            try:
                entries = operation(self.cluster)
            except ApiError as err:
                entries = err.entries
            self._file_reports(entries)
            return entries

    def _file_reports(self, entries: List[RcEntry]) -> None:
        for entry in entries:
            if entry.report and not entry.error_report_ids:
                detail = "\n".join(t for t in (entry.cause, entry.details) if t) or None
                entry.error_report_ids.append(self.file_error_report(entry.message, detail))

    def file_error_report(self, message: str, detail: Optional[str] = None, exc: Optional[BaseException] = None
                          ) -> str:
        """Files an error report as the controller does for failed calls; returns its id."""
        report_id = self.ids.error_report_id()
        reports = getattr(self.cluster, "error_reports", None)
        text = message if detail is None else "%s\n%s" % (message, detail)
        if exc is not None:
            text += "\n" + "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        if reports is not None and hasattr(self.cluster, "add_error_report"):
            with self.lock:
                self.cluster.add_error_report(report_id, message, text, exc)
        return report_id

    def read(self, query: Callable[[Cluster], object]):
        with self.lock:
            return query(self.cluster)

    # -- state control ------------------------------------------------------------------
    def snapshot(self):
        """The whole state, cheap to take and to restore."""
        with self.lock:
            return (self.cluster.copy_state(), self.ids.state(), self.clock.now())

    def restore(self, snap) -> None:
        state, ids_state, _ = snap
        with self.lock:
            self.cluster.set_state(state)
            self.ids.set_state(ids_state)

    def reset(self) -> None:
        """Back to a freshly started controller."""
        self.restore(self._pristine)
