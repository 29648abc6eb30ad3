"""Backups to an S3 remote kept in memory: create, list, info, restore, delete, abort, ship."""
import json

import pytest

from fakestor.apicallrc import signed64
from fakestor.model.backup_keys import parse_meta_key, parse_volume_key
from linstor import sharedconsts as C

GIB = 1024 * 1024
T0 = "20250710_120000"  # the demo cluster's clock at start (UTC)


def post(http, path, data):
    return http.post(path, data=json.dumps(data))


@pytest.fixture
def cluster(controller):
    """Demo cluster, master passphrase set, S3 remote 'bak', 'web' (1 GiB) on alpha and bravo."""
    c = controller.cluster
    c.set_passphrase("pw")
    c.create_s3_remote("bak", "https://s3", "bucket", "r", "a", "s")
    c.create_resource_definition("web")
    c.create_volume_definition("web", GIB)
    c.create_resources("web", [{"node_name": n, "props": {"StorPoolName": "thin"}} for n in ("alpha", "bravo")])
    return c


def state(controller) -> dict:
    return json.loads(controller.dump())["cluster"]


def backup(http, **body):
    return post(http, "/v1/remotes/bak/backups", dict({"rsc_name": "web"}, **body))


def test_create_takes_a_snapshot_and_uploads_it(http, cluster):
    reply = backup(http)
    assert reply.status_code == 201
    entries = reply.get_json()
    snap = "back_" + T0
    assert [e["message"] for e in entries] == [
        "Suspended IO of 'web' on 'alpha' for snapshot", "Suspended IO of 'web' on 'bravo' for snapshot",
        "Took snapshot of 'web' on 'alpha'", "Took snapshot of 'web' on 'bravo'",
        "Resumed IO of 'web' on 'alpha' after snapshot", "Resumed IO of 'web' on 'bravo' after snapshot",
        # the controller's text has no blank after "resource"
        "Generated snapshot name for backup of resourceweb to remote bak",
        "Shipping of resource web to remote bak in progress.",
        "Started shipping of resource 'web'", "Started shipping of resource 'web'"]
    assert entries[6]["ret_code"] == signed64(C.MASK_INFO)
    assert entries[7]["obj_refs"] == {"Snapshot": snap}
    sd = cluster.snapshot_definitions["WEB"][snap.upper()]
    assert {"SUCCESSFUL", "BACKUP", "SHIPPED"} <= set(sd.flags) and "SHIPPING" not in sd.flags
    assert sd.resource_definition_props["DrbdOptions/ForceInitialSyncPermanent"] == "True"
    assert sorted(cluster.remotes["BAK"].objects) == ["web_00000_back_%s" % T0, "web_back_%s.meta" % T0]
    assert cluster.resource_definitions["WEB"].props["BackupShipping/bak/BackupLastStartedOrQueued"] == snap


def test_list_shows_the_backup(http, cluster):
    backup(http, node_name="bravo")
    listed = http.get("/v1/remotes/bak/backups").get_json()
    key = "web_back_" + T0
    assert listed == {"linstor": {key: {
        "id": key, "start_time": T0, "start_timestamp": 1752148800000, "finished_time": T0,
        "finished_timestamp": 1752148800000, "origin_rsc": "web", "origin_snap": "back_" + T0,
        "origin_node": "bravo", "success": True, "shipping": False, "restorable": True,
        "vlms": [{"vlm_nr": 0, "finished_time": T0, "finished_timestamp": 1752148800000,
                  "s3": {"key": "web_00000_back_" + T0}}],
        "s3": {"meta_name": key + ".meta"}}}, "other": {}}
    assert http.get("/v1/remotes/bak/backups?rsc_name=other").get_json() == {"other": {}}


def test_named_snapshot_and_incremental_backup(http, cluster, controller):
    backup(http, snap_name="first")
    controller.clock.advance(60)
    reply = backup(http, snap_name="second", incremental=True)
    assert reply.status_code == 201
    keys = sorted(cluster.remotes["BAK"].objects)
    assert keys == ["web_00000_back_20250710_120000^first", "web_00000_back_20250710_120100^second",
                    "web_back_20250710_120000^first.meta", "web_back_20250710_120100^second.meta"]
    listed = http.get("/v1/remotes/bak/backups?snap_name=SECOND").get_json()["linstor"]
    assert list(listed) == ["web_back_20250710_120100^second"]
    assert listed["web_back_20250710_120100^second"]["based_on_id"] == "web_back_20250710_120000^first.meta"
    info = post(http, "/v1/remotes/bak/backups/info", {"src_rsc_name": "web"}).get_json()
    assert (info["full"], info["latest"], info["count"], info["snap"]) == (
        "web_back_20250710_120000^first.meta", "web_back_20250710_120100^second", 2, "second")


def test_preferred_node_that_cannot_ship_is_replaced(http, cluster):
    cluster.create_resources("web", [{"node_name": "charlie", "flags": ["DRBD_DISKLESS"]}])
    entries = backup(http, node_name="charlie").get_json()
    assert "Preferred node 'charlie' could not be selected. Choosing 'alpha' instead." in [e["message"]
                                                                                          for e in entries]


@pytest.mark.parametrize("remote,message,code", [
    ("nope", "The remote nope does not exist. Please provide a valid remote or create a new one.",
     C.FAIL_NOT_FOUND_REMOTE | C.MASK_BACKUP),
    ("other", "The remote other is not an s3 remote.", C.FAIL_INVLD_REMOTE_NAME | C.MASK_BACKUP),
])
def test_create_needs_an_s3_remote(http, cluster, remote, message, code):
    cluster.create_linstor_remote("other", "ctrl2")
    reply = post(http, "/v1/remotes/%s/backups" % remote, {"rsc_name": "web"})
    assert reply.get_json() == [{"ret_code": signed64(code), "message": message}]
    assert cluster.snapshots_of("web") == []


def test_snapshot_refusals_come_without_context(http, cluster):
    cluster.create_snapshot("web", "taken")
    reply = backup(http, snap_name="taken")
    assert reply.status_code == 500
    assert reply.get_json() == [{"ret_code": signed64(C.FAIL_EXISTS_SNAPSHOT_DFN),
                                 "message": "A snapshot definition with the name 'taken' already exists in resource "
                                            "definition 'web'."}]
    bad = backup(http, snap_name="no good").get_json()
    assert bad == [{"ret_code": signed64(C.FAIL_INVLD_SNAPSHOT_NAME),
                    "message": "The given snapshot name 'no good' is invalid."}]
    assert [s.name for s in cluster.snapshots_of("web")] == ["taken"]


def test_create_needs_the_master_key(http, cluster):
    cluster.forget_master_key()
    reply = backup(http)
    assert reply.status_code == 500
    assert reply.get_json()[0]["ret_code"] == signed64(C.FAIL_INVLD_CRYPT_PASSPHRASE)
    assert cluster.snapshots_of("web") == [] and cluster.remotes["BAK"].objects == {}


def test_create_refused_when_no_node_can_ship(http, cluster):
    cluster.create_resource_definition("flat")
    cluster.create_volume_definition("flat", GIB)
    cluster.create_storage_pool("alpha", "files", "FILE_THIN", {"StorDriver/FileDir": "/srv"})
    cluster.create_resources("flat", [{"node_name": "alpha", "props": {"StorPoolName": "files"}}])
    reply = post(http, "/v1/remotes/bak/backups", {"rsc_name": "flat"})
    assert [e["message"] for e in reply.get_json()] == [
        "The storage pool kind FILE_THIN does not support snapshot shipping",
        "Backup shipping of resource 'flat' cannot be started since there is no node available that supports "
        "backup shipping."]
    assert cluster.snapshots_of("flat") == []


def test_upload_on_the_clock_shows_shipping_and_can_be_aborted(http, cluster, controller):
    cluster.backup_shipping_seconds = 30
    backup(http)
    sd = cluster.snapshots_of("web")[0]
    assert {"SHIPPING", "BACKUP"} <= set(sd.flags)
    # an upload in progress is known from the local snapshot; the bucket is still empty
    listed = http.get("/v1/remotes/bak/backups").get_json()["linstor"]
    assert listed["web_back_" + T0]["shipping"] is True and "success" not in listed["web_back_" + T0]
    # the controller skips in-progress uploads whose resource matches the filter (its inverted test)
    assert http.get("/v1/remotes/bak/backups?rsc_name=web").get_json() == {"other": {}}
    aborted = post(http, "/v1/remotes/bak/backups/abort", {"rsc_name": "web"}).get_json()
    assert aborted[-1] == {"ret_code": 0, "message": "Successfully aborted all in-progress backup-shipments and "
                                                     "restores of resource web"}
    assert "SHIPPING_ABORT" in sd.flags and "SHIPPING" not in sd.flags
    controller.clock.advance(60)
    assert cluster.remotes["BAK"].objects == {}
    assert post(http, "/v1/remotes/bak/backups/abort", {"rsc_name": "web"}).get_json() == []


def test_remote_with_a_running_upload_is_only_marked(http, cluster, controller):
    cluster.backup_shipping_seconds = 30
    backup(http)
    reply = http.delete("/v1/remotes?remote_name=bak").get_json()
    assert reply[0]["message"] == ("Remote: bak prepared for deletion. Waiting for ongoing shipments to complete "
                                   "or abort.")
    assert "MARK_DELETED" in cluster.remotes["BAK"].flags
    refused = backup(http, snap_name="again")
    assert refused.status_code == 500
    entry = refused.get_json()[0]
    assert entry["message"] == ("The given remote S3Remote 'bak' is marked for deletion and therefore not allowed "
                                "to start a new restore.")
    assert entry["error_report_ids"]
    # the snapshot was taken before the shipping was refused
    assert [s.name for s in cluster.snapshots_of("web")] == ["again", "back_" + T0]
    controller.clock.advance(60)
    assert http.get("/v1/remotes").get_json() == {}


def test_busy_nodes_queue_backups(http, cluster, controller):
    cluster.backup_shipping_seconds = 30
    cluster.controller_props["BackupShipping/MaxConcurrentBackupsPerNode"] = "1"
    cluster.create_resource_definition("db")
    cluster.create_volume_definition("db", GIB)
    cluster.create_resources("db", [{"node_name": "alpha", "props": {"StorPoolName": "thin"}}])
    backup(http, node_name="alpha")
    queued = post(http, "/v1/remotes/bak/backups", {"rsc_name": "db", "snap_name": "s1"}).get_json()
    assert "Maximum amount of shippings met on all nodes, adding to queue instead" in [e["message"] for e in queued]
    assert "Started shipping of resource 'db'" not in [e["message"] for e in queued]
    view = http.get("/v1/view/backup/queue").get_json()
    assert view == {"node_queues": [{"node_name": "alpha", "queue": [
        {"resource_name": "db", "snapshot_name": "s1", "remote_name": "bak", "incremental": False,
         "start_timestamp": 1752148800000}]}]}
    by_snap = http.get("/v1/view/backup/queue?snap_to_node=true").get_json()
    assert by_snap["snap_queues"][0]["queue"] == [{"node_name": "alpha"}]
    controller.clock.advance(30)
    # the first upload freed alpha's slot: the queued one runs now, for another 30 s
    assert http.get("/v1/view/backup/queue").get_json() == {}
    assert "SHIPPING" in cluster.snapshot_definitions["DB"]["S1"].flags
    controller.clock.advance(30)
    assert http.get("/v1/remotes/bak/backups").get_json()["linstor"]["db_back_20250710_120000^s1"]["success"]
    assert "SHIPPED" in cluster.snapshot_definitions["DB"]["S1"].flags
    assert "db_back_20250710_120000^s1.meta" in cluster.remotes["BAK"].objects


def test_incremental_backup_waits_for_its_base(http, cluster, controller):
    cluster.backup_shipping_seconds = 30
    backup(http, snap_name="full")
    controller.clock.advance(1)
    entries = backup(http, snap_name="inc", incremental=True).get_json()
    assert "Maximum amount of shippings met on all nodes, adding to queue instead" in [e["message"] for e in entries]
    queue = http.get("/v1/view/backup/queue?snap_to_node=true").get_json()["snap_queues"]
    assert [(q["snapshot_name"], q["incremental"], q["based_on"]) for q in queue] == [("inc", True, "full")]
    aborted = post(http, "/v1/remotes/bak/backups/abort", {"rsc_name": "web", "create": True}).get_json()
    assert aborted[-1]["message"] == "Successfully aborted all in-progress backup-shipments of resource web"
    assert http.get("/v1/view/backup/queue").get_json() == {}


def test_info_sizes_and_remaining_space(http, cluster):
    backup(http)
    info = post(http, "/v1/remotes/bak/backups/info", {"last_backup": "web_back_" + T0, "node_name": "charlie",
                                                       "stor_pool_map": {"thin": "zfs"}}).get_json()
    assert info == {"rsc": "web", "full": "web_back_%s.meta" % T0, "snap": "back_" + T0, "latest": "web_back_" + T0,
                    "count": 1, "dl_size_kib": GIB, "alloc_size_kib": GIB,
                    "storpools": [{"name": "thin", "provider_kind": "LVM_THIN", "target_name": "zfs",
                                   "remaining_space_kib": 200 * GIB - 2 * GIB,
                                   "vlms": [{"name": "web_00000_back_" + T0, "layer_type": "STORAGE",
                                             "dl_size_kib": GIB, "alloc_size_kib": GIB, "usable_size_kib": GIB}]}]}


@pytest.mark.parametrize("body,message", [
    ({}, "One of backup ID, resource name or snapshot name is required, but none was given"),
    ({"src_rsc_name": "web", "stor_pool_map": {"a": "b"}},
     "Too few parameters given. When using --storpool-rename, then --target-node is also needed."),
])
def test_info_refusals_of_the_request(http, cluster, body, message):
    reply = post(http, "/v1/remotes/bak/backups/info", body)
    assert reply.status_code == 400
    assert reply.get_json() == [{"ret_code": signed64(C.FAIL_INVLD_REQUEST), "message": message}]


def test_info_without_a_matching_backup(http, cluster):
    reply = post(http, "/v1/remotes/bak/backups/info", {"src_rsc_name": "web"})
    assert reply.status_code == 404
    assert reply.get_json()[0]["message"] == ("Could not find a matching backup for resource 'web', snapshot "
                                              "'None' and id 'None' in remote 'bak'")


def test_restore_creates_the_resource_on_the_node(http, cluster):
    cluster.resource_definitions["WEB"].props["Aux/app"] = "db"
    backup(http)
    reply = post(http, "/v1/remotes/bak/backups/restore", {"src_rsc_name": "web", "node_name": "charlie",
                                                           "target_rsc_name": "copy"})
    assert reply.status_code == 201
    assert reply.get_json() == [{"ret_code": signed64(C.MASK_INFO),
                                 "message": "Restoring backup of resource web from remote bak into resource copy in "
                                            "progress."}]
    rd = cluster.resource_definitions["COPY"]
    assert rd.props["Aux/app"] == "db"
    assert rd.volume_definitions[0].size_kib == GIB
    assert [r.node_name for r in rd.resources.values()] == ["charlie"]
    assert rd.resources["CHARLIE"].volumes[0].storage_pool_name == "thin"
    assert [s.name for s in cluster.snapshots_of("copy")] == ["back_" + T0]
    again = post(http, "/v1/remotes/bak/backups/restore", {"src_rsc_name": "web", "node_name": "charlie",
                                                           "target_rsc_name": "copy"})
    assert again.get_json()[0]["message"] == ("The requested backup has already been downloaded to this cluster. "
                                              "Please use 'snapshot resource restore' to get a resource.")


def test_restore_into_a_deployed_definition_only_downloads(http, cluster):
    backup(http)
    reply = post(http, "/v1/remotes/bak/backups/restore", {"src_rsc_name": "web", "node_name": "alpha",
                                                           "target_rsc_name": "web", "last_backup": "web_back_" + T0})
    # the snapshot is already in the target definition: nothing to download
    assert reply.get_json()[0]["ret_code"] == signed64(C.FAIL_EXISTS_SNAPSHOT | C.MASK_BACKUP)
    cluster.create_resource_definition("busy")
    cluster.create_volume_definition("busy", GIB)
    cluster.create_resources("busy", [{"node_name": "charlie", "props": {"StorPoolName": "thin"}}])
    warned = post(http, "/v1/remotes/bak/backups/restore", {"src_rsc_name": "web", "node_name": "charlie",
                                                            "target_rsc_name": "busy"}).get_json()
    assert warned[0]["ret_code"] == signed64(C.WARN_BACKUP_DL_ONLY)
    assert list(cluster.resource_definitions["BUSY"].resources) == ["CHARLIE"]
    assert [s.name for s in cluster.snapshots_of("busy")] == ["back_" + T0]


def test_restore_refusals_change_nothing(http, cluster, controller):
    backup(http)
    before = state(controller)
    both = post(http, "/v1/remotes/bak/backups/restore", {"src_rsc_name": "web", "node_name": "charlie",
                                                          "target_rsc_name": "x", "download_only": True,
                                                          "force_restore": True})
    assert both.status_code == 400
    pattern = post(http, "/v1/remotes/bak/backups/restore", {"last_backup": "nonsense", "node_name": "charlie",
                                                             "target_rsc_name": "x"}).get_json()[0]
    assert pattern["ret_code"] == signed64(C.FAIL_INVLD_BACKUP_CONFIG | C.MASK_BACKUP)
    assert pattern["message"].startswith("The target backup nonsense is invalid since it does not match")
    no_node = post(http, "/v1/remotes/bak/backups/restore", {"src_rsc_name": "web", "node_name": "delta",
                                                             "target_rsc_name": "x"})
    assert no_node.status_code == 404 and no_node.get_json()[0]["message"] == "Node 'delta' not found."
    controller.cluster.create_volume_definition("web", 300 * GIB)
    controller.clock.advance(2)
    backup(http)
    after_backup = state(controller)
    full = post(http, "/v1/remotes/bak/backups/restore", {"src_rsc_name": "web", "node_name": "charlie",
                                                          "target_rsc_name": "x"}).get_json()[0]
    assert full["ret_code"] == signed64(C.FAIL_NOT_ENOUGH_FREE_SPACE | C.MASK_BACKUP)
    assert full["message"].startswith("The storage-pool(s) thin do(es) not have enough space remaining")
    assert state(controller) == after_backup
    assert before != after_backup


def test_delete_needs_a_selection(http, cluster):
    reply = http.delete("/v1/remotes/bak/backups")
    assert reply.get_json()[0]["message"].startswith("You have to specify which backups you want to delete.")
    many = http.delete("/v1/remotes/bak/backups?id=a&all=true")
    assert many.get_json()[0]["message"].startswith("Too many parameters given.")


def test_delete_respects_dependent_backups(http, cluster, controller):
    backup(http)
    controller.clock.advance(60)
    backup(http, incremental=True)
    full, inc = "web_back_20250710_120000", "web_back_20250710_120100"
    refused = http.delete("/v1/remotes/bak/backups?id=" + full)
    assert refused.get_json() == [{"ret_code": signed64(C.FAIL_DEPENDEND_BACKUP),
                                   "message": "%s.meta should be deleted, but at least %s.meta is referencing it. "
                                              "Use --cascading to delete recursively" % (full, inc)}]
    assert len(cluster.remotes["BAK"].objects) == 4
    dry = http.delete("/v1/remotes/bak/backups?id=%s&cascading=true&dryrun=true" % full).get_json()
    assert dry[0] == {"ret_code": 0, "message": "Would delete s3 objects:\n  web_00000_back_20250710_120000\n"
                                                "  web_00000_back_20250710_120100\n  %s.meta\n  %s.meta\n"
                                                % (full, inc)}
    assert dry[1]["message"] == ("Would delete Snapshots:\n  Resource: web, Snapshot: back_20250710_120000\n"
                                 "  Resource: web, Snapshot: back_20250710_120100\n")
    assert len(cluster.remotes["BAK"].objects) == 4
    done = http.delete("/v1/remotes/bak/backups?id=%s&cascading=true&keep_snaps=true" % full).get_json()
    assert done == [{"ret_code": C.MASK_BACKUP, "message": "Successfully deleted [web_00000_back_20250710_120000, "
                                                          "web_00000_back_20250710_120100, %s.meta, %s.meta]"
                                                          % (full, inc)}]
    assert cluster.remotes["BAK"].objects == {}
    assert len(cluster.snapshots_of("web")) == 2


def test_delete_by_filters_drops_the_local_snapshots(http, cluster, controller):
    backup(http)
    controller.clock.advance(3600)
    backup(http)
    reply = http.delete("/v1/remotes/bak/backups?timestamp=20250710_123000").get_json()
    assert reply[0]["message"] == "Successfully deleted [web_00000_back_%s, web_back_%s.meta]" % (T0, T0)
    assert [s.name for s in cluster.snapshots_of("web")] == ["back_20250710_130000"]
    bad = http.delete("/v1/remotes/bak/backups?timestamp=yesterday").get_json()
    assert bad == [{"ret_code": signed64(C.FAIL_INVLD_TIME_PARAM),
                    "message": "Failed to parse 'yesterday'. Expected format: YYYYMMDD_HHMMSS (e.g. 20210824_072543)"}]
    nothing = http.delete("/v1/remotes/bak/backups?id_prefix=zzz").get_json()
    assert [e["message"] for e in nothing] == ["Could not find any backups to delete.", "Successfully deleted []",
                                               "No backup with id prefix 'zzz' found on remote 'bak'"]
    http.delete("/v1/remotes/bak/backups?all=true")
    assert cluster.remotes["BAK"].objects == {} and cluster.snapshots_of("web") == []


def test_ship_to_another_cluster_fails_as_an_unreachable_target(http, cluster):
    cluster.create_linstor_remote("other", "ctrl2")
    reply = post(http, "/v1/remotes/other/backups/ship", {"src_rsc_name": "web", "dst_rsc_name": "web"})
    assert reply.status_code == 500
    assert reply.get_json()[0]["message"] == "Connection refused"
    assert reply.get_json()[0]["error_report_ids"]
    wrong = post(http, "/v1/remotes/bak/backups/ship", {"src_rsc_name": "web", "dst_rsc_name": "web"}).get_json()
    assert wrong == [{"ret_code": signed64(C.FAIL_INVLD_REMOTE_NAME), "message": "The given remote is not a "
                                                                              "linstor-remote"}]
    assert cluster.snapshots_of("web") == []


def test_queue_view_is_empty_without_waiting_backups(http, cluster):
    backup(http)
    assert http.get("/v1/view/backup/queue").get_json() == {}


def test_key_names_round_trip():
    meta = parse_meta_key("my-rsc_back_20210824_072543^snap.meta")
    assert (meta.rsc, meta.backup_id, meta.snap, meta.full_id()) == ("my-rsc", "back_20210824_072543", "snap",
                                                                     "my-rsc_back_20210824_072543^snap")
    vlm = parse_volume_key("my-rsc_00003_back_20210824_072543")
    assert (vlm.vlm_nr, vlm.snap, vlm.volume_key()) == (3, "back_20210824_072543", "my-rsc_00003_back_20210824_072543")
    assert parse_meta_key("my-rsc_back_2021_072543.meta") is None
    assert parse_meta_key("notes.txt") is None
