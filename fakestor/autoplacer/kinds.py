"""Which provider kinds may hold replicas of one resource (``DeviceProviderKind#isMixingAllowed``)."""
from typing import Optional, Tuple

_MIXING = {
    "FILE": {"FILE", "FILE_THIN", "DISKLESS"},
    "FILE_THIN": {"FILE", "FILE_THIN", "DISKLESS"},
    "LVM": {"LVM", "EXOS", "STORAGE_SPACES", "STORAGE_SPACES_THIN"},
    "LVM_THIN": {"LVM_THIN", "STORAGE_SPACES", "STORAGE_SPACES_THIN"},
    "SPDK": {"SPDK"},
    "REMOTE_SPDK": {"REMOTE_SPDK"},
    "ZFS": {"ZFS", "ZFS_THIN", "STORAGE_SPACES", "STORAGE_SPACES_THIN"},
    "ZFS_THIN": {"ZFS", "ZFS_THIN", "STORAGE_SPACES", "STORAGE_SPACES_THIN"},
    "EXOS": {"EXOS", "LVM"},
    "EBS_INIT": {"EBS_INIT", "EBS_TARGET", "DISKLESS"},
    "EBS_TARGET": {"EBS_INIT", "EBS_TARGET", "DISKLESS"},
    "STORAGE_SPACES": {"STORAGE_SPACES", "STORAGE_SPACES_THIN", "LVM", "LVM_THIN", "ZFS", "ZFS_THIN"},
    "STORAGE_SPACES_THIN": {"STORAGE_SPACES", "STORAGE_SPACES_THIN", "LVM", "LVM_THIN", "ZFS", "ZFS_THIN"},
}
# allowed only with mixing enabled and a recent enough DRBD on both sides
_MIXING_WITH_DRBD = {
    "LVM": {"LVM_THIN", "ZFS", "ZFS_THIN"},
    "LVM_THIN": {"LVM", "ZFS", "ZFS_THIN"},
    "ZFS": {"LVM", "LVM_THIN"},
    "ZFS_THIN": {"LVM", "LVM_THIN"},
}


def drbd_supports_mixing(version: Optional[Tuple[int, ...]]) -> bool:
    """DRBD >= 9.1.18 and < 9.2.0, or >= 9.2.7."""
    if version is None:
        return False
    v = tuple(version) + (0,) * (3 - len(version))
    return (9, 1, 18) <= v < (9, 2, 0) or v >= (9, 2, 7)


def mixing_allowed(kind1: str, drbd1, kind2: str, drbd2, allow_mixing: bool) -> bool:
    """``DeviceProviderKind.isMixingAllowed`` (not symmetric: kind1 is the candidate)."""
    if kind1 == "DISKLESS":
        return True
    if kind2 in _MIXING.get(kind1, ()):
        return True
    if allow_mixing and kind2 in _MIXING_WITH_DRBD.get(kind1, ()):
        return drbd_supports_mixing(drbd1) and drbd_supports_mixing(drbd2)
    return False
