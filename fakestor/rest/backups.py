"""/v1/remotes/{remote}/backups: backups to S3 remotes and shipping to LINSTOR remotes
(``rest/v1/Backups.java``), and the backup queue view."""
from flask import Blueprint, request

from linstor import sharedconsts as C

from ..apicallrc import RcEntry, unsigned64
from .common import (
    ASYNC,
    MapOf,
    Obj,
    body,
    json_response,
    lookup,
    query_bool,
    query_list,
    rc_response,
    read,
    write,
)
from .wire import backups as wire

bp = Blueprint("backups", __name__)

CREATE = Obj({"rsc_name": str, "node_name": str, "snap_name": str, "incremental": bool}, "BackupCreate")
RESTORE = Obj({"src_rsc_name": str, "src_snap_name": str, "last_backup": str, "stor_pool_map": MapOf(str),
               "target_rsc_name": str, "passphrase": str, "node_name": str, "download_only": bool,
               "force_restore": bool, "dst_rsc_grp": str, "force_mv_rsc_grp": bool}, "BackupRestore")
INFO = Obj({"src_rsc_name": str, "src_snap_name": str, "last_backup": str, "stor_pool_map": MapOf(str),
            "node_name": str}, "BackupInfoRequest")
ABORT = Obj({"rsc_name": str, "restore": bool, "create": bool}, "BackupAbort")
SHIP = Obj({"src_node_name": str, "src_rsc_name": str, "dst_rsc_name": str, "dst_node_name": str,
            "dst_net_if_name": str, "dst_stor_pool": str, "stor_pool_rename": MapOf(str), "download_only": bool,
            "force_restore": bool, "allow_incremental": bool, "dst_rsc_grp": str, "force_mv_rsc_grp": bool},
           "BackupShip")

# Backups.java: which delete filters go together (bits: cascade, id, id prefix, s3 key,
# time/resource/node, all, all of the local cluster)
_CASCADE, _ID, _PREFIX, _S3KEY, _TRN, _ALL, _LOCAL = 1, 2, 4, 8, 16, 32, 64
_ALLOWED = {_ID, _ID | _CASCADE, _PREFIX, _PREFIX | _CASCADE, _S3KEY, _S3KEY | _CASCADE, _TRN, _TRN | _CASCADE,
            _ALL, _ALL | _CASCADE, _LOCAL, _LOCAL | _CASCADE}


def _refused(code: int, message: str, status: int):
    """An ApiRcException thrown by the REST method itself: the exception mapper's answer."""
    return rc_response([RcEntry(unsigned64(code), message)], error_status=status)


def _selection_error(last_backup, rsc, snap, download_only=False, force_restore=False):
    if not (last_backup or rsc or snap):
        return _refused(C.FAIL_INVLD_REQUEST, "One of backup ID, resource name or snapshot name is required, but "
                                              "none was given", 400)
    if download_only and force_restore:
        return _refused(C.FAIL_INVLD_REQUEST, "--download-only and --force-restore are mutually exclusive, use at "
                                              "most one of them.", 400)
    return None


@bp.post("/v1/remotes/<remote>/backups")
def create_backup(remote):
    d = body(CREATE, **ASYNC)
    return write(lambda c: c.create_backup(remote, d.get("rsc_name"), d.get("node_name"), d.get("snap_name"),
                                           bool(d.get("incremental"))), 201)


@bp.get("/v1/remotes/<remote>/backups")
def list_backups(remote):
    return lookup(lambda c: wire.backup_list(*c.list_backups(remote, request.args.get("rsc_name"),
                                                             request.args.get("snap_name"))))


@bp.delete("/v1/remotes/<remote>/backups")
def delete_backups(remote):
    args = {k: request.args.get(k, "") for k in ("id", "id_prefix", "node_name", "s3key", "timestamp",
                                                  "resource_name")}
    flags = {k: query_bool(k) for k in ("cascading", "all_local_cluster", "all", "dryrun", "keep_snaps")}
    combination = (_CASCADE if flags["cascading"] else 0) | (_ID if args["id"] else 0) | \
        (_PREFIX if args["id_prefix"] else 0) | (_S3KEY if args["s3key"] else 0) | \
        (_TRN if args["timestamp"] or args["resource_name"] or args["node_name"] else 0) | \
        (_ALL if flags["all"] else 0) | (_LOCAL if flags["all_local_cluster"] else 0)
    if combination not in _ALLOWED:
        message = ("You have to specify which backups you want to delete. Use 'all' to delete all backups in the "
                   "specified bucket" if combination == 0 else
                   "Too many parameters given. You can only use the following parameters in combination: id and "
                   "cascading; s3key and cascading; since, resource_name and node_name in any combination; all other "
                   "parameters can only be used on their own.")
        return rc_response([RcEntry(unsigned64(C.FAIL_INVLD_REQUEST), message)])
    return write(lambda c: c.delete_backups(remote, args["id"], args["id_prefix"], flags["cascading"],
                                            args["timestamp"], args["resource_name"], args["node_name"],
                                            flags["all_local_cluster"], flags["all"], args["s3key"], flags["dryrun"],
                                            flags["keep_snaps"]))


@bp.post("/v1/remotes/<remote>/backups/info")
def backup_info(remote):
    d = body(INFO, **ASYNC)
    refused = _selection_error(d.get("last_backup"), d.get("src_rsc_name"), d.get("src_snap_name"))
    if refused is not None:
        return refused
    if d.get("stor_pool_map") and not d.get("node_name"):
        return _refused(C.FAIL_INVLD_REQUEST, "Too few parameters given. When using --storpool-rename, then "
                                              "--target-node is also needed.", 400)
    return lookup(lambda c: c.backup_info(remote, d.get("src_rsc_name"), d.get("src_snap_name"), d.get("last_backup"),
                                          d.get("stor_pool_map"), d.get("node_name")))


@bp.post("/v1/remotes/<remote>/backups/restore")
def restore_backup(remote):
    d = body(RESTORE, **ASYNC)
    refused = _selection_error(d.get("last_backup"), d.get("src_rsc_name"), d.get("src_snap_name"),
                               bool(d.get("download_only")), bool(d.get("force_restore")))
    if refused is not None:
        return refused
    return write(lambda c: c.restore_backup(remote, d.get("node_name"), d.get("target_rsc_name"),
                                            d.get("src_rsc_name"), d.get("src_snap_name"), d.get("last_backup"),
                                            d.get("stor_pool_map"), bool(d.get("download_only")),
                                            bool(d.get("force_restore")), d.get("dst_rsc_grp"),
                                            bool(d.get("force_mv_rsc_grp"))), 201)


@bp.post("/v1/remotes/<remote>/backups/abort")
def abort_backups(remote):
    d = body(ABORT, **ASYNC)
    return write(lambda c: c.abort_backups(remote, d.get("rsc_name"), bool(d.get("restore")), bool(d.get("create"))))


@bp.post("/v1/remotes/<remote>/backups/ship")
def ship_backup(remote):
    d = body(SHIP, **ASYNC)
    return write(lambda c: c.ship_backup(remote, d.get("src_rsc_name")), 201)


@bp.get("/v1/view/backup/queue")
def backup_queue():
    return json_response(read(lambda c: c.backup_queues(query_list("nodes"), query_list("snapshots"),
                                                        query_list("resources"), query_list("remotes"),
                                                        query_bool("snap_to_node"))))
