"""Nodes and net interfaces through the client, against the fake (in process and over HTTP)."""
import pytest

import linstor
from linstor import consts


def test_node_list_shows_the_demo_cluster(lin):
    nodes = lin.node_list_raise().nodes
    assert [n.name for n in nodes] == ["alpha", "bravo", "charlie"]
    alpha = nodes[0]
    assert alpha.type == "SATELLITE"
    assert alpha.connection_status == "ONLINE"
    assert alpha.props["Aux/zone"] == "a"
    assert alpha.net_interfaces[0].address == "10.43.0.1"
    assert alpha.net_interfaces[0].stlt_port == 3366


def test_node_create_then_list_and_filter(lin):
    replies = lin.node_create("delta", consts.VAL_NODE_TYPE_STLT, "10.43.0.4", property_dict={"Aux/zone": "d"})
    assert linstor.Linstor.all_api_responses_success(replies)
    # first "Successfully set property key(s): Aux/zone", then the node's own entry
    assert [r.ret_code for r in replies] == [20709377, 20709377]  # CREATED | MASK_CRT | MASK_NODE
    assert replies[-1].object_refs["Node"] == "delta"
    listed = lin.node_list_raise(filter_by_nodes=["DELTA"]).nodes
    assert [n.name for n in listed] == ["delta"]
    assert [n.name for n in lin.node_list_raise(filter_by_props=["Aux/zone=d"]).nodes] == ["delta"]
    pools = lin.storage_pool_list_raise(filter_by_nodes=["delta"]).storage_pools
    assert [p.name for p in pools] == ["DfltDisklessStorPool"]
    assert pools[0].is_diskless()


def test_duplicate_node_is_refused_case_insensitively(lin):
    replies = lin.node_create("ALPHA", "Satellite", "10.43.0.9")
    assert replies[0].is_error(consts.FAIL_EXISTS_NODE)
    assert "already exists" in replies[0].cause
    assert len(lin.node_list_raise().nodes) == 3


@pytest.mark.parametrize("bad", ["a", "under_score", "-dash", "x" * 64 + ".example.com"])
def test_invalid_node_names_are_refused_with_an_error_report(lin, bad):
    replies = lin.node_create(bad, "Satellite", "10.43.0.9")
    assert replies[0].is_error(consts.FAIL_INVLD_NODE_NAME)
    assert replies[0].error_report_ids
    assert len(lin.node_list_raise().nodes) == 3


def test_invalid_ip_is_refused(lin):
    replies = lin.node_create("delta", "Satellite", "300.1.2.3")
    assert replies[0].is_error(consts.FAIL_INVLD_NET_ADDR)
    assert lin.node_list_raise(filter_by_nodes=["delta"]).nodes == []


def test_unknown_node_type_is_refused_by_the_client():
    client = linstor.Linstor("linstor://localhost")
    with pytest.raises(linstor.LinstorError, match="Unknown node type"):
        client.node_create("x1", "Bogus", "10.0.0.1")


def test_node_modify_sets_and_deletes_properties(lin):
    assert lin.all_api_responses_success(lin.node_modify("alpha", property_dict={"Aux/site": "x"}))
    assert lin.node_list_raise(["alpha"]).nodes[0].props["Aux/site"] == "x"
    lin.node_modify("alpha", delete_props=["Aux/site"])
    assert "Aux/site" not in lin.node_list_raise(["alpha"]).nodes[0].props


def test_node_modify_unknown_node_is_not_found(lin):
    replies = lin.node_modify("nowhere", property_dict={"Aux/x": "1"})
    assert replies[0].is_error(consts.FAIL_NOT_FOUND_NODE)


def test_node_delete_and_delete_missing_warns(lin):
    replies = lin.node_delete("charlie")
    assert replies[0].is_success()
    assert [n.name for n in lin.node_list_raise().nodes] == ["alpha", "bravo"]
    again = lin.node_delete("charlie")
    assert again[0].is_warning() and not again[0].is_error()
    assert again[0].ret_code & consts.MASK_BITS_CODE == consts.WARN_NOT_FOUND & consts.MASK_BITS_CODE


def test_node_lost_removes_an_offline_node_and_its_pools(lin, controller):
    # a connected node is refused: "please use the 'DelNode' api"
    assert lin.node_lost("bravo")[0].is_error(consts.FAIL_EXISTS_NODE_CONN)
    controller.cluster.set_node_online("bravo", False)
    assert not lin.node_lost("bravo")[0].is_error()
    assert lin.storage_pool_list_raise(filter_by_nodes=["bravo"]).storage_pools == []


def test_node_reconnect_and_restore(lin):
    replies = lin.node_reconnect(["alpha", "bravo"])
    assert len(replies) == 2 and all(not r.is_error() for r in replies)
    # only an evicted or evacuated node can be restored
    assert "neither evicted nor evacuated" in lin.node_restore("alpha")[0].message


def test_net_interfaces_round_trip(lin):
    assert not lin.netinterface_create("alpha", "data", "192.168.1.1")[0].is_error()
    nics = {r.data_v1["name"]: r.data_v1 for r in lin.net_interface_list("alpha")}
    assert nics["data"]["address"] == "192.168.1.1"
    assert not lin.netinterface_modify("alpha", "data", ip="192.168.1.2")[0].is_error()
    nics = {r.data_v1["name"]: r.data_v1 for r in lin.net_interface_list("alpha")}
    assert nics["data"]["address"] == "192.168.1.2"
    assert lin.netinterface_create("alpha", "data", "192.168.1.3")[0].is_error(consts.FAIL_EXISTS_NET_IF)
    assert lin.netinterface_delete("alpha", "data")[0].is_success()
    assert "data" not in {r.data_v1["name"] for r in lin.net_interface_list("alpha")}


def test_controller_version_and_info(lin):
    version = lin.controller_version()
    assert version.version == "1.31.3"
    assert version.rest_api_version == "1.25.1"
    assert lin.controller_info().startswith("LINSTOR,Controller,1.31.3,")
    assert lin.api_version_smaller("1.26.0")
    assert not lin.api_version_smaller("1.25.1")


def test_controller_properties_round_trip(lin):
    replies = lin.controller_set_prop("Aux/owner", "me")
    assert not replies[0].is_error()
    assert lin.controller_props()[0].properties["Aux/owner"] == "me"
    lin.controller_del_prop("Aux/owner")
    assert "Aux/owner" not in lin.controller_props()[0].properties


# -- request bodies, seen by the fake -------------------------------------------------------------

@pytest.fixture
def recorded(controller):
    """A client in process whose requests to the demo controller are recorded."""
    from fakestor import create_app
    from linstor.transport import WsgiTransport
    from tests.linstor.netfaults import Recorder

    recorder = Recorder(create_app(controller))
    client = linstor.Linstor("linstor://fakestor", transport=WsgiTransport(recorder))
    client.connect()
    client.recorder = recorder
    return client


def test_node_create_body(recorded):
    recorded.node_create("delta", "Satellite", "10.43.0.4", property_dict={"Aux/a": "b"})
    sent = recorded.recorder.last("POST")
    assert (sent["method"], sent["path"]) == ("POST", "/v1/nodes")
    assert sent["body"] == {"name": "delta", "type": "Satellite", "props": {"Aux/a": "b"}, "net_interfaces": [
        {"name": "default", "address": "10.43.0.4", "satellite_port": 3366, "satellite_encryption_type": "Plain",
         "is_active": True}]}


@pytest.mark.parametrize("node_type, com_type, port", [
    ("Satellite", "Plain", 3366), ("Satellite", "SSL", 3367), ("Controller", "Plain", 3376),
    ("Controller", "SSL", 3377), ("Combined", "Plain", 3366), ("Combined", "SSL", 3377)])
def test_node_create_default_ports(recorded, node_type, com_type, port):
    replies = recorded.node_create("delta", node_type, "10.43.0.4", com_type=com_type)
    assert not replies[0].is_error(), replies
    assert recorded.recorder.last("POST")["body"]["net_interfaces"][0]["satellite_port"] == port
    nic = recorded.node_list_raise(["delta"]).nodes[0].net_interfaces[0]
    assert nic.stlt_port == port and nic.stlt_encryption_type.upper() == com_type.upper()


def test_node_create_unknown_com_type_has_no_default_port(recorded):
    with pytest.raises(linstor.LinstorError, match="Communication type RDMA has no default port"):
        recorded.node_create("delta", "Satellite", "10.43.0.4", com_type="RDMA")


def test_netinterface_bodies(recorded):
    recorded.netinterface_create("alpha", "data", "192.168.1.1")
    assert recorded.recorder.last("POST")["body"] == {"name": "data", "address": "192.168.1.1", "is_active": False}
    recorded.netinterface_modify("alpha", "data", port=3400, com_type="SSL", is_active=True)
    sent = recorded.recorder.last("PUT")
    assert sent["path"] == "/v1/nodes/alpha/net-interfaces/data"
    assert sent["body"] == {"name": "data", "satellite_port": 3400, "satellite_encryption_type": "SSL",
                            "is_active": True}


# -- more node behaviour against the fake ---------------------------------------------------------

def test_node_modify_changes_the_type(lin):
    assert lin.node_modify("alpha", node_type="Combined")[0].is_success()
    assert lin.node_list_raise(["alpha"]).nodes[0].type == "COMBINED"


def test_node_modify_to_an_invalid_type_is_refused(lin):
    replies = lin.node_modify("alpha", node_type="Bogus")
    assert replies[0].is_error(consts.FAIL_INVLD_NODE_TYPE)
    assert lin.node_list_raise(["alpha"]).nodes[0].type == "SATELLITE"


def test_node_reconnect_missing_node_is_not_found(lin):
    replies = lin.node_reconnect(["alpha", "nowhere"])
    assert [r.is_error(consts.FAIL_NOT_FOUND_NODE) for r in replies] == [False, True]


def test_node_restore_of_a_node_that_is_not_evicted_is_refused(lin):
    replies = lin.node_restore("bravo")
    assert replies[0].is_error()
    assert replies[0].message == "Node 'bravo' is neither evicted nor evacuated."


def test_node_list_of_unknown_names_is_empty(lin):
    assert lin.node_list_raise(filter_by_nodes=["nowhere"]).nodes == []
    assert lin.node_list_raise().node("nowhere") is None
    assert lin.node_list_raise().node("bravo").name == "bravo"


def test_node_response_views(lin):
    node = lin.node_list_raise(["alpha"]).nodes[0]
    assert str(node) == "Node(alpha, SATELLITE, ONLINE)"
    assert node.flags == [] and node.properties == node.props
    assert "LVM_THIN" in node.storage_providers and "DRBD" in node.resource_layers
    assert isinstance(node.unsupported_providers, dict) and isinstance(node.unsupported_layers, dict)
    old = node.data_v0
    assert old["connection_status"] == consts.ConnectionStatus.ONLINE.value
    assert {"key": "Aux/zone", "value": "a"} in old["props"]
    assert old["net_interfaces"][0] == {"name": "default", "address": "10.43.0.1", "stlt_port": 3366,
                                        "stlt_encryption_type": node.net_interfaces[0].stlt_encryption_type}
    assert node.net_interfaces[0].is_active is not None
    assert lin.node_list_raise(["alpha"]).data_v0["nodes"][0]["name"] == "alpha"


def test_netinterface_errors(lin):
    assert lin.netinterface_create("nowhere", "data", "10.0.0.1")[0].is_error(consts.FAIL_NOT_FOUND_NODE)
    assert lin.netinterface_create("alpha", "bad name!", "10.0.0.1")[0].is_error(consts.FAIL_INVLD_NET_NAME)
    assert lin.netinterface_create("alpha", "data", "10.0.0.300")[0].is_error(consts.FAIL_INVLD_NET_ADDR)
    assert lin.netinterface_modify("alpha", "nothere", ip="10.0.0.1")[0].is_error(consts.FAIL_NOT_FOUND_NET_IF)
    missing = lin.netinterface_delete("alpha", "nothere")
    assert missing[0].is_warning() and not missing[0].is_error()
    assert [r.data_v1["name"] for r in lin.net_interface_list("alpha")] == ["default"]


def test_deleting_the_satellite_connection_interface_warns_and_disconnects(lin):
    replies = lin.netinterface_delete("alpha", "default")
    assert replies[0].is_warning() and not replies[0].is_error()
    assert "was the last connection to the satellite" in replies[0].message
    assert lin.net_interface_list("alpha") == []
    assert lin.node_list_raise(["alpha"]).nodes[0].connection_status == "NO_STLT_CONN"


def test_netinterface_modify_port_and_encryption(lin):
    replies = lin.netinterface_modify("alpha", "default", port=3367, com_type="SSL", is_active=True)
    assert replies[0].is_success(), replies
    nic = lin.node_list_raise(["alpha"]).nodes[0].net_interfaces[0]
    assert (nic.stlt_port, nic.stlt_encryption_type.upper(), nic.address) == (3367, "SSL", "10.43.0.1")


def test_net_interface_list_of_a_missing_node_is_an_error_reply(lin):
    replies = lin.net_interface_list("nowhere")
    assert replies[0].is_error(consts.FAIL_NOT_FOUND_NODE)
