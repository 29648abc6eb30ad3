"""``LinstorStateMachine``: a hypothesis ``RuleBasedStateMachine`` that drives a fake LINSTOR
controller through a client and checks the controller against a simple model of what must exist.

Subclass it to put your own code in the loop: add rules that call your plugin with
``self.client`` (a connected ``linstor.Linstor``) and invariants about what it leaves behind.

    from testkit.machine import LinstorStateMachine
    from hypothesis.stateful import rule

    class MyPlugin(LinstorStateMachine):
        fixture = "demo"                       # start from a cluster file

        @rule(node=LinstorStateMachine.nodes)
        def plugin_sees_node(self, node):
            assert my_plugin.has_node(self.client, node)

    TestMyPlugin = MyPlugin.TestCase

Model (``self.model``, keys are upper-case names): ``nodes`` maps keys to the names given,
``pools`` maps (node key, pool key) to the pool's provider kind and ``pool_total`` to its capacity
(KiB), ``node_props`` and ``controller_props`` hold the ``Aux/`` properties set, ``rds`` maps
resource definition keys to ``RscDfn`` (volume sizes, resources, snapshots, autoplace count) and
``kvs`` maps key-value store names to their properties. New areas add a bundle, rules that keep
the model in step, and an invariant comparing the model with a listing.

The rules leave out what the model does not follow (they return without calling): volume
definitions added to a definition that already has resources, and deleting nodes that hold
resources or snapshots.
"""
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, consumes, initialize, invariant, multiple, rule

from fakestor import create_app
from linstor import sharedconsts as C

from . import strategies as ls
from .controllers import fresh_controller
from .transport import InProcessTransport

# provider kinds whose volumes take their whole size from the pool at creation
THICK_KINDS = frozenset(("LVM", "ZFS", "FILE", "SPDK", "REMOTE_SPDK", "EBS_TARGET", "EXOS"))
# provider kinds that can take snapshots
SNAPSHOT_KINDS = frozenset(("LVM_THIN", "ZFS", "ZFS_THIN", "FILE", "FILE_THIN", "SPDK", "REMOTE_SPDK",
                            "EBS_TARGET"))
DISKLESS_POOL = "DFLTDISKLESSSTORPOOL"
#: volume sizes the rules draw (KiB): from 4 MiB up to a fifth of a 200 GiB pool
VOLUME_SIZES = st.integers(min_value=4 * 1024, max_value=40 * 1024 * 1024)


@dataclass
class RscDfn:
    """A resource definition as the model sees it."""

    name: str
    volumes: Dict[int, int] = field(default_factory=dict)            # volume number -> size (KiB)
    resources: Dict[str, Optional[str]] = field(default_factory=dict)  # node key -> pool key (None: diskless)
    snapshots: Dict[str, Dict[str, str]] = field(default_factory=dict)  # snapshot key -> node key -> pool key
    place_count: Optional[int] = None                                   # set by an autoplace

    def diskful(self) -> Dict[str, str]:
        return {node: pool for node, pool in self.resources.items() if pool is not None}


class Model:
    """What the machine expects the controller to hold."""

    def __init__(self) -> None:
        self.nodes: Dict[str, str] = {}
        self.pools: Dict[Tuple[str, str], str] = {}
        self.pool_total: Dict[Tuple[str, str], int] = {}
        # KiB a pool had in use before the first step (a cluster file's ``free``)
        self.pool_offset: Dict[Tuple[str, str], int] = {}
        self.node_props: Dict[str, Dict[str, str]] = {}
        self.controller_props: Dict[str, str] = {}
        self.rds: Dict[str, RscDfn] = {}
        self.kvs: Dict[str, Dict[str, str]] = {}

    def thick_used(self, node: str, pool: str) -> int:
        """Σ sizes of the volumes in a pool (what a thick pool gives away)."""
        return sum(sum(rd.volumes.values()) for rd in self.rds.values() if rd.resources.get(node) == pool)

    def free(self, node: str, pool: str) -> Optional[int]:
        """Free KiB of a thick pool as the controller must report it; None for thin pools."""
        key = (node, pool)
        if self.pools.get(key) not in THICK_KINDS:
            return None
        return self.pool_total[key] - self.pool_offset.get(key, 0) - self.thick_used(node, pool)

    def pool_in_use(self, node: str, pool: str) -> bool:
        """Volumes or snapshot volumes in the pool (a definition without volumes leaves none)."""
        return any(rd.volumes and (rd.resources.get(node) == pool or any(snap.get(node) == pool
                                                                          for snap in rd.snapshots.values()))
                   for rd in self.rds.values())

    def node_in_use(self, node: str) -> bool:
        return any(node in rd.resources or any(node in snap for snap in rd.snapshots.values())
                   for rd in self.rds.values())


class LinstorStateMachine(RuleBasedStateMachine):
    nodes = Bundle("nodes")
    storage_pools = Bundle("storage_pools")
    resource_definitions = Bundle("resource_definitions")
    volume_definitions = Bundle("volume_definitions")      # (resource name, volume number)
    resources = Bundle("resources")                        # (resource name, node name)
    snapshots = Bundle("snapshots")                        # (resource name, snapshot name)
    kv_stores = Bundle("kv_stores")

    #: cluster file loaded before the first step (a name in fixtures/ or a path), or None
    fixture: Optional[str] = None
    #: provider kinds the pool rule picks from
    provider_kinds = ("LVM", "LVM_THIN", "ZFS", "ZFS_THIN", "FILE_THIN")
    #: at most this many volume definitions per resource definition
    max_volumes = 2

    def __init__(self) -> None:
        super().__init__()
        self.controller = self.make_controller()
        self.client = self.make_client()
        self.model = Model()
        self.read_model()

    def read_model(self) -> None:
        """Fills the model from what the controller holds before the first step (a cluster file)."""
        model = self.model
        for node in self.controller.cluster.list_nodes():
            model.nodes[node.name.upper()] = node.name
            model.node_props[node.name.upper()] = {k: v for k, v in node.props.items() if k.startswith("Aux/")}
        for rd in self.client.resource_dfn_list_raise(query_volume_definitions=True).resource_definitions:
            model.rds[rd.name.upper()] = RscDfn(rd.name, {vd.number: vd.size for vd in rd.volume_definitions})
        for rsc in self.client.resource_list_raise().resources:
            pools = {v.storage_pool_name.upper() for v in rsc.volumes}
            diskless = "DISKLESS" in rsc.flags or pools == {DISKLESS_POOL}
            model.rds[rsc.name.upper()].resources[rsc.node_name.upper()] = (
                None if diskless else (min(pools) if pools else None))
        for snap in self.client.snapshot_dfn_list_raise().snapshots:
            rd = model.rds[snap.rsc_name.upper()]
            rd.snapshots[snap.snapshot_name.upper()] = {n.upper(): rd.resources.get(n.upper()) for n in snap.nodes}
        for instance in self.client.keyvaluestores().instances():
            model.kvs[instance] = dict(self.client.keyvaluestore_list(instance).properties)
        for pool in self.controller.cluster.list_storage_pools():
            key = (pool.node_name.upper(), pool.name.upper())
            model.pools[key] = pool.provider_kind
            model.pool_total[key] = pool.total_capacity
            if pool.provider_kind in THICK_KINDS:
                model.pool_offset[key] = pool.allocated_kib - model.thick_used(*key)

    # -- hooks for subclasses -------------------------------------------------------------------
    def make_controller(self):
        """The fake controller of one run (default: fresh, with ``fixture`` loaded)."""
        return fresh_controller(self.fixture)

    def make_client(self):
        """The client the rules use (default: in process to ``self.controller``)."""
        import linstor

        client = linstor.Linstor("linstor://fakestor", transport=InProcessTransport(create_app(self.controller)))
        client.connect()
        return client

    def teardown(self) -> None:
        self.client.disconnect()

    # -- reply checks ------------------------------------------------------------------------------
    @staticmethod
    def expect_success(replies: List) -> None:
        errors = [r for r in replies if r.is_error()]
        assert not errors, "expected success, got: %s" % "; ".join(r.message for r in errors)

    @staticmethod
    def expect_error(replies: List, code: int, *alternatives: int) -> None:
        """One of the replies is an error with ``code`` (or one of ``alternatives``)."""
        wanted = {c & C.MASK_BITS_CODE for c in (code,) + alternatives}
        codes = [r.ret_code & C.MASK_BITS_CODE for r in replies if r.is_error()]
        assert wanted & set(codes), "expected error %s, got %s: %s" % (
            sorted(wanted), codes, "; ".join(r.message for r in replies))

    @staticmethod
    def expect_no_error(replies: List) -> None:
        """Success or a warning (what deleting something missing answers)."""
        assert not [r for r in replies if r.is_error()], "; ".join(r.message for r in replies)

    # -- rules: nodes ------------------------------------------------------------------------------
    @initialize(target=nodes)
    def existing_nodes(self):
        """The fixture's nodes join the bundle (``multiple`` with no values when there are none)."""
        return multiple(*self.model.nodes.values())

    @rule(target=nodes, name=ls.names("node"), address=ls.ipv4_addresses())
    def create_node(self, name: str, address: str):
        replies = self.client.node_create(name, "SATELLITE", address)
        if name.upper() in self.model.nodes:
            self.expect_error(replies, C.FAIL_EXISTS_NODE)
            return self.model.nodes[name.upper()]
        self.expect_success(replies)
        self.model.nodes[name.upper()] = name
        self.model.node_props[name.upper()] = {}
        self.model.pools[(name.upper(), DISKLESS_POOL)] = "DISKLESS"
        return name

    @rule(name=ls.invalid_names("node"))
    def create_node_invalid_name(self, name: str):
        self.expect_error(self.client.node_create(name, "SATELLITE", "10.0.0.1"), C.FAIL_INVLD_NODE_NAME)

    @rule(node=consumes(nodes))
    def delete_node(self, node: str):
        if self.model.node_in_use(node.upper()):
            return
        replies = self.client.node_delete(node)
        if node.upper() not in self.model.nodes:
            assert not [r for r in replies if r.is_error()], "deleting a missing node is only a warning"
            return
        self.expect_success(replies)
        del self.model.nodes[node.upper()]
        self.model.node_props.pop(node.upper(), None)
        for key in [k for k in self.model.pools if k[0] == node.upper()]:
            del self.model.pools[key]

    @rule(node=nodes, props=ls.props(max_size=3))
    def set_node_props(self, node: str, props: Dict[str, str]):
        replies = self.client.node_modify(node, property_dict=props)
        if node.upper() not in self.model.nodes:
            self.expect_error(replies, C.FAIL_NOT_FOUND_NODE)
            return
        self.expect_success(replies)
        self.model.node_props[node.upper()].update(props)

    # -- rules: storage pools ------------------------------------------------------------------------
    @rule(target=storage_pools, node=nodes, name=ls.names("storage_pool"), data=st.data())
    def create_storage_pool(self, node: str, name: str, data):
        kind = data.draw(st.sampled_from(self.provider_kinds), label="provider_kind")
        replies = self.client.storage_pool_create(node, name, kind, "vg/%s" % name)
        key = (node.upper(), name.upper())
        if node.upper() not in self.model.nodes:
            self.expect_error(replies, C.FAIL_NOT_FOUND_NODE)
        elif key in self.model.pools:
            self.expect_error(replies, C.FAIL_EXISTS_STOR_POOL)
        else:
            self.expect_success(replies)
            self.model.pools[key] = kind
            self.model.pool_total[key] = self.controller.read(lambda c: c.default_pool_capacity_kib)
        return (node, name)

    @rule(pool=consumes(storage_pools))
    def delete_storage_pool(self, pool: Tuple[str, str]):
        node, name = pool
        replies = self.client.storage_pool_delete(node, name)
        if self.model.pool_in_use(node.upper(), name.upper()):
            self.expect_error(replies, C.FAIL_IN_USE)
            return
        # a pool (or node) that is gone: the controller answers a warning, "had no effect"
        self.expect_no_error(replies)
        self.model.pools.pop((node.upper(), name.upper()), None)
        self.model.pool_total.pop((node.upper(), name.upper()), None)

    # -- rules: controller properties ---------------------------------------------------------------
    @rule(props=ls.props(max_size=3))
    def set_controller_props(self, props: Dict[str, str]):
        for key, value in props.items():
            self.expect_success(self.client.controller_set_prop(key, value))
            self.model.controller_props[key] = value

    # -- rules: resource and volume definitions -------------------------------------------------------
    @rule(target=resource_definitions, name=ls.names("resource"))
    def create_resource_definition(self, name: str):
        replies = self.client.resource_dfn_create(name)
        if name.upper() in self.model.rds:
            self.expect_error(replies, C.FAIL_EXISTS_RSC_DFN)
            return self.model.rds[name.upper()].name
        self.expect_success(replies)
        self.model.rds[name.upper()] = RscDfn(name)
        return name

    @rule(target=resource_definitions, name=ls.names("resource"),
          sizes=st.lists(VOLUME_SIZES, min_size=1, max_size=2))
    def create_resource_definition_with_volumes(self, name: str, sizes: List[int]):
        """The usual start of a resource: its definition and volume definitions in one step."""
        created = self.create_resource_definition(name)
        model = self.model.rds[name.upper()]
        if created != name or model.resources or len(model.volumes) + len(sizes) > self.max_volumes:
            return created
        for size in sizes:
            self.expect_success(self.client.volume_dfn_create(name, size))
            model.volumes[min(set(range(len(model.volumes) + 1)) - set(model.volumes))] = size
        return name

    @rule(rd=consumes(resource_definitions))
    def delete_resource_definition(self, rd: str):
        replies = self.client.resource_dfn_delete(rd)
        model = self.model.rds.get(rd.upper())
        if model is None:
            self.expect_no_error(replies)
        elif model.snapshots:
            self.expect_error(replies, C.FAIL_EXISTS_SNAPSHOT_DFN)
        else:
            self.expect_success(replies)
            del self.model.rds[rd.upper()]

    @rule(target=volume_definitions, rd=resource_definitions, size=VOLUME_SIZES)
    def create_volume_definition(self, rd: str, size: int):
        model = self.model.rds.get(rd.upper())
        if model is not None and (model.resources or len(model.volumes) >= self.max_volumes):
            return multiple()
        replies = self.client.volume_dfn_create(rd, size)
        if model is None:
            self.expect_error(replies, C.FAIL_NOT_FOUND_RSC_DFN)
            return multiple()
        self.expect_success(replies)
        number = min(set(range(len(model.volumes) + 1)) - set(model.volumes))
        model.volumes[number] = size
        return (rd, number)

    @rule(vd=volume_definitions, size=VOLUME_SIZES)
    def resize_volume_definition(self, vd: Tuple[str, int], size: int):
        rd, number = vd
        model = self.model.rds.get(rd.upper())
        old = model.volumes.get(number) if model else None
        replies = self.client.volume_dfn_modify(rd, number, size=size)
        if model is None:
            self.expect_error(replies, C.FAIL_NOT_FOUND_RSC_DFN)
            return
        if old is None:
            self.expect_error(replies, C.FAIL_NOT_FOUND_VLM_DFN)
            return
        short = [pool for node, pool in model.diskful().items()
                 if self.model.free(node, pool) is not None and self.model.free(node, pool) < size - old]
        if short:
            self.expect_error(replies, C.FAIL_NOT_ENOUGH_FREE_SPACE)
            return
        self.expect_no_error(replies)  # the same size again is a warning
        # a shrink is only flagged (RESIZE_SHRINK): the controller keeps the size (until v1.33.3)
        model.volumes[number] = max(size, old)

    # -- rules: resources -----------------------------------------------------------------------------
    @rule(target=resources, rd=resource_definitions, node=nodes, data=st.data())
    def create_resource(self, rd: str, node: str, data):
        """A diskful resource in one of the node's pools, or a diskless one."""
        import linstor

        model = self.model.rds.get(rd.upper())
        node_key = node.upper()
        if model is not None and node_key in model.resources:
            return multiple()
        pools = sorted(p for (n, p), kind in self.model.pools.items() if n == node_key and kind != "DISKLESS")
        pool = data.draw(st.sampled_from([None] + pools), label="storage_pool") if pools else None
        # names are case-insensitive: the pool's key finds it
        replies = self.client.resource_create([linstor.ResourceData(node, rd, diskless=pool is None,
                                                                    storage_pool=pool)])
        if model is None or node_key not in self.model.nodes:
            self.expect_error(replies, C.FAIL_NOT_FOUND_RSC_DFN, C.FAIL_NOT_FOUND_NODE)
            return multiple()
        free = self.model.free(node_key, pool) if pool else None
        if free is not None and sum(model.volumes.values()) > free:
            self.expect_error(replies, C.FAIL_INVLD_VLM_SIZE)
            return multiple()
        self.expect_success(replies)
        model.resources[node_key] = pool
        model.place_count = None  # placed by hand from now on
        return (rd, node)

    @rule(rd=resource_definitions, place_count=st.integers(min_value=1, max_value=3))
    def autoplace(self, rd: str, place_count: int):
        """Autoplace of a definition with volumes and no resources: either ``place_count`` diskful
        replicas (read back into the model; the invariants check them) or not enough nodes."""
        model = self.model.rds.get(rd.upper())
        if model is None or model.resources or not model.volumes:
            return
        replies = self.client.resource_auto_place(rd, place_count)
        with_disks = {node for (node, _), kind in self.model.pools.items() if kind != "DISKLESS"}
        # which nodes have room is the autoplacer's estimate; too few nodes with disks must fail
        if any(r.is_error() for r in replies) or len(with_disks) < place_count:
            self.expect_error(replies, C.FAIL_NOT_ENOUGH_NODES)
            return
        for rsc in self.client.resource_list_raise(filter_by_resources=[rd]).resources:
            pools = {v.storage_pool_name.upper() for v in rsc.volumes}
            model.resources[rsc.node_name.upper()] = None if "DISKLESS" in rsc.flags else min(pools)
        model.place_count = place_count

    @rule(rsc=consumes(resources))
    def delete_resource(self, rsc: Tuple[str, str]):
        rd, node = rsc
        replies = self.client.resource_delete(node, rd)
        model = self.model.rds.get(rd.upper())
        if model is None or node.upper() not in model.resources:
            self.expect_no_error(replies)
            return
        others = [pool for n, pool in model.resources.items() if n != node.upper()]
        if model.resources[node.upper()] is not None and others and all(p is None for p in others):
            self.expect_error(replies, C.FAIL_IN_USE)  # the last disk of diskless peers stays
            return
        self.expect_success(replies)
        del model.resources[node.upper()]
        model.place_count = None

    # -- rules: snapshots -----------------------------------------------------------------------------
    @rule(target=snapshots, rd=resource_definitions, name=ls.names("snapshot"))
    def create_snapshot(self, rd: str, name: str):
        replies = self.client.snapshot_create(None, rd, name)
        model = self.model.rds.get(rd.upper())
        if model is None:
            self.expect_error(replies, C.FAIL_NOT_FOUND_RSC_DFN)
            return multiple()
        if name.upper() in model.snapshots:
            self.expect_error(replies, C.FAIL_EXISTS_SNAPSHOT_DFN)
            return (rd, name)
        disks = model.diskful()
        # without volumes no pool is involved (and the pool may be gone)
        if model.volumes and any(self.model.pools[(n, p)] not in SNAPSHOT_KINDS for n, p in disks.items()):
            self.expect_error(replies, C.FAIL_SNAPSHOTS_NOT_SUPPORTED)
            return multiple()
        if not disks:
            self.expect_error(replies, C.FAIL_NOT_CONNECTED)
            return multiple()
        self.expect_success(replies)
        model.snapshots[name.upper()] = dict(disks)
        return (rd, name)

    @rule(snap=consumes(snapshots))
    def delete_snapshot(self, snap: Tuple[str, str]):
        rd, name = snap
        replies = self.client.snapshot_delete(rd, name)
        self.expect_no_error(replies)
        model = self.model.rds.get(rd.upper())
        if model is not None:
            model.snapshots.pop(name.upper(), None)

    # -- rules: key-value store -----------------------------------------------------------------------
    @rule(target=kv_stores, name=ls.names("kvs"), props=ls.props(min_size=1, max_size=3))
    def write_kv_store(self, name: str, props: Dict[str, str]):
        self.expect_success(self.client.keyvaluestore_modify(name, property_dict=props))
        self.model.kvs.setdefault(name, {}).update(props)
        return name

    @rule(name=kv_stores, data=st.data())
    def delete_kv_keys(self, name: str, data):
        present = sorted(self.model.kvs.get(name, {}))
        keys = data.draw(st.lists(st.sampled_from(present + ["Aux/never-set"]), max_size=3, unique=True),
                         label="keys")
        self.expect_success(self.client.keyvaluestore_modify(name, delete_props=keys))
        store = self.model.kvs.get(name, {})
        for key in keys:
            store.pop(key, None)
        if not store:
            self.model.kvs.pop(name, None)  # an instance without keys is not listed

    # -- invariants --------------------------------------------------------------------------------
    @invariant()
    def nodes_match(self):
        listed = {n.name.upper(): n.name for n in self.client.node_list_raise().nodes}
        assert listed == self.model.nodes

    @invariant()
    def storage_pools_match(self):
        listed = {(p.node_name.upper(), p.name.upper()): p.provider_kind
                  for p in self.client.storage_pool_list_raise().storage_pools}
        assert listed == self.model.pools

    @invariant()
    def properties_match(self):
        for node in self.client.node_list_raise().nodes:
            aux = {k: v for k, v in node.props.items() if k.startswith("Aux/")}
            assert aux == self.model.node_props[node.name.upper()]
        props = self.controller.read(lambda c: dict(c.controller_props))
        for key, value in self.model.controller_props.items():
            assert props.get(key) == value

    @invariant()
    def free_space_within_capacity(self):
        for pool in self.client.storage_pool_list_raise().storage_pools:
            if pool.free_space is not None:
                assert 0 <= pool.free_space.free_capacity <= pool.free_space.total_capacity

    @invariant()
    def resource_definitions_match(self):
        listed = {rd.name.upper(): {vd.number: vd.size for vd in rd.volume_definitions}
                  for rd in self.client.resource_dfn_list_raise(query_volume_definitions=True).resource_definitions}
        assert listed == {key: rd.volumes for key, rd in self.model.rds.items()}

    @invariant()
    def resources_match(self):
        listed = {}
        for rsc in self.client.resource_list_raise().resources:
            pools = {v.storage_pool_name.upper() for v in rsc.volumes}
            diskless = "DISKLESS" in rsc.flags
            assert len(pools) <= 1, "volumes of one resource in several pools: %s" % pools
            assert not pools or diskless == (pools == {DISKLESS_POOL}), (rsc.name, rsc.node_name, pools)
            assert sorted(v.number for v in rsc.volumes) == sorted(self.model.rds[rsc.name.upper()].volumes)
            listed[(rsc.name.upper(), rsc.node_name.upper())] = None if diskless else min(pools, default=None)
        expected = {(rk, nk): pool for rk, rd in self.model.rds.items() for nk, pool in rd.resources.items()}
        # a diskful resource without volumes shows no pool
        assert listed == {
            k: (v if self.model.rds[k[0]].volumes else None) for k, v in expected.items()}

    @invariant()
    def resources_on_existing_nodes_and_pools(self):
        nodes = {n.name.upper() for n in self.client.node_list_raise().nodes}
        pools = {(p.node_name.upper(), p.name.upper()) for p in self.client.storage_pool_list_raise().storage_pools}
        for rsc in self.client.resource_list_raise().resources:
            assert rsc.node_name.upper() in nodes, "resource %s on missing node %s" % (rsc.name, rsc.node_name)
            for vlm in rsc.volumes:
                assert (rsc.node_name.upper(), vlm.storage_pool_name.upper()) in pools, (
                    "volume of %s in missing pool %s/%s" % (rsc.name, rsc.node_name, vlm.storage_pool_name))

    @invariant()
    def thick_pools_not_overcommitted(self):
        """A thick pool's free space is its capacity less the sizes of its volumes, never below 0."""
        sizes = {(rd.name.upper(), vd.number): vd.size
                 for rd in self.client.resource_dfn_list_raise(query_volume_definitions=True).resource_definitions
                 for vd in rd.volume_definitions}
        used: Dict[Tuple[str, str], int] = {}
        for rsc in self.client.resource_list_raise().resources:
            for vlm in rsc.volumes:
                key = (rsc.node_name.upper(), vlm.storage_pool_name.upper())
                used[key] = used.get(key, 0) + sizes[(rsc.name.upper(), vlm.number)]
        for pool in self.client.storage_pool_list_raise().storage_pools:
            key = (pool.node_name.upper(), pool.name.upper())
            if pool.provider_kind not in THICK_KINDS or pool.free_space is None:
                continue
            free, total = pool.free_space.free_capacity, pool.free_space.total_capacity
            assert free == total - self.model.pool_offset.get(key, 0) - used.get(key, 0) >= 0, (
                "%s/%s: free %d of %d with %d KiB of volumes" % (key + (free, total, used.get(key, 0))))
            assert free == self.model.free(*key)

    @invariant()
    def replica_counts_as_placed(self):
        """Autoplaced definitions have ``place_count`` diskful replicas, each on its own node."""
        listed: Dict[str, List[str]] = {}
        for rsc in self.client.resource_list_raise().resources:
            if "DISKLESS" not in rsc.flags:
                listed.setdefault(rsc.name.upper(), []).append(rsc.node_name.upper())
        for key, rd in self.model.rds.items():
            if rd.place_count is not None:
                nodes = listed.get(key, [])
                assert len(nodes) == len(set(nodes)) == rd.place_count, "%s: %s, placed %d" % (
                    rd.name, nodes, rd.place_count)

    @invariant()
    def snapshots_match(self):
        listed = {(s.rsc_name.upper(), s.snapshot_name.upper()): sorted(n.upper() for n in s.nodes)
                  for s in self.client.snapshot_dfn_list_raise().snapshots}
        assert listed == {(rk, sk): sorted(nodes) for rk, rd in self.model.rds.items()
                          for sk, nodes in rd.snapshots.items()}

    @invariant()
    def kv_stores_match(self):
        listed = {name: dict(self.client.keyvaluestore_list(name).properties)
                  for name in self.client.keyvaluestores().instances()}
        assert listed == self.model.kvs
