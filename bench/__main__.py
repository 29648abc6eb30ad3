"""``python -m bench``: one table of every benchmark, ratios measured side by side in this run.

Targets are reported, not asserted: the exit status is 0 whenever the benchmarks ran."""
import argparse
import logging
import sys

from . import cases
from .cases import Result


def _fmt(value: float, unit: str) -> str:
    if unit == "MB":
        return "%.0f MB" % value
    if unit == "req/s":
        return "%.0f req/s" % value
    if value >= 1:
        return "%.2f s" % value
    if value >= 1e-3:
        return "%.2f ms" % (value * 1e3)
    return "%.1f µs" % (value * 1e6)


def row(r: Result) -> tuple:
    if r.target is None:
        baseline = "-" if r.baseline is None else _fmt(r.baseline, r.unit)
        ratio = "-" if r.baseline is None else "%.2fx" % (r.ours / r.baseline)
        return (r.name, _fmt(r.ours, r.unit), baseline, ratio, "-", "", r.note)
    if r.baseline is None:
        ok = r.ours <= r.target
        return (r.name, _fmt(r.ours, r.unit), "-", "-", "<= " + _fmt(r.target, r.unit), "ok" if ok else "MISSED",
                r.note)
    ratio = r.ours / r.baseline
    return (r.name, _fmt(r.ours, r.unit), _fmt(r.baseline, r.unit), "%.2fx" % ratio, "<= %.1fx" % r.target,
            "ok" if ratio <= r.target else "MISSED", r.note)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions and a 10,000-resource cluster")
    parser.add_argument("--resources", type=int, help="resources in the memory benchmark (default 100,000)")
    parser.add_argument("--no-python-linstor", action="store_true",
                        help="skip the comparison with python-linstor from PyPI (it installs it on first use)")
    parser.add_argument("--clients-only", action="store_true",
                        help="only the side-by-side comparison with python-linstor")
    args = parser.parse_args(argv)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no access log lines in the table
    scale = 0.2 if args.quick else 1.0
    resources = args.resources or (10000 if args.quick else 100000)
    client_rounds = 15 if args.quick else 50
    results = []

    def run(label, fn, *fargs):
        print("... " + label, file=sys.stderr, flush=True)
        out = fn(*fargs)
        results.extend(out if isinstance(out, list) else [out])

    if not args.no_python_linstor:
        # many short turns: on a shared machine, load that comes and goes then falls on both clients alike
        run("python-linstor 1.29.1 side by side", cases.python_linstor, "1.29.1", 20, client_rounds)
        run("python-linstor 1.7.1 side by side", cases.python_linstor, "1.7.1", 20, client_rounds, None, False)
    run("HTTP client floor", cases.requests_vs_http_client, int(1000 * scale))
    if not args.clients_only:
        run("node_list baselines", cases.node_list_in_process, int(5000 * scale))
        run("node_list over HTTP", cases.node_list_over_http, int(2000 * scale))
        run("create/delete cycle", cases.create_delete_cycle, int(100 * scale))
        run("autoplace", cases.autoplace_rest_1000_nodes, max(5, int(25 * scale)))
        run("placement", cases.autoplace_1000_nodes, int(25 * scale))
        run("demo controller state", cases.demo_state, int(500 * scale))
        run("big cluster", cases.big_cluster, resources)
        run("server start/stop", cases.server_start_stop, int(200 * scale))
        run("server parts", cases.server_parts, int(100 * scale))
        run("throughput", cases.serve_throughput, 8, 3.0 * max(scale, 0.5))

    rows = [("benchmark", "ours", "baseline", "ratio", "target", "", "note")] + [row(r) for r in results]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(r, widths)).rstrip())
    print("(medians of single calls, each pair measured in alternating rounds in this run; against python-linstor:\n"
          " both clients in processes of their own, same server, taking turns in batches of 20 calls over %d rounds;\n"
          " the best round (load on a shared machine only ever adds time), the median rounds in the note)" % client_rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
