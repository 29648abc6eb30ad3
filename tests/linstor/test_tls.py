"""HTTPS: the server's certificate checked against cafile, client certificates, the HTTP->HTTPS
redirect, and basic auth over TLS. Certificates are made per test run with trustme."""
import ssl
import warnings

import pytest

import linstor
from fakestor import create_app
from fakestor.server import Server
from tests.linstor.netfaults import CannedApp, Recorder

trustme = pytest.importorskip("trustme")


@pytest.fixture(scope="module")
def ca():
    return trustme.CA()


@pytest.fixture(scope="module")
def cafile(ca, tmp_path_factory):
    path = tmp_path_factory.mktemp("ca") / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return str(path)


def server_context(ca, *names, client_ca=None) -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ca.issue_cert(*names).configure_cert(ctx)
    if client_ca is not None:
        ctx.verify_mode = ssl.CERT_REQUIRED
        client_ca.configure_trust(ctx)
    return ctx


@pytest.fixture
def tls_server(controller, ca):
    recorder = Recorder(create_app(controller))
    with Server(controller, app=recorder, ssl_context=server_context(ca, "127.0.0.1", "localhost")) as server:
        server.recorder = recorder
        yield server


def test_server_certificate_verified_with_cafile(tls_server, cafile):
    client = linstor.Linstor(tls_server.linstor_uri)
    client.cafile = cafile
    assert client.cafile == cafile
    client.connect()
    assert client.is_secure_connection
    assert [n.name for n in client.node_list_raise().nodes] == ["alpha", "bravo", "charlie"]


def test_https_scheme_is_tls_too(tls_server, cafile):
    client = linstor.Linstor("https://127.0.0.1:%d" % tls_server.port)
    client.cafile = cafile
    client.connect()
    assert client.is_secure_connection


def test_without_cafile_the_certificate_is_not_checked_and_nothing_warns(tls_server):
    client = linstor.Linstor(tls_server.linstor_uri)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        client.connect()
        client.node_list()
    assert client.is_secure_connection
    assert [str(w.message) for w in seen] == []


def test_certificate_from_another_ca_is_refused(tls_server, tmp_path):
    other = tmp_path / "other.pem"
    trustme.CA().cert_pem.write_to_path(str(other))
    client = linstor.Linstor(tls_server.linstor_uri)
    client.cafile = str(other)
    with pytest.raises(linstor.LinstorNetworkError) as err:
        client.connect()
    assert err.value.message.startswith("Unable to connect to linstor+ssl://127.0.0.1:%d: " % tls_server.port)
    assert "CERTIFICATE_VERIFY_FAILED" in err.value.message
    assert not client.connected


def test_certificate_for_another_host_is_refused(controller, ca, cafile):
    with Server(controller, ssl_context=server_context(ca, "elsewhere.example")) as server:
        client = linstor.Linstor(server.linstor_uri)
        client.cafile = cafile
        with pytest.raises(linstor.LinstorNetworkError, match="Unable to connect to linstor\\+ssl://"):
            client.connect()


@pytest.fixture
def mutual_tls_server(controller, ca):
    with Server(controller, ssl_context=server_context(ca, "127.0.0.1", client_ca=ca)) as server:
        yield server


def test_client_certificate_with_separate_key_file(mutual_tls_server, ca, cafile, tmp_path):
    cert = ca.issue_cert("client.example")
    certfile, keyfile = tmp_path / "client.crt", tmp_path / "client.key"
    cert.cert_chain_pems[0].write_to_path(str(certfile))
    cert.private_key_pem.write_to_path(str(keyfile))
    client = linstor.Linstor(mutual_tls_server.linstor_uri)
    client.cafile, client.certfile, client.keyfile = cafile, str(certfile), str(keyfile)
    assert (client.certfile, client.keyfile) == (str(certfile), str(keyfile))
    client.connect()
    assert len(client.node_list_raise().nodes) == 3


def test_client_certificate_and_key_in_one_file(mutual_tls_server, ca, cafile, tmp_path):
    both = tmp_path / "client.pem"
    ca.issue_cert("client.example").private_key_and_cert_chain_pem.write_to_path(str(both))
    client = linstor.Linstor(mutual_tls_server.linstor_uri)
    client.cafile, client.certfile = cafile, str(both)
    client.connect()
    assert client.connected


def test_server_demanding_a_client_certificate_refuses_a_client_without_one(mutual_tls_server, cafile):
    client = linstor.Linstor(mutual_tls_server.linstor_uri, timeout=5)
    client.cafile = cafile
    with pytest.raises(linstor.LinstorNetworkError):
        client.connect()
    assert not client.connected


def test_client_certificate_from_an_unknown_ca_is_refused(mutual_tls_server, cafile, tmp_path):
    stranger = tmp_path / "stranger.pem"
    trustme.CA().issue_cert("client.example").private_key_and_cert_chain_pem.write_to_path(str(stranger))
    client = linstor.Linstor(mutual_tls_server.linstor_uri, timeout=5)
    client.cafile, client.certfile = cafile, str(stranger)
    with pytest.raises(linstor.LinstorNetworkError):
        client.connect()


def test_basic_auth_over_tls_needs_no_allow_insecure(tls_server, cafile):
    client = linstor.Linstor(tls_server.linstor_uri)
    client.cafile = cafile
    client.username, client.password = "admin", "pw"
    client.connect()
    client.storage_pool_list()
    assert [r["headers"].get("Authorization") for r in tls_server.recorder.requests] == ["Basic YWRtaW46cHc="] * 2


def test_plain_uri_follows_the_controllers_redirect_to_https(tls_server, cafile):
    location = "https://127.0.0.1:%d/v1/controller/version" % tls_server.port
    redirect = Server(app=CannedApp({("GET", "/v1/controller/version"): (302, {"Location": location}, b"")}))
    with redirect:
        uri = "linstor://127.0.0.1:%d" % redirect.port
        client = linstor.Linstor(uri)
        client.cafile = cafile
        client.username, client.password = "admin", "pw"  # allowed: the connection ends up encrypted
        client.connect()
        assert client.is_secure_connection
        assert client.controller_host() == uri
        assert len(client.node_list_raise().nodes) == 3
    assert all(r["headers"]["Authorization"] == "Basic YWRtaW46cHc=" for r in tls_server.recorder.requests)
