"""Opt-in pytest plugin: records which test sends which REST operation to the fake.

Enable with ``-p tests.conformance.recording`` and ``FAKESTOR_RECORD_DIR=<dir>``. Every request
any fakestor app finishes (in process or through a server thread) is recorded as
(method, spec path template, test nodeid); each process (each xdist worker) writes
``<dir>/<worker>.jsonl`` at the end of the session. ``scripts/gen_coverage.py`` merges them
into COVERAGE.md.
"""
import json
import os
import threading
from typing import Optional, Set, Tuple

import pytest
from flask import Flask, request, request_finished

from .catalogue import operation_of, rule_operations, spec_operations

ENV = "FAKESTOR_RECORD_DIR"
# the schema fuzzer sends every operation; listing it everywhere would hide the tests that mean it
UNRECORDED = ("tests/conformance/test_schema_fuzz.py",)

_current: Optional[str] = None
_seen: Set[Tuple[str, str, str, int]] = set()
_lock = threading.Lock()


def _finished(sender: Flask, response, **extra) -> None:
    if sender.name != "fakestor" or _current is None:
        return
    op = operation_of(request.method, request.path, spec_operations())
    if op is None and request.url_rule is not None:
        by_rule = sender.config.get("FAKESTOR_RULE_OPERATIONS")
        if by_rule is None:
            by_rule = sender.config["FAKESTOR_RULE_OPERATIONS"] = rule_operations(sender, spec_operations())
        op = by_rule.get((request.method, request.url_rule.rule))
    if op is None:
        return
    with _lock:
        _seen.add((op[0], op[1], _current, response.status_code))


def pytest_configure(config) -> None:
    if os.environ.get(ENV):
        request_finished.connect(_finished)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    global _current
    _current = None if item.nodeid.startswith(UNRECORDED) else item.nodeid
    yield
    _current = None


def pytest_sessionfinish(session) -> None:
    out_dir = os.environ.get(ENV)
    if not out_dir:
        return
    os.makedirs(out_dir, exist_ok=True)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    with open(os.path.join(out_dir, worker + ".jsonl"), "w", encoding="utf-8") as fh:
        for method, template, nodeid, status in sorted(_seen):
            fh.write(json.dumps({"method": method, "path": template, "test": nodeid, "status": status}) + "\n")
