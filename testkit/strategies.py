"""Hypothesis strategies for LINSTOR: names valid and invalid by each object's rules, sizes,
properties, nodes, storage pools, whole clusters (as cluster-file dicts that
``fakestor.fixtures.load`` takes), select filters and volume size lists.

    from hypothesis import given
    from testkit import strategies as ls

    @given(ls.names("resource"))
    def test_any_valid_name_is_accepted(name): ...
"""
import string
from typing import Any, Dict, List, Optional, Sequence

from hypothesis import strategies as st

_LETTERS = string.ascii_letters
_DIGITS = string.digits
_ALNUM = _LETTERS + _DIGITS
_GENERIC_FIRST = _LETTERS + "_"
_GENERIC_INNER = _ALNUM + "_-"
RESERVED_RESOURCE_NAMES = ("all", "proxy")

# object kind -> (min length, max length); all follow the generic rule:
# first character [A-Za-z_], then [A-Za-z0-9_-], at least one letter
NAME_RULES = {
    "resource": (2, 48),
    "resource_group": (2, 48),
    "volume_group": (2, 48),
    "snapshot": (2, 48),
    "kvs": (2, 48),
    "storage_pool": (3, 48),
    "net_interface": (3, 32),
}
KINDS = ("node",) + tuple(NAME_RULES)
PROVIDER_KINDS = ("LVM", "LVM_THIN", "ZFS", "ZFS_THIN", "FILE", "FILE_THIN")
KIB = {"K": 1, "M": 1024, "G": 1024 ** 2, "T": 1024 ** 3}


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError("unknown kind %r (one of %s)" % (kind, ", ".join(KINDS)))


# -- names ---------------------------------------------------------------------------------------
@st.composite
def _generic_name(draw, min_len: int, max_len: int, reserved: Sequence[str] = ()) -> str:
    length = draw(st.integers(min_len, max_len))
    first = draw(st.sampled_from(_GENERIC_FIRST))
    rest = draw(st.text(_GENERIC_INNER, min_size=length - 1, max_size=length - 1))
    name = first + rest
    if not any(c in _LETTERS for c in name):
        # the rule wants a letter: put one where any character may go
        pos = draw(st.integers(0, len(name) - 1))
        name = name[:pos] + draw(st.sampled_from(_LETTERS)) + name[pos + 1:]
    if name.lower() in reserved:
        name = name + draw(st.sampled_from(_LETTERS)) if len(name) < max_len else "r" + name[1:]
    return name


@st.composite
def _label(draw, max_len: int = 20) -> str:
    length = draw(st.integers(1, max_len))
    if length == 1:
        return draw(st.sampled_from(_ALNUM))
    inner = draw(st.text(_ALNUM + "-", min_size=length - 2, max_size=length - 2))
    return draw(st.sampled_from(_ALNUM)) + inner + draw(st.sampled_from(_ALNUM))


@st.composite
def _node_name(draw) -> str:
    labels = draw(st.lists(_label(), min_size=1, max_size=3))
    name = ".".join(labels)
    if len(name) < 2:
        name += draw(st.sampled_from(_ALNUM))
    return name


def names(kind: str = "resource") -> st.SearchStrategy[str]:
    """Names the controller accepts for ``kind``: node (RFC 1123 host names), resource,
    resource_group, volume_group, snapshot, kvs, storage_pool, net_interface."""
    _check_kind(kind)
    if kind == "node":
        return _node_name()
    low, high = NAME_RULES[kind]
    return _generic_name(low, high, RESERVED_RESOURCE_NAMES if kind == "resource" else ())


def invalid_names(kind: str = "resource") -> st.SearchStrategy[str]:
    """Names the controller refuses for ``kind`` (too short or long, a bad first or inner
    character, no letter, a reserved word)."""
    _check_kind(kind)
    if kind == "node":
        return st.one_of(
            st.sampled_from(_ALNUM),  # too short
            _node_name().map(lambda n: "-" + n),
            _node_name().map(lambda n: "." + n),
            _label().map(lambda n: n + "-"),
            st.tuples(_label(), st.sampled_from("_!@#$%^&*() /:;,"), _label()).map("".join),
            st.integers(64, 80).map(lambda n: "a" * n),
        )
    low, high = NAME_RULES[kind]
    valid = names(kind)
    options = [
        st.text(_GENERIC_INNER, max_size=low - 1).filter(lambda n: len(n.encode()) < low),
        valid.map(lambda n: (n * (high // len(n) + 2))[:high + 1]),
        st.tuples(st.sampled_from(_DIGITS + "-"), valid).map(lambda t: (t[0] + t[1])[:high]),
        st.tuples(valid, st.sampled_from(".!@#$%^&*() /:;,+=")).map(lambda t: t[0][:high - 1] + t[1]),
        st.text("_-0123456789", min_size=max(low, 1), max_size=high).map(lambda n: "_" + n[1:]),
    ]
    if kind == "resource":
        options.append(st.sampled_from(RESERVED_RESOURCE_NAMES).flatmap(
            lambda w: st.sampled_from([w, w.upper(), w.capitalize()])))
    return st.one_of(options)


# -- sizes and properties -------------------------------------------------------------------------
def sizes(min_kib: int = 4096, max_kib: int = 16 * 1024 ** 3) -> st.SearchStrategy[int]:
    """Sizes in KiB, as the REST API takes them."""
    return st.integers(min_kib, max_kib)


def size_strings(min_kib: int = 1024, max_kib: int = 16 * 1024 ** 3) -> st.SearchStrategy[str]:
    """Sizes as cluster files write them: ``100G``, ``512M``, ``2T``."""
    return st.sampled_from(sorted(KIB)).flatmap(
        lambda unit: st.integers(max(1, -(-min_kib // KIB[unit])), max(1, max_kib // KIB[unit])).map(
            lambda n: "%d%s" % (n, unit)))


def volume_sizes(min_volumes: int = 1, max_volumes: int = 4, min_kib: int = 1,
                 max_kib: int = 1024 ** 3) -> st.SearchStrategy[List[int]]:
    """Lists of volume sizes in KiB (``volume_sizes`` of a spawn; the controller's minimum is 1 KiB)."""
    return st.lists(st.integers(min_kib, max_kib), min_size=min_volumes, max_size=max_volumes)


_KEY_SEGMENT = st.text(_ALNUM + "_-.", min_size=1, max_size=12).filter(lambda s: s not in (".", ".."))
_VALUE = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=40)


def property_keys(namespace: str = "Aux") -> st.SearchStrategy[str]:
    """Keys under ``namespace`` (``Aux`` keys are free-form on every object)."""
    return st.lists(_KEY_SEGMENT, min_size=1, max_size=3).map(lambda parts: "/".join([namespace] + parts))


def props(namespace: str = "Aux", max_size: int = 5, min_size: int = 0) -> st.SearchStrategy[Dict[str, str]]:
    """Property maps every object accepts (user properties under ``Aux/``)."""
    return st.dictionaries(property_keys(namespace), _VALUE, min_size=min_size, max_size=max_size)


# -- cluster files ----------------------------------------------------------------------------------
def ipv4_addresses() -> st.SearchStrategy[str]:
    return st.tuples(st.integers(1, 254), st.integers(0, 255), st.integers(0, 255), st.integers(1, 254)).map(
        lambda t: "%d.%d.%d.%d" % t)


@st.composite
def storage_pools(draw, name: Optional[str] = None, provider_kinds: Sequence[str] = PROVIDER_KINDS
                  ) -> Dict[str, Any]:
    """A storage pool as a cluster file describes it (``size`` and ``free`` as strings)."""
    total = draw(sizes(1024 ** 2, 16 * 1024 ** 3))
    free = draw(st.one_of(st.none(), st.integers(0, total)))
    pool = {"name": name or draw(names("storage_pool")), "provider_kind": draw(st.sampled_from(provider_kinds)),
            "size": "%dK" % total}
    if free is not None:
        pool["free"] = "%dK" % free
    return pool


@st.composite
def nodes(draw, name: Optional[str] = None, max_pools: int = 3,
          provider_kinds: Sequence[str] = PROVIDER_KINDS) -> Dict[str, Any]:
    """A node as a cluster file describes it, with up to ``max_pools`` storage pools."""
    pool_names = draw(st.lists(names("storage_pool"), max_size=max_pools, unique_by=str.upper).filter(
        lambda ps: all(p.upper() != "DFLTDISKLESSSTORPOOL" for p in ps)))
    return {
        "name": name or draw(names("node")),
        "address": draw(ipv4_addresses()),
        "props": draw(props(max_size=3)),
        "storage_pools": [draw(storage_pools(p, provider_kinds)) for p in pool_names],
    }


@st.composite
def clusters(draw, min_nodes: int = 1, max_nodes: int = 5, max_pools: int = 3,
             shared_pool_names: bool = True) -> Dict[str, Any]:
    """Whole clusters as dicts ``fakestor.fixtures.load`` takes. With ``shared_pool_names`` the
    nodes draw their pool names from one small set, as real clusters name pools alike."""
    node_names = draw(st.lists(names("node"), min_size=min_nodes, max_size=max_nodes, unique_by=str.upper))
    out = []
    common = draw(st.lists(names("storage_pool"), min_size=1, max_size=max_pools, unique_by=str.upper).filter(
        lambda ps: all(p.upper() != "DFLTDISKLESSSTORPOOL" for p in ps)))
    for node_name in node_names:
        node = draw(nodes(node_name, max_pools))
        if shared_pool_names:
            chosen = draw(st.lists(st.sampled_from(common), max_size=len(common), unique=True))
            node["storage_pools"] = [draw(storage_pools(p)) for p in chosen]
        out.append(node)
    return {"nodes": out}


@st.composite
def select_filters(draw, node_names: Optional[Sequence[str]] = None,
                   pool_names: Optional[Sequence[str]] = None, max_place_count: int = 3) -> Dict[str, Any]:
    """Autoplace ``select_filter`` objects (REST API 1.25.1 fields); node and pool names come from
    the given lists when there are any, so a filter can refer to a cluster's real objects."""
    flt: Dict[str, Any] = {"place_count": draw(st.integers(1, max_place_count))}
    if pool_names and draw(st.booleans()):
        flt["storage_pool_list"] = draw(st.lists(st.sampled_from(list(pool_names)), min_size=1, unique=True))
    if node_names and draw(st.booleans()):
        flt["node_name_list"] = draw(st.lists(st.sampled_from(list(node_names)), min_size=1, unique=True))
    aux_key = st.lists(_KEY_SEGMENT, min_size=1, max_size=1).map(lambda p: "Aux/" + p[0])
    if draw(st.booleans()):
        flt["replicas_on_same"] = draw(st.lists(aux_key, max_size=2, unique=True))
    if draw(st.booleans()):
        flt["replicas_on_different"] = draw(st.lists(aux_key, max_size=2, unique=True))
    if draw(st.booleans()):
        flt["not_place_with_rsc"] = draw(st.lists(names("resource"), max_size=2, unique=True))
    if draw(st.booleans()):
        flt["diskless_on_remaining"] = draw(st.booleans())
    if draw(st.booleans()):
        flt["provider_list"] = draw(st.lists(st.sampled_from(PROVIDER_KINDS), min_size=1, unique=True))
    return flt


def pvc_names() -> st.SearchStrategy[str]:
    """Resource names as Kubernetes CSI creates them: ``pvc-<uuid>``."""
    return st.uuids().map(lambda u: "pvc-%s" % u)
