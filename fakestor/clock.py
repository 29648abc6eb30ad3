"""The controller's clock. Virtual by default: time moves only when a test advances it.

It also keeps a small scheduler so that things can complete over time: a task runs once
its seconds have passed (on ``advance`` or, with a real-time clock, at the next request) or
once the REST API has handled a number of requests ("polls") since it was scheduled.
"""
import itertools
import threading
import time
from datetime import datetime, timezone
from typing import Callable, List, Optional

# 2025-07-10T12:00:00Z, the day LINSTOR 1.31.3 was tagged
DEFAULT_START = 1752148800.0
_INF = float("inf")


class Task:
    """A scheduled callback; ``cancel()`` drops it."""

    __slots__ = ("callback", "due_time", "due_poll", "seq", "name", "on_cluster", "_clock")

    def __init__(self, clock: "Clock", callback: Callable, due_time: float, due_poll: float, seq: int,
                 name: Optional[str], on_cluster: bool = False):
        self._clock = clock
        self.callback = callback
        # True: ``callback(cluster)`` runs through the runner of the clock that runs it (the controller)
        self.on_cluster = on_cluster
        self.due_time = due_time
        self.due_poll = due_poll
        self.seq = seq
        self.name = name

    def cancel(self) -> None:
        self._clock.cancel(self)

    def __repr__(self) -> str:
        return "Task(%r, due_time=%s, due_poll=%s)" % (self.name or self.callback, self.due_time, self.due_poll)


class Clock:
    def __init__(self, start: float = DEFAULT_START, real: bool = False):
        self._real = real
        self._offset = 0.0 if real else start
        self._listeners = []
        self._tasks: List[Task] = []
        self._polls = 0
        self._seq = itertools.count()
        # the controller shares its lock, so tasks run as atomically as requests
        self._lock = threading.RLock()
        # runs tasks that take the cluster; the controller sets it
        self.runner: Optional[Callable[[Task], None]] = None

    @classmethod
    def real_time(cls) -> "Clock":
        return cls(real=True)

    @property
    def is_real(self) -> bool:
        return self._real

    def use_lock(self, lock) -> None:
        self._lock = lock

    def now(self) -> float:
        """Seconds since the epoch."""
        return time.time() + self._offset if self._real else self._offset

    def now_ms(self) -> int:
        return int(self.now() * 1000)

    def isoformat(self) -> str:
        return datetime.fromtimestamp(self.now(), timezone.utc).isoformat()

    @property
    def polls(self) -> int:
        """How many requests the REST API has handled (each one is a poll)."""
        return self._polls

    def advance(self, seconds: float) -> None:
        """Moves time forward, running each task that falls due at its own due time."""
        if seconds < 0:
            raise ValueError("time only moves forward")
        with self._lock:
            target = self.now() + seconds
            while True:
                task = self._next_due(target, self._polls)
                if task is None:
                    break
                if not self._real and task.due_time > self._offset:
                    self._offset = task.due_time
                self._run(task)
            if self._real:
                self._offset += seconds
            else:
                self._offset = max(self._offset, target)
            for listener in list(self._listeners):
                listener(self)

    def on_advance(self, listener) -> None:
        """Calls ``listener(clock)`` after every advance (things that complete over time)."""
        self._listeners.append(listener)

    # -- scheduler ---------------------------------------------------------------------------
    def schedule(self, callback: Callable, after_seconds: Optional[float] = None,
                 after_polls: Optional[int] = None, name: Optional[str] = None, on_cluster: bool = False) -> Task:
        """Runs ``callback()`` once ``after_seconds`` have passed or ``after_polls`` more requests
        arrived, whichever comes first; with neither, at the next poll."""
        if after_seconds is None and after_polls is None:
            after_polls = 1
        if (after_seconds is not None and after_seconds < 0) or (after_polls is not None and after_polls < 0):
            raise ValueError("a task cannot be due in the past")
        with self._lock:
            task = Task(self, callback,
                        self.now() + after_seconds if after_seconds is not None else _INF,
                        self._polls + after_polls if after_polls is not None else _INF,
                        next(self._seq), name, on_cluster)
            self._tasks.append(task)
            return task

    def cancel(self, task: Task) -> None:
        with self._lock:
            if task in self._tasks:
                self._tasks.remove(task)

    @property
    def pending(self) -> List[Task]:
        """Tasks not run yet, in the order they will run."""
        return sorted(self._tasks, key=lambda t: (min(t.due_time, _INF), t.due_poll, t.seq))

    def poll(self) -> None:
        """Counts one request and runs the tasks now due; the REST API calls it before each request."""
        with self._lock:
            self._polls += 1
            self.run_due()

    def run_due(self) -> None:
        with self._lock:
            now = self.now()
            while True:
                task = self._next_due(now, self._polls)
                if task is None:
                    return
                self._run(task)

    def _next_due(self, now: float, polls: int) -> Optional[Task]:
        due = [t for t in self._tasks if t.due_time <= now or t.due_poll <= polls]
        if not due:
            return None
        return min(due, key=lambda t: (t.due_time, t.seq))

    def _run(self, task: Task) -> None:
        self._tasks.remove(task)
        if task.on_cluster and self.runner is not None:
            self.runner(task)
        else:
            task.callback()

    # -- state (snapshot / restore) -----------------------------------------------------------
    def state(self) -> dict:
        return {"now": None if self._real else self._offset, "polls": self._polls, "tasks": list(self._tasks)}

    def set_state(self, state: dict) -> None:
        with self._lock:
            if not self._real and state.get("now") is not None:
                self._offset = state["now"]
            self._polls = state.get("polls", 0)
            self._tasks = list(state.get("tasks", ()))
