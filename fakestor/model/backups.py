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
import datetime as dt
import re
from dataclasses import dataclass
from typing import Dict, List, Optional, Set, Tuple

from linstor import sharedconsts as C

from ..apicallrc import ApiError, Context, RcEntry, bare_error, unsigned64
from . import names
from .objects import Snapshot, SnapshotDefinition, SnapshotVolume, SnapshotVolumeDefinition
from .remotes import KIND_LINSTOR, KIND_S3, BucketObject, Remote
from .resources import is_diskless
from .snapshots import SHIPPING_KINDS, snap_ctx
from .storage import is_thin

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
_SELECTION_PATTERN = ("'<rscName>_back_YYYYMMDD_HHMMSS[optional-backup-s3-suffix][^snapshot-name][.meta]' "
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


def parse_meta_key(key: str) -> Optional[KeyInfo]:
    match = _META_RE.match(key)
    if match is None:
        return None
    try:
        _parse_ms(match.group("bid")[len(BACKUP_PREFIX):])
    except ValueError:
        return None
    return KeyInfo(match.group("rsc"), match.group("bid"), _snap_of(match, match.group("bid")),
                   match.group("suffix") or "")


def parse_volume_key(key: str) -> Optional[KeyInfo]:
    match = _VLM_RE.match(key)
    if match is None:
        return None
    try:
        _parse_ms(match.group("bid")[len(BACKUP_PREFIX):])
    except ValueError:
        return None
    return KeyInfo(match.group("rsc"), match.group("bid"), _snap_of(match, match.group("bid")),
                   match.group("suffix") or "", int(match.group("vlm")), match.group("rsc_suffix") or "")


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

    # -- delete -----------------------------------------------------------------------------------
    def delete_backups(self, remote_name: str, bak_id: str = "", id_prefix: str = "", cascading: bool = False,
                       timestamp: str = "", rsc_name: str = "", node_name: str = "", all_local_cluster: bool = False,
                       all_backups: bool = False, s3_key: str = "", dryrun: bool = False,
                       keep_snaps: bool = False) -> List[RcEntry]:
        """``DELETE /v1/remotes/{remote}/backups``, the filter combination already checked."""
        self._settle_backups()
        remote = self._s3_remote(remote_name)
        self._local_master_key()
        objects = self._s3_objects(remote)
        notes: List[RcEntry] = []
        todo = {"keys": set(), "snaps": set(), "missing": set()}
        if bak_id:
            self._delete_by_prefix(bak_id if bak_id.endswith(META_SUFFIX) else bak_id + META_SUFFIX, False, cascading,
                                   objects, remote, todo, notes)
        elif id_prefix:
            self._delete_by_prefix(id_prefix, True, cascading, objects, remote, todo, notes)
        elif s3_key:
            self._delete_by_keys(objects, [s3_key], cascading, todo)
            todo["keys"].add(s3_key)
            todo["missing"].discard(s3_key)
        elif timestamp or rsc_name or node_name:
            if timestamp:
                try:
                    limit = _parse_ms(timestamp)
                except ValueError:
                    raise bare_error(C.FAIL_INVLD_TIME_PARAM, "Failed to parse '%s'. Expected format: YYYYMMDD_HHMMSS "
                                                              "(e.g. 20210824_072543)" % timestamp)
            selected = []
            for key, obj in sorted(objects.items()):
                if obj["meta"] is None:
                    continue
                meta = obj["meta"]
                if node_name and (meta["node_name"] or "").lower() != node_name.lower():
                    continue
                if rsc_name and meta["rsc_name"].lower() != rsc_name.lower():
                    continue
                if timestamp and not parse_meta_key(key).time_ms < limit:
                    continue
                selected.append(key)
            self._delete_by_keys(objects, selected, cascading, todo)
        elif all_backups:
            self._delete_by_keys(objects, sorted(objects), True, todo)
        elif all_local_cluster:
            local = self.controller_props.get("Cluster/LocalID")
            self._delete_by_keys(objects, [k for k, o in sorted(objects.items())
                                           if o["meta"] is not None and o["meta"].get("cluster_id") == local],
                                 True, todo)
        if keep_snaps:
            todo["snaps"].clear()
        entries: List[RcEntry] = []
        snap_entries: List[RcEntry] = []
        if dryrun:
            if todo["keys"]:
                entries.append(RcEntry(0, "Would delete s3 objects:\n" + "".join("  %s\n" % k
                                                                                 for k in sorted(todo["keys"]))))
            if todo["snaps"]:
                entries.append(RcEntry(0, "Would delete Snapshots:\n" + "".join(
                    "  Resource: %s, Snapshot: %s\n" % s for s in sorted(todo["snaps"], key=_snap_order))))
            if not todo["keys"] and not todo["snaps"]:
                entries.append(RcEntry(0, "Dryrun mode. Although nothing selected for deletion"))
        else:
            deleted_snaps = []
            if todo["keys"]:
                for rsc, snap in sorted(todo["snaps"], key=_snap_order):
                    snap_entries += self.delete_snapshot(rsc, snap)
                    deleted_snaps.append((rsc, snap))
                for key in todo["keys"]:
                    remote.objects.pop(key, None)
            else:
                entries.append(RcEntry(unsigned64(C.INFO_NOOP | C.MASK_BACKUP), "Could not find any backups to "
                                                                                  "delete."))
            entries.append(RcEntry(C.MASK_SUCCESS | C.MASK_BACKUP, "Successfully deleted [%s]"
                                   % ", ".join(sorted(todo["keys"]))))
            if not todo["keys"]:
                snap_entries = []
        if todo["missing"]:
            entries.append(RcEntry(unsigned64(C.WARN_NOT_FOUND), "The following S3 keys were not found in the given "
                                                                 "remote:\n" + "".join("  %s\n" % k for k in
                                                                                       sorted(todo["missing"]))))
        return entries + notes + snap_entries

    def _s3_objects(self, remote: Remote) -> Dict[str, dict]:
        """``loadAllLinstorS3Objects``: key -> {exists, meta, refs, refd_by, snap} for linstor's objects."""
        objects: Dict[str, dict] = {}

        def get(key: str) -> dict:
            return objects.setdefault(key, {"key": key, "exists": False, "meta": None, "refs": [], "refd_by": [],
                                            "snap": None})
        for key in self._keys(remote):
            obj = remote.objects[key]
            info = parse_meta_key(key)
            if info is not None and obj.meta is not None:
                entry = get(key)
                entry["exists"], entry["meta"] = True, obj.meta
                for vlm in obj.meta["vlms"]:
                    child = get(vlm["name"])
                    child["refd_by"].append(key)
                    entry["refs"].append(vlm["name"])
                sd = self._find_snapshot(info.rsc, info.snap)
                if sd is not None and sd.uuid == obj.meta.get("snap_dfn_uuid"):
                    entry["snap"] = (sd.resource_name, sd.name)
                if obj.meta.get("based_on"):
                    base = get(obj.meta["based_on"])
                    base["refd_by"].append(key)
                    entry["refs"].append(obj.meta["based_on"])
            vinfo = parse_volume_key(key)
            if vinfo is not None:
                entry = get(key)
                entry["exists"] = True
                sd = self._find_snapshot(vinfo.rsc, vinfo.snap)
                entry["snap"] = (sd.resource_name, sd.name) if sd is not None else None
        return objects

    def _delete_by_prefix(self, prefix: str, many: bool, cascading: bool, objects: Dict[str, dict], remote: Remote,
                          todo: dict, notes: List[RcEntry]) -> None:
        matching = sorted(k for k in objects if k.startswith(prefix))
        if not matching:
            notes.append(RcEntry(unsigned64(C.WARN_NOT_FOUND), "No backup with id %s'%s' found on remote '%s'"
                                 % ("prefix " if many else "", prefix, remote.name)))
        elif len(matching) > 1 and not many:
            notes.append(RcEntry(C.FAIL_NOT_FOUND_BACKUP, "Ambigious id '%s' for remote '%s':\n%s"
                                 % (prefix, remote.name, "".join("  %s\n" % k for k in matching))))
        else:
            self._delete_by_keys(objects, matching, cascading, todo)

    def _delete_by_keys(self, objects: Dict[str, dict], keys: List[str], cascading: bool, todo: dict) -> None:
        for key in keys:
            obj = objects.get(key)
            if obj is not None and obj["exists"]:
                self._add_to_delete(objects, obj, cascading, todo)
            else:
                todo["missing"].add(key)

    def _add_to_delete(self, objects: Dict[str, dict], obj: dict, cascading: bool, todo: dict) -> None:
        if obj["meta"] is None:
            return
        todo["keys"].add(obj["key"])
        for child_key in obj["refs"]:
            child = objects[child_key]
            if not child["exists"]:
                todo["missing"].add(child_key)
            elif child["meta"] is None:
                todo["keys"].add(child_key)
        for parent_key in obj["refd_by"]:
            parent = objects[parent_key]
            if not parent["exists"]:
                todo["missing"].add(parent_key)
            elif parent["meta"] is not None:
                if not cascading:
                    raise bare_error(C.FAIL_DEPENDEND_BACKUP, "%s should be deleted, but at least %s is referencing "
                                                              "it. Use --cascading to delete recursively"
                                     % (obj["key"], parent_key))
                self._add_to_delete(objects, parent, cascading, todo)
        if obj["snap"] is not None:
            todo["snaps"].add(obj["snap"])

    # -- info and restore ---------------------------------------------------------------------------
    def _select_backup(self, remote: Remote, src_rsc: Optional[str], src_snap: Optional[str],
                       last_backup: Optional[str], invalid_message) -> Tuple[Optional[KeyInfo], List[str]]:
        if last_backup:
            meta_name = last_backup if last_backup.endswith(META_SUFFIX) else last_backup + META_SUFFIX
            info = parse_meta_key(meta_name)
            if info is None:
                raise bare_error(C.FAIL_INVLD_BACKUP_CONFIG | C.MASK_BACKUP, invalid_message(last_backup, meta_name))
            return info, self._keys(remote, info.rsc)
        keys = self._keys(remote, src_rsc)
        latest = None
        for key in keys:
            info = parse_meta_key(key)
            if info is None or (src_snap and src_snap != info.snap):
                continue
            if latest is None or latest.time_ms < info.time_ms:
                latest = info
        return latest, keys

    def _chain(self, remote: Remote, info: KeyInfo) -> List[Tuple[KeyInfo, dict]]:
        """The backup and the ones it is based on, newest first."""
        chain = []
        current: Optional[KeyInfo] = info
        while current is not None:
            obj = remote.objects.get(current.meta_key())
            if obj is None or obj.meta is None:
                raise bare_error(C.FAIL_UNKNOWN_ERROR | C.MASK_BACKUP, "Failed to parse meta file %s"
                                 % current.meta_key())
            chain.append((current, obj.meta))
            current = parse_meta_key(obj.meta["based_on"]) if obj.meta.get("based_on") else None
        return chain

    def _pool_usage(self, remote: Remote, chain: List[Tuple[KeyInfo, dict]]) -> Dict[Tuple[str, str], List[dict]]:
        """``fillBackupInfo``: per (pool, kind) its volumes' names and sizes (allocated and usable only
        for the newest backup)."""
        pools: Dict[Tuple[str, str], List[dict]] = {}
        for index, (_, meta) in enumerate(chain):
            for vlm in meta["vlms"]:
                obj = remote.objects.get(vlm["name"])
                entry = {"name": vlm["name"], "layer_type": "STORAGE"}
                if obj is not None:
                    entry["dl_size_kib"] = -(-obj.size_bytes // 1024)
                if index == 0:
                    entry["alloc_size_kib"] = vlm["alloc_kib"] if vlm["alloc_kib"] else vlm["size_kib"]
                    entry["usable_size_kib"] = vlm["size_kib"]
                pools.setdefault((vlm["pool"], vlm["provider_kind"]), []).append(entry)
        return pools

    def _remaining(self, pools: Dict[Tuple[str, str], List[dict]], rename: Dict[str, str], node_name: str
                   ) -> Dict[str, Optional[int]]:
        remaining: Dict[str, Optional[int]] = {}
        for (pool_name, _), vlms in sorted(pools.items()):
            target = rename.get(pool_name, pool_name)
            pool = self.get_storage_pool(node_name, target)
            free = remaining.get(names.key(pool.name), pool.free_capacity)
            need = sum(v.get("alloc_size_kib", 0) + v.get("dl_size_kib", 0) for v in vlms)
            remaining[names.key(pool.name)] = free - need if free is not None else None
        return remaining

    def backup_info(self, remote_name: str, src_rsc: Optional[str] = None, src_snap: Optional[str] = None,
                    last_backup: Optional[str] = None, stor_pool_map: Optional[Dict[str, str]] = None,
                    node_name: Optional[str] = None) -> dict:
        """``POST /v1/remotes/{remote}/backups/info``, as its wire JSON."""
        self._settle_backups()
        if node_name:
            self._check_backup_node_name(node_name)
        remote = self._s3_remote(remote_name)
        self._local_master_key()
        rename = dict(stor_pool_map or {})
        info, keys = self._select_backup(remote, src_rsc, src_snap, last_backup, lambda given, meta: (
            "The target backup %s is invalid since it does not match the pattern of %sPlease provide a valid target "
            "backup, or provide only the source resource name to restore to the latest backup of that resource."
            % (meta, _SELECTION_PATTERN)))
        if info is None:
            raise bare_error(C.FAIL_NOT_FOUND_BACKUP | C.MASK_BACKUP, "Could not find a matching backup for resource "
                                                                      "'%s', snapshot '%s' and id '%s' in remote '%s'"
                             % (src_rsc, src_snap, last_backup, remote_name))
        if info.meta_key() not in keys:
            raise bare_error(C.FAIL_NOT_FOUND_SNAPSHOT_DFN | C.MASK_BACKUP, "Could not find the needed meta-file with "
                                                                            "the name '%s' in remote '%s'"
                             % (info.meta_key(), remote_name))
        chain = self._chain(remote, info)
        pools = self._pool_usage(remote, chain)
        remaining = self._remaining(pools, rename, node_name) if node_name is not None else {}
        storpools = []
        for (pool_name, kind), vlms in sorted(pools.items()):
            target = rename.get(pool_name, pool_name)
            entry = {"name": pool_name, "provider_kind": kind, "target_name": target}
            if remaining.get(names.key(target)) is not None:
                entry["remaining_space_kib"] = remaining[names.key(target)]
            entry["vlms"] = vlms
            storpools.append(entry)
        return {"rsc": info.rsc, "full": chain[-1][0].meta_key(), "snap": info.snap, "latest": info.full_id(),
                "count": len(chain), "dl_size_kib": sum(v.get("dl_size_kib", 0) for vs in pools.values() for v in vs),
                "alloc_size_kib": sum(v.get("alloc_size_kib", 0) for vs in pools.values() for v in vs),
                "storpools": storpools}

    def _check_backup_node_name(self, node_name: str) -> None:
        try:
            names.check_node_name(node_name)
        except names.InvalidName as err:
            raise bare_error(C.FAIL_INVLD_NODE_NAME, "The given node name '%s' is invalid." % node_name,
                             cause=str(err))

    def restore_backup(self, remote_name: str, node_name: Optional[str], target_rsc: Optional[str],
                       src_rsc: Optional[str] = None, src_snap: Optional[str] = None, last_backup: Optional[str] = None,
                       stor_pool_map: Optional[Dict[str, str]] = None, download_only: bool = False,
                       force_restore: bool = False, dst_rsc_grp: Optional[str] = None,
                       force_mv_rsc_grp: bool = False) -> List[RcEntry]:
        """``POST /v1/remotes/{remote}/backups/restore``: downloads the chain into snapshots of the
        target and (unless download only or the target has resources) restores it on the node."""
        self._settle_backups()
        self._check_backup_node_name(node_name or "")
        node = self.get_node(node_name)
        if node.connection_status != "ONLINE":
            raise bare_error(C.FAIL_NOT_CONNECTED, "No active connection to satellite '%s'." % node.name,
                             details="Backups cannot be restored when the corresponding satellite is not connected.")
        remote = self._s3_remote(remote_name)
        self._local_master_key()
        rename = dict(stor_pool_map or {})
        info, keys = self._select_backup(remote, src_rsc, src_snap, last_backup, lambda given, meta: (
            "The target backup %s is invalid since it does not match the pattern of '<rscName>_back_YYYYMMDD_HHMMSS"
            "[optional-backup-s3-suffix][^snapshot-name][.meta] (e.g. my-rsc_back_20210824_072543)'. Please provide a "
            "valid target backup, or provide only the source resource name to restore to the latest backup of that "
            "resource." % given))
        if info is None or info.meta_key() not in keys:
            raise bare_error(C.FAIL_INVLD_BACKUP_CONFIG | C.MASK_BACKUP, "The target backup %s is invalid since it "
                                                                         "does not exist in the given remote %s. "
                                                                         "Please provide a valid target backup, or "
                                                                         "provide only the source resource name to "
                                                                         "restore to the latest backup of that "
                                                                         "resource."
                             % (info.meta_key() if info else None, remote_name))
        chain = self._chain(remote, info)
        rd = self.resource_definitions.get(names.key(target_rsc or ""))
        if rd is not None:
            for index, (key_info, _) in enumerate(chain):
                sd = self._find_snapshot(rd.name, key_info.snap)
                if sd is None:
                    continue
                if names.key(node.name) not in sd.snapshots:
                    node = self.get_node(next(s.node_name for _, s in sorted(sd.snapshots.items())))
                chain = chain[:index]
                break
        pools = self._pool_usage(remote, chain)
        too_full = [self.get_storage_pool(node.name, k).name for k, free in
                    sorted(self._remaining(pools, rename, node.name).items()) if free is not None and free < 0]
        if too_full:
            raise bare_error(C.FAIL_NOT_ENOUGH_FREE_SPACE | C.MASK_BACKUP, "The storage-pool(s) %s do(es) not have "
                                                                           "enough space remaining for the restore. "
                                                                           "For more information, please use the "
                                                                           "'backup info' command." % ", ".join(too_full))
        if not chain:
            raise bare_error(C.FAIL_EXISTS_SNAPSHOT | C.MASK_BACKUP, "The requested backup has already been downloaded "
                                                                     "to this cluster. Please use 'snapshot resource "
                                                                     "restore' to get a resource.")
        before = self.copy_state()
        try:
            return self._download(remote, chain, node.name, target_rsc, rename, download_only, force_restore,
                                  dst_rsc_grp, force_mv_rsc_grp, info)
        except ApiError:
            self.set_state(before)
            raise

    def _download(self, remote: Remote, chain: List[Tuple[KeyInfo, dict]], node_name: str, target_rsc: str,
                  rename: Dict[str, str], download_only: bool, force_restore: bool, dst_rsc_grp: Optional[str],
                  force_mv_rsc_grp: bool, info: KeyInfo) -> List[RcEntry]:
        responses: List[RcEntry] = []
        newest = chain[0][1]
        rd = self.resource_definitions.get(names.key(target_rsc))
        if rd is None:
            result = self.create_resource_definition(target_rsc, resource_group=dst_rsc_grp or None)
            if any(e.is_error for e in result):
                raise ApiError(result)
            rd = self.get_resource_definition(target_rsc)
        reset = not download_only and not rd.resources
        if reset:
            rd.props = {k: v for k, v in newest["rsc_dfn_props"].items() if k != PRIMARY_SET}
            if dst_rsc_grp and names.key(dst_rsc_grp) != names.key(rd.resource_group_name):
                rd.resource_group_name = self.get_resource_group(dst_rsc_grp).name
        elif dst_rsc_grp and names.key(dst_rsc_grp) != names.key(rd.resource_group_name):
            if not rd.resources or force_mv_rsc_grp:
                rd.resource_group_name = self.get_resource_group(dst_rsc_grp).name
            else:
                responses.append(RcEntry(unsigned64(C.WARN_RSC_ALREADY_DEPLOYED), "Target resource definition '%s' "
                                         "has resources deployed. --target-resource-group is ignored in order to "
                                         "prevent unexpected future autoplacements. Use --force-move-resource-group "
                                         "to override this warning." % rd.name))
        if reset:
            for vlm in newest["vlms"]:
                if vlm["vlm_nr"] not in rd.volume_definitions:
                    result = self.create_volume_definition(rd.name, vlm["size_kib"], vlm["vlm_nr"],
                                                           flags=[f for f in vlm["flags"] if f == "ENCRYPTED"])
                    if any(e.is_error for e in result):
                        raise ApiError(result)
                rd.volume_definitions[vlm["vlm_nr"]].props.update(vlm["vd_props"])
        if rd.resources and not download_only and not (len(rd.resources) == 1 and force_restore):
            responses.append(RcEntry(unsigned64(C.WARN_BACKUP_DL_ONLY), "The target resource-definition is already "
                                     "deployed on nodes. After downloading the Backup Linstor will NOT restore the "
                                     "data to prevent unintentional data-loss."))
        # oldest first: a later backup applies on top of its base
        downloaded = []
        for key_info, meta in reversed(chain):
            downloaded.append(self._downloaded_snapshot(rd, key_info, meta, node_name, rename, remote))
        self._touch_rd(rd.name)
        responses.append(_info(C.MASK_INFO, "Restoring backup of resource %s from remote %s into resource %s in "
                                            "progress." % (info.rsc, remote.name, rd.name)))
        final = downloaded[-1]
        restore = not download_only and (not rd.resources or (len(rd.resources) == 1 and force_restore))
        if restore and not rd.resources:
            # the controller restores once the satellite reports the download done: after its reply
            ctx = Context(C.MASK_CRT, C.MASK_RSC, {}, "Resource: %s" % rd.name)
            self._restore_into(rd, final, [node_name], rename, ctx)
        return responses

    def _downloaded_snapshot(self, rd, key_info: KeyInfo, meta: dict, node_name: str, rename: Dict[str, str],
                             remote: Remote) -> SnapshotDefinition:
        ctx = snap_ctx(C.MASK_CRT, rd.name, key_info.snap)
        if self._find_snapshot(rd.name, key_info.snap) is not None:
            raise ctx.error(C.FAIL_EXISTS_SNAPSHOT_DFN, "A snapshot definition with the name '%s' already exists in "
                                                        "resource definition '%s'." % (key_info.snap, rd.name))
        self.snapshot_sequence += 1
        sd = SnapshotDefinition(name=key_info.snap, resource_name=rd.name, uuid=self.ids.uuid(),
                                sequence=self.snapshot_sequence,
                                resource_definition_props={k: v for k, v in meta["rsc_dfn_props"].items()
                                                           if k != PRIMARY_SET},
                                props=dict(meta["snap_dfn_props"]), flags=["SUCCESSFUL", "SHIPPED", "BACKUP"])
        snap = Snapshot(node_name=self.get_node(node_name).name, uuid=self.ids.uuid(),
                        create_timestamp=self.clock.now_ms(), resource_props=dict(meta["rsc_props"]),
                        layer_stack=list(meta["layers"]))
        snap.props[NS + "/" + KEY_TO_RESTORE] = key_info.meta_key()
        snap.props[NS + "/" + KEY_SRC_REMOTE] = remote.name
        for vlm in meta["vlms"]:
            nr = vlm["vlm_nr"]
            sd.volume_definitions[nr] = SnapshotVolumeDefinition(nr, vlm["size_kib"], self.ids.uuid(),
                                                                 dict(vlm["vd_props"]), list(vlm["flags"]))
            pool = self.get_storage_pool(node_name, rename.get(vlm["pool"], vlm["pool"]))
            held = vlm["size_kib"] if self._is_thin_pool(pool) else 0
            snap.volumes[nr] = SnapshotVolume(nr, self.ids.uuid(), pool.name, pool.provider_kind, held,
                                              dict(vlm["vlm_props"]))
        sd.snapshots[names.key(snap.node_name)] = snap
        self.snapshot_definitions.setdefault(names.key(rd.name), {})[names.key(sd.name)] = sd
        return sd

    @staticmethod
    def _is_thin_pool(pool) -> bool:
        return is_thin(pool.provider_kind) and pool.provider_kind != "DISKLESS"

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


def _snap_order(item: Tuple[str, str]) -> Tuple[str, str]:
    return names.key(item[0]), names.key(item[1])

