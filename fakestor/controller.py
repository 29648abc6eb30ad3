"""One fake LINSTOR controller: a cluster, its lock, clock, ids, version and error reports.

Many controllers can live in one process; nothing here is global.
"""
import json
import os
import threading
import traceback
from typing import Any, Callable, Dict, List, NamedTuple, Optional, Union

from . import state as statelib
from .apicallrc import ApiError, RcEntry
from .clock import Clock, Task
from .faults import Faults
from .ids import IdGenerator
from .journal import Journal
from .model import Cluster
from .versions import DEFAULT_LINSTOR_VERSION, EmulatedVersion

STATE_FORMAT = "fakestor-state/1"


class Snapshot(NamedTuple):
    """A controller's whole state at one moment (``Controller.snapshot``); restore it any number of times."""

    cluster: dict
    ids: Any
    clock: dict
    linstor_version: str

GIT_HASH = "3734cb10b0e3a2c9bda0c1bd6b49cdde0bc0a8f5"


class Controller:
    """The fake controller. ``create_app(controller)`` serves it over the REST API.

    ``seed`` makes uuids and error-report ids reproducible; ``clock`` is virtual unless a
    real-time one is given; ``linstor_version`` picks the emulated release.
    """

    def __init__(self, linstor_version: str = DEFAULT_LINSTOR_VERSION, seed: int = 0,
                 clock: Optional[Clock] = None):
        self.lock = threading.RLock()
        # recount the kept usage index after every write and fail on a difference (slow; tests)
        self.check_indexes = os.environ.get("FAKESTOR_CHECK_INDEXES", "") not in ("", "0")
        self.seed = seed
        self.clock = clock or Clock()
        self.version = EmulatedVersion(linstor_version)
        self.clock.use_lock(self.lock)
        self.clock.runner = self._run_task
        self.ids = IdGenerator(seed, int(self.clock.now()))
        self.cluster = Cluster(self.ids, self.clock, self.version)
        self.journal = Journal()
        self.faults = Faults(self)
        # snapshots taken over the control API, by name
        self.named_snapshots: Dict[str, Snapshot] = {}
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
            if self.check_indexes:
                self.cluster.check_usage_index()
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

    # -- things that complete over time ------------------------------------------------------
    def schedule(self, callback: Callable[[Cluster], Optional[List[RcEntry]]], after_seconds: Optional[float] = None,
                 after_polls: Optional[int] = None, name: Optional[str] = None) -> Task:
        """Runs ``callback(cluster)`` atomically once ``after_seconds`` of (virtual) time passed or
        ``after_polls`` more REST requests arrived. Entries it returns get error reports as replies do.

        The callback should find its objects by name in the cluster it is given: a restore
        replaces the objects it may have seen when it was scheduled."""
        return self.clock.schedule(callback, after_seconds, after_polls, name, on_cluster=True)

    def _run_task(self, task: Task) -> None:
        # the controller whose clock runs the task: after a restore into another controller, that one
        def run(cluster: Cluster) -> List[RcEntry]:
            try:
                return task.callback(cluster) or []
            finally:
                cluster.recount()  # the callback may have changed any object directly
        self.call(run)

    # -- state control ------------------------------------------------------------------
    def snapshot(self) -> Snapshot:
        """The whole state (cluster, ids, clock and pending tasks), cheap to take and to restore."""
        with self.lock:
            # the id generator's state is immutable (the random generator's state tuple and counters)
            return Snapshot(statelib.copy_tree(self.cluster.state()), self.ids.state(),
                            self.clock.state(), self.version.linstor_version)

    def restore(self, snap: Snapshot) -> None:
        """Puts the state back as it was at ``snap``; the journal and the fault rules stay."""
        with self.lock:
            if snap.linstor_version != self.version.linstor_version:
                self._set_version(snap.linstor_version)
            self.cluster.__dict__.update(statelib.copy_tree(snap.cluster))
            self.cluster._state_replaced()
            self.ids.set_state(snap.ids)
            self.clock.set_state(snap.clock)

    def reset(self) -> None:
        """Back to a freshly started controller: no objects, no faults, an empty journal."""
        with self.lock:
            self.restore(self._pristine)
            self.journal.clear()
            self.journal.budget = None
            self.faults.clear()
            self.named_snapshots.clear()

    def _set_version(self, linstor_version: str) -> None:
        self.version = EmulatedVersion(linstor_version)
        self.cluster.version = self.version

    def dump(self) -> str:
        """The state as JSON text (pending scheduled tasks are code and are left out)."""
        with self.lock:
            clock = self.clock.state()
            data = {"format": STATE_FORMAT, "linstor_version": self.version.linstor_version, "seed": self.seed,
                    "clock": {"now": clock["now"], "polls": clock["polls"]},
                    "ids": statelib.to_json(self.ids.state()), "cluster": statelib.to_json(self.cluster.state())}
        return json.dumps(data, sort_keys=True)

    def load(self, dumped: Union[str, bytes, dict]) -> None:
        """Replaces the state with one written by ``dump``."""
        data = json.loads(dumped) if isinstance(dumped, (str, bytes)) else dumped
        if not isinstance(data, dict) or data.get("format") != STATE_FORMAT:
            raise ValueError("not a fakestor state (format %r)" % (data.get("format") if isinstance(data, dict)
                                                                   else type(data).__name__))
        cluster = statelib.from_json(data["cluster"])
        ids = statelib.from_json(data["ids"])
        with self.lock:
            self.restore(Snapshot(cluster, ids, {"now": data["clock"].get("now"), "polls": data["clock"].get("polls", 0),
                                                 "tasks": []}, data.get("linstor_version",
                                                                        self.version.linstor_version)))
