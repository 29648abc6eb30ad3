"""python-linstor 1.7.1 (from PyPI, unmodified) against the fake's refusals: the HTTP status,
and what the library makes of the ApiCallRc list (is_error with and without a code, warnings,
error report ids, the ``*_raise`` variants)."""
from linstor import consts as C


def signed(value: int) -> int:
    return value - (1 << 64) if value >= 1 << 63 else value


def test_refusals_as_the_library_sees_them(compat, compat_controller):
    out = compat("""
        from linstor import sharedconsts as K

        statuses = []
        base = lin._rest_request_base

        def spy(*args, **kwargs):
            response = base(*args, **kwargs)
            statuses.append(response.status)
            return response

        lin._rest_request_base = spy

        CODES = {name: getattr(K, name) for name in (
            "FAIL_NOT_FOUND_RSC_DFN", "FAIL_NOT_FOUND_VLM_DFN", "FAIL_NOT_FOUND_NODE", "FAIL_NOT_FOUND_RSC",
            "FAIL_INVLD_RSC_NAME", "FAIL_EXISTS_NODE", "FAIL_EXISTS_RSC", "FAIL_UNKNOWN_ERROR")}

        def seen(replies):
            del statuses[:-1]
            return {"status": statuses[-1],
                    "entries": [{"ret_code": r.ret_code, "message": r.message, "error": r.is_error(),
                                 "warning": r.is_warning(), "info": r.is_info(), "success": r.is_success(),
                                 "reports": len(r.error_report_ids), "refs": r.object_refs,
                                 "matches": sorted(n for n, c in CODES.items() if r.is_error(code=c))}
                                for r in replies],
                    "no_error": linstor.Linstor.all_api_responses_no_error(replies),
                    "errors": len(linstor.Linstor.filter_api_call_response_errors(replies))}

        out = {
            "rd_missing": seen(lin.resource_dfn_modify("nope", {"Aux/x": "1"})),
            "vd_missing": seen(lin.volume_dfn_modify("nope", 0, size=1024)),
            "rsc_on_missing_node": None,
            "invalid_name": seen(lin.resource_dfn_create("9bad")),
            "node_exists": seen(lin.node_create("alpha", "Satellite", "10.43.0.9")),
            "delete_missing": seen(lin.resource_delete("alpha", "nope")),
            "unknown_path": seen(lin._rest_request("x", "GET", "/v1/no-such-thing")),
            "wrong_method": seen(lin._rest_request("x", "PATCH", "/v1/nodes")),
        }
        lin.resource_dfn_create("web")
        lin.volume_dfn_create("web", 1024)
        out["rsc_on_missing_node"] = seen(lin.resource_create([linstor.ResourceData("nope", "web")]))
        lin.resource_create([linstor.ResourceData("alpha", "web", storage_pool="thin")])
        # a second diskful create is an INFO (201), which is why Resource.activate() never sees FAIL_EXISTS_RSC
        out["rsc_again"] = seen(lin.resource_create([linstor.ResourceData("alpha", "web", storage_pool="thin")]))
        out["report_unknown"] = lin.error_report_list(ids=["00000000-00000-000000"])
        emit(out)
    """)
    def entry(code, message, refs, matches=(), reports=0):
        # the error mask contains the warning and info bits, so an error is all three to the library
        error = code & C.MASK_ERROR == C.MASK_ERROR
        return {"ret_code": signed(code), "message": message, "error": error, "warning": bool(code & C.MASK_WARN),
                "info": error or code & C.MASK_INFO == C.MASK_INFO, "success": False, "reports": reports,
                "refs": refs, "matches": sorted(matches)}

    def failed(status, *entries):
        return {"status": status, "entries": list(entries), "no_error": False, "errors": len(entries)}

    def passed(status, *entries):
        return {"status": status, "entries": list(entries), "no_error": True, "errors": 0}

    assert out == {
        # is_error(code=X) is a bit-subset test, so FAIL_NOT_FOUND_NODE's bits "match" a missing definition
        "rd_missing": failed(404, entry(C.FAIL_NOT_FOUND_RSC_DFN | C.MASK_MOD | C.MASK_RSC_DFN,
                                        "Resource definition 'nope' not found.", {"RscDfn": "nope"},
                                        ["FAIL_NOT_FOUND_RSC_DFN", "FAIL_NOT_FOUND_NODE"])),
        "vd_missing": failed(404, entry(C.FAIL_NOT_FOUND_RSC_DFN | C.MASK_MOD | C.MASK_VLM_DFN,
                                        "Resource definition 'nope' not found.", {"RscDfn": "nope", "VlmNr": "0"},
                                        ["FAIL_NOT_FOUND_RSC_DFN", "FAIL_NOT_FOUND_NODE"])),
        "rsc_on_missing_node": failed(404, entry(C.FAIL_NOT_FOUND_NODE | C.MASK_CRT | C.MASK_RSC,
                                                 "Node 'nope' not found.", {"RscDfn": "web"},
                                                 ["FAIL_NOT_FOUND_NODE"])),
        # an invalid name files an error report; not-found and exists errors do not
        "invalid_name": failed(500, entry(C.FAIL_INVLD_RSC_NAME | C.MASK_CRT | C.MASK_RSC_DFN,
                                          "The specified resource name '9bad' is invalid.", {"RscDfn": "9bad"},
                                          ["FAIL_INVLD_RSC_NAME"], reports=1)),
        "node_exists": failed(500, entry(C.FAIL_EXISTS_NODE | C.MASK_CRT | C.MASK_NODE,
                                         "Registration of node 'alpha' failed.", {"Node": "alpha"},
                                         ["FAIL_EXISTS_NODE"])),
        "delete_missing": passed(200, entry(C.WARN_NOT_FOUND | C.MASK_DEL | C.MASK_RSC,
                                            "Node: alpha, Resource: nope not found.",
                                            {"Node": "alpha", "RscDfn": "nope"})),
        # paths and methods the server does not serve still answer JSON the library can parse
        "unknown_path": failed(404, entry(C.FAIL_UNKNOWN_ERROR, "Path '/v1/no-such-thing' not found on server.", {},
                                          ["FAIL_UNKNOWN_ERROR"])),
        "wrong_method": failed(405, entry(C.FAIL_UNKNOWN_ERROR, "Method 'PATCH' not allowed on path '/v1/nodes'.",
                                          {}, ["FAIL_UNKNOWN_ERROR"])),
        "rsc_again": passed(201, entry(C.INFO_RSC_ALREADY_EXISTS | C.MASK_CRT | C.MASK_RSC,
                                       "A resource 'web' on node 'alpha' already exists.",
                                       {"RscDfn": "web"})),
        "report_unknown": [],
    }
    # only the invalid name left a trace
    assert [r.exception_message for r in compat_controller.cluster.list_error_reports(node="controller")] == [
        "The specified resource name '9bad' is invalid."]
