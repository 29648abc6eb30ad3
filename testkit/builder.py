"""The ``linstor_cluster`` builder: a cluster described in a few chained calls, created at once.

    linstor_cluster.node("alpha").pool("thin", "LVM_THIN", "100G").node("bravo").pool("thin", "LVM_THIN", "100G")
"""
from typing import Any, Dict, List, Optional, Union

from fakestor import fixtures
from fakestor.apicallrc import is_error
from fakestor.model.objects import PhysicalDevice

Size = Union[int, str]


def _check(entries, what: str) -> None:
    errors = [e for e in entries if is_error(e.ret_code)]
    if errors:
        raise fixtures.FixtureError("%s: %s" % (what, "; ".join(
            e.message + (" " + e.cause if e.cause else "") for e in errors)))


class ClusterBuilder:
    """Creates nodes, pools and properties on a fake controller as they are described."""

    def __init__(self, controller):
        self.controller = controller
        self._nodes: List[Dict[str, Any]] = []

    def node(self, name: str, address: Optional[str] = None, type: str = "SATELLITE",
             props: Optional[Dict[str, Any]] = None, satellite_port: int = 3366) -> "NodeBuilder":
        """Registers a node (address 10.43.0.<n> unless given); chain ``.pool(...)`` on the result."""
        address = address or "10.43.0.%d" % (len(self._nodes) + 1)
        spec = {"name": name, "type": type, "address": address, "satellite_port": satellite_port,
                "props": dict(props or {}), "storage_pools": [], "physical_devices": []}
        fixtures.load(self.controller, {"nodes": [spec]})
        self._nodes.append(spec)
        return NodeBuilder(self, spec)

    def controller_props(self, props: Dict[str, Any]) -> "ClusterBuilder":
        _check(self.controller.call(lambda c: c.modify_controller_props({k: str(v) for k, v in props.items()})),
               "controller_props")
        return self

    def fixture(self) -> Dict[str, Any]:
        """The cluster described so far as a cluster file (a dict ``fakestor.fixtures.load`` takes)."""
        return {"nodes": [dict(n, storage_pools=list(n["storage_pools"]),
                               physical_devices=list(n["physical_devices"])) for n in self._nodes]}


class NodeBuilder:
    def __init__(self, cluster: ClusterBuilder, spec: Dict[str, Any]):
        self._cluster = cluster
        self._spec = spec
        self.name = spec["name"]

    def pool(self, name: str, provider_kind: str = "LVM_THIN", size: Optional[Size] = "100G",
             free: Optional[Size] = None, pool: Optional[str] = None, props: Optional[Dict[str, Any]] = None,
             shared_space: Optional[str] = None) -> "NodeBuilder":
        """Creates a storage pool of ``size`` (``free`` of it left) on this node."""
        pool_props = {k: str(v) for k, v in (props or {}).items()}
        if pool:
            pool_props["StorDriver/StorPoolName"] = pool
        size_kib = fixtures.size_kib(size) if size is not None else None
        ctl = self._cluster.controller
        _check(ctl.call(lambda c: c.create_storage_pool(self.name, name, provider_kind, pool_props, shared_space,
                                                        False, size_kib)),
               "storage pool %s on %s" % (name, self.name))
        if free is not None:
            ctl.faults.fill_pool(self.name, name, fixtures.size_kib(free))
        self._spec["storage_pools"].append({k: v for k, v in {
            "name": name, "provider_kind": provider_kind, "size": size, "free": free, "pool": pool,
            "props": props, "shared_space": shared_space}.items() if v is not None})
        return self

    def device(self, path: str, size: Size = "100G", rotational: bool = False) -> "NodeBuilder":
        """A free physical device the node reports (for ``physical-storage`` calls)."""
        self._cluster.controller.read(lambda c: c.add_physical_device(
            self.name, PhysicalDevice(path, fixtures.size_kib(size), rotational)))
        self._spec["physical_devices"].append({"device": path, "size": size, "rotational": rotational})
        return self

    def props(self, **props: Any) -> "NodeBuilder":
        """Sets node properties; keys with a slash go as ``props(**{"Aux/zone": "a"})``."""
        ctl = self._cluster.controller
        _check(ctl.call(lambda c: c.modify_node(self.name, override={k: str(v) for k, v in props.items()})),
               "props of node %s" % self.name)
        self._spec["props"].update(props)
        return self

    def node(self, name: str, **kw: Any) -> "NodeBuilder":
        """The next node (same as ``linstor_cluster.node``)."""
        return self._cluster.node(name, **kw)

    @property
    def controller(self):
        return self._cluster.controller
