"""Error reports, the space report and controller properties, end to end (client against the fake)."""
from datetime import datetime, timedelta

import pytest

import linstor
from fakestor import Controller, create_app
from linstor import consts
from linstor.responses import ControllerProperties, ErrorReport, SpaceReport
from linstor.transport import WsgiTransport
from tests.contract.counting import CountingApp
from tests.contract.rc import code, codes

CTRL_SET = consts.MASK_CTRL_CONF | consts.MASK_CRT | consts.CREATED
CTRL_DELETED = consts.MASK_CTRL_CONF | consts.MASK_DEL | consts.DELETED


def fake_now(controller) -> datetime:
    """The fake's (virtual) time as the naive local datetime the client's filters take."""
    return datetime.fromtimestamp(controller.clock.now())


def failed_call(lin):
    """A refused call the controller files a report for (an invalid name); returns the report id."""
    replies = lin.node_create("bad name", consts.VAL_NODE_TYPE_STLT, "10.0.0.9")
    assert replies[0].is_error() and len(replies[0].error_report_ids) == 1
    return replies[0].message, replies[0].error_report_ids[0]


def ids(reports):
    return [r.id for r in reports]


# -- error reports ---------------------------------------------------------------------------
def test_no_reports_on_a_fresh_controller(lin):
    assert lin.error_report_list() == []


def test_a_refused_call_files_a_report_the_list_shows(lin, controller):
    message, report_id = failed_call(lin)
    reports = lin.error_report_list()
    assert ids(reports) == [report_id]
    report = reports[0]
    assert isinstance(report, ErrorReport)
    assert report.module == "CONTROLLER"
    assert report.version == lin.controller_version().version
    assert report.exception_message == message
    assert report.node_names == report.node_name and report.node_name
    assert report.datetime == fake_now(controller)
    assert report.text is None  # only sent with_content


def test_with_content_carries_the_report_text(lin):
    message, report_id = failed_call(lin)
    report = lin.error_report_list(with_content=True)[0]
    assert report.text.startswith("ERROR REPORT " + report_id)
    assert message in report.text


def test_several_failures_are_listed_oldest_first(lin, controller):
    _, first = failed_call(lin)
    controller.clock.advance(60)
    replies = lin.netinterface_create("alpha", "x", "10.0.0.9")  # a name too short: reported too
    second = replies[0].error_report_ids[0]
    assert ids(lin.error_report_list()) == [first, second]
    assert lin.error_report_list()[1].datetime - lin.error_report_list()[0].datetime == timedelta(seconds=60)


def test_refusals_without_a_report_file_none(lin):
    # "exists" and not-found refusals skip the report, as the controller does
    assert lin.node_create("alpha", consts.VAL_NODE_TYPE_STLT, "10.0.0.9")[0].error_report_ids == []
    assert lin.keyvaluestore_modify("x", property_dict={"a": "b"})[0].is_error()
    assert lin.error_report_list() == []


def test_ids_select_reports_one_request_each(lin):
    _, first = failed_call(lin)
    _, second = failed_call(lin)
    assert ids(lin.error_report_list(ids=[second])) == [second]
    assert ids(lin.error_report_list(ids=[second, first])) == [second, first]
    assert lin.error_report_list(ids=["00000000-00000-000099"]) == []
    # the client always sends withContent, so even a single report comes without text unless asked
    assert lin.error_report_list(ids=[first])[0].text is None
    assert lin.error_report_list(ids=[first], with_content=True)[0].text


def test_nodes_select_satellites_or_the_controller(lin, controller):
    _, ctrl_report = failed_call(lin)
    sat_report = controller.read(lambda c: c.add_satellite_error_report("alpha", "disk exploded")).report_id
    assert sorted(ids(lin.error_report_list())) == sorted([ctrl_report, sat_report])
    on_alpha = lin.error_report_list(nodes=["alpha"])
    assert ids(on_alpha) == [sat_report]
    assert (on_alpha[0].node_name, on_alpha[0].module, on_alpha[0].exception_message) == (
        "alpha", "SATELLITE", "disk exploded")
    assert lin.error_report_list(nodes=["bravo"]) == []
    assert ids(lin.error_report_list(nodes=["controller"])) == [ctrl_report]
    # one request per node, answers concatenated in the order asked
    assert ids(lin.error_report_list(nodes=["controller", "alpha"])) == [ctrl_report, sat_report]


def test_since_and_to_filter_by_day(lin, controller):
    _, report_id = failed_call(lin)
    now = fake_now(controller)
    day = timedelta(days=1)
    assert ids(lin.error_report_list(since=now - day)) == [report_id]
    assert lin.error_report_list(since=now + day) == []
    assert ids(lin.error_report_list(since=now - day, to=now + day)) == [report_id]
    assert lin.error_report_list(to=now - day) == []


def test_delete_by_id(lin):
    _, first = failed_call(lin)
    _, second = failed_call(lin)
    replies = lin.error_report_delete(ids=[first])
    assert codes(replies) == [consts.DELETED]
    assert replies[0].message == "Deleted 1 error-report(s)"
    assert ids(lin.error_report_list()) == [second]


def test_delete_by_time_and_node(lin, controller):
    _, old = failed_call(lin)
    controller.clock.advance(3600)
    _, new = failed_call(lin)
    sat_report = controller.read(lambda c: c.add_satellite_error_report("alpha", "boom")).report_id
    now = fake_now(controller)
    # deleting compares exact times: 'to' is exclusive
    assert codes(lin.error_report_delete(nodes=["controller"], to=now)) == [consts.DELETED]
    assert sorted(ids(lin.error_report_list())) == sorted([new, sat_report])
    replies = lin.error_report_delete(nodes=["alpha"], since=now - timedelta(minutes=1))
    assert [(code(r), r.message, r.object_refs) for r in replies] == [
        (consts.DELETED, "alpha: Deleted 1 error-report(s)", {"Node": "alpha"})]
    assert ids(lin.error_report_list()) == [new]
    assert old not in ids(lin.error_report_list())


def test_delete_without_filter_deletes_nothing(lin):
    _, report_id = failed_call(lin)
    replies = lin.error_report_delete()
    assert codes(replies) == [consts.INFO_NOOP]
    assert replies[0].message == "No error reports deleted."
    assert ids(lin.error_report_list()) == [report_id]


def test_delete_by_exception_and_version(lin, controller):
    _, report_id = failed_call(lin)
    sat_report = controller.read(lambda c: c.add_satellite_error_report("alpha", "boom")).report_id
    assert codes(lin.error_report_delete(exception="NoSuchException")) == [consts.INFO_NOOP]
    assert codes(lin.error_report_delete(version="0.0.1")) == [consts.INFO_NOOP]
    lin.error_report_delete(exception="StorageException")
    assert ids(lin.error_report_list()) == [report_id]
    lin.error_report_delete(version=lin.controller_version().version)
    assert lin.error_report_list() == []
    assert sat_report not in ids(lin.error_report_list(nodes=["alpha"]))


# -- space report ----------------------------------------------------------------------------
def test_space_report_describes_the_cluster(lin):
    replies = lin.space_reporting_query()
    assert len(replies) == 1 and isinstance(replies[0], SpaceReport)
    text = replies[0].report
    for name in ("alpha", "bravo", "charlie", "thin", "zfs", "LVM_THIN", "ZFS"):
        assert name in text
    assert "3 nodes" in text


def test_space_report_follows_the_cluster(lin):
    before = lin.space_reporting_query()[0].report
    lin.storage_pool_create("alpha", "extra", "LVM", "vg9")
    after = lin.space_reporting_query()[0].report
    assert "extra" not in before and "extra" in after


# -- controller properties ---------------------------------------------------------------------
def test_controller_props_round_trip(lin):
    replies = lin.controller_props()
    assert len(replies) == 1 and isinstance(replies[0], ControllerProperties)
    before = dict(replies[0].properties)
    assert before  # a fresh controller has its defaults

    replies = lin.controller_set_prop("Aux/plugin/owner", "cinder")
    assert codes(replies) == [CTRL_SET] and replies[0].is_success()
    assert lin.controller_props()[0].properties == dict(before, **{"Aux/plugin/owner": "cinder"})

    # the controller checks the key as given: a leading '/' makes it unknown
    assert lin.controller_set_prop("/Aux/plugin/owner", "proxmox")[0].is_error(consts.FAIL_INVLD_PROP)
    assert lin.controller_props()[0].properties["Aux/plugin/owner"] == "cinder"

    replies = lin.controller_del_prop("Aux/plugin/owner")
    assert codes(replies) == [CTRL_DELETED]
    assert lin.controller_props()[0].properties == before


def test_deleting_an_unset_controller_prop_succeeds(lin):
    # CtrlConfApiCallHandler answers "deleted" whether or not the key was set
    replies = lin.controller_del_prop("Aux/never-set")
    assert codes(replies) == [CTRL_DELETED]
    assert replies[0].message == "Successfully deleted property 'Aux/never-set'"


# -- version gates ---------------------------------------------------------------------------
@pytest.mark.parametrize("call, message", [
    (lambda c: c.error_report_delete(ids=["x"]), "Error report delete API not supported by server"),
    (lambda c: c.sos_report_create(), "SOS API not supported by server"),
    (lambda c: c.sos_report_download(to_file="never-written"), "SOS API not supported by server"),
    (lambda c: c.space_reporting_query(), "Space reporting API not supported by server"),
])
def test_old_controllers_are_refused_by_the_client(call, message):
    app = CountingApp(create_app(Controller("1.11.0")))  # REST API 1.0.4
    client = linstor.Linstor("linstor://fakestor", transport=WsgiTransport(app))
    client.connect()
    with pytest.raises(linstor.LinstorError, match=message):
        call(client)
    assert app.requests == [("GET", "/v1/controller/version")]
