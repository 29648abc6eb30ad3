"""Rating of the candidate pools (``StrategyHandler`` and its strategies)."""
from typing import List, Mapping, Sequence, Tuple

from linstor import sharedconsts as C

from .data import NO_BACKING_DEVICE, STRATEGIES, NodeSnap, PoolSnap
from .java import java_double


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
