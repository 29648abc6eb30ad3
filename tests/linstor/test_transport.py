"""The client's connection handling: URIs, connect/disconnect, version check, basic auth,
curl mode, timeouts, refused ports, keep-alive, MultiLinstor, and error bodies."""
import gzip
import json
import threading

import pytest

import linstor
from fakestor.server import Server
from linstor.transport import WsgiTransport
from tests.linstor.netfaults import (
    CannedApp,
    DroppingProxy,
    Recorder,
    SilentServer,
    json_answer,
    refused_port,
)


@pytest.fixture
def served(controller):
    """The demo controller over HTTP, every request recorded."""
    from fakestor import create_app

    recorder = Recorder(create_app(controller))
    with Server(controller, app=recorder) as server:
        server.recorder = recorder
        yield server


def serve(app) -> Server:
    return Server(app=app).start()


def canned_client(app, **kwargs) -> linstor.Linstor:
    return linstor.Linstor("linstor://ctrl", transport=WsgiTransport(app), **kwargs)


# -- URIs and ports (seen through curl mode, which prints the URL it would use) --------------

@pytest.mark.parametrize("uri, url", [
    ("linstor://ctrl", "http://ctrl:3370/v1/nodes"),
    ("linstor://ctrl:4000", "http://ctrl:4000/v1/nodes"),
    ("linstor+ssl://ctrl", "https://ctrl:3371/v1/nodes"),
    ("linstor+ssl://ctrl:4001", "https://ctrl:4001/v1/nodes"),
    ("https://ctrl", "https://ctrl:3371/v1/nodes"),
    ("unknown://ctrl", "http://ctrl:3370/v1/nodes"),
    ("linstor://[fd00::1]", "http://[fd00::1]:3370/v1/nodes"),
])
def test_schemes_and_default_ports(capsys, uri, url):
    client = linstor.Linstor(uri)
    client.curl = True
    client.connect()
    assert client.node_list() == []
    assert capsys.readouterr().out == "curl -X GET %s\n" % url


def test_constants_and_class_attributes():
    assert linstor.Linstor.REST_PORT == 3370
    assert linstor.Linstor.REST_HTTPS_PORT == 3371
    assert linstor.Linstor.API_SINGLE_NODE_REQ == "API_SINGLE_NODE_REQ"
    assert linstor.Linstor.APICALL2RESPONSE["LstNode"] is linstor.responses.NodeListResponse
    assert linstor.Linstor.APICALL2RESPONSE["Version"] is linstor.responses.ControllerVersion


# -- curl mode --------------------------------------------------------------------------------

def test_curl_mode_prints_requests_and_sends_nothing(capsys):
    client = linstor.Linstor("linstor://127.0.0.1:%d" % refused_port())
    client.curl = True
    assert client.curl
    assert client.connect() is True and client.connected
    assert client.node_create("delta", "Satellite", "10.0.0.4") == []
    assert client.node_list(filter_by_nodes=["a", "b"], filter_by_props=["Aux/zone=a"]) == []
    assert client.controller_version() is None
    lines = capsys.readouterr().out.splitlines()
    port = client.controller_host().rsplit(":", 1)[1]
    body = json.loads(lines[0].split(" -d '", 1)[1].rsplit("' ", 1)[0])
    assert lines[0].startswith('curl -X POST -H "Content-Type: application/json" -d \'{')
    assert lines[0].endswith(" http://127.0.0.1:%s/v1/nodes" % port)
    assert body["name"] == "delta" and body["net_interfaces"][0]["address"] == "10.0.0.4"
    assert lines[1] == "curl -X GET http://127.0.0.1:%s/v1/nodes?nodes=a&nodes=b&props=Aux/zone=a" % port
    assert lines[2] == "curl -X GET http://127.0.0.1:%s/v1/controller/version" % port


# -- connect, disconnect, context manager, version check ---------------------------------------

def test_connect_and_disconnect(served):
    client = linstor.Linstor(served.linstor_uri)
    assert not client.connected
    assert client.api_version_smaller("1.0.0") is None  # unknown before connect
    assert client.connect() is True
    assert client.connected and not client.is_secure_connection
    assert client.controller_host() == served.linstor_uri
    assert client.stats() == ""
    assert [n.name for n in client.node_list_raise().nodes] == ["alpha", "bravo", "charlie"]
    assert client.disconnect() is None
    assert not client.connected
    # as with python-linstor, the next request reopens the connection
    assert len(client.node_list_raise().nodes) == 3


def test_request_format_on_the_wire(served):
    client = linstor.Linstor(served.linstor_uri)
    client.connect()
    client.node_list(filter_by_nodes=["alpha", "bravo"], filter_by_props=["Aux/zone=a"])
    client.node_modify("alpha", property_dict={"Aux/x": "1"})
    get, put = served.recorder.requests[-2:]
    assert get["method"] == "GET" and get["path"] == "/v1/nodes"
    assert get["query"] == "nodes=alpha&nodes=bravo&props=Aux/zone=a"
    assert get["headers"]["User-Agent"] == "PythonLinstor/1.7.1 (API1.0.4)"
    assert "gzip" in get["headers"]["Accept-Encoding"]
    assert put["method"] == "PUT" and put["path"] == "/v1/nodes/alpha"
    assert put["body"] == {"override_props": {"Aux/x": "1"}}
    assert "Authorization" not in put["headers"]
    assert "Content-Type" not in put["headers"]  # python-linstor sends JSON bodies without one


def test_plain_connect_probes_for_an_https_redirect_then_asks_the_version(served):
    client = linstor.Linstor(served.linstor_uri)
    client.connect()
    assert [(r["method"], r["path"]) for r in served.recorder.requests] == [
        ("GET", "/v1/controller/version"), ("GET", "/v1/controller/version")]


def test_context_manager_connects_once_and_is_nesting_safe():
    app = CannedApp()
    client = canned_client(app)
    with client as outer:
        assert outer is client and client.connected
        with client as inner:
            assert inner is client
        assert client.connected  # the inner block does not close the outer one's connection
    assert not client.connected
    assert len(app.requests) == 1


def test_context_manager_disconnects_on_error():
    client = canned_client(CannedApp())
    with pytest.raises(RuntimeError):
        with client:
            raise RuntimeError("boom")
    assert not client.connected


@pytest.mark.parametrize("rest_version", ["1.0.3", "0.9.9", "2.0.0"])
def test_connect_refuses_unsupported_rest_api_versions(rest_version):
    client = canned_client(CannedApp(version=dict(rest_api_version=rest_version, version="1.0", build_time="x")))
    with pytest.raises(linstor.LinstorApiCallError) as err:
        client.connect()
    assert err.value.message == ("Client doesn't support Controller rest api version: %s; "
                                 "Minimal version needed: 1.0.4" % rest_version)
    assert not client.connected


def test_controller_without_rest_api_version_is_too_old():
    client = canned_client(CannedApp(version={"version": "0.9", "build_time": "x"}))
    with pytest.raises(linstor.LinstorApiCallError, match="rest api version: 1.0.0;"):
        client.connect()


def test_version_helpers(lin, controller):
    version = lin.controller_version()
    assert isinstance(version, linstor.responses.ControllerVersion)
    info = controller.version_info()
    assert (version.version, version.git_hash, version.build_time, version.rest_api_version) == (
        info["version"], info["git_hash"], info["build_time"], info["rest_api_version"])
    assert lin.controller_info() == "LINSTOR,Controller,{version},{git_hash},{build_time}".format(**info)
    assert lin.api_version_smaller("1.25.2") and lin.api_version_smaller("2.0")
    assert not lin.api_version_smaller("1.25.1") and not lin.api_version_smaller("1.7.0")


def test_require_version_names_both_versions():
    client = canned_client(CannedApp(version=dict(rest_api_version="1.0.9", version="1.4", build_time="x")))
    client.connect()
    with pytest.raises(linstor.LinstorError) as err:
        client.physical_storage_list()
    assert err.value.message == "Physical storage API not supported by server, REST-API-VERSION: 1.0.9; needed 1.0.10"


# -- basic auth ---------------------------------------------------------------------------------

def test_basic_auth_refused_over_plain_http_until_allowed(served):
    client = linstor.Linstor(served.linstor_uri)
    client.username, client.password = "admin", "s3cret"
    before = len(served.recorder.requests)
    with pytest.raises(linstor.LinstorNetworkError) as err:
        client.connect()
    assert err.value.message == "Password authentication with HTTP not allowed, until explicitly enabled."
    assert not client.connected
    # only the unauthenticated HTTPS-redirect probe went out, no credentials
    assert all("Authorization" not in r["headers"] for r in served.recorder.requests[before:])

    client.allow_insecure = True
    assert client.allow_insecure and client.username == "admin" and client.password == "s3cret"
    client.connect()
    client.node_list()
    sent = served.recorder.requests[-2:]
    assert [r["path"] for r in sent] == ["/v1/controller/version", "/v1/nodes"]
    assert all(r["headers"]["Authorization"] == "Basic YWRtaW46czNjcmV0" for r in sent)


def test_basic_auth_in_process_sends_the_header():
    app = CannedApp()
    client = canned_client(app)
    client.username, client.password, client.allow_insecure = "u", "p", True
    client.connect()
    assert app.requests[0]["headers"]["Authorization"] == "Basic dTpw"


# -- network failures ---------------------------------------------------------------------------

def test_refused_port_is_a_network_error():
    uri = "linstor://127.0.0.1:%d" % refused_port()
    client = linstor.Linstor(uri, timeout=5)
    with pytest.raises(linstor.LinstorNetworkError) as err:
        client.connect()
    assert err.value.message.startswith("Unable to connect to %s: " % uri)
    assert "Connection refused" in err.value.message
    assert str(err.value) == "Error: " + err.value.message
    assert not client.connected


def test_silent_server_times_out_on_connect():
    server = SilentServer()
    try:
        client = linstor.Linstor("linstor://127.0.0.1:%d" % server.port, timeout=0.3)
        with pytest.raises(linstor.LinstorTimeoutError) as err:
            client.connect()
        assert err.value.message == "Socket timeout, no data received for more than 0.3s."
    finally:
        server.close()


def test_a_request_that_gets_no_answer_times_out():
    release = threading.Event()

    def hang(_request):
        release.wait(5)
        return json_answer([])

    server = serve(CannedApp({("GET", "/v1/nodes"): hang}))
    try:
        client = linstor.Linstor(server.linstor_uri, timeout=0.3)
        client.connect()
        with pytest.raises(linstor.LinstorTimeoutError, match="no data received for more than 0.3s"):
            client.node_list()
    finally:
        release.set()
        server.stop()


def test_connection_dropped_mid_request_is_a_network_error(served):
    proxy = DroppingProxy(served.port)
    try:
        client = linstor.Linstor("linstor://127.0.0.1:%d" % proxy.port)
        client.connect()
        proxy.drop_next()
        with pytest.raises(linstor.LinstorNetworkError) as err:
            client.node_list()
        assert err.value.message.startswith("Error reading response from linstor://127.0.0.1:%d: " % proxy.port)
    finally:
        proxy.close()


def test_keep_alive_reconnects_once_and_retries(served):
    proxy = DroppingProxy(served.port)
    try:
        client = linstor.Linstor("linstor://127.0.0.1:%d" % proxy.port, keep_alive=True)
        client.connect()
        connections = proxy.connections
        proxy.drop_next()
        assert [n.name for n in client.node_list_raise().nodes] == ["alpha", "bravo", "charlie"]
        assert proxy.dropped == 1
        assert proxy.connections > connections  # a fresh connection carried the retry
        assert client.connected
    finally:
        proxy.close()


def test_keep_alive_gives_up_when_the_controller_stays_away(served):
    proxy = DroppingProxy(served.port)
    try:
        client = linstor.Linstor("linstor://127.0.0.1:%d" % proxy.port, keep_alive=True)
        client.connect()
        proxy.drop_all()
        with pytest.raises(linstor.LinstorNetworkError, match="Error reading response from "):
            client.node_list()
        # the request, then the reconnect's HTTPS probe and version request; no second retry
        assert proxy.dropped == 3
        assert not client.connected
    finally:
        proxy.close()


# -- MultiLinstor ---------------------------------------------------------------------------------

def test_multilinstor_skips_unreachable_controllers(served):
    dead = "linstor://127.0.0.1:%d" % refused_port()
    client = linstor.MultiLinstor([dead, served.linstor_uri])
    assert client.connect() is True
    assert client.controller_host() == served.linstor_uri
    assert len(client.node_list_raise().nodes) == 3


def test_multilinstor_reports_every_failure_when_none_answers():
    uris = ["linstor://127.0.0.1:%d" % refused_port(), "linstor://127.0.0.1:%d" % refused_port()]
    client = linstor.MultiLinstor(uris)
    with pytest.raises(linstor.LinstorNetworkError) as err:
        client.connect()
    assert err.value.message == "Unable to connect to any of the given controller hosts: %s" % uris
    assert [e.message.split(":", 3)[:3] for e in err.value.all_errors()] == [
        ["Unable to connect to linstor", "//127.0.0.1", u.rsplit(":", 1)[1]] for u in uris]


def test_multilinstor_does_not_skip_a_controller_that_refuses_the_client(served):
    old = serve(CannedApp(version=dict(rest_api_version="1.0.2", version="0.9", build_time="x")))
    try:
        client = linstor.MultiLinstor([old.linstor_uri, served.linstor_uri])
        with pytest.raises(linstor.LinstorApiCallError):
            client.connect()
        assert client.controller_host() == old.linstor_uri
    finally:
        old.stop()


def test_controller_uri_list():
    assert linstor.MultiLinstor.controller_uri_list("a,,linstor+ssl://b:1,c:5") == [
        "linstor://a", "linstor+ssl://b:1", "linstor://c:5"]
    assert linstor.MultiLinstor.controller_uri_list("") == []


# -- what comes back instead of JSON ------------------------------------------------------------

def _answering(status, headers, body):
    return canned_client(CannedApp({("GET", "/v1/nodes"): (status, headers, body)}))


def test_html_error_page_becomes_a_linstor_error():
    page = b'<html><body><h1 class="header">Service Unavailable</h1><p>later</p></body></html>'
    client = _answering(503, {"Content-Type": "text/html"}, page)
    client.connect()
    with pytest.raises(linstor.LinstorError) as err:
        client.node_list()
    assert err.value.message == "HTTP-Status(503)/Service Unavailable"


def test_unparsable_html_error_page_becomes_a_linstor_error():
    client = _answering(502, {"Content-Type": "text/html"}, b"<html><p>bad gateway</html>")
    client.connect()
    with pytest.raises(linstor.LinstorError) as err:
        client.node_list()
    assert err.value.message == "HTTP-Status(502)/Request failed."


def test_empty_error_body_names_method_path_and_status():
    client = _answering(404, {}, b"")
    client.connect()
    with pytest.raises(linstor.LinstorError) as err:
        client.node_list()
    assert err.value.message == "REST api call method 'GET' to resource '/v1/nodes' returned status 404 with no data."


def test_json_error_body_is_returned_not_raised():
    rc = {"ret_code": linstor.consts.FAIL_NOT_FOUND_NODE, "message": "Node 'x' not found."}
    client = _answering(404, {"Content-Type": "application/json"}, json.dumps([rc]).encode())
    client.connect()
    replies = client.node_list()
    assert [type(r) for r in replies] == [linstor.ApiCallResponse]
    assert replies[0].is_error(linstor.consts.FAIL_NOT_FOUND_NODE)
    with pytest.raises(linstor.LinstorApiCallError) as err:
        client.node_list_raise()
    assert err.value.message == "ERRO:Node 'x' not found."


def test_broken_json_is_a_linstor_error():
    client = _answering(200, {"Content-Type": "application/json"}, b"[{")
    client.connect()
    with pytest.raises(linstor.LinstorError) as err:
        client.node_list()
    assert err.value.message.startswith("Unable to parse REST json data: ")
    assert err.value.message.endswith("\nRequest-Uri: /v1/nodes; Status: 200")


def test_gzip_answers_are_decoded():
    nodes = [{"name": "n1", "type": "SATELLITE"}]
    app = CannedApp({("GET", "/v1/nodes"): (200, {"Content-Type": "application/json", "Content-Encoding": "gzip"},
                                            gzip.compress(json.dumps(nodes).encode()))})
    server = serve(app)
    try:
        client = linstor.Linstor(server.linstor_uri)
        client.connect()
        assert [n.name for n in client.node_list_raise().nodes] == ["n1"]
    finally:
        server.stop()


def test_empty_list_reply_is_an_empty_list_response():
    client = canned_client(CannedApp({("GET", "/v1/nodes"): json_answer([])}))
    client.connect()
    assert client.node_list_raise().nodes == []


# -- the HTTPS redirect probe --------------------------------------------------------------------

def test_has_linstor_https():
    redirect = serve(CannedApp({("GET", "/v1/controller/version"): (
        302, {"Location": "https://127.0.0.1:4443/v1/controller/version"}, b"")}))
    plain = serve(CannedApp())
    try:
        assert linstor.Linstor.has_linstor_https("127.0.0.1", redirect.port) == 4443
        assert linstor.Linstor.has_linstor_https("127.0.0.1", plain.port) == 0
        assert linstor.Linstor.has_linstor_https("127.0.0.1", refused_port()) == 0
    finally:
        redirect.stop()
        plain.stop()


def test_multilinstor_with_keep_alive_fails_over_when_its_controller_goes_away(served, empty_controller):
    standby = Server(empty_controller).start()
    try:
        client = linstor.MultiLinstor([served.linstor_uri, standby.linstor_uri], keep_alive=True)
        client.connect()
        assert client.controller_host() == served.linstor_uri
        served.stop()
        assert client.node_list_raise().nodes == []  # answered by the standby, which has no nodes
        assert client.controller_host() == standby.linstor_uri
    finally:
        standby.stop()


def test_bad_port_in_the_uri_is_a_network_error():
    client = linstor.Linstor("linstor://ctrl:notaport")
    with pytest.raises(linstor.LinstorNetworkError, match="Unable to connect to linstor://ctrl:notaport"):
        client.connect()
