"""``fakestor serve --state FILE``: the controller's state kept in a file across restarts.

The file is rewritten after every request that may change the state, atomically (a new
file beside it, flushed to disk, then renamed over the old one): a crash leaves the old
state or the new one, never half of either.
"""
import os
import tempfile
import threading
from typing import Callable, Optional

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


class StateFile:
    def __init__(self, path: str):
        self.path = os.path.abspath(path)
        self._lock = threading.Lock()

    def exists(self) -> bool:
        return os.path.exists(self.path)

    def load_into(self, controller) -> None:
        with open(self.path, encoding="utf-8") as fh:
            controller.load(fh.read())

    def save(self, controller) -> None:
        text = controller.dump()
        folder = os.path.dirname(self.path) or "."
        with self._lock:
            fd, tmp = tempfile.mkstemp(prefix=".%s." % os.path.basename(self.path), dir=folder)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    fh.write(text)
                    fh.flush()
                    os.fsync(fh.fileno())
                os.chmod(tmp, 0o644)
                os.replace(tmp, self.path)
            except BaseException:
                if os.path.exists(tmp):
                    os.unlink(tmp)
                raise


def saving_app(app: Callable, controller, store: Optional[StateFile]) -> Callable:
    """WSGI middleware that saves the state after each request that may have changed it."""
    if store is None:
        return app

    def middleware(environ, start_response):
        # a Flask app has done its work when it returns: save before the answer goes out
        try:
            return app(environ, start_response)
        finally:
            if environ.get("REQUEST_METHOD") in WRITE_METHODS:
                store.save(controller)

    return middleware
