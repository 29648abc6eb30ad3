"""Helpers shared by the conformance checks."""
import threading
from typing import List, Optional, Tuple

from fakestor import Controller

# every HTTP status the controller answers with (ApiCallRcRestUtils.toResponse and the success
# statuses of its endpoints), plus the fake's 501 for spec operations it does not emulate
CONTROLLER_STATUSES = frozenset({200, 201, 400, 401, 403, 404, 405, 500, 501})


class InternalFailures:
    """Watches a controller for Python exceptions the app turned into "Exception thrown." reports.

    Emulated controller failures are filed without an exception object, so only real crashes
    of the fake are caught here.
    """

    def __init__(self, controller: Controller):
        self.failures: List[Tuple[str, str]] = []
        self._lock = threading.Lock()
        original = controller.file_error_report

        def filing(message: str, detail: Optional[str] = None, exc: Optional[BaseException] = None) -> str:
            if exc is not None:
                with self._lock:
                    self.failures.append((message, "%s: %s" % (type(exc).__name__, exc)))
            return original(message, detail, exc=exc)

        controller.file_error_report = filing

    def __len__(self) -> int:
        return len(self.failures)
