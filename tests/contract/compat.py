"""Running the unmodified python-linstor from PyPI (1.7.1, and the newer 1.29.1) against the fake.

Each version lives in its own virtual environment (created once, cached under
``.venv-compat/py-linstor-VERSION/`` at the project root) and runs in a separate process, so nothing of this
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
PY_LINSTOR_VERSION = "1.7.1"  # the version this project's client is drop-in compatible with
NEWER_VERSION = "1.29.1"  # a current release, checked against the same scenarios where it still can
VERSIONS = (PY_LINSTOR_VERSION, NEWER_VERSION)
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


def venv_dir(version: str = PY_LINSTOR_VERSION) -> str:
    """Where the environment of one python-linstor version lives."""
    if version == PY_LINSTOR_VERSION:
        return VENV_DIR  # looked up at call time, so it can be pointed elsewhere
    return os.path.join(ROOT, ".venv-compat", "py-linstor-%s" % version)


def _stamp(version: str) -> str:
    return _STAMP if version == PY_LINSTOR_VERSION else os.path.join(venv_dir(version), ".installed")


def venv_python(version: str = PY_LINSTOR_VERSION) -> str:
    return os.path.join(venv_dir(version), "bin", "python")


def ensure_venv(timeout: float = 600, version: str = PY_LINSTOR_VERSION) -> str:
    """Creates the cached environment of ``version`` if needed (call under a file lock); returns
    its python."""
    if os.path.exists(_stamp(version)):
        return venv_python(version)
    target = venv_dir(version)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    # a bare environment, filled by this interpreter's pip (much faster than bootstrapping pip into it)
    steps = [[sys.executable, "-m", "venv", "--clear", "--without-pip", target],
             [sys.executable, "-m", "pip", "--python", venv_python(version), "install", "-q",
              "--disable-pip-version-check", "python-linstor==%s" % version]]
    for cmd in steps:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        if proc.returncode != 0:
            raise CompatSetupError("%s failed (%d):\n%s\n%s" % (" ".join(cmd), proc.returncode, proc.stdout,
                                                              proc.stderr))
    with open(_stamp(version), "w") as fh:
        fh.write(version + "\n")
    return venv_python(version)


def selected_versions() -> list:
    """The versions the contract tests run: ``FAKESTOR_COMPAT_VERSIONS`` (comma separated), by
    default all of ``VERSIONS``."""
    raw = os.environ.get("FAKESTOR_COMPAT_VERSIONS", "")
    chosen = [v.strip() for v in raw.split(",") if v.strip()] or list(VERSIONS)
    unknown = [v for v in chosen if v not in VERSIONS]
    if unknown:
        raise ValueError("FAKESTOR_COMPAT_VERSIONS: unknown python-linstor version(s) %s; known: %s"
                         % (", ".join(unknown), ", ".join(VERSIONS)))
    return chosen


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


def newer_only():
    """The mark of scenarios only python-linstor 1.29.1 can run: skipped when it is not selected."""
    import pytest

    return pytest.mark.skipif(NEWER_VERSION not in selected_versions(),
                              reason="python-linstor %s not selected (FAKESTOR_COMPAT_VERSIONS)" % NEWER_VERSION)
