"""Controller properties (the controller's own configuration)."""
from typing import Dict, List

from linstor import sharedconsts as C

from ..apicallrc import Context, RcEntry
from . import props as propslib

# What a controller with a fresh database shows (v1.31.3: after its migrations ran).
DEFAULT_CONTROLLER_PROPS = {
    "DrbdOptions/Resource/on-no-quorum": "io-error",
    "DrbdOptions/auto-add-quorum-tiebreaker": "True",
    "DrbdOptions/auto-diskful-allow-cleanup": "True",
    "DrbdOptions/AutoEvictAllowEviction": "True",
    "DrbdOptions/auto-resync-after-disable": "true",
    "DrbdOptions/auto-verify-algo-allowed-list": "crct10dif;crc32c;sha384;sha512;sha256;sha1;md5;windrbd",
    "TcpPortAutoRange": "7000-7999",
    "MinorNrAutoRange": "1000-49999",
}


class ControllerPropsOps:
    def _init_state(self) -> None:
        self.controller_props: Dict[str, str] = dict(DEFAULT_CONTROLLER_PROPS)
        self.controller_props["Cluster/LocalID"] = self.ids.uuid()

    def _ctrl_ignored(self) -> List[str]:
        ignored = [C.NAMESPC_EBS + "/" + C.NAMESPC_TAGS + "/"]
        if self.version.has("exos"):
            # EXOS enclosures live under StorDriver/Exos/<enclosure>/... on the controller
            ignored.insert(0, C.NAMESPC_EXOS + "/")
        return ignored

    def modify_controller_props(self, override=None, delete=None, delete_namespaces=None) -> List[RcEntry]:
        """``CtrlConfApiCallHandler#modifyCtrl``: one entry per key set or deleted."""
        ctx = Context(C.MASK_MOD, C.MASK_CTRL_CONF, {}, "Controller")
        ignored = self._ctrl_ignored()
        entries = []
        new = dict(self.controller_props)
        for key, value in (override or {}).items():
            allowed = propslib.is_ignored(key, ignored)
            rule = None if allowed else propslib.find_rule("controller", key, self.version)
            if not allowed and rule is None:
                raise ctx.error(C.FAIL_INVLD_PROP | C.MASK_CRT, "The key '%s' is not whitelisted" % key)
            if not isinstance(value, str) or (rule is not None and not propslib.value_ok(rule, value)):
                raise ctx.error(C.FAIL_INVLD_PROP | C.MASK_CRT, "The value '%s' is not valid." % value,
                                details=propslib.rule_error_message(rule) if rule else None)
            clean = propslib.sanitize_key(key)
            if clean is None:
                raise ctx.error(C.FAIL_INVLD_PROP, "Invalid key: %s" % key, report=True)
            normalized = propslib.normalize(rule, value)
            new[clean] = normalized
            entries.append(RcEntry(C.MASK_CTRL_CONF | C.MASK_CRT | C.CREATED,
                                   "Successfully set property '%s' to value '%s'" % (key, normalized)))
        for key in delete or []:
            entries.append(self._delete_prop(new, key, ctx, ignored))
        for namespace in delete_namespaces or []:
            prefix = (propslib.sanitize_key(namespace) or namespace) + "/"
            for key in [k for k in new if k.startswith(prefix)]:
                self._delete_prop(new, key, ctx, ignored)
        self.controller_props = new
        return entries

    def _delete_prop(self, props: Dict[str, str], key: str, ctx: Context, ignored) -> RcEntry:
        if not propslib.is_ignored(key, ignored) and propslib.find_rule("controller", key, self.version) is None:
            raise ctx.error(C.FAIL_INVLD_PROP | C.MASK_DEL, "The key '%s' is not whitelisted" % key, report=True)
        props.pop(propslib.sanitize_key(key) or key, None)
        return RcEntry(C.MASK_CTRL_CONF | C.MASK_DEL | C.DELETED, "Successfully deleted property '%s'" % key)

    def delete_controller_prop(self, key: str) -> List[RcEntry]:
        """``DELETE /v1/controller/properties/{key}``: the path is split at its last '/' into
        namespace and key, then joined again."""
        namespace, _, name = key.rpartition("/")
        full = "%s/%s" % (namespace, name) if namespace.strip() else name
        return self.modify_controller_props(delete=[full])

    def controller_properties_info(self) -> Dict[str, dict]:
        return propslib.properties_info("controller", self.version)
