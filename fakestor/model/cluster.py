"""The cluster: the whole state of one fake controller, and every operation on it.

Operations are grouped by area in mixin classes (``nodes.NodeOps``, ``storage.StorageOps``,
...). Each area keeps its own state, set up by its ``_init_state``. An operation checks
everything before it changes anything, so a refused request leaves the state as it was.
It returns the reply entries (``RcEntry``) or raises ``ApiError``.
"""
import copy

from .autoplace import AutoplaceOps
from .backup_delete import BackupDeleteOps
from .backup_restore import BackupRestoreOps
from .backups import BackupOps
from .clone import CloneOps
from .controller_props import ControllerPropsOps
from .db_backup import DbBackupOps
from .encryption import EncryptionOps
from .evacuate import EvacuateOps
from .exos import ExosOps
from .ext_files import ExtFileOps
from .groups import GroupOps
from .kvs import KvsOps
from .log_config import LogConfigOps
from .make_available import MakeAvailableOps
from .misc_ops import MiscOps
from .node_connections import NodeConnectionOps
from .nodes import NodeOps
from .remotes import RemoteOps
from .reports import ErrorReportOps
from .resource_connections import ResourceConnectionOps
from .resource_definitions import ResourceDefinitionOps
from .resources import ResourceOps
from .schedules import ScheduleOps
from .size_info import SizeInfoOps
from .snapshots import SnapshotOps
from .storage import StorageOps
from .usage import UsageOps
from .volume_passphrase import VolumePassphraseOps

# what the cluster keeps besides its state: services, derived indexes, open undo logs
NOT_STATE = ("ids", "clock", "version", "usage_index", "undo_logs")


# Areas whose objects live on nodes and pools come first: they extend the node and pool hooks
# (autoplace first: it fills in the group area's hooks with what resources and snapshots know;
# snapshots before resources: they also extend the resource area's hooks; resource groups before
# resource definitions: they answer the definitions' group questions).
class Cluster(DbBackupOps, LogConfigOps, VolumePassphraseOps, SizeInfoOps, MiscOps, EvacuateOps, NodeConnectionOps,
              MakeAvailableOps, AutoplaceOps, SnapshotOps, ResourceOps, ResourceConnectionOps, GroupOps,
              ResourceDefinitionOps, NodeOps, StorageOps, ControllerPropsOps, KvsOps, ExosOps, ErrorReportOps,
              EncryptionOps, ExtFileOps, CloneOps, UsageOps, BackupOps, BackupRestoreOps, BackupDeleteOps, ScheduleOps,
              RemoteOps):
    def __init__(self, ids, clock, version):
        self.ids = ids
        self.clock = clock
        self.version = version
        for cls in reversed(type(self).__mro__):
            init = cls.__dict__.get("_init_state")
            if init is not None:
                init(self)
        self._init_usage()

    def state(self) -> dict:
        """Everything that changes, for snapshot and restore."""
        return {k: v for k, v in self.__dict__.items() if k not in NOT_STATE}

    def copy_state(self) -> dict:
        return copy.deepcopy(self.state())

    def set_state(self, state: dict) -> None:
        self.__dict__.update(copy.deepcopy(state))
        self._state_replaced()
