"""Same seed, same requests: byte-identical responses (uuids, timestamps, error-report ids)."""
import subprocess
import sys
import time

import pytest
import requests
from werkzeug.test import Client

from fakestor import Controller, create_app

SCRIPT = [
    ("POST", "/v1/nodes", {"name": "alpha", "type": "SATELLITE",
                           "net_interfaces": [{"name": "default", "address": "10.0.0.1", "satellite_port": 3366, "satellite_encryption_type": "PLAIN"}]}),
    ("POST", "/v1/nodes/alpha/storage-pools", {"storage_pool_name": "thin", "provider_kind": "LVM_THIN",
                                               "props": {"StorDriver/StorPoolName": "vg/thin"}}),
    ("POST", "/v1/nodes", {"name": "-bad-", "type": "SATELLITE",
                           "net_interfaces": [{"name": "default", "address": "10.0.0.2", "satellite_port": 3366, "satellite_encryption_type": "PLAIN"}]}),
    ("POST", "/v1/nodes", {"name": "bravo", "type": "SATELLITE", "net_interfaces": []}),
    ("PUT", "/v1/nodes/alpha", {"override_props": {"Aux/zone": "a"}}),
    # resources take ports, minors and node ids from the controller's allocators
    ("POST", "/v1/resource-definitions", {"resource_definition": {"name": "res1"}}),
    ("POST", "/v1/resource-definitions/res1/volume-definitions", {"volume_definition": {"size_kib": 1024}}),
    ("POST", "/v1/resource-definitions/res1/resources",
     [{"resource": {"node_name": "alpha", "props": {"StorPoolName": "thin"}}}]),
    ("POST", "/v1/resource-definitions/res1/autoplace", {"select_filter": {"place_count": 1}}),
    ("GET", "/v1/view/resources", None),
    ("GET", "/v1/resource-definitions", None),
    ("GET", "/v1/nodes", None),
    ("GET", "/v1/view/storage-pools", None),
    ("GET", "/v1/controller/properties", None),
    ("GET", "/v1/controller/version", None),
    ("POST", "/v1/nodes", b"{not json"),
]


def run(seed: int) -> list:
    http = Client(create_app(Controller(seed=seed)))
    out = []
    for method, path, body in SCRIPT:
        kw = {"data": body} if isinstance(body, bytes) else {"json": body} if body is not None else {}
        reply = http.open(path, method=method, **kw)
        out.append((reply.status_code, reply.data))
    return out


def test_two_runs_with_one_seed_answer_byte_for_byte_alike():
    first = run(42)
    assert first == run(42)
    # the script files error reports and hands out uuids: both are in the bytes compared
    assert any(b"error_report_ids" in body for _, body in first)
    assert any(b"UUID" in body for _, body in first)


def test_another_seed_gives_other_uuids():
    assert run(1) != run(2)


@pytest.mark.http
def test_two_served_controllers_with_virtual_time_answer_alike(tmp_path):
    def serve_and_run():
        proc = subprocess.Popen([sys.executable, "-m", "fakestor.cli", "serve", "--port", "0", "--seed", "5",
                                 "--virtual-time"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            line = proc.stdout.readline()
            url = line.rsplit(" on ", 1)[1].strip()
            out = []
            for method, path, body in SCRIPT:
                kw = {"data": body} if isinstance(body, bytes) else {"json": body} if body is not None else {}
                reply = requests.request(method, url + path, timeout=10, **kw)
                out.append((reply.status_code, reply.content))
            return out
        finally:
            proc.terminate()
            proc.wait(10)

    start = time.time()
    first = serve_and_run()
    assert first == serve_and_run()
    assert time.time() - start < 30
