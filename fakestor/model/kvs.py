"""Key-value stores: named property maps that clients (XCP-ng, Proxmox, ...) keep their metadata in.

The controller (``CtrlKvsApiCallHandler``) creates an instance on its first modification,
applies changes without any whitelist, and drops the instance when its last key goes. Its
replies carry bare codes (a synchronous handler: no context masks are added), except the
modify reply which spells out ``MASK_CTRL_CONF | MASK_MOD | MODIFIED`` itself.
"""
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Dict, Iterable, List, Mapping, Optional

from linstor import sharedconsts as C

from ..apicallrc import ApiError, RcEntry, bare_error
from . import names

# PropsContainer.PATH_MAX_LENGTH
MAX_PATH_LENGTH = 256
NO_CHANGES: Mapping[str, str] = MappingProxyType({})


@dataclass
class KeyValueStore:
    name: str
    uuid: str
    props: Dict[str, str] = field(default_factory=dict)


def _path_parts(raw: str) -> List[str]:
    return [part for part in raw.split("/") if part]


def stored_key(raw: str) -> Optional[str]:
    """The key a property container stores for ``raw`` (slashes collapsed, no leading one), or None
    when the container refuses it as too long."""
    if len(raw) > MAX_PATH_LENGTH:
        return None
    key = "/".join(_path_parts(raw))
    # the container measures the path with its leading separator and one more character
    if len(key) + (1 if raw.startswith("/") else 0) + 1 > MAX_PATH_LENGTH:
        return None
    return key


def _remove_namespace(props: Dict[str, str], namespace: Optional[str]) -> None:
    """Drops every key below ``namespace``; the empty namespace, "/" and null are the whole container."""
    prefix = "/".join(_path_parts(namespace or ""))
    if not prefix:
        props.clear()
        return
    for key in [k for k in props if k.startswith(prefix + "/")]:
        del props[key]


def _api_exception(details: str) -> ApiError:
    """What the controller's generic handler answers for a NullPointerException (with a report)."""
    return ApiError(RcEntry(C.FAIL_UNKNOWN_ERROR, "Exception thrown.", details=details, report=True))


def _kvs_name(name: str) -> str:
    try:
        return names.check_generic(name, 2, 48)
    except (names.InvalidName, TypeError):
        raise bare_error(C.FAIL_INVLD_KVS_NAME, "The given keyValueStore name '%s' is invalid." % name)


class KvsOps:
    def _init_state(self) -> None:
        self.key_value_stores: Dict[str, KeyValueStore] = {}

    def list_kvs(self) -> List[KeyValueStore]:
        return [kvs for _, kvs in sorted(self.key_value_stores.items())]

    def find_kvs(self, name: str) -> Optional[KeyValueStore]:
        """The instance named ``name`` (any case), or None; the name is not validated (as GET does)."""
        return self.key_value_stores.get(names.key(name))

    def modify_kvs(self, name: str, override: Optional[Mapping[str, Optional[str]]] = NO_CHANGES,
                   delete: Optional[Iterable[str]] = (), delete_namespaces: Optional[Iterable[str]] = ()
                   ) -> List[RcEntry]:
        """PUT /v1/key-value-store/{name}. ``None`` for a list means the client sent JSON null."""
        # the REST layer copies both lists into sets before it looks at anything else
        if delete is None or delete_namespaces is None:
            raise _api_exception('Cannot invoke "java.util.Collection.toArray()" because "c" is null')
        _kvs_name(name)
        existing = self.find_kvs(name)
        if override is None:
            raise _api_exception('Cannot invoke "java.util.Map.entrySet()" because "overrideProps" is null')
        props = dict(existing.props) if existing else {}
        for raw, value in override.items():
            if value is None:
                raise bare_error(C.FAIL_INVLD_PROP, "Invalid value.",
                                 cause="The value 'null' is invalid for key '%s'." % raw)
            key = stored_key(raw)
            if key is None:
                raise bare_error(C.FAIL_INVLD_PROP, "Invalid key.", cause="The key '%s' is invalid." % raw)
            props[key] = value
        for raw in delete:
            key = stored_key(raw) if isinstance(raw, str) else None
            if key is not None:
                props.pop(key, None)
        for namespace in delete_namespaces:
            _remove_namespace(props, namespace)

        if not props:
            self.key_value_stores.pop(names.key(name), None)
        elif existing is not None:
            existing.props = props
        else:
            self.key_value_stores[names.key(name)] = KeyValueStore(name, self.ids.uuid(), props)
        return [RcEntry(C.MASK_CTRL_CONF | C.MASK_MOD | C.MODIFIED, "Successfully updated properties")]

    def delete_kvs(self, name: str) -> List[RcEntry]:
        _kvs_name(name)
        kvs = self.find_kvs(name)
        if kvs is None:
            return [RcEntry(C.WARN_NOT_FOUND, "Deletion of kvs '%s' had no effect." % name,
                            cause="Kvs '%s' does not exist." % name)]
        del self.key_value_stores[names.key(name)]
        return [RcEntry(C.DELETED, "Kvs '%s' deleted." % kvs.name,
                        details="Kvs '%s' UUID was: %s" % (kvs.name, kvs.uuid))]

