"""python-linstor 1.29.1 (from PyPI, unmodified) against ``fakestor serve``: external files
(file_list, file_show, file_modify, file_deploy, file_undeploy, file_delete) and resource
definition clones (resource_dfn_clone, resource_dfn_clone_status, resource_dfn_clone_wait_complete)."""

from fakestor import Controller
from tests.contract.compat import newer_only, run_compat

pytestmark = newer_only()


GIB = 1024 * 1024


def with_web(controller: Controller) -> Controller:
    """web: one 1 GiB volume on alpha (thin) and bravo (zfs)."""
    cluster = controller.cluster
    cluster.create_resource_definition("web")
    cluster.create_volume_definition("web", GIB)
    cluster.create_resources("web", [{"node_name": "alpha", "props": {"StorPoolName": "thin"}},
                                     {"node_name": "bravo", "props": {"StorPoolName": "zfs"}}])
    return controller


def test_external_files_lifecycle(newer_python, compat_controller, compat_server):
    with_web(compat_controller)
    out = run_compat(newer_python, """
        def rc(replies):
            return [[r.is_error(), r.message] for r in replies]

        seen = {"modify": rc(lin.file_modify("/etc/app/app.conf", b"port = 80\\n"))}
        lin.file_modify("/etc/app/other.conf", b"x")
        seen["list"] = [[f.path, f.content] for f in lin.file_list()[0].files]
        shown = lin.file_show("/etc/app/app.conf").files
        seen["show"] = [shown.path, shown.content]
        seen["deploy"] = rc(lin.file_deploy("/etc/app/app.conf", "web"))
        seen["props"] = lin.resource_dfn_list_raise(filter_by_resource_definitions=["web"]) \\
            .resource_definitions[0].properties
        seen["undeploy"] = rc(lin.file_undeploy("/etc/app/app.conf", "web"))
        seen["deploy_missing"] = rc(lin.file_deploy("/etc/app/missing.conf", "web"))
        seen["delete"] = rc(lin.file_delete("/etc/app/other.conf"))
        seen["after"] = [f.path for f in lin.file_list()[0].files]
        emit(seen)
    """, compat_server.linstor_uri)
    assert out["modify"] == []
    assert out["list"] == [["/etc/app/app.conf", None], ["/etc/app/other.conf", None]]
    assert out["show"] == ["/etc/app/app.conf", "cG9ydCA9IDgwCg=="]
    assert out["deploy"] == [[False, "Deployed /etc/app/app.conf on resource 'web' on 'alpha'"],
                             [False, "Deployed /etc/app/app.conf on resource 'web' on 'bravo'"]]
    assert out["props"]["files/etc/app/app.conf"] == "True"
    assert [err for err, _ in out["undeploy"]] == [False, False]
    assert out["deploy_missing"] == [[True, "External file '/etc/app/missing.conf' not registered."]]
    assert [m for _, m in out["delete"]] == ["External file: /etc/app/other.conf marked for deletion.",
                                             "External file: /etc/app/other.conf deleted."]
    assert out["after"] == ["/etc/app/app.conf"]
    assert compat_controller.cluster.get_resource_definition("web").props == {}


def test_clone_and_wait(newer_python, compat_controller, compat_server):
    with_web(compat_controller)
    out = run_compat(newer_python, """
        started = lin.resource_dfn_clone("web", "web2")
        seen = {"started": [started.location, started.source_name, started.clone_name],
                "errors": [m.message for m in started.messages if m.is_error()] if hasattr(started, "messages")
                else None,
                "status": str(lin.resource_dfn_clone_status("web", "web2").status),
                "done": lin.resource_dfn_clone_wait_complete("web", "web2", wait_interval=0.05, timeout=5)}
        seen["resources"] = sorted(r.node_name for r in lin.resource_list_raise(filter_by_resources=["web2"])
                                   .resources)
        try:
            lin.resource_dfn_clone_status("web", "nope")
            seen["unknown"] = None
        except linstor.LinstorError as err:
            seen["unknown"] = str(err)
        again = lin.resource_dfn_clone("web", "web2")
        seen["again"] = again.clone_name
        emit(seen)
    """, compat_server.linstor_uri)
    assert out["started"] == ["/v1/resource-definitions/web/clone/web2", "web", "web2"]
    assert out["status"].endswith("COMPLETE")
    assert out["done"] is True
    assert out["resources"] == ["alpha", "bravo"]
    assert "Cloned resource not found." in out["unknown"]
    assert out["again"] == "web2"
    web2 = compat_controller.cluster.get_resource_definition("web2")
    assert web2.props["cloned-from"] == "web"
    assert sorted(web2.resources) == sorted(compat_controller.cluster.get_resource_definition("web").resources)


def test_clone_stays_cloning_until_the_controller_clock_says_done(newer_python, compat_controller, compat_server):
    with_web(compat_controller)
    compat_controller.cluster.clone_seconds = 3600
    out = run_compat(newer_python, """
        lin.resource_dfn_clone("web", "web2")
        seen = {"status": str(lin.resource_dfn_clone_status("web", "web2").status)}
        try:
            lin.resource_dfn_clone_wait_complete("web", "web2", wait_interval=0.05, timeout=0.3)
            seen["timeout"] = None
        except linstor.LinstorTimeoutError as err:
            seen["timeout"] = str(err)
        emit(seen)
    """, compat_server.linstor_uri)
    assert out["status"].endswith("CLONING")
    assert out["timeout"].endswith("web2 resource didn't finish clone in time.")
    compat_controller.clock.advance(3600)
    assert compat_controller.cluster.clone_status("web2") == "COMPLETE"
