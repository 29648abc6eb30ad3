"""The ``fakestor`` command: ``fakestor serve [--host H] [--port P] [--fixture FILE]``."""
import argparse
import signal
import sys
from typing import List, Optional

from . import fixtures, persist
from .clock import Clock
from .controller import Controller
from .rest import create_app
from .server import Server
from .versions import DEFAULT_LINSTOR_VERSION


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fakestor", description="An in-memory LINSTOR controller.")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the LINSTOR REST API")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1, loopback only)")
    serve.add_argument("--port", type=int, default=3370, help="port (default: 3370; 0 picks a free one)")
    serve.add_argument("--fixture", help="cluster file to load: a path, or a name in fixtures/ (e.g. demo)")
    serve.add_argument("--linstor-version", default=DEFAULT_LINSTOR_VERSION,
                       help="LINSTOR release to emulate (default: %(default)s)")
    serve.add_argument("--seed", type=int, default=0, help="seed for uuids and ids (default: 0)")
    serve.add_argument("--state", metavar="FILE",
                       help="keep the state in FILE: loaded at start if it exists, rewritten (atomically) "
                            "after every change")
    serve.add_argument("--virtual-time", action="store_true",
                       help="time moves only when advanced (POST /_fakestor/clock/advance): byte-identical runs")
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    args = _parser().parse_args(argv)
    controller = Controller(args.linstor_version, seed=args.seed,
                            clock=Clock() if args.virtual_time else Clock.real_time())
    store = persist.StateFile(args.state) if args.state else None
    if store is not None and store.exists():
        try:
            store.load_into(controller)
        except (OSError, ValueError) as err:
            print("fakestor: cannot load state from %s: %s" % (args.state, err), file=sys.stderr)
            return 2
    elif args.fixture:
        try:
            fixtures.load(controller, args.fixture)
        except fixtures.FixtureError as err:
            print("fakestor: %s" % err, file=sys.stderr)
            return 2
    if store is not None and not store.exists():
        store.save(controller)
    try:
        app = persist.saving_app(create_app(controller), controller, store) if store else None
        server = Server(controller, args.host, args.port, app=app)
    except OSError as err:
        print("fakestor: cannot listen on %s:%d: %s" % (args.host, args.port, err), file=sys.stderr)
        return 1
    nodes = len(controller.cluster.nodes)
    print("fakestor: LINSTOR %s (REST API %s) with %d node(s) on %s" % (
        controller.version.linstor_version, controller.version.rest_api_version, nodes, server.url), flush=True)
    print("  try: curl %s/v1/nodes" % server.url, flush=True)
    print("  Ctrl-C stops it.", flush=True)

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    # also when started from a shell that ignores SIGINT for background jobs
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("fakestor: stopped", flush=True)
    finally:
        server._server.server_close()
        if store is not None:
            store.save(controller)
    return 0


if __name__ == "__main__":
    sys.exit(main())
