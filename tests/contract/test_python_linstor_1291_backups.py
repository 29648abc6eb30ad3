"""python-linstor 1.29.1 (from PyPI, unmodified) against the fake: remotes, schedules and
backups to an S3 remote, end to end as a backup tool drives them."""

from fakestor import Controller
from tests.contract.compat import newer_only, run_compat

pytestmark = newer_only()


def with_web(controller: Controller) -> Controller:
    """Resource 'web' (one 64 MiB volume) on alpha and bravo."""
    cluster = controller.cluster
    cluster.create_resource_definition("web")
    cluster.create_volume_definition("web", 64 * 1024)
    cluster.create_resources("web", [{"node_name": n, "props": {"StorPoolName": "thin"}} for n in ("alpha", "bravo")])
    return controller


def test_remotes(newer_python, compat_controller, compat_server):
    out = run_compat(newer_python, """
        def rc(replies):
            return [[r.is_error(), r.message] for r in replies]

        seen = {"locked": rc(lin.remote_create_s3("bak", "https://s3", "eu", "bucket", "ak", "sk"))}
        lin.crypt_create_passphrase("pw")
        seen["s3"] = rc(lin.remote_create_s3("bak", "https://s3", "eu", "bucket", "ak", "sk"))
        seen["linstor"] = rc(lin.remote_create_linstor("other", "ctrl2"))
        seen["modified"] = rc(lin.remote_modify_s3("bak", bucket="bucket2"))
        listed = lin.remote_list()[0]
        seen["listed"] = [[r.remote_name, r.bucket] for r in listed.s3_remotes] + \\
            [[r.remote_name, r.url] for r in listed.linstor_remotes]
        seen["deleted"] = rc(lin.remote_delete("other"))
        emit(seen)
    """, compat_server.linstor_uri)
    assert out["locked"] == [[True, "Unable to create encrypt key without having a master key"]]
    assert out["s3"] == [[False, "Remote created"]]
    assert out["linstor"] == [[False, "Linstor remote successfully created"]]
    assert out["listed"] == [["bak", "bucket2"], ["other", "http://ctrl2:3370"]]
    assert out["deleted"] == [[False, "Remote: other marked for deletion."], [False, "Remote: other deleted."]]
    assert [r.name for r in compat_controller.cluster.list_remotes()] == ["bak"]


def test_schedules(newer_python, compat_controller, compat_server):
    with_web(compat_controller)
    out = run_compat(newer_python, """
        def rc(replies):
            return [[r.is_error(), r.message] for r in replies]

        lin.crypt_create_passphrase("pw")
        lin.remote_create_s3("bak", "https://s3", "eu", "bucket", "ak", "sk")
        seen = {"created": rc(lin.schedule_create("nightly", "0 2 * * *", keep_local=2, keep_remote=7,
                                                  on_failure="RETRY", incremental_cron="0 * * * *", max_retries=3)),
                "bad": rc(lin.schedule_create("broken", "0 2 * *"))}
        listed = lin.schedule_list().schedules
        seen["listed"] = [[s.schedule_name, s.full_cron, s.inc_cron, s.keep_local, s.keep_remote, s.on_failure,
                           s.max_retries] for s in listed]
        seen["enabled"] = rc(lin.backup_schedule_enable("bak", "nightly", resource_name="web"))
        rows = lin.schedule_list_by_resource()[0].schedule_resources
        seen["rows"] = [[r.resource_name, r.remote_name, r.schedule_name, r.reason] for r in rows]
        seen["disabled"] = rc(lin.backup_schedule_disable("bak", "nightly", resource_name="web"))
        seen["dropped"] = rc(lin.backup_schedule_delete("bak", "nightly", resource_name="web"))
        seen["deleted"] = rc(lin.schedule_delete("nightly"))
        emit(seen)
    """, compat_server.linstor_uri)
    assert out["created"] == [[False, "Schedule: nightly, FullCron: 0 2 * * *, IncCron: 0 * * * * created "
                                      "sucessfully."]]
    assert out["bad"][0][0] is True and "contains 4 parts" in out["bad"][0][1]
    assert out["listed"] == [["nightly", "0 2 * * *", "0 * * * *", 2, 7, "RETRY", 3]]
    assert out["enabled"] == [[False, "Backup shipping schedule 'nightly' sucessfully enabled for resource "
                                      "definition 'web' to remote 'bak'."]]
    assert out["rows"] == [["web", "bak", "nightly", None]]
    assert out["disabled"][0][0] is False and out["dropped"][0][0] is False
    assert [m for _, m in out["deleted"]] == ["Schedule: nightly marked for deletion.", "Schedule: nightly deleted."]
    assert compat_controller.cluster.schedules == {}
    assert not [k for k in compat_controller.cluster.resource_definitions["WEB"].props if k.startswith("Schedule/")]


def test_backup_create_list_restore_delete(newer_python, compat_controller, compat_server):
    with_web(compat_controller)
    out = run_compat(newer_python, """
        def rc(replies):
            return [[r.is_error(), r.message] for r in replies]

        lin.crypt_create_passphrase("pw")
        lin.remote_create_s3("bak", "https://s3", "eu", "bucket", "ak", "sk")
        seen = {"created": rc(lin.backup_create("bak", "web", snap_name="s1"))}
        backups = lin.backup_list("bak")[0]
        seen["listed"] = [[b.id, b.origin_rsc_name, b.origin_snap_name, b.success, b.restorable]
                          for b in backups.linstor]
        info = lin.backup_info("bak", resource_name="web", target_node="charlie")[0]
        seen["info"] = [info.rsc, info.snap, info.full, info.latest, info.count]
        seen["restored"] = rc(lin.backup_restore("bak", "charlie", "copy", resource_name="web"))
        seen["queue"] = [len(lin.backup_queue_list()[0].node_queues)]
        seen["ship"] = rc(lin.backup_ship("bak", "web", "web"))
        seen["deleted"] = rc(lin.backup_delete("bak", all_linstor=True))
        seen["after"] = len(lin.backup_list("bak")[0].linstor)
        emit(seen)
    """, compat_server.linstor_uri)
    created = [m for _, m in out["created"]]
    assert "Shipping of resource web to remote bak in progress." in created
    assert not any(err for err, _ in out["created"])
    backup_id = out["listed"][0][0]
    assert backup_id.startswith("web_back_") and backup_id.endswith("^s1")
    assert out["listed"] == [[backup_id, "web", "s1", True, True]]
    assert out["info"] == ["web", "s1", backup_id + ".meta", backup_id, 1]
    assert out["restored"] == [[False, "Restoring backup of resource web from remote bak into resource copy in "
                                       "progress."]]
    assert out["queue"] == [0]
    assert out["ship"] == [[True, "The given remote is not a linstor-remote"]]
    assert out["deleted"][0][0] is False and out["deleted"][0][1].startswith("Successfully deleted [")
    assert out["after"] == 0
    copy = compat_controller.cluster.resource_definitions["COPY"]
    assert list(copy.resources) == ["CHARLIE"] and copy.volume_definitions[0].size_kib == 64 * 1024
