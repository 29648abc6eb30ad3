"""Checks every response the fake sends against the OpenAPI spec it emulates.

The spec's path comes from ``LINSTOR_OPENAPI_SPEC``. ``SpecCheckingApp`` wraps the fake's
WSGI app, validates each JSON response against the schema of its operation and status,
and records violations for the test to assert on. Where the spec is known to be wrong,
``KNOWN_SPEC_ERRORS`` says so, once, with the reason.
"""
import json
import os
import re
from functools import lru_cache
from typing import List, Optional, Tuple

import yaml
from openapi_schema_validator import OAS30Validator

# (method, spec path, status) -> why the real controller's answer differs from the spec.
# None for status means every status of that operation.
KNOWN_SPEC_ERRORS = {
    ("GET", "/v1/vendor/seagate/exos/defaults", None):
        "the controller returns one ExosDefaults object; the spec says an array",
    ("GET", "/v1/encryption/passphrase", None):
        "the controller returns one PassphraseStatus object (Encryption.java); the spec says an array",
    ("POST", "/v1/encryption/passphrase", 201):
        "the controller answers a created passphrase with 201 (Encryption.java, CREATED); the spec lists 200",
    ("GET", "/v1/resource-definitions/{resource}/resource-connections/{node_a}/{node_b}", 200):
        "the controller returns one ResourceConnection object (ResourceConnections.java); the spec says an array",
    ("GET", "/v1/physical-storage/{node}", 500):
        "an offline satellite fails the call with PeerNotConnectedException, which has no message; the "
        "ApiCallRc JSON class is NON_EMPTY, so the entry has no 'message' the spec requires",
    ("GET", "/v1/remotes", 200):
        "the controller returns one RemoteList object (Remotes.java#getRemotes); the spec says an array",
}
# path the controller serves -> the spec's (wrong) path of the same operation, whose schemas its
# answers are checked against (the fake serves the controller's path: fakestor/rest/spec.py MISPLACED)
SPEC_PATH_ERRORS = {
    "/v1/vendor/seagate/exos/enclosures/{enclosure}/events": "/v1/vendor/seagate/exos/{enclosure}/events",
    # ^ v1.31.3's Exos.java serves @Path("enclosures/{enclosure}/events") (python-linstor calls that path);
    #   the spec's /v1/vendor/seagate/exos/{enclosure}/events is answered 404 by the controller
}
# shared responses the spec describes wrongly -> the schema the controller's answers follow
SCHEMA_REPLACEMENTS = {
    # "OperationFailed" says one ApiCallRc object; the controller always sends the ApiCallRc list
    # (ApiCallRcRestUtils.toResponse), for every error status.
    "#/components/responses/OperationFailed": {"$ref": "#/components/schemas/ApiCallRcList"},
}
# (regex on "<message> at <json path>") -> why the spec is wrong there (controller-semantics.md §7).
KNOWN_FIELD_ERRORS = [
    (re.compile(r"^'(CONTROLLER|SATELLITE|COMBINED|AUXILIARY|REMOTE_SPDK|EBS_TARGET)' is not one of .* at "
                r"(\d+/)?type$"),
     "Node.type: the controller sends the enum name in upper case; the spec's enum is 'Satellite', ..."),
    (re.compile(r"is valid under each of .* at (\d+/)?(volumes/\d+/)?layer_data_list/\d+/data$"),
     "VolumeLayer.data: a oneOf of object schemas without required members, so every layer's data matches "
     "all of them; the controller's data is that of the layer named by 'type'"),
    (re.compile(r"^'(remote_name|schedule_name)' is a required property at data/\d+$"),
     "ScheduledRscs: rows of resources without a schedule ('none set', 'undeployed') carry no remote and no "
     "schedule (CtrlScheduleApiCallHandler#listUnscheduledRsc passes null; JsonGenTypes omit null)"),
    (re.compile(r"^'pref_node' is a required property at (node_queues/\d+/queue|snap_queues)/\d+$"),
     "SnapQueue.pref_node: a queued backup created without a preferred node has none "
     "(QueueItem.preferredNode is null; JsonGenTypes omit null)"),
]


class SpecViolation(AssertionError):
    pass


@lru_cache(maxsize=None)
def load_spec(path: str) -> dict:
    with open(path, encoding="utf-8") as fh:
        # libyaml's loader when PyYAML has it: the spec is large and every xdist worker reads it
        return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def spec_path() -> Optional[str]:
    return os.environ.get("LINSTOR_OPENAPI_SPEC")


@lru_cache(maxsize=None)
def _routes(path: str) -> List[Tuple[re.Pattern, str]]:
    spec = load_spec(path)
    routes = []
    served = [(t, t) for t in spec["paths"] if t not in SPEC_PATH_ERRORS.values()]
    served += [(real, documented) for real, documented in SPEC_PATH_ERRORS.items() if documented in spec["paths"]]
    for served_path, template in served:
        regex = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(served_path)) + "/?$"
        # literal segments win over parameters: sort by number of parameters
        routes.append((served_path.count("{"), re.compile(regex), template))
    routes.sort(key=lambda r: (r[0], -len(r[2])))
    return [(regex, template) for _, regex, template in routes]


def find_operation(path: str, method: str, url_path: str):
    spec = load_spec(path)
    for regex, template in _routes(path):
        if regex.match(url_path):
            op = spec["paths"][template].get(method.lower())
            if op is not None:
                return template, op
    return None, None


def _resolve(spec: dict, node: dict) -> dict:
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        assert ref.startswith("#/")
        target = spec
        for part in ref[2:].split("/"):
            target = target[part]
        node = target
    return node


@lru_cache(maxsize=None)
def _validator(path: str, template: str, method: str, status: str):
    spec = load_spec(path)
    op = spec["paths"][template][method.lower()]
    response = op.get("responses", {}).get(status) or op.get("responses", {}).get("default")
    if response is None:
        return None
    if response.get("$ref") in SCHEMA_REPLACEMENTS:
        return OAS30Validator(dict(SCHEMA_REPLACEMENTS[response["$ref"]], components=spec["components"]))
    response = _resolve(spec, response)
    schema = response.get("content", {}).get("application/json", {}).get("schema")
    if schema is None:
        return None
    return OAS30Validator(dict(schema, components=spec["components"]))


def _binary(path: str, template: str, method: str, status: str) -> bool:
    """Whether the spec declares this answer as something other than JSON."""
    op = load_spec(path)["paths"][template][method.lower()]
    content = _resolve(load_spec(path), op.get("responses", {}).get(status) or {}).get("content") or {}
    return bool(content) and "application/json" not in content


def check(method: str, url_path: str, status: int, body: bytes, spec_file: Optional[str] = None) -> List[str]:
    """Problems with one response; empty when it conforms (or the operation is not in the spec)."""
    spec_file = spec_file or spec_path()
    if not spec_file:
        return []
    template, op = find_operation(spec_file, method, url_path)
    if template is None:
        return []
    if (method, template, None) in KNOWN_SPEC_ERRORS or (method, template, status) in KNOWN_SPEC_ERRORS:
        return []
    if _binary(spec_file, template, method, str(status)):  # e.g. the SOS report's tar.gz
        return []
    try:
        data = json.loads(body.decode("utf-8")) if body else None
    except ValueError as err:
        return ["%s %s -> %d: body is not JSON (%s)" % (method, url_path, status, err)]
    validator = _validator(spec_file, template, method, str(status))
    if validator is None:
        return []
    problems = []
    for err in validator.iter_errors(data):
        where = "%s at %s" % (err.message, "/".join(map(str, err.absolute_path)))
        if not any(regex.search(where) for regex, _ in KNOWN_FIELD_ERRORS):
            problems.append("%s %s -> %d: %s" % (method, url_path, status, where))
    return problems[:5]


def _request_path(environ) -> str:
    """The path as sent, still encoded: a parameter holding an encoded slash (an external
    file's name) is one path segment there, as the spec's templates expect."""
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if raw and raw.startswith("/"):
        return raw.split("?", 1)[0]
    return environ["PATH_INFO"]


class SpecCheckingApp:
    """WSGI middleware: passes requests through, validates responses, keeps the violations."""

    def __init__(self, app, spec_file: Optional[str] = None):
        self.app = app
        self.spec_file = spec_file or spec_path()
        self.violations: List[str] = []
        self.checked = 0

    def __call__(self, environ, start_response):
        captured = {}

        def capture(status, headers, exc_info=None):
            captured["status"] = int(status.split()[0])
            return start_response(status, headers, exc_info)

        result = self.app(environ, capture)
        body = b"".join(result)
        if hasattr(result, "close"):
            result.close()
        if self.spec_file:
            self.checked += 1
            self.violations += check(environ["REQUEST_METHOD"], _request_path(environ), captured["status"], body,
                                     self.spec_file)
        return [body]

    def assert_clean(self):
        if self.violations:
            raise SpecViolation("responses that do not match the OpenAPI spec:\n" + "\n".join(self.violations))
