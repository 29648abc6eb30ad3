"""The hypothesis strategies produce what they promise: names the controller's rules accept or
refuse, cluster files the fake loads, filters and sizes in range."""
import pytest
from faker import Faker
from hypothesis import given, settings
from hypothesis import strategies as st

from fakestor import Controller, fixtures
from fakestor.model import names as rules
from testkit import strategies as ls
from testkit.faker_provider import LinstorProvider

CHECKS = {
    "node": rules.check_node_name,
    "resource": rules.check_resource_name,
    "resource_group": rules.check_generic,
    "volume_group": rules.check_generic,
    "snapshot": rules.check_generic,
    "kvs": rules.check_generic,
    "storage_pool": rules.check_storage_pool_name,
    "net_interface": rules.check_net_interface_name,
}
FAST = settings(max_examples=60, deadline=None)


@pytest.mark.parametrize("kind", sorted(CHECKS))
@FAST
@given(data=st.data())
def test_valid_names_pass_the_controllers_check(kind, data):
    name = data.draw(ls.names(kind))
    CHECKS[kind](name)


@pytest.mark.parametrize("kind", sorted(CHECKS))
@FAST
@given(data=st.data())
def test_invalid_names_fail_the_controllers_check(kind, data):
    name = data.draw(ls.invalid_names(kind))
    with pytest.raises(rules.InvalidName):
        CHECKS[kind](name)


def test_unknown_kinds_are_refused():
    with pytest.raises(ValueError):
        ls.names("planet")


@settings(max_examples=30, deadline=None)
@given(ls.clusters(max_nodes=4))
def test_generated_clusters_load_into_the_fake(cluster):
    ctl = Controller()
    fixtures.load(ctl, cluster)
    assert sorted(n.name for n in ctl.cluster.list_nodes()) == sorted(n["name"] for n in cluster["nodes"])
    for node in cluster["nodes"]:
        for pool in node["storage_pools"]:
            loaded = ctl.cluster.get_storage_pool(node["name"], pool["name"])
            assert loaded.total_capacity == fixtures.size_kib(pool["size"])
            if "free" in pool:
                assert loaded.free_capacity == fixtures.size_kib(pool["free"])


@FAST
@given(ls.select_filters(node_names=["alpha", "bravo"], pool_names=["thin"], max_place_count=3))
def test_select_filters_refer_to_the_given_objects(flt):
    assert 1 <= flt["place_count"] <= 3
    assert set(flt.get("node_name_list", [])) <= {"alpha", "bravo"}
    assert set(flt.get("storage_pool_list", [])) <= {"thin"}
    for key in flt.get("replicas_on_same", []) + flt.get("replicas_on_different", []):
        assert key.startswith("Aux/")


@FAST
@given(ls.volume_sizes(max_volumes=3, max_kib=1024))
def test_volume_sizes(sizes):
    assert 1 <= len(sizes) <= 3 and all(1 <= s <= 1024 for s in sizes)


@FAST
@given(ls.size_strings(min_kib=1024, max_kib=1024 ** 3))
def test_size_strings_parse_within_bounds(text):
    assert 1024 <= fixtures.size_kib(text) <= 1024 ** 3


@FAST
@given(ls.props())
def test_props_are_accepted_on_a_node(props):
    ctl = Controller()
    fixtures.load(ctl, {"nodes": [{"name": "alpha", "address": "10.0.0.1"}]})
    entries = ctl.call(lambda c: c.modify_node("alpha", override=props))
    assert not [e for e in entries if e.is_error]
    assert {k: v for k, v in ctl.cluster.get_node("alpha").props.items() if k.startswith("Aux/")} == props


@FAST
@given(ls.pvc_names())
def test_pvc_names_are_resource_names(name):
    rules.check_resource_name(name)


def test_faker_names_follow_the_rules():
    fake = Faker()
    fake.add_provider(LinstorProvider)
    Faker.seed(3)
    for _ in range(200):
        rules.check_node_name(fake.linstor_node_name())
        rules.check_node_name(fake.linstor_node_name(fqdn=True))
        rules.check_resource_name(fake.linstor_resource_name())
        rules.check_storage_pool_name(fake.linstor_storage_pool_name())
        rules.check_generic(fake.linstor_resource_group_name())
        rules.check_generic(fake.linstor_snapshot_name())
        rules.check_generic(fake.linstor_kvs_name())
    assert fake.linstor_resource_name().startswith("pvc-")
