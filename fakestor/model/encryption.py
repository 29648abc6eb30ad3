"""The master passphrase (``CtrlConfApiCallHandler`` and ``EncryptionHelper``).

Like the controller, the fake keeps the encrypted master key, its hash and the passphrase
salt as controller properties in the ``encrypted`` namespace (so they show in
``GET /v1/controller/properties``), and the decrypted master key only in memory: a
passphrase is *set* when those properties exist and *entered* when the key is in memory.
The cipher is a stand-in (PBKDF2 key stream); what matters is that only the right
passphrase recovers the key.

Other areas ask ``crypt_ready()`` and call ``require_crypt_key(ctx)`` before creating
an ENCRYPTED volume definition, as the controller refuses one without a master key.
"""
import base64
import hashlib
from typing import List, Optional

from linstor import sharedconsts as C

from ..apicallrc import ApiError, Context, RcEntry

NAMESPACE = "encrypted"
KEY_HASH = NAMESPACE + "/masterhash"
KEY_MASTER = NAMESPACE + "/masterkey"
KEY_SALT = NAMESPACE + "/passphrasesalt"
MASTER_KEY_BYTES = 16
SALT_BYTES = 16
_PADDED = 32

STATUS_UNSET, STATUS_LOCKED, STATUS_UNLOCKED = "unset", "locked", "unlocked"

_WRONG = ("Could not restore master passphrase as the given old passphrase was incorrect", "Wrong passphrase",
          "Enter the correct passphrase")
_MISSING = ("Could not restore crypt passphrase as one of the following properties is not set:\n"
            "'masterhash', 'masterkey', 'passphrasesalt'",
            "This is either an implementation error or a user has manually removed one of the mentioned "
            "protperties.")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _keystream(passphrase: str, salt: bytes) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", passphrase.encode("utf-8"), salt, 1000, _PADDED)


def _pad(key: bytes) -> bytes:
    return bytes([len(key)]) + key + bytes(_PADDED - 1 - len(key))


def _xor(a: bytes, b: bytes) -> bytes:
    return bytes(x ^ y for x, y in zip(a, b))


def _ctx(op: int) -> Context:
    return Context(op, C.MASK_CTRL_CONF, {}, "Controller")


def _npe(op_noun: str, op: int, variable: str) -> ApiError:
    """The controller's answer to a null passphrase: an unhandled NullPointerException, reported."""
    return _ctx(op).error(
        C.FAIL_UNKNOWN_ERROR,
        "%s of controller failed due to an unhandled exception of type NullPointerException. Cannot invoke "
        "\"String.getBytes(java.nio.charset.Charset)\" because \"%s\" is null" % (op_noun, variable), report=True)


class EncryptionOps:
    def _init_state(self) -> None:
        # the decrypted master key; None until a passphrase is created or entered
        self.crypt_master_key: Optional[bytes] = None

    # -- what other areas ask -----------------------------------------------------------
    def passphrase_status(self) -> str:
        if not any(k.startswith(NAMESPACE + "/") for k in self.controller_props):
            return STATUS_UNSET
        return STATUS_UNLOCKED if self.crypt_master_key else STATUS_LOCKED

    def crypt_ready(self) -> bool:
        """Whether the master key is available (a passphrase was created or entered)."""
        return bool(self.crypt_master_key)

    def require_crypt_key(self, ctx: Context,
                          what: str = "Unable to create an encrypted volume definition without having a master key"
                          ) -> None:
        """Raises the controller's FAIL_NOT_FOUND_CRYPT_KEY refusal (in ``ctx``) unless ``crypt_ready()``."""
        if not self.crypt_ready():
            raise ctx.error(C.FAIL_NOT_FOUND_CRYPT_KEY, what, cause="The masterkey was not initialized yet",
                            correction="Create or enter the master passphrase", report=True)

    def forget_master_key(self) -> None:
        """What a controller restart does: the passphrase stays set but must be entered again."""
        self.crypt_master_key = None

    # -- the passphrase ------------------------------------------------------------------
    def _store_passphrase(self, passphrase: str, master_key: bytes) -> None:
        salt = bytes(self.ids.random().getrandbits(8) for _ in range(SALT_BYTES))
        padded = _pad(master_key)
        self.controller_props[KEY_HASH] = _b64(hashlib.sha512(padded).digest())
        self.controller_props[KEY_MASTER] = _b64(_xor(padded, _keystream(passphrase, salt)))
        self.controller_props[KEY_SALT] = _b64(salt)

    def _decrypt_master_key(self, passphrase: str, ctx: Context) -> bytes:
        props = self.controller_props
        if not all(k in props for k in (KEY_HASH, KEY_MASTER, KEY_SALT)):
            raise ApiError(ctx.entry(C.MASK_MOD | C.FAIL_MISSING_PROPS, _MISSING[0], cause=_MISSING[1]))
        padded = _xor(base64.b64decode(props[KEY_MASTER]), _keystream(passphrase, base64.b64decode(props[KEY_SALT])))
        if hashlib.sha512(padded).digest() != base64.b64decode(props[KEY_HASH]):
            raise ApiError(ctx.entry(C.MASK_MOD | C.FAIL_MISSING_PROPS, _WRONG[0], cause=_WRONG[1],
                                     correction=_WRONG[2]))
        return padded[1:1 + padded[0]]

    def set_passphrase(self, new_passphrase: Optional[str], old_passphrase: Optional[str] = None
                       ) -> List[RcEntry]:
        """POST (create, ``old_passphrase`` None) and PUT (modify) /v1/encryption/passphrase."""
        ctx = _ctx(C.MASK_CRT)
        has_namespace = self.passphrase_status() != STATUS_UNSET
        if old_passphrase is None:
            if KEY_MASTER in self.controller_props:
                raise ApiError(ctx.entry(
                    C.MASK_CRT | C.FAIL_EXISTS_CRYPT_PASSPHRASE, "Could not create new crypt passphrase as it "
                    "already exists", cause="A passphrase was already defined",
                    correction="Use the crypt-modify-passphrase command instead of crypt-create-passphrase"))
            if new_passphrase is None:
                raise _npe("Creation", C.MASK_CRT, "newPassphrase")
            master_key = bytes(self.ids.random().getrandbits(8) for _ in range(MASTER_KEY_BYTES))
            self._store_passphrase(new_passphrase, master_key)
            self.crypt_master_key = master_key
            return [ctx.entry(C.MASK_CRT | C.CREATED, "Crypt passphrase created.")]
        if not has_namespace:
            raise ApiError(ctx.entry(
                C.MASK_MOD | C.FAIL_EXISTS_CRYPT_PASSPHRASE, "Could not modify crypt passphrase as it does not "
                "exist", cause="No passphrase was defined yet",
                correction="Use the crypt-create-passphrase command instead of crypt-modify-passphrase"))
        master_key = self._decrypt_master_key(old_passphrase, ctx)
        if new_passphrase is None:
            raise _npe("Creation", C.MASK_CRT, "newPassphrase")
        # the key stays as locked or unlocked as it was: modifying does not enter the passphrase
        self._store_passphrase(new_passphrase, master_key)
        return [ctx.entry(C.MASK_MOD | C.MODIFIED, "Crypt passphrase updated")]

    def enter_passphrase(self, passphrase: Optional[str]) -> List[RcEntry]:
        """PATCH /v1/encryption/passphrase."""
        ctx = _ctx(C.MASK_MOD)
        if self.passphrase_status() == STATUS_UNSET:
            raise ApiError(ctx.entry(C.MASK_CTRL_CONF | C.FAIL_MISSING_PROPS,
                                     "encrypted namespace is empty, you need to set a passphrase first"))
        if passphrase is None:
            raise _npe("Modification", C.MASK_MOD, "passphraseUtf8")
        self.crypt_master_key = self._decrypt_master_key(passphrase, ctx)
        return [ctx.entry(C.MASK_CTRL_CONF | C.PASSPHRASE_ACCEPTED, "Passphrase accepted")]
