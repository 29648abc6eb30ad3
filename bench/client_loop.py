"""Times list calls of whichever ``linstor`` package the running interpreter imports.

    python -I bench/client_loop.py URL REPEAT CALL [CALL ...]

Used by ``python -m bench`` to time this project's client and python-linstor from PyPI (each in
its own interpreter and process) against the same controller. Imports nothing from this project
on purpose, so any python-linstor environment can run it. Prints one JSON line: where ``linstor``
came from and the median and lower quartile of the seconds one call of each CALL takes (a ``Linstor`` method name, called
without arguments).
"""
import gc
import json
import statistics
import sys
import time

import linstor


def quantiles(fn, repeat: int, warmup: int = 20) -> dict:
    for _ in range(warmup):
        fn()
    samples = []
    clock = time.perf_counter
    gc.disable()
    try:
        for _ in range(repeat):
            start = clock()
            fn()
            samples.append(clock() - start)
    finally:
        gc.enable()
    samples.sort()
    # the lower quartile as well: on a loaded machine a wake-up can wait for the scheduler's next
    # tick (4 ms), which a median of a few hundred calls does not always filter out
    return {"median": statistics.median(samples), "q25": samples[len(samples) // 4]}


def main(argv) -> None:
    url, repeat, calls = argv[0], int(argv[1]), argv[2:]
    lin = linstor.Linstor(url)
    lin.connect()
    try:
        timings = {name: quantiles(getattr(lin, name), repeat) for name in calls}
    finally:
        lin.disconnect()
    print(json.dumps({"linstor": linstor.__file__, "timings": timings}))


if __name__ == "__main__":
    main(sys.argv[1:])
