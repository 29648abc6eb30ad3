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


@dataclass
class QueuedBackup:
    """A taken snapshot waiting to upload (``BackupInfoManager`` queue item); ``nodes`` may send it."""

    remote_name: str
    rsc_name: str
    snap_name: str
    prev_snap: Optional[str]
    pref_node: Optional[str]
    nodes: List[str]


class BackupOps:
    def _init_state(self) -> None:
        self.backup_shipments: List[BackupShipment] = []
        # backups waiting for a free shipping slot or for the upload they build on
        self.backup_queue: List[QueuedBackup] = []
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
        """Uploads whose time has come are complete, in order; each freed slot starts what waits."""
        now = self.clock.now_ms()
        while True:
            done = [s for s in self.backup_shipments if s.complete_at_ms <= now]
            if not done:
                break
            ship = min(done, key=lambda s: s.complete_at_ms)
            self.backup_shipments.remove(ship)
            self._finish_upload(ship)
            self._start_queued(ship.complete_at_ms)
        # a remote marked for deletion goes once its last upload is done (cleanupRemotesIfNeeded)
        for key, remote in list(self.remotes.items()):
            if "MARK_DELETED" in remote.flags and not any(names.key(s.remote_name) == key
                                                          for s in self.backup_shipments):
                del self.remotes[key]

    def _start_queued(self, at_ms: int) -> None:
        for item in list(self.backup_queue):
            sd = self._find_snapshot(item.rsc_name, item.snap_name)
            prev = self._find_snapshot(item.rsc_name, item.prev_snap) if item.prev_snap else None
            if sd is None:
                self.backup_queue.remove(item)
                continue
            if prev is not None and "SHIPPED" not in prev.flags:
                continue
            usable = [n for n in item.nodes if names.key(n) in self.nodes and names.key(n) in sd.snapshots]
            node = self._choose_backup_node(usable, item.pref_node, [])
            if node is None:
                continue
            self.backup_queue.remove(item)
            self._start_upload(sd, node, item.remote_name, prev, at_ms)

    def _remotes_due(self) -> None:
        self._settle_backups()
        super()._remotes_due()

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
        """``POST /v1/remotes/{remote}/backups``: a snapshot, uploaded from one node, or queued
        when no node has a free shipping slot or the backup it builds on is still uploading."""
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
            usable = self._usable_backup_nodes(rd, prev, remote)
            # a backup waits for the one it builds on, so that they never upload at the same time
            node = None if prev is not None and "SHIPPED" not in prev.flags else \
                self._choose_backup_node(usable, node_name, responses)
            if node is None:
                responses.append(_info(C.MASK_WARN, "Maximum amount of shippings met on all nodes, adding to queue "
                                                    "instead"))
                self.backup_queue.append(QueuedBackup(remote.name, rd.name, sd.name, prev.name if prev else None,
                                                      node_name, usable))
            sd.props[NS + "/" + KEY_TARGET_REMOTE] = remote.name
            sd.props[NS + "/" + KEY_LAST_FULL] = prev.props.get(NS + "/" + KEY_LAST_FULL, "") if prev else sd.name
            rd.props["%s/%s/%s" % (NS, remote.name, KEY_LAST_STARTED)] = sd.name
            responses.append(RcEntry(unsigned64(C.MASK_INFO), "Shipping of resource %s to remote %s in progress."
                                     % (rsc_name, remote_name), obj_refs={C.KEY_SNAPSHOT: sd.name}))
        except ApiError:
            self.set_state(before)
            raise
        if node is None:
            return post + responses
        if "MARK_DELETED" in remote.flags:
            # the snapshot is committed by then: only the shipping is refused (an unhandled exception)
            raise ApiError(RcEntry(C.FAIL_UNKNOWN_ERROR, "The given remote S3Remote '%s' is marked for deletion and "
                                                         "therefore not allowed to start a new restore." % remote.name,
                                   report=True))
        self._start_upload(sd, node, remote.name, prev, now)
        started = [RcEntry(C.MODIFIED, "Started shipping of resource '%s'" % rd.name) for _ in sorted(sd.snapshots)]
        self._settle_backups()
        return post + responses + started

    def _start_upload(self, sd: SnapshotDefinition, node: str, remote_name: str, prev: Optional[SnapshotDefinition],
                      start_ms: int) -> None:
        sd.flags += ["SHIPPING", "BACKUP"]
        sd.props["%s/%s/%s" % (NS, KEY_SRC_NODE, remote_name)] = node
        snap = sd.snapshots[names.key(node)]
        snap.flags.append("BACKUP_SOURCE")
        snap.props[NS + "/" + KEY_TARGET_REMOTE] = remote_name
        if prev is not None:
            snap.props[NS + "/" + KEY_LAST_SNAPSHOT] = prev.name
        self.backup_shipments.append(BackupShipment(remote_name, sd.resource_name, sd.name, node,
                                                    start_ms + int(self.backup_shipping_seconds * 1000)))

    def _free_slots(self, node_name: str) -> float:
        """``getFreeShippingSlots``: BackupShipping/MaxConcurrentBackupsPerNode of the node or the
        controller (unset or negative: no limit) less the node's running uploads."""
        node = self.get_node(node_name)
        key = NS + "/" + C.KEY_MAX_CONCURRENT_BACKUPS_PER_NODE
        limit = node.props.get(key, self.controller_props.get(key))
        slots = float("inf") if limit is None or int(limit) < 0 else int(limit)
        running = sum(1 for per_rd in self.snapshot_definitions.values() for sd in per_rd.values()
                      if "SHIPPING" in sd.flags and "BACKUP" in sd.flags
                      for key_, snap in sd.snapshots.items()
                      if key_ == names.key(node_name) and "BACKUP_TARGET" not in snap.flags)
        return slots - running

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

    def _usable_backup_nodes(self, rd, prev: Optional[SnapshotDefinition], remote: Remote) -> List[str]:
        """``BackupNodeFinder.findUsableNodes``: diskful, online nodes whose pools can ship (and that
        hold the base snapshot of an incremental backup; ZFS keeps to the node that sent it)."""
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
        return usable

    def _choose_backup_node(self, usable: List[str], preferred: Optional[str], responses: List[RcEntry]
                            ) -> Optional[str]:
        """``chooseNode``: the preferred node if it can, else the one with the most free slots."""
        pref = self.nodes.get(names.key(preferred)) if preferred else None
        if pref is not None and pref.name in usable and self._free_slots(pref.name) > 0:
            return pref.name
        free = [(self._free_slots(n), n) for n in usable]
        free = [(slots, n) for slots, n in free if slots > 0]
        if not free:
            return None
        best = max(slots for slots, _ in free)
        chosen = next(n for slots, n in free if slots == best)
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
        self.backup_queue = [q for q in self.backup_queue if not (
            names.key(q.rsc_name) == names.key(rd.name) and names.key(q.remote_name) == names.key(remote.name))]
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
    def backup_queues(self, nodes: Optional[List[str]] = None, snapshots: Optional[List[str]] = None,
                      resources: Optional[List[str]] = None, remotes: Optional[List[str]] = None,
                      snap_to_node: bool = False) -> dict:
        """``GET /v1/view/backup/queue`` (``CtrlBackupQueueInternalCallHandler``), as its wire JSON.
        The filters combine as the controller combines them: an empty filter lets everything through."""
        self._settle_backups()

        def accept(values, name: str) -> bool:
            return not values or name.lower() in {v.lower() for v in values}

        items = [(item, self._find_snapshot(item.rsc_name, item.snap_name)) for item in self.backup_queue]
        items = [(item, sd) for item, sd in items if sd is not None]

        def item_json(item: QueuedBackup, sd: SnapshotDefinition, queue=None) -> dict:
            out = {"resource_name": sd.resource_name, "snapshot_name": sd.name, "remote_name": item.remote_name,
                   "incremental": item.prev_snap is not None}
            if item.prev_snap is not None:
                out["based_on"] = item.prev_snap
            out["start_timestamp"] = int(sd.props.get(NS + "/" + KEY_START_TS, "0"))
            if item.pref_node:
                out["pref_node"] = item.pref_node
            if queue:
                out["queue"] = queue
            return out

        def item_matches(item: QueuedBackup, sd: SnapshotDefinition) -> bool:
            return accept(snapshots, sd.name) or accept(resources, sd.resource_name) or \
                accept(remotes, item.remote_name)

        if snap_to_node:
            out = []
            for item, sd in items:
                on = item.nodes or [C.VAL_NODE_UNDECIDED]
                if item_matches(item, sd) or any(accept(nodes, n) for n in on):
                    out.append(item_json(item, sd, [{"node_name": n} for n in sorted(on)]))
            return {"snap_queues": out} if out else {}
        per_node: Dict[str, list] = {}
        for item, sd in items:
            for node in item.nodes or [C.VAL_NODE_UNDECIDED]:
                per_node.setdefault(node, []).append((item, sd))
        out = []
        for node, queued in sorted(per_node.items()):
            if accept(nodes, node) or any(item_matches(item, sd) for item, sd in queued):
                out.append({"node_name": node, "queue": [item_json(item, sd) for item, sd in queued]})
        return {"node_queues": out} if out else {}

    def _forget_remote_queue(self, remote: Remote) -> None:
        self.backup_queue = [q for q in self.backup_queue if names.key(q.remote_name) != names.key(remote.name)]
        super()._forget_remote_queue(remote)
