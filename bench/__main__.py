"""``python -m bench``: prints each benchmark's medians, ratio and target."""
import argparse
import logging
import sys

from . import cases


def _fmt_time(seconds: float) -> str:
    if seconds >= 1e-3:
        return "%.2f ms" % (seconds * 1e3)
    return "%.1f µs" % (seconds * 1e6)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (a smoke run)")
    args = parser.parse_args(argv)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no access log lines in the table
    scale = 0.1 if args.quick else 1.0
    results = [
        cases.node_list_in_process(int(5000 * scale)),
        cases.node_list_over_http(int(2000 * scale)),
        cases.server_start_stop(int(200 * scale)),
        *cases.server_parts(int(100 * scale)),
    ]
    rows = [("benchmark", "ours", "baseline", "ratio", "target", "")]
    failed = False
    for r in results:
        if r.target is None:
            rows.append((r.name, _fmt_time(r.ours), "-", "-", "-", ""))
            continue
        if r.baseline is None:
            ok = r.ours <= r.target
            rows.append((r.name, _fmt_time(r.ours), "-", "-", "<= " + _fmt_time(r.target), "ok" if ok else "MISSED"))
        else:
            ratio = r.ours / r.baseline
            ok = ratio <= r.target
            rows.append((r.name, _fmt_time(r.ours), _fmt_time(r.baseline), "%.2fx" % ratio,
                         "<= %.1fx" % r.target, "ok" if ok else "MISSED"))
        failed |= not ok
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
    print("(medians of single calls; ours and baseline measured in alternating rounds in this run)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
