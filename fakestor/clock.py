"""The controller's clock. Virtual by default: time moves only when a test advances it."""
import time
from datetime import datetime, timezone

# 2025-07-10T12:00:00Z, the day LINSTOR 1.31.3 was tagged
DEFAULT_START = 1752148800.0


class Clock:
    def __init__(self, start: float = DEFAULT_START, real: bool = False):
        self._real = real
        self._offset = 0.0 if real else start
        self._listeners = []

    @classmethod
    def real_time(cls) -> "Clock":
        return cls(real=True)

    def now(self) -> float:
        """Seconds since the epoch."""
        return time.time() + self._offset if self._real else self._offset

    def now_ms(self) -> int:
        return int(self.now() * 1000)

    def isoformat(self) -> str:
        return datetime.fromtimestamp(self.now(), timezone.utc).isoformat()

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("time only moves forward")
        self._offset += seconds
        for listener in list(self._listeners):
            listener(self)

    def on_advance(self, listener) -> None:
        """Calls ``listener(clock)`` after every advance (things that complete over time)."""
        self._listeners.append(listener)
