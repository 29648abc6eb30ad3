"""Error reports: filed when the controller would, listed, filtered and deleted as it does."""
import json

import pytest

from fakestor.apicallrc import signed64
from fakestor.model.reports import DAY_MS
from linstor import sharedconsts as C


def refused_node(controller, name="a"):
    """A write the controller refuses with an error report (an invalid node name)."""
    entries = controller.call(lambda c: c.create_node(name, "SATELLITE", [{"name": "default",
                                                                          "address": "10.0.0.9"}]))
    return entries[0].error_report_ids[0]


def test_refused_call_files_a_report_with_the_controllers_fields(http, controller):
    report_id = refused_node(controller)
    assert report_id.endswith("-00000-000001")
    listed = http.get("/v1/error-reports").get_json()
    assert listed == [{
        "node_name": "linstor-controller", "error_time": controller.clock.now_ms(),
        "filename": "ErrorReport-%s.log" % report_id, "module": "CONTROLLER", "version": "1.31.3",
        "exception": "ApiRcException", "exception_message": listed[0]["exception_message"], "origin_line": 0}]
    assert "invalid" in listed[0]["exception_message"]


def test_text_only_with_content_and_single_report_is_a_list(http, controller):
    report_id = refused_node(controller)
    assert "text" not in http.get("/v1/error-reports").get_json()[0]
    assert "ERROR REPORT %s" % report_id in http.get("/v1/error-reports?withContent=True").get_json()[0]["text"]
    single = http.get("/v1/error-reports/" + report_id).get_json()
    assert len(single) == 1 and "END OF ERROR REPORT." in single[0]["text"]
    assert "text" not in http.get("/v1/error-reports/%s?withContent=false" % report_id).get_json()[0]
    assert http.get("/v1/error-reports/00000000-00000-000099").get_json() == []


def test_internal_exception_becomes_a_report(http, controller, monkeypatch):
    def broken():
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(controller.cluster, "list_kvs", broken)
    reply = http.get("/v1/key-value-store")
    assert reply.status_code == 500
    report_id = reply.get_json()[0]["error_report_ids"][0]
    monkeypatch.undo()
    report = http.get("/v1/error-reports/" + report_id).get_json()[0]
    assert (report["exception"], report["exception_message"]) == ("RuntimeError", "disk on fire")
    assert report["origin_method"] == "broken" and report["origin_line"] > 0
    assert "disk on fire" in report["text"]


def test_list_times_compare_by_day(http, controller):
    first = refused_node(controller)
    controller.clock.advance(3600)
    second = refused_node(controller)
    later_same_day = controller.clock.now_ms()
    # "since" a moment after the first report still includes it: the controller compares dates
    since = http.get("/v1/error-reports?since=%d" % later_same_day).get_json()
    assert [r["filename"] for r in since] == ["ErrorReport-%s.log" % i for i in (first, second)]
    # "to" today means up to midnight: neither report of today
    assert http.get("/v1/error-reports?to=%d" % later_same_day).get_json() == []
    tomorrow = later_same_day + DAY_MS
    assert len(http.get("/v1/error-reports?to=%d" % tomorrow).get_json()) == 2
    assert http.get("/v1/error-reports?since=%d" % tomorrow).get_json() == []


def test_limit_keeps_the_newest_sorted_oldest_first(http, controller):
    ids = []
    for _ in range(3):
        ids.append(refused_node(controller))
        controller.clock.advance(1)
    listed = http.get("/v1/error-reports?limit=2").get_json()
    assert [r["filename"] for r in listed] == ["ErrorReport-%s.log" % i for i in ids[1:]]
    assert http.get("/v1/error-reports?limit=2&offset=1").get_json() == listed  # offset is ignored


def test_invalid_query_parameter_is_404(http):
    assert http.get("/v1/error-reports?since=yesterday").status_code == 404


def test_satellite_reports_and_the_node_filter(http, controller):
    own = refused_node(controller)
    sat = controller.cluster.add_satellite_error_report("bravo", "Failed to create LV").report_id
    assert len(http.get("/v1/error-reports").get_json()) == 2
    assert [r["filename"] for r in http.get("/v1/error-reports?node=BRAVO").get_json()] == [
        "ErrorReport-%s.log" % sat]
    bravo = http.get("/v1/error-reports?node=bravo").get_json()[0]
    assert (bravo["node_name"], bravo["module"]) == ("bravo", "SATELLITE")
    assert [r["filename"] for r in http.get("/v1/error-reports?node=Controller").get_json()] == [
        "ErrorReport-%s.log" % own]
    # an unreachable satellite answers nothing
    controller.cluster.get_node("bravo").connection_status = "OFFLINE"
    assert len(http.get("/v1/error-reports").get_json()) == 1
    assert http.get("/v1/stats/error-reports").get_json() == {"count": 1}


def test_patch_deletes_by_filter_and_never_without_one(http, controller):
    old = refused_node(controller)
    controller.clock.advance(10)
    new = refused_node(controller)
    noop = http.patch("/v1/error-reports", data=json.dumps({}))
    assert noop.get_json() == [{"ret_code": signed64(C.INFO_NOOP), "message": "No error reports deleted."}]
    # "to" is exclusive and exact to the millisecond here
    reply = http.patch("/v1/error-reports", data=json.dumps({"to": controller.clock.now_ms()}))
    assert reply.status_code == 200
    assert reply.get_json() == [{"ret_code": C.DELETED, "message": "Deleted 1 error-report(s)"}]
    remaining = http.get("/v1/error-reports").get_json()
    assert [r["filename"] for r in remaining] == ["ErrorReport-%s.log" % new]
    assert old not in controller.cluster.error_reports


def test_patch_by_exception_version_and_nodes(http, controller):
    refused_node(controller)
    controller.cluster.add_satellite_error_report("alpha", "boom")
    assert http.patch("/v1/error-reports", data=json.dumps({"version": "1.0.0"})).get_json()[0]["ret_code"] == \
        signed64(C.INFO_NOOP)
    reply = http.patch("/v1/error-reports", data=json.dumps({"nodes": ["ALPHA"], "exception": "StorageException"}))
    assert reply.get_json() == [{"ret_code": C.DELETED, "message": "alpha: Deleted 1 error-report(s)",
                                 "obj_refs": {"Node": "alpha"}}]
    assert [r["module"] for r in http.get("/v1/error-reports").get_json()] == ["CONTROLLER"]


def test_delete_single(http, controller):
    report_id = refused_node(controller)
    assert http.delete("/v1/error-reports/" + report_id).get_json()[0]["message"] == "Deleted 1 error-report(s)"
    assert http.delete("/v1/error-reports/" + report_id).get_json()[0]["ret_code"] == signed64(C.INFO_NOOP)
    assert http.get("/v1/error-reports").get_json() == []


def test_patch_with_bad_json_is_500_without_report(http, controller):
    reply = http.patch("/v1/error-reports", data="[1, 2")
    assert reply.status_code == 500
    assert reply.get_json()[0]["ret_code"] == signed64(C.API_CALL_PARSE_ERROR)
    assert "error_report_ids" not in reply.get_json()[0]
    assert controller.cluster.error_reports == {}


@pytest.mark.parametrize("limit", ["0", "-1"])
def test_non_positive_limit_lists_nothing(http, controller, limit):
    refused_node(controller)
    assert http.get("/v1/error-reports?limit=" + limit).get_json() == []


def test_reports_are_part_of_the_snapshot(controller):
    snap = controller.snapshot()
    refused_node(controller)
    controller.restore(snap)
    assert controller.cluster.error_reports == {}


def test_emulated_java_failures_name_their_exception(http):
    reply = http.put("/v1/vendor/seagate/exos/defaults", data=json.dumps({"unset_keys": None}))
    report_id = reply.get_json()[0]["error_report_ids"][0]
    report = http.get("/v1/error-reports/" + report_id).get_json()[0]
    assert report["exception"] == "NullPointerException"
    assert report["exception_message"].startswith("Cannot invoke")
