"""Fresh fake controllers for tests, fast: a cluster file is loaded once per process and per
emulated version, and each test gets a new controller restored from that snapshot."""
import os
import threading
from typing import Dict, Optional, Tuple

from fakestor import Controller, fixtures
from fakestor.controller import Snapshot
from fakestor.versions import DEFAULT_LINSTOR_VERSION

_cache: Dict[Tuple, Snapshot] = {}
_lock = threading.Lock()


def _key(fixture: str, linstor_version: str, seed: int) -> Tuple:
    path = os.path.abspath(fixtures.find(fixture))
    return (path, os.stat(path).st_mtime_ns, linstor_version, seed)


def fresh_controller(fixture: Optional[str] = None, linstor_version: str = DEFAULT_LINSTOR_VERSION,
                     seed: int = 0) -> Controller:
    """A new controller; with ``fixture`` (a cluster file's name or path) holding that cluster.

    ``reset()`` on the result still gives an empty controller."""
    controller = Controller(linstor_version, seed=seed)
    if fixture is None:
        return controller
    key = _key(fixture, linstor_version, seed)
    snap = _cache.get(key)
    if snap is None:
        with _lock:
            snap = _cache.get(key)
            if snap is None:
                loader = Controller(linstor_version, seed=seed)
                fixtures.load(loader, fixture)
                snap = _cache[key] = loader.snapshot()
    controller.restore(snap)
    return controller
