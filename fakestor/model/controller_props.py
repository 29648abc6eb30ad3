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

    def modify_controller_props(self, override=None, delete=None, delete_namespaces=None) -> List[RcEntry]:
        ctx = Context(C.MASK_MOD, C.MASK_CTRL_CONF)
        new = propslib.apply_changes(self.controller_props, "controller", ctx, override, delete, delete_namespaces)
        entries = []
        for key in delete or []:
            clean = propslib.sanitize_key(key) or key
            if clean not in self.controller_props:
                entries.append(ctx.entry(C.WARN_DEL_UNSET_PROP, "Could not delete property '%s' as it is not set."
                                         % clean))
        self.controller_props = new
        entries.insert(0, ctx.entry(C.MODIFIED, "Successfully updated controller config"))
        return entries

    def delete_controller_prop(self, key: str) -> List[RcEntry]:
        return self.modify_controller_props(delete=[key])
