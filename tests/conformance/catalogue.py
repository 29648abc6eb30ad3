"""The REST API's operations and which of them the fake serves.

The operation list comes from the spec named by ``LINSTOR_OPENAPI_SPEC`` when it is set, else
from ``fakestor/data/rest_operations.json`` (the same list, generated from the 1.25.1 spec).
An operation counts as implemented when a route of the app's url_map answers its verb (a
route with a parameter may serve several literal spec paths, e.g. ``/v1/stats/<kind>``);
everything else gets the fake's JSON 501. Flask's automatic OPTIONS answer does not count.
"""
import json
import os
import re
from functools import lru_cache
from typing import Dict, Iterable, List, Optional, Tuple

import yaml
from flask import Flask
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

Operation = Tuple[str, str]  # (verb, spec path template)

VERBS = ("get", "put", "post", "delete", "patch", "options", "head")
_PLACEHOLDER = re.compile(r"\{[^}]+\}")
_DATA = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                     "fakestor", "data", "rest_operations.json")


@lru_cache(maxsize=None)
def spec_operations(spec_file: Optional[str] = None) -> Tuple[Operation, ...]:
    """Every (verb, path) of the spec, in the spec's order."""
    spec_file = spec_file if spec_file is not None else os.environ.get("LINSTOR_OPENAPI_SPEC")
    if not spec_file:
        with open(_DATA, encoding="utf-8") as fh:
            return tuple((op["method"], op["path"]) for op in json.load(fh)["operations"])
    with open(spec_file, encoding="utf-8") as fh:
        spec = yaml.safe_load(fh)
    return tuple((verb.upper(), path) for path, item in spec["paths"].items() for verb in VERBS if verb in item)


def _sample_path(template: str) -> str:
    # "0" passes both the string and the int converters Flask rules use
    return _PLACEHOLDER.sub("0", template)


def _shape(path: str) -> str:
    return re.sub(r"<[^>]+>", "{}", _PLACEHOLDER.sub("{}", path)).rstrip("/")


def routing(app: Flask, operations: Iterable[Operation]) -> Dict[Operation, Optional[Operation]]:
    """For each operation the spec operation whose route ``app`` sends it to: itself when served,
    another one when a route with parameters shadows its literal path (e.g. ``.../properties/info``
    taken as ``.../{node_a}/{node_b}``), None when nothing serves it (the 501)."""
    operations = list(operations)
    by_shape = {(verb, _shape(template)): (verb, template) for verb, template in operations}
    adapter = app.url_map.bind("fakestor")
    out: Dict[Operation, Optional[Operation]] = {}
    for verb, template in operations:
        try:
            rule, _ = adapter.match(_sample_path(template), method=verb, return_rule=True)
        except RequestRedirect:
            out[(verb, template)] = (verb, template)
            continue
        except HTTPException:
            out[(verb, template)] = None
            continue
        if verb == "OPTIONS" and getattr(rule, "provide_automatic_options", False):
            out[(verb, template)] = None  # Flask's own OPTIONS answer
        else:
            out[(verb, template)] = by_shape.get((verb, _shape(rule.rule)), (verb, template))
    return out


def implemented(app: Flask, operations: Iterable[Operation]) -> Dict[Operation, bool]:
    """For each operation, whether a route of ``app`` serves it as that operation."""
    return {op: target == op for op, target in routing(app, operations).items()}


def rule_operations(app: Flask, operations: Iterable[Operation]) -> Dict[Tuple[str, str], Operation]:
    """(verb, Flask rule) -> the one spec operation that rule serves, for requests whose path the
    spec's template does not match literally (e.g. a property key with slashes)."""
    adapter = app.url_map.bind("fakestor")
    found: Dict[Tuple[str, str], List[Operation]] = {}
    for verb, template in operations:
        try:
            rule, _ = adapter.match(_sample_path(template), method=verb, return_rule=True)
        except (HTTPException, RequestRedirect):
            continue
        found.setdefault((verb, rule.rule), []).append((verb, template))
    return {key: ops[0] for key, ops in found.items() if len(ops) == 1}


@lru_cache(maxsize=None)
def _matchers(operations: Tuple[Operation, ...]) -> List[Tuple["re.Pattern", str, str]]:
    out = []
    for verb, template in operations:
        regex = "^" + _PLACEHOLDER.sub("[^/]+", re.escape(template).replace(r"\{", "{").replace(r"\}", "}")) + "/?$"
        out.append((template.count("{"), verb, re.compile(regex), template))
    # literal segments win over parameters (/properties/info before /{name})
    out.sort(key=lambda m: m[0])
    return [(verb, regex, template) for _, verb, regex, template in out]


def operation_of(method: str, path: str, operations: Tuple[Operation, ...]) -> Optional[Operation]:
    """The spec operation a request addresses, or None."""
    for verb, regex, template in _matchers(operations):
        if verb == method and regex.match(path):
            return verb, template
    return None
