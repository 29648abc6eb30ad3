"""Free capacity as the autoplacer estimates it (``FreeCapacityAutoPoolSelectorUtils``)."""
from typing import Mapping, Optional

from linstor import sharedconsts as C

from .data import NO_BACKING_DEVICE, RATIO_DEFAULTS, PlacementError, PoolSnap, scaled
from .java import java_double


def kind_ratio(pool: PoolSnap, controller_props: Mapping[str, str], key: str) -> Optional[float]:
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
    value = kind_ratio(pool, controller_props, C.KEY_STOR_POOL_MAX_OVERSUBSCRIPTION_RATIO)
    if value is None:
        return RATIO_DEFAULTS.get(pool.kind, 1.0)
    return value


def free_capacity_estimate(pool: PoolSnap, controller_props: Mapping[str, str],
                           oversubscribed: bool = True) -> Optional[int]:
    """min(free x free-ratio, total x total-ratio - reserved); None if the pool never reported."""
    if not oversubscribed:
        return pool.free_kib
    if pool.free_kib is None or pool.total_kib is None:
        return None
    ratio = oversubscription_ratio(pool, controller_props)
    free_ratio = kind_ratio(pool, controller_props, C.KEY_STOR_POOL_MAX_FREE_CAPACITY_OVERSUBSCRIPTION_RATIO)
    total_ratio = kind_ratio(pool, controller_props, C.KEY_STOR_POOL_MAX_TOTAL_CAPACITY_OVERSUBSCRIPTION_RATIO)
    free_based = scaled(pool.free_kib, ratio if free_ratio is None else free_ratio)
    total_based = scaled(pool.total_kib, ratio if total_ratio is None else total_ratio)
    return min(free_based, total_based - pool.reserved_kib)


class ConstRatio(dict):
    """A controller-wide MaxOversubscriptionRatio: the same ratio for every kind."""

    def __init__(self, ratio: float):
        super().__init__()
        self.ratio = ratio

    def get(self, kind, default=None):
        return self.ratio


class Estimator:
    """``free_capacity_estimate`` (0 when unknown) with the controller's ratios parsed once."""

    def __init__(self, controller_props: Mapping[str, str]):
        self.controller_props = controller_props
        self.ratios = [kind_ratio(PoolSnap("", "LVM", None, None), controller_props, key) for key in (
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
            ratio = RATIO_DEFAULTS.get(pool.kind, 1.0)
        free_based = scaled(pool.free_kib, ratio if free_ratio is None else free_ratio)
        total_based = scaled(pool.total_kib, ratio if total_ratio is None else total_ratio)
        return min(free_based, total_based - pool.reserved_kib)
