"""python-linstor 1.29.1 (from PyPI, unmodified) against the fake: calls 1.7.1 does not have,
and the library's own version gate reading the REST API version the fake reports."""

from fakestor import Controller, fixtures
from fakestor.server import Server
from tests.contract.compat import newer_only, run_compat

pytestmark = newer_only()


def with_resources(controller: Controller, names) -> Controller:
    """Resource definitions of one 16 MiB volume on alpha and bravo (pool thin)."""
    cluster = controller.cluster
    for name in names:
        cluster.create_resource_definition(name)
        cluster.create_volume_definition(name, 16 * 1024)
        cluster.create_resources(name, [{"node_name": node, "props": {"StorPoolName": "thin"}}
                                        for node in ("alpha", "bravo")])
    return controller


def test_snapshot_create_multi(newer_python, compat_controller, compat_server):
    with_resources(compat_controller, ["web", "db"])
    out = run_compat(newer_python, """
        def rc(replies):
            return [[r.is_error(), r.is_success()] for r in replies]

        seen = {"multi": rc(lin.snapshot_create_multi(["alpha"], ["web", "db"], "snap1")),
                "again": rc(lin.snapshot_create_multi(None, ["web"], "snap1"))}
        seen["listed"] = sorted([s.resource_name, s.name, sorted(s.nodes)]
                                for s in lin.snapshot_dfn_list_raise().snapshots)
        emit(seen)
    """, compat_server.linstor_uri)
    assert out["multi"] and not any(err for err, _ in out["multi"])
    assert any(err for err, _ in out["again"])  # the name is taken on "web"
    assert out["listed"] == [["db", "snap1", ["alpha"]], ["web", "snap1", ["alpha"]]]
    cluster = compat_controller.cluster
    assert sorted(s.name for s in cluster.snapshots_of("web")) == ["snap1"]
    assert sorted(s.name for s in cluster.snapshots_of("db")) == ["snap1"]


def test_library_version_gate_against_an_older_controller(newer_python):
    # LINSTOR 1.12.0 reports REST API 1.7.0: the library refuses resource group adjust (1.10.0)
    # and query-size-info (1.17.0) itself, without a request; older calls still work
    controller = Controller(linstor_version="1.12.0")
    fixtures.load(controller, "demo")
    with Server(controller) as server:
        out = run_compat(newer_python, """
            seen = {"api": lin.controller_version().rest_api_version}
            for call in (lambda: lin.resource_group_adjust("DfltRscGrp"),
                         lambda: lin.resource_group_query_size_info("DfltRscGrp")):
                try:
                    call()
                    seen.setdefault("refused", []).append(None)
                except linstor.LinstorError as err:
                    seen.setdefault("refused", []).append(str(err))
            seen["nodes"] = [n.name for n in lin.node_list_raise().nodes]
            emit(seen)
        """, server.linstor_uri)
    assert out["api"] == "1.7.0"
    assert out["refused"][0] and "not supported by server" in out["refused"][0]
    assert out["refused"][1] and "not supported by server" in out["refused"][1]
    assert out["nodes"] == ["alpha", "bravo", "charlie"]
