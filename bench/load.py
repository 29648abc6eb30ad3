"""Requests per second of ``fakestor serve`` (its own process, the demo cluster) under
concurrent clients: each client a thread with its own ``requests.Session`` (kept-alive
connection) sending ``GET /v1/nodes`` back to back for a fixed time.

    python -m bench.load [--clients 8] [--seconds 3]

The load generator shares the machine with the server, so on few cores the figure is a floor.
"""
import argparse
import os
import socket
import subprocess
import sys
import threading
import time

import requests


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    cli = os.path.join(os.path.dirname(sys.executable), "fakestor")
    proc = subprocess.Popen([cli, "serve", "--port", str(port), "--fixture", "demo"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            requests.get("http://127.0.0.1:%d/v1/controller/version" % port, timeout=1)
            return proc
        except requests.ConnectionError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("fakestor serve did not answer on port %d" % port)


def requests_per_second(clients: int = 8, seconds: float = 3.0, path: str = "/v1/nodes") -> float:
    port = free_port()
    server = start_server(port)
    url = "http://127.0.0.1:%d%s" % (port, path)
    counts = [0] * clients
    failures = []
    start_line = threading.Barrier(clients + 1)
    stop_at = [0.0]

    def client(idx: int) -> None:
        session = requests.Session()
        session.get(url).raise_for_status()
        start_line.wait()
        done = 0
        while time.monotonic() < stop_at[0]:
            if session.get(url).status_code != 200:
                failures.append(idx)
                return
            done += 1
        counts[idx] = done

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    try:
        for thread in threads:
            thread.start()
        stop_at[0] = time.monotonic() + seconds
        start = time.monotonic()
        start_line.wait()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - start
    finally:
        server.terminate()
        server.wait(10)
    if failures:
        raise RuntimeError("%d clients got an error answer" % len(failures))
    return sum(counts) / elapsed


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args(argv)
    print("%.0f requests/s (%d clients, GET /v1/nodes)" % (requests_per_second(args.clients, args.seconds),
                                                           args.clients))


if __name__ == "__main__":
    main()
