"""Resource definitions, volume definitions, resources, volumes, connections and DRBD proxy:
the requests the client sends and how it reads the controller's answers."""
import datetime

import pytest

import linstor
from linstor import consts
from linstor.responses import (
    ResourceConnection,
    ResourceDefinitionResponse,
    ResourceResponse,
    StorageVolumeData,
)
from tests.linstor import canned
from tests.linstor.stub import CREATED_RSC_DFN, StubTransport, connected_client, rc, signed

RD = "/v1/resource-definitions"


@pytest.fixture
def stub():
    return StubTransport()


@pytest.fixture
def lin(stub):
    return connected_client(stub)


# -- resource definitions ----------------------------------------------------------------
def test_resource_dfn_create_by_name_with_port_layers_and_group(stub, lin):
    stub.on("POST", RD, [rc(CREATED_RSC_DFN, "New resource definition 'pvc-1' created.", obj_refs={"RscDfn": "pvc-1"})],
            status=201)
    replies = lin.resource_dfn_create("pvc-1", port=7005, layer_list=["drbd", "storage"], resource_group="rg1")
    assert stub.last.body == {"resource_definition": {"name": "pvc-1", "layer_data": [{"type": "drbd"},
                                                                                       {"type": "storage"}],
                                                      "resource_group_name": "rg1"},
                              "drbd_port": 7005}
    assert replies[0].is_success() and replies[0].object_refs == {"RscDfn": "pvc-1"}


def test_resource_dfn_create_with_external_name_sends_no_name(stub, lin):
    stub.on("POST", RD, [rc(CREATED_RSC_DFN, "created", obj_refs={"RscDfn": "my_res"})], status=201)
    replies = lin.resource_dfn_create("", external_name="my res")
    assert stub.last.body == {"resource_definition": {"external_name": "my res"}}
    assert replies[0].object_refs["RscDfn"] == "my_res"


def test_resource_dfn_modify_and_delete(stub, lin):
    stub.on("PUT", RD + "/pvc-1", [rc(0x2380003, "modified")])
    stub.on("DELETE", RD + "/pvc-1", [rc(0x3380002, "deleted")])
    lin.resource_dfn_modify("pvc-1", {"Aux/a": "1"}, delete_props=["Aux/b"], peer_slots=5, resource_group="rg2")
    assert stub.last.body == {"drbd_peer_slots": 5, "override_props": {"Aux/a": "1"}, "delete_props": ["Aux/b"],
                              "resource_group": "rg2"}
    lin.resource_dfn_modify("pvc-1", {})
    assert stub.last.body == {}
    assert lin.resource_dfn_delete("pvc-1")[0].ret_code == 0x3380002
    assert stub.last[:2] == ("DELETE", RD + "/pvc-1")


def test_resource_dfn_list_query_and_parsed_definitions(stub, lin):
    stub.on("GET", RD, [canned.rsc_dfn("pvc-1", props={"Aux/x": "y", "DrbdOptions/Net/protocol": "C"}),
                        canned.rsc_dfn("ls_1", external_name="my res", vlm_dfns=[])])
    listed = lin.resource_dfn_list_raise(filter_by_resource_definitions=["pvc-1", "ls_1"],
                                         filter_by_props=["Aux/x=y"])
    assert stub.last.query == ("resource_definitions=pvc-1&resource_definitions=ls_1&with_volume_definitions=true"
                               "&props=Aux/x=y")
    first, second = listed.resource_definitions
    assert (first.name, first.external_name, second.external_name) == ("pvc-1", "", "my res")
    assert first.resource_group_name == "DfltRscGrp" and first.flags == []
    assert first.properties["Aux/x"] == "y"
    assert (first.drbd_data.port, first.drbd_data.secret) == (7000, "Gr9HdjQ3b2fWk6qhB/Zo")
    vd = first.volume_definitions[0]
    assert (vd.number, vd.size, vd.drbd_data.minor, vd.drbd_data.number) == (0, 1048576, 1000, 0)
    assert vd.drbd_data.resource_name_suffix == ""
    v0 = listed.data_v0["rsc_dfns"][0]
    assert v0["rsc_name"] == "pvc-1" and v0["rsc_dfn_port"] == 7000
    assert {"key": "Aux/x", "value": "y"} in v0["rsc_dfn_props"]
    assert v0["vlm_dfns"][0] == {"vlm_nr": 0, "vlm_size": 1048576, "vlm_dfn_uuid": vd.uuid, "vlm_minor": 1000}


def test_resource_dfn_list_without_volume_definitions(stub, lin):
    stub.on("GET", RD, [])
    assert lin.resource_dfn_list_raise(query_volume_definitions=False).resource_definitions == []
    assert stub.last.query == ""


def test_resource_dfn_list_on_old_controller_asks_per_definition():
    stub = StubTransport(rest_api_version="1.0.9")
    lin = connected_client(stub)
    rd = canned.rsc_dfn("pvc-1")
    del rd["volume_definitions"]
    stub.on("GET", RD, [rd])
    stub.on("GET", RD + "/pvc-1/volume-definitions", [canned.vlm_dfn(0, 2048)])
    listed = lin.resource_dfn_list_raise()
    assert stub.calls() == [("GET", RD), ("GET", RD + "/pvc-1/volume-definitions")]
    assert listed.resource_definitions[0].volume_definitions[0].size == 2048


def test_resource_dfn_list_raise_raises_the_controllers_error(stub, lin):
    stub.on("GET", RD, [rc(-4611686018427387904 | 998, "broken")], status=500)
    with pytest.raises(linstor.LinstorApiCallError, match="ERRO:broken"):
        lin.resource_dfn_list_raise()


def test_resource_dfn_props_list_filters_by_namespace(stub, lin):
    stub.on("GET", RD, [canned.rsc_dfn("PVC-1", props={"Aux/a": "1", "Aux/b": "2", "DrbdOptions/x": "3"})])
    assert lin.resource_dfn_props_list("pvc-1", "Aux/") == {"Aux/a": "1", "Aux/b": "2"}
    assert stub.last.query == "resource_definitions=pvc-1"
    assert lin.resource_dfn_props_list("other") == {}


# -- volume definitions ------------------------------------------------------------------
def test_volume_dfn_create_bodies(stub, lin):
    stub.on("POST", RD + "/pvc-1/volume-definitions", [rc(0x1300001, "created")], status=201)
    lin.volume_dfn_create("pvc-1", 1048576)
    assert stub.last.body == {"volume_definition": {"size_kib": 1048576}}
    lin.volume_dfn_create("pvc-1", 2048, volume_nr=1, minor_nr=1007, encrypt=True, storage_pool="thin", gross=True)
    assert stub.last.body == {"volume_definition": {"size_kib": 2048, "volume_number": 1,
                                                    "flags": ["ENCRYPTED", "GROSS_SIZE"],
                                                    "props": {"StorPoolName": "thin"}},
                              "drbd_minor_number": 1007}


def test_volume_dfn_modify_and_delete(stub, lin):
    stub.on("PUT", RD + "/pvc-1/volume-definitions/0", [rc(0x2300003, "modified")])
    stub.on("DELETE", RD + "/pvc-1/volume-definitions/0", [rc(0x3300002, "deleted")])
    lin.volume_dfn_modify("pvc-1", 0, set_properties={"Aux/a": "1"}, delete_properties=["Aux/b"], size=4096,
                          gross=True)
    assert stub.last.body == {"size_kib": 4096, "override_props": {"Aux/a": "1"}, "delete_props": ["Aux/b"],
                              "flags": ["GROSS_SIZE"]}
    lin.volume_dfn_modify("pvc-1", 0, size=0, gross=False)
    assert stub.last.body == {}
    assert lin.volume_dfn_delete("pvc-1", 0)[0].ret_code == 0x3300002


def test_gross_size_needs_rest_1_0_13():
    lin = connected_client(StubTransport(rest_api_version="1.0.12"))
    with pytest.raises(linstor.LinstorError, match="REST-API-VERSION: 1.0.12; needed 1.0.13"):
        lin.volume_dfn_create("pvc-1", 1024, gross=True)


# -- resources ---------------------------------------------------------------------------
def test_resource_create_sends_one_entry_per_resource(stub, lin):
    stub.on("POST", RD + "/pvc-1/resources", [rc(0x1340001, "created")], status=201)
    lin.resource_create([
        linstor.ResourceData("alpha", "pvc-1", storage_pool="thin", node_id=2, layer_list=["drbd", "storage"]),
        linstor.ResourceData("bravo", "pvc-1", diskless=True, drbd_diskless=True, nvme_initiator=True, active=False),
    ])
    assert stub.last.body == [
        {"resource": {"node_name": "alpha", "props": {"StorPoolName": "thin"}}, "drbd_node_id": 2,
         "layer_list": ["drbd", "storage"]},
        {"resource": {"node_name": "bravo", "flags": ["DISKLESS", "DRBD_DISKLESS", "NVME_INITIATOR", "INACTIVE"]}},
    ]


def test_resource_auto_place_body_as_the_controller_expects(stub, lin):
    stub.on("POST", RD + "/r1/autoplace", [rc(0x1340001, "placed")], status=201)
    lin.resource_auto_place("r1", 2, storage_pool="sp1")
    assert stub.last.body == {"diskless_on_remaining": False,
                              "select_filter": {"place_count": 2, "diskless_on_remaining": False,
                                                "storage_pool_list": ["sp1"]}}
    lin.resource_auto_place("r1", 3, storage_pool=["a", "b"], do_not_place_with=["x"],
                            do_not_place_with_regex="y.*", replicas_on_same=["Aux/site"],
                            replicas_on_different=["Aux/rack"], diskless_on_remaining=True,
                            layer_list=["drbd", "storage"], provider_list=["LVM_THIN"], additional_place_count=1,
                            diskless_type="DRBD_DISKLESS", diskless_storage_pool=["dl"])
    assert stub.last.body == {
        "diskless_on_remaining": True,
        "select_filter": {"place_count": 3, "additional_place_count": 1, "diskless_type": "DRBD_DISKLESS",
                          "diskless_on_remaining": True, "storage_pool_list": ["a", "b"],
                          "storage_pool_diskless_list": ["dl"], "not_place_with_rsc": ["x"],
                          "not_place_with_rsc_regex": "y.*", "replicas_on_same": ["Aux/site"],
                          "replicas_on_different": ["Aux/rack"], "layer_stack": ["drbd", "storage"],
                          "provider_list": ["LVM_THIN"]},
        "layer_list": ["drbd", "storage"],
    }


@pytest.mark.parametrize("version, kwargs", [("1.5.0", {"additional_place_count": 1}),
                                             ("1.6.0", {"diskless_storage_pool": ["dl"]}),
                                             ("1.0.15", {"storage_pool": ["a", "b"]})])
def test_auto_place_arguments_the_controller_does_not_know_are_refused(version, kwargs):
    stub = StubTransport(rest_api_version=version)
    lin = connected_client(stub)
    with pytest.raises(linstor.LinstorArgumentError):
        lin.resource_auto_place("r1", 2, **kwargs)
    assert stub.sent == []


def test_old_controller_gets_a_single_storage_pool():
    stub = StubTransport(rest_api_version="1.0.15")
    stub.on("POST", RD + "/r1/autoplace", [rc(0x1340001, "placed")], status=201)
    connected_client(stub).resource_auto_place("r1", 2, storage_pool="sp1")
    assert stub.last.body["select_filter"] == {"place_count": 2, "diskless_on_remaining": False,
                                               "storage_pool": "sp1"}


def test_create_and_auto_place_runs_three_steps(stub, lin):
    stub.on("POST", RD, [rc(CREATED_RSC_DFN, "created")], status=201)
    stub.on("POST", RD + "/r1/volume-definitions", [rc(0x1300001, "created")], status=201)
    stub.on("POST", RD + "/r1/autoplace", [rc(0x1340001, "placed")], status=201)
    replies = lin.resource_create_and_auto_place("r1", 2048, 2, storage_pool="thin", diskless_on_remaining=True)
    assert stub.calls() == [("POST", RD), ("POST", RD + "/r1/volume-definitions"), ("POST", RD + "/r1/autoplace")]
    assert stub.sent[1].body == {"volume_definition": {"size_kib": 2048, "props": {"StorPoolName": "thin"}}}
    assert stub.last.body["select_filter"]["storage_pool_list"] == ["thin"]
    assert replies[0].message == "placed"


def test_create_and_auto_place_stops_when_a_step_is_not_a_pure_success(stub, lin):
    exists = signed(consts.FAIL_EXISTS_RSC_DFN | consts.MASK_CRT | consts.MASK_RSC_DFN)
    stub.on("POST", RD, [rc(exists, "A resource definition with the name 'r1' already exists")], status=500)
    replies = lin.resource_create_and_auto_place("r1", 2048, 2)
    assert stub.calls() == [("POST", RD)]
    assert replies[0].is_error(consts.FAIL_EXISTS_RSC_DFN)


def test_resource_modify_delete_activate_deactivate_paths(stub, lin):
    path = RD + "/pvc-1/resources/alpha"
    for method, suffix in (("PUT", ""), ("DELETE", ""), ("POST", "/activate"), ("POST", "/deactivate")):
        stub.on(method, path + suffix, [rc(0x2340003, "ok")])
    lin.resource_modify("alpha", "pvc-1", {"Aux/a": "1"}, ["Aux/b"])
    assert stub.last == ("PUT", path, "", {"override_props": {"Aux/a": "1"}, "delete_props": ["Aux/b"]})
    lin.resource_delete("alpha", "pvc-1")
    lin.resource_activate("alpha", "pvc-1")
    lin.resource_deactivate("alpha", "pvc-1")
    assert stub.calls()[1:] == [("DELETE", path), ("POST", path + "/activate"), ("POST", path + "/deactivate")]
    assert stub.last.body is None


def test_activate_needs_rest_1_2_0():
    lin = connected_client(StubTransport(rest_api_version="1.1.0"))
    with pytest.raises(linstor.LinstorError, match="needed 1.2.0"):
        lin.resource_activate("alpha", "pvc-1")


@pytest.mark.parametrize("kwargs, suffix", [
    ({"diskless": True}, "/toggle-disk/diskless"),
    ({}, "/toggle-disk/diskful"),
    ({"storage_pool": "thin"}, "/toggle-disk/diskful/thin"),
    ({"migrate_from": "bravo"}, "/migrate-disk/bravo"),
    ({"migrate_from": "bravo", "storage_pool": "zfs"}, "/migrate-disk/bravo/zfs"),
])
def test_toggle_disk_paths(stub, lin, kwargs, suffix):
    path = RD + "/pvc-1/resources/alpha" + suffix
    stub.on("PUT", path, [rc(0x2340003, "toggled")])
    assert lin.resource_toggle_disk("alpha", "pvc-1", **kwargs)[0].message == "toggled"
    assert stub.last == ("PUT", path, "", None)


def test_volume_list_query_and_parsed_resources(stub, lin):
    stub.on("GET", "/v1/view/resources", [canned.resource(node="alpha", in_use=True),
                                          canned.resource(node="bravo", diskless=True, peers=("alpha",))])
    listed = lin.volume_list_raise(filter_by_nodes=["alpha", "bravo"], filter_by_stor_pools=["thin"],
                                   filter_by_resources=["pvc-1"], filter_by_props=["Aux/a=1"])
    assert stub.last.query == "nodes=alpha&nodes=bravo&storage_pools=thin&resources=pvc-1&props=Aux/a=1"
    assert isinstance(listed, ResourceResponse)
    assert listed.nodes == ["alpha", "bravo"]
    alpha, bravo = listed.resources
    assert (alpha.name, alpha.node_name, alpha.flags, bravo.flags) == ("pvc-1", "alpha", [],
                                                                       ["DRBD_DISKLESS", "DISKLESS"])
    assert alpha.properties == {"StorPoolName": "thin"}
    assert alpha.create_datetime == datetime.datetime.fromtimestamp(1700000000.123)
    layer = alpha.layer_data
    assert (layer.type, layer.name_suffix, [c.type for c in layer.children]) == ("DRBD", "", ["STORAGE"])
    drbd = layer.drbd_resource
    assert (drbd.node_id, drbd.peer_slots, drbd.al_stripes, drbd.al_size) == (0, 7, 1, 32)
    assert drbd.connections["bravo"].connected and drbd.connections["bravo"].message == "Connected"
    assert layer.children[0].drbd_resource is None
    vol = alpha.volumes[0]
    assert (vol.number, vol.storage_pool_name, vol.storage_pool_driver_name) == (0, "thin", "LVM_THIN")
    assert (vol.device_path, vol.allocated_size, vol.usable_size) == ("/dev/drbd1000", 1052, 1048576)
    assert vol.drbd_data.drbd_volume_definition.minor == 1000
    assert vol.drbd_data.backing_device == "/dev/vg/pvc-1_00000" and vol.drbd_data.meta_disk == "internal"
    assert isinstance(vol.storage_data, StorageVolumeData) and vol.luks_data is None
    assert vol.reports == [] and vol.properties["Satellite/Device/Minor"] == "1000"
    assert bravo.volumes[0].drbd_data.backing_device is None
    states = listed.resource_states
    assert [(s.rsc_name, s.node_name, s.in_use) for s in states] == [("pvc-1", "alpha", True),
                                                                      ("pvc-1", "bravo", False)]
    assert states[1].volume_states[0].disk_state == "Diskless"
    v0 = listed.data_v0
    assert v0["resource_states"][0] == {"rsc_name": "pvc-1", "node_name": "alpha", "in_use": True,
                                        "vlm_states": [{"vlm_nr": 0, "disk_state": "UpToDate"}]}
    assert v0["resources"][0]["vlms"][0] == {"stor_pool_name": "thin", "vlm_nr": 0, "vlm_uuid": vol.uuid,
                                             "device_path": "/dev/drbd1000", "vlm_minor_nr": 1000,
                                             "backing_disk": "/dev/vg/pvc-1_00000", "meta_disk": "internal",
                                             "allocated": 1052}


def test_resource_list_is_the_resource_view(stub, lin):
    stub.on("GET", "/v1/view/resources", [])
    assert lin.resource_list_raise(filter_by_nodes=["alpha"], filter_by_resources=["pvc-1"]).resources == []
    assert stub.last.query == "nodes=alpha&resources=pvc-1"
    assert isinstance(lin.resource_list()[0], ResourceResponse)


def test_resource_delete_if_diskless(stub, lin):
    view, path = "/v1/view/resources", RD + "/pvc-1/resources/bravo"
    stub.on("GET", view, [canned.resource(node="bravo", diskless=True)])
    stub.on("GET", view, [canned.resource(node="bravo")])
    stub.on("GET", view, [])
    stub.on("DELETE", path, [rc(0x3340002, "deleted")])
    assert lin.resource_delete_if_diskless("bravo", "pvc-1")[0].message == "deleted"
    assert stub.calls()[-1] == ("DELETE", path)
    kept = lin.resource_delete_if_diskless("bravo", "pvc-1")
    assert kept[0].ret_code == 0 and kept[0].message == "Resource pvc-1 not diskless on node bravo, not deleted"
    gone = lin.resource_delete_if_diskless("bravo", "pvc-1")
    assert gone[0].message == "Resource pvc-1 did not exist on node bravo"
    assert stub.calls().count(("DELETE", path)) == 1


def test_volume_modify(stub, lin):
    path = RD + "/pvc-1/resources/alpha/volumes/0"
    stub.on("PUT", path, [rc(0x22C0003, "modified")])
    lin.volume_modify("alpha", "pvc-1", 0, {"Aux/a": "1"})
    assert stub.last == ("PUT", path, "", {"override_props": {"Aux/a": "1"}})
    old = connected_client(StubTransport(rest_api_version="1.0.5"))
    with pytest.raises(linstor.LinstorError, match="needed 1.0.6"):
        old.volume_modify("alpha", "pvc-1", 0, {"Aux/a": "1"})


# -- connections and DRBD proxy ----------------------------------------------------------
def test_resource_connections(stub, lin):
    base = RD + "/pvc-1/resource-connections"
    stub.on("GET", base, [{"node_a": "alpha", "node_b": "bravo", "props": {"DrbdOptions/Net/protocol": "A"},
                           "flags": [], "port": 7010}])
    stub.on("GET", base + "/alpha/bravo", {"node_a": "alpha", "node_b": "bravo", "props": {}, "flags": []})
    stub.on("GET", base + "/alpha/charlie", [rc(-4611686018427387904 | 0x240000 | 315, "not found")], status=404)
    stub.on("PUT", base + "/alpha/bravo", [rc(0x2240003, "modified")])
    conns = lin.resource_conn_list_raise("pvc-1")
    conn = conns.resource_connections[0]
    assert (conn.node_a, conn.node_b, conn.port, conn.properties) == ("alpha", "bravo", 7010,
                                                                      {"DrbdOptions/Net/protocol": "A"})
    assert conns.data_v0 == {"rsc_connections": [{"node_name_1": "alpha", "node_name_2": "bravo", "port": 7010,
                                                  "props": [{"key": "DrbdOptions/Net/protocol", "value": "A"}]}]}
    single = lin.resource_conn_node_list_raise("pvc-1", "alpha", "bravo")
    assert isinstance(single, ResourceConnection) and single.port is None
    with pytest.raises(linstor.LinstorApiCallError):
        lin.resource_conn_node_list_raise("pvc-1", "alpha", "charlie")
    lin.resource_conn_modify("pvc-1", "alpha", "bravo", {"DrbdOptions/Net/protocol": "C"}, [])
    assert stub.last == ("PUT", base + "/alpha/bravo", "", {"override_props": {"DrbdOptions/Net/protocol": "C"}})


def test_drbd_proxy_calls(stub, lin):
    base = RD + "/pvc-1/drbd-proxy"
    stub.on("POST", base + "/enable/alpha/bravo", [rc(0x2240003, "enabled")])
    stub.on("POST", base + "/disable/alpha/bravo", [rc(0x2240003, "disabled")])
    stub.on("PUT", base, [rc(0x2380003, "modified")])
    lin.drbd_proxy_enable("pvc-1", "alpha", "bravo")
    assert stub.last.body == {}
    lin.drbd_proxy_enable("pvc-1", "alpha", "bravo", port=7700)
    assert stub.last.body == {"port": 7700}
    lin.drbd_proxy_disable("pvc-1", "alpha", "bravo")
    assert stub.last == ("POST", base + "/disable/alpha/bravo", "", None)
    lin.drbd_proxy_modify("pvc-1", {"a": "1"}, compression_property_dict={"level": "9"})
    assert stub.last.body == {"override_props": {"a": "1"}}
    lin.drbd_proxy_modify("pvc-1", compression_type="zlib", compression_property_dict={"level": "9"})
    assert stub.last.body == {"compression_type": "zlib", "compression_props": {"level": "9"}}


def test_resource_definition_response_is_registered_for_its_api_call():
    assert linstor.Linstor.APICALL2RESPONSE[consts.API_LST_RSC_DFN] is ResourceDefinitionResponse


def test_every_documented_reply_class_is_registered():
    documented = {
        "API_SINGLE_NODE_REQ": "ResourceConnection", "ExosEvents": "ExosEnclosureEventListResponse",
        "ExosExec": "ExosExecResponse", "ExosMap": "ExosMapListResponse", "LstCtrlProps": "ControllerProperties",
        "LstExosDefaults": "ExosDefaults", "LstExosEnclosures": "ExosListResponse", "LstKvs": "KeyValueStoresResponse",
        "LstNode": "NodeListResponse", "LstPhysicalStorage": "PhysicalStorageList", "LstRsc": "ResourceResponse",
        "LstRscDfn": "ResourceDefinitionResponse", "LstRscGrp": "ResourceGroupResponse",
        "LstSnapShips": "SnapshotShippingResponse", "LstSnapshotDfn": "SnapshotResponse",
        "LstStorPool": "StoragePoolListResponse", "LstStorPoolDfn": "StoragePoolDefinitionResponse",
        "LstVlm": "VolumeResponse", "LstVlmDfn": "VolumeDefinitionResponse", "LstVlmGrp": "VolumeGroupResponse",
        "QryMaxVlmSize": "MaxVolumeSizeResponse", "ReqErrorReports": "ErrorReport",
        "ReqRscConnList": "ResourceConnectionsResponse", "RptSpc": "SpaceReport", "Version": "ControllerVersion",
    }
    assert {k: v.__name__ for k, v in linstor.Linstor.APICALL2RESPONSE.items()} == documented
