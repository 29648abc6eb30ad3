"""Backup schedules: cron checks, modify and delete, the per-remote switches and the views."""
import json

import pytest

from fakestor.apicallrc import signed64
from fakestor.model import cron
from linstor import sharedconsts as C


def post(http, path, data):
    return http.post(path, data=json.dumps(data))


def put(http, path, data):
    return http.put(path, data=json.dumps(data))


@pytest.fixture
def cluster(controller):
    """The demo cluster with an S3 remote 'bak', resource 'web' on alpha and an undeployed 'idle'."""
    c = controller.cluster
    c.set_passphrase("pw")
    c.create_s3_remote("bak", "https://s3", "b", "r", "a", "s")
    c.create_resource_definition("web")
    c.create_volume_definition("web", 1024)
    c.create_resources("web", [{"node_name": "alpha", "props": {"StorPoolName": "thin"}}])
    c.create_resource_definition("idle")
    return c


def test_create_lists_with_defaults(http, controller):
    reply = post(http, "/v1/schedules", {"schedule_name": "nightly", "full_cron": "0 2 * * *",
                                         "inc_cron": "0 * * * *", "keep_local": 0})
    assert reply.status_code == 200
    uuid = controller.cluster.schedules["NIGHTLY"].uuid
    desc = "Schedule: nightly, FullCron: 0 2 * * *, IncCron: 0 * * * *"
    assert reply.get_json() == [{"ret_code": C.MASK_CRT | C.MASK_SCHEDULE | C.CREATED,
                                 "message": desc + " created sucessfully.", "details": "%s UUID is: %s" % (desc, uuid),
                                 "obj_refs": {"Remote": "nightly"}}]
    assert http.get("/v1/schedules").get_json() == {"data": [
        {"schedule_name": "nightly", "full_cron": "0 2 * * *", "inc_cron": "0 * * * *", "keep_local": 0,
         "on_failure": "SKIP"}]}


def test_no_schedules_is_an_empty_object(http):
    assert http.get("/v1/schedules").get_json() == {}


@pytest.mark.parametrize("body,message", [
    ({"full_cron": "0 2 * *"}, 'Error parsing full-cron "0 2 * *": Cron expression contains 4 parts but we expect '
                               'one of [5]'),
    ({"full_cron": "   "}, 'Error parsing full-cron "   ": Empty expression!'),
    # the factory names the full cron for both
    ({"full_cron": "0 2 * * *", "inc_cron": "* *"}, 'Error parsing full-cron "* *": Cron expression contains 2 '
                                                     'parts but we expect one of [5]'),
    ({"full_cron": "0 0 30 2 *"}, "The cron expression for full backups '0 0 30 2 *' has no possible future "
                                  "executions."),
])
def test_bad_crons_are_refused(http, controller, body, message):
    reply = post(http, "/v1/schedules", dict(body, schedule_name="s1"))
    assert reply.status_code == 500
    entry = reply.get_json()[0]
    assert entry["ret_code"] == signed64(C.MASK_ERROR | C.MASK_CRT | C.MASK_SCHEDULE)
    assert entry["message"] == message
    assert controller.cluster.schedules == {}


def test_cron_fields_are_checked():
    # the Unix definition knows no '?'
    for bad in ("60 * * * *", "* 24 * * *", "* * 0 * *", "* * * 13 *", "* * * * 8", "*/0 * * * *", "5-1 * * * *",
                "a * * * *", "* * ? * *"):
        with pytest.raises(cron.CronError):
            cron.parse(bad)
    with pytest.raises(cron.CronError, match=r"^Failed to parse '0 x \* \* \*'. Invalid chars in expression! "
                                             r"Expression: X Invalid chars: X$"):
        cron.parse("0 x * * *")
    parsed = cron.parse("*/15 1-3 * JAN,jul sun")
    assert sorted(parsed.minutes) == [0, 15, 30, 45] and parsed.months == {1, 7} and parsed.weekdays == {0}


def test_null_cron_and_unknown_on_failure_are_unhandled_exceptions(http, controller):
    no_cron = post(http, "/v1/schedules", {"schedule_name": "s1"}).get_json()[0]
    assert no_cron["message"] == ("Creation of schedule 's1' failed due to an unhandled exception of type "
                                  "NullPointerException. Expression must not be null")
    assert no_cron["error_report_ids"]
    failure = post(http, "/v1/schedules", {"schedule_name": "s1", "full_cron": "* * * * *",
                                           "on_failure": "sometimes"}).get_json()[0]
    assert failure["ret_code"] == signed64(C.FAIL_UNKNOWN_ERROR | C.MASK_CRT | C.MASK_SCHEDULE)
    assert failure["message"].endswith("IllegalArgumentException. No enum constant "
                                       "com.linbit.linstor.core.objects.Schedule.OnFailure.SOMETIMES")
    assert controller.cluster.schedules == {}


def test_names_are_host_names_and_unique(http):
    bad = post(http, "/v1/schedules", {"schedule_name": "a_b", "full_cron": "* * * * *"}).get_json()[0]
    assert bad["ret_code"] == signed64(C.FAIL_INVLD_SCHEDULE_NAME | C.MASK_CRT | C.MASK_SCHEDULE)
    post(http, "/v1/schedules", {"schedule_name": "s1", "full_cron": "* * * * *"})
    again = post(http, "/v1/schedules", {"schedule_name": "S1", "full_cron": "* * * * *"})
    assert again.status_code == 500
    entry = again.get_json()[0]
    assert entry["ret_code"] == signed64(C.FAIL_EXISTS_SCHEDULE | C.MASK_CRT | C.MASK_SCHEDULE)
    assert "error_report_ids" not in entry


def test_modify(http, controller):
    post(http, "/v1/schedules", {"schedule_name": "s1", "full_cron": "0 2 * * *", "inc_cron": "0 * * * *",
                                 "keep_local": 3, "keep_remote": 4, "max_retries": 2})
    plain = put(http, "/v1/schedules/s1", {"keep_local": -1, "keep_remote": 9, "on_failure": "retry"}).get_json()
    assert plain[0]["message"] == "Schedule: s1 modified sucessfully."
    schedule = controller.cluster.schedules["S1"]
    # a negative keep_local clears it, and keep_remote follows keep_local's sign (the controller's test)
    assert (schedule.keep_local, schedule.keep_remote, schedule.on_failure) == (None, None, "RETRY")
    crons = put(http, "/v1/schedules/s1", {"full_cron": "0 3 * * *", "inc_cron": ""}).get_json()
    assert crons[0]["message"] == "Schedule: s1, FullCron: 0 3 * * * modified sucessfully."
    assert (schedule.full_cron, schedule.inc_cron) == ("0 3 * * *", None)


def test_modify_refusals_change_nothing(http, controller):
    post(http, "/v1/schedules", {"schedule_name": "s1", "full_cron": "0 2 * * *", "keep_local": 3})
    bad = put(http, "/v1/schedules/s1", {"keep_local": 1, "full_cron": "0 2 *"}).get_json()[0]
    assert bad["message"] == ("Modification of schedule 's1' failed due to an unhandled exception of type "
                              "ApiException. Error parsing full-cron: Cron expression contains 3 parts but we "
                              "expect one of [5]")
    npe = put(http, "/v1/schedules/s1", {"full_cron": "0 4 * * *", "keep_remote": 1}).get_json()[0]
    assert "NullPointerException" in npe["message"]
    schedule = controller.cluster.schedules["S1"]
    assert (schedule.full_cron, schedule.keep_local, schedule.keep_remote) == ("0 2 * * *", 3, None)
    missing = put(http, "/v1/schedules/none", {})
    assert missing.status_code == 404
    assert missing.get_json()[0]["message"] == "Schedule 'none' not registered."


def test_delete_removes_the_switches_everywhere(http, cluster):
    post(http, "/v1/schedules", {"schedule_name": "s1", "full_cron": "0 2 * * *"})
    put(http, "/v1/remotes/bak/backups/schedule/s1/enable", {"rsc_name": "web", "node_name": "alpha",
                                                            "stor_pool_rename": {"thin": "zfs"}})
    put(http, "/v1/remotes/bak/backups/schedule/s1/disable", {"grp_name": "DfltRscGrp"})
    put(http, "/v1/remotes/bak/backups/schedule/s1/enable", {})
    uuid = cluster.schedules["S1"].uuid
    reply = http.delete("/v1/schedules/s1").get_json()
    assert reply == [
        {"ret_code": C.MASK_DEL | C.MASK_SCHEDULE | C.DELETED, "message": "Schedule: s1 marked for deletion.",
         "details": "Schedule: s1 UUID is: %s" % uuid, "obj_refs": {"Remote": "s1"}},
        {"ret_code": C.MASK_MOD | C.MASK_SCHEDULE | C.DELETED, "message": "Schedule: s1 deleted.",
         "details": "Schedule: s1 UUID was: %s" % uuid, "obj_refs": {"Remote": "s1"}}]
    # only keys of exactly four parts go: the rename map entries stay, as on the controller
    assert {k: v for k, v in cluster.resource_definitions["WEB"].props.items() if k.startswith("Schedule/")} == {
        "Schedule/bak/s1/RenameStorpoolMap/thin": "zfs"}
    assert not [k for k in cluster.resource_groups["DFLTRSCGRP"].props if k.startswith("Schedule/")]
    assert not [k for k in cluster.controller_props if k.startswith("Schedule/")]
    gone = http.delete("/v1/schedules/s1").get_json()
    assert gone == [{"ret_code": signed64(C.WARN_NOT_FOUND | C.MASK_DEL | C.MASK_SCHEDULE),
                     "message": "Schedule: s1 not found.", "obj_refs": {"Remote": "s1"}}]


def test_switches_set_properties_per_level(http, cluster):
    post(http, "/v1/schedules", {"schedule_name": "s1", "full_cron": "0 2 * * *"})
    on = put(http, "/v1/remotes/bak/backups/schedule/s1/enable",
             {"rsc_name": "web", "node_name": "alpha", "dst_stor_pool": "zfs", "force_restore": True,
              "dst_rsc_grp": "grp", "force_mv_rsc_grp": True})
    assert on.get_json() == [{"ret_code": C.MODIFIED, "message": "Backup shipping schedule 's1' sucessfully enabled "
                                                                "for resource definition 'web' to remote 'bak'."}]
    props = {k: v for k, v in cluster.resource_definitions["WEB"].props.items() if k.startswith("Schedule/")}
    assert props == {"Schedule/bak/s1/Enabled": "True", "Schedule/bak/s1/PrefNode": "alpha",
                     "Schedule/bak/s1/RenameStorpoolMap/*": "zfs", "Schedule/bak/s1/ForceRestore": "True",
                     "Schedule/bak/s1/TargetResourceGroup": "grp", "Schedule/bak/s1/ForceResourceGroup": "True"}
    off = put(http, "/v1/remotes/bak/backups/schedule/s1/disable", {}).get_json()
    assert off[0]["message"] == "Backup shipping schedule 's1' sucessfully disabled on controller to remote 'bak'."
    assert cluster.controller_props["Schedule/bak/s1/Enabled"] == "False"
    removed = http.delete("/v1/remotes/bak/backups/schedule/s1/delete?rsc_dfn_name=web").get_json()
    assert removed == [{"ret_code": C.DELETED, "message": "Backup shipping schedule 's1' sucessfully deleted for "
                                                          "resource definition 'web' to remote 'bak'."}]
    assert "Schedule/bak/s1/Enabled" not in cluster.resource_definitions["WEB"].props
    assert "Schedule/bak/s1/PrefNode" not in cluster.resource_definitions["WEB"].props


def test_switches_need_remote_schedule_and_target(http, cluster):
    post(http, "/v1/schedules", {"schedule_name": "s1", "full_cron": "0 2 * * *"})
    no_remote = put(http, "/v1/remotes/nope/backups/schedule/s1/enable", {})
    assert no_remote.status_code == 404
    assert no_remote.get_json()[0] == {"ret_code": signed64(C.FAIL_NOT_FOUND_REMOTE),
                                       "message": "Remote 'nope' not registered.",
                                       "cause": "The specified remote 'nope' could not be found in the database",
                                       "correction": "Create a remote with the name 'nope' first."}
    no_schedule = put(http, "/v1/remotes/bak/backups/schedule/none/enable", {})
    assert no_schedule.get_json()[0]["message"] == "Schedule 'none' not registered."
    no_rsc = put(http, "/v1/remotes/bak/backups/schedule/s1/enable", {"rsc_name": "missing"})
    assert no_rsc.status_code == 404
    assert not [k for k in cluster.controller_props if k.startswith("Schedule/")]


def test_schedules_by_resource_view(http, cluster):
    post(http, "/v1/schedules", {"schedule_name": "s1", "full_cron": "0 2 * * *", "inc_cron": "30 * * * *"})
    assert http.get("/v1/view/schedules-by-resource").get_json() == {"data": [
        _idle("idle", "none set"), _idle("web", "none set")]}
    put(http, "/v1/remotes/bak/backups/schedule/s1/enable", {})
    rows = http.get("/v1/view/schedules-by-resource").get_json()["data"]
    assert rows[0] == _idle("idle", "undeployed")
    active = rows[1]
    assert (active["rsc_name"], active["remote_name"], active["schedule_name"]) == ("web", "bak", "s1")
    assert "reason" not in active and active["last_snap_time"] == -1
    # the demo clock starts at 2025-07-10 12:00 UTC: the next incremental comes first
    assert active["next_planned_inc"] == 1752150600000 and active["next_planned_full"] == 1752199200000
    assert active["next_exec_time"] == 1752150600000 and active["next_exec_inc"] is True
    put(http, "/v1/remotes/bak/backups/schedule/s1/disable", {"rsc_name": "web"})
    only = http.get("/v1/view/schedules-by-resource?rsc=web").get_json()["data"]
    assert only == [dict(_idle("web", "disabled"), remote_name="bak", schedule_name="s1")]
    assert http.get("/v1/view/schedules-by-resource?active-only=true").get_json() == {}


def test_schedule_details_per_level(http, cluster):
    post(http, "/v1/schedules", {"schedule_name": "s1", "full_cron": "0 2 * * *"})
    put(http, "/v1/remotes/bak/backups/schedule/s1/enable", {})
    put(http, "/v1/remotes/bak/backups/schedule/s1/disable", {"rsc_name": "web"})
    assert http.get("/v1/view/schedules-by-resource/web").get_json() == {"data": [
        {"remote_name": "bak", "schedule_name": "s1", "rsc_dfn": False, "ctrl": True}]}
    assert http.get("/v1/view/schedules-by-resource/nope").status_code == 404


def _idle(rsc: str, reason: str) -> dict:
    return {"rsc_name": rsc, "reason": reason, "last_snap_time": -1, "last_snap_inc": False, "next_exec_time": -1,
            "next_exec_inc": False, "next_planned_full": -1, "next_planned_inc": -1}
