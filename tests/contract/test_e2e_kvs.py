"""Key-value stores end to end: our ``linstor`` client (calls and ``linstor.KV``) against the fake.

Every test runs in process and over HTTP (the ``lin`` fixture); the property test at the end
runs in process only, with a fresh controller per example.
"""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import linstor
from fakestor import Controller, create_app
from linstor import consts
from linstor.responses import KeyValueStore, KeyValueStoresResponse
from linstor.transport import WsgiTransport
from tests.contract.counting import CountingApp
from tests.contract.rc import code, codes

MODIFIED = consts.MASK_CTRL_CONF | consts.MASK_MOD | consts.MODIFIED


@pytest.fixture
def wire(checked_app):
    counter = CountingApp(checked_app.app)
    checked_app.app = counter
    return counter


def stored(lin, name):
    return lin.keyvaluestore_list(name).properties


# -- the calls -----------------------------------------------------------------------------
def test_no_instances_on_a_fresh_controller(lin):
    stores = lin.keyvaluestores()
    assert isinstance(stores, KeyValueStoresResponse)
    assert stores.instances() == []


def test_modify_creates_the_instance_and_answers_a_pure_success(lin):
    replies = lin.keyvaluestore_modify("plugin", property_dict={"a": "1", "b/c": "2"})
    assert codes(replies) == [MODIFIED]
    assert replies[0].message == "Successfully updated properties"
    # KV relies on this: the first reply must carry no info or warning bit
    assert replies[0].is_success()
    assert lin.keyvaluestores().instances() == ["plugin"]
    assert stored(lin, "plugin") == {"a": "1", "b/c": "2"}


def test_leading_slash_is_stripped_and_double_slashes_collapse(lin):
    lin.keyvaluestore_modify("plugin", property_dict={"/ns/key": "v", "//x//y": "w"})
    assert stored(lin, "plugin") == {"ns/key": "v", "x/y": "w"}
    # deleting works with or without the leading slash
    lin.keyvaluestore_modify("plugin", property_dict={"keep": "k"}, delete_props=["/ns/key", "x/y"])
    assert stored(lin, "plugin") == {"keep": "k"}


def test_set_and_delete_in_one_call_and_overwrite(lin):
    lin.keyvaluestore_modify("plugin", property_dict={"a": "1", "b": "2"})
    replies = lin.keyvaluestore_modify("plugin", property_dict={"a": "10", "c": "3"}, delete_props=["b"])
    assert codes(replies) == [MODIFIED]
    assert stored(lin, "plugin") == {"a": "10", "c": "3"}


def test_deleting_a_missing_key_is_still_a_success(lin):
    lin.keyvaluestore_modify("plugin", property_dict={"a": "1"})
    assert codes(lin.keyvaluestore_modify("plugin", delete_props=["nope"])) == [MODIFIED]
    assert stored(lin, "plugin") == {"a": "1"}


def test_instance_disappears_with_its_last_key(lin):
    lin.keyvaluestore_modify("plugin", property_dict={"a": "1"})
    lin.keyvaluestore_modify("other", property_dict={"x": "y"})
    lin.keyvaluestore_modify("plugin", delete_props=["/a"])
    assert lin.keyvaluestores().instances() == ["other"]


def test_unknown_instance_lists_as_empty(lin):
    lin.keyvaluestore_modify("other", property_dict={"x": "y"})
    kvs = lin.keyvaluestore_list("missing")
    assert isinstance(kvs, KeyValueStore)
    assert kvs.properties == {}
    assert str(kvs) == str({"name": "missing", "properties": {}})


def test_several_instances_are_listed_sorted(lin):
    for name in ("zeta", "alpha", "mid"):
        lin.keyvaluestore_modify(name, property_dict={"k": name})
    stores = lin.keyvaluestores()
    assert stores.instances() == ["alpha", "mid", "zeta"]
    assert {n: stores.instance(n).properties for n in stores.instances()} == {
        "alpha": {"k": "alpha"}, "mid": {"k": "mid"}, "zeta": {"k": "zeta"}}


@pytest.mark.parametrize("name", ["x", "a" * 49, "bad name", "1abc"])
def test_invalid_instance_name_is_refused_and_creates_nothing(lin, name):
    replies = lin.keyvaluestore_modify(name, property_dict={"a": "1"})
    assert [r.is_error() for r in replies] == [True]
    assert code(replies[0]) == consts.FAIL_INVLD_KVS_NAME
    assert name in replies[0].message
    assert lin.keyvaluestores().instances() == []


def test_too_long_key_refuses_the_whole_change(lin):
    lin.keyvaluestore_modify("plugin", property_dict={"a": "1"})
    replies = lin.keyvaluestore_modify("plugin", property_dict={"b": "2", "k" * 300: "v"}, delete_props=["a"])
    assert replies[0].is_error()
    assert code(replies[0]) == consts.FAIL_INVLD_PROP
    assert stored(lin, "plugin") == {"a": "1"}


# -- linstor.KV ----------------------------------------------------------------------------
def test_kv_namespaces_are_paths_in_the_store(lin):
    """The documented example, with what the controller ends up holding."""
    kv = linstor.KV("myKV", namespace="/foo/bar/", existing_client=lin)
    kv["key"] = "val"
    assert list(kv.items()) == [("key", "val")]
    kv.namespace = "/"
    assert list(kv.items()) == [("foo/bar/key", "val")]
    kv["foo/baz/key"] = "valbaz"
    kv.namespace = "/foo/bar"
    assert list(kv.items()) == [("key", "val")]
    assert stored(lin, "myKV") == {"foo/bar/key": "val", "foo/baz/key": "valbaz"}


@pytest.mark.parametrize("raw, normalized", [
    ("/foo/bar/", "/foo/bar/"), ("foo/bar", "/foo/bar/"), ("  //foo/bar//  ", "/foo/bar/"),
    (" / foo / ", "/foo/"), ("/", "/"), ("", "/"), (None, "/"),
])
def test_kv_namespace_property_normalizes(lin, raw, normalized):
    kv = linstor.KV("myKV", namespace=raw, existing_client=lin)
    assert kv.namespace == normalized
    kv["k"] = "v"
    assert stored(lin, "myKV") == {(normalized + "k").lstrip("/"): "v"}


def test_kv_key_slashes_and_spaces_are_trimmed(lin):
    kv = linstor.KV("myKV", namespace="/ns", existing_client=lin)
    kv[" /key/ "] = "v"
    assert stored(lin, "myKV") == {"ns/key": "v"}
    assert kv["key"] == "v" and kv["/key"] == "v"


@pytest.mark.parametrize("key, value, error", [
    (1, "v", KeyError), (b"k", "v", KeyError), (None, "v", KeyError),
    ("k", 1, ValueError), ("k", None, ValueError), ("k", b"v", ValueError),
])
def test_kv_keys_and_values_must_be_str(lin, wire, key, value, error):
    kv = linstor.KV("myKV", existing_client=lin)
    before = len(wire.requests)
    with pytest.raises(error):
        kv[key] = value
    assert len(wire.requests) == before  # refused before anything is sent
    assert dict.items(kv) == {}.items()
    assert lin.keyvaluestores().instances() == []


def test_kv_is_cached_reads_never_reach_the_controller(lin, wire):
    lin.keyvaluestore_modify("myKV", property_dict={"a": "1"})
    kv = linstor.KV("myKV", existing_client=lin)
    before = len(wire.requests)
    assert kv["a"] == "1" and "a" in kv and kv.get("a") == "1" and kv.get("zz", "d") == "d"
    assert list(kv) == ["a"] and list(kv.keys()) == ["a"] and list(kv.values()) == ["1"]
    assert list(kv.items()) == [("a", "1")] and len(kv) == 1
    assert wire.requests[before:] == []
    # a change made behind its back stays invisible: the cache was filled once
    lin.keyvaluestore_modify("myKV", property_dict={"a": "2", "b": "3"})
    assert kv["a"] == "1" and "b" not in kv
    assert linstor.KV("myKV", existing_client=lin)["a"] == "2"


def test_kv_without_rw_to_linstor_sends_nothing(lin, wire):
    lin.keyvaluestore_modify("myKV", property_dict={"present": "yes"})
    before = len(wire.requests)
    kv = linstor.KV("myKV", namespace="/ns/", rw_to_linstor=False, existing_client=lin)
    assert dict.items(kv) == {}.items()  # nothing loaded either
    kv["a"] = "1"
    kv.update({"b": "2"})
    assert kv.setdefault("c", "3") == "3"
    del kv["a"]
    assert kv.pop("b") == "2"
    kv.clear()
    assert wire.requests[before:] == []
    assert stored(lin, "myKV") == {"present": "yes"}


def test_kv_only_cached_mode_exists(lin):
    with pytest.raises(ValueError):
        linstor.KV("myKV", cached=False, existing_client=lin)


def test_kv_writes_are_forwarded_one_call_each(lin, wire):
    kv = linstor.KV("myKV", namespace="/ns/", existing_client=lin)
    before = len(wire.requests)
    kv["a"] = "1"
    kv["b"] = "2"
    del kv["a"]
    assert wire.requests[before:] == [("PUT", "/v1/key-value-store/myKV")] * 3
    assert stored(lin, "myKV") == {"ns/b": "2"}


def test_kv_every_dict_method_against_the_controller(lin):
    other = linstor.KV("myKV", namespace="/other/", existing_client=lin)
    other["keep"] = "me"
    kv = linstor.KV("myKV", namespace="/ns/", existing_client=lin)

    kv.update({"a": "1", "b": "2"}, c="3")
    assert stored(lin, "myKV") == {"ns/a": "1", "ns/b": "2", "ns/c": "3", "other/keep": "me"}
    assert kv.setdefault("a", "ignored") == "1"
    assert kv.setdefault("d", "4") == "4"
    with pytest.raises(ValueError):
        kv.setdefault("e")  # a None default cannot be stored
    assert "e" not in kv
    assert kv.get("d") == "4" and kv.get("missing") is None and kv.get("missing", "x") == "x"
    assert kv.pop("b") == "2"
    assert kv.pop("b", "gone") == "gone"
    with pytest.raises(KeyError):
        kv.pop("b")
    assert kv.popitem() == ("d", "4")  # the last one in the namespace
    with pytest.raises(KeyError):
        del kv["missing"]
    assert sorted(kv) == ["a", "c"] and sorted(kv.keys()) == ["a", "c"]
    assert sorted(kv.values()) == ["1", "3"] and sorted(kv.items()) == [("a", "1"), ("c", "3")]
    assert len(kv) == 3  # the whole store: its own two keys and the other namespace's
    assert "/other/keep" in repr(kv)
    assert stored(lin, "myKV") == {"ns/a": "1", "ns/c": "3", "other/keep": "me"}

    kv.clear()  # only the current namespace
    assert list(kv.items()) == []
    assert stored(lin, "myKV") == {"other/keep": "me"}
    with pytest.raises(KeyError):
        kv.popitem()
    other.clear()
    assert lin.keyvaluestores().instances() == []


def test_kv_clear_is_one_call(lin, wire):
    kv = linstor.KV("myKV", namespace="/ns/", existing_client=lin)
    kv.update({"a": "1", "b": "2", "c": "3"})
    before = len(wire.requests)
    kv.clear()
    assert wire.requests[before:] == [("PUT", "/v1/key-value-store/myKV")]
    kv.clear()  # nothing left: nothing sent
    assert wire.requests[before:] == [("PUT", "/v1/key-value-store/myKV")]


def test_second_kv_on_the_same_name_sees_the_first_ones_writes(lin):
    first = linstor.KV("shared", namespace="/app/", existing_client=lin)
    first["volume"] = "pvc-1"
    first["state"] = "ready"
    del first["state"]
    second = linstor.KV("shared", namespace="/app/", existing_client=lin)
    assert dict(second.items()) == {"volume": "pvc-1"}
    second.namespace = "/"
    assert dict(second.items()) == {"app/volume": "pvc-1"}
    # and writes through the second one reach a third
    second["top"] = "level"
    assert dict(linstor.KV("shared", existing_client=lin).items()) == {"app/volume": "pvc-1", "top": "level"}


def test_kv_refused_write_raises_and_keeps_the_cache(lin):
    kv = linstor.KV("myKV", existing_client=lin)
    kv["a"] = "1"
    with pytest.raises(linstor.LinstorError) as err:
        kv["k" * 300] = "v"
    assert "Could not set kv" in str(err.value)
    assert dict(kv.items()) == {"a": "1"}
    bad = linstor.KV("x", existing_client=lin)  # a name the controller refuses
    with pytest.raises(linstor.LinstorError):
        bad["a"] = "1"
    assert list(bad.items()) == []


def test_existing_client_stays_usable_after_kv_calls(lin):
    kv = linstor.KV("myKV", existing_client=lin)
    kv["a"] = "1"
    del kv["a"]
    kv["b"] = "2"
    assert lin.connected
    assert stored(lin, "myKV") == {"b": "2"}


def test_existing_client_not_yet_connected_is_connected_for_each_call(controller, checked_app):
    client = linstor.Linstor("linstor://fakestor", transport=WsgiTransport(checked_app))
    kv = linstor.KV("myKV", existing_client=client)
    kv["a"] = "1"
    assert not client.connected  # entered and left, as python-linstor does
    assert controller.read(lambda c: dict(c.find_kvs("myKV").props)) == {"a": "1"}


# -- property test: KV behaves as a plain dict per namespace, and reloads identically ---------
NAMESPACES = ["/", "/a/", "/a/b/", "/c/"]
KEYS = st.lists(st.sampled_from(["a", "b", "x", "y"]), min_size=1, max_size=2).map("/".join)
VALUES = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=6)
OPS = st.one_of(
    st.tuples(st.just("set"), st.sampled_from(NAMESPACES), KEYS, VALUES),
    st.tuples(st.just("del"), st.sampled_from(NAMESPACES), KEYS),
    st.tuples(st.just("pop"), st.sampled_from(NAMESPACES), KEYS),
    st.tuples(st.just("setdefault"), st.sampled_from(NAMESPACES), KEYS, VALUES),
    st.tuples(st.just("update"), st.sampled_from(NAMESPACES), st.dictionaries(KEYS, VALUES, max_size=3)),
    st.tuples(st.just("popitem"), st.sampled_from(NAMESPACES)),
    st.tuples(st.just("clear"), st.sampled_from(NAMESPACES)),
)


def _view(model: dict, namespace: str) -> dict:
    return {k[len(namespace):]: v for k, v in model.items() if k.startswith(namespace)}


def _apply(kv: linstor.KV, model: dict, op: tuple):
    """Runs ``op`` on the KV and on a plain dict of full keys; returns both outcomes."""
    kind, namespace = op[0], op[1]
    kv.namespace = namespace
    view = _view(model, namespace)

    def run(target, *args):
        try:
            return getattr(target, kind)(*args)
        except KeyError:
            return KeyError

    if kind == "set":
        kv[op[2]] = op[3]
        model[namespace + op[2]] = op[3]
        return None, None
    if kind == "del":
        try:
            del kv[op[2]]
            got = None
        except KeyError:
            got = KeyError
        if op[2] not in view:
            return got, KeyError
        del model[namespace + op[2]]
        return got, None
    if kind == "pop":
        got = run(kv, op[2])
        want = model.pop(namespace + op[2]) if op[2] in view else KeyError
        return got, want
    if kind == "setdefault":
        got = kv.setdefault(op[2], op[3])
        want = model.setdefault(namespace + op[2], op[3])
        return got, want
    if kind == "update":
        kv.update(op[2])
        model.update({namespace + k: v for k, v in op[2].items()})
        return None, None
    if kind == "popitem":
        got = run(kv)
        if not view:
            return got, KeyError
        key = list(view)[-1]
        return got, (key, model.pop(namespace + key))
    kv.clear()
    for key in view:
        del model[namespace + key]
    return None, None


@settings(max_examples=40, deadline=None)
@given(st.lists(OPS, max_size=12))
def test_kv_matches_a_plain_dict_and_reloads_the_same(ops):
    ctl = Controller()
    client = linstor.Linstor("linstor://fakestor", transport=WsgiTransport(create_app(ctl)))
    client.connect()
    kv = linstor.KV("prop", existing_client=client)
    model: dict = {}
    for op in ops:
        got, want = _apply(kv, model, op)
        assert got == want, op
        for namespace in NAMESPACES:
            kv.namespace = namespace
            assert dict(kv.items()) == _view(model, namespace), (op, namespace)
    # the controller holds exactly the model, without the leading "/" ...
    assert client.keyvaluestore_list("prop").properties == {k[1:]: v for k, v in model.items()}
    # ... and a fresh KV on the same name sees the same content in every namespace
    fresh = linstor.KV("prop", existing_client=client)
    assert dict(dict.items(fresh)) == model
    for namespace in NAMESPACES:
        fresh.namespace = namespace
        assert dict(fresh.items()) == _view(model, namespace)


def test_kv_by_uri_opens_its_own_connections(controller, checked_app):
    """The common way plugins use KV: a controller URI, no client of their own."""
    from fakestor.server import Server

    with Server(controller, app=checked_app) as server:
        uri = "linstor://127.0.0.1:1,%s" % server.linstor_uri.split("://", 1)[1]
        kv = linstor.KV("plugin", namespace="/volumes/", uri=uri)
        kv["pvc-1"] = "rsc-1"
        kv.update({"pvc-2": "rsc-2"})
        del kv["pvc-1"]
        again = linstor.KV("plugin", namespace="/volumes/", uri=server.linstor_uri)
        assert dict(again.items()) == {"pvc-2": "rsc-2"}
    assert controller.read(lambda c: dict(c.find_kvs("plugin").props)) == {"volumes/pvc-2": "rsc-2"}
