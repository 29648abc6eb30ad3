"""SOS reports (a real tar.gz of the fake's state), the space report and the stats counters."""
import io
import json
import re
import tarfile

import pytest

from fakestor.server import Server

NAME = "sos_2025-07-10_12-00-00"  # the demo controller's clock at start


def tarball(data: bytes) -> tarfile.TarFile:
    return tarfile.open(fileobj=io.BytesIO(data), mode="r:gz")


def member(tar: tarfile.TarFile, path: str) -> bytes:
    return tar.extractfile(path).read()


def test_sos_report_answers_201_with_the_file_path(http):
    reply = http.get("/v1/sos-report")
    assert reply.status_code == 201
    path = "/var/log/linstor-controller/%s.tar.gz" % NAME
    assert reply.get_json() == [{"ret_code": 1, "message": "SOS Report created on Controller: " + path,
                                 "obj_refs": {"path": path}}]


def test_download_holds_state_lists_and_error_reports(http, controller):
    controller.call(lambda c: c.modify_kvs("xcp", {"/sr/uuid": "abc"}))
    failed = controller.call(lambda c: c.create_node("a", "SATELLITE", [{"name": "default", "address": "1.2.3.4"}]))
    report_id = failed[0].error_report_ids[0]
    reply = http.get("/v1/sos-report/download")
    assert reply.status_code == 200
    assert reply.headers["Content-Type"] == "application/octet-stream"
    assert reply.headers["Content-Disposition"] == "attachment; filename = %s.tar.gz" % NAME
    tar = tarball(reply.get_data())
    names = tar.getnames()
    assert {NAME + "/alpha", NAME + "/bravo", NAME + "/charlie", NAME + "/query-params"} <= set(names)
    state = json.loads(member(tar, NAME + "/_Controller/state.json"))
    assert state["key_value_stores"]["XCP"]["props"] == {"sr/uuid": "abc"}
    assert sorted(state["nodes"]) == ["ALPHA", "BRAVO", "CHARLIE"]
    assert "crypt_master_key" in state and "bytes" not in json.dumps(state["nodes"])
    nodes = json.loads(member(tar, NAME + "/_Controller/node-list.json"))
    assert [n["name"] for n in nodes] == ["alpha", "bravo", "charlie"]
    log = member(tar, NAME + "/_Controller/logs/ErrorReport-%s.log" % report_id).decode()
    assert log.startswith("ERROR REPORT " + report_id)
    assert member(tar, NAME + "/query-params") == b"<no query-params>"


def test_master_key_never_leaves_the_controller(http, controller):
    controller.call(lambda c: c.set_passphrase("pw"))
    key = controller.cluster.crypt_master_key
    data = tarball(http.get("/v1/sos-report/download").get_data())
    state = member(data, NAME + "/_Controller/state.json").decode()
    assert json.loads(state)["crypt_master_key"] == "<16 bytes>"
    assert key.hex() not in state


def test_since_filters_error_reports(http, controller):
    controller.call(lambda c: c.create_node("a", "SATELLITE", [{"name": "default", "address": "1.2.3.4"}]))
    controller.clock.advance(3600)
    since = controller.clock.now_ms()
    tar = tarball(http.get("/v1/sos-report/download?since=%d" % since).get_data())
    assert not any("/logs/" in n for n in tar.getnames())
    assert member(tar, NAME.replace("12-00-00", "13-00-00") + "/query-params") == b"since=%d" % since


def test_node_selection_and_controller_exclusion(http, controller):
    data = http.get("/v1/sos-report/download?nodes=alpha&nodes=BRAVO&exclude=bravo&include-ctrl=false").get_data()
    dirs = {n.split("/")[1] for n in tarball(data).getnames() if "/" in n}
    assert dirs == {"alpha", "query-params"}


@pytest.mark.http
def test_download_over_a_socket_names_the_file(controller):
    import requests

    with Server(controller) as server:
        reply = requests.get(server.url + "/v1/sos-report/download")
        # how python-linstor finds the file name
        assert re.findall(r"attachment;\s*filename\s*=\s*(\S+)", reply.headers["content-disposition"]) == [
            NAME + ".tar.gz"]
        assert "%s/_Controller/state.json" % NAME in tarball(reply.content).getnames()


def test_space_report_accounts_for_the_pools(http, controller):
    controller.cluster.get_storage_pool("alpha", "thin").allocated_kib = 25 * 1024 * 1024
    text = http.get("/v1/space-report").get_json()["reportText"]
    alpha_thin = next(line for line in text.splitlines() if line.startswith("alpha") and " thin " in line)
    assert "100.00 GiB" in alpha_thin and "25.00 GiB" in alpha_thin and "75.00 GiB" in alpha_thin
    assert "25.0%" in alpha_thin
    assert "Cluster total: 900.00 GiB, allocated 25.00 GiB, free 875.00 GiB (3 nodes, 9 storage pools)" in text
    controller.cluster.get_node("charlie").connection_status = "OFFLINE"
    text = http.get("/v1/space-report").get_json()["reportText"]
    assert "Cluster total: 600.00 GiB" in text
    assert "unknown (node offline)" in text


@pytest.mark.parametrize("kind, count", [("nodes", 3), ("storage-pools", 9), ("resource-definitions", 0),
                                         ("resources", 0), ("error-reports", 0)])
def test_stats_count(http, kind, count):
    assert http.get("/v1/stats/" + kind).get_json() == {"count": count}


def test_stats_follow_changes(http, controller):
    controller.call(lambda c: c.delete_storage_pool("charlie", "zfs"))
    controller.call(lambda c: c.create_node("a", "SATELLITE", [{"name": "default", "address": "1.2.3.4"}]))
    assert http.get("/v1/stats/storage-pools").get_json() == {"count": 8}
    assert http.get("/v1/stats/error-reports").get_json() == {"count": 1}
    assert http.get("/v1/stats/volumes").status_code == 404


def test_state_rendering_copes_with_any_area_data():
    from dataclasses import dataclass

    from fakestor.rest.sos import plain

    @dataclass
    class Thing:
        name: str
        tags: set

    data = {("alpha", "bravo"): Thing("link", {"b", "a"}), 7: b"\x00\x01", "when": object}
    rendered = plain(data)
    assert rendered["alpha/bravo"] == {"name": "link", "tags": ["a", "b"]}
    assert rendered["7"] == "<2 bytes>"
    json.dumps(rendered)
