"""Malformed and hostile requests over HTTP: always a JSON ApiCallRc list with the controller's
code and status, never HTML or a traceback, and nothing changes."""
import json

import pytest

from fakestor.apicallrc import signed64
from linstor import sharedconsts as C
from tests.fakestor.conftest import core_state

PARSE_ERROR = signed64(C.API_CALL_PARSE_ERROR)

# (method, path, status of a parse error, error report filed) -- where the controller parses the
# body decides: async handlers 500 without report, synchronous ones 400 with one, bodies read
# outside any handler reach the exception mapper (500 with report).
ENDPOINTS = [
    ("POST", "/v1/nodes", 500, False),
    ("PUT", "/v1/nodes/alpha", 500, False),
    ("POST", "/v1/nodes/alpha/net-interfaces", 400, True),
    ("PUT", "/v1/nodes/alpha/net-interfaces/default", 400, True),
    ("POST", "/v1/storage-pool-definitions", 400, True),
    ("PUT", "/v1/storage-pool-definitions/thin", 500, True),
    ("POST", "/v1/nodes/alpha/storage-pools", 500, False),
    ("PUT", "/v1/nodes/alpha/storage-pools/thin", 500, True),
    ("POST", "/v1/controller/properties", 500, False),
    ("POST", "/v1/physical-storage/alpha", 500, False),
]

MALFORMED = {
    "truncated": b'{"name": "delta"',
    "not json": b"hello",
    "array for object": b"[1, 2]",
    "string for object": b'"text"',
    "unknown field": b'{"no_such_field": 1}',
    "empty": b"",
    "whitespace": b"  \n ",
    "invalid utf-8": b'{"name": "\xff\xfe"}',
    "NaN": b'{"no_such_field": NaN}',
}


def send(http, method, path, data=None, content_type=None):
    headers = {"Content-Type": content_type} if content_type else {}
    resp = http.open(path, method=method, data=data, headers=headers)
    assert resp.headers["Content-Type"].startswith("application/json"), resp.get_data()
    return resp.status_code, json.loads(resp.get_data())


@pytest.mark.parametrize("method, path, status, report", ENDPOINTS)
@pytest.mark.parametrize("kind", sorted(MALFORMED))
def test_malformed_bodies_are_parse_errors(http, controller, method, path, status, report, kind):
    before = core_state(controller.cluster)
    code, body = send(http, method, path, MALFORMED[kind])
    assert code == status
    assert len(body) == 1 and body[0]["ret_code"] == PARSE_ERROR
    assert body[0]["message"] == "Unable to parse input json."
    assert bool(body[0].get("error_report_ids")) is report
    assert core_state(controller.cluster) == before


@pytest.mark.parametrize("method, path, data, detail", [
    ("POST", "/v1/nodes", {"name": {"x": 1}}, "java.lang.String"),
    ("POST", "/v1/nodes", {"name": "delta", "net_interfaces": "eth0"}, "java.util.ArrayList"),
    ("POST", "/v1/nodes", {"name": "delta", "net_interfaces": [{"name": "default", "address": "10.0.0.4",
                                                                "satellite_port": 99999999999}]},
     "out of range of int"),
    ("POST", "/v1/nodes", {"name": "delta", "eviction_timestamp": 10 ** 30}, "out of range of long"),
    ("POST", "/v1/nodes", {"name": "delta", "net_interfaces": [{"satellite_port": "many"}]}, "not a valid"),
    ("PUT", "/v1/nodes/alpha", {"override_props": ["Aux/a"]}, "LinkedHashMap"),
    ("PUT", "/v1/nodes/alpha", {"delete_props": "Aux/a"}, "ArrayList"),
    ("POST", "/v1/nodes/alpha/storage-pools", {"storage_pool_name": "fast", "provider_kind": "LVM",
                                               "total_capacity": 2 ** 64}, "out of range of long"),
    ("POST", "/v1/controller/properties", {"override_props": {"Aux/a": {"deep": 1}}}, "java.lang.String"),
])
def test_wrong_types_are_parse_errors(http, controller, method, path, data, detail):
    before = core_state(controller.cluster)
    code, body = send(http, method, path, json.dumps(data).encode())
    assert code == 500 and body[0]["ret_code"] == PARSE_ERROR
    assert detail in body[0]["details"]
    assert core_state(controller.cluster) == before


def test_unknown_field_detail_names_the_field_and_class(http):
    _, body = send(http, "POST", "/v1/storage-pool-definitions", b'{"storage_pool_name": "gold", "uuid": "x"}')
    # v1.31.3's StoragePoolDefinition has no uuid: Jackson refuses it
    assert body[0]["details"].startswith('Unrecognized field "uuid" (class com.linbit.linstor.api.rest.v1.'
                                         'serializer.JsonGenTypes$StoragePoolDefinition)')


def test_scalars_are_coerced_as_jackson_does(http, controller):
    node = {"name": "delta", "type": "Satellite", "props": {"Aux/rack": 7},
            "net_interfaces": [{"name": "default", "address": "10.43.0.4", "satellite_port": "3366",
                                "satellite_encryption_type": "PLAIN"}]}
    code, body = send(http, "POST", "/v1/nodes", json.dumps(node).encode())
    assert code == 201, body
    delta = controller.cluster.get_node("delta")
    assert delta.net_interfaces["DEFAULT"].satellite_port == 3366
    assert delta.props == {"Aux/rack": "7"}


def test_body_without_content_type_is_parsed(http, controller):
    # python-linstor never sends a Content-Type
    data = json.dumps({"storage_pool_name": "gold"}).encode()
    code, _ = send(http, "POST", "/v1/storage-pool-definitions", data)
    assert code == 201
    code, _ = send(http, "POST", "/v1/storage-pool-definitions", b'{"storage_pool_name": "silver"}',
                   content_type="text/plain")
    assert code == 201
    assert {"GOLD", "SILVER"} <= set(controller.cluster.storage_pool_definitions)


def test_trailing_content_after_the_json_value_is_ignored(http, controller):
    code, _ = send(http, "POST", "/v1/storage-pool-definitions", b'{"storage_pool_name": "gold"} trailing')
    assert code == 201
    assert "GOLD" in controller.cluster.storage_pool_definitions


def test_a_null_body_fails_like_the_controller_dereferencing_it(http, controller):
    before = core_state(controller.cluster)
    code, body = send(http, "POST", "/v1/nodes", b"null")
    assert code == 500
    assert body[0]["ret_code"] == signed64(C.FAIL_UNKNOWN_ERROR)
    assert core_state(controller.cluster) == before


@pytest.mark.parametrize("name, code", [("ñode", C.FAIL_INVLD_NODE_NAME), ("节点", C.FAIL_INVLD_NODE_NAME),
                                        ("a" * 300, C.FAIL_INVLD_NODE_NAME), ("", C.FAIL_MISSING_NETCOM)])
def test_hostile_node_names(http, controller, name, code):
    before = core_state(controller.cluster)
    nics = [{"name": "default", "address": "10.43.0.4", "satellite_port": 3366,
             "satellite_encryption_type": "PLAIN"}] if code != C.FAIL_MISSING_NETCOM else []
    status, body = send(http, "POST", "/v1/nodes", json.dumps({"name": name, "net_interfaces": nics}).encode())
    assert status == 500
    assert body[0]["ret_code"] == signed64(code | C.MASK_CRT | C.MASK_NODE)
    assert core_state(controller.cluster) == before


def test_unicode_in_paths(http):
    # the name is parsed before the lookup: not a host name, so not "not found"; the controller
    # checks the UTF-8 bytes and prints the first one of 'ñ' (0xC3) as a Java char: U+FFC3
    status, body = send(http, "GET", "/v1/nodes/%C3%B1ode")
    assert status == 500
    assert body == [{"ret_code": signed64(C.FAIL_INVLD_NODE_NAME), "message": "The given node name 'ñode' is invalid.",
                     "cause": "Domain name cannot contain character '\uffc3'"}]
    status, body = send(http, "GET", "/v1/nodes/alpha/storage-pools/%C3%B1")
    assert status == 404
    assert body[0]["message"] == "Storage pool 'ñ' on node 'alpha' not found."
    status, body = send(http, "POST", "/v1/nodes/alpha/storage-pools",
                        json.dumps({"storage_pool_name": "pööl", "provider_kind": "LVM"}).encode())
    assert status == 500 and body[0]["ret_code"] == signed64(C.FAIL_INVLD_STOR_POOL_NAME)
    assert body[0]["message"] == "Invalid name: Cannot contain character 'ö'"


def test_huge_numbers_in_query_parameters_are_not_found(http):
    # Jersey cannot convert the parameter to an int and answers 404 for the path
    status, body = send(http, "GET", "/v1/nodes?limit=99999999999")
    assert status == 404
    assert body[0]["message"] == "Path '/v1/nodes' not found on server."
    assert send(http, "GET", "/v1/nodes?offset=x")[0] == 404


def test_unknown_paths_and_methods_answer_json(http):
    status, body = send(http, "GET", "/v1/nodes/alpha/nonsense")
    assert status == 404 and body[0]["ret_code"] == signed64(C.FAIL_UNKNOWN_ERROR)
    status, body = send(http, "PATCH", "/v1/nodes/alpha")
    assert status == 405 and body[0]["message"] == "Method 'PATCH' not allowed on path '/v1/nodes/alpha'."


@pytest.mark.parametrize("method, path, data", [
    ("PUT", "/v1/nodes/alpha", {"delete_props": [None]}),
    ("PUT", "/v1/nodes/alpha/storage-pools/thin", {"delete_namespaces": [None]}),
    ("POST", "/v1/controller/properties", {"delete_props": ["Aux/a", None]}),
    ("POST", "/v1/physical-storage/alpha", {"provider_kind": "LVM", "device_paths": [None]}),
])
def test_null_list_elements_fail_like_an_unhandled_exception(http, controller, method, path, data):
    # Jackson keeps the nulls; the controller trips over them (a NullPointerException)
    before = core_state(controller.cluster)
    status, body = send(http, method, path, json.dumps(data).encode())
    assert status == 500
    assert body[0]["ret_code"] == signed64(C.FAIL_UNKNOWN_ERROR) and body[0]["error_report_ids"]
    assert core_state(controller.cluster) == before


def test_null_property_value_is_refused(http, controller):
    before = core_state(controller.cluster)
    status, body = send(http, "PUT", "/v1/nodes/alpha", b'{"override_props": {"Aux/a": null}}')
    assert status == 500
    assert body[0]["message"] == "Invalid value: null"
    assert core_state(controller.cluster) == before
