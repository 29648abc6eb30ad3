"""Timing helpers: medians of many single calls, two contenders interleaved so that both see
the same machine state (CPU frequency, caches, other load)."""
import gc
import statistics
import time
from typing import Callable, Tuple


def median_seconds(fn: Callable[[], object], repeat: int, warmup: int = 20) -> float:
    """The median wall time of one ``fn()`` call."""
    for _ in range(warmup):
        fn()
    samples = []
    clock = time.perf_counter
    gc_was_on = gc.isenabled()
    gc.disable()
    try:
        for _ in range(repeat):
            start = clock()
            fn()
            samples.append(clock() - start)
    finally:
        if gc_was_on:
            gc.enable()
    return statistics.median(samples)


def side_by_side(ours: Callable[[], object], baseline: Callable[[], object], repeat: int,
                 rounds: int = 5) -> Tuple[float, float]:
    """Medians of ``ours`` and ``baseline``, measured in alternating rounds."""
    mine, theirs = [], []
    per_round = max(1, repeat // rounds)
    for _ in range(rounds):
        mine.append(median_seconds(ours, per_round))
        theirs.append(median_seconds(baseline, per_round))
    return statistics.median(mine), statistics.median(theirs)
