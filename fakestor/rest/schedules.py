"""/v1/schedules, the schedules views and the schedule switches of a remote
(``rest/v1/Schedules.java``, ``View.java``, ``Backups.java``)."""
from flask import Blueprint, request

from .common import ASYNC, MapOf, Obj, body, json_response, lookup, query_bool, read, write
from .wire import schedules as wire

bp = Blueprint("schedules", __name__)

SCHEDULE = Obj({"schedule_name": str, "full_cron": str, "inc_cron": str, "keep_local": int, "keep_remote": int,
                "on_failure": str, "max_retries": int}, "Schedule")
SCHEDULE_MODIFY = Obj({"full_cron": str, "inc_cron": str, "keep_local": int, "keep_remote": int, "on_failure": str,
                       "max_retries": int}, "ScheduleModify")
BACKUP_SCHEDULE = Obj({"rsc_name": str, "grp_name": str, "node_name": str, "dst_stor_pool": str,
                       "stor_pool_rename": MapOf(str), "force_restore": bool, "dst_rsc_grp": str,
                       "force_mv_rsc_grp": bool}, "BackupSchedule")


@bp.get("/v1/schedules")
def list_schedules():
    return json_response(read(lambda c: wire.schedule_list(c.list_schedules())))


@bp.post("/v1/schedules")
def create_schedule():
    d = body(SCHEDULE, **ASYNC)
    on_failure = d.get("on_failure", "SKIP")  # the JSON type's default
    return write(lambda c: c.create_schedule(d.get("schedule_name"), d.get("full_cron"), d.get("inc_cron"),
                                             d.get("keep_local"), d.get("keep_remote"), on_failure,
                                             d.get("max_retries")))


@bp.put("/v1/schedules/<name>")
def modify_schedule(name):
    d = body(SCHEDULE_MODIFY, **ASYNC)
    return write(lambda c: c.modify_schedule(name, d.get("full_cron"), d.get("inc_cron"), d.get("keep_local"),
                                             d.get("keep_remote"), d.get("on_failure"), d.get("max_retries")))


@bp.delete("/v1/schedules/<name>")
def delete_schedule(name):
    return write(lambda c: c.delete_schedule(name))


@bp.get("/v1/view/schedules-by-resource")
def scheduled_resources():
    rows = read(lambda c: c.scheduled_resources(request.args.get("rsc"), request.args.get("remote"),
                                                request.args.get("schedule"), query_bool("active-only")))
    return json_response(wire.data_list(rows))


@bp.get("/v1/view/schedules-by-resource/<rsc>")
def schedule_details(rsc):
    return lookup(lambda c: wire.data_list(c.schedule_details(rsc)))


@bp.put("/v1/remotes/<remote>/backups/schedule/<schedule>/enable")
def enable_schedule(remote, schedule):
    d = body(BACKUP_SCHEDULE, **ASYNC)
    return write(lambda c: c.set_backup_schedule(remote, schedule, True, d.get("rsc_name"), d.get("grp_name"),
                                                 d.get("node_name"), d.get("dst_stor_pool"), d.get("stor_pool_rename"),
                                                 d.get("dst_rsc_grp"), bool(d.get("force_restore")),
                                                 bool(d.get("force_mv_rsc_grp"))))


@bp.put("/v1/remotes/<remote>/backups/schedule/<schedule>/disable")
def disable_schedule(remote, schedule):
    d = body(BACKUP_SCHEDULE, **ASYNC)
    return write(lambda c: c.set_backup_schedule(remote, schedule, False, d.get("rsc_name"), d.get("grp_name"),
                                                 d.get("node_name")))


@bp.delete("/v1/remotes/<remote>/backups/schedule/<schedule>/delete")
def delete_schedule_association(remote, schedule):
    return write(lambda c: c.delete_backup_schedule(remote, schedule, request.args.get("rsc_dfn_name"),
                                                    request.args.get("rsc_grp_name")))
