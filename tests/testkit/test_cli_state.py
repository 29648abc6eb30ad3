"""``fakestor serve --state FILE``: the state survives a restart, even a hard kill."""
import json
import os
import signal
import subprocess
import sys

import pytest
import requests

pytestmark = pytest.mark.http

NODE = {"name": "delta", "type": "SATELLITE",
        "net_interfaces": [{"name": "default", "address": "10.0.0.4", "satellite_port": 3366, "satellite_encryption_type": "PLAIN"}]}


def serve(*args):
    proc = subprocess.Popen([sys.executable, "-m", "fakestor.cli", "serve", "--port", "0"] + list(args),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    if " on " not in line:
        proc.kill()
        raise AssertionError("server did not start: %s %s" % (line, proc.stderr.read()))
    return proc, line.rsplit(" on ", 1)[1].strip()


def node_names(url):
    return [n["name"] for n in requests.get(url + "/v1/nodes", timeout=10).json()]


def test_state_survives_a_hard_kill_and_restart(tmp_path):
    state = tmp_path / "state.json"
    proc, url = serve("--fixture", "demo", "--state", str(state))
    try:
        assert state.exists()
        assert requests.post(url + "/v1/nodes", json=NODE, timeout=10).status_code == 201
        requests.delete(url + "/v1/nodes/charlie", timeout=10)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    # no temporary files left beside the state
    assert os.listdir(tmp_path) == ["state.json"]
    proc, url = serve("--fixture", "demo", "--state", str(state))
    try:
        # the file wins over the fixture: the state is the one left behind
        assert node_names(url) == ["alpha", "bravo", "delta"]
    finally:
        proc.terminate()
        proc.wait(10)
    assert json.loads(state.read_text())["format"] == "fakestor-state/1"


def test_an_unreadable_state_file_stops_the_start(tmp_path):
    state = tmp_path / "state.json"
    state.write_text("{broken")
    proc = subprocess.run([sys.executable, "-m", "fakestor.cli", "serve", "--port", "0", "--state", str(state)],
                          capture_output=True, text=True, timeout=30)
    assert proc.returncode == 2
    assert "cannot load state" in proc.stderr
    assert state.read_text() == "{broken"
