"""Times list calls of whichever ``linstor`` package the running interpreter imports.

    python -I bench/client_loop.py URL REPEAT CALL [CALL ...]

Used by ``python -m bench`` to time this project's client and python-linstor from PyPI (each in
its own interpreter and process) against the same controller. Imports nothing from this project
on purpose, so any python-linstor environment can run it. Prints one JSON line: where ``linstor``
came from and the median seconds of one call of each CALL (a ``Linstor`` method name, called
without arguments).
"""
import gc
import json
import statistics
import sys
import time

import linstor


def median_seconds(fn, repeat: int, warmup: int = 20) -> float:
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
    return statistics.median(samples)


def main(argv) -> None:
    url, repeat, calls = argv[0], int(argv[1]), argv[2:]
    lin = linstor.Linstor(url)
    lin.connect()
    try:
        medians = {name: median_seconds(getattr(lin, name), repeat) for name in calls}
    finally:
        lin.disconnect()
    print(json.dumps({"linstor": linstor.__file__, "medians": medians}))


if __name__ == "__main__":
    main(sys.argv[1:])
