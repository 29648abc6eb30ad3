"""Random sequences of resource operations against the cluster model keep its invariants:
thick pools account exactly what their volumes take, nothing lives on a missing node or pool,
ports, minors and node ids are unique, and a refused call changes nothing."""
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from fakestor import Controller, fixtures
from fakestor.model import names

GIB = 1024 * 1024
RSC_NAMES = st.sampled_from(["r1", "r2", "r3"])
NODES = st.sampled_from(["alpha", "bravo", "charlie"])
# sizes close to the 200 GiB thick pools, so that they fill up and refuse
SIZES = st.sampled_from([GIB, 20 * GIB, 70 * GIB, 130 * GIB])
POOLS = st.sampled_from(["zfs", "thin", None, "DfltDisklessStorPool"])


class ResourceMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.ctl = Controller()
        fixtures.load(self.ctl, "demo")
        self.cluster = self.ctl.cluster

    def _run(self, op):
        before = repr((self.cluster.resource_definitions, self.cluster.nodes))
        entries = self.ctl.call(op)
        if any(e.is_error for e in entries):
            assert repr((self.cluster.resource_definitions, self.cluster.nodes)) == before, entries[0].message
        return entries

    @rule(name=RSC_NAMES, drbd=st.booleans())
    def create_definition(self, name, drbd):
        self._run(lambda c: c.create_resource_definition(name, layer_stack=["DRBD", "STORAGE"] if drbd else None))

    @rule(name=RSC_NAMES, size=SIZES)
    def create_volume_definition(self, name, size):
        self._run(lambda c: c.create_volume_definition(name, size))

    @rule(name=RSC_NAMES, node=NODES, pool=POOLS)
    def place(self, name, node, pool):
        item = {"node_name": node}
        if pool:
            item["props"] = {"StorPoolName": pool}
        self._run(lambda c: c.create_resources(name, [item]))

    @rule(name=RSC_NAMES, nodes=st.lists(NODES, min_size=2, max_size=3), pool=POOLS)
    def place_many(self, name, nodes, pool):
        self._run(lambda c: c.create_resources(name, [{"node_name": n, "props": {"StorPoolName": pool or "zfs"}}
                                                      for n in nodes]))

    @rule(name=RSC_NAMES, vlm_nr=st.integers(0, 2), size=SIZES)
    def resize(self, name, vlm_nr, size):
        self._run(lambda c: c.modify_volume_definition(name, vlm_nr, size_kib=size))

    @rule(name=RSC_NAMES, node=NODES)
    def delete_resource(self, name, node):
        self._run(lambda c: c.delete_resource(name, node))

    @rule(name=RSC_NAMES, vlm_nr=st.integers(0, 2))
    def delete_volume_definition(self, name, vlm_nr):
        self._run(lambda c: c.delete_volume_definition(name, vlm_nr))

    @rule(name=RSC_NAMES)
    def delete_definition(self, name):
        self._run(lambda c: c.delete_resource_definition(name))

    @rule(node=NODES)
    def lose_node(self, node):
        if names.key(node) in self.cluster.nodes:
            self._run(lambda c: c.lose_node(node))

    @rule(node=NODES, pool=st.sampled_from(["zfs", "thin"]))
    def delete_pool(self, node, pool):
        if names.key(node) in self.cluster.nodes:
            self._run(lambda c: c.delete_storage_pool(node, pool))

    # -- invariants ---------------------------------------------------------------------------
    @invariant()
    def thick_pools_account_exactly_their_volumes(self):
        c = self.cluster
        for node in c.nodes.values():
            for pool in node.storage_pools.values():
                taken = sum(c.get_resource_definition(rd.name).volume_definitions[vlm.volume_number].size_kib
                            for rd, _, vlm in c.volumes_in_pool(node.name, pool.name))
                if pool.provider_kind in ("ZFS", "LVM"):
                    assert pool.allocated_kib == taken
                    assert pool.free_capacity == pool.total_capacity - taken >= 0
                else:
                    assert pool.allocated_kib == 0

    @invariant()
    def resources_live_on_existing_nodes_and_pools(self):
        c = self.cluster
        for rd in c.resource_definitions.values():
            for key, rsc in rd.resources.items():
                node = c.nodes.get(key)
                assert node is not None and names.key(rsc.node_name) == key
                assert sorted(rsc.volumes) == sorted(rd.volume_definitions)
                for vlm in rsc.volumes.values():
                    assert names.key(vlm.storage_pool_name) in node.storage_pools

    @invariant()
    def numbers_are_unique(self):
        c = self.cluster
        ports = [rd.port for rd in c.resource_definitions.values() if rd.port is not None]
        assert len(ports) == len(set(ports))
        assert all(7000 <= p <= 7999 for p in ports)
        minors = [vd.minor_number for rd in c.resource_definitions.values()
                  for vd in rd.volume_definitions.values() if vd.minor_number is not None]
        assert len(minors) == len(set(minors))
        for rd in c.resource_definitions.values():
            ids = [r.node_id for r in rd.resources.values() if r.node_id is not None]
            assert len(ids) == len(set(ids)) and all(0 <= i <= 31 for i in ids)
            if any("DRBD" in r.layer_stack for r in rd.resources.values()):
                assert rd.port is not None
                assert all(vd.minor_number is not None for vd in rd.volume_definitions.values())


TestResourceInvariants = ResourceMachine.TestCase
TestResourceInvariants.settings = settings(max_examples=30, stateful_step_count=25, deadline=None,
                                           suppress_health_check=[HealthCheck.too_slow])
