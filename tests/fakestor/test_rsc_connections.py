"""Resource connections and DRBD proxy over the REST API; a few calls over a real socket."""
import pytest
import requests

from fakestor.apicallrc import unsigned64
from fakestor.server import Server
from linstor import sharedconsts as C

GIB = 1024 * 1024
BASE = "/v1/resource-definitions/r1"


def call(http, method, path, body=None):
    resp = http.open(path, method=method, json=body) if body is not None else http.open(path, method=method)
    return resp.status_code, resp.get_json()


def rc(entry) -> int:
    return unsigned64(entry["ret_code"])


@pytest.fixture
def deployed(http):
    call(http, "POST", "/v1/resource-definitions", {"resource_definition": {"name": "r1"}})
    call(http, "POST", BASE + "/volume-definitions", {"volume_definition": {"size_kib": GIB}})
    status, _ = call(http, "POST", BASE + "/resources", [
        {"resource": {"node_name": n, "props": {"StorPoolName": "thin"}}} for n in ("alpha", "bravo", "charlie")])
    assert status == 201
    return "r1"


def test_list_shows_every_pair_with_an_empty_connection(http, deployed):
    status, conns = call(http, "GET", BASE + "/resource-connections")
    assert status == 200
    assert conns == [{"node_a": "alpha", "node_b": "bravo", "port": 0},
                     {"node_a": "alpha", "node_b": "charlie", "port": 0},
                     {"node_a": "bravo", "node_b": "charlie", "port": 0}]


def test_get_single_connection_is_an_object_in_either_order(http, deployed):
    status, conn = call(http, "GET", BASE + "/resource-connections/charlie/ALPHA")
    assert status == 200
    assert (conn["node_a"], conn["node_b"]) == ("alpha", "charlie")
    status, reply = call(http, "GET", BASE + "/resource-connections/alpha/delta")
    assert status == 404
    assert rc(reply[0]) == C.FAIL_NOT_FOUND_RSC_CONN
    assert reply[0]["message"] == "Resource connection between 'alpha' and 'delta' not found."
    status, reply = call(http, "GET", "/v1/resource-definitions/nope/resource-connections")
    assert status == 404
    assert rc(reply[0]) == C.FAIL_NOT_FOUND_RSC_DFN


def test_modify_sets_props_on_the_pair(http, deployed):
    status, reply = call(http, "PUT", BASE + "/resource-connections/bravo/alpha",
                         {"override_props": {"DrbdOptions/Net/max-buffers": "8000"}})
    assert status == 200, reply
    assert rc(reply[0]) == C.MASK_MOD | C.MASK_RSC_CONN | C.MODIFIED
    assert reply[0]["obj_refs"]["FirstNode"] == "bravo"
    conn = call(http, "GET", BASE + "/resource-connections/alpha/bravo")[1]
    assert conn["props"] == {"DrbdOptions/Net/max-buffers": "8000"}
    call(http, "PUT", BASE + "/resource-connections/alpha/bravo", {"delete_props": ["DrbdOptions/Net/max-buffers"]})
    assert "props" not in call(http, "GET", BASE + "/resource-connections/alpha/bravo")[1]


def test_modify_needs_both_resources(http, deployed):
    status, reply = call(http, "PUT", BASE + "/resource-connections/alpha/delta", {"override_props": {"Aux/a": "b"}})
    assert status == 404
    assert rc(reply[0]) == C.MASK_MOD | C.MASK_RSC_CONN | C.FAIL_NOT_FOUND_NODE


def test_connections_go_with_their_resources(http, deployed):
    call(http, "PUT", BASE + "/resource-connections/alpha/bravo", {"override_props": {"Aux/a": "b"}})
    call(http, "DELETE", BASE + "/resources/bravo")
    conns = call(http, "GET", BASE + "/resource-connections")[1]
    assert [(c["node_a"], c["node_b"]) for c in conns] == [("alpha", "charlie")]


def test_drbd_proxy_takes_a_port_from_the_global_pool(http, deployed):
    status, reply = call(http, "POST", BASE + "/drbd-proxy/enable/alpha/bravo", {})
    assert status == 200
    assert rc(reply[0]) == C.MASK_MOD | C.MASK_RSC_CONN | C.MODIFIED
    assert reply[0]["message"] == ("DRBD Proxy enabled on resource connection between nodes 'alpha' and 'bravo' "
                                   "for resource 'r1'")
    conn = call(http, "GET", BASE + "/resource-connections/alpha/bravo")[1]
    assert conn["flags"] == ["LOCAL_DRBD_PROXY"]
    assert conn["port"] == 7001  # r1 holds 7000
    assert conn["props"]["DrbdOptions/Net/protocol"] == "A"
    call(http, "POST", "/v1/resource-definitions", {"resource_definition": {"name": "r2", "layer_data": [
        {"type": "DRBD"}, {"type": "STORAGE"}]}})
    r2 = call(http, "GET", "/v1/resource-definitions/r2")[1]
    assert r2["layer_data"][0]["data"]["port"] == 7002


def test_drbd_proxy_with_explicit_port_and_disable(http, deployed):
    status, reply = call(http, "POST", BASE + "/drbd-proxy/enable/alpha/charlie", {"port": 7000})
    assert status == 500
    assert rc(reply[0]) == C.MASK_MOD | C.MASK_RSC_CONN | C.FAIL_INVLD_RSC_PORT
    assert call(http, "POST", BASE + "/drbd-proxy/enable/alpha/charlie", {"port": 9000})[0] == 200
    assert call(http, "GET", BASE + "/resource-connections/alpha/charlie")[1]["port"] == 9000
    status, reply = call(http, "POST", BASE + "/drbd-proxy/disable/alpha/charlie")
    assert status == 200
    assert "DRBD Proxy disabled" in reply[0]["message"]
    conn = call(http, "GET", BASE + "/resource-connections/alpha/charlie")[1]
    assert "port" not in conn and "flags" not in conn
    assert conn["props"]["DrbdProxy/AutoEnable"] == C.VAL_FALSE == "False"


def test_drbd_proxy_disable_without_connection(http, deployed):
    status, reply = call(http, "POST", BASE + "/drbd-proxy/disable/alpha/bravo")
    assert status == 404
    assert rc(reply[0]) == C.MASK_MOD | C.MASK_RSC_CONN | C.FAIL_NOT_FOUND_RSC_CONN


def test_drbd_proxy_options(http, deployed):
    status, reply = call(http, "PUT", BASE + "/drbd-proxy", {
        "override_props": {"DrbdOptions/Proxy/memlimit": "33554432"}, "compression_type": "zlib",
        "compression_props": {"DrbdOptions/ProxyCompression/level": "9"}})
    assert status == 200
    assert rc(reply[-1]) == C.MASK_MOD | C.MASK_RSC_DFN | C.MODIFIED
    props = call(http, "GET", BASE)[1]["props"]
    assert props["DrbdOptions/Proxy/memlimit"] == "33554432"
    assert props["DrbdProxy/CompressionType"] == "zlib"
    assert props["DrbdOptions/ProxyCompression/level"] == "9"
    call(http, "PUT", BASE + "/drbd-proxy", {"compression_type": "none"})
    props = call(http, "GET", BASE)[1]["props"]
    assert "DrbdProxy/CompressionType" not in props and "DrbdOptions/ProxyCompression/level" not in props
    status, reply = call(http, "PUT", BASE + "/drbd-proxy", {"delete_props": ["DrbdOptions/Proxy/nothere"]})
    assert rc(reply[0]) == C.MASK_MOD | C.MASK_RSC_DFN | C.WARN_DEL_UNSET_PROP
    status, reply = call(http, "PUT", BASE + "/drbd-proxy", {"compression_type": "rar"})
    assert status == 500
    assert rc(reply[0]) == C.MASK_MOD | C.MASK_RSC_DFN | C.FAIL_INVLD_DRBD_PROXY_COMPRESSION_TYPE


# -- over a real socket -----------------------------------------------------------------------------
@pytest.mark.http
def test_resource_lifecycle_over_a_socket(controller, checked_app):
    with Server(controller, app=checked_app) as server:
        url = server.url
        resp = requests.post(url + "/v1/resource-definitions", data='{"resource_definition": {"external_name": "db vol"}}')
        assert resp.status_code == 201
        name = resp.json()[0]["obj_refs"]["RscDfn"]
        assert name == "db_vol"
        resp = requests.post(url + "/v1/resource-definitions/%s/volume-definitions" % name,
                             json={"volume_definition": {"size_kib": GIB}})
        assert resp.status_code == 200
        resp = requests.post(url + "/v1/resource-definitions/%s/resources" % name,
                             json=[{"resource": {"node_name": "alpha", "props": {"StorPoolName": "zfs"}}},
                                   {"resource": {"node_name": "bravo", "flags": ["DISKLESS"]}}])
        assert resp.status_code == 201
        assert resp.headers["Content-Type"].startswith("application/json")
        rscs = requests.get(url + "/v1/view/resources", params={"resources": name}).json()
        assert [(r["node_name"], r["volumes"][0]["provider_kind"]) for r in rscs] == [
            ("alpha", "ZFS"), ("bravo", "DISKLESS")]
        conn = requests.get(url + "/v1/resource-definitions/%s/resource-connections/alpha/bravo" % name).json()
        assert conn["node_a"] == "alpha"
        resp = requests.delete(url + "/v1/resource-definitions/%s/resources/alpha" % name)
        assert resp.status_code == 500
        assert "diskless resources attached" in resp.json()[0]["message"]
        assert requests.delete(url + "/v1/resource-definitions/%s" % name).status_code == 200
        resp = requests.delete(url + "/v1/resource-definitions/%s" % name)
        assert resp.status_code == 200
        assert unsigned64(resp.json()[0]["ret_code"]) == C.MASK_DEL | C.MASK_RSC_DFN | C.WARN_NOT_FOUND


@pytest.mark.http
def test_not_found_and_parse_errors_over_a_socket(controller, checked_app):
    with Server(controller, app=checked_app) as server:
        resp = requests.get(server.url + "/v1/resource-definitions/nope/resources/alpha")
        assert resp.status_code == 404
        resp = requests.post(server.url + "/v1/resource-definitions/nope/resources", data="{not json")
        assert resp.status_code == 500
        assert unsigned64(resp.json()[0]["ret_code"]) == unsigned64(C.API_CALL_PARSE_ERROR)
