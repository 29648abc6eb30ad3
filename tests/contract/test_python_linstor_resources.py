"""python-linstor 1.7.1 (from PyPI, unmodified) against the fake: resources through the
high-level ``linstor.Resource`` object (everything but autoplace) and the lists behind it."""

MIB = 1024 * 1024


def test_resource_object_life_cycle(compat, compat_controller):
    out = compat("""
        from linstor.resource import Resource, Volume

        def listed(lin, name):
            rd = lin.resource_dfn_list_raise(filter_by_resource_definitions=[name],
                                             query_volume_definitions=True).resource_definitions
            rscs = lin.resource_list_raise(filter_by_resources=[name]).resources
            vlms = lin.volume_list_raise(filter_by_resources=[name]).resources
            return {
                "rd": [[d.name, d.external_name, d.properties.get("DrbdOptions/Net/allow-two-primaries"),
                        sorted([v.number, v.size] for v in d.volume_definitions)] for d in rd],
                "rscs": sorted([r.node_name, sorted(r.flags), r.properties.get("StorPoolName")] for r in rscs),
                "vlms": sorted([r.node_name, v.number, v.storage_pool_name, v.device_path]
                               for r in vlms for v in r.volumes),
            }

        rsc = Resource("pvc web/1", uri=URL)
        defined_before = rsc.defined
        rsc.volumes[0] = Volume("20 MiB")
        rsc.volumes[1] = Volume("10 MiB")
        try:
            rsc.diskful("alpha")  # no pool of a diskful peer and no DfltStorPool to fall back on
            refused = None
        except linstor.LinstorError as err:
            refused = str(err)
        rsc.placement.storage_pool = "thin"
        rsc.diskful("alpha")
        rsc.diskless("bravo")
        name = rsc.linstor_name
        seen = {
            "refused": refused,
            "defined": [defined_before, rsc.defined],
            "linstor_name": name,
            "diskful_nodes": rsc.diskful_nodes(),
            "diskless_nodes": rsc.diskless_nodes(),
            "flags": [rsc.is_diskful("alpha"), rsc.is_diskless("alpha"), rsc.is_diskful("bravo"),
                      rsc.is_diskless("bravo"), rsc.is_assigned("charlie")],
            "volumes": {k: [v.size, v.minor, v.device_path, v.storage_pool_name] for k, v in rsc.volumes.items()},
            "thin": rsc.is_thin(),
            "a2p": rsc.allow_two_primaries,
            "created": listed(lin, name),
        }

        # a deployed volume grows through volume_dfn_modify; shrinking is refused by the library itself
        rsc.volumes[0].size = "40 MiB"
        try:
            rsc.volumes[0].size = "30 MiB"
            seen["shrink"] = None
        except ValueError as err:
            seen["shrink"] = str(err)
        rsc.allow_two_primaries = True
        # diskful() on an assigned diskful node and diskless() on a diskless one change nothing
        rsc.diskful("alpha")
        rsc.diskless("bravo")

        # a second object of the same (external) name finds what the first one made
        again = Resource("pvc web/1", uri=URL)
        seen["again"] = {
            "linstor_name": again.linstor_name,
            "defined": again.defined,
            "diskful_nodes": again.diskful_nodes(),
            "diskless_nodes": again.diskless_nodes(),
            "sizes": {k: v.size for k, v in again.volumes.items()},
            "minors": {k: v.minor for k, v in again.volumes.items()},
            "a2p": again.allow_two_primaries,
        }
        seen["modified"] = listed(lin, name)

        # toggle: the diskless node gets a disk, then loses it again
        again.diskful("bravo")
        seen["toggled_diskful"] = [again.diskful_nodes(), again.diskless_nodes(), listed(lin, name)["rscs"]]
        again.diskless("bravo")
        seen["toggled_diskless"] = [again.diskful_nodes(), again.diskless_nodes(), listed(lin, name)["rscs"]]

        del again.volumes[1]  # volume_dfn_delete
        again.delete("bravo")
        seen["after_node_delete"] = [again.diskful_nodes(), again.diskless_nodes(), sorted(again.volumes)]
        seen["after_node_delete_lists"] = listed(lin, name)
        again.delete()
        seen["deleted"] = [again.defined, listed(lin, name)]
        emit(seen)
    """)
    name = out["linstor_name"]
    assert out["refused"] == (
        "Error: Could not create resource pvc web/1(%s) on node alpha as diskless=False: ERRO:The storage pool "
        "'null' for resource '%s' for volume number '0' is not deployed on node 'alpha'." % (name, name))
    vlm0, vlm1 = ["alpha", 0, "thin", "/dev/drbd1000"], ["alpha", 1, "thin", "/dev/drbd1001"]
    client_vlms = [["bravo", 0, "DfltDisklessStorPool", "/dev/drbd1000"],
                   ["bravo", 1, "DfltDisklessStorPool", "/dev/drbd1001"]]
    diskful_alpha = ["alpha", [], "thin"]
    diskless_bravo = ["bravo", ["DISKLESS", "DRBD_DISKLESS"], "DfltDisklessStorPool"]
    assert name == "pvc_web_1"  # '/' and ' ' translated to '_'
    assert {k: v for k, v in out.items() if k not in ("refused", "linstor_name")} == {
        "defined": [False, True],
        "diskful_nodes": ["alpha"],
        "diskless_nodes": ["bravo"],
        "flags": [True, False, False, True, False],
        "volumes": {"0": [20 * MIB, 1000, "/dev/drbd1000", "thin"], "1": [10 * MIB, 1001, "/dev/drbd1001", "thin"]},
        "thin": True,
        "a2p": False,
        "created": {"rd": [[name, "pvc web/1", "no", [[0, 20480], [1, 10240]]]],
                    "rscs": [diskful_alpha, diskless_bravo],
                    "vlms": [vlm0, vlm1] + client_vlms},
        "shrink": "shrinking Resource/Volume %s/0 from %d to %d is not allowed" % (name, 40 * MIB, 30 * MIB),
        "again": {"linstor_name": name, "defined": True, "diskful_nodes": ["alpha"], "diskless_nodes": ["bravo"],
                  "sizes": {"0": 40 * MIB, "1": 10 * MIB}, "minors": {"0": 1000, "1": 1001}, "a2p": True},
        "modified": {"rd": [[name, "pvc web/1", "yes", [[0, 40960], [1, 10240]]]],
                     "rscs": [diskful_alpha, diskless_bravo],
                     "vlms": [vlm0, vlm1] + client_vlms},
        # without a pool in the request the disk comes from the volume definitions' StorPoolName
        "toggled_diskful": [["alpha", "bravo"], [], [diskful_alpha, ["bravo", [], "thin"]]],
        "toggled_diskless": [["alpha"], ["bravo"], [diskful_alpha, diskless_bravo]],
        "after_node_delete": [["alpha"], [], [0]],
        "after_node_delete_lists": {"rd": [[name, "pvc web/1", "yes", [[0, 40960]]]], "rscs": [diskful_alpha],
                                    "vlms": [vlm0]},
        "deleted": [False, {"rd": [], "rscs": [], "vlms": []}],
    }
    assert not compat_controller.cluster.resource_definitions


def test_activation_states_and_controller_failover(compat, compat_controller):
    out = compat("""
        from linstor.resource import Resource, Volume

        rsc = Resource("web", uri=URL)
        rsc.placement.storage_pool = "thin"
        rsc.volumes[0] = Volume("10 MiB")
        rsc.diskful("alpha")
        rsc.diskful("bravo")
        # activate: a diskless assignment where there is none, nothing where there is a disk
        seen = {"activate": [rsc.activate("charlie"), rsc.activate("alpha")],
                "activated": [rsc.diskful_nodes(), rsc.diskless_nodes()]}
        vr = lin.volume_list_raise(filter_by_resources=["web"])
        seen["volumes"] = sorted([r.node_name, [[v.usable_size, v.storage_pool_driver_name] for v in r.volumes]]
                                 for r in vr.resources)
        seen["states"] = sorted([s.node_name, s.in_use, [v.disk_state for v in s.volume_states]]
                                for s in vr.resource_states)
        seen["node_ids"] = sorted([r.node_name, r.layer_data.type, r.layer_data.drbd_resource.node_id]
                                  for r in lin.resource_list_raise(filter_by_resources=["web"]).resources)
        # deactivate: removes a diskless assignment, keeps a diskful one
        seen["deactivate"] = [rsc.deactivate("charlie"), rsc.deactivate("alpha")]
        fresh = Resource("web", uri=URL)
        seen["deactivated"] = [fresh.diskful_nodes(), fresh.diskless_nodes()]
        # MultiLinstor moves on to the next controller when the first does not answer
        with linstor.MultiLinstor(["linstor://127.0.0.1:1", URL]) as other:
            seen["failover"] = [n.name for n in other.node_list_raise().nodes]
        version = lin.controller_version()
        seen["version"] = [version.version, version.rest_api_version]
        emit(seen)
    """)
    assert out == {
        "activate": [True, True],
        "activated": [["alpha", "bravo"], ["charlie"]],
        "volumes": [["alpha", [[10240, "LVM_THIN"]]], ["bravo", [[10240, "LVM_THIN"]]],
                    ["charlie", [[10240, "DISKLESS"]]]],
        "states": [["alpha", False, ["UpToDate"]], ["bravo", False, ["UpToDate"]], ["charlie", False, ["Diskless"]]],
        "node_ids": [["alpha", "DRBD", 0], ["bravo", "DRBD", 1], ["charlie", "DRBD", 2]],
        "deactivate": [True, True],
        "deactivated": [["alpha", "bravo"], []],
        "failover": ["alpha", "bravo", "charlie"],
        "version": [compat_controller.version.linstor_version, "1.25.1"],
    }


def test_resource_object_refusals(compat, compat_controller):
    out = compat("""
        from linstor.resource import Resource, Volume

        def refusal(call, *args):
            try:
                call(*args)
            except linstor.LinstorError as err:
                return str(err)
            return None

        lin.storage_pool_create("alpha", "thick", "LVM", "vg0")
        rsc = Resource("web", uri=URL)
        rsc.placement.storage_pool = "thick"
        rsc.volumes[0] = Volume("10 MiB")
        rsc.diskful("alpha")
        rsc.diskless("bravo")
        emit({"delete_last_disk": refusal(rsc.delete, "alpha"),
              "toggle_last_disk": refusal(rsc.diskless, "alpha"),
              "snapshot_thick": refusal(rsc.snapshot_create, "s1"),
              "unknown_node": refusal(rsc.diskful, "nope"),
              "grow_too_far": refusal(setattr, rsc.volumes[0], "size", "1 TiB"),
              "still": [rsc.diskful_nodes(), rsc.diskless_nodes(), rsc.volumes[0].size]})
    """)
    assert out == {
        "delete_last_disk": "Error: Could not delete resource web(web) on node alpha: ERRO:Last resource of 'web' "
                            "with disk still has diskless resources attached.",
        "toggle_last_disk": "Error: Could not toggle disk for resource web(web) on node alpha to diskless=True: "
                            "ERRO:Cannot remove the disk from the only online resource with a disk",
        "snapshot_thick": "Error: Could not create snapshot s1: Storage driver 'LVM' does not support snapshots.",
        "unknown_node": "Error: Could not create resource web(web) on node nope as diskless=False: ERRO:Node 'nope' "
                        "not found.",
        # a thick pool must hold the growth (1 TiB - 10 MiB, in KiB)
        "grow_too_far": "Error: Could not resize Resource/Volume web/0: ERRO:Cannot grow the volume definition by "
                        "1073731584KiB, as the following storage pool do not have enough free space:\n"
                        "Node: alpha, StorPool: thick",
        # nothing changed, also not in the object
        "still": [["alpha"], ["bravo"], 10 * MIB],
    }
    assert compat_controller.cluster.resource_definitions["WEB"].volume_definitions[0].size_kib == 10 * 1024
