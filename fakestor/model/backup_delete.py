"""Deleting backups from an S3 remote (``CtrlBackupApiCallHandler#deleteBackup``): by id, id
prefix, S3 key, time/resource/node, everything, or everything of this cluster; dependent
backups need ``cascading``; the local snapshots of deleted backups go too unless kept."""
from typing import Dict, List, Tuple

from linstor import sharedconsts as C

from ..apicallrc import RcEntry, bare_error, unsigned64
from . import names
from .backup_keys import META_SUFFIX, _parse_ms, parse_meta_key, parse_volume_key
from .remotes import Remote


class BackupDeleteOps:
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


def _snap_order(item: Tuple[str, str]) -> Tuple[str, str]:
    return names.key(item[0]), names.key(item[1])
