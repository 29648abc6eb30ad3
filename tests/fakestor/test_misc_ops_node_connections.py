"""Node connections over the REST API (``CtrlNodeConnectionApiCallHandler`` of LINSTOR 1.31.3)."""
from fakestor.apicallrc import unsigned64
from linstor import sharedconsts as C

PATH = "/v1/node-connections"


def call(http, method, path, body=None, **kw):
    resp = http.open(path, method=method, json=body, **kw) if body is not None else http.open(path, method=method, **kw)
    return resp.status_code, resp.get_json()


def rc(entry) -> int:
    return unsigned64(entry["ret_code"])


def test_nothing_is_listed_before_a_property_is_set(http):
    assert call(http, "GET", PATH) == (200, [])
    # a pair always answers, with empty properties while no connection exists
    assert call(http, "GET", PATH, query_string={"node_a": "charlie", "node_b": "alpha"}) == (
        200, [{"node_a": "alpha", "node_b": "charlie", "props": {}}])


def test_first_modify_creates_the_connection_and_each_satellite_answers(http, controller):
    status, reply = call(http, "PUT", PATH + "/charlie/alpha", {"override_props": {"DrbdOptions/Net/max-buffers": "8000"}})
    assert status == 200, reply
    assert [rc(e) for e in reply] == [C.MASK_NODE_CONN | C.MASK_CRT | C.CREATED,
                                      C.MASK_MOD | C.MASK_NODE_CONN | C.MODIFIED,
                                      C.MASK_MOD | C.MASK_NODE_CONN | C.MODIFIED,
                                      C.MASK_MOD | C.MASK_NODE_CONN | C.MODIFIED]
    assert reply[0]["message"] == "Successfully set property key(s): DrbdOptions/Net/max-buffers"
    assert reply[1]["message"] == "Node connection between nodes 'charlie' and 'alpha' modified."
    assert reply[1]["obj_refs"][C.KEY_1ST_NODE] == "charlie"
    assert reply[1]["obj_refs"][C.KEY_2ND_NODE] == "alpha"
    assert C.KEY_UUID in reply[1]["obj_refs"]
    assert [e["message"] for e in reply[2:]] == ["(charlie) Node changes applied.", "(alpha) Node changes applied."]
    listed = [{"node_a": "alpha", "node_b": "charlie", "props": {"DrbdOptions/Net/max-buffers": "8000"}}]
    assert call(http, "GET", PATH) == (200, listed)
    assert call(http, "GET", PATH, query_string={"node_a": "ALPHA"}) == (200, listed)
    assert call(http, "GET", PATH, query_string={"node_b": "charlie", "node_a": "alpha"}) == (200, listed)
    assert call(http, "GET", PATH, query_string={"node_a": "bravo"}) == (200, [])


def test_offline_satellites_do_not_answer(http, controller):
    controller.cluster.set_node_online("alpha", False)
    status, reply = call(http, "PUT", PATH + "/alpha/bravo", {"override_props": {"Aux/x": "1"}})
    assert status == 200
    assert [e["message"] for e in reply[2:]] == ["(bravo) Node changes applied."]


def test_deleting_the_last_property_removes_the_connection(http):
    call(http, "PUT", PATH + "/alpha/bravo", {"override_props": {"Aux/a": "1", "Aux/b": "2"}})
    status, reply = call(http, "PUT", PATH + "/bravo/alpha", {"delete_props": ["Aux/a"]})
    assert status == 200
    assert reply[0]["message"] == "Successfully deleted property key(s): Aux/a"
    assert rc(reply[0]) == C.MASK_NODE_CONN | C.MASK_DEL | C.DELETED
    assert call(http, "GET", PATH)[1] == [{"node_a": "alpha", "node_b": "bravo", "props": {"Aux/b": "2"}}]
    call(http, "PUT", PATH + "/bravo/alpha", {"delete_namespaces": ["Aux"]})
    assert call(http, "GET", PATH) == (200, [])
    # nothing left to modify: only a warning
    status, reply = call(http, "PUT", PATH + "/bravo/alpha", {"delete_props": ["Aux/b"]})
    assert status == 200
    assert len(reply) == 1
    assert rc(reply[0]) == C.MASK_MOD | C.MASK_NODE_CONN | C.WARN_NOT_FOUND
    assert reply[0]["message"] == "Node connection between nodes 'bravo' and 'alpha' does not exist"


def test_listing_is_ordered_by_node_names(http):
    for a, b in (("charlie", "bravo"), ("bravo", "alpha"), ("charlie", "alpha")):
        assert call(http, "PUT", "%s/%s/%s" % (PATH, a, b), {"override_props": {"Aux/k": a}})[0] == 200
    pairs = [(c["node_a"], c["node_b"]) for c in call(http, "GET", PATH)[1]]
    assert pairs == [("alpha", "bravo"), ("alpha", "charlie"), ("bravo", "charlie")]


def test_props_outside_the_whitelist_are_refused_and_change_nothing(http, controller):
    before = controller.cluster.copy_state()
    status, reply = call(http, "PUT", PATH + "/alpha/bravo", {"override_props": {"DrbdOptions/Disk/al-extents": "7"}})
    assert status == 500
    assert rc(reply[0]) == C.MASK_MOD | C.MASK_NODE_CONN | C.FAIL_INVLD_PROP
    assert reply[0]["message"] == "Invalid property key: DrbdOptions/Disk/al-extents"
    assert reply[0]["error_report_ids"]
    assert controller.cluster.copy_state()["node_connections"] == before["node_connections"]
    assert call(http, "GET", PATH) == (200, [])


def test_paths_name_an_interface_of_one_of_the_two_nodes(http):
    ok = call(http, "PUT", PATH + "/alpha/bravo", {"override_props": {"Paths/p1/alpha": "default",
                                                                      "Paths/p1/bravo": "default"}})
    assert ok[0] == 200, ok
    status, reply = call(http, "PUT", PATH + "/alpha/bravo", {"override_props": {"Paths/p1/charlie": "default"}})
    assert status == 500
    assert reply[0]["message"] == "Connection path node unknown."
    assert reply[0]["cause"] == "The node name 'charlie' is unknown."
    status, reply = call(http, "PUT", PATH + "/alpha/bravo", {"override_props": {"Paths/p1/alpha": "eth7"}})
    assert reply[0]["message"] == "NetInterface for node unknown."
    assert reply[0]["cause"] == "The Netinterface 'eth7' is not known for node 'alpha'"
    status, reply = call(http, "PUT", PATH + "/alpha/bravo", {"override_props": {"Paths/p1": "default"}})
    assert reply[0]["message"] == "Connection path property invalid."
    assert rc(reply[0]) == C.MASK_MOD | C.MASK_NODE_CONN | C.FAIL_INVLD_PROP


def test_unknown_nodes(http):
    status, reply = call(http, "GET", PATH, query_string={"node_a": "delta"})
    assert status == 404
    assert rc(reply[0]) == C.FAIL_NOT_FOUND_NODE
    assert reply[0]["message"] == "Node 'delta' not found."
    status, reply = call(http, "GET", PATH, query_string={"node_a": "alpha", "node_b": "x"})
    assert status == 500
    assert rc(reply[0]) == C.FAIL_INVLD_NODE_NAME
    # without properties to set, a missing node leaves only the warning
    status, reply = call(http, "PUT", PATH + "/alpha/delta", {"delete_props": ["Aux/a"]})
    assert (status, rc(reply[0])) == (200, C.MASK_MOD | C.MASK_NODE_CONN | C.WARN_NOT_FOUND)
    status, reply = call(http, "PUT", PATH + "/alpha/delta", {"override_props": {"Aux/a": "1"}})
    assert status == 500
    assert rc(reply[0]) == C.MASK_MOD | C.MASK_NODE_CONN | C.FAIL_UNKNOWN_ERROR
    assert "NullPointerException" in reply[0]["message"]
    assert call(http, "GET", PATH) == (200, [])


def test_deleting_a_node_drops_its_connections(http, controller):
    call(http, "PUT", PATH + "/alpha/bravo", {"override_props": {"Aux/a": "1"}})
    assert controller.call(lambda c: c.create_node("delta", None, [{"name": "default", "address": "10.0.0.9",
                                                                   "satellite_port": 3366,
                                                                   "satellite_encryption_type": "PLAIN"}]))
    call(http, "PUT", PATH + "/delta/alpha", {"override_props": {"Aux/a": "1"}})
    assert len(call(http, "GET", PATH)[1]) == 2
    status, reply = call(http, "DELETE", "/v1/nodes/delta")
    assert status == 200, reply
    assert call(http, "GET", PATH)[1] == [{"node_a": "alpha", "node_b": "bravo", "props": {"Aux/a": "1"}}]


def test_bad_body(http):
    status, reply = call(http, "PUT", PATH + "/alpha/bravo", {"override_props": {"Aux/a": "1"}, "bogus": 1})
    assert status == 500
    assert rc(reply[0]) == C.API_CALL_PARSE_ERROR
    assert call(http, "GET", PATH) == (200, [])


def test_connections_survive_a_dump_and_load(http, controller):
    from fakestor import Controller, create_app

    call(http, "PUT", PATH + "/bravo/charlie", {"override_props": {"DrbdOptions/Net/protocol": "A"}})
    restarted = Controller()
    restarted.load(controller.dump())
    resp = create_app(restarted).test_client().get(PATH)
    assert resp.get_json() == [{"node_a": "bravo", "node_b": "charlie", "props": {"DrbdOptions/Net/protocol": "A"}}]
