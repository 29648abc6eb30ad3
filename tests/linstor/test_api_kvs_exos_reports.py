"""Key-value store, EXOS, error report, SOS report and space report calls."""
import datetime
import os
import time

import pytest

import linstor
from linstor import consts
from linstor.responses import (
    ErrorReport,
    ExosDefaults,
    ExosEnclosureEventListResponse,
    ExosExecResponse,
    ExosListResponse,
    ExosMapListResponse,
    KeyValueStoresResponse,
    SpaceReport,
)
from linstor.transport import Reply
from tests.linstor.stub import MODIFIED_CTRL_CONF, StubTransport, connected_client, rc

EXOS = "/v1/vendor/seagate/exos"


@pytest.fixture
def stub():
    return StubTransport()


@pytest.fixture
def lin(stub):
    return connected_client(stub)


# -- key-value store ---------------------------------------------------------------------
def test_keyvaluestore_modify_and_list(stub, lin):
    stub.on("PUT", "/v1/key-value-store/kvs1", [rc(MODIFIED_CTRL_CONF, "Successfully updated properties")])
    stub.on("GET", "/v1/key-value-store", [{"name": "kvs1", "props": {"foo/bar/k": "v"}}, {"name": "empty"}])
    replies = lin.keyvaluestore_modify("kvs1", property_dict={"/foo/bar/k": "v"}, delete_props=["/x"])
    assert stub.last.body == {"override_props": {"/foo/bar/k": "v"}, "delete_props": ["/x"]}
    assert replies[0].is_success()
    stores = lin.keyvaluestores()
    assert isinstance(stores, KeyValueStoresResponse)
    assert stores.instances() == ["kvs1", "empty"]
    assert stores.instance("empty").properties == {}
    assert lin.keyvaluestore_list("kvs1").properties == {"foo/bar/k": "v"}
    unknown = lin.keyvaluestore_list("nope")
    assert unknown.properties == {}
    assert str(unknown) == str({"name": "nope", "properties": {}})


def test_keyvaluestores_raises_on_an_error_reply(stub, lin):
    stub.on("GET", "/v1/key-value-store", [rc(-4611686018427387904 | 998, "boom")], status=500)
    with pytest.raises(linstor.LinstorApiCallError):
        lin.keyvaluestores()


# -- EXOS --------------------------------------------------------------------------------
def test_exos_defaults(stub, lin):
    stub.on("GET", EXOS + "/defaults", {"username": "manage", "password_env": "EXOS_PW"})
    stub.on("PUT", EXOS + "/defaults", [rc(0, "Defaults successully updated")])
    defaults = lin.exos_get_defaults()[0]
    assert isinstance(defaults, ExosDefaults)
    assert (defaults.username, defaults.username_env, defaults.password, defaults.password_env) == (
        "manage", None, None, "EXOS_PW")
    lin.exos_set_defaults(username="u", unset=["Password"])
    assert stub.last.body == {"username": "u", "username_env": None, "password": None, "password_env": None,
                              "unset_keys": ["Password"]}
    lin.exos_set_defaults(password="p")
    assert stub.last.body == {"username": None, "username_env": None, "password": "p", "password_env": None,
                              "unset_keys": []}


def test_exos_enclosures(stub, lin):
    stub.on("POST", EXOS + "/enclosures", [rc(0, "Exos Enclosure encl1 successfully created")])
    stub.on("PUT", EXOS + "/enclosures/encl1", [rc(0, "modified")])
    stub.on("DELETE", EXOS + "/enclosures/encl1", [rc(0, "deleted")])
    stub.on("GET", EXOS + "/enclosures", [{"name": "encl1", "ctrl_a_ip": "10.0.0.1", "ctrl_b_ip": "10.0.0.2",
                                           "health": "OK", "health_reason": ""}])
    lin.exos_enclosure_create("encl1", "10.0.0.1", password_env="PW")
    assert stub.last.body == {"name": "encl1", "ctrl_a_ip": "10.0.0.1", "password_env": "PW"}
    lin.exos_enclosure_modify("encl1", ctrl_b_ip="10.0.0.2")
    assert stub.last.body == {"name": "encl1", "ctrl_b_ip": "10.0.0.2"}
    lin.exos_enclosure_delete("encl1")
    listed = lin.exos_list_enclosures(nocache=True)[0]
    assert stub.last.query == "nocache=true"
    assert isinstance(listed, ExosListResponse)
    encl = listed.exos_enclosure("encl1")
    assert (encl.name, encl.ctrl_a_ip, encl.ctrl_b_ip, encl.health, encl.health_reason) == (
        "encl1", "10.0.0.1", "10.0.0.2", "OK", "")
    assert listed.exos_enclosure("other") is None
    lin.exos_list_enclosures()
    assert stub.last.query == ""


def test_exos_events_exec_and_map(stub, lin):
    event = {"severity": "INFORMATIONAL", "event_id": "A1", "controller": "A", "time_stamp": "2021-05-01 10:00:00",
             "time_stamp_numeric": 1619863200, "message": "hello", "additional_information": "none",
             "recommended_action": "none"}
    stub.on("GET", EXOS + "/enclosures/encl1/events", [event])
    stub.on("GET", EXOS + "/enclosures/encl1/exec/show/system", {"system": [{"health": "OK"}]})
    stub.on("GET", EXOS + "/map", [{"node_name": "alpha", "enclosure_name": "encl1", "connections": ["A0", "B1"]}])
    events = lin.exos_enclosure_events("encl1", count=5)[0]
    assert stub.last.query == "count=5"
    assert isinstance(events, ExosEnclosureEventListResponse)
    ev = events.exos_events[0]
    assert (ev.severity, ev.event_id, ev.controller, ev.time_stamp_numeric, ev.message) == (
        "INFORMATIONAL", "A1", "A", 1619863200, "hello")
    assert (ev.time_stamp, ev.additional_information, ev.recommended_action) == ("2021-05-01 10:00:00", "none",
                                                                                 "none")
    passthrough = lin.exos_exec("encl1", ["show", "system"])[0]
    assert isinstance(passthrough, ExosExecResponse) and passthrough.data_v1 == {"system": [{"health": "OK"}]}
    conn = lin.exos_map()[0]
    assert isinstance(conn, ExosMapListResponse)
    assert [(c.node_name, c.enclosure_name, c.connections) for c in conn.exos_connections] == [
        ("alpha", "encl1", ["A0", "B1"])]


def test_exos_needs_rest_1_7_0():
    stub = StubTransport(rest_api_version="1.6.0")
    with pytest.raises(linstor.LinstorError, match="needed 1.7.0"):
        connected_client(stub).exos_map()
    assert stub.sent == []


# -- error reports ---------------------------------------------------------------------------
REPORT = {"node_name": "alpha", "error_time": 1700000000250, "filename": "ErrorReport-6560A1B2-00000-000001.log",
          "module": "SATELLITE", "version": "1.31.3", "peer": "Node: 'alpha'", "exception": "StorageException",
          "exception_message": "lvcreate failed", "origin_file": "LvmUtils.java", "origin_line": 123,
          "text": "full text"}


def _ms(moment):
    return str(int(time.mktime(moment.timetuple()) * 1000))


def test_error_report_list_variants(stub, lin):
    stub.on("GET", "/v1/error-reports", [REPORT])
    stub.on("GET", "/v1/error-reports/6560A1B2-00000-000001", [REPORT])
    reports = lin.error_report_list()
    assert stub.last.query == "withContent=False"
    report = reports[0]
    assert isinstance(report, ErrorReport)
    assert report.id == "6560A1B2-00000-000001"
    assert report.datetime == datetime.datetime.fromtimestamp(1700000000.25)
    assert (report.node_name, report.node_names, report.module, report.version) == ("alpha", "alpha", "SATELLITE",
                                                                                      "1.31.3")
    assert (report.peer, report.exception, report.exception_message) == ("Node: 'alpha'", "StorageException",
                                                                         "lvcreate failed")
    assert (report.origin_file, report.origin_line, report.text) == ("LvmUtils.java", 123, "full text")
    assert report.data_v0["node_names"] == "alpha" and "node_name" not in report.data_v0
    assert report.node_name == "alpha"  # reading data_v0 leaves the report intact
    since, to = datetime.datetime(2023, 11, 1, 12, 0), datetime.datetime(2023, 11, 2, 12, 0)
    assert len(lin.error_report_list(nodes=["alpha", "bravo"], with_content=True, since=since, to=to)) == 2
    assert [s.query for s in stub.sent[-2:]] == [
        "withContent=True&since={}&to={}&node=alpha".format(_ms(since), _ms(to)),
        "withContent=True&since={}&to={}&node=bravo".format(_ms(since), _ms(to))]
    by_id = lin.error_report_list(ids=["6560A1B2-00000-000001"])
    assert stub.last[:2] == ("GET", "/v1/error-reports/6560A1B2-00000-000001")
    assert [r.id for r in by_id] == ["6560A1B2-00000-000001"]


def test_error_report_without_optional_fields():
    report = ErrorReport({"error_time": 0, "filename": "ErrorReport-X-1.log"})
    assert (report.id, report.module, report.exception, report.origin_line, report.text) == ("X-1", "", "", None,
                                                                                              None)


def test_error_report_delete(stub, lin):
    stub.on("PATCH", "/v1/error-reports", [rc(0, "Deleted 3 error report(s)")])
    since = datetime.datetime(2023, 11, 1)
    lin.error_report_delete(nodes=["alpha"], since=since, exception="StorageException", version="1.31.3",
                            ids=["X-1"])
    assert stub.last.body == {"nodes": ["alpha"], "since": int(_ms(since)), "exception": "StorageException",
                              "version": "1.31.3", "ids": ["X-1"]}
    old = connected_client(StubTransport(rest_api_version="1.3.0"))
    with pytest.raises(linstor.LinstorError, match="needed 1.4.0"):
        old.error_report_delete()


# -- SOS and space reports -------------------------------------------------------------------
def test_sos_report_create(stub, lin):
    stub.on("GET", "/v1/sos-report", [rc(0, "SOS Report created on Controller: /var/log/linstor-controller/sos.tgz")])
    assert "SOS Report created" in lin.sos_report_create()[0].message
    lin.sos_report_create(since=datetime.datetime(2023, 11, 1))
    assert stub.last.query == "since=" + _ms(datetime.datetime(2023, 11, 1))


class _DownloadStub(StubTransport):
    def request(self, method, path, body=None, query=None):
        if path == "/v1/sos-report/download":
            self.sent.append((method, path))
            return Reply(200, {"content-type": "application/octet-stream",
                               "content-disposition": "attachment; filename=sos_2023.tar.gz"}, b"\x1f\x8bdata")
        return super().request(method, path, body, query)


def test_sos_report_download_saves_the_attachment(tmp_path, monkeypatch):
    lin = connected_client(_DownloadStub())
    monkeypatch.chdir(tmp_path)
    reply = lin.sos_report_download()[0]
    assert reply.ret_code == 0 and reply.object_refs == {"path": "sos_2023.tar.gz"}
    assert reply.message == "File saved to: sos_2023.tar.gz"
    assert (tmp_path / "sos_2023.tar.gz").read_bytes() == b"\x1f\x8bdata"
    target = str(tmp_path / "mine.tgz")
    assert lin.sos_report_download(to_file=target)[0].object_refs["path"] == target
    assert os.path.getsize(target) == 6


def test_sos_report_download_error_is_returned(stub, lin, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    stub.on("GET", "/v1/sos-report/download", [rc(-4611686018427387904 | 998, "no sos")], status=500)
    replies = lin.sos_report_download()
    assert replies[0].is_error() and list(tmp_path.iterdir()) == []


def test_space_reporting_query(stub, lin):
    stub.on("GET", "/v1/space-report", {"reportText": "Space report\nTotal: 1 TiB\nSignature: abc"})
    report = lin.space_reporting_query()[0]
    assert isinstance(report, SpaceReport) and report.report.startswith("Space report")
    old = connected_client(StubTransport(rest_api_version="1.4.0"))
    with pytest.raises(linstor.LinstorError, match="needed 1.5.0"):
        old.space_reporting_query()


def test_error_report_and_space_report_are_registered():
    table = linstor.Linstor.APICALL2RESPONSE
    assert table[consts.API_REQ_ERROR_REPORTS] is ErrorReport
    assert table[consts.API_RPT_SPC] is SpaceReport
    assert linstor.ErrorReport is ErrorReport
