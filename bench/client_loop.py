"""Times list calls of whichever ``linstor`` package the running interpreter imports.

    python -I bench/client_loop.py URL

Used by ``python -m bench`` to time this project's client and python-linstor from PyPI, each in
its own interpreter and process, against the same controller. It connects once, then reads one
command a line from stdin, ``CALL REPEAT WARMUP`` (CALL a ``Linstor`` method name, called without
arguments), makes WARMUP untimed calls, then REPEAT timed ones, and answers with one JSON line:
the median and lower quartile of the seconds one call took. The process stays up between
commands, so the bench can hand the machine to each client in turn, batch by batch.

Imports nothing from this project on purpose, so any python-linstor environment can run it. The
first line it prints says where ``linstor`` came from.
"""
import gc
import json
import statistics
import sys
import time

import linstor


def quantiles(fn, repeat: int, warmup: int) -> dict:
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
    # tick (4 ms), which a median of a few dozen calls does not always filter out
    return {"median": statistics.median(samples), "q25": samples[len(samples) // 4]}


def main(argv) -> None:
    lin = linstor.Linstor(argv[0])
    lin.connect()
    print(json.dumps({"linstor": linstor.__file__}), flush=True)
    try:
        for line in sys.stdin:
            call, repeat, warmup = line.split()
            print(json.dumps(quantiles(getattr(lin, call), int(repeat), int(warmup))), flush=True)
    finally:
        lin.disconnect()


if __name__ == "__main__":
    main(sys.argv[1:])
