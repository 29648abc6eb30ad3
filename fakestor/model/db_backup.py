"""``POST /v1/controller/backup/db`` (``rest/v1/Controller#backupDB``, ``SQLEngine#backupDb`` of
LINSTOR 1.31.3). The fake reports an H2 database (see the controller configuration), for which
the controller writes a zip under ``/var/lib/linstor/``; the fake records the backup."""
import datetime
from dataclasses import dataclass
from typing import List, Optional

from linstor import sharedconsts as C

from ..apicallrc import RcEntry

BACKUP_DIR = "/var/lib/linstor/"


@dataclass
class DbBackup:
    path: str
    timestamp_ms: int


class DbBackupOps:
    def _init_state(self) -> None:
        self.db_backups: List[DbBackup] = []

    def backup_database(self, backup_name: Optional[str]) -> List[RcEntry]:
        if backup_name is None:
            # the controller's local time (LocalDateTime.now()); the fake's controller runs in UTC
            now = datetime.datetime.fromtimestamp(self.clock.now(), tz=datetime.timezone.utc)
            path = BACKUP_DIR + "linstordb-backup-" + now.strftime("%Y-%m-%d_%H-%M-%S") + ".zip"
        else:
            path = BACKUP_DIR + backup_name
        if not path.endswith(".zip"):
            path += ".zip"
        self.db_backups.append(DbBackup(path, self.clock.now_ms()))
        return [RcEntry(C.MASK_SUCCESS | C.MASK_CRT, "Database backup created: " + path,
                        obj_refs={"backup_location": path})]
