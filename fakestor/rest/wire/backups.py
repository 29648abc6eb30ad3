"""Wire JSON of a remote's backup list (``BackupList``)."""
from typing import Dict, List


def backup_list(backups: Dict[str, dict], other_files: List[str]) -> dict:
    out = {}
    if backups:  # an empty map is left out (NON_EMPTY); "other" is always there
        out["linstor"] = backups
    out["other"] = {"files": other_files} if other_files else {}
    return out
