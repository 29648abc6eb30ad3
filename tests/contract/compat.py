"""Running the unmodified python-linstor 1.7.1 from PyPI against the fake.

The library lives in its own virtual environment (created once, cached under
``.venv-compat/`` at the project root) and runs in a separate process, so nothing of this
project's ``linstor`` package can leak into it. A scenario is a small script; it finds a
connected ``lin = linstor.Linstor(URL)`` and reports its findings with ``emit(obj)``, which
prints them as JSON for the test to parse::

    out = run_compat(python, "emit([n.name for n in lin.node_list_raise().nodes])", server_url)
"""
import json
import os
import subprocess
import sys
import tempfile
import textwrap
from typing import Any

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PY_LINSTOR_VERSION = "1.7.1"
VENV_DIR = os.path.join(ROOT, ".venv-compat", "py-linstor-%s" % PY_LINSTOR_VERSION)
_STAMP = os.path.join(VENV_DIR, ".installed")
_MARK = "@@fakestor-compat@@ "

_PRELUDE = '''\
import json, os, sys
import linstor

URL = os.environ["FAKESTOR_URL"]
# the library under test must be the one from PyPI, not this project's
assert os.path.realpath(linstor.__file__).startswith(os.path.realpath(sys.prefix)), linstor.__file__


def emit(obj):
    print(%r + json.dumps(obj, sort_keys=True))


lin = linstor.Linstor(URL)
lin.connect()
''' % _MARK


class CompatSetupError(RuntimeError):
    """The python-linstor environment could not be made (e.g. PyPI unreachable)."""


def venv_python() -> str:
    return os.path.join(VENV_DIR, "bin", "python")


def ensure_venv(timeout: float = 600) -> str:
    """Creates the cached environment if needed (call under a file lock); returns its python."""
    if os.path.exists(_STAMP):
        return venv_python()
    os.makedirs(os.path.dirname(VENV_DIR), exist_ok=True)
    # a bare environment, filled by this interpreter's pip (much faster than bootstrapping pip into it)
    steps = [[sys.executable, "-m", "venv", "--clear", "--without-pip", VENV_DIR],
             [sys.executable, "-m", "pip", "--python", venv_python(), "install", "-q",
              "--disable-pip-version-check", "python-linstor==%s" % PY_LINSTOR_VERSION]]
    for cmd in steps:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        if proc.returncode != 0:
            raise CompatSetupError("%s failed (%d):\n%s\n%s" % (" ".join(cmd), proc.returncode, proc.stdout,
                                                              proc.stderr))
    with open(_STAMP, "w") as fh:
        fh.write(PY_LINSTOR_VERSION + "\n")
    return venv_python()


def run_compat(python: str, script: str, url: str, timeout: float = 60) -> Any:
    """Runs ``script`` (after the prelude) with python-linstor against ``url``; returns what it
    ``emit``-ed (one value, or a list when it emitted several times)."""
    with tempfile.TemporaryDirectory(prefix="fakestor-compat-") as tmp:
        path = os.path.join(tmp, "scenario.py")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(_PRELUDE + "\n" + textwrap.dedent(script))
        env = {"FAKESTOR_URL": url, "PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8"}
        # -I: isolated, so neither the project directory nor PYTHONPATH can shadow the library
        proc = subprocess.run([python, "-I", path], capture_output=True, text=True, timeout=timeout, cwd=tmp,
                              env=env)
    if proc.returncode != 0:
        raise AssertionError("scenario failed (%d):\n%s\n%s" % (proc.returncode, proc.stdout, proc.stderr))
    values = [json.loads(line[len(_MARK):]) for line in proc.stdout.splitlines() if line.startswith(_MARK)]
    if not values:
        raise AssertionError("scenario emitted nothing:\n%s\n%s" % (proc.stdout, proc.stderr))
    return values[0] if len(values) == 1 else values
