"""Backup info and restore from an S3 remote (``CtrlBackupApiCallHandler#backupInfo``,
``CtrlBackupRestoreApiCallHandler``). The fake downloads at once: the target definition gets
the backups' snapshots and, unless it has resources or only a download was asked for, its
resource on the target node, created after the reply as the controller does it."""
from typing import Dict, List, Optional, Tuple

from linstor import sharedconsts as C

from ..apicallrc import ApiError, Context, RcEntry, bare_error, unsigned64
from . import names
from .backup_keys import (
    KEY_SRC_REMOTE,
    KEY_TO_RESTORE,
    META_SUFFIX,
    NS,
    PRIMARY_SET,
    SELECTION_PATTERN,
    KeyInfo,
    parse_meta_key,
)
from .objects import Snapshot, SnapshotDefinition, SnapshotVolume, SnapshotVolumeDefinition
from .remotes import Remote
from .snapshots import snap_ctx
from .storage import is_thin


def _info(code: int, message: str) -> RcEntry:
    return RcEntry(unsigned64(code), message)


class BackupRestoreOps:
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
            % (meta, SELECTION_PATTERN)))
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
