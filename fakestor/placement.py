"""The autoplacer of LINSTOR 1.31.3 as a pure function of a cluster snapshot.

The input is plain data (``NodeSnap``, ``PoolSnap``, ``ExistingRsc``, ``SelectFilter``), so the
model builds a snapshot and asks; nothing here touches the cluster. The stages follow the
controller: the request's filter is merged over the resource group's, the count of replicas
to add is decided (``place``), pools are filtered, scored and selected (``select_pools``), and
the result names the pools and the nodes that get a diskless resource. ``query_max_volume_size``
runs the same selection once per storage pool definition.

Selection is the controller's depth-first search over the pools sorted by score. The
controller's outer loop that compares the sums of several searches never runs more than one
real search (the search state is not reset between its rounds), so the result is the first
complete selection of that depth-first order; the bounds used here only cut branches that
cannot complete, so they never change which selection comes out first.
"""
import heapq
import re
from dataclasses import dataclass, field, replace
from typing import Dict, FrozenSet, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

from linstor import sharedconsts as C

MAX_LONG = (1 << 63) - 1
DISKLESS_POOL = "DfltDisklessStorPool"
OVERSUBSCRIPTION_RATIO_DEFAULT = 20.0

# provider kind names the controller's parser accepts -> kind
PROVIDER_NAMES = {
    "DRBD_DISKLESS": "DISKLESS", "DRBDDISKLESS": "DISKLESS", "DISKLESS": "DISKLESS",
    "LVM": "LVM", "LVMTHIN": "LVM_THIN", "LVM_THIN": "LVM_THIN",
    "ZFS": "ZFS", "ZFSTHIN": "ZFS_THIN", "ZFS_THIN": "ZFS_THIN",
    "FILE": "FILE", "FILE_THIN": "FILE_THIN", "SPDK": "SPDK", "REMOTE_SPDK": "REMOTE_SPDK",
    "EXOS": "EXOS", "EXOS_TARGET": "EXOS", "EBS_TARGET": "EBS_TARGET", "EBS_INIT": "EBS_INIT",
    "STORAGE_SPACES": "STORAGE_SPACES", "STORAGE_SPACES_TARGET": "STORAGE_SPACES",
    "STORAGE_SPACES_THIN": "STORAGE_SPACES_THIN", "STORAGE_SPACES_THIN_TARGET": "STORAGE_SPACES_THIN",
}
# layer names the controller's parser accepts -> layer
LAYER_NAMES = {
    "DRBD": "DRBD", "CRYPT": "LUKS", "CRYPT_SETUP": "LUKS", "LUKS": "LUKS",
    "STORAGE": "STORAGE", "LVM": "STORAGE", "SPDK": "STORAGE", "ZFS": "STORAGE",
    "NVME": "NVME", "WRITECACHE": "WRITECACHE", "CACHE": "CACHE", "BCACHE": "BCACHE",
}
THIN_KINDS = frozenset({"LVM_THIN", "ZFS_THIN", "FILE_THIN", "STORAGE_SPACES_THIN"})
NO_BACKING_DEVICE = frozenset({"DISKLESS", "EBS_INIT"})
# kind -> default oversubscription ratio (DISKLESS/EBS_INIT are always infinite)
_RATIO_DEFAULTS = {k: 1.0 for k in ("EBS_TARGET", "EXOS", "FILE", "LVM", "REMOTE_SPDK", "SPDK", "ZFS",
                                    "STORAGE_SPACES")}
_RATIO_DEFAULTS.update({k: OVERSUBSCRIPTION_RATIO_DEFAULT for k in THIN_KINDS})

# a fake satellite reports this DRBD version unless a snapshot says otherwise
DEFAULT_DRBD_VERSION = (9, 2, 8)
_DISKLESS_DRBD_VERSION = (9, 1, 0)

# (strategy property name, maximize?, default weight)
STRATEGIES = (
    (C.KEY_AUTOPLACE_STRAT_WEIGHT_MAX_FREESPACE, True, 1.0),
    (C.KEY_AUTOPLACE_STRAT_WEIGHT_MIN_RESERVED_SPACE, False, 0.0),
    (C.KEY_AUTOPLACE_STRAT_WEIGHT_MIN_RSC_COUNT, False, 0.00001),
)


# -- input -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PoolSnap:
    """A storage pool as the autoplacer sees it; capacities in KiB (None: never reported)."""

    name: str
    kind: str
    free_kib: Optional[int]
    total_kib: Optional[int]
    reserved_kib: int = 0  # sum of usable sizes of its volumes plus snapshot volumes
    rsc_count: int = 0  # distinct resources with a volume in the pool
    props: Mapping[str, str] = field(default_factory=dict)
    definition_props: Mapping[str, str] = field(default_factory=dict)
    shared_space: Optional[str] = None  # shared space name; None for a pool of its own
    key: str = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "key", self.name.upper())


@dataclass(frozen=True)
class NodeSnap:
    name: str
    type: str = "SATELLITE"
    online: bool = True
    props: Mapping[str, str] = field(default_factory=dict)
    flags: FrozenSet[str] = frozenset()
    pools: Tuple[PoolSnap, ...] = ()
    # names of the (not deleting) resources the node holds, for not_place_with_rsc(_regex)
    resources: FrozenSet[str] = frozenset()
    layers: Optional[FrozenSet[str]] = None  # supported layers; None: all
    drbd_version: Optional[Tuple[int, ...]] = DEFAULT_DRBD_VERSION
    # derived once, so that a placement does not redo them for every call
    key: str = field(init=False, repr=False, compare=False)
    resources_upper: FrozenSet[str] = field(init=False, repr=False, compare=False)
    shared_names: Mapping[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "key", self.name.upper())
        object.__setattr__(self, "resources_upper", frozenset(r.upper() for r in self.resources))
        object.__setattr__(self, "shared_names", {p.name: _shared_name(self.name, p) for p in self.pools})


@dataclass(frozen=True)
class ExistingRsc:
    """A resource of the definition being placed."""

    node: str
    pool: Optional[str] = None  # the pool of its data volumes (diskless: DfltDisklessStorPool)
    diskless: bool = False
    flags: FrozenSet[str] = frozenset()  # DELETE, EVICTED, EVACUATE, TIE_BREAKER, ...
    skip_disk: bool = False  # DrbdOptions/SkipDisk is true


class PlacementError(Exception):
    """A refused placement: the entry the controller answers with (code without context masks)."""

    def __init__(self, code: int, message: str, details: Optional[str] = None, cause: Optional[str] = None,
                 report: bool = False):
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details
        self.cause = cause
        self.report = report

    def __repr__(self):
        return "PlacementError(%d, %r)" % (self.code & C.MASK_BITS_CODE, self.message)


_UNSET = object()


@dataclass(frozen=True)
class SelectFilter:
    """An AutoSelectFilter; None means "not given" (merging takes the first given value)."""

    place_count: Optional[int] = None
    additional_place_count: Optional[int] = None
    node_name_list: Optional[Tuple[str, ...]] = None
    storage_pool_list: Optional[Tuple[str, ...]] = None
    storage_pool_diskless_list: Optional[Tuple[str, ...]] = None
    not_place_with_rsc: Optional[Tuple[str, ...]] = None
    not_place_with_rsc_regex: Optional[str] = None
    replicas_on_same: Optional[Tuple[str, ...]] = None
    replicas_on_different: Optional[Tuple[str, ...]] = None
    x_replicas_on_different_map: Optional[Tuple[Tuple[str, int], ...]] = None
    layer_stack: Optional[Tuple[str, ...]] = None
    provider_list: Optional[Tuple[str, ...]] = None
    diskless_on_remaining: Optional[bool] = None
    diskless_type: Optional[str] = None
    skip_already_placed_on_nodes: Optional[Tuple[str, ...]] = None
    skip_already_placed_on_all_nodes: Optional[bool] = None

    @classmethod
    def from_json(cls, data: Optional[Mapping], *, missing_node_list_empty: bool = True) -> "SelectFilter":
        """A filter from the REST body's ``AutoSelectFilter``. The controller's JSON class gives
        ``node_name_list`` an empty list when absent (so a request never falls back to the group's
        node list); ``storage_pool`` becomes the list when the list is empty. Bad provider or layer
        names raise FAIL_INVLD_LAYER_KIND."""
        data = data or {}

        def tup(key):
            value = data.get(key)
            return None if value is None else tuple(value)

        node_list = data.get("node_name_list", [] if missing_node_list_empty else None)
        pools = tup("storage_pool_list")
        if not pools and data.get("storage_pool") is not None:
            pools = (data["storage_pool"],)
        xmap = data.get("x_replicas_on_different_map")
        return cls(
            place_count=data.get("place_count"),
            additional_place_count=data.get("additional_place_count"),
            node_name_list=None if node_list is None else tuple(node_list),
            storage_pool_list=pools,
            storage_pool_diskless_list=tup("storage_pool_diskless_list"),
            not_place_with_rsc=tup("not_place_with_rsc"),
            not_place_with_rsc_regex=data.get("not_place_with_rsc_regex"),
            replicas_on_same=tup("replicas_on_same"),
            replicas_on_different=tup("replicas_on_different"),
            x_replicas_on_different_map=None if xmap is None else tuple(xmap.items()),
            layer_stack=None if data.get("layer_stack") is None else parse_layers(data["layer_stack"]),
            provider_list=None if data.get("provider_list") is None else parse_providers(data["provider_list"]),
            diskless_on_remaining=data.get("diskless_on_remaining"),
            diskless_type=data.get("diskless_type"),
        )

    @staticmethod
    def merge(*filters: Optional["SelectFilter"]) -> "SelectFilter":
        """Field by field, the first filter that has a value wins (``AutoSelectFilterPojo.merge``)."""
        values = {}
        for name in SelectFilter.__dataclass_fields__:
            for flt in filters:
                if flt is not None and getattr(flt, name) is not None:
                    values[name] = getattr(flt, name)
                    break
        return SelectFilter(**values)

    def with_changes(self, **changes) -> "SelectFilter":
        return replace(self, **changes)


def parse_providers(names: Iterable[str]) -> Tuple[str, ...]:
    kinds = []
    for name in names:
        if name is None:
            raise PlacementError(C.FAIL_INVLD_LAYER_KIND, "Given provider kind is null.")
        kind = PROVIDER_NAMES.get(str(name).upper())
        if kind is None:
            raise PlacementError(C.FAIL_INVLD_LAYER_KIND, "Given provider kind '%s' is invalid" % name)
        kinds.append(kind)
    return tuple(kinds)


def parse_layers(names: Iterable[str]) -> Tuple[str, ...]:
    layers = []
    for name in names:
        layer = LAYER_NAMES.get(str(name).upper())
        if layer is None:
            raise PlacementError(C.FAIL_INVLD_LAYER_KIND, "Given layer kind '%s' is invalid" % name)
        layers.append(layer)
    return tuple(layers)


# -- output ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Chosen:
    node: str
    pool: str
    kind: str
    score: float


@dataclass
class Placement:
    """What an autoplace does: diskful resources in ``selected`` (ordered by node, pool), diskless
    ones on ``diskless_nodes``; ``message``/``details``/``obj_refs`` form the reply entry, whose
    code is ``code`` (CREATED, or WARN_RSC_ALREADY_DEPLOYED when nothing was to be done)."""

    selected: List[Chosen]
    diskless_nodes: List[str]
    code: int
    message: str
    details: Optional[str] = None
    obj_refs: Dict[str, str] = field(default_factory=dict)
    size_kib: int = 0

    @property
    def placed(self) -> bool:
        return self.code == C.CREATED


@dataclass(frozen=True)
class MaxSizeCandidate:
    storage_pool: str
    max_volume_size_kib: int
    node_names: Tuple[str, ...]
    all_thin: bool


# -- Java-compatible bits ------------------------------------------------------------------------
def java_double(text: str) -> float:
    """``Double.parseDouble``: blanks around, a d/f suffix, NaN and Infinity are accepted."""
    s = text.strip()
    if s.lstrip("+-") in ("NaN", "Infinity"):
        return float(s.replace("Infinity", "inf"))
    if s[-1:] in ("d", "D", "f", "F"):
        s = s[:-1]
    if not s or "_" in s or s.lstrip("+-")[:1].isalpha():
        raise ValueError(text)
    return float(s)


def _java_string_hash(s: str) -> int:
    data = s.encode("utf-16-be")
    h = 0
    for i in range(0, len(data), 2):
        h = (31 * h + int.from_bytes(data[i:i + 2], "big")) & 0xFFFFFFFF
    return h


def java_hash_order(keys: Iterable[str]) -> List[str]:
    """The iteration order of a ``java.util.HashSet``/``HashMap`` holding these strings."""
    keys = list(dict.fromkeys(keys))
    capacity = 16
    while len(keys) > capacity * 0.75:
        capacity *= 2

    def bucket(k):
        h = _java_string_hash(k)
        return (h ^ (h >> 16)) & (capacity - 1)

    return sorted(keys, key=bucket)  # stable: insertion order within a bucket


def _java_list(items: Iterable[object]) -> str:
    return "[" + ", ".join(str(i) for i in items) + "]"


def _prop(props: Mapping[str, str], key: str) -> Optional[str]:
    """A property by path as the controller reads it (leading or doubled '/' do not matter);
    keys are taken literally, no namespace (such as Aux/) is added."""
    value = props.get(key)
    if value is None and "/" in key:
        value = props.get("/".join(p for p in key.split("/") if p))
    return value


def _kind_ratio(pool: PoolSnap, controller_props: Mapping[str, str], key: str) -> Optional[float]:
    if not pool.props and not pool.definition_props and key not in controller_props:
        return None
    for props in (pool.props, pool.definition_props, controller_props):
        value = props.get(key)
        if value is not None:
            try:
                return java_double(value)
            except ValueError:
                raise PlacementError(C.FAIL_UNKNOWN_ERROR, "Unable to parse number. Property: %s. Value: %s"
                                     % (key, value), report=True)
    return None


def oversubscription_ratio(pool: PoolSnap, controller_props: Mapping[str, str]) -> float:
    """``StorPool#getOversubscriptionRatio``: pool, pool definition, controller, else per kind."""
    if pool.kind in NO_BACKING_DEVICE:
        return float("inf")
    value = _kind_ratio(pool, controller_props, C.KEY_STOR_POOL_MAX_OVERSUBSCRIPTION_RATIO)
    if value is None:
        return _RATIO_DEFAULTS.get(pool.kind, 1.0)
    return value


def _over_provisioned(space: int, ratio: float) -> int:
    if ratio != ratio:  # NaN: Java's (long) cast gives 0
        return 0
    if space == MAX_LONG or (ratio != 0 and MAX_LONG / ratio < space):
        return MAX_LONG
    return int(space * ratio)


def free_capacity_estimate(pool: PoolSnap, controller_props: Mapping[str, str],
                           oversubscribed: bool = True) -> Optional[int]:
    """min(free x free-ratio, total x total-ratio - reserved); None if the pool never reported."""
    if not oversubscribed:
        return pool.free_kib
    if pool.free_kib is None or pool.total_kib is None:
        return None
    ratio = oversubscription_ratio(pool, controller_props)
    free_ratio = _kind_ratio(pool, controller_props, C.KEY_STOR_POOL_MAX_FREE_CAPACITY_OVERSUBSCRIPTION_RATIO)
    total_ratio = _kind_ratio(pool, controller_props, C.KEY_STOR_POOL_MAX_TOTAL_CAPACITY_OVERSUBSCRIPTION_RATIO)
    free_based = _over_provisioned(pool.free_kib, ratio if free_ratio is None else free_ratio)
    total_based = _over_provisioned(pool.total_kib, ratio if total_ratio is None else total_ratio)
    return min(free_based, total_based - pool.reserved_kib)


class _ConstRatio(dict):
    """A controller-wide MaxOversubscriptionRatio: the same ratio for every kind."""

    def __init__(self, ratio: float):
        super().__init__()
        self.ratio = ratio

    def get(self, kind, default=None):
        return self.ratio


class _Estimator:
    """``free_capacity_estimate`` (0 when unknown) with the controller's ratios parsed once."""

    def __init__(self, controller_props: Mapping[str, str]):
        self.controller_props = controller_props
        self.ratios = [_kind_ratio(PoolSnap("", "LVM", None, None), controller_props, key) for key in (
            C.KEY_STOR_POOL_MAX_OVERSUBSCRIPTION_RATIO, C.KEY_STOR_POOL_MAX_FREE_CAPACITY_OVERSUBSCRIPTION_RATIO,
            C.KEY_STOR_POOL_MAX_TOTAL_CAPACITY_OVERSUBSCRIPTION_RATIO)]

    def __call__(self, pool: PoolSnap) -> int:
        if pool.props or pool.definition_props or pool.kind in NO_BACKING_DEVICE:
            value = free_capacity_estimate(pool, self.controller_props)
            return 0 if value is None else value
        if pool.free_kib is None or pool.total_kib is None:
            return 0
        ratio, free_ratio, total_ratio = self.ratios
        if ratio is None:
            ratio = _RATIO_DEFAULTS.get(pool.kind, 1.0)
        free_based = _over_provisioned(pool.free_kib, ratio if free_ratio is None else free_ratio)
        total_based = _over_provisioned(pool.total_kib, ratio if total_ratio is None else total_ratio)
        return min(free_based, total_based - pool.reserved_kib)


def _shared_name(node: str, pool: PoolSnap) -> str:
    return (pool.shared_space or "%s:%s" % (node, pool.name)).upper()


_MIXING = {
    "FILE": {"FILE", "FILE_THIN", "DISKLESS"},
    "FILE_THIN": {"FILE", "FILE_THIN", "DISKLESS"},
    "LVM": {"LVM", "EXOS", "STORAGE_SPACES", "STORAGE_SPACES_THIN"},
    "LVM_THIN": {"LVM_THIN", "STORAGE_SPACES", "STORAGE_SPACES_THIN"},
    "SPDK": {"SPDK"},
    "REMOTE_SPDK": {"REMOTE_SPDK"},
    "ZFS": {"ZFS", "ZFS_THIN", "STORAGE_SPACES", "STORAGE_SPACES_THIN"},
    "ZFS_THIN": {"ZFS", "ZFS_THIN", "STORAGE_SPACES", "STORAGE_SPACES_THIN"},
    "EXOS": {"EXOS", "LVM"},
    "EBS_INIT": {"EBS_INIT", "EBS_TARGET", "DISKLESS"},
    "EBS_TARGET": {"EBS_INIT", "EBS_TARGET", "DISKLESS"},
    "STORAGE_SPACES": {"STORAGE_SPACES", "STORAGE_SPACES_THIN", "LVM", "LVM_THIN", "ZFS", "ZFS_THIN"},
    "STORAGE_SPACES_THIN": {"STORAGE_SPACES", "STORAGE_SPACES_THIN", "LVM", "LVM_THIN", "ZFS", "ZFS_THIN"},
}
# allowed only with mixing enabled and a recent enough DRBD on both sides
_MIXING_WITH_DRBD = {
    "LVM": {"LVM_THIN", "ZFS", "ZFS_THIN"},
    "LVM_THIN": {"LVM", "ZFS", "ZFS_THIN"},
    "ZFS": {"LVM", "LVM_THIN"},
    "ZFS_THIN": {"LVM", "LVM_THIN"},
}


def drbd_supports_mixing(version: Optional[Tuple[int, ...]]) -> bool:
    """DRBD >= 9.1.18 and < 9.2.0, or >= 9.2.7."""
    if version is None:
        return False
    v = tuple(version) + (0,) * (3 - len(version))
    return (9, 1, 18) <= v < (9, 2, 0) or v >= (9, 2, 7)


def mixing_allowed(kind1: str, drbd1, kind2: str, drbd2, allow_mixing: bool) -> bool:
    """``DeviceProviderKind.isMixingAllowed`` (not symmetric: kind1 is the candidate)."""
    if kind1 == "DISKLESS":
        return True
    if kind2 in _MIXING.get(kind1, ()):
        return True
    if allow_mixing and kind2 in _MIXING_WITH_DRBD.get(kind1, ()):
        return drbd_supports_mixing(drbd1) and drbd_supports_mixing(drbd2)
    return False


# -- scoring -----------------------------------------------------------------------------------
def strategy_weights(controller_props: Mapping[str, str]) -> List[float]:
    """Weights of MaxFreeSpace, MinReservedSpace, MinRscCount (minimized ones negated)."""
    weights = []
    for name, maximize, default in STRATEGIES:
        raw = controller_props.get("%s/%s" % (C.NAMESPC_AUTOPLACER_WEIGHTS, name))
        if raw is None:
            value = default
        else:
            try:
                value = java_double(raw)
            except ValueError:
                value = 1.0  # the controller reports the parse error and uses 1.0
        weights.append(value if maximize else -value)
    return weights


def score_pools(pools: Sequence[Tuple[NodeSnap, PoolSnap]], controller_props: Mapping[str, str]) -> List[float]:
    """The weighted, normalized sum of the strategies for each pool (``StrategyHandler#rate``).
    Each value is divided by the largest non-zero value of its strategy, then weighted; the
    sums are built in the controller's strategy order so the doubles come out the same."""
    weights = strategy_weights(controller_props)
    scores = [0.0] * len(pools)
    for column, weight in enumerate(weights):
        if weight == 0.0:
            continue  # adds (+/-)0.0, which changes no score
        if column == 0:
            values = [p.free_kib or 0 for _, p in pools]
        elif column == 1:
            values = [p.reserved_kib if p.kind not in NO_BACKING_DEVICE else 0 for _, p in pools]
        else:
            values = [p.rsc_count for _, p in pools]
        highest = max(values, default=0)
        if highest > 0:
            # int / float converts the int to a double first, as Java does
            highest = float(highest)
            scores = [score + (value / highest) * weight for score, value in zip(scores, values)]
        else:
            scores = [score + value * weight for score, value in zip(scores, values)]
    return scores


# -- the filter (StorPoolFilter) ---------------------------------------------------------------
def _deployed_props_for_filter(existing, nodes_by_key, skip_upper, skip_all):
    if skip_all:
        return []
    out = []
    for rsc in existing:
        node = nodes_by_key.get(rsc.node.upper())
        if node is None or rsc.node.upper() in skip_upper:
            continue
        if rsc.flags & {"EVACUATE", "EVICTED"} or node.flags & {"EVACUATE", "EVICTED"}:
            continue
        out.append(node.props)
    return out


def _undecidable(key: str, shown: str) -> PlacementError:
    return PlacementError(
        C.FAIL_UNDECIDABLE_AUTOPLACMENT,
        "The property in --replicas-on-same '%s' is already set on already deployed nodes with different "
        "values. Autoplacer cannot decide which value to continue with. Linstor found the following "
        "conflicting values: %s" % (key, shown), report=True)


def _fixed_same(entries, deployed_props) -> Dict[str, Optional[str]]:
    out: Dict[str, Optional[str]] = {}
    for entry in entries or ():
        key, sep, value = entry.partition("=")
        if sep:
            out[key] = value
            continue
        values = list(dict.fromkeys(v for v in (_prop(p, key) for p in deployed_props) if v is not None))
        if len(values) > 1:
            raise _undecidable(key, _java_list(java_hash_order(values)))
        out[key] = values[0] if values else None
    return out


def _fixed_different(entries, deployed_props, xmap: Mapping[str, int]) -> Dict[str, Dict[str, int]]:
    out: Dict[str, Dict[str, int]] = {}
    pending = dict(xmap)

    def process(key, avoid):
        used = out.setdefault(key, {})
        if avoid is not None:
            used[avoid] = 0
        for props in deployed_props:
            value = _prop(props, key)
            if value is not None:
                remaining = used.get(value)
                if remaining is None:
                    remaining = xmap.get(key, 1)
                used[value] = remaining - 1

    for entry in entries or ():
        key, sep, value = entry.partition("=")
        process(key, value if sep else None)
        pending.pop(key, None)
    for key in pending:
        process(key, None)
    return out


def _effective_layers(flt: SelectFilter) -> Tuple[Optional[Tuple[str, ...]], Optional[Tuple[str, ...]]]:
    """Layer and provider lists after the diskless-type rules of the filter."""
    layers, providers = flt.layer_stack, flt.provider_list
    dtype = flt.diskless_type
    if dtype == "NVME_INITIATOR":
        if not layers or "NVME" not in layers:
            raise PlacementError(C.FAIL_INVLD_LAYER_STACK, "You have to specify a --layer-list containing at "
                                 "least 'nvme' when autoplacing an nvme-initiator", report=True)
        layers = layers[layers.index("NVME"):]
    elif dtype == "DRBD_DISKLESS":
        if not layers or "DRBD" not in layers:
            layers = ("DRBD",) + tuple(layers or ())
    elif dtype == "EBS_INITIATOR":
        if not providers or "EBS_INIT" not in providers:
            providers = tuple(providers or ()) + ("EBS_INIT",)
    return layers, providers


def filter_pools(nodes: Sequence[NodeSnap], flt: SelectFilter, size_kib: int,
                 existing: Sequence[ExistingRsc], controller_props: Mapping[str, str],
                 has_rsc_dfn: bool = True) -> List[Tuple[NodeSnap, PoolSnap]]:
    """The pools that may take a replica (``StorPoolFilter``)."""
    diskful = flt.diskless_type is None
    nodes_by_key = {n.name.upper(): n for n in nodes}
    skip_upper = {n.upper() for n in flt.skip_already_placed_on_nodes or ()}
    skip_all = bool(flt.skip_already_placed_on_all_nodes)
    deployed = _deployed_props_for_filter(existing, nodes_by_key, skip_upper, skip_all) if has_rsc_dfn else []

    node_names = {n.upper() for n in flt.node_name_list} if flt.node_name_list else None
    pool_list = flt.storage_pool_list if diskful else flt.storage_pool_diskless_list
    pool_names = {p.upper() for p in pool_list} if pool_list else None
    avoid_names = {n.upper() for n in flt.not_place_with_rsc} if flt.not_place_with_rsc else None
    regex = None
    if flt.not_place_with_rsc_regex is not None:
        try:
            regex = re.compile(flt.not_place_with_rsc_regex, re.IGNORECASE)
        except re.error as err:
            raise PlacementError(C.FAIL_UNKNOWN_ERROR, "Invalid regular expression '%s': %s"
                                 % (flt.not_place_with_rsc_regex, err), report=True)
    same = _fixed_same(flt.replicas_on_same, deployed)
    different = _fixed_different(flt.replicas_on_different, deployed, dict(flt.x_replicas_on_different_map or ()))
    layers, providers = _effective_layers(flt)
    provider_set = set(providers) if providers else None
    ctrl_target = controller_props.get(C.KEY_AUTOPLACE_ALLOW_TARGET)

    estimate = _Estimator(controller_props)
    os_ratio, free_ratio, total_ratio = estimate.ratios
    kind_ratio = dict(_RATIO_DEFAULTS) if os_ratio is None else {}
    fixed_ratios = None
    if os_ratio is None or os_ratio == os_ratio and os_ratio > 0:
        fixed_ratios = (free_ratio, total_ratio)
        if os_ratio is not None:
            kind_ratio = _ConstRatio(os_ratio)
    if any(r is not None and not (r == r and r > 0) for r in (free_ratio, total_ratio)):
        fixed_ratios = None  # odd ratios (0, negative, NaN) take the general path
    check_node = bool(node_names is not None or same or different or layers or avoid_names or regex is not None
                      or ctrl_target is not None)
    target_key = C.KEY_AUTOPLACE_ALLOW_TARGET
    out = []
    for node in nodes:
        if not node.online:
            continue
        if check_node or node.props:
            if not _node_matches(node, node_names, same, different, ctrl_target, layers, avoid_names, regex,
                                 skip_all, skip_upper):
                continue
        elif "EVACUATE" in node.flags:
            continue
        for pool in node.pools:
            if (pool.kind not in NO_BACKING_DEVICE) != diskful:
                continue
            if pool_names is not None and pool.key not in pool_names:
                continue
            if provider_set is not None and pool.kind not in provider_set:
                continue
            if diskful:
                if pool.props or pool.definition_props or fixed_ratios is None:
                    if estimate(pool) < size_kib:
                        continue
                else:
                    # the common case inlined: no ratio props on the pool or its definition
                    free, total = pool.free_kib, pool.total_kib
                    if free is None or total is None:
                        if size_kib > 0:
                            continue
                    else:
                        ratio = kind_ratio.get(pool.kind, 1.0)
                        fr = ratio if fixed_ratios[0] is None else fixed_ratios[0]
                        tr = ratio if fixed_ratios[1] is None else fixed_ratios[1]
                        free_based = int(free * fr) if fr == 1.0 or free * fr < MAX_LONG else \
                            _over_provisioned(free, fr)
                        total_based = int(total * tr) if tr == 1.0 or total * tr < MAX_LONG else \
                            _over_provisioned(total, tr)
                        if min(free_based, total_based - pool.reserved_kib) < size_kib:
                            continue
            if pool.props:
                target = pool.props.get(target_key)
                if target is not None and target.lower() == "false":
                    continue
            out.append((node, pool))
    return out


def _node_matches(node, node_names, same, different, ctrl_target, layers, avoid_names, regex, skip_all,
                  skip_upper) -> bool:
    # the DELETE check is overwritten by the EVACUATE check in the controller: only EVACUATE counts
    if "EVACUATE" in node.flags:
        return False
    if node_names is not None and node.key not in node_names:
        return False
    for key, wanted in same.items():
        value = _prop(node.props, key)
        if value is None or (wanted is not None and value != wanted):
            return False
    for key, remaining in different.items():
        value = _prop(node.props, key)
        if value is not None and value in remaining and remaining[value] <= 0:
            return False
    # node props come before controller props
    target = node.props.get(C.KEY_AUTOPLACE_ALLOW_TARGET, ctrl_target)
    if target is not None and target.lower() == "false":
        return False
    if layers and node.layers is not None and not set(layers) <= node.layers:
        return False
    if (avoid_names or regex is not None) and (skip_all or node.key not in skip_upper):
        if avoid_names and not avoid_names.isdisjoint(node.resources_upper):
            return False
        if regex is not None and any(regex.search(rsc_name) for rsc_name in node.resources):
            return False
    return True


# -- the selection (Selector, SelectionManager) --------------------------------------------------
class _State:
    __slots__ = ("nodes", "shared", "kinds", "remaining", "same", "diff", "chosen")

    def __init__(self, nodes, shared, kinds, remaining, same, diff, chosen):
        self.nodes = nodes
        self.shared = shared
        self.kinds = kinds  # kind -> tuple of DRBD versions
        self.remaining = remaining
        self.same = same
        self.diff = diff
        self.chosen = chosen


def _replica_count(flt: SelectFilter, existing_count: int) -> int:
    """``SelectionManager#getReplicaCount``: place_count beats additional_place_count."""
    additional = flt.additional_place_count if flt.additional_place_count and flt.additional_place_count > 0 \
        else None
    if flt.place_count is not None:
        if flt.place_count > existing_count:
            return flt.place_count - existing_count
        return additional or 0
    return additional or 0


class _Ranked:
    """The candidates in the controller's order (score descending, then node and pool name),
    sorted lazily: a search usually looks at the first few only."""

    def __init__(self, candidates, scores):
        self.items = candidates
        self.scores = scores
        self.heap = [(-scores[i], n.key, p.key, i) for i, (n, p) in enumerate(candidates)]
        heapq.heapify(self.heap)
        self.order: List[int] = []

    def __len__(self):
        return len(self.items)

    def _index(self, pos: int) -> int:
        while len(self.order) <= pos:
            self.order.append(heapq.heappop(self.heap)[3])
        return self.order[pos]

    def __getitem__(self, pos: int):
        return self.items[self._index(pos)]

    def score(self, pos: int) -> float:
        return self.scores[self._index(pos)]

    def __iter__(self):
        return iter(self.items)  # unordered: for whole-set bounds only


class _Search:
    def __init__(self, candidates, flt, xcounts, allow_mixing):
        self.candidates = candidates
        self.flt = flt
        self.xcounts = xcounts
        self.allow_mixing = allow_mixing
        self.backtracked = False
        self.bound_tables = None

    # the checks of SelectionManager#isAllowed
    def allowed(self, state: _State, node: NodeSnap, pool: PoolSnap, kinds: bool = True) -> bool:
        if node.key in state.nodes or node.shared_names[pool.name] in state.shared:
            return False
        for kind, versions in (state.kinds.items() if kinds else ()):
            for version in versions:
                if not mixing_allowed(pool.kind, node.drbd_version, kind, version, self.allow_mixing):
                    return False
        for key, wanted in state.same.items():
            if wanted is not None and _prop(node.props, key) != wanted:
                return False
        for key, remaining in state.diff.items():
            value = _prop(node.props, key)
            if value is not None:
                left = remaining.get(value)
                if left is not None and left <= 0:
                    return False
        return True

    def select(self, state: _State, idx: int) -> _State:
        node, pool = self.candidates[idx]
        same = dict(state.same)
        for key, wanted in state.same.items():
            if wanted is None:
                value = _prop(node.props, key)
                if value is not None:
                    same[key] = value
        diff = {}
        for key, remaining in state.diff.items():
            copy = dict(remaining)
            value = _prop(node.props, key)
            if value is not None:
                left = copy.get(value)
                if left is None:
                    left = self.xcounts.get(key, 1)
                copy[value] = left - 1
            diff[key] = copy
        # the controller rebuilds the kind map keeping only the newly selected kind (with the
        # versions of the entry it iterated last); with one DRBD version per cluster that is {kind}
        prev = state.kinds.get(pool.kind, ())
        kinds = {pool.kind: tuple(prev) + (node.drbd_version,)} if prev else {pool.kind: (node.drbd_version,)}
        return _State(state.nodes | {node.key}, state.shared | {node.shared_names[pool.name]},
                      kinds, state.remaining - 1, same, diff, state.chosen + (idx,))

    @staticmethod
    def valid(state: _State) -> bool:
        """At most one partially filled group per x-replicas-on-different key."""
        for remaining in state.diff.values():
            if sum(1 for left in remaining.values() if left > 0) > 1:
                return False
        return True

    def run(self, state: _State) -> Optional[_State]:
        self.root = state
        if (state.same or state.diff) and not self._bound_ok(state):
            return None
        return self._dfs(state, 0)

    def _dfs(self, state: _State, start: int) -> Optional[_State]:
        if state.remaining <= 0:
            return state
        if self.backtracked and not self._bound_ok(state):
            return None
        candidates = self.candidates
        for idx in range(start, len(candidates) - state.remaining + 1):
            node, pool = candidates[idx]
            if not self.allowed(state, node, pool):
                continue
            nxt = self.select(state, idx)
            done = self._dfs(nxt, idx + 1)
            if done is not None and done.remaining <= 0 and self.valid(done):
                return done
            self.backtracked = True
        return None

    # Upper bounds on how many more pools a state can still take; used only to cut branches
    # that cannot complete, so the first complete selection stays the one the controller finds.
    def _prepare_bounds(self, state: _State) -> None:
        nodes_ok = {}
        # provider kinds are left out: the controller's kind bookkeeping can allow later what the
        # first state forbids, and a bound must never be too low
        for node, pool in self.candidates:
            if self.allowed(state, node, pool, kinds=False):
                nodes_ok.setdefault(node.key, node)
        shared = {n.shared_names[p.name] for n, p in self.candidates if n.key in nodes_ok}
        per_key = {}
        for key in set(state.same) | set(state.diff):
            counts: Dict[Optional[str], int] = {}
            for node in nodes_ok.values():
                value = _prop(node.props, key)
                counts[value] = counts.get(value, 0) + 1
            per_key[key] = counts
        self.bound_tables = (nodes_ok, len(shared), per_key)

    def _bound_ok(self, state: _State) -> bool:
        if self.bound_tables is None:
            self._prepare_bounds(self.root)
        nodes_ok, shared_count, per_key = self.bound_tables
        taken = len(state.chosen)
        need = state.remaining
        if len(nodes_ok) - taken < need or shared_count - taken < need:
            return False
        if not per_key:
            return True
        taken_values: Dict[str, Dict[Optional[str], int]] = {}
        for idx in state.chosen:
            node = self.candidates[idx][0]
            for key in per_key:
                value = _prop(node.props, key)
                counter = taken_values.setdefault(key, {})
                counter[value] = counter.get(value, 0) + 1
        for key, wanted in state.same.items():
            counts = per_key[key]
            used = taken_values.get(key, {})
            if wanted is not None:
                room = counts.get(wanted, 0) - used.get(wanted, 0)
            else:
                room = max((c - used.get(v, 0) for v, c in counts.items() if v is not None), default=0)
            if room < need:
                return False
        for key, remaining in state.diff.items():
            counts = per_key[key]
            used = taken_values.get(key, {})
            room = 0
            for value, count in counts.items():
                free_nodes = count - used.get(value, 0)
                if value is None:
                    room += free_nodes
                else:
                    left = remaining.get(value, self.xcounts.get(key, 1))
                    room += max(0, min(left, free_nodes))
            if room < need:
                return False
        return True


def _initial_same(entries, counted_nodes) -> Dict[str, Optional[str]]:
    out: Dict[str, Optional[str]] = {}
    for entry in entries or ():
        key, sep, value = entry.partition("=")
        by_value: Dict[str, List[str]] = {}
        for node in counted_nodes:
            v = _prop(node.props, key)
            if v is not None:
                by_value.setdefault(v, []).append(node.name)
        if len(by_value) > 1:
            shown = "{" + ", ".join("%s=%s" % (v, _java_list(by_value[v])) for v in java_hash_order(by_value)) + "}"
            raise _undecidable(key, shown)
        if by_value:
            out[key] = next(iter(by_value))
        else:
            out[key] = value if sep else None
    return out


def _initial_diff(entries, xmap: Mapping[str, int], counted_nodes, xcounts: Dict[str, int]):
    out: Dict[str, Dict[str, int]] = {}
    xmap = dict(xmap)
    # a "key=value" entry and the same key from the x-map rebuild one entry; the filter already
    # dropped nodes with a forbidden value, so which of them is processed last does not matter
    for entry in list(dict.fromkeys(list(xmap) + list(entries or ()))):
        key, sep, value = entry.partition("=")
        remaining: Dict[str, int] = {}
        if sep:
            remaining[value] = -1
        max_count = xmap.setdefault(key, 1)
        for node in counted_nodes:
            v = _prop(node.props, key)
            if v is not None:
                old = remaining.get(v, max_count)
                if old > 0:
                    remaining[v] = old - 1
        xcounts[key] = max_count
        out[key] = remaining
    return out


def select_pools(nodes: Sequence[NodeSnap], flt: SelectFilter, size_kib: int,
                 existing: Sequence[ExistingRsc] = (), controller_props: Optional[Mapping[str, str]] = None,
                 has_rsc_dfn: bool = True, allow_mixing: Optional[bool] = None) -> Optional[List[Chosen]]:
    """``Autoplacer#autoPlace``: the pools for the replicas to add, ordered by node and pool name,
    or None when no complete selection exists. ``allow_mixing`` is AllowMixingStoragePoolDriver
    (rsc dfn, group, controller); without a resource definition mixing is allowed."""
    controller_props = controller_props or {}
    candidates = filter_pools(nodes, flt, size_kib, existing, controller_props, has_rsc_dfn)
    scores = score_pools(candidates, controller_props)
    ranked = _Ranked(candidates, scores)

    nodes_by_key = {n.name.upper(): n for n in nodes}
    counted_nodes, diskful, diskless = [], 0, 0
    shared, kinds = set(), {}
    skip = set(flt.skip_already_placed_on_nodes or ())
    for rsc in existing if has_rsc_dfn else ():
        if rsc.flags & {"DELETE", "EVICTED"}:
            continue
        node = nodes_by_key.get(rsc.node.upper())
        if node is None:
            continue
        counted = not flt.skip_already_placed_on_all_nodes and node.name not in skip and \
            not ("EVACUATE" in rsc.flags or "EVACUATE" in node.flags)
        if counted:
            counted_nodes.append(node)
            if rsc.diskless:
                diskless += 1
            else:
                diskful += 1
        pool = next((p for p in node.pools if rsc.pool and p.name.upper() == rsc.pool.upper()), None)
        if pool is not None:
            shared.add(_shared_name(node.name, pool))
            if pool.kind != "DISKLESS":
                kinds.setdefault(pool.kind, []).append(node.drbd_version)
    allow_mixing = True if not has_rsc_dfn else bool(allow_mixing)
    if any(not drbd_supports_mixing(n.drbd_version) for n in counted_nodes):
        allow_mixing = False
    if flt.diskless_type is not None:
        kinds = {"DISKLESS": [_DISKLESS_DRBD_VERSION]}

    xcounts: Dict[str, int] = {}
    state = _State(
        frozenset(n.name.upper() for n in counted_nodes), frozenset(shared),
        {k: tuple(v) for k, v in kinds.items()},
        _replica_count(flt, diskful if flt.diskless_type is None else diskless),
        _initial_same(flt.replicas_on_same, counted_nodes),
        _initial_diff(flt.replicas_on_different, dict(flt.x_replicas_on_different_map or ()), counted_nodes,
                      xcounts),
        (),
    )
    if state.remaining <= 0:
        # an empty selection counts as "no candidate" in the controller
        return None
    search = _Search(ranked, flt, xcounts, allow_mixing)
    done = search.run(state)
    if done is None:
        return None
    chosen = [Chosen(ranked[i][0].name, ranked[i][1].name, ranked[i][1].kind, ranked.score(i)) for i in done.chosen]
    return sorted(chosen, key=lambda c: (c.node.upper(), c.pool.upper()))


# -- the autoplace call (CtrlRscAutoPlaceApiCallHandler) -------------------------------------------
def _one_per_shared_pool(existing: Sequence[ExistingRsc], nodes_by_key) -> List[ExistingRsc]:
    seen, out = set(), []
    for rsc in existing:
        node = nodes_by_key.get(rsc.node.upper())
        pool = None
        if node is not None and rsc.pool:
            pool = next((p for p in node.pools if p.name.upper() == rsc.pool.upper()), None)
        name = _shared_name(rsc.node, pool) if pool is not None else None
        if name is not None and name in seen:
            continue
        if name is not None:
            seen.add(name)
        out.append(rsc)
    return out


def help_string(flt: SelectFilter, indent: str = "", x_map_order: Optional[List[str]] = None) -> str:
    """``AutoSelectFilterApi#asHelpString``."""
    lines: List[str] = []

    def single(label, value):
        if value is not None:
            if isinstance(value, bool):
                value = "true" if value else "false"
            lines.append("%s%s: %s\n" % (indent, label, value))

    def many(singular, plural, items):
        if items:
            lines.append("%s%s:\n" % (indent, singular if len(items) == 1 else plural))
            lines.extend("%s   %s\n" % (indent, item) for item in items)

    single("Replica count", flt.place_count)
    single("Additional replica count", flt.additional_place_count)
    many("Node name", "Node names", flt.node_name_list)
    many("Storage pool name", "Storage pool names", flt.storage_pool_list)
    many("Storage pool diskless name", "Storage pool diskless names", flt.storage_pool_diskless_list)
    many("Do not place with resource", "Do not place with resources", flt.not_place_with_rsc)
    single("Do not place with resource (regex)", flt.not_place_with_rsc_regex)
    many("Replicas on nodes with same property", "Replicas on nodes with same properties", flt.replicas_on_same)
    many("Replicas on nodes with different property", "Replicas on nodes with different properties",
         flt.replicas_on_different)
    if flt.x_replicas_on_different_map:
        xmap = dict(flt.x_replicas_on_different_map)
        keys = x_map_order or list(xmap)
        many("X replicas on nodes with different property", "X replicas on nodes with different properties",
             ["%s: %s" % (k, xmap[k]) for k in keys])
    many("Layer stack", "Layer stack", flt.layer_stack)
    many("Allowed Provider", "Allowed Providers", flt.provider_list)
    single("Diskless on remaining", flt.diskless_on_remaining)
    many("Skip check if already placed on node", "Skip check if already placed on nodes",
         flt.skip_already_placed_on_nodes)
    single("Skip check if already placed on any node", flt.skip_already_placed_on_all_nodes)
    single("Diskful/Diskless type", flt.diskless_type)
    return "".join(lines)


def _not_enough_nodes(pool_list, size_kib: int, flt: SelectFilter, x_order=None) -> PlacementError:
    criteria = ""
    if pool_list:
        criteria = (" * has a deployed storage pool named %s\n * the storage pools have to have at least '%d' "
                    "free space\n" % (_java_list(pool_list), size_kib))
    details = ("Not enough nodes fulfilling the following auto-place criteria:\n" + criteria +
               " * the current access context has enough privileges to use the node and the storage pool\n"
               " * the node is online\n\nAuto-place configuration details:\n" + help_string(flt, "   ", x_order))
    return PlacementError(C.FAIL_NOT_ENOUGH_NODES, "Not enough available nodes", details=details)


def _remaining_diskless_nodes(nodes, existing, selected) -> List[str]:
    """Satellites (exactly SATELLITE in 1.31.3) without a resource of the definition, or with only
    a tie-breaker, that were not just chosen for a disk."""
    holders: Dict[str, bool] = {}
    for rsc in existing:
        key = rsc.node.upper()
        holders[key] = holders.get(key, True) and "TIE_BREAKER" in rsc.flags
    chosen = {c.node.upper() for c in selected}
    out = []
    for node in sorted(nodes, key=lambda n: n.name.upper()):
        key = node.name.upper()
        if node.type != "SATELLITE" or key in chosen:
            continue
        if key in holders and not holders[key]:
            continue
        out.append(node.name)
    return out


def place(nodes: Sequence[NodeSnap], existing: Sequence[ExistingRsc], select_filter: Optional[SelectFilter],
          size_kib: int, *, rsc_name: str, group_filter: Optional[SelectFilter] = None,
          controller_props: Optional[Mapping[str, str]] = None, allow_mixing: bool = False,
          rsc_dfn_layer_stack: Sequence[str] = ()) -> Union[Placement, PlacementError]:
    """An autoplace of resource definition ``rsc_name`` (whose volume definitions sum up to
    ``size_kib``) over the cluster ``nodes``; ``existing`` are its resources. ``select_filter`` is
    the request's, merged over ``group_filter`` (the resource group's, as ``group_select_filter``
    gives it). Never raises: a refusal is returned as a PlacementError."""
    try:
        return _place(nodes, existing, select_filter, size_kib, rsc_name, group_filter, controller_props or {},
                      allow_mixing, rsc_dfn_layer_stack)
    except PlacementError as err:
        return err


def _place(nodes, existing, request, size_kib, rsc_name, group_filter, controller_props, allow_mixing,
           rsc_dfn_layer_stack):
    merged = SelectFilter.merge(request, group_filter)
    nodes_by_key = {n.name.upper(): n for n in nodes}
    already = _one_per_shared_pool(existing, nodes_by_key)
    diskful, diskless = [], []
    for rsc in already:
        node = nodes_by_key.get(rsc.node.upper())
        node_flags = node.flags if node is not None else frozenset()
        if rsc.flags & {"DELETE", "EVICTED", "EVACUATE"} or "EVACUATE" in node_flags or rsc.skip_disk:
            continue
        (diskless if rsc.diskless else diskful).append(rsc)

    if merged.additional_place_count is not None and merged.additional_place_count > 0:
        additional = merged.additional_place_count
    elif not merged.diskless_type:
        additional = (merged.place_count or 0) - len(diskful)
    else:
        additional = (merged.place_count or 0) - len(diskless)
    if additional < 0:
        raise PlacementError(
            C.WARN_RSC_ALREADY_DEPLOYED,
            "The resource '%s' was already deployed on %d nodes: %s. The resource would have to be deleted "
            "from nodes to reach the placement count." % (rsc_name, len(already),
                                                          ", ".join("'%s'" % _display(r.node, nodes_by_key)
                                                                    for r in already)))

    pool_list = merged.storage_pool_list if not already or merged.storage_pool_list else None
    dl_pool_list = merged.storage_pool_diskless_list if not already or merged.storage_pool_diskless_list \
        else None

    if additional == 0 and not merged.diskless_on_remaining:
        shown = diskful if not merged.diskless_type else diskless
        return Placement(
            [], [], C.WARN_RSC_ALREADY_DEPLOYED,
            "Resource '%s' was already deployed on %d nodes. Skipping." % (rsc_name, len(shown)),
            details="Used nodes: '%s'" % "', '".join(_display(r.node, nodes_by_key) for r in shown),
            size_kib=size_kib)

    config = merged.with_changes(
        additional_place_count=additional,
        storage_pool_list=pool_list,
        storage_pool_diskless_list=dl_pool_list,
        not_place_with_rsc=tuple(merged.not_place_with_rsc or ()) + (rsc_name,),
        skip_already_placed_on_nodes=tuple(_display(r.node, nodes_by_key) for r in diskless),
    )
    selected = select_pools(nodes, config, size_kib, existing, controller_props, True, allow_mixing)
    if selected is None:
        # a request's map keeps its JSON order; the group's is a java.util.HashMap
        x_order = None
        if config.x_replicas_on_different_map and (request is None or request.x_replicas_on_different_map is None):
            x_order = java_hash_order(k for k, _ in config.x_replicas_on_different_map)
        raise _not_enough_nodes(pool_list, size_kib, config, x_order)

    diskless_nodes: List[str] = []
    if merged.diskless_on_remaining:
        if not merged.layer_stack:
            diskful_after = len(selected) + sum(1 for r in existing if not r.diskless)
            if diskful_after == 0:
                raise PlacementError(C.FAIL_NOT_FOUND_RSC, "Cannot place 'diskless-on-remaining' without "
                                     "having diskful resources deployed", report=True)
            if not rsc_dfn_layer_stack:
                raise PlacementError(C.FAIL_INVLD_LAYER_STACK, "Could not find default layer stack", report=True)
        diskless_nodes = _remaining_diskless_nodes(nodes, existing, selected)

    refs = {}
    for i, chosen in enumerate(selected):
        refs["Node/%d" % i] = chosen.node
        refs["StoragePool/%d/0" % i] = "%s,%s" % (chosen.pool, chosen.kind)
    return Placement(
        selected, diskless_nodes, C.CREATED,
        "Resource '%s' successfully autoplaced on %d nodes" % (rsc_name, len(selected)),
        details="Used nodes (storage pool name): '%s'" % "', '".join("%s (%s)" % (c.node, c.pool)
                                                                     for c in selected),
        obj_refs=refs, size_kib=size_kib)


def _display(name: str, nodes_by_key) -> str:
    node = nodes_by_key.get(name.upper())
    return node.name if node is not None else name


# -- query-max-volume-size (CtrlQueryMaxVlmSizeHelper) -------------------------------------------
def query_max_volume_size(nodes: Sequence[NodeSnap], select_filter: SelectFilter,
                          pool_definitions: Sequence[str],
                          controller_props: Optional[Mapping[str, str]] = None
                          ) -> Union[List[MaxSizeCandidate], PlacementError]:
    """One selection (size 0, no resource definition) per storage pool definition name (or per
    name of the filter's storage_pool_list); each success is a candidate whose size is the
    smallest raw free capacity of its pools. Sorted by pool name; none -> FAIL_NOT_ENOUGH_NODES."""
    controller_props = controller_props or {}
    if select_filter.place_count is None:
        return PlacementError(C.FAIL_INVLD_PLACE_COUNT, "Replica count is required for this operation",
                              report=True)
    names_to_try = list(select_filter.storage_pool_list or ()) or sorted(pool_definitions, key=str.upper)
    candidates = []
    try:
        for name in names_to_try:
            current = SelectFilter.merge(SelectFilter(storage_pool_list=(name,)), select_filter)
            chosen = select_pools(nodes, current, 0, (), controller_props, has_rsc_dfn=False)
            if not chosen:
                continue
            by_node = {n.name.upper(): n for n in nodes}
            lowest = MAX_LONG
            for c in chosen:
                pool = next(p for p in by_node[c.node.upper()].pools if p.name == c.pool)
                if pool.free_kib is not None and pool.free_kib < lowest:
                    lowest = pool.free_kib
            display = next((d for d in pool_definitions if d.upper() == chosen[0].pool.upper()), chosen[0].pool)
            candidates.append(MaxSizeCandidate(display, lowest, tuple(c.node for c in chosen),
                                               all(c.kind in THIN_KINDS for c in chosen)))
    except PlacementError as err:
        return err
    if not candidates:
        return PlacementError(C.MASK_ERROR | C.FAIL_NOT_ENOUGH_NODES, "Not enough nodes")
    return sorted(candidates, key=lambda c: c.storage_pool)
