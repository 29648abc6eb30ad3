"""Our client's autoplace calls against the fake on a five-node cluster, in process and over
HTTP, every response checked against the OpenAPI spec: the resources created are the ones the
selection filter allows, the replies are the controller's, and a refused placement changes nothing."""
import json

import pytest

from linstor import sharedconsts as C
from tests.contract.clusters import five_node_controller, no_error

GIB = 1024 * 1024
ZONES = {"alpha": "a", "bravo": "b", "charlie": "c", "delta": "a", "echo": "b"}


@pytest.fixture
def controller():
    return five_node_controller()


def define(lin, name, size_kib=GIB, group=None):
    no_error(lin.resource_dfn_create(name, resource_group=group))
    no_error(lin.volume_dfn_create(name, size_kib))


def placed(lin, name):
    """node -> (StorPoolName, flags, pool of volume 0) of each resource of ``name``."""
    out = {}
    for rsc in lin.resource_list_raise(filter_by_resources=[name]).resources:
        pools = [v.storage_pool_name for v in rsc.volumes]
        out[rsc.node_name] = (rsc.properties.get(C.KEY_STOR_POOL_NAME), rsc.flags, pools[0] if pools else None)
    return out


def diskful_nodes(lin, name):
    return sorted(n for n, (_, flags, _) in placed(lin, name).items() if "DISKLESS" not in flags)


def code(reply):
    return reply.ret_code & C.MASK_BITS_CODE


# -- placing ------------------------------------------------------------------------------------
def test_create_and_auto_place_reply_and_resources(lin, controller):
    replies = no_error(lin.resource_create_and_auto_place("web", GIB, 2, storage_pool="thin"))
    first = replies[-5]
    # the autoplace's own entry, then what the satellites answer for each new resource
    assert first.ret_code == C.MASK_RSC | C.MASK_CRT | C.CREATED
    assert first.message == "Resource 'web' successfully autoplaced on 2 nodes"
    assert first.details == "Used nodes (storage pool name): 'alpha (thin)', 'bravo (thin)'"
    assert first.object_refs == {"RscDfn": "web", "Node/0": "alpha", "StoragePool/0/0": "thin,LVM_THIN",
                                 "Node/1": "bravo", "StoragePool/1/0": "thin,LVM_THIN"}
    assert [r.message for r in replies[-4:]] == [
        "Created resource 'web' on 'alpha'", "Created resource 'web' on 'bravo'",
        "Resource 'web' on 'alpha' ready", "Resource 'web' on 'bravo' ready"]
    assert placed(lin, "web") == {"alpha": ("thin", [], "thin"), "bravo": ("thin", [], "thin")}


def test_the_largest_free_space_wins_and_thick_volumes_take_it(lin, controller):
    define(lin, "big", 10 * GIB)
    no_error(lin.resource_auto_place("big", 1, storage_pool="zfs"))
    [first] = diskful_nodes(lin, "big")
    pool = controller.cluster.get_storage_pool(first, "zfs")
    assert pool.free_capacity == 190 * GIB
    # the next one avoids the pool that lost 10 GiB
    define(lin, "next", GIB)
    no_error(lin.resource_auto_place("next", 1, storage_pool="zfs"))
    assert diskful_nodes(lin, "next") != [first]


def test_count_already_reached_and_too_low(lin, http):
    no_error(lin.resource_create_and_auto_place("web", GIB, 2))
    before = placed(lin, "web")
    [skip] = lin.resource_auto_place("web", 2)
    assert skip.is_warning() and code(skip) == code_of(C.WARN_RSC_ALREADY_DEPLOYED)
    assert skip.message == "Resource 'web' was already deployed on 2 nodes. Skipping."
    assert skip.details.startswith("Used nodes: '")
    [low] = lin.resource_auto_place("web", 1)
    assert low.is_warning() and "would have to be deleted from nodes to reach the placement count" in low.message
    assert placed(lin, "web") == before
    reply = http.post("/v1/resource-definitions/web/autoplace", data=json.dumps({"select_filter": {"place_count": 1}}))
    assert reply.status_code == 201


def code_of(value):
    return value & C.MASK_BITS_CODE


def test_additional_place_count_adds_replicas(lin):
    no_error(lin.resource_create_and_auto_place("web", GIB, 2))
    no_error(lin.resource_auto_place("web", 2, additional_place_count=2))
    nodes = diskful_nodes(lin, "web")
    assert len(nodes) == 4 and len(set(nodes)) == 4


def test_not_enough_nodes_creates_nothing(lin, http, controller):
    define(lin, "web")
    [reply] = lin.resource_auto_place("web", 6)
    assert reply.is_error() and code(reply) == code_of(C.FAIL_NOT_ENOUGH_NODES)
    assert reply.message == "Not enough available nodes"
    assert reply.details.startswith("Not enough nodes fulfilling the following auto-place criteria:")
    assert "   Replica count: 6\n" in reply.details
    assert placed(lin, "web") == {}
    # zfs on four nodes only: five replicas there cannot be placed either
    [reply] = lin.resource_auto_place("web", 5, storage_pool="zfs")
    assert code(reply) == code_of(C.FAIL_NOT_ENOUGH_NODES)
    assert " * has a deployed storage pool named [zfs]\n * the storage pools have to have at least '1048576' " \
           "free space\n" in reply.details
    response = http.post("/v1/resource-definitions/web/autoplace",
                         data=json.dumps({"select_filter": {"place_count": 6}}))
    assert response.status_code == 500
    assert controller.cluster.get_resource_definition("web").resources == {}


def test_storage_pool_list_and_provider_list(lin):
    define(lin, "ra")
    no_error(lin.resource_auto_place("ra", 3, storage_pool=["zfs"]))
    assert {p for p, _, _ in placed(lin, "ra").values()} == {"zfs"}
    define(lin, "rb")
    no_error(lin.resource_auto_place("rb", 5, provider_list=["LVM_THIN"]))
    assert {v for _, _, v in placed(lin, "rb").values()} == {"thin"}
    define(lin, "rc")
    [reply] = lin.resource_auto_place("rc", 5, provider_list=["ZFS"])
    assert code(reply) == code_of(C.FAIL_NOT_ENOUGH_NODES)  # echo has no ZFS pool
    [reply] = lin.resource_auto_place("rc", 1, provider_list=["NOPE"])
    assert reply.is_error() and reply.message == "Given provider kind 'NOPE' is invalid"


def test_do_not_place_with_and_regex(lin):
    define(lin, "a1")
    no_error(lin.resource_auto_place("a1", 2))
    taken = set(diskful_nodes(lin, "a1"))
    define(lin, "b1")
    no_error(lin.resource_auto_place("b1", 3, do_not_place_with=["a1"]))
    assert not taken & set(diskful_nodes(lin, "b1"))
    define(lin, "c1")
    no_error(lin.resource_auto_place("c1", 3, do_not_place_with_regex="^A"))
    assert not taken & set(diskful_nodes(lin, "c1"))
    define(lin, "d1")
    [reply] = lin.resource_auto_place("d1", 4, do_not_place_with=["a1"])
    assert code(reply) == code_of(C.FAIL_NOT_ENOUGH_NODES)
    assert "   Do not place with resources:\n      a1\n      d1\n" in reply.details


def test_replicas_on_same_and_different(lin):
    define(lin, "same")
    no_error(lin.resource_auto_place("same", 2, replicas_on_same=["Aux/zone"]))
    assert len({ZONES[n] for n in diskful_nodes(lin, "same")}) == 1
    define(lin, "diff")
    no_error(lin.resource_auto_place("diff", 3, replicas_on_different=["Aux/zone"]))
    assert sorted(ZONES[n] for n in diskful_nodes(lin, "diff")) == ["a", "b", "c"]
    define(lin, "many")
    [reply] = lin.resource_auto_place("many", 4, replicas_on_different=["Aux/zone"])
    assert code(reply) == code_of(C.FAIL_NOT_ENOUGH_NODES)
    define(lin, "pinned")
    no_error(lin.resource_auto_place("pinned", 2, replicas_on_same=["Aux/zone=b"]))
    assert diskful_nodes(lin, "pinned") == ["bravo", "echo"]


def test_diskless_on_remaining(lin, controller):
    no_error(lin.resource_create_and_auto_place("web", GIB, 2, diskless_on_remaining=True))
    rscs = placed(lin, "web")
    assert len(rscs) == 5
    diskless = {n: v for n, v in rscs.items() if "DISKLESS" in v[1]}
    assert len(diskless) == 3
    for _, (prop, flags, pool) in diskless.items():
        assert prop == "DfltDisklessStorPool" and pool == "DfltDisklessStorPool"
        assert "DRBD_DISKLESS" in flags
    # diskless resources do not count as replicas
    [reply] = lin.resource_auto_place("web", 2)
    assert reply.is_warning() and reply.message == "Resource 'web' was already deployed on 2 nodes. Skipping."
    # a third replica goes to a node that has the resource diskless: it gets a disk
    no_error(lin.resource_auto_place("web", 3))
    rscs = placed(lin, "web")
    assert len(rscs) == 5 and len(diskful_nodes(lin, "web")) == 3
    [upgraded] = [n for n in diskful_nodes(lin, "web") if n in diskless]
    assert rscs[upgraded][2] != "DfltDisklessStorPool"


def test_diskless_type_and_diskless_pool(lin):
    no_error(lin.resource_create_and_auto_place("web", GIB, 2, storage_pool="zfs"))
    no_error(lin.resource_auto_place("web", 2, diskless_type="DRBD_DISKLESS",
                                     diskless_storage_pool="DfltDisklessStorPool"))
    rscs = placed(lin, "web")
    clients = sorted(n for n, (_, flags, _) in rscs.items() if "DRBD_DISKLESS" in flags)
    assert len(clients) == 2 and len(rscs) == 4
    assert all(rscs[n][0] == "DfltDisklessStorPool" for n in clients)


def test_layer_list_goes_to_the_new_resources(lin, controller):
    define(lin, "plain")
    no_error(lin.resource_auto_place("plain", 2, layer_list=["storage"]))
    for rsc in controller.cluster.get_resource_definition("plain").resources.values():
        assert rsc.layer_stack == ["STORAGE"]
    define(lin, "bad")
    [reply] = lin.resource_auto_place("bad", 2, layer_list=["nope"])
    assert reply.is_error() and reply.message == "Given layer kind 'nope' is invalid"
    assert placed(lin, "bad") == {}


def test_the_group_filter_applies_and_the_request_overrides_it(lin):
    no_error(lin.resource_group_create("rg1", place_count=3, storage_pool="zfs"))
    define(lin, "web", group="rg1")
    no_error(lin.resource_auto_place("web", None))
    assert len(diskful_nodes(lin, "web")) == 3 and {p for p, _, _ in placed(lin, "web").values()} == {"zfs"}
    define(lin, "db", group="rg1")
    no_error(lin.resource_auto_place("db", 1, storage_pool="thin"))
    assert [p for p, _, _ in placed(lin, "db").values()] == ["thin"]


def test_a_refused_creation_undoes_the_placement(lin, controller):
    # one peer slot: the plan names three nodes, the third resource has no slot left
    define(lin, "web")
    no_error(lin.resource_dfn_modify("web", {}, peer_slots=1))
    free_before = {n: controller.cluster.get_storage_pool(n, "zfs").free_capacity
                   for n in ("alpha", "bravo", "charlie", "delta")}
    replies = lin.resource_auto_place("web", 3, storage_pool="zfs")
    assert replies[-1].is_error() and code(replies[-1]) == code_of(C.FAIL_INSUFFICIENT_PEER_SLOTS)
    assert placed(lin, "web") == {}
    assert {n: controller.cluster.get_storage_pool(n, "zfs").free_capacity for n in free_before} == free_before


def test_request_fields_are_those_of_the_controller(http, lin):
    define(lin, "web")
    for extra in ({"snap_names": ["s1"]}, {"copy_all_snaps": True}):
        body = dict({"select_filter": {"place_count": 1}}, **extra)
        response = http.post("/v1/resource-definitions/web/autoplace", data=json.dumps(body))
        assert response.status_code == 500
        [entry] = response.get_json()
        assert entry["message"] == "Unable to parse input json."
    response = http.post("/v1/resource-definitions/web/autoplace",
                         data=json.dumps({"select_filter": {"place_count": 1, "port_count": 1}}))
    assert response.status_code == 500
    assert placed(lin, "web") == {}
    response = http.post("/v1/resource-definitions/nope/autoplace", data=json.dumps({"select_filter": {}}))
    assert response.status_code == 404
    [entry] = response.get_json()
    assert entry["ret_code"] & C.MASK_BITS_CODE == code_of(C.FAIL_NOT_FOUND_RSC_DFN)
    assert entry["message"] == "Resource definition 'nope' not found."
