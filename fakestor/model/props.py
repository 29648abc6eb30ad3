"""Property containers: key paths as the controller sanitizes them, and the whitelist."""
import json
import os
import re
from functools import lru_cache
from typing import Dict, Iterable, Optional

from linstor import sharedconsts as C

from ..apicallrc import Context

MAX_KEY_LENGTH = 256

_DATA = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data", "properties.json")


def sanitize_key(raw: str) -> Optional[str]:
    """The key as stored: leading '/' stripped, empty segments collapsed; None if invalid."""
    if not isinstance(raw, str):
        return None
    parts = [p for p in raw.split("/") if p]
    if not parts:
        return None
    path = "/".join(parts)
    return path if len(path) <= MAX_KEY_LENGTH else None


@lru_cache(maxsize=None)
def _whitelist() -> Dict[str, Dict[str, dict]]:
    """object kind -> {key: rule}; empty when no whitelist ships (then every key is accepted)."""
    if not os.path.exists(_DATA):
        return {}
    with open(_DATA, encoding="utf-8") as fh:
        return json.load(fh)


def _value_ok(rule: dict, value: str) -> bool:
    kind = rule.get("type")
    if kind == "regex":
        return re.fullmatch(rule["value"], value) is not None
    if kind == "symbol":
        return value in rule.get("values", [])
    if kind == "boolean":
        return value.lower() in ("true", "false", "yes", "no")
    if kind == "boolean_true_false":
        return value.lower() in ("true", "false")
    if kind in ("range", "long", "numeric"):
        try:
            number = float(value) if "." in value else int(value)
        except ValueError:
            return False
        low, high = rule.get("min"), rule.get("max")
        return (low is None or number >= low) and (high is None or number <= high)
    return True


def check_key_value(obj_kind: Optional[str], key: str, value: Optional[str], ctx: Context) -> str:
    """Validates one property against the controller's whitelist for ``obj_kind``; returns the stored key."""
    clean = sanitize_key(key)
    if clean is None:
        raise ctx.error(C.FAIL_INVLD_PROP, "Invalid property key: %s" % key, report=True)
    if obj_kind is None or clean.startswith(C.NAMESPC_AUXILIARY + "/"):
        return clean
    rules = _whitelist().get(obj_kind)
    if not rules:
        return clean
    rule = rules.get(clean)
    if rule is None:
        rule = next((r for prefix, r in rules.items() if prefix.endswith("/") and clean.startswith(prefix)), None)
    if rule is None:
        raise ctx.error(C.FAIL_INVLD_PROP, "Invalid property key: %s" % key,
                        cause="The key '%s' is not whitelisted." % clean, report=True)
    if value is not None and not _value_ok(rule, value):
        raise ctx.error(C.FAIL_INVLD_PROP, "Invalid property(%s) value: %s" % (clean, value), report=True)
    return clean


def apply_changes(props: Dict[str, str], obj_kind: Optional[str], ctx: Context,
                  override: Optional[Dict[str, str]] = None, delete: Optional[Iterable[str]] = None,
                  delete_namespaces: Optional[Iterable[str]] = None) -> Dict[str, str]:
    """Validates every change first, then returns the new property map (``props`` is untouched)."""
    sets = {}
    for k, v in (override or {}).items():
        if not isinstance(v, str):
            raise ctx.error(C.FAIL_INVLD_PROP, "Invalid property(%s) value: %s" % (k, v), report=True)
        sets[check_key_value(obj_kind, k, v, ctx)] = v
    dels = [sanitize_key(k) or k for k in (delete or [])]
    namespaces = [(sanitize_key(ns) or ns) + "/" for ns in (delete_namespaces or [])]
    result = dict(props)
    result.update(sets)
    for k in dels:
        result.pop(k, None)
    if namespaces:
        result = {k: v for k, v in result.items() if not any(k.startswith(ns) for ns in namespaces)}
    return result


def matches_filter(props: Dict[str, str], filters: Iterable[str]) -> bool:
    """The controller's ``props=`` list filter: every ``key`` must exist, ``key=value`` must match."""
    for flt in filters:
        k, sep, v = flt.partition("=")
        k = sanitize_key(k) or k
        if k not in props or (sep and props[k] != v):
            return False
    return True
