"""Cluster files: a YAML (or dict) description of nodes and pools that a fake controller loads.

    nodes:
      - name: alpha
        address: 10.0.0.1            # the 'default' interface (or net_interfaces: [...])
        props: {Aux/zone: a}
        storage_pools:
          - {name: thin, provider_kind: LVM_THIN, pool: vg0/thin, size: 100G}
        physical_devices:
          - {device: /dev/sdb, size: 500G, rotational: false}
    controller_props: {...}
"""
import os
import re
from typing import Any, Dict, Union

import yaml

from .apicallrc import is_error
from .model.objects import PhysicalDevice

# the project's fixtures/ folder; an installed package carries it as fakestor/data/fixtures
FIXTURE_DIRS = [os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "fixtures")]

_UNITS = {"": 1, "K": 1, "KIB": 1, "M": 1024, "MIB": 1024, "G": 1024 ** 2, "GIB": 1024 ** 2, "T": 1024 ** 3,
          "TIB": 1024 ** 3, "P": 1024 ** 4, "PIB": 1024 ** 4, "KB": 1000 / 1024, "MB": 1000 ** 2 / 1024,
          "GB": 1000 ** 3 / 1024, "TB": 1000 ** 4 / 1024}


class FixtureError(ValueError):
    """A cluster file that cannot be loaded; the message says where and why."""


def size_kib(value: Union[int, str]) -> int:
    """``100G``, ``512MiB``, ``2T`` or a number of KiB."""
    if isinstance(value, int):
        return value
    match = re.fullmatch(r"\s*(\d+)\s*([A-Za-z]*)\s*", str(value))
    if not match or match.group(2).upper() not in _UNITS:
        raise FixtureError("invalid size %r (use e.g. 100G, 512MiB, or KiB as a number)" % value)
    return int(int(match.group(1)) * _UNITS[match.group(2).upper()])


def find(name: str) -> str:
    """The path of a cluster file given by path or by name in fixtures/ (``demo`` -> fixtures/demo.yaml)."""
    if os.path.exists(name):
        return name
    for folder in FIXTURE_DIRS:
        for candidate in (name, name + ".yaml", name + ".yml"):
            path = os.path.join(folder, candidate)
            if os.path.exists(path):
                return path
    raise FixtureError("no cluster file %r (looked in %s)" % (name, ", ".join(FIXTURE_DIRS)))


def read(name_or_path: str) -> Dict[str, Any]:
    with open(find(name_or_path), encoding="utf-8") as fh:
        data = yaml.safe_load(fh) or {}
    if not isinstance(data, dict):
        raise FixtureError("%s: a cluster file is a mapping with a 'nodes' list" % name_or_path)
    return data


def _check(entries, what: str) -> None:
    errors = [e for e in entries if is_error(e.ret_code)]
    if errors:
        raise FixtureError("%s: %s" % (what, "; ".join(e.message + (" " + e.cause if e.cause else "")
                                                      for e in errors)))


def load(controller, fixture: Union[str, Dict[str, Any]]) -> None:
    """Creates what the cluster file describes through the controller's own operations."""
    data = read(fixture) if isinstance(fixture, str) else fixture
    cluster = controller.cluster

    def run(op, what):
        _check(controller.call(op), what)

    if data.get("controller_props"):
        run(lambda c: c.modify_controller_props({k: str(v) for k, v in data["controller_props"].items()}),
            "controller_props")
    for node in data.get("nodes") or []:
        name = node.get("name")
        nics = node.get("net_interfaces") or [{"name": "default", "address": node.get("address", "127.0.0.1"),
                                              "satellite_port": node.get("satellite_port", 3366),
                                              "satellite_encryption_type": "PLAIN"}]
        props = {k: str(v) for k, v in (node.get("props") or {}).items()}
        run(lambda c: c.create_node(name, node.get("type", "SATELLITE"), nics, props), "node %s" % name)
        for pool in node.get("storage_pools") or []:
            pool_props = {k: str(v) for k, v in (pool.get("props") or {}).items()}
            if pool.get("pool"):
                pool_props["StorDriver/StorPoolName"] = str(pool["pool"])
            size = size_kib(pool["size"]) if pool.get("size") is not None else None
            run(lambda c: c.create_storage_pool(name, pool.get("name"), pool.get("provider_kind", "LVM_THIN"),
                                                pool_props, pool.get("shared_space"), False, size),
                "storage pool %s on %s" % (pool.get("name"), name))
            if pool.get("free") is not None:
                sp = cluster.get_storage_pool(name, pool["name"])
                sp.allocated_kib = sp.total_capacity - size_kib(pool["free"])
                cluster._nodes_changed()
        for dev in node.get("physical_devices") or []:
            cluster.add_physical_device(name, PhysicalDevice(
                dev["device"], size_kib(dev.get("size", "100G")), bool(dev.get("rotational", False)),
                dev.get("model"), dev.get("serial"), dev.get("wwn")))
    extra = getattr(cluster, "load_fixture_extras", None)
    if extra is not None:
        extra(data)
