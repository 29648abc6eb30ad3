"""External files over REST: registering, listing, the satellites' whitelist check, deploying on
resource definitions, deleting; with the controller's answers to bad names and contents."""
import base64
import json
from urllib.parse import quote

import pytest

from fakestor.apicallrc import signed64
from linstor import sharedconsts as C

FILE = "/etc/app/app.conf"


def url(path: str) -> str:
    return "/v1/files/" + quote(path, safe="")


def put(http, path, content, raw=None):
    data = raw if raw is not None else json.dumps({"path": path, "content": base64.b64encode(content).decode()})
    return http.put(url(path), data=data)


def codes(resp):
    return [(e["ret_code"], e["message"]) for e in resp.get_json()]


@pytest.fixture
def with_rsc(controller):
    """r1: one 1 GiB volume on alpha and bravo (pool thin)."""
    cluster = controller.cluster
    cluster.create_resource_definition("r1")
    cluster.create_volume_definition("r1", 1024 * 1024)
    cluster.create_resources("r1", [{"node_name": n, "props": {"StorPoolName": "thin"}} for n in ("alpha", "bravo")])
    return controller


# -- registering and reading ------------------------------------------------------------------
def test_put_registers_a_file_that_lists_without_content_unless_asked(http):
    resp = put(http, FILE, b"key = value\n")
    assert (resp.status_code, resp.get_json()) == (200, [])
    assert http.get("/v1/files").get_json() == [{"path": FILE}]
    listed = http.get("/v1/files?content=true").get_json()
    assert listed == [{"path": FILE, "content": base64.b64encode(b"key = value\n").decode()}]
    # only exactly "true" (any case) asks for the content, as Boolean.valueOf reads it
    assert http.get("/v1/files?content=yes").get_json() == [{"path": FILE}]


def test_list_is_sorted_by_path_and_show_matches_ignoring_case(http):
    for path in ("/etc/b.conf", "/etc/a.conf", "/opt/Z"):
        put(http, path, path.encode())
    assert [f["path"] for f in http.get("/v1/files").get_json()] == ["/etc/a.conf", "/etc/b.conf", "/opt/Z"]
    shown = http.get(url("/ETC/A.CONF"))
    assert shown.status_code == 200
    assert shown.get_json() == {"path": "/etc/a.conf", "content": base64.b64encode(b"/etc/a.conf").decode()}


def test_show_of_an_unknown_file_is_404(http):
    resp = http.get(url("/etc/none"))
    assert resp.status_code == 404
    assert codes(resp) == [(signed64(C.FAIL_UNKNOWN_ERROR), "External file '/etc/none' not found.")]


def test_put_replaces_content_and_an_empty_content_keeps_it(http, controller):
    put(http, FILE, b"one")
    uuid = controller.cluster.ext_files[FILE].uuid
    put(http, FILE, b"two")
    assert http.get(url(FILE)).get_json()["content"] == base64.b64encode(b"two").decode()
    assert put(http, FILE, b"").status_code == 200
    assert http.get(url(FILE)).get_json()["content"] == base64.b64encode(b"two").decode()
    assert controller.cluster.ext_files[FILE].uuid == uuid


def test_names_are_case_sensitive_for_writes(http):
    put(http, "/etc/X", b"upper")
    put(http, "/etc/x", b"lower")
    assert [f["path"] for f in http.get("/v1/files").get_json()] == ["/etc/X", "/etc/x"]


def test_the_name_is_url_decoded_twice_as_the_controller_does(http, controller):
    # %252F arrives as %2F after the first decoding and as / after URLDecoder; + becomes a space
    resp = http.put("/v1/files/%252Fetc%252Fa+b", data=json.dumps({"content": "eA=="}))
    assert resp.status_code == 200
    assert list(controller.cluster.ext_files) == ["/etc/a b"]


# -- refusals ---------------------------------------------------------------------------------
@pytest.mark.parametrize("path, cause", [
    ("etc/relative", "Invalid name: The path must be absolute!"),
    ("/etc/caf\u00e9", "Invalid name: The path must contain only ASCII characters"),
    ("/" + "a" * 1024, "Invalid name: Name length 1025 is greater than maximum length 1024"),
])
def test_invalid_names_are_refused_with_the_reason(http, controller, path, cause):
    resp = put(http, path, b"data")
    assert resp.status_code == 500
    [entry] = resp.get_json()
    assert entry["ret_code"] == signed64(C.FAIL_INVLD_EXT_FILE_NAME | C.MASK_MOD | C.MASK_EXT_FILES)
    assert entry["message"] == "The given external file name '%s' is invalid." % path
    assert entry["cause"] == cause
    assert entry["obj_refs"] == {"ExtFile": path}
    assert entry["error_report_ids"]  # the controller files a report
    assert controller.cluster.ext_files == {}


def test_a_new_file_needs_content(http, controller):
    resp = put(http, FILE, b"")
    assert resp.status_code == 500
    assert codes(resp) == [(signed64(C.FAIL_INVLD_EXT_FILE | C.MASK_MOD | C.MASK_EXT_FILES),
                            "The content must not be null or empty")]
    assert controller.cluster.ext_files == {}


@pytest.mark.parametrize("raw, details", [
    (json.dumps({"path": FILE, "content": "not-base64!"}), "Illegal base64 character 2d"),
    (json.dumps({"path": FILE}), None),
])
def test_undecodable_or_missing_content_is_an_unknown_error(http, controller, raw, details):
    resp = put(http, FILE, None, raw=raw)
    assert resp.status_code == 500
    [entry] = resp.get_json()
    assert (entry["ret_code"], entry["message"]) == (signed64(C.FAIL_UNKNOWN_ERROR), "An unknown error occurred.")
    assert entry.get("details") == details
    assert entry["error_report_ids"]
    assert controller.cluster.ext_files == {}


def test_unknown_body_fields_are_a_parse_error(http, controller):
    resp = http.put(url(FILE), data=json.dumps({"path": FILE, "content": "eA==", "mode": "0644"}))
    assert resp.status_code == 500
    assert resp.get_json()[0]["message"] == "Unable to parse input json."
    assert controller.cluster.ext_files == {}


def test_a_malformed_escape_in_the_name_is_an_unknown_error(http, controller):
    resp = http.put("/v1/files/%252Fetc%25zz", data=json.dumps({"content": "eA=="}))
    assert resp.status_code == 500
    [entry] = resp.get_json()
    assert entry["message"] == "An unknown error occurred."
    assert entry["details"].startswith("URLDecoder: Illegal hex characters in escape (%) pattern")
    assert controller.cluster.ext_files == {}


# -- the whitelist check ----------------------------------------------------------------------
def allowed(http, path, node):
    resp = http.get(url(path) + "/check/" + node)
    assert resp.status_code == 200
    return resp.get_json()["allowed"]


def test_check_follows_the_node_satellites_whitelist(http, controller):
    assert allowed(http, FILE, "alpha") is False  # satellites allow nothing unless started to
    controller.cluster.set_ext_file_whitelist("alpha", ["/etc/app/", "/opt"])
    assert allowed(http, FILE, "alpha") is True
    assert allowed(http, FILE, "ALPHA") is True  # node names ignore case
    assert allowed(http, FILE, "bravo") is False  # another satellite, another configuration
    assert allowed(http, "/etc/app/sub/x.conf", "alpha") is False  # only the directory itself
    assert allowed(http, "/opt/x/../y.conf", "alpha") is True  # the path is normalized first
    assert allowed(http, "/etc/app", "alpha") is False  # its parent /etc is not listed


def test_check_answers_false_for_unknown_nodes_and_bad_names(http, controller):
    controller.cluster.set_ext_file_whitelist("alpha", ["/etc/app"])
    assert allowed(http, FILE, "nosuchnode") is False
    assert allowed(http, FILE, "-bad-") is False
    assert allowed(http, "etc/app/app.conf", "alpha") is False


def test_check_does_not_need_the_file_registered(http, controller):
    controller.cluster.set_ext_file_whitelist("alpha", ["/etc/app"])
    assert controller.cluster.ext_files == {}
    assert allowed(http, FILE, "alpha") is True


def test_whitelist_control_over_http(http):
    resp = http.put("/_fakestor/nodes/alpha/ext-file-whitelist", data=json.dumps({"paths": ["/etc/app/"]}))
    assert (resp.status_code, resp.get_json()) == (200, {"paths": ["/etc/app"]})
    assert http.get("/_fakestor/nodes/ALPHA/ext-file-whitelist").get_json() == {"paths": ["/etc/app"]}
    assert allowed(http, FILE, "alpha") is True
    assert http.put("/_fakestor/nodes/alpha/ext-file-whitelist", data=json.dumps({"paths": "/etc"})).status_code == 400
    assert allowed(http, FILE, "alpha") is True


# -- deploy / undeploy ------------------------------------------------------------------------
DEPLOY_OK = signed64(C.MODIFIED | C.MASK_MOD | C.MASK_RSC_DFN)


def test_deploy_sets_the_files_property_and_each_satellite_answers(http, with_rsc):
    put(http, FILE, b"x")
    resp = http.post("/v1/resource-definitions/r1/files/" + quote(FILE, safe=""))
    assert resp.status_code == 200
    assert codes(resp) == [(DEPLOY_OK, "Deployed %s on resource 'r1' on 'alpha'" % FILE),
                           (DEPLOY_OK, "Deployed %s on resource 'r1' on 'bravo'" % FILE)]
    assert http.get("/v1/resource-definitions/r1").get_json()["props"] == {"files/etc/app/app.conf": "True"}
    resp = http.delete("/v1/resource-definitions/r1/files/" + quote(FILE, safe=""))
    assert codes(resp) == [(DEPLOY_OK, "Undeployed %s on resource 'r1' on 'alpha'" % FILE),
                           (DEPLOY_OK, "Undeployed %s on resource 'r1' on 'bravo'" % FILE)]
    assert "props" not in http.get("/v1/resource-definitions/r1").get_json()


def test_deploy_skips_offline_nodes_and_definitions_without_resources(http, with_rsc, controller):
    put(http, FILE, b"x")
    controller.cluster.set_node_online("bravo", False)
    resp = http.post("/v1/resource-definitions/r1/files/" + quote(FILE, safe=""))
    assert codes(resp) == [(DEPLOY_OK, "Deployed %s on resource 'r1' on 'alpha'" % FILE)]
    controller.cluster.create_resource_definition("empty")
    resp = http.post("/v1/resource-definitions/empty/files/" + quote(FILE, safe=""))
    assert (resp.status_code, resp.get_json()) == (200, [])
    assert controller.cluster.get_resource_definition("empty").props == {"files/etc/app/app.conf": "True"}


def test_deploy_of_an_unregistered_file_or_unknown_definition_is_404(http, with_rsc, controller):
    resp = http.post("/v1/resource-definitions/r1/files/" + quote("/etc/none", safe=""))
    assert resp.status_code == 404
    [entry] = resp.get_json()
    assert entry["ret_code"] == signed64(C.FAIL_NOT_FOUND_EXT_FILE | C.MASK_MOD | C.MASK_RSC_DFN)
    assert entry["message"] == "External file '/etc/none' not registered."
    assert entry["correction"] == "Create an external file with the name '/etc/none' first."
    put(http, FILE, b"x")
    resp = http.post("/v1/resource-definitions/nope/files/" + quote(FILE, safe=""))
    assert resp.status_code == 404
    assert resp.get_json()[0]["ret_code"] == signed64(C.FAIL_NOT_FOUND_RSC_DFN | C.MASK_MOD | C.MASK_RSC_DFN)
    assert controller.cluster.get_resource_definition("r1").props == {}


# -- delete -----------------------------------------------------------------------------------
def test_delete_undeploys_everywhere_then_removes_the_file(http, with_rsc, controller):
    put(http, FILE, b"x")
    uuid = controller.cluster.ext_files[FILE].uuid
    controller.cluster.create_resource_definition("r2")
    for rsc in ("r1", "r2"):
        http.post("/v1/resource-definitions/%s/files/%s" % (rsc, quote(FILE, safe="")))
    resp = http.delete(url(FILE))
    assert resp.status_code == 200
    base = C.MASK_MOD | C.MASK_EXT_FILES
    assert codes(resp) == [
        (signed64(base | C.DELETED), "External file: %s marked for deletion." % FILE),
        (signed64(base | C.MODIFIED), "Updated Resource definition 'r1' on 'alpha'"),
        (signed64(base | C.MODIFIED), "Updated Resource definition 'r1' on 'bravo'"),
        (signed64(base | C.DELETED), "External file: %s deleted." % FILE)]
    assert resp.get_json()[-1]["details"] == "External file: %s UUID was: %s" % (FILE, uuid)
    assert http.get("/v1/files").get_json() == []
    for rsc in ("r1", "r2"):
        assert controller.cluster.get_resource_definition(rsc).props == {}


def test_delete_of_an_unknown_file_warns(http):
    resp = http.delete(url("/etc/none"))
    assert resp.status_code == 200
    assert codes(resp) == [(signed64(C.WARN_NOT_FOUND | C.MASK_MOD | C.MASK_EXT_FILES),
                            "External file: /etc/none not found in LINSTOR database.")]


def test_files_are_part_of_the_controller_state(controller):
    cluster = controller.cluster
    cluster.set_ext_file(FILE, b"x")
    saved = cluster.copy_state()
    cluster.delete_ext_file(FILE)
    cluster.set_state(saved)
    assert [f.path for f in cluster.list_ext_files()] == [FILE]
