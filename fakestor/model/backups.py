"""Backups to S3 remotes, whose bucket the fake keeps in memory (``Remote.objects``).

Rules from LINSTOR 1.31.3 (``CtrlBackupCreateApiCallHandler``, ``CtrlBackupApiCallHandler``,
``CtrlBackupRestoreApiCallHandler``, ``CtrlBackupApiHelper``, ``BackupNodeFinder``). None of
these calls run in a reply context: their refusals reach the client as the bare entries.

A backup is a local snapshot (flags SHIPPING and BACKUP while it uploads, SHIPPED after) and,
in the bucket, one data object per volume (``<rsc>_<vlmNr:05d>_<backupId>[^<snap>]``) and a
``.meta`` object (``<rsc>_<backupId>[^<snap>].meta``) with what a restore needs; ``backupId``
is ``back_`` and the start time (``yyyyMMdd_HHmmss``, UTC in the fake). An upload completes on
the controller's clock after ``backup_shipping_seconds`` (0 by default: at once); a restore's
download completes at once, and the restored resource is created on the target node.
"""
from dataclasses import dataclass
from typing import Dict, List, Optional, Set, Tuple

from linstor import sharedconsts as C

from ..apicallrc import ApiError, Context, RcEntry, bare_error, unsigned64
from . import names
from .backup_keys import (
    BACKUP_PREFIX,
    FORCE_INITIAL_SYNC,
    KEY_LAST_FULL,
    KEY_LAST_SNAPSHOT,
    KEY_LAST_STARTED,
    KEY_SRC_NODE,
    KEY_START_TS,
    KEY_TARGET_REMOTE,
    META_SUFFIX,
    NS,
    KeyInfo,
    date_text,
    parse_meta_key,
    parse_volume_key,
)
from .objects import SnapshotDefinition
from .remotes import KIND_LINSTOR, KIND_S3, BucketObject, Remote
from .resources import is_diskless
from .snapshots import SHIPPING_KINDS, snap_ctx


def _bare(entry: RcEntry, ctx: Context) -> RcEntry:
    """An entry of the snapshot rules as the backup call sends it: outside any reply context (no
    masks, references or object description, no error report; the name check's cause is lost)."""
    code = unsigned64(entry.ret_code)
    if code & C.MASK_BITS_OP == ctx.op:
        code &= ~C.MASK_BITS_OP
    if code & C.MASK_BITS_OBJ == ctx.obj:
        code &= ~C.MASK_BITS_OBJ
    details = entry.details
    if details == ctx.description:
        details = None
    elif details and details.endswith("\n" + ctx.description):
        details = details[:-len(ctx.description) - 1]
    cause = None if entry.message.startswith("The given snapshot name") else entry.cause
    return RcEntry(code, entry.message, cause, details, entry.correction)


def _info(code: int, message: str) -> RcEntry:
    return RcEntry(unsigned64(code), message)


@dataclass
class BackupShipment:
    """An upload in progress: the snapshot of ``rsc_name`` on ``node_name`` going to ``remote_name``."""

    remote_name: str
    rsc_name: str
    snap_name: str
    node_name: str
    complete_at_ms: int


class BackupOps:
    def _init_state(self) -> None:
        self.backup_shipments: List[BackupShipment] = []
        # how long (virtual seconds) an upload to an S3 remote runs before it is complete
        self.backup_shipping_seconds = 0.0

    # -- helpers ------------------------------------------------------------------------------
    def _s3_remote(self, name: Optional[str]) -> Remote:
        """``CtrlBackupApiHelper.getS3Remote``."""
        remote = self._backup_remote(name)
        if remote.kind != KIND_S3:
            raise bare_error(C.FAIL_INVLD_REMOTE_NAME | C.MASK_BACKUP, "The remote %s is not an s3 remote." % name)
        return remote

    def _backup_remote(self, name: Optional[str]) -> Remote:
        if not name:
            raise bare_error(C.FAIL_INVLD_REMOTE_NAME | C.MASK_BACKUP,
                             "No remote name was given. Please provide a valid remote name.")
        remote = self.find_remote(name)
        if remote is None:
            raise bare_error(C.FAIL_NOT_FOUND_REMOTE | C.MASK_BACKUP, "The remote %s does not exist. Please provide "
                                                                      "a valid remote or create a new one." % name)
        return remote

    def _local_master_key(self) -> None:
        if not self.crypt_ready():
            raise bare_error(C.FAIL_NOT_FOUND_CRYPT_KEY, "Unable to decrypt the S3 access key and secret key without "
                                                         "having a master key",
                             cause="The masterkey was not initialized yet",
                             correction="Create or enter the master passphrase")

    @staticmethod
    def _keys(remote: Remote, prefix: Optional[str] = None) -> List[str]:
        """The bucket's keys (S3 lists by key prefix, case-sensitively)."""
        return sorted(k for k in remote.objects if not prefix or k.startswith(prefix))

    def _find_snapshot(self, rsc_name: str, snap_name: str) -> Optional[SnapshotDefinition]:
        return self.snapshot_definitions.get(names.key(rsc_name), {}).get(names.key(snap_name))

    # -- uploads on the clock ----------------------------------------------------------------------
    def _settle_backups(self) -> None:
        now = self.clock.now_ms()
        for ship in [s for s in self.backup_shipments if s.complete_at_ms <= now]:
            self.backup_shipments.remove(ship)
            self._finish_upload(ship)

    def _in_progress(self, rd_name: str) -> List[SnapshotDefinition]:
        return [sd for sd in self.snapshots_of(rd_name) if "SHIPPING" in sd.flags and "BACKUP" in sd.flags]

    def _remote_has_running_shipments(self, remote: Remote) -> bool:
        self._settle_backups()
        return any(names.key(s.remote_name) == names.key(remote.name) for s in self.backup_shipments) or \
            super()._remote_has_running_shipments(remote)

    def _finish_upload(self, ship: BackupShipment) -> None:
        sd = self._find_snapshot(ship.rsc_name, ship.snap_name)
        remote = self.find_remote(ship.remote_name)
        if sd is None or "SHIPPING" not in sd.flags:
            return
        sd.flags = [f for f in sd.flags if f != "SHIPPING"] + ["SHIPPED"]
        if remote is None:
            return
        start = int(sd.props[NS + "/" + KEY_START_TS])
        info = KeyInfo(sd.resource_name, BACKUP_PREFIX + date_text(start), sd.name)
        snap = sd.snapshots.get(names.key(ship.node_name))
        finish = self.clock.now_ms()
        base_name = snap.props.get(NS + "/" + KEY_LAST_SNAPSHOT) if snap else None
        base = self._find_snapshot(sd.resource_name, base_name) if base_name else None
        vlms = []
        for nr, svd in sorted(sd.volume_definitions.items()):
            svlm = snap.volumes.get(nr) if snap else None
            key = KeyInfo(sd.resource_name, info.backup_id, sd.name, vlm_nr=nr).volume_key()
            # an incremental backup uploads what changed: the fake writes no data, so nothing
            remote.objects[key] = BucketObject(key, 0 if base is not None else svd.size_kib * 1024)
            vlms.append({"vlm_nr": nr, "name": key, "finished_ts": finish, "size_kib": svd.size_kib,
                         "pool": svlm.storage_pool_name if svlm else None,
                         "provider_kind": svlm.provider_kind if svlm else None,
                         "alloc_kib": svlm.allocated_kib if svlm else 0,
                         "vd_props": dict(svd.volume_definition_props), "vlm_props": dict(svlm.volume_props)
                         if svlm else {}, "flags": list(svd.flags)})
        meta = {"rsc_name": sd.resource_name, "snap_name": sd.name, "node_name": ship.node_name,
                "start_ts": start, "finish_ts": finish, "cluster_id": self.controller_props.get("Cluster/LocalID"),
                "snap_dfn_uuid": sd.uuid, "based_on": self._base_meta_key(base) if base is not None else None,
                "layers": list(snap.layer_stack) if snap else [], "rsc_dfn_props": dict(sd.resource_definition_props),
                "snap_dfn_props": dict(sd.props), "rsc_props": dict(snap.resource_props) if snap else {},
                "vlms": vlms}
        remote.objects[info.meta_key()] = BucketObject(info.meta_key(), 0, meta)

    @staticmethod
    def _base_meta_key(base: SnapshotDefinition) -> str:
        start = int(base.props.get(NS + "/" + KEY_START_TS, "0"))
        return KeyInfo(base.resource_name, BACKUP_PREFIX + date_text(start), base.name).meta_key()

    # -- create -----------------------------------------------------------------------------------
    def create_backup(self, remote_name: str, rsc_name: Optional[str], node_name: Optional[str] = None,
                      snap_name: Optional[str] = None, incremental: bool = False) -> List[RcEntry]:
        """``POST /v1/remotes/{remote}/backups``: a snapshot, uploaded from one node."""
        self._settle_backups()
        responses: List[RcEntry] = []
        now = self.clock.now_ms()
        if not snap_name:
            snap_name = BACKUP_PREFIX + date_text(now)
            responses.append(_info(C.MASK_INFO, "Generated snapshot name for backup of resource%s to remote %s"
                                   % (rsc_name, remote_name)))
        if not self.crypt_ready():
            raise bare_error(C.FAIL_INVLD_CRYPT_PASSPHRASE, "Backup shipping requires a set up encryption. Please use "
                                                            "'linstor encryption create-passphrase' or '... "
                                                            "enter-passphrase'")
        rd = self.get_resource_definition(rsc_name or "")
        self._local_master_key()
        remote = self._s3_remote(remote_name)
        prev = self._incremental_base(rd, remote, incremental)
        before = self.copy_state()
        try:
            created: List[RcEntry] = []
            ctx = snap_ctx(C.MASK_CRT, rd.name, snap_name)
            try:
                sd = self._take_snapshot(rd.name, snap_name, [], ctx, created)
            except ApiError as err:
                raise ApiError([_bare(e, ctx) for e in err.entries])
            # the snapshot helper only warns; "registered" is the snapshot call's own entry
            post = [e for e in created if e.ret_code == C.MODIFIED and not e.obj_refs]
            responses += [_bare(e, ctx) for e in created if e.ret_code & C.MASK_WARN == C.MASK_WARN]
            sd.resource_definition_props[FORCE_INITIAL_SYNC] = "True"
            sd.props[NS + "/" + KEY_START_TS] = str(now)
            node = self._choose_backup_node(rd, prev, remote, node_name, responses)
            sd.props[NS + "/" + KEY_TARGET_REMOTE] = remote.name
            sd.props[NS + "/" + KEY_LAST_FULL] = prev.props.get(NS + "/" + KEY_LAST_FULL, "") if prev else sd.name
            rd.props["%s/%s/%s" % (NS, remote.name, KEY_LAST_STARTED)] = sd.name
            responses.append(RcEntry(unsigned64(C.MASK_INFO), "Shipping of resource %s to remote %s in progress."
                                     % (rsc_name, remote_name), obj_refs={C.KEY_SNAPSHOT: sd.name}))
            if "MARK_DELETED" in remote.flags:
                raise bare_error(C.FAIL_UNKNOWN_ERROR, "The given remote %s is marked for deletion and therefore not "
                                                       "allowed to start a new restore." % remote.name)
            sd.flags += ["SHIPPING", "BACKUP"]
            sd.props["%s/%s/%s" % (NS, KEY_SRC_NODE, remote.name)] = node
            snap = sd.snapshots[names.key(node)]
            snap.flags.append("BACKUP_SOURCE")
            snap.props[NS + "/" + KEY_TARGET_REMOTE] = remote.name
            if prev is not None:
                snap.props[NS + "/" + KEY_LAST_SNAPSHOT] = prev.name
            started = [RcEntry(C.MODIFIED, "Started shipping of resource '%s'" % rd.name)
                       for _ in sorted(sd.snapshots)]
        except ApiError:
            self.set_state(before)
            raise
        self.backup_shipments.append(BackupShipment(remote.name, rd.name, sd.name, node,
                                                    now + int(self.backup_shipping_seconds * 1000)))
        self._settle_backups()
        return post + responses + started

    def _incremental_base(self, rd, remote: Remote, allowed: bool) -> Optional[SnapshotDefinition]:
        """``getIncrementalBase``: the snapshot last sent to the remote, if its backup still exists."""
        if not allowed:
            return None
        prev_name = rd.props.get("%s/%s/%s" % (NS, remote.name, KEY_LAST_STARTED))
        prev = self._find_snapshot(rd.name, prev_name) if prev_name else None
        if prev is None:
            return None
        if "SHIPPED" in prev.flags:
            uuids = {o.meta.get("snap_dfn_uuid") for o in remote.objects.values() if o.meta}
            if prev.uuid not in uuids:
                return None
        for nr, svd in prev.volume_definitions.items():
            vd = rd.volume_definitions.get(nr)
            if vd is not None and vd.size_kib != svd.size_kib:
                return None
        return prev

    def _choose_backup_node(self, rd, prev: Optional[SnapshotDefinition], remote: Remote, preferred: Optional[str],
                            responses: List[RcEntry]) -> str:
        """``BackupNodeFinder.findUsableNodes`` and ``chooseNode`` (every node has free shipping slots)."""
        infos: List[RcEntry] = []
        usable = []
        for _, rsc in sorted(rd.resources.items()):
            node = self.get_node(rsc.node_name)
            if is_diskless(rsc) or node.connection_status != "ONLINE" or \
                    {"DELETE", "EVACUATE", "EVICTED"} & set(node.flags):
                continue
            kinds = sorted({v.provider_kind for v in rsc.volumes.values()})
            bad = [k for k in kinds if k not in SHIPPING_KINDS]
            if bad:
                infos += [RcEntry(C.FAIL_SNAPSHOT_SHIPPING_NOT_SUPPORTED, "The storage pool kind %s does not support "
                                                                          "snapshot shipping" % k) for k in bad]
                continue
            if prev is not None and names.key(node.name) not in prev.snapshots:
                infos.append(_info(C.MASK_INFO, "Cannot create snapshot on node '%s', as the node does not have the "
                                                "required base snapshot for incremental backup" % node.name))
                continue
            usable.append(node.name)
        if not usable:
            infos.append(RcEntry(C.FAIL_NOT_ENOUGH_NODES, "Backup shipping of resource '%s' cannot be started since "
                                                          "there is no node available that supports backup shipping."
                                 % rd.name))
            raise ApiError(infos)
        if prev is not None:
            prev_node = prev.props.get("%s/%s/%s" % (NS, KEY_SRC_NODE, remote.name))
            if prev_node and names.key(prev_node) in {names.key(n) for n in usable} and \
                    any(v.provider_kind in ("ZFS", "ZFS_THIN") for r in rd.resources.values() for v in r.volumes.values()):
                usable = [n for n in usable if names.key(n) == names.key(prev_node)]
        pref = self.nodes.get(names.key(preferred)) if preferred else None
        if pref is not None and pref.name in usable:
            return pref.name
        chosen = usable[0]
        if preferred is not None:
            responses.append(_info(C.MASK_WARN, "Preferred node '%s' could not be selected. Choosing '%s' instead."
                                   % (preferred, chosen)))
        return chosen

    # -- list -------------------------------------------------------------------------------------
    def list_backups(self, remote_name: str, rsc_name: Optional[str] = None, snap_name: Optional[str] = None
                     ) -> Tuple[Dict[str, dict], List[str]]:
        """``listBackups``: (backup id -> wire-ready backup, keys of other objects)."""
        self._settle_backups()
        remote = self._s3_remote(remote_name)
        self._local_master_key()
        keys = self._keys(remote, rsc_name)
        out: Dict[str, dict] = {}
        claimed: Set[str] = set()
        for key in keys:
            info = parse_meta_key(key)
            obj = remote.objects[key]
            if info is None or obj.meta is None:
                continue
            if snap_name and snap_name.lower() != info.snap.lower():
                continue
            backup, used = self._backup_from_meta(key, info, obj.meta, set(keys))
            out[backup["id"]] = backup
            claimed.add(key)
            claimed |= used
        rest = [k for k in keys if k not in claimed]
        used_keys: Set[str] = set()
        for key in rest:
            if key in used_keys:
                continue
            info = parse_volume_key(key)
            if info is None:
                continue
            if snap_name and snap_name.lower() != info.snap.lower():
                continue
            sd = self._find_snapshot(info.rsc, info.snap)
            backup = self._backup_from_volume_key(info, rest, used_keys, sd)
            out[backup["id"]] = backup
            used_keys.add(key)
        # the controller's filters of in-progress uploads skip what matches (its order, kept)
        for _, rd in sorted(self.resource_definitions.items()):
            if rsc_name and rd.name.lower() == rsc_name.lower():
                continue
            for sd in self._in_progress(rd.name):
                if snap_name and snap_name.lower() == sd.name.lower():
                    continue
                start = int(sd.props.get(NS + "/" + KEY_START_TS, "0"))
                future = [KeyInfo(rd.name, BACKUP_PREFIX + date_text(start), sd.name, vlm_nr=nr)
                          for nr in sorted(sd.volume_definitions)]
                if future:
                    future_keys = [f.volume_key() for f in future]
                    backup = self._backup_from_volume_key(future[0], future_keys, used_keys, sd)
                    out[backup["id"]] = backup
                    used_keys.add(future_keys[0])
        others = [k for k in rest if k not in used_keys]
        return dict(sorted(out.items())), others

    @staticmethod
    def _backup_from_meta(key: str, info: KeyInfo, meta: dict, all_keys: Set[str]) -> Tuple[dict, Set[str]]:
        restorable = True
        vlms = []
        used = set()
        for vlm in meta["vlms"]:
            if vlm["name"] not in all_keys:
                restorable = False
                continue
            vinfo = parse_volume_key(vlm["name"])
            if vinfo is None or vinfo.vlm_nr != vlm["vlm_nr"]:
                restorable = False
                continue
            vlms.append({"vlm_nr": vlm["vlm_nr"], "finished_time": date_text(vlm["finished_ts"]),
                         "finished_timestamp": vlm["finished_ts"], "s3": {"key": vlm["name"]}})
            used.add(vlm["name"])
        backup = {"id": key[:-len(META_SUFFIX)], "start_time": date_text(meta["start_ts"]),
                  "start_timestamp": meta["start_ts"], "finished_time": date_text(meta["finish_ts"]),
                  "finished_timestamp": meta["finish_ts"], "origin_rsc": info.rsc, "origin_snap": info.snap,
                  "origin_node": meta["node_name"], "vlms": vlms, "success": True, "shipping": False,
                  "restorable": restorable, "s3": {"meta_name": key}}
        if meta.get("based_on"):
            backup["based_on_id"] = meta["based_on"]
        return backup, used

    def _backup_from_volume_key(self, info: KeyInfo, keys: List[str], used: Set[str],
                                sd: Optional[SnapshotDefinition]) -> dict:
        vlms = {info.vlm_nr: {"vlm_nr": info.vlm_nr, "s3": {"key": info.volume_key()}}}
        for other in keys:
            if other in used or other == info.volume_key():
                continue
            oinfo = parse_volume_key(other)
            if oinfo is not None and oinfo.rsc == info.rsc and oinfo.backup_id == info.backup_id:
                vlms[oinfo.vlm_nr] = {"vlm_nr": oinfo.vlm_nr, "s3": {"key": oinfo.volume_key()}}
                used.add(other)
        shipping = success = node = None
        if sd is not None and "BACKUP" in sd.flags:
            if "SHIPPING" in sd.flags or "SHIPPED" in sd.flags:
                node = next((s.node_name for _, s in sorted(sd.snapshots.items()) if "BACKUP_SOURCE" in s.flags), None)
                shipping, success = ("SHIPPING" in sd.flags), (None if "SHIPPING" in sd.flags else True)
            else:
                shipping, success = False, False
        start = info.time_ms
        backup = {"id": KeyInfo(info.rsc, info.backup_id, info.snap, info.suffix).full_id(),
                  "start_time": date_text(start), "start_timestamp": start, "origin_rsc": info.rsc,
                  "origin_snap": info.snap, "origin_node": node, "vlms": [vlms[k] for k in sorted(vlms)],
                  "success": success, "shipping": shipping, "restorable": False}
        return {k: v for k, v in backup.items() if v is not None}

    # -- abort --------------------------------------------------------------------------------------
    def abort_backups(self, remote_name: str, rsc_name: str, restore: bool = False, create: bool = False
                      ) -> List[RcEntry]:
        """``POST /v1/remotes/{remote}/backups/abort``: stops uploads of the resource (downloads
        are complete at once in the fake: nothing to abort there)."""
        self._settle_backups()
        rd = self.get_resource_definition(rsc_name or "")
        remote = self.load_remote(remote_name)
        running = self._in_progress(rd.name)
        if not running:
            return []
        if not restore and not create:
            restore = create = True
        aborted = []
        for sd in running:
            ships = [s for s in self.backup_shipments if names.key(s.rsc_name) == names.key(rd.name)
                     and names.key(s.snap_name) == names.key(sd.name)]
            if create and any(names.key(s.remote_name) == names.key(remote.name) for s in ships):
                sd.flags = [f for f in sd.flags if f != "SHIPPING"] + ["SHIPPING_ABORT"]
                self.backup_shipments = [s for s in self.backup_shipments if s not in ships]
                aborted.append(sd)
        entries = [RcEntry(C.MODIFIED, "Abort backups of '%s' on '%s' started" % (rd.name, snap.node_name))
                   for sd in aborted for _, snap in sorted(sd.snapshots.items())]
        what = "in-progress backup-shipments and restores" if create and restore else (
            "in-progress backup-shipments" if create else "in-progress backup-restores")
        entries.append(RcEntry(C.MASK_SUCCESS, "Successfully aborted all %s of resource %s" % (what, rsc_name)))
        return entries

    # -- L2L shipping ----------------------------------------------------------------------------
    def ship_backup(self, remote_name: str, src_rsc: Optional[str]) -> List[RcEntry]:
        """``POST /v1/remotes/{remote}/backups/ship`` to a LINSTOR remote: the source side's checks,
        then its first request to the target controller. The fake reaches no other cluster, so
        that request fails as a refused connection does on the controller (an error report)."""
        remote = self.load_remote(remote_name)
        if remote.kind != KIND_LINSTOR:
            raise bare_error(C.FAIL_INVLD_REMOTE_NAME, "The given remote is not a linstor-remote")
        self.get_resource_definition(src_rsc or "")
        raise ApiError(RcEntry(C.FAIL_UNKNOWN_ERROR, "Connection refused", report=True))

    # -- queue view -------------------------------------------------------------------------------
    def backup_queues(self) -> dict:
        """``GET /v1/view/backup/queue``: every node has free shipping slots in the fake, so nothing waits."""
        return {}
