"""Cloning resource definitions over REST: what the clone holds, where its volumes live, the
status it reports, and the controller's answers to refused clones (201 with the errors in the
reply's messages, nothing created)."""
import json

import pytest

from fakestor.apicallrc import signed64
from linstor import sharedconsts as C

GIB = 1024 * 1024


@pytest.fixture
def src(controller):
    """web: two volumes (1 GiB, 2 GiB); diskful on alpha (thin) and bravo (zfs), diskless on charlie."""
    cluster = controller.cluster
    cluster.create_resource_definition("web", props={"Aux/app": "shop"})
    cluster.create_volume_definition("web", GIB, props={"Aux/vol": "data"})
    cluster.create_volume_definition("web", 2 * GIB)
    cluster.create_resources("web", [{"node_name": "alpha", "props": {"StorPoolName": "thin"}},
                                     {"node_name": "bravo", "props": {"StorPoolName": "zfs"}},
                                     {"node_name": "charlie", "flags": ["DRBD_DISKLESS"]}])
    return controller


def clone(http, body, src_name="web"):
    resp = http.post("/v1/resource-definitions/%s/clone" % src_name, data=json.dumps(body))
    assert resp.status_code == 201  # v1.31.3 answers 201 even when it refuses
    return resp.get_json()


def errors(reply):
    return [(m["ret_code"], m["message"]) for m in reply["messages"] if m["ret_code"] < 0]


def pool(controller, node, name):
    return controller.cluster.get_storage_pool(node, name)


# -- a successful clone -----------------------------------------------------------------------
def test_clone_copies_definitions_and_places_resources_on_the_source_nodes(http, src, controller):
    reply = clone(http, {"name": "web2"})
    assert reply["location"] == "/v1/resource-definitions/web/clone/web2"
    assert (reply["source_name"], reply["clone_name"]) == ("web", "web2")
    assert errors(reply) == []
    rd = http.get("/v1/resource-definitions/web2?with_volume_definitions=true").get_json()
    assert rd["props"] == {"Aux/app": "shop", "cloned-from": "web"}
    assert [(v["volume_number"], v["size_kib"], v.get("props")) for v in rd["volume_definitions"]] == [
        (0, GIB, {"Aux/vol": "data"}), (1, 2 * GIB, None)]
    rscs = {r["node_name"]: r for r in http.get("/v1/view/resources?resources=web2").get_json()}
    assert sorted(rscs) == ["alpha", "bravo", "charlie"]
    assert [v["storage_pool_name"] for v in rscs["alpha"]["volumes"]] == ["thin", "thin"]
    assert [v["storage_pool_name"] for v in rscs["bravo"]["volumes"]] == ["zfs", "zfs"]
    assert "DRBD_DISKLESS" in rscs["charlie"]["flags"]
    assert [v["storage_pool_name"] for v in rscs["charlie"]["volumes"]] == ["DfltDisklessStorPool"] * 2
    source = controller.cluster.get_resource_definition("web")
    copy = controller.cluster.get_resource_definition("web2")
    # same DRBD node ids, its own port and minors
    assert {k: r.node_id for k, r in copy.resources.items()} == {k: r.node_id for k, r in source.resources.items()}
    assert copy.port != source.port
    assert not {vd.minor_number for vd in copy.volume_definitions.values()} & {
        vd.minor_number for vd in source.volume_definitions.values()}


def test_clone_takes_room_in_thick_pools_like_its_source(http, src, controller):
    before = pool(controller, "bravo", "zfs").allocated_kib
    clone(http, {"name": "web2"})
    assert pool(controller, "bravo", "zfs").allocated_kib == before + 3 * GIB
    http.delete("/v1/resource-definitions/web2")
    assert pool(controller, "bravo", "zfs").allocated_kib == before


def test_clone_reply_messages_follow_the_controller(http, src):
    reply = clone(http, {"name": "web2"})
    rd_create = C.MASK_CRT | C.MASK_RSC_DFN
    msgs = [(m["ret_code"], m["message"]) for m in reply["messages"]]
    assert msgs[:3] == [(signed64(rd_create | C.MODIFIED), "Suspend IO on clone source web")] * 3
    assert (signed64(rd_create | C.CREATED), "New resource 'web2' on node 'alpha' registered.") in msgs
    assert (signed64(C.MASK_CRT | C.MASK_VLM | C.CREATED),
            "Volume with number '1' on resource 'web2' on node 'charlie' successfully registered") in msgs
    assert (signed64(rd_create | C.MODIFIED), "Set snapshot for clone property of 'web' on 'bravo'") in msgs
    assert (signed64(rd_create | C.MODIFIED), "Resumed IO of 'web' on 'charlie' after clone") in msgs
    assert msgs[-1] == (signed64(rd_create | C.MODIFIED), "Disabled start cloning flag web2")
    assert all(m["obj_refs"]["RscDfn"] == "web2" for m in reply["messages"])


def test_status_is_complete_at_once_by_default(http, src, controller):
    clone(http, {"name": "web2"})
    resp = http.get("/v1/resource-definitions/web/clone/web2")
    assert (resp.status_code, resp.get_json()) == (200, {"status": "COMPLETE"})
    copy = controller.cluster.get_resource_definition("web2")
    assert "CLONING" not in copy.flags
    assert {f for r in copy.resources.values() for v in r.volumes.values() for f in v.flags} == {"CLONING_FINISHED"}


def test_status_is_cloning_until_the_clock_reaches_clone_seconds(http, src, controller):
    controller.cluster.clone_seconds = 30
    clone(http, {"name": "web2"})
    status = lambda: http.get("/v1/resource-definitions/web/clone/web2").get_json()["status"]  # noqa: E731
    assert status() == "CLONING"
    assert http.get("/v1/resource-definitions/web2").get_json()["flags"] == ["CLONING"]
    alpha = controller.cluster.get_resource("web2", "alpha")
    assert [v.flags for _, v in sorted(alpha.volumes.items())] == [["CLONING"], ["CLONING"]]
    controller.clock.advance(29)
    assert status() == "CLONING"
    controller.clock.advance(1)
    assert status() == "COMPLETE"
    assert "flags" not in http.get("/v1/resource-definitions/web2").get_json()


def test_status_is_failed_when_a_clone_node_is_offline(http, src, controller):
    clone(http, {"name": "web2"})
    controller.cluster.set_node_online("charlie", False)
    assert http.get("/v1/resource-definitions/web/clone/web2").get_json() == {"status": "FAILED"}


def test_status_of_an_unknown_or_never_cloned_definition_is_404(http, src):
    for name in ("nope", "web"):
        resp = http.get("/v1/resource-definitions/web/clone/" + name)
        assert resp.status_code == 404
        assert resp.get_json() == [{"ret_code": signed64(C.FAIL_NOT_FOUND_RSC_DFN),
                                    "message": "Cloned resource not found."}]


def test_status_of_an_invalid_name_is_refused(http, src):
    resp = http.get("/v1/resource-definitions/web/clone/-bad-")
    assert resp.status_code == 500
    assert resp.get_json() == [{"ret_code": signed64(C.FAIL_INVLD_RSC_NAME),
                                "message": "The specified resource name '-bad-' is invalid."}]


def test_status_ignores_the_source_in_the_path(http, src):
    clone(http, {"name": "web2"})
    assert http.get("/v1/resource-definitions/other/clone/web2").get_json() == {"status": "COMPLETE"}


def test_use_zfs_clone_and_resource_group(http, src, controller):
    http.post("/v1/resource-groups", data=json.dumps({"name": "onzfs", "select_filter": {"storage_pool": "zfs"}}))
    reply = clone(http, {"name": "web2", "use_zfs_clone": True, "resource_group": "onzfs"})
    assert errors(reply) == []
    rd = http.get("/v1/resource-definitions/web2").get_json()
    assert rd["props"]["use-zfs-clone"] == "true"
    assert rd["resource_group_name"] == "onzfs"
    alpha = controller.cluster.get_resource("web2", "alpha")
    assert {v.storage_pool_name for v in alpha.volumes.values()} == {"zfs"}
    assert alpha.props["StorPoolName"] == "zfs"


def test_generated_name_from_an_external_name(http, src, controller):
    reply = clone(http, {"name": "", "external_name": "Web Copy"})
    assert errors(reply) == []
    assert reply["clone_name"] == "__invalid_name__"
    [rd] = [rd for rd in controller.cluster.list_resource_definitions() if rd.external_name == "Web Copy"]
    assert rd.props["cloned-from"] == "web"


def test_volume_passphrases_are_stored_encrypted(http, src, controller):
    http.post("/v1/encryption/passphrase", data=json.dumps({"new_passphrase": "master"}))
    reply = clone(http, {"name": "web2", "volume_passphrases": ["pw-one", "pw-two"]})
    assert errors(reply) == []
    stored = [vd.props["Encryption/Passphrase"]
              for _, vd in sorted(controller.cluster.get_resource_definition("web2").volume_definitions.items())]
    assert len(stored) == 2 and "pw-one" not in stored[0] and stored[0] != stored[1]


# -- refusals: 201, the error in the messages, nothing created --------------------------------
def assert_nothing_cloned(controller, before):
    assert [rd.name for rd in controller.cluster.list_resource_definitions()] == before
    controller.cluster.check_usage_index()


@pytest.mark.parametrize("body, code, message", [
    ({}, C.FAIL_INVLD_RSC_NAME, "No name for the cloned resource was specified."),
    ({"name": "web"}, C.FAIL_EXISTS_RSC_DFN, "A resource definition with the name 'web' already exists"),
    ({"name": "bad name"}, C.FAIL_INVLD_RSC_NAME, "The specified resource name 'bad name' is invalid."),
    ({"name": "web2", "resource_group": "nope"}, C.FAIL_NOT_FOUND_RSC_GRP, "Resource group 'nope' could not be found."),
    ({"name": "web2", "volume_passphrases": ["only-one"]}, C.FAIL_INVLD_REQUEST,
     "Volume passphrase count doesn't match specified volume count."),
    ({"name": "web2", "volume_passphrases": ["a", "b"]}, C.FAIL_NOT_FOUND_CRYPT_KEY,
     "Unable to create encrypt key without having a master key"),
])
def test_refused_clones_leave_nothing(http, src, controller, body, code, message):
    before = [rd.name for rd in controller.cluster.list_resource_definitions()]
    reply = clone(http, body)
    [(ret_code, text)] = errors(reply)
    assert text == message
    assert ret_code & 0xFFFFFFFF == C.MASK_CRT | C.MASK_RSC_DFN | (code & 0xFFFF)
    assert_nothing_cloned(controller, before)


def test_clone_of_a_missing_source(http, src, controller):
    reply = clone(http, {"name": "web2"}, src_name="nope")
    assert [t for _, t in errors(reply)] == ["Resource definition 'nope' not found."]
    assert reply["source_name"] == "nope"


def test_external_name_without_name_hits_the_controllers_null_name(http, src, controller):
    # python-linstor drops "name" when it sends an external name; v1.31.3 then fails
    before = [rd.name for rd in controller.cluster.list_resource_definitions()]
    reply = clone(http, {"external_name": "copy"})
    [entry] = reply["messages"]
    assert entry["ret_code"] == signed64(C.FAIL_UNKNOWN_ERROR | C.MASK_CRT | C.MASK_RSC_DFN)
    assert entry["message"].endswith("com.linbit.ImplementationError: Resource name must not be null!")
    assert entry["error_report_ids"]
    assert reply["clone_name"] == "__invalid_name__"
    assert_nothing_cloned(controller, before)


def test_no_room_in_a_thick_pool_refuses_the_clone(http, src, controller):
    zfs = pool(controller, "bravo", "zfs")
    controller.cluster.create_resource_definition("filler")
    controller.cluster.create_volume_definition("filler", zfs.free_capacity - GIB)
    controller.cluster.create_resources("filler", [{"node_name": "bravo", "props": {"StorPoolName": "zfs"}}])
    before = [rd.name for rd in controller.cluster.list_resource_definitions()]
    used = zfs.allocated_kib
    reply = clone(http, {"name": "web2"})
    assert errors(reply) == [(signed64(C.FAIL_NOT_ENOUGH_NODES | C.MASK_CRT | C.MASK_RSC_DFN),
                              "No suitable storage pools found for cloning.")]
    assert pool(controller, "bravo", "zfs").allocated_kib == used
    assert_nothing_cloned(controller, before)


def test_skip_disk_on_a_source_resource_refuses_the_clone(http, src, controller):
    controller.cluster.modify_resource("web", "bravo", {"DrbdOptions/SkipDisk": "True"})
    before = [rd.name for rd in controller.cluster.list_resource_definitions()]
    reply = clone(http, {"name": "web2"})
    assert [t for _, t in errors(reply)] == ["Resource Node: 'bravo', Rsc: 'web' has skip-disk set, unable to clone."]
    assert_nothing_cloned(controller, before)


def test_body_fields_newer_than_the_emulated_controller_are_a_parse_error(http, src):
    resp = http.post("/v1/resource-definitions/web/clone",
                     data=json.dumps({"name": "web2", "override_props": {"a": "b"}}))
    assert resp.status_code == 500
    assert resp.get_json()[0]["message"] == "Unable to parse input json."
    assert http.get("/v1/resource-definitions/web2").status_code == 404


def test_layer_list_replaces_the_source_layers(http, controller):
    cluster = controller.cluster
    cluster.create_resource_definition("plain")
    cluster.create_volume_definition("plain", GIB)
    cluster.create_resources("plain", [{"node_name": "alpha", "props": {"StorPoolName": "thin"}}])
    reply = clone(http, {"name": "plain2", "layer_list": ["storage"]}, src_name="plain")
    assert errors(reply) == []
    copy = cluster.get_resource_definition("plain2")
    assert copy.layer_stack == ["STORAGE"] and copy.port is None
    assert cluster.get_resource("plain2", "alpha").layer_stack == ["STORAGE"]
    reply = clone(http, {"name": "plain3", "layer_list": ["nosuchlayer"]}, src_name="plain")
    assert [t for _, t in errors(reply)] == ["Given layer kind 'nosuchlayer' is invalid"]
