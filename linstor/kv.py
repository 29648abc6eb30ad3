"""High-level object: ``KV``, a dict backed by a LINSTOR key-value store instance.

Keys live in UNIX-like namespaces: with namespace ``/foo/bar/`` the key ``k`` is stored as
``/foo/bar/k``. Iteration, ``keys()``, ``items()`` and ``values()`` see the current namespace
only (with the namespace stripped); ``len()`` and ``repr()`` see the whole store. Reads are
served from a local cache filled when the object is made; every write goes to the controller
first and reaches the cache only when the controller accepted it.
"""
import contextlib
from typing import Iterator, Tuple

from .errors import LinstorError
from .linstorapi import MultiLinstor
from .resource import _Client

_MISSING = object()


def _trim(path: str) -> str:
    """``path`` without surrounding whitespace and slashes, however they interleave (" / a / " -> "a")."""
    previous = None
    while path != previous:
        previous, path = path, path.strip().strip("/")
    return path


def _normalize_namespace(namespace) -> str:
    inner = _trim(namespace or "")
    return "/" + inner + "/" if inner else "/"


class KV(dict):
    """A namespaced dict of str to str, stored in the LINSTOR key-value store ``name``."""

    def __init__(self, name, namespace="/", cached=True, uri="linstor://localhost", rw_to_linstor=True,
                 existing_client=None):
        if not cached:
            raise ValueError("KV supports only cached=True: reads are served from a local copy")
        super().__init__()
        self._name = name
        self._rw_to_linstor = rw_to_linstor
        self._existing_client = existing_client
        self.client = _Client(uri)
        self._namespace = "/"
        if rw_to_linstor:
            with self._connection() as lin:
                stored = lin.keyvaluestore_list(name).properties
            # the controller stores keys without their leading "/"
            for key, value in stored.items():
                dict.__setitem__(self, "/" + key.lstrip("/"), value)
        self.namespace = namespace

    def _connection(self):
        """A context manager giving a connected client.

        A given client that is already connected is used as it is: entering and leaving it
        would disconnect it, and the caller still needs it afterwards."""
        client = self._existing_client
        if client is not None and client.connected:
            return contextlib.nullcontext(client)
        if client is not None:
            return client
        return MultiLinstor(self.client.uri_list, self.client.timeout, self.client.keep_alive)

    # -- namespace -----------------------------------------------------------------------
    @property
    def namespace(self) -> str:
        return self._namespace

    @namespace.setter
    def namespace(self, namespace):
        self._namespace = _normalize_namespace(namespace)

    def _full_key(self, key) -> str:
        if not isinstance(key, str):
            raise KeyError("KV keys must be of type str, not {}: {!r}".format(type(key).__name__, key))
        return self._namespace + _trim(key)

    def _own_keys(self) -> list:
        """Full keys in the current namespace, in insertion order."""
        return [k for k in dict.keys(self) if k.startswith(self._namespace)]

    # -- writes (forwarded to the controller) --------------------------------------------
    def _write(self, property_dict=None, delete_props=None, what=""):
        if not self._rw_to_linstor:
            return
        with self._connection() as lin:
            replies = lin.keyvaluestore_modify(self._name, property_dict=property_dict, delete_props=delete_props)
        if not replies or not replies[0].is_success():
            raise LinstorError("Could not {}: {}".format(what, replies[0] if replies else "no reply"))

    @staticmethod
    def _check_value(key, value):
        if not isinstance(value, str):
            raise ValueError("KV values must be of type str, not {} (key {!r})".format(type(value).__name__, key))

    def __setitem__(self, key, value):
        full_key = self._full_key(key)
        self._check_value(key, value)
        self._write(property_dict={full_key: value}, what="set kv({}:{})".format(key, value))
        dict.__setitem__(self, full_key, value)

    def __delitem__(self, key):
        full_key = self._full_key(key)
        self._write(delete_props=[full_key], what="delete kv({})".format(key))
        if not dict.__contains__(self, full_key):
            raise KeyError(key)
        dict.__delitem__(self, full_key)

    def update(self, *args, **kwargs):
        """dict.update: all pairs are checked first, then written with one call."""
        pairs = dict(*args, **kwargs)
        props = {}
        for key, value in pairs.items():
            full_key = self._full_key(key)
            self._check_value(key, value)
            props[full_key] = value
        if props:
            self._write(property_dict=props, what="update kv({})".format(", ".join(pairs)))
            for full_key, value in props.items():
                dict.__setitem__(self, full_key, value)

    def clear(self):
        """Removes every key of the current namespace (other namespaces stay)."""
        own = self._own_keys()
        if own:
            self._write(delete_props=own, what="clear kv namespace {}".format(self._namespace))
        for full_key in own:
            dict.__delitem__(self, full_key)

    def pop(self, k, d=_MISSING):
        if k in self:
            value = self[k]
            del self[k]
            return value
        if d is _MISSING:
            raise KeyError(k)
        return d

    def popitem(self) -> Tuple[str, str]:
        own = self._own_keys()
        if not own:
            raise KeyError("popitem(): namespace {} of KV {} is empty".format(self._namespace, self._name))
        key = own[-1][len(self._namespace):]
        return key, self.pop(key)

    def setdefault(self, k, d=None):
        if k in self:
            return self[k]
        self[k] = d
        return d

    # -- reads (local) -------------------------------------------------------------------
    def __getitem__(self, key):
        full_key = self._full_key(key)
        if not dict.__contains__(self, full_key):
            raise KeyError(key)
        return dict.__getitem__(self, full_key)

    def __contains__(self, key) -> bool:
        return isinstance(key, str) and dict.__contains__(self, self._full_key(key))

    def get(self, k, d=None):
        return self[k] if k in self else d

    def __iter__(self) -> Iterator[str]:
        return self.keys()

    def keys(self) -> Iterator[str]:
        for full_key in self._own_keys():
            yield full_key[len(self._namespace):]

    def values(self) -> Iterator[str]:
        for full_key in self._own_keys():
            yield dict.__getitem__(self, full_key)

    def items(self) -> Iterator[Tuple[str, str]]:
        for full_key in self._own_keys():
            yield full_key[len(self._namespace):], dict.__getitem__(self, full_key)


__all__ = ["KV"]
