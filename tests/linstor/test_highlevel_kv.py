"""linstor.KV: a namespaced dict whose writes go to a controller's key-value store."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import linstor
from linstor import consts
from tests.linstor.stub import MODIFIED_CTRL_CONF, StubTransport, connected_client, rc, signed


class KvsStore(StubTransport):
    """A stub that keeps key-value store instances as the controller does (leading "/" dropped)."""

    def __init__(self):
        super().__init__()
        self.instances = {}
        self.refuse = False

    def request(self, method, path, body=None, query=None):
        if path == "/v1/key-value-store" and method == "GET":
            self.on("GET", path, [{"name": n, "props": dict(p)} for n, p in self.instances.items()])
        elif path.startswith("/v1/key-value-store/") and method == "PUT":
            if self.refuse:
                self.on(method, path, [rc(signed(consts.FAIL_INVLD_PROP | consts.MASK_MOD | consts.MASK_KVS),
                                          "Invalid key.")], status=500)
            else:
                props = self.instances.setdefault(path.rsplit("/", 1)[1], {})
                for key, value in (body.get("override_props") or {}).items():
                    props[key[1:] if key.startswith("/") else key] = value
                for key in body.get("delete_props") or []:
                    props.pop(key[1:] if key.startswith("/") else key, None)
                if not props:
                    del self.instances[path.rsplit("/", 1)[1]]
                self.on(method, path, [rc(MODIFIED_CTRL_CONF, "Successfully updated properties")])
        return super().request(method, path, body, query)


@pytest.fixture
def store():
    return KvsStore()


@pytest.fixture
def lin(store):
    return connected_client(store)


def test_writes_go_to_the_controller_with_the_namespace(store, lin):
    kv = linstor.KV("kvs1", namespace="/foo/bar/", existing_client=lin)
    kv["k"] = "v"
    assert store.last == ("PUT", "/v1/key-value-store/kvs1", "", {"override_props": {"/foo/bar/k": "v"}})
    assert store.instances == {"kvs1": {"foo/bar/k": "v"}}
    assert kv["k"] == "v" and "k" in kv and kv.get("k") == "v" and kv.get("nope", "d") == "d"
    del kv["k"]
    assert store.last.body == {"delete_props": ["/foo/bar/k"]}
    assert store.instances == {} and "k" not in kv


def test_namespaces_are_unix_like_paths():
    kv = linstor.KV("kvs1", namespace="/foo/bar/", rw_to_linstor=False)
    kv["key"] = "val"
    assert list(kv.items()) == [("key", "val")]
    kv.namespace = "/"
    assert list(kv.items()) == [("foo/bar/key", "val")]
    kv["foo/baz/key"] = "valbaz"
    kv.namespace = "/foo/bar"
    assert kv.namespace == "/foo/bar/"
    assert list(kv.items()) == [("key", "val")]
    assert list(kv.keys()) == ["key"] and list(kv.values()) == ["val"] and list(kv) == ["key"]
    # len and repr show the whole store, namespaces included
    assert len(kv) == 2 and "/foo/baz/key" in repr(kv)
    for raw in ("  foo/bar  ", "foo/bar", "//foo/bar//"):
        kv.namespace = raw
        assert kv.namespace == "/foo/bar/"
    for raw in (None, "", "/", " / "):
        kv.namespace = raw
        assert kv.namespace == "/"
    kv.namespace = "/foo/bar/"
    assert kv["/key/"] == "val"  # a key's own slashes are trimmed


def test_only_str_keys_and_values(store, lin):
    kv = linstor.KV("kvs1", existing_client=lin)
    with pytest.raises(KeyError, match="must be of type str"):
        kv[1] = "x"
    with pytest.raises(ValueError, match="must be of type str"):
        kv["a"] = 1
    with pytest.raises(ValueError):
        kv.setdefault("a")
    with pytest.raises(ValueError):
        kv.update({"a": "1", "b": 2})
    assert [s.method for s in store.sent] == ["GET"] and dict.__len__(kv) == 0
    assert 1 not in kv


def test_a_second_kv_sees_the_first_ones_writes(store, lin):
    first = linstor.KV("kvs1", namespace="/app", existing_client=lin)
    first["a"] = "1"
    first.update({"b": "2"}, c="3")
    assert store.last.body == {"override_props": {"/app/b": "2", "/app/c": "3"}}
    second = linstor.KV("kvs1", existing_client=lin)
    assert dict(second.items()) == {"app/a": "1", "app/b": "2", "app/c": "3"}
    second.namespace = "/app/"
    assert second["b"] == "2"
    other = linstor.KV("kvs2", existing_client=lin)
    assert len(other) == 0


def test_clear_only_empties_the_namespace(store, lin):
    kv = linstor.KV("kvs1", existing_client=lin)
    kv.update({"x/a": "1", "x/b": "2", "y/c": "3"})
    kv.namespace = "x"
    n_sent = len(store.sent)
    kv.clear()
    assert store.sent[n_sent:] == [("PUT", "/v1/key-value-store/kvs1", "", {"delete_props": ["/x/a", "/x/b"]})]
    assert list(kv.items()) == [] and store.instances == {"kvs1": {"y/c": "3"}}
    kv.clear()  # nothing left in this namespace: no call
    assert len(store.sent) == n_sent + 1


def test_pop_popitem_setdefault(store, lin):
    kv = linstor.KV("kvs1", existing_client=lin)
    kv["a"] = "1"
    kv["b"] = "2"
    assert kv.setdefault("a", "9") == "1" and kv.setdefault("c", "3") == "3"
    assert kv.popitem() == ("c", "3")
    assert kv.pop("a") == "1" and kv.pop("a", "gone") == "gone"
    with pytest.raises(KeyError):
        kv.pop("a")
    assert kv.popitem() == ("b", "2")
    with pytest.raises(KeyError):
        kv.popitem()
    assert store.instances == {}


def test_a_refused_write_changes_nothing_locally(store, lin):
    kv = linstor.KV("kvs1", existing_client=lin)
    kv["a"] = "1"
    store.refuse = True
    with pytest.raises(linstor.LinstorError, match=r"Could not set kv\(b:2\)"):
        kv["b"] = "2"
    with pytest.raises(linstor.LinstorError, match=r"Could not delete kv\(a\)"):
        del kv["a"]
    assert dict(kv.items()) == {"a": "1"}


def test_only_cached_mode_exists():
    with pytest.raises(ValueError, match="cached=True"):
        linstor.KV("kvs1", cached=False, rw_to_linstor=False)


def test_kv_is_a_dict():
    assert isinstance(linstor.KV("kvs1", rw_to_linstor=False), dict)


# -- KV against a plain dict ---------------------------------------------------------------
# keys without leading/trailing "/" map one to one onto full keys, so a plain dict is the model
keys = st.text(alphabet="ab/c", min_size=1, max_size=4).filter(lambda k: not k.startswith("/") and
                                                                 not k.endswith("/"))
values = st.text(alphabet="xyz", max_size=3)
operations = st.lists(st.one_of(
    st.tuples(st.just("set"), keys, values),
    st.tuples(st.just("del"), keys),
    st.tuples(st.just("pop"), keys),
    st.tuples(st.just("pop_default"), keys, values),
    st.tuples(st.just("popitem")),
    st.tuples(st.just("setdefault"), keys, values),
    st.tuples(st.just("update"), st.dictionaries(keys, values, max_size=3)),
    st.tuples(st.just("clear")),
    st.tuples(st.just("get"), keys),
), max_size=25)


def _apply(target, op):
    """Runs one operation; returns its result, or the exception type it raised."""
    name, args = op[0], op[1:]
    try:
        if name == "set":
            target[args[0]] = args[1]
        elif name == "del":
            del target[args[0]]
        elif name == "pop":
            return target.pop(args[0])
        elif name == "pop_default":
            return target.pop(args[0], args[1])
        elif name == "popitem":
            return target.popitem()
        elif name == "setdefault":
            return target.setdefault(args[0], args[1])
        elif name == "update":
            target.update(args[0])
        elif name == "clear":
            target.clear()
        elif name == "get":
            return target.get(args[0]), args[0] in target
    except KeyError:
        return KeyError
    return None


@settings(max_examples=150, deadline=None)
@given(operations)
def test_kv_without_linstor_behaves_like_a_dict(ops):
    kv, model = linstor.KV("kvs1", rw_to_linstor=False), {}
    for op in ops:
        assert _apply(kv, op) == _apply(model, op)
        assert list(kv.items()) == list(model.items())
        assert len(kv) == len(model)


@settings(max_examples=100, deadline=None)
@given(operations, st.sampled_from(["/", "/ns/", "deep/er"]))
def test_kv_on_a_store_behaves_like_a_dict_and_persists(ops, namespace):
    store = KvsStore()
    lin = connected_client(store)
    kv, model = linstor.KV("kvs1", namespace=namespace, existing_client=lin), {}
    prefix = kv.namespace
    for op in ops:
        assert _apply(kv, op) == _apply(model, op)
        assert list(kv.items()) == list(model.items())
        assert store.instances.get("kvs1", {}) == {(prefix + k)[1:]: v for k, v in model.items()}
    reloaded = linstor.KV("kvs1", namespace=namespace, existing_client=lin)
    assert dict(reloaded.items()) == model
