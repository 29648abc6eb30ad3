"""POST .../resources/{node}/make-available as LINSTOR 1.31.3 answers it (raw HTTP, spec-checked)."""
import pytest

from fakestor.apicallrc import unsigned64
from linstor import sharedconsts as C

GIB = 1024 * 1024
RSC = "/v1/resource-definitions/r1/resources"


def call(http, method, path, body=None):
    resp = http.open(path, method=method, json=body) if body is not None else http.open(path, method=method)
    return resp.status_code, resp.get_json()


def make_available(http, node, body=None, rsc="r1"):
    return call(http, "POST", "/v1/resource-definitions/%s/resources/%s/make-available" % (rsc, node),
                {} if body is None else body)


def codes(reply):
    return [unsigned64(e["ret_code"]) for e in reply]


def resources(http):
    """node -> (flags, pool of volume 0, StorPoolName prop)"""
    out = {}
    for r in call(http, "GET", "/v1/view/resources")[1]:
        out[r["node_name"]] = (r.get("flags", []), r["volumes"][0]["storage_pool_name"],
                              r.get("props", {}).get("StorPoolName"))
    return out


def place(http, node, pool=None, flags=None):
    rsc = {"node_name": node}
    if pool:
        rsc["props"] = {"StorPoolName": pool}
    if flags:
        rsc["flags"] = flags
    status, reply = call(http, "POST", RSC, [{"resource": rsc}])
    assert status == 201, reply


@pytest.fixture
def r1(http):
    """Resource definition r1 with one 1 GiB volume definition, not deployed."""
    call(http, "POST", "/v1/resource-definitions", {"resource_definition": {"name": "r1"}})
    call(http, "POST", "/v1/resource-definitions/r1/volume-definitions", {"volume_definition": {"size_kib": GIB}})
    return "r1"


def test_first_resource_is_created_diskful_on_the_pool_the_autoplacer_picks(http, r1):
    # no diskful peer yet: even without "diskful" the first resource gets a disk; of alpha's
    # pools the autoplacer prefers zfs (most free space)
    status, reply = make_available(http, "alpha")
    assert status == 200
    assert reply[0]["message"] == "New resource 'r1' on node 'alpha' registered."
    assert codes(reply)[0] == C.MASK_CRT | C.MASK_RSC | C.CREATED
    # the create's entries pass through the call's context: every one names the node too
    assert all(e["obj_refs"]["Node"] == "alpha" and e["obj_refs"]["RscDfn"] == "r1" for e in reply)
    assert reply[-1]["message"] == "Resource 'r1' on 'alpha' ready"
    assert resources(http) == {"alpha": ([], "zfs", "zfs")}


def test_with_a_diskful_peer_the_node_gets_a_drbd_client(http, r1):
    place(http, "alpha", "zfs")
    status, reply = make_available(http, "bravo")
    assert status == 200
    assert "New resource 'r1' on node 'bravo' registered." in [e["message"] for e in reply]
    assert resources(http)["bravo"] == (["DISKLESS", "DRBD_DISKLESS"], "DfltDisklessStorPool",
                                        "DfltDisklessStorPool")


def test_diskful_request_creates_a_disk_next_to_a_peer(http, r1):
    place(http, "alpha", "zfs")
    status, _ = make_available(http, "bravo", {"diskful": True})
    assert status == 200
    assert resources(http)["bravo"] == ([], "zfs", "zfs")


def test_the_group_pool_restriction_decides_the_pool(http, r1):
    call(http, "PUT", "/v1/resource-groups/DfltRscGrp", {"select_filter": {"storage_pool": "thin"}})
    status, _ = make_available(http, "alpha", {"diskful": True})
    assert status == 200
    assert resources(http)["alpha"][1] == "thin"


def test_no_matching_pool_is_refused_and_nothing_is_created(http, r1):
    call(http, "PUT", "/v1/resource-groups/DfltRscGrp", {"select_filter": {"storage_pool": "nosuchpool"}})
    status, reply = make_available(http, "alpha")
    assert status == 404
    assert codes(reply) == [C.MASK_CRT | C.MASK_RSC | C.FAIL_NOT_FOUND_STOR_POOL]
    assert reply[0]["message"] == ("Autoplacer could not find diskful stor pool on node alpha matching "
                                   "resource-groups autoplace-settings")
    assert "error_report_ids" not in reply[0]
    assert resources(http) == {}


def test_client_asked_for_a_disk_gets_one(http, r1):
    place(http, "alpha", "zfs")
    place(http, "bravo", flags=["DRBD_DISKLESS"])
    status, reply = make_available(http, "bravo", {"diskful": True})
    assert status == 200
    assert codes(reply) == [C.MASK_MOD | C.MASK_RSC | C.MODIFIED]
    assert reply[0]["message"] == "Addition of disk to resource 'r1' on node 'bravo' registered"
    assert resources(http)["bravo"] == ([], "zfs", "zfs")


def test_inactive_resource_is_activated(http, r1):
    place(http, "alpha", "zfs")
    place(http, "bravo", "zfs", flags=["INACTIVE"])
    status, reply = make_available(http, "bravo")
    assert status == 200
    assert [e["message"] for e in reply] == ["Reactivating resource on 'bravo'", "Resource activated on 'bravo'"]
    assert resources(http)["bravo"][0] == []


@pytest.mark.parametrize("body", [{}, {"diskful": False}, {"layer_list": ["drbd", "storage"]}])
def test_resource_already_as_requested(http, r1, body):
    place(http, "alpha", "zfs")
    place(http, "bravo", flags=["DRBD_DISKLESS"])
    before = resources(http)
    for node in ("alpha", "bravo"):
        status, reply = make_available(http, node, body)
        assert status == 200
        # a bare success entry; the call's context adds its masks and names node and definition
        assert reply == [{"ret_code": C.MASK_CRT | C.MASK_RSC, "message": "Resource already deployed as requested",
                          "obj_refs": {"Node": node, "RscDfn": "r1"}}]
    assert resources(http) == before


def test_diskful_resource_with_diskful_request_is_already_as_requested(http, r1):
    place(http, "alpha", "zfs")
    status, reply = make_available(http, "alpha", {"diskful": True})
    assert (status, reply[0]["message"]) == (200, "Resource already deployed as requested")


def test_tie_breaker_becomes_a_wanted_client(http, r1):
    place(http, "alpha", "zfs")
    place(http, "bravo", "zfs")
    place(http, "charlie", flags=["TIE_BREAKER"])
    status, reply = make_available(http, "charlie")
    assert (status, reply[0]["message"]) == (200, "Resource already deployed as requested")
    assert resources(http)["charlie"][0] == ["DISKLESS", "DRBD_DISKLESS"]


def test_other_layer_stack_than_deployed_is_refused(http, r1):
    place(http, "alpha", "zfs")
    status, reply = make_available(http, "alpha", {"layer_list": ["storage"]})
    assert status == 500
    assert codes(reply) == [C.MASK_CRT | C.MASK_RSC | C.FAIL_INVLD_LAYER_STACK]
    assert reply[0]["message"] == "Layerstack of deployed resource does not match"
    assert reply[0]["error_report_ids"]


def test_missing_node_and_definition(http, r1):
    status, reply = make_available(http, "nowhere")
    assert status == 404
    assert codes(reply) == [C.MASK_CRT | C.MASK_RSC | C.FAIL_NOT_FOUND_NODE]
    status, reply = make_available(http, "alpha", rsc="nothere")
    assert status == 404
    assert codes(reply) == [C.MASK_CRT | C.MASK_RSC | C.FAIL_NOT_FOUND_RSC_DFN]


@pytest.mark.parametrize("field", [{"drbd_tcp_ports": [7000]}, {"snap_names": ["s1"]}, {"copy_all_snaps": True}])
def test_fields_added_after_1_31_3_are_parse_errors(http, r1, field):
    status, reply = make_available(http, "alpha", dict(field, diskful=True))
    assert status == 500
    assert codes(reply) == [unsigned64(C.API_CALL_PARSE_ERROR)]
    assert resources(http) == {}
