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

Model: ``self.model.nodes`` maps upper-case node names to the names given, ``self.model.pools``
maps (node key, pool key) to the pool's provider kind, ``self.model.node_props`` and
``self.model.controller_props`` hold the ``Aux/`` properties set. New areas add a bundle, rules
that keep the model in step, and an invariant comparing the model with a listing.
"""
from typing import Dict, List, Optional, Tuple

from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, consumes, initialize, invariant, multiple, rule

from fakestor import create_app
from linstor import sharedconsts as C

from . import strategies as ls
from .controllers import fresh_controller
from .transport import InProcessTransport

_MASK = (1 << 64) - 1


class Model:
    """What the machine expects the controller to hold."""

    def __init__(self) -> None:
        self.nodes: Dict[str, str] = {}
        self.pools: Dict[Tuple[str, str], str] = {}
        self.node_props: Dict[str, Dict[str, str]] = {}
        self.controller_props: Dict[str, str] = {}


class LinstorStateMachine(RuleBasedStateMachine):
    nodes = Bundle("nodes")
    storage_pools = Bundle("storage_pools")

    #: cluster file loaded before the first step (a name in fixtures/ or a path), or None
    fixture: Optional[str] = None
    #: provider kinds the pool rule picks from
    provider_kinds = ("LVM", "LVM_THIN", "ZFS", "ZFS_THIN", "FILE_THIN")

    def __init__(self) -> None:
        super().__init__()
        self.controller = self.make_controller()
        self.client = self.make_client()
        self.model = Model()
        for pool in self.controller.cluster.list_storage_pools():
            self.model.pools[(pool.node_name.upper(), pool.name.upper())] = pool.provider_kind
        for node in self.controller.cluster.list_nodes():
            self.model.nodes[node.name.upper()] = node.name
            self.model.node_props[node.name.upper()] = {k: v for k, v in node.props.items() if k.startswith("Aux/")}

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
    def expect_error(replies: List, code: int) -> None:
        codes = [r.ret_code & C.MASK_BITS_CODE for r in replies if r.is_error()]
        assert (code & C.MASK_BITS_CODE) in codes, "expected error %d, got %s: %s" % (
            code & C.MASK_BITS_CODE, codes, "; ".join(r.message for r in replies))

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
        self.model.pools[(name.upper(), "DFLTDISKLESSSTORPOOL")] = "DISKLESS"
        return name

    @rule(name=ls.invalid_names("node"))
    def create_node_invalid_name(self, name: str):
        self.expect_error(self.client.node_create(name, "SATELLITE", "10.0.0.1"), C.FAIL_INVLD_NODE_NAME)

    @rule(node=consumes(nodes))
    def delete_node(self, node: str):
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
        return (node, name)

    @rule(pool=consumes(storage_pools))
    def delete_storage_pool(self, pool: Tuple[str, str]):
        node, name = pool
        replies = self.client.storage_pool_delete(node, name)
        # a pool (or node) that is gone: the controller answers a warning, "had no effect"
        assert not [r for r in replies if r.is_error()], "; ".join(r.message for r in replies)
        self.model.pools.pop((node.upper(), name.upper()), None)

    # -- rules: controller properties ---------------------------------------------------------------
    @rule(props=ls.props(max_size=3))
    def set_controller_props(self, props: Dict[str, str]):
        for key, value in props.items():
            self.expect_success(self.client.controller_set_prop(key, value))
            self.model.controller_props[key] = value

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
