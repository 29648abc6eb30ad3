"""Removing what a test created on a real controller (contract mode).

Each successful create the test's client sent maps to the call that deletes the object;
they run newest first, so children go before their parents. Controller properties the test
changed get their old values back.
"""
import json
import re
from typing import Any, Callable, List, Optional, Tuple
from urllib.parse import quote

from .transport import Sent

# (method, path regex, function(match, body) -> delete path or None)
_Rule = Tuple[str, "re.Pattern[str]", Callable[[Any, Any], Optional[str]]]


def _field(body: Any, *keys: str) -> Optional[str]:
    for key in keys:
        if not isinstance(body, dict):
            return None
        body = body.get(key)
    return body if isinstance(body, str) and body else None


def _q(name: str) -> str:
    return quote(name, safe="")


_RULES: List[_Rule] = [
    ("POST", re.compile(r"/v1/nodes/?"), lambda m, b: _field(b, "name") and "/v1/nodes/" + _q(_field(b, "name"))),
    ("POST", re.compile(r"/v1/nodes/([^/]+)/net-interfaces/?"),
     lambda m, b: _field(b, "name") and "/v1/nodes/%s/net-interfaces/%s" % (m.group(1), _q(_field(b, "name")))),
    ("POST", re.compile(r"/v1/nodes/([^/]+)/storage-pools/?"),
     lambda m, b: _field(b, "storage_pool_name") and "/v1/nodes/%s/storage-pools/%s" % (
         m.group(1), _q(_field(b, "storage_pool_name")))),
    ("POST", re.compile(r"/v1/storage-pool-definitions/?"),
     lambda m, b: _field(b, "storage_pool_name") and "/v1/storage-pool-definitions/" + _q(
         _field(b, "storage_pool_name"))),
    ("POST", re.compile(r"/v1/resource-groups/?"),
     lambda m, b: _field(b, "name") and "/v1/resource-groups/" + _q(_field(b, "name"))),
    ("POST", re.compile(r"/v1/resource-groups/[^/]+/spawn/?"),
     lambda m, b: _field(b, "resource_definition_name") and "/v1/resource-definitions/" + _q(
         _field(b, "resource_definition_name"))),
    ("POST", re.compile(r"/v1/resource-definitions/?"),
     lambda m, b: _field(b, "resource_definition", "name") and "/v1/resource-definitions/" + _q(
         _field(b, "resource_definition", "name"))),
    ("POST", re.compile(r"/v1/resource-definitions/[^/]+/clone/?"),
     lambda m, b: _field(b, "name") and "/v1/resource-definitions/" + _q(_field(b, "name"))),
    ("POST", re.compile(r"/v1/resource-definitions/[^/]+/snapshot-restore-resource/[^/]+/?"),
     lambda m, b: _field(b, "to_resource") and "/v1/resource-definitions/" + _q(_field(b, "to_resource"))),
    ("POST", re.compile(r"/v1/resource-definitions/([^/]+)/snapshots/?"),
     lambda m, b: _field(b, "name") and "/v1/resource-definitions/%s/snapshots/%s" % (m.group(1),
                                                                                      _q(_field(b, "name")))),
    ("PUT", re.compile(r"/v1/key-value-store/([^/]+)/?"), lambda m, b: "/v1/key-value-store/" + m.group(1)),
]


def deletions(sent: List[Sent]) -> List[str]:
    """The DELETE paths undoing the successful creates in ``sent``, newest first, each once."""
    out: List[str] = []
    deleted = {s.path.rstrip("/") for s in sent if s.method == "DELETE" and s.status < 300}
    for call in reversed(sent):
        if call.status >= 300:
            continue
        for method, regex, target in _RULES:
            match = regex.fullmatch(call.path) if call.method == method else None
            if match is None:
                continue
            path = target(match, call.body)
            if path and path not in out and path not in deleted:
                out.append(path)
            break
    return out


def touches_controller_props(sent: List[Sent]) -> bool:
    return any(s.path.startswith("/v1/controller/properties") and s.method != "GET" for s in sent)


def controller_props(transport) -> dict:
    reply = transport.request("GET", "/v1/controller/properties")
    data = json.loads(reply.body.decode("utf-8")) if reply.status == 200 else {}
    return data if isinstance(data, dict) else {}


def restore_controller_props(transport, before: dict) -> None:
    """Sets the controller properties back to ``before``."""
    now = controller_props(transport)
    override = {k: v for k, v in before.items() if now.get(k) != v}
    delete = [k for k in now if k not in before]
    if override or delete:
        transport.request("POST", "/v1/controller/properties", {"override_props": override, "delete_props": delete})


def remove_created(transport, sent: List[Sent]) -> List[str]:
    """Deletes what ``sent`` created; returns the paths whose delete failed."""
    failed = []
    for path in deletions(sent):
        try:
            reply = transport.request("DELETE", path)
        except Exception:  # a cleanup failure must not hide the test's own result
            failed.append(path)
            continue
        if reply.status >= 300 and reply.status != 404:
            failed.append(path)
    return failed


def pool_definitions(transport) -> List[str]:
    reply = transport.request("GET", "/v1/storage-pool-definitions")
    data = json.loads(reply.body.decode("utf-8")) if reply.status == 200 else []
    return [d.get("storage_pool_name") for d in data if isinstance(d, dict)]


def remove_new_pool_definitions(transport, before: List[str], sent: List[Sent]) -> List[str]:
    """Storage pool definitions that appeared with the test's pools (creating a pool creates one)."""
    created_pools = {s.body.get("storage_pool_name", "").upper() for s in sent
                     if s.method == "POST" and s.path.endswith("/storage-pools") and s.status < 300
                     and isinstance(s.body, dict)}
    if not created_pools:
        return []
    known = {n.upper() for n in before if n}
    failed = []
    for name in pool_definitions(transport):
        if name and name.upper() in created_pools and name.upper() not in known:
            reply = transport.request("DELETE", "/v1/storage-pool-definitions/" + _q(name))
            if reply.status >= 300 and reply.status != 404:
                failed.append("/v1/storage-pool-definitions/" + name)
    return failed
