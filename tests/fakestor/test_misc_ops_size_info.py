"""query-size-info of one resource group and query-all-size-info (``CtrlQuerySizeInfoHelper``)."""
from fakestor.apicallrc import unsigned64
from fakestor.model.size_info import fill_up
from linstor import sharedconsts as C

GIB = 1024 * 1024
QSI = "/v1/resource-groups/%s/query-size-info"
QASI = "/v1/queries/resource-groups/query-all-size-info"


def post(http, path, body=None):
    resp = http.post(path, json=body) if body is not None else http.post(path)
    return resp.status_code, resp.get_json()


def make_group(http, name, **select_filter):
    assert post(http, "/v1/resource-groups", {"name": name, "select_filter": select_filter})[0] == 201


def test_fill_up_places_replicas_on_the_largest_pools_first():
    assert fill_up([100, 100, 100, 200, 200, 200], 2) == 400
    assert fill_up([100, 200, 300], 3) == 100
    assert fill_up([100, 200], 3) == 0
    assert fill_up([50, 0, 50], 1) == 100


def test_space_of_a_two_replica_group(http):
    make_group(http, "rg2", place_count=2)
    status, answer = post(http, QSI % "rg2", {})
    assert status == 200
    space = answer["space_info"]
    # zfs (200 GiB, ratio 1) is picked; every thin and zfs pool counts for what fits with 2 replicas
    assert space["max_vlm_size_in_kib"] == 200 * GIB
    assert space["available_size_in_kib"] == 400 * GIB
    assert space["capacity_in_kib"] == 400 * GIB
    assert space["default_max_oversubscription_ratio"] == 20.0
    assert [(r["node_name"], r["stor_pool_name"]) for r in space["next_spawn_result"]] == [
        ("alpha", "zfs"), ("bravo", "zfs")]
    assert "reports" not in answer


def test_the_request_filter_narrows_the_group_and_thin_pools_are_oversubscribed(http, controller):
    make_group(http, "rg3", place_count=3)
    status, answer = post(http, QSI % "rg3", {"select_filter": {"storage_pool": "thin"}})
    space = answer["space_info"]
    assert space["max_vlm_size_in_kib"] == 20 * 100 * GIB
    assert space["available_size_in_kib"] == space["capacity_in_kib"] == 100 * GIB
    assert {r["stor_pool_oversubscription_ratio"] for r in space["next_spawn_result"]} == {20.0}
    http.open("/v1/controller/properties", method="POST", json={
        "override_props": {C.KEY_STOR_POOL_MAX_FREE_CAPACITY_OVERSUBSCRIPTION_RATIO: "2"}})
    spawn = post(http, QSI % "rg3", {"select_filter": {"storage_pool": "thin"}})[1]["space_info"]["next_spawn_result"]
    assert {r["stor_pool_free_capacity_oversubscription_ratio"] for r in spawn} == {2.0}


def test_offline_nodes_and_used_space_are_left_out(http, controller):
    make_group(http, "rg2", place_count=2, storage_pool="zfs")
    controller.cluster.set_node_online("charlie", False)
    space = post(http, QSI % "rg2", {})[1]["space_info"]
    assert space["capacity_in_kib"] == 200 * GIB
    controller.cluster.set_node_online("charlie", True)
    post(http, "/v1/resource-groups/rg2/spawn", {"resource_definition_name": "r1", "volume_sizes": [50 * GIB]})
    space = post(http, QSI % "rg2", {})[1]["space_info"]
    # charlie's untouched pool and one of the two that hold 50 GiB now: the smaller decides
    assert space["max_vlm_size_in_kib"] == 150 * GIB
    assert "charlie" in [r["node_name"] for r in space["next_spawn_result"]]
    # 150 + 150 + 200 GiB hold 200 GiB twice
    assert space["available_size_in_kib"] == 200 * GIB


def test_not_enough_nodes_gives_zero_space(http):
    make_group(http, "rg4", place_count=4)
    space = post(http, QSI % "rg4")[1]["space_info"]
    assert (space["max_vlm_size_in_kib"], space["available_size_in_kib"]) == (0, 0)
    assert "next_spawn_result" not in space


def test_a_missing_group_is_a_report(http):
    status, answer = post(http, QSI % "nope", {})
    assert status == 200
    assert unsigned64(answer["reports"][0]["ret_code"]) == unsigned64(C.FAIL_NOT_FOUND_RSC_GRP)


def test_query_all_answers_per_group(http):
    make_group(http, "rg0", place_count=3)
    make_group(http, "Rg2", place_count=2)
    status, answer = post(http, QASI, {"select_filter": {"storage_pool": "thin"}})
    assert status == 200
    result = answer["result"]
    assert list(result) == ["DfltRscGrp", "Rg2", "rg0"]
    assert result["Rg2"]["space_info"]["capacity_in_kib"] == 100 * GIB
    assert result["rg0"]["space_info"]["capacity_in_kib"] == 100 * GIB
    assert result["rg0"]["space_info"]["max_vlm_size_in_kib"] == 2000 * GIB
    # an empty body is an empty request
    assert post(http, QASI) == post(http, QASI, {})


def test_a_bad_body_is_refused(http):
    make_group(http, "rg2", place_count=2)
    status, answer = post(http, QSI % "rg2", {"select_filter": {"place_count": "many"}})
    assert status == 500
    assert unsigned64(answer[0]["ret_code"]) == unsigned64(C.API_CALL_PARSE_ERROR)
