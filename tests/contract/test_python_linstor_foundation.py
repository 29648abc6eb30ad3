"""python-linstor 1.7.1 (from PyPI, unmodified) against the fake: nodes and storage pools."""


def test_node_list_of_the_demo_cluster(compat):
    nodes = compat("""
        emit([{"name": n.name, "type": n.type, "status": n.connection_status, "zone": n.props.get("Aux/zone"),
               "address": n.net_interfaces[0].address, "port": n.net_interfaces[0].stlt_port}
              for n in lin.node_list_raise().nodes])
    """)
    assert nodes == [
        {"name": "alpha", "type": "SATELLITE", "status": "ONLINE", "zone": "a", "address": "10.43.0.1",
         "port": 3366},
        {"name": "bravo", "type": "SATELLITE", "status": "ONLINE", "zone": "b", "address": "10.43.0.2",
         "port": 3366},
        {"name": "charlie", "type": "SATELLITE", "status": "ONLINE", "zone": "c", "address": "10.43.0.3",
         "port": 3366},
    ]


def test_storage_pool_list_of_the_demo_cluster(compat):
    pools = compat("""
        emit(sorted([p.node_name, p.name, p.provider_kind, p.free_space.total_capacity, p.supports_snapshots()]
                    for p in lin.storage_pool_list_raise().storage_pools))
    """)
    diskless = 9223372036854775807
    expected = []
    for node in ("alpha", "bravo", "charlie"):
        expected += [[node, "DfltDisklessStorPool", "DISKLESS", diskless, False],
                     [node, "thin", "LVM_THIN", 100 * 1024 * 1024, True],
                     [node, "zfs", "ZFS", 200 * 1024 * 1024, True]]
    assert pools == sorted(expected)


def test_node_create_is_seen_by_the_next_list(compat, compat_controller):
    out = compat("""
        replies = lin.node_create("delta", "Satellite", "10.43.0.4")
        emit({"ok": linstor.Linstor.all_api_responses_success(replies),
              "codes": [r.ret_code for r in replies],
              "messages": [r.message for r in replies],
              "nodes": [n.name for n in lin.node_list_raise().nodes],
              "pools": [p.name for p in lin.storage_pool_list_raise(filter_by_nodes=["delta"]).storage_pools]})
    """)
    assert out["ok"] is True
    assert out["codes"] == [20709377]  # CREATED | MASK_CRT | MASK_NODE
    assert out["messages"] == ["New node 'delta' registered."]
    assert out["nodes"] == ["alpha", "bravo", "charlie", "delta"]
    assert out["pools"] == ["DfltDisklessStorPool"]
    # the library's request really reached this controller
    assert compat_controller.cluster.get_node("delta").net_interfaces["DEFAULT"].address == "10.43.0.4"


def test_refusals_reach_the_library_as_api_responses(compat):
    out = compat("""
        dup = lin.node_create("alpha", "Satellite", "10.43.0.9")[0]
        bad = lin.storage_pool_create("alpha", "pool1", "LVM", "vg1", property_dict={"NoSuchKey": "x"})[0]
        emit({"dup": [dup.is_error(), dup.ret_code, dup.cause],
              "bad": [bad.is_error(), bad.message]})
    """)
    assert out["dup"] == [True, -4611686018406678028, "A node with the specified name 'alpha' already exists."]
    assert out["bad"] == [True, "Invalid property key: NoSuchKey"]


def test_node_and_storage_life_cycle_through_the_library(compat, compat_controller):
    out = compat("""
        def ok(replies):
            return linstor.Linstor.all_api_responses_success(replies)

        steps = {
            "modify": ok(lin.node_modify("alpha", property_dict={"Aux/site": "x"}, delete_props=["Aux/rack"])),
            "nic_create": ok(lin.netinterface_create("alpha", "data", "192.168.7.1")),
            "nic_modify": ok(lin.netinterface_modify("alpha", "data", ip="192.168.7.2")),
            "spd_create": ok(lin.storage_pool_dfn_create("gold")),
            "spd_modify": ok(lin.storage_pool_dfn_modify("gold", {"MaxOversubscriptionRatio": "4"})),
            "sp_create": ok(lin.storage_pool_create("alpha", "gold", "LVM_THIN", "vg9/tp9")),
            "sp_modify": ok(lin.storage_pool_modify("alpha", "gold", {"MaxOversubscriptionRatio": "2"})),
            "device_pool": ok(lin.physical_storage_create_device_pool("bravo", "ZFS", ["/dev/sdb"], pool_name="z9",
                                                                    storage_pool_name="z9pool")),
            "ctrl_set": ok(lin.controller_set_prop("Aux/owner", "ops")),
        }
        node = lin.node_list_raise(filter_by_nodes=["alpha"]).nodes[0]
        pools = lin.storage_pool_list_raise(filter_by_stor_pools=["gold", "z9pool"]).storage_pools
        ctrl = lin.controller_props()[0].properties
        steps.update({
            "props": dict(node.props),
            "nics": sorted(n.name for n in node.net_interfaces),
            "pools": sorted([p.node_name, p.name, p.provider_kind, p.properties.get("StorDriver/StorPoolName")]
                            for p in pools),
            "owner": ctrl.get("Aux/owner"),
            "ctrl_del": ok(lin.controller_del_prop("Aux/owner")),
            "sp_delete": ok(lin.storage_pool_delete("alpha", "gold")),
            "spd_delete": ok(lin.storage_pool_dfn_delete("gold")),
            "nic_delete": ok(lin.netinterface_delete("alpha", "data")),
            "node_delete": ok(lin.node_delete("charlie")),
        })
        emit(steps)
    """)
    assert {k: v for k, v in out.items() if v is not True} == {
        "props": {"Aux/zone": "a", "Aux/site": "x"},
        "nics": ["data", "default"],
        "pools": [["alpha", "gold", "LVM_THIN", "vg9/tp9"], ["bravo", "z9pool", "ZFS", "z9"]],
        "owner": "ops",
        # the definition went away with its last pool
        "spd_delete": False,
    }
    cluster = compat_controller.cluster
    assert "CHARLIE" not in cluster.nodes and "GOLD" not in cluster.storage_pool_definitions
    assert "Aux/owner" not in cluster.controller_props
