"""Names of a backup's objects in an S3 bucket, as ``S3MetafileNameInfo`` and
``S3VolumeNameInfo`` of LINSTOR 1.31.3 build and parse them, and the backup properties."""
import datetime as dt
import re
from dataclasses import dataclass
from typing import Optional

from linstor import sharedconsts as C

BACKUP_PREFIX = "back_"
META_SUFFIX = ".meta"
NS = C.NAMESPC_BACKUP_SHIPPING
KEY_LAST_STARTED = "BackupLastStartedOrQueued"
KEY_TARGET_REMOTE = "BackupTargetRemote"
KEY_SRC_REMOTE = "BackupSrcRemote"
KEY_START_TS = "BackupStartTimestamp"
KEY_SRC_NODE = "SrcNode"
KEY_LAST_SNAPSHOT = "BackupLastSnapshot"
KEY_LAST_FULL = "LastFullBackupTimestamp"
KEY_TO_RESTORE = "BackupToRestore"
FORCE_INITIAL_SYNC = C.NAMESPC_DRBD_OPTIONS + "/ForceInitialSyncPermanent"
PRIMARY_SET = "DrbdPrimarySetOn"
_META_RE = re.compile(r"^(?P<rsc>[a-zA-Z0-9_-]{2,48})_(?P<bid>back_[0-9]{8}_[0-9]{6})(?:|(?P<suffix>:?.+?))"
                      r"(?P<snap>\^.*)?\.meta$", re.S)
_VLM_RE = re.compile(r"^(?P<rsc>[a-zA-Z0-9_-]{2,48})(?P<rsc_suffix>\..+)?_(?P<vlm>[0-9]{5})_"
                     r"(?P<bid>back_[0-9]{8}_[0-9]{6})(?P<suffix>:?.+?)?(?P<snap>\^.*)?$", re.S)
_FORMAT = "%Y%m%d_%H%M%S"
SELECTION_PATTERN = ("'<rscName>_back_YYYYMMDD_HHMMSS[optional-backup-s3-suffix][^snapshot-name][.meta]' "
                      "(e.g. my-rsc_back_20210824_072543).")


@dataclass
class KeyInfo:
    """A parsed S3 key (``S3MetafileNameInfo`` / ``S3VolumeNameInfo``)."""

    rsc: str
    backup_id: str
    snap: str
    suffix: str = ""
    vlm_nr: Optional[int] = None
    layer_suffix: str = ""

    @property
    def time_ms(self) -> int:
        return _parse_ms(self.backup_id[len(BACKUP_PREFIX):])

    def full_id(self) -> str:
        text = "%s_%s%s" % (self.rsc, self.backup_id, self.suffix)
        return text + ("^" + self.snap if self.snap and self.snap != self.backup_id else "")

    def meta_key(self) -> str:
        return self.full_id() + META_SUFFIX

    def volume_key(self) -> str:
        text = "%s%s_%05d_%s%s" % (self.rsc, self.layer_suffix, self.vlm_nr or 0, self.backup_id, self.suffix)
        return text + ("^" + self.snap if self.snap and self.snap != self.backup_id else "")


def _parse_ms(stamp: str) -> int:
    moment = dt.datetime.strptime(stamp, _FORMAT).replace(tzinfo=dt.timezone.utc)
    return int(moment.timestamp() * 1000)


def date_text(ms: int) -> str:
    return dt.datetime.fromtimestamp(ms / 1000.0, tz=dt.timezone.utc).strftime(_FORMAT)


def _snap_of(match, backup_id: str) -> str:
    snap = match.group("snap") or ""
    snap = snap[1:] if snap.startswith("^") else snap
    return snap or backup_id


def _match(regex, key: str):
    """The key's match when its backup id carries a valid time stamp, else None."""
    match = regex.match(key)
    if match is None:
        return None
    try:
        _parse_ms(match.group("bid")[len(BACKUP_PREFIX):])
    except ValueError:
        return None
    return match


def parse_meta_key(key: str) -> Optional[KeyInfo]:
    match = _match(_META_RE, key)
    if match is None:
        return None
    return KeyInfo(match.group("rsc"), match.group("bid"), _snap_of(match, match.group("bid")),
                   match.group("suffix") or "")


def parse_volume_key(key: str) -> Optional[KeyInfo]:
    match = _match(_VLM_RE, key)
    if match is None:
        return None
    return KeyInfo(match.group("rsc"), match.group("bid"), _snap_of(match, match.group("bid")),
                   match.group("suffix") or "", int(match.group("vlm")), match.group("rsc_suffix") or "")
