"""Node and net-interface operations on the cluster, as LINSTOR 1.31.3 answers them (no HTTP)."""
import pytest

from fakestor import Controller
from fakestor.apicallrc import signed64
from linstor import sharedconsts as C
from tests.fakestor.conftest import refusal

NIC = {"name": "default", "address": "10.43.0.9", "satellite_port": 3366, "satellite_encryption_type": "PLAIN"}



def test_create_reports_properties_then_registration(cluster):
    entries = cluster.create_node("delta", "Satellite", [NIC], {"Aux/zone": "d"})
    assert [(e.ret_code, e.message) for e in entries] == [
        (C.MASK_NODE | C.MASK_CRT | C.CREATED, "Successfully set property key(s): Aux/zone"),
        (C.MASK_NODE | C.MASK_CRT | C.CREATED, "New node 'delta' registered.")]
    node = cluster.get_node("DELTA")
    assert entries[1].obj_refs == {"Node": "delta", "UUID": node.uuid}
    assert entries[1].details == "Node 'delta' UUID is: %s" % node.uuid
    assert list(node.storage_pools) == ["DFLTDISKLESSSTORPOOL"]
    assert node.net_interfaces["DEFAULT"].is_active


@pytest.mark.parametrize("args, code, message", [
    (("delta", "Satellite", []), C.FAIL_MISSING_NETCOM, "Registration of node 'delta' failed."),
    # the interfaces are checked before the name
    (("d_1", "Satellite", []), C.FAIL_MISSING_NETCOM, "Registration of node 'd_1' failed."),
    (("d_1", "Satellite", [NIC]), C.FAIL_INVLD_NODE_NAME, "The given node name 'd_1' is invalid."),
    (("delta", "Bogus", [NIC]), C.FAIL_INVLD_NODE_TYPE, "The specified node type 'Bogus' is invalid."),
    (("Alpha", "Satellite", [NIC]), C.FAIL_EXISTS_NODE, "Registration of node 'Alpha' failed."),
    (("delta", "Satellite", [dict(NIC, satellite_port=None)]), C.FAIL_NO_STLT_CONN_DEFINED,
     "No satellite connection defined for node 'delta'"),
    (("delta", "Satellite", [NIC, NIC]), C.FAIL_EXISTS_NET_IF, "Registration of node 'delta' failed."),
    (("delta", "Satellite", [dict(NIC, address="10.0.0.256")]), C.FAIL_INVLD_NET_ADDR, "Failed to parse IP address"),
])
def test_create_refusals(cluster, args, code, message):
    entry = refusal(cluster, cluster.create_node, *args)
    assert entry.ret_code == code | C.MASK_CRT | C.MASK_NODE
    assert entry.message == message
    assert entry.obj_refs == {"Node": args[0]}


def test_exists_refusal_files_no_error_report_but_invalid_name_does(cluster):
    assert not refusal(cluster, cluster.create_node, "alpha", "Satellite", [NIC]).report
    assert refusal(cluster, cluster.create_node, "-x", "Satellite", [NIC]).report


def test_modify_type_between_satellite_kinds(cluster):
    entries = cluster.modify_node("alpha", "Combined")
    assert [e.message for e in entries] == ["Node 'alpha' modified.", "(alpha) Node changes applied."]
    assert cluster.get_node("alpha").type == "COMBINED"


def test_a_satellite_with_pools_cannot_become_a_controller(cluster):
    entry = refusal(cluster, cluster.modify_node, "alpha", "Controller")
    assert entry.ret_code == C.FAIL_INVLD_STOR_DRIVER | C.MASK_MOD | C.MASK_NODE
    assert "not compatible with node type 'Controller'" in entry.cause


def test_a_controller_node_turned_satellite_moves_to_the_satellite_port(cluster):
    cluster.create_node("ctrl1", "Controller", [dict(NIC, satellite_port=3370)])
    cluster.modify_node("ctrl1", "Satellite")
    assert cluster.get_node("ctrl1").net_interfaces["DEFAULT"].satellite_port == 3366


def test_special_types_cannot_be_switched_to(cluster):
    entry = refusal(cluster, cluster.modify_node, "alpha", "EBS_TARGET")
    assert entry.cause == "Changing node types from SATELLITE to EBS_TARGET is not allowed"


def test_modify_of_a_missing_node_is_not_found(cluster):
    entry = refusal(cluster, cluster.modify_node, "zulu", None, {"Aux/a": "1"})
    assert entry.ret_code == C.FAIL_NOT_FOUND_NODE | C.MASK_MOD | C.MASK_NODE
    assert entry.details.endswith("Node: zulu")


def test_exos_node_props_bypass_the_whitelist_only_while_exos_exists():
    for version, allowed in (("1.31.3", True), ("1.32.0", False)):
        cluster = Controller(version).cluster
        cluster.create_node("alpha", "Satellite", [NIC])
        if allowed:
            cluster.modify_node("alpha", override={"StorDriver/Exos/enc1/A/Ports/A0": "Connected"})
        else:
            entry = refusal(cluster, cluster.modify_node, "alpha", None, {"StorDriver/Exos/enc1/A/Ports/A0": "x"})
            assert entry.message.startswith("Invalid property key")


def test_delete_entries(cluster):
    entries = cluster.delete_node("charlie")
    assert entries[0].ret_code == C.MASK_DEL | C.MASK_NODE | C.DELETED
    assert entries[0].message == "Node 'charlie' deleted."
    assert entries[0].obj_refs == {"Node": "charlie"}  # no UUID reference on this entry
    assert [p.node_name for p in cluster.list_storage_pools()].count("charlie") == 0
    missing = cluster.delete_node("charlie")[0]
    assert signed64(missing.ret_code) == -9223372036800509000  # WARN_NOT_FOUND | MASK_DEL | MASK_NODE
    assert (missing.message, missing.cause, missing.details) == (
        "Deletion of node 'charlie' had no effect.", "Node 'charlie' does not exist.", "Node: charlie")


def test_lost_needs_the_node_offline(cluster):
    entry = refusal(cluster, cluster.lose_node, "bravo")
    assert entry.ret_code == C.FAIL_EXISTS_NODE_CONN | C.MASK_DEL | C.MASK_NODE
    assert entry.message == "Node 'bravo' still connected, please use the 'DelNode' api."
    cluster.set_node_online("bravo", False)
    assert cluster.lose_node("bravo")[0].message == "Node 'bravo' deleted."
    assert "BRAVO" not in cluster.nodes


def test_reconnect_and_restore_replies(cluster):
    entry = cluster.reconnect_node("alpha")[0]
    assert (entry.ret_code, entry.message) == (C.MASK_MOD | C.MASK_NODE, "Nodes [alpha] will be reconnected.")
    refused = refusal(cluster, cluster.restore_node, "alpha")
    assert signed64(refused.ret_code) == signed64(C.MASK_ERROR)
    cluster.get_node("alpha").flags = ["DELETE", "EVICTED"]
    assert cluster.reconnect_node("alpha")[0].ret_code == C.MASK_MOD | C.MASK_NODE | C.WARN_NODE_EVICTED
    assert cluster.delete_node("alpha")[0].ret_code & C.MASK_BITS_CODE == C.WARN_NODE_EVICTED & C.MASK_BITS_CODE
    assert cluster.restore_node("alpha")[0].message == "Successfully restored node alpha"
    assert cluster.get_node("alpha").flags == []


def test_net_interface_create_and_exists(cluster):
    entry = cluster.create_net_interface("alpha", {"name": "data", "address": "192.168.1.1"})[0]
    assert entry.message == "New netInterface 'data' on node 'alpha' registered."
    assert entry.ret_code == C.MASK_CRT | C.MASK_NET_IF | C.CREATED
    assert set(entry.obj_refs) == {"Node", "UUID"}
    dup = refusal(cluster, cluster.create_net_interface, "alpha", {"name": "DATA", "address": "192.168.1.2"})
    assert dup.message == "NetInterface 'DATA' on node 'alpha' already exists."


def test_an_active_net_interface_needs_a_port(cluster):
    entry = refusal(cluster, cluster.create_net_interface, "alpha",
                    {"name": "data", "address": "192.168.1.1", "is_active": True})
    assert entry.ret_code & C.MASK_BITS_CODE == (C.FAIL_INVLD_NET_PORT | C.FAIL_INVLD_ENCRYPT_TYPE) & C.MASK_BITS_CODE


def test_deleting_the_active_interface_moves_the_connection_or_warns(cluster):
    cluster.create_net_interface("alpha", {"name": "backup", "address": "192.168.1.1", "satellite_port": 3366,
                                           "satellite_encryption_type": "PLAIN"})
    assert cluster.delete_net_interface("alpha", "default")[0].message == \
        "NetInterface 'default' on node 'alpha' deleted."
    assert cluster.get_node("alpha").net_interfaces["BACKUP"].is_active
    last = cluster.delete_net_interface("alpha", "backup")[0]
    assert last.ret_code == C.WARN_NO_STLT_CONN_DEFINED | C.MASK_DEL | C.MASK_NET_IF
    assert cluster.get_node("alpha").net_interfaces == {}
    assert cluster.get_node("alpha").connection_status == "NO_STLT_CONN"


def test_modify_of_a_missing_net_interface(cluster):
    entry = refusal(cluster, cluster.modify_net_interface, "alpha", "nope", {"address": "10.0.0.1"})
    assert entry.message == "Node 'alpha' has no network interface named 'nope'."
    assert entry.ret_code == C.FAIL_NOT_FOUND_NET_IF | C.MASK_MOD | C.MASK_NET_IF


def test_evict_needs_an_offline_node_then_restore_brings_it_back(cluster, demo):
    online = refusal(cluster, cluster.evict_node, "bravo")
    assert (online.ret_code, online.message) == (C.FAIL_IN_USE | C.MASK_NODE,
                                                 "Eviction of an online node is not possible.")
    cluster.set_node_online("bravo", False)
    demo.clock.advance(60)
    assert cluster.evict_node("bravo") == []
    bravo = cluster.get_node("bravo")
    assert bravo.flags == ["DELETE", "EVICTED"]
    assert bravo.eviction_timestamp == demo.clock.now_ms()
    assert cluster.delete_node("bravo")[0].message == "Deletion of node 'bravo' had no effect."
    assert cluster.restore_node("bravo")[0].message == "Successfully restored node bravo"
    assert bravo.flags == [] and bravo.eviction_timestamp is None


def test_satellites_hear_only_of_real_changes_and_offline_ones_warn(cluster):
    assert [e.message for e in cluster.modify_node("alpha", override={"Aux/zone": "a"})] == [
        "Successfully set property key(s): Aux/zone", "Node 'alpha' modified."]
    cluster.set_node_online("alpha", False)
    last = cluster.modify_node("alpha", override={"Aux/zone": "z"})[-1]
    assert (last.ret_code, last.message) == (C.WARN_NOT_CONNECTED, "No active connection to satellite 'alpha'")


def test_type_is_checked_before_the_interfaces(cluster):
    entry = refusal(cluster, cluster.create_node, "delta", "Bogus", [])
    assert entry.ret_code == C.FAIL_INVLD_NODE_TYPE | C.MASK_CRT | C.MASK_NODE


def test_controller_and_auxiliary_nodes_are_not_connected(cluster):
    cluster.create_node("ctrl1", "Controller", [dict(NIC, satellite_port=3370)])
    cluster.create_node("aux1", "Auxiliary", [NIC])
    assert [cluster.get_node(n).connection_status for n in ("ctrl1", "aux1")] == ["OFFLINE", "OFFLINE"]
    assert cluster.get_node("aux1").storage_pools == {}
    cluster.modify_node("ctrl1", "Satellite")
    assert cluster.get_node("ctrl1").connection_status == "ONLINE"
