"""Injected faults: errors, statuses, latency, dropped connections, truncated bodies, and state faults."""
import time

import pytest
import requests
from werkzeug.test import Client

import linstor
from fakestor import Controller, create_app
from fakestor.faults import ConnectionDropped
from fakestor.server import Server
from linstor import sharedconsts as C
from linstor.errors import LinstorError, LinstorNetworkError
from testkit.transport import InProcessTransport
from tests.testkit.common import NODE


@pytest.fixture
def client(ctl):
    cl = linstor.Linstor("linstor://fakestor", transport=InProcessTransport(create_app(ctl)))
    cl.connect()
    return cl


def test_the_next_n_matching_calls_fail_then_calls_succeed(ctl, http):
    ctl.faults.error(C.FAIL_NOT_CONNECTED, "Node 'alpha' is not connected.", method="GET", path="/v1/nodes",
                     times=2)
    replies = [http.get("/v1/nodes") for _ in range(3)]
    assert [r.status_code for r in replies] == [500, 500, 200]
    entry = replies[0].json[0]
    assert entry["ret_code"] & 0xFFFFFFFF == C.FAIL_NOT_CONNECTED & 0xFFFFFFFF
    assert entry["message"] == "Node 'alpha' is not connected."


def test_an_injected_error_gets_an_error_report_id(ctl, http):
    ctl.faults.error(path="/v1/nodes")
    first = http.get("/v1/nodes").json[0]["error_report_ids"]
    ctl.faults.error(path="/v1/nodes")
    second = http.get("/v1/nodes").json[0]["error_report_ids"]
    assert len(first) == 1 and len(second) == 1 and first != second


def test_an_error_without_report_gets_no_id(ctl, http):
    ctl.faults.error(path="/v1/nodes", report=False)
    assert "error_report_ids" not in http.get("/v1/nodes").json[0]


def test_the_status_follows_the_ret_code_unless_given(ctl, http):
    ctl.faults.error(C.FAIL_NOT_FOUND_NODE, "gone", path="/v1/nodes/alpha")
    assert http.get("/v1/nodes/alpha").status_code == 404
    ctl.faults.error(C.FAIL_NOT_FOUND_NODE, "gone", path="/v1/nodes/alpha", status=503)
    assert http.get("/v1/nodes/alpha").status_code == 503


def test_a_failed_write_changes_nothing(ctl, http):
    ctl.faults.error(method="POST", path="/v1/nodes")
    assert http.post("/v1/nodes", json=NODE).status_code == 500
    assert "DELTA" not in ctl.cluster.nodes
    assert http.post("/v1/nodes", json=NODE).status_code == 201


def test_faults_match_by_operation(ctl, http):
    ctl.faults.error(operation="nodes.get_node", times=None)
    assert http.get("/v1/nodes").status_code == 200
    assert http.get("/v1/nodes/alpha").status_code == 500
    assert http.get("/v1/nodes/bravo").status_code == 500


def test_a_probability_with_a_seed_fails_the_same_calls_each_run():
    def run():
        c = Controller()
        c.faults.error(path="/v1/nodes", times=None, probability=0.5, seed=7)
        h = Client(create_app(c))
        return [h.get("/v1/nodes").status_code for _ in range(40)]

    first = run()
    assert first == run()
    assert 5 < first.count(500) < 35


def test_http_status_fault_with_a_text_body(ctl, client):
    ctl.faults.http_status(502, body="Bad Gateway", path="/v1/nodes")
    with pytest.raises(LinstorError, match="HTTP-Status\\(502\\)"):
        client.node_list()


def test_latency_delays_the_answer(ctl, http):
    ctl.faults.latency(0.2, path="/v1/nodes")
    start = time.perf_counter()
    assert http.get("/v1/nodes").status_code == 200
    assert time.perf_counter() - start >= 0.2


def test_a_dropped_connection_in_process_is_a_network_error(ctl, http, client):
    ctl.faults.drop_connection(path="/v1/nodes")
    with pytest.raises(LinstorNetworkError):
        client.node_list()
    assert ctl.journal.last.status is None and ctl.journal.last.fault == "drop"
    ctl.faults.drop_connection(path="/v1/nodes")
    with pytest.raises(ConnectionDropped):
        http.get("/v1/nodes")


def test_a_truncated_body_in_process_fails_to_parse(ctl, client):
    ctl.faults.truncate(path="/v1/nodes")
    with pytest.raises(LinstorError, match="Unable to parse REST json data"):
        client.node_list()


@pytest.mark.http
def test_over_http_a_dropped_connection_closes_the_socket(ctl):
    ctl.faults.drop_connection(path="/v1/nodes")
    with Server(ctl) as srv:
        with pytest.raises(requests.ConnectionError):
            requests.get(srv.url + "/v1/nodes", timeout=5)
        assert requests.get(srv.url + "/v1/nodes", timeout=5).status_code == 200


@pytest.mark.http
def test_over_http_a_truncated_body_is_cut_short(ctl):
    ctl.faults.truncate(at=10, path="/v1/nodes")
    with Server(ctl) as srv:
        with pytest.raises(requests.exceptions.ChunkedEncodingError):
            requests.get(srv.url + "/v1/nodes", timeout=5)
        assert len(requests.get(srv.url + "/v1/nodes", timeout=5).json()) == 3


@pytest.mark.http
def test_over_http_the_client_reports_a_dropped_connection(ctl):
    ctl.faults.drop_connection(method="GET", path="/v1/nodes")
    with Server(ctl) as srv:
        client = linstor.Linstor(srv.linstor_uri)
        client.connect()
        with pytest.raises(LinstorNetworkError):
            client.node_list()


def test_node_offline_shows_in_listings_and_pools_lose_capacity(ctl, http):
    ctl.faults.node_offline("alpha")
    assert http.get("/v1/nodes/alpha").json["connection_status"] == "OFFLINE"
    pools = http.get("/v1/nodes/alpha/storage-pools").json
    assert all("free_capacity" not in p for p in pools)
    ctl.faults.node_online("alpha")
    assert http.get("/v1/nodes/alpha").json["connection_status"] == "ONLINE"


def test_an_evicted_node_is_flagged_and_restore_undoes_it(ctl, http):
    ctl.faults.evict_node("bravo")
    node = http.get("/v1/nodes/bravo").json
    assert "EVICTED" in node["flags"] and node["connection_status"] == "OFFLINE"
    assert node["eviction_timestamp"] == ctl.clock.now_ms()
    assert http.put("/v1/nodes/bravo/restore").status_code == 200
    assert "EVICTED" not in http.get("/v1/nodes/bravo").json["flags"]


def test_a_lost_node_disappears(ctl, http):
    ctl.faults.lose_node("charlie")
    assert http.get("/v1/nodes/charlie").status_code == 404


def test_a_full_pool_has_no_free_space(ctl, http):
    ctl.faults.fill_pool("alpha", "thin")
    pool = http.get("/v1/nodes/alpha/storage-pools/thin").json
    assert pool["free_capacity"] == 0 and pool["total_capacity"] == 100 * 1024 ** 2
    ctl.faults.fill_pool("alpha", "thin", free=1024)
    assert http.get("/v1/nodes/alpha/storage-pools/thin").json["free_capacity"] == 1024


def test_state_faults_on_missing_objects_raise(ctl):
    from fakestor.apicallrc import ApiError

    with pytest.raises(ApiError):
        ctl.faults.node_offline("zulu")
    with pytest.raises(ApiError):
        ctl.faults.fill_pool("alpha", "nope")


def test_unknown_fault_kinds_and_probabilities_are_refused(ctl):
    with pytest.raises(ValueError):
        ctl.faults.add("explode")
    with pytest.raises(ValueError):
        ctl.faults.error(probability=1.5)


def test_removing_a_fault_stops_it(ctl, http):
    fault = ctl.faults.error(path="/v1/nodes", times=None)
    assert http.get("/v1/nodes").status_code == 500
    ctl.faults.remove(fault)
    assert http.get("/v1/nodes").status_code == 200
    assert fault.hits == 1


def test_an_injected_error_is_filed_as_an_error_report(ctl, http):
    ctl.faults.error(C.FAIL_NOT_CONNECTED, "Satellite unreachable", path="/v1/nodes")
    report_id = http.get("/v1/nodes").json[0]["error_report_ids"][0]
    reports = http.get("/v1/error-reports/" + report_id)
    assert reports.status_code == 200
    assert reports.json[0]["exception_message"] == "Satellite unreachable"
