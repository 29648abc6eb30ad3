"""``PUT .../volume-definitions/{nr}/encryption-passphrase``
(``CtrlVlmDfnModifyApiCallHandler#modifyVlmDfnPassphrase`` of LINSTOR 1.31.3).

The controller encrypts the new passphrase with the master key and keeps it, base64, in the
volume definition's ``Encryption/Passphrase`` property; LUKS volumes of the definition's
resources take it as their new password. Without a LUKS volume nothing changes on the
satellites and the reply says so. The fake seals the passphrase with a key derived from the
master key (a stand-in for the controller's cipher: the value is opaque either way).
"""
import base64
import hashlib
from typing import List, Optional

from linstor import sharedconsts as C

from ..apicallrc import ApiError, RcEntry
from .resource_definitions import vd_ctx, vd_inline

PASSPHRASE_KEY = C.NAMESPC_ENCRYPTION + "/" + C.KEY_PASSPHRASE


class VolumePassphraseOps:
    def modify_volume_definition_passphrase(self, rsc_name: str, vlm_nr: int, passphrase: Optional[str]
                                            ) -> List[RcEntry]:
        ctx = vd_ctx(C.MASK_MOD, rsc_name, vlm_nr)
        self.resource_definition_synced(rsc_name)  # parses the name as the controller does first
        vd = self.get_volume_definition(rsc_name, vlm_nr, ctx)
        if passphrase is None:
            raise ApiError(ctx.entry(
                C.FAIL_UNKNOWN_ERROR,
                "Modification of %s failed due to an unhandled exception of type NullPointerException. Cannot "
                "invoke \"String.getBytes()\" because \"plainKey\" is null" % vd_inline(rsc_name, vlm_nr),
                details=ctx.description, report=True))
        self.require_crypt_key(ctx, "Unable to create encrypt key without having a master key")
        rd = self.get_resource_definition(rsc_name)
        vd.props[PASSPHRASE_KEY] = self._seal(passphrase)
        self._touch_rd(rd.name)
        entries = []
        if not any("LUKS" in rsc.layer_stack for rsc in rd.resources.values()):
            entries.append(ctx.entry(C.WARN_NOT_FOUND, "No resources have any luks layer, no passphrase has been "
                                                       "changed."))
        desc = vd_inline(rd.name, vlm_nr)
        desc = desc[0].upper() + desc[1:]
        entries.append(ctx.entry(C.MODIFIED, "%s modified." % desc, details="%s UUID is: %s" % (desc, vd.uuid),
                                 refs={C.KEY_UUID: vd.uuid}))
        return entries

    def _seal(self, passphrase: str) -> str:
        salt = bytes(self.ids.random().getrandbits(8) for _ in range(16))
        key = hashlib.pbkdf2_hmac("sha256", self.crypt_master_key, salt, 1000, 32)
        data = passphrase.encode("utf-8")
        stream = hashlib.pbkdf2_hmac("sha256", key, b"stream", 1, max(32, len(data)))
        return base64.b64encode(salt + bytes(a ^ b for a, b in zip(data, stream))).decode("ascii")
