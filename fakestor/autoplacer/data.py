"""The autoplacer's input and output: plain data, no cluster objects."""
from dataclasses import dataclass, field, replace
from typing import Dict, FrozenSet, Iterable, List, Mapping, Optional, Tuple

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
RATIO_DEFAULTS = {k: 1.0 for k in ("EBS_TARGET", "EXOS", "FILE", "LVM", "REMOTE_SPDK", "SPDK", "ZFS",
                                    "STORAGE_SPACES")}
RATIO_DEFAULTS.update({k: OVERSUBSCRIPTION_RATIO_DEFAULT for k in THIN_KINDS})

# properties of a pool (or its definition) that change its oversubscription ratios
RATIO_KEYS = (C.KEY_STOR_POOL_MAX_OVERSUBSCRIPTION_RATIO, C.KEY_STOR_POOL_MAX_FREE_CAPACITY_OVERSUBSCRIPTION_RATIO,
              C.KEY_STOR_POOL_MAX_TOTAL_CAPACITY_OVERSUBSCRIPTION_RATIO)

# a fake satellite reports this DRBD version unless a snapshot says otherwise
DEFAULT_DRBD_VERSION = (9, 2, 8)
DISKLESS_DRBD_VERSION = (9, 1, 0)

# (strategy property name, maximize?, default weight)
STRATEGIES = (
    (C.KEY_AUTOPLACE_STRAT_WEIGHT_MAX_FREESPACE, True, 1.0),
    (C.KEY_AUTOPLACE_STRAT_WEIGHT_MIN_RESERVED_SPACE, False, 0.0),
    (C.KEY_AUTOPLACE_STRAT_WEIGHT_MIN_RSC_COUNT, False, 0.00001),
)


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
    has_disk: bool = field(init=False, repr=False, compare=False)
    plain: bool = field(init=False, repr=False, compare=False)  # no props that change its ratios (RATIO_KEYS)
    # free capacity estimate of a plain pool with no ratio set on the controller either (None:
    # never reported); most pools are such, and the filter needs it for every pool on every call
    default_estimate: Optional[int] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "key", self.name.upper())
        object.__setattr__(self, "has_disk", self.kind not in NO_BACKING_DEVICE)
        object.__setattr__(self, "plain", not any(k in self.props or k in self.definition_props
                                                  for k in RATIO_KEYS))
        estimate = None
        if self.free_kib is not None and self.total_kib is not None:
            ratio = RATIO_DEFAULTS.get(self.kind, 1.0)
            estimate = min(scaled(self.free_kib, ratio), scaled(self.total_kib, ratio) - self.reserved_kib)
        object.__setattr__(self, "default_estimate", estimate)


def scaled(space: int, ratio: float) -> int:
    """``space`` over-provisioned by ``ratio`` as Java's long arithmetic gives it."""
    if ratio != ratio:  # NaN: Java's (long) cast gives 0
        return 0
    if space == MAX_LONG or (ratio != 0 and MAX_LONG / ratio < space):
        return MAX_LONG
    return int(space * ratio)


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
    # (node, pool) pairs, the filter's candidates: made once per view instead of once per
    # call, as a placement over many nodes would otherwise spend much of its time collecting them
    disk_pairs: Tuple[Tuple["NodeSnap", PoolSnap], ...] = field(init=False, repr=False, compare=False)
    diskless_pairs: Tuple[Tuple["NodeSnap", PoolSnap], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "key", self.name.upper())
        object.__setattr__(self, "resources_upper", frozenset(r.upper() for r in self.resources))
        object.__setattr__(self, "shared_names", {p.name: shared_name(self.name, p) for p in self.pools})
        object.__setattr__(self, "disk_pairs", tuple((self, p) for p in self.pools if p.has_disk))
        object.__setattr__(self, "diskless_pairs", tuple((self, p) for p in self.pools if not p.has_disk))


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


def prop(props: Mapping[str, str], key: str) -> Optional[str]:
    """A property by path as the controller reads it (leading or doubled '/' do not matter);
    keys are taken literally, no namespace (such as Aux/) is added."""
    value = props.get(key)
    if value is None and "/" in key:
        value = props.get("/".join(p for p in key.split("/") if p))
    return value


def shared_name(node: str, pool: PoolSnap) -> str:
    return (pool.shared_space or "%s:%s" % (node, pool.name)).upper()


@dataclass(frozen=True)
class Rules:
    """Autoplacer behaviour that differs between LINSTOR releases; the defaults are 1.31.3's."""

    # AutoplaceTarget: a node's value beats the controller's (1.31.2 on; before, the controller's won)
    node_target_beats_controller: bool = True
    # diskless_on_remaining also serves COMBINED nodes (1.33.0-rc.2 on)
    diskless_on_combined: bool = False


RULES_1_31_3 = Rules()
