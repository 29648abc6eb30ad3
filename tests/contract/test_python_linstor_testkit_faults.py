"""Each fault kind as a user of the unmodified python-linstor 1.7.1 sees it: the faults are set up
over the control API (``/_fakestor/...``) before the script runs, as a test in another process would."""
import json
import urllib.request

from linstor import consts as C


def control(server, method: str, path: str, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(server.url + path, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return resp.status, json.loads(resp.read() or b"null")


def add_fault(server, **rule) -> None:
    status, _ = control(server, "POST", "/_fakestor/faults", rule)
    assert status == 201


def signed(value: int) -> int:
    return value - (1 << 64) if value >= 1 << 63 else value


def test_an_injected_api_call_error(compat, compat_server, compat_controller):
    add_fault(compat_server, kind="error", method="POST", path="/v1/nodes", ret_code="FAIL_NOT_CONNECTED",
              message="Satellite unreachable")
    out = compat("""
        replies = lin.node_create("delta", "Satellite", "10.43.0.4")
        emit([{"ret_code": r.ret_code, "message": r.message, "error": r.is_error(),
               "not_connected": r.is_error(code=linstor.consts.FAIL_NOT_CONNECTED),
               "reports": len(r.error_report_ids)} for r in replies])
    """)
    assert out == [{"ret_code": signed(C.FAIL_NOT_CONNECTED), "message": "Satellite unreachable", "error": True,
                    "not_connected": True, "reports": 1}]
    # the faulted call reached nothing: no node delta
    assert [n.name for n in compat_controller.cluster.list_nodes()] == ["alpha", "bravo", "charlie"]


def test_an_injected_http_status(compat, compat_server):
    add_fault(compat_server, kind="status", status=503, method="GET", path="/v1/nodes")
    out = compat("""
        replies = lin.node_list()
        emit([{"ret_code": r.ret_code, "message": r.message, "error": r.is_error()} for r in replies])
    """)
    assert out == [{"ret_code": signed(C.FAIL_UNKNOWN_ERROR), "message": "HTTP 503 injected by fakestor.",
                    "error": True}]


def test_latency_beyond_the_timeout(compat, compat_server):
    add_fault(compat_server, kind="latency", latency=1.5, method="GET", path="/v1/nodes")
    out = compat("""
        slow = linstor.Linstor(URL, timeout=0.3)
        slow.connect()
        try:
            slow.node_list()
            emit("answered")
        except linstor.LinstorTimeoutError as err:
            emit(["timeout", str(err)])
    """)
    assert out == ["timeout", "Error: Socket timeout, no data received for more than 0.3s."]


def test_a_dropped_connection(compat, compat_server):
    add_fault(compat_server, kind="drop", method="GET", path="/v1/nodes")
    out = compat("""
        try:
            lin.node_list()
            emit("answered")
        except linstor.LinstorNetworkError as err:
            emit(["network", str(err)])
        # the next call on a new connection is answered again
        again = linstor.Linstor(URL)
        again.connect()
        emit(sorted(n.name for n in again.node_list_raise().nodes))
    """)
    (kind, message), nodes = out
    assert kind == "network" and message.startswith("Error: Error reading response from ")
    assert nodes == ["alpha", "bravo", "charlie"]


def test_a_truncated_body(compat, compat_server):
    add_fault(compat_server, kind="truncate", truncate_at=20, method="GET", path="/v1/nodes")
    out = compat("""
        import http.client
        try:
            lin.node_list()
            emit("answered")
        except Exception as err:
            emit([type(err).__module__ + "." + type(err).__name__, isinstance(err, linstor.LinstorError)])
    """)
    # python-linstor reads the body without catching http.client's error: the user sees it as is
    assert out == ["http.client.IncompleteRead", False]


def test_a_node_going_offline(compat, compat_server):
    control(compat_server, "POST", "/_fakestor/nodes/alpha/offline")
    out = compat("""
        pools = lin.storage_pool_list_raise(filter_by_nodes=["alpha"]).storage_pools
        emit({p.name: {"free": p.free_space.free_capacity if p.free_space else None,
                       "reports": [(r.ret_code, r.message) for r in p.reports]} for p in pools})
    """)
    not_connected = [[signed(C.WARN_NOT_CONNECTED), "No active connection to satellite 'alpha'"]]
    assert out == {"DfltDisklessStorPool": {"free": None, "reports": not_connected},
                   "thin": {"free": None, "reports": not_connected},
                   "zfs": {"free": None, "reports": not_connected}}


def test_a_pool_filling_up(compat, compat_server, compat_controller):
    status, _ = control(compat_server, "POST", "/_fakestor/nodes/alpha/storage-pools/zfs/fill", {"free": "1G"})
    assert status == 200
    out = compat("""
        lin.resource_dfn_create("big")
        lin.volume_dfn_create("big", 2 * 1024 * 1024)
        replies = lin.resource_create([linstor.ResourceData("alpha", "big", storage_pool="zfs")])
        emit([{"ret_code": r.ret_code, "message": r.message, "error": r.is_error()} for r in replies])
    """)
    assert out == [{"ret_code": signed(C.FAIL_INVLD_VLM_SIZE | C.MASK_CRT | C.MASK_RSC),
                    "message": "Not enough free space available for volume 0 of resource 'big'.", "error": True}]
    assert compat_controller.cluster.get_resource_definition("big").resources == {}
