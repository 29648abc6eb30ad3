"""The LINSTOR version a fake controller emulates, and the features that depend on it.

Every behaviour that differs between LINSTOR releases asks ``EmulatedVersion.has(feature)``;
version numbers are compared nowhere else.
"""
from typing import Dict, Optional, Tuple

DEFAULT_LINSTOR_VERSION = "1.31.3"

# LINSTOR release (major.minor, or full version) -> REST API version it reports
_REST_API_VERSIONS = [
    ("1.12.0", "1.7.0"),
    ("1.20.0", "1.15.0"),
    ("1.26.0", "1.21.0"),
    ("1.27.0", "1.22.0"),
    ("1.28.0", "1.23.0"),
    ("1.29.0", "1.23.0"),
    ("1.30.0", "1.24.0"),
    ("1.31.0", "1.25.0"),
    ("1.31.1", "1.25.1"),
    ("1.32.0", "1.26.0"),
    ("1.33.0", "1.27.0"),
    ("1.34.0", "1.28.0"),
]

# feature -> (first LINSTOR version that has it, first version that no longer has it)
FEATURES: Dict[str, Tuple[Optional[str], Optional[str]]] = {
    "exos": ("1.12.0", "1.32.0"),
    "exos_deprecation_warning": ("1.26.0", "1.32.0"),
    "snapshot_shipping": ("1.7.0", "1.32.0"),
    "rollback_any_snapshot": ("1.31.0", None),
    # resource / volume-definition delete no longer refused for dependent snapshots (ZFS, SPDK)
    "delete_despite_snapshots": ("1.31.0", None),
    # Snapshot JSON: snapshot_definition_props / resource_definition_props beside the deprecated props
    "snapshot_split_props": ("1.30.0", None),
    "passphrase_status": ("1.31.0", None),
    "node_platform": ("1.34.0", None),
}


def parse(version: str) -> Tuple[int, ...]:
    return tuple(int("".join(ch for ch in part if ch.isdigit()) or 0) for part in version.split("."))


class EmulatedVersion:
    def __init__(self, linstor_version: str = DEFAULT_LINSTOR_VERSION):
        self.linstor_version = linstor_version
        self._parsed = parse(linstor_version)
        rest = "1.0.4"
        for release, api in _REST_API_VERSIONS:
            if self._parsed >= parse(release):
                rest = api
        self.rest_api_version = rest

    def has(self, feature: str) -> bool:
        since, until = FEATURES[feature]
        if since is not None and self._parsed < parse(since):
            return False
        return until is None or self._parsed < parse(until)

    def at_least(self, linstor_version: str) -> bool:
        return self._parsed >= parse(linstor_version)

    def __repr__(self):
        return "EmulatedVersion(%r)" % self.linstor_version
