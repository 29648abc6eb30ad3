"""python-linstor 1.29.1 (from PyPI, unmodified) against ``fakestor serve``: node connections,
evacuation, sync status, size queries, volume passphrases, log levels and the database backup."""

from tests.contract.compat import newer_only, run_compat

pytestmark = newer_only()


def test_node_connections_and_log_levels(newer_python, compat_controller, compat_server):
    out = run_compat(newer_python, """
        def rc(replies):
            return [[r.is_error(), r.is_warning(), r.message] for r in replies]

        seen = {"set": rc(lin.node_conn_modify("charlie", "alpha", {"DrbdOptions/Net/max-buffers": "9000"}, None)),
                "bad": rc(lin.node_conn_modify("alpha", "bravo", {"DrbdOptions/Disk/al-extents": "7"}, None))}
        seen["listed"] = [[c.node_a, c.node_b, c.properties]
                          for c in lin.node_conn_list_raise().node_connections]
        seen["pair"] = [[c.node_a, c.node_b, c.properties]
                        for c in lin.node_conn_list_raise("bravo", "alpha").node_connections]
        seen["drop"] = rc(lin.node_conn_modify("alpha", "charlie", None, ["DrbdOptions/Net/max-buffers"]))
        seen["after"] = len(lin.node_conn_list_raise().node_connections)
        seen["ctrl_log"] = rc(lin.controller_set_log_level("DEBUG", glob=True))
        seen["node_log"] = rc(lin.node_set_log_level("bravo", "TRACE", library=True))
        emit(seen)
    """, compat_server.linstor_uri)
    assert not any(err for err, _, _ in out["set"])
    assert out["set"][1][2] == "Node connection between nodes 'charlie' and 'alpha' modified."
    assert out["bad"][0][0] and out["bad"][0][2] == "Invalid property key: DrbdOptions/Disk/al-extents"
    assert out["listed"] == [["alpha", "charlie", {"DrbdOptions/Net/max-buffers": "9000"}]]
    assert out["pair"] == [["alpha", "bravo", {}]]
    assert not any(err for err, _, _ in out["drop"]) and out["after"] == 0
    assert [m for _, _, m in out["ctrl_log"]] == ["Successfully updated satellite config"] * 3 + [
        "Successfully updated controller config"]
    assert out["node_log"] == [[False, False, "Successfully updated satellite config"]]
    cluster = compat_controller.cluster
    assert cluster.controller_log.level_linstor == "DEBUG"
    assert cluster.satellite_log("alpha").level_linstor == "DEBUG"
    assert cluster.satellite_log("bravo").level == "TRACE"


def test_evacuate_sync_status_and_size_info(newer_python, compat_controller, compat_server):
    cluster = compat_controller.cluster
    out = run_compat(newer_python, """
        seen = {}
        lin.resource_group_create("two", place_count=2)
        lin.resource_group_spawn("two", "web", ["64M"])
        seen["synced"] = lin.resource_dfn_sync_status("web").synced_on_all
        qsi = lin.resource_group_query_size_info("two")
        seen["qsi"] = [qsi.space_info.max_vlm_size_in_kib, qsi.space_info.capacity_in_kib,
                       [[r.node_name, r.stor_pool_name] for r in qsi.space_info.next_spawn_result]]
        seen["missing"] = [r.message for r in lin.resource_group_query_size_info("nope").reports]
        before = sorted(r.node_name for r in lin.resource_list_raise(filter_by_resources=["web"]).resources)
        seen["evacuate"] = [[r.is_error(), r.message] for r in lin.node_evacuate(before[0])]
        seen["placed"] = sorted(r.node_name for r in lin.resource_list_raise(filter_by_resources=["web"]).resources)
        seen["before"] = before
        seen["flags"] = lin.node_list_raise(filter_by_nodes=[before[0]]).nodes[0].flags
        emit(seen)
    """, compat_server.linstor_uri)
    assert out["synced"] is True
    gib = 1024 * 1024
    # the spawned 64 MiB take room in one of the two pools the next spawn gets
    assert out["qsi"][0] == 200 * gib - 64 * 1024 and out["qsi"][1] == 400 * gib
    assert len(out["qsi"][2]) == 2
    assert out["missing"] == ["Resource group 'nope' not found."]
    assert not any(err for err, _ in out["evacuate"])
    gone = out["before"][0]
    assert gone not in out["placed"] and len(out["placed"]) == 2
    assert out["flags"] == ["EVACUATE"]
    assert len(cluster.get_resource_definition("web").resources) == 2
    assert "EVACUATE" in cluster.get_node(gone).flags


def test_volume_passphrase_and_database_backup(newer_python, compat_controller, compat_server):
    out = run_compat(newer_python, """
        seen = {}
        lin.crypt_create_passphrase("master")
        lin.resource_dfn_create("vault")
        seen["vd"] = [r.is_error() for r in lin.volume_dfn_create("vault", 16384)]
        seen["pass"] = [[r.is_error(), r.is_warning(), r.message]
                        for r in lin.volume_dfn_modify_passphrase("vault", 0, "s3cret")]
        seen["backup"] = [[r.is_error(), r.message, r.object_refs] for r in lin.controller_backupdb("nightly")]
        emit(seen)
    """, compat_server.linstor_uri)
    assert out["pass"] == [
        [False, True, "No resources have any luks layer, no passphrase has been changed."],
        [False, False, "Volume definition with number '0' of resource definition 'vault' modified."]]
    assert out["backup"] == [[False, "Database backup created: /var/lib/linstor/nightly.zip",
                              {"backup_location": "/var/lib/linstor/nightly.zip"}]]
    vd = compat_controller.cluster.get_volume_definition("vault", 0)
    assert vd.props["Encryption/Passphrase"]
    assert [b.path for b in compat_controller.cluster.db_backups] == ["/var/lib/linstor/nightly.zip"]
