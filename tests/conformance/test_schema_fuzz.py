"""Schema fuzzing: requests generated from the OpenAPI spec (valid and invalid ones) against the
fake in process. Every reply must have a status the controller uses, match the spec (with the
project's list of known spec errors) and never come from a Python exception in the fake.

Bounded for CI: a fixed number of derandomized examples per operation (FAKESTOR_FUZZ_EXAMPLES,
default 8) and one for operations the fake answers with 501.
"""
import os
import re
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from fakestor import Controller, create_app, fixtures
from tests.support.openapi import check, spec_path

from .catalogue import implemented, spec_operations
from .support import CONTROLLER_STATUSES, InternalFailures

schemathesis = pytest.importorskip("schemathesis")

SPEC = spec_path()
if not SPEC:
    pytest.skip("LINSTOR_OPENAPI_SPEC is not set", allow_module_level=True)

EXAMPLES = int(os.environ.get("FAKESTOR_FUZZ_EXAMPLES", "8"))
# (method, spec path) -> (the Python exception it still raises, the request that does it). Only
# that exception is tolerated there; any other internal failure still fails the test.
KNOWN_CRASHES = {}
# (method, spec path) -> (regex on a spec violation tolerated there, the request that causes it)
KNOWN_REPLY_PROBLEMS = {
    ("POST", "/v1/storage-pool-definitions"):
        (re.compile(r"at 0/obj_refs/StorPoolDfn$"),
         "POST {} (no storage_pool_name): the refusal names the pool 'None' and sends obj_refs StorPoolDfn: null"),
}

# path parameters that name objects of the demo cluster, so that some requests reach past the lookup
DEMO_NAMES = {"node": "alpha", "fromnode": "alpha", "node_a": "alpha", "node_b": "bravo",
              "storagepool": "thin", "netinterface": "default"}

OPERATIONS = spec_operations(SPEC)
SCHEMA = schemathesis.openapi.from_path(SPEC)


@pytest.fixture(scope="module")
def target():
    """One demo controller per worker, put back to its first state before every request."""
    ctl = Controller()
    fixtures.load(ctl, "demo")
    failures = InternalFailures(ctl)
    app = create_app(ctl)
    return ctl, ctl.snapshot(), app, failures, implemented(app, OPERATIONS)


def _strategy(operation, served: bool):
    positive = operation.as_strategy()
    if not served:
        return positive
    strategies = [positive]
    demo = {p: DEMO_NAMES[p] for p in re.findall(r"\{([^}]+)\}", operation.path) if p in DEMO_NAMES}
    if demo:
        strategies.append(operation.as_strategy(path_parameters=demo))
    try:
        strategies.append(operation.as_strategy(generation_mode=schemathesis.GenerationMode.NEGATIVE))
    except Exception:  # operations without any parameter have no invalid variant
        pass
    return st.one_of(strategies)


@pytest.mark.parametrize("method,path", OPERATIONS, ids=["%s %s" % op for op in OPERATIONS])
def test_operation(target, method, path):
    ctl, pristine, app, failures, served = target
    operation = SCHEMA[path][method]
    replies = []

    @given(case=_strategy(operation, served[(method, path)]))
    @settings(max_examples=EXAMPLES if served[(method, path)] else 1, derandomize=True, database=None,
              deadline=None, phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    def run(case):
        ctl.restore(pristine)
        crashed = len(failures)
        response = case.call(app=app)
        request = response.request
        url_path = urlsplit(request.url).path
        where = "%s %s (query %s, body %r)" % (request.method, url_path, case.query, request.body and
                                                request.body[:200])
        replies.append(response.status_code)
        known = KNOWN_CRASHES.get((method, path), ("",))[0]
        for _, failure in failures.failures[crashed:]:
            assert known and failure == known, "internal failure %s for %s" % (failure, where)
        assert response.status_code in CONTROLLER_STATUSES, "status %d for %s" % (response.status_code, where)
        if response.status_code >= 400:
            assert (response.headers.get("content-type") or [""])[0].startswith("application/json"), where
        problems = check(method, url_path, response.status_code, response.content, SPEC)
        tolerated = KNOWN_REPLY_PROBLEMS.get((method, path), (None,))[0]
        problems = [p for p in problems if tolerated is None or not tolerated.search(p)]
        assert not problems, "%s\n%s" % (where, "\n".join(problems))

    run()
    assert replies
