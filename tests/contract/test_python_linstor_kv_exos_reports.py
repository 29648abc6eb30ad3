"""python-linstor 1.7.1 (from PyPI, unmodified) against the fake: ``linstor.KV``, every
``exos_*`` call and error reports."""
from linstor import consts as C

DEPRECATED = "EXOS is deprecated and will be deleted in a future LINSTOR release"


def signed(value: int) -> int:
    """A ret_code as python-linstor holds it: the JSON's signed 64-bit long."""
    return value - (1 << 64) if value >= 1 << 63 else value


def rc(value: int, message: str) -> list:
    """[ret_code, message, is_error(), is_warning()] as the library computes them: the error mask
    includes the warning bit, so every error also counts as a warning."""
    return [signed(value), message, value & C.MASK_ERROR == C.MASK_ERROR, bool(value & C.MASK_WARN)]


def deprecated(value: int, message: str) -> list:
    return [rc(value, message), rc(C.WARN_DEPRECATED, DEPRECATED)]


def test_kv_namespaces_round_trip(compat, compat_controller):
    out = compat("""
        from linstor.kv import KV

        db = KV("app", namespace="/cfg/db/", uri=URL)
        db["host"] = "db1"
        db["port"] = "5432"
        web = KV("app", namespace="cfg/web", uri=URL)
        web["host"] = "web1"
        web["a//b"] = "x"  # the controller collapses the double slash
        seen = {"db": dict(db.items()), "web": dict(web.items()), "ns": [db.namespace, web.namespace]}

        # a second KV of the same name sees every write; its namespace filters what it shows
        other = KV("app", uri=URL)
        seen["root"] = dict(other.items())
        other.namespace = "/cfg/db"
        seen["other_db"] = [dict(other.items()), other.get("port"), "host" in other, "web" in other]
        seen["raw"] = lin.keyvaluestore_list("app").properties
        seen["instances"] = lin.keyvaluestores().instances()

        seen["pop"] = [db.pop("port"), db.pop("port", "gone"), db.setdefault("user", "admin")]
        del web["host"]
        again = KV("app", namespace="cfg", uri=URL)
        seen["after_delete"] = dict(again.items())
        db.clear()
        web.clear()
        seen["cleared"] = [dict(KV("app", uri=URL).items()), lin.keyvaluestores().instances()]
        emit(seen)
    """)
    assert out == {
        "ns": ["/cfg/db/", "/cfg/web/"],
        "db": {"host": "db1", "port": "5432"},
        # the writing object keeps its own spelling in its cache ...
        "web": {"host": "web1", "a//b": "x"},
        # ... readers get the keys as the controller stored them: no leading slash, no double slash
        "root": {"cfg/db/host": "db1", "cfg/db/port": "5432", "cfg/web/host": "web1", "cfg/web/a/b": "x"},
        "other_db": [{"host": "db1", "port": "5432"}, "5432", True, False],
        "raw": {"cfg/db/host": "db1", "cfg/db/port": "5432", "cfg/web/host": "web1", "cfg/web/a/b": "x"},
        "instances": ["app"],
        "pop": ["5432", "gone", "admin"],
        "after_delete": {"db/host": "db1", "db/user": "admin", "web/a/b": "x"},
        # deleting "/cfg/web/a//b" removed "cfg/web/a/b"; the emptied store is gone
        "cleared": [{}, []],
    }
    assert compat_controller.cluster.key_value_stores == {}


def test_every_exos_call(compat, compat_controller):
    compat_controller.cluster.get_node("alpha").props.update({
        "StorDriver/Exos/enc1/A/Ports/0": "Connected", "StorDriver/Exos/enc1/B/Ports/1": "Connected"})
    out = compat("""
        def rc(replies):
            return [[r.ret_code, r.message, r.is_error(), r.is_warning()] for r in replies]

        def defaults():
            d = lin.exos_get_defaults()[0]
            return [d.username, d.username_env, d.password, d.password_env]

        seen = {"defaults": defaults()}
        # 1.7.1 always sends "unset_keys": null unless told otherwise; the controller cannot take that
        failed = lin.exos_set_defaults(username="admin", password_env="EXOS_PW")
        seen["set_null_unset"] = [rc(failed), [bool(r.error_report_ids) for r in failed], defaults()]
        seen["set"] = rc(lin.exos_set_defaults(username="admin", password_env="EXOS_PW", unset=[]))
        seen["set_defaults"] = defaults()
        seen["unset"] = rc(lin.exos_set_defaults(unset=["passwordenv"]))
        seen["unset_defaults"] = defaults()

        seen["create"] = rc(lin.exos_enclosure_create("enc1", "10.0.0.1", "10.0.0.2", username="u", password="p"))
        seen["create_dup"] = rc(lin.exos_enclosure_create("enc1", "10.0.0.1"))
        seen["modify"] = rc(lin.exos_enclosure_modify("enc1", ctrl_b_ip="10.0.0.3"))
        seen["modify_unknown"] = rc(lin.exos_enclosure_modify("nope", ctrl_a_ip="10.0.0.9"))
        encl = lin.exos_list_enclosures()[0]
        seen["list"] = [[e.name, e.ctrl_a_ip, e.ctrl_b_ip, e.health, e.health_reason] for e in encl.exos_enclosures]
        seen["list_nocache"] = [e.name for e in lin.exos_list_enclosures(nocache=True)[0].exos_enclosures]
        seen["events"] = [[e.severity, e.message] for e in lin.exos_enclosure_events("enc1", count=5)[0].exos_events]
        seen["events_unknown"] = [[e.severity, e.message]
                                  for e in lin.exos_enclosure_events("nope")[0].exos_events]
        seen["exec"] = lin.exos_exec("enc1", ["show", "system"])[0].data_v1["system"][0]["health"]
        seen["exec_unknown"] = lin.exos_exec("nope", ["show", "system"])[0].data_v1
        seen["map"] = [[c.node_name, c.enclosure_name, c.connections]
                       for c in lin.exos_map()[0].exos_connections]
        seen["delete"] = rc(lin.exos_enclosure_delete("enc1"))
        seen["delete_again"] = rc(lin.exos_enclosure_delete("enc1"))
        seen["left"] = lin.exos_list_enclosures()[0].exos_enclosures
        emit(seen)
    """)
    assert out.pop("events") == [["INFORMATIONAL", message] for message in (
        "Enclosure reconfigured by LINSTOR (controller A at 10.0.0.1, controller B at 10.0.0.3).",
        "Enclosure registered by LINSTOR (controller A at 10.0.0.1, controller B at 10.0.0.2).")]
    assert out == {
        "defaults": [None, None, None, None],
        # NullPointerException in the controller: 500, an error report, nothing stored
        "set_null_unset": [[rc(C.FAIL_UNKNOWN_ERROR, "Exception thrown.")], [True], [None, None, None, None]],
        "set": deprecated(C.MASK_SUCCESS, "Defaults successully updated"),
        "set_defaults": ["admin", None, None, "EXOS_PW"],
        "unset": deprecated(C.MASK_SUCCESS, "Defaults successully updated"),  # keys match ignoring case
        "unset_defaults": ["admin", None, None, None],
        "create": deprecated(C.MASK_SUCCESS, "Exos Enclosure enc1 successfully created"),
        "create_dup": deprecated(C.FAIL_EXISTS_EXOS_ENCLOSURE, "An Exos enclosure with the name enc1 already exists"),
        "modify": deprecated(C.MASK_SUCCESS, "Exos Enclosure enc1 successfully modified"),
        "modify_unknown": deprecated(C.FAIL_NOT_FOUND_EXOS_ENCLOSURE,
                                     "An Exos enclosure with the name nope does not exist"),
        "list": [["enc1", "10.0.0.1", "10.0.0.3", "OK", None]],
        "list_nocache": ["enc1"],
        "events_unknown": [["Linstor-ERROR", "Enclosure does not exist"]],
        "exec": "OK",
        "exec_unknown": {"Error": "Enclosure not found"},
        "map": [["alpha", "enc1", ["A0", "B1"]]],
        "delete": deprecated(C.MASK_SUCCESS, "Exos Enclosure enc1 successfully deleted"),
        "delete_again": deprecated(C.WARN_NOT_FOUND, "The Exos enclosure enc1 does not exist"),
        "left": [],
    }
    # the enclosure's keys went with it; the default user name stays
    assert [k for k in compat_controller.cluster.controller_props if k.startswith("StorDriver/Exos/")] == [
        "StorDriver/Exos/Username"]


def test_error_reports_list_and_delete(compat, compat_controller):
    compat_controller.cluster.add_satellite_error_report("bravo", "Failed to create volume", detail="lvcreate failed")
    out = compat("""
        import datetime

        def reports(**kw):
            return sorted([r.node_name, r.module, r.exception] for r in lin.error_report_list(**kw))

        # provoke two controller-side errors that file reports
        nul = lin.exos_set_defaults(username="admin")[0]
        bad = lin.resource_dfn_create("9bad")[0]
        ids = nul.error_report_ids + bad.error_report_ids
        seen = {"ids": [len(nul.error_report_ids), len(bad.error_report_ids)],
                "all": reports(),
                "controller": reports(nodes=["controller"]),
                "bravo": reports(nodes=["bravo"]),
                "since": reports(since=datetime.datetime.now() + datetime.timedelta(days=2))}
        one = lin.error_report_list(ids=[ids[1]], with_content=True)
        seen["one"] = [[r.id == ids[1], r.node_name, "9bad" in (r.text or "")] for r in one]
        seen["listed_ids"] = sorted(r.id for r in lin.error_report_list(nodes=["controller"])) == sorted(ids)
        seen["delete_one"] = [[d.message, d.is_success()] for d in lin.error_report_delete(ids=[ids[0]])]
        seen["after_one"] = reports()
        seen["delete_nothing"] = [[d.message, d.is_error()] for d in lin.error_report_delete(ids=["nope"])]
        # a filter of nodes alone deletes nothing: the reporters refuse to delete everything
        seen["delete_bravo_all"] = [d.message for d in lin.error_report_delete(nodes=["bravo"])]
        seen["delete_bravo"] = [[d.message, d.object_refs] for d in lin.error_report_delete(
            nodes=["bravo"], exception="StorageException")]
        seen["delete_rest"] = [d.message for d in lin.error_report_delete(
            to=datetime.datetime.now() + datetime.timedelta(days=1))]
        seen["left"] = reports()
        emit(seen)
    """)
    controller = "linstor-controller"
    npe = [controller, "CONTROLLER", "NullPointerException"]
    invalid_name = [controller, "CONTROLLER", "ApiRcException"]
    satellite = ["bravo", "SATELLITE", "StorageException"]
    assert out == {
        "ids": [1, 1],
        "all": sorted([satellite, npe, invalid_name]),
        "controller": sorted([npe, invalid_name]),
        "bravo": [satellite],
        "since": [],
        "one": [[True, controller, True]],
        "listed_ids": True,
        "delete_one": [["Deleted 1 error-report(s)", True]],
        "after_one": sorted([satellite, invalid_name]),
        "delete_nothing": [["No error reports deleted.", False]],
        "delete_bravo_all": ["No error reports deleted."],
        "delete_bravo": [["bravo: Deleted 1 error-report(s)", {"Node": "bravo"}]],
        "delete_rest": ["Deleted 1 error-report(s)"],
        "left": [],
    }
    assert compat_controller.cluster.count_error_reports() == 0
