"""The high-level ``linstor.Resource`` and ``linstor.Volume`` against the fake controller,
in process and over HTTP (``existing_client=lin``)."""
import pytest

import linstor
from linstor import LinstorError, LinstorReadOnlyAfterSetError

MIB = 1024 * 1024  # bytes
KIB_PER_MIB = 1024


@pytest.fixture
def client(lin):
    # held open for the whole test, so the high-level calls (which enter and leave the
    # client around every operation) never close it under the test's own calls
    with lin:
        yield lin


def new_resource(client, name="my res", size="10 MiB", pool="zfs") -> linstor.Resource:
    rsc = linstor.Resource(name, existing_client=client)
    rsc.volumes[0] = linstor.Volume(size)
    rsc.placement.storage_pool = pool
    return rsc


def free(client, node, pool) -> int:
    return client.storage_pool_list_raise(filter_by_nodes=[node], filter_by_stor_pools=[pool]).storage_pools[
        0].free_space.free_capacity


def resources(client, rsc_name):
    return {r.node_name: r for r in client.resource_list_raise(filter_by_resources=[rsc_name]).resources}


def test_nothing_exists_until_a_deploying_call(client):
    rsc = new_resource(client)
    assert not rsc.defined and rsc.linstor_name is None
    assert client.resource_dfn_list_raise().resource_definitions == []
    assert not rsc.is_assigned("alpha") and rsc.diskful_nodes() == [] and rsc.diskless_nodes() == []
    assert rsc.delete() is True


def test_diskful_creates_definitions_from_the_external_name(client):
    rsc = new_resource(client)
    before = free(client, "alpha", "zfs")
    assert rsc.diskful("alpha") is True
    assert rsc.defined and rsc.name == "my res" and rsc.linstor_name == "my_res"
    assert str(rsc) == "my res(my_res)"
    [rd] = client.resource_dfn_list_raise().resource_definitions
    assert rd.name == "my_res" and rd.external_name == "my res"
    assert rd.properties["DrbdOptions/Net/allow-two-primaries"] == "no"
    [vd] = rd.volume_definitions
    assert vd.size == 10 * KIB_PER_MIB and vd.properties == {"StorPoolName": "zfs"}
    assert free(client, "alpha", "zfs") == before - 10 * KIB_PER_MIB
    assert rsc.resource_group_name == "DfltRscGrp"

    assert rsc.is_assigned("alpha") and rsc.is_diskful("alpha") and not rsc.is_diskless("alpha")
    assert rsc.diskful_nodes() == ["alpha"] and rsc.diskless_nodes() == []
    volume = rsc.volumes[0]
    assert volume.size == 10 * MIB
    assert volume.minor == vd.drbd_data.minor == 1000
    assert volume.device_path == "/dev/drbd1000"
    assert volume.storage_pool_name == "zfs"
    assert rsc.is_thin() is False
    with pytest.raises(LinstorReadOnlyAfterSetError):
        rsc.name = "other"
    with pytest.raises(LinstorReadOnlyAfterSetError):
        volume.minor = 1234
    with pytest.raises(LinstorReadOnlyAfterSetError):
        volume.device_path = "/dev/x"


def test_thin_pool_and_chosen_port_and_minor(client):
    rsc = new_resource(client, "thinny", pool="thin")
    rsc.port = 7777
    rsc.volumes[0].minor = 2000
    rsc.diskful("bravo")
    assert rsc.port == 7777 and rsc.linstor_name == "thinny"
    assert client.resource_dfn_list_raise().resource_definitions[0].drbd_data.port == 7777
    assert rsc.volumes[0].minor == 2000 and rsc.volumes[0].device_path == "/dev/drbd2000"
    assert rsc.is_thin() is True
    with pytest.raises(LinstorReadOnlyAfterSetError):
        rsc.port = 7778


def test_diskless_activate_deactivate(client):
    rsc = new_resource(client)
    rsc.diskful("alpha")
    rsc.diskful("bravo")
    assert rsc.diskless("charlie") is True
    assert rsc.is_diskless("charlie") and not rsc.is_diskful("charlie")
    assert sorted(rsc.diskful_nodes()) == ["alpha", "bravo"] and rsc.diskless_nodes() == ["charlie"]
    charlie = resources(client, "my_res")["charlie"]
    assert "DRBD_DISKLESS" in charlie.flags
    assert charlie.volumes[0].storage_pool_name == "DfltDisklessStorPool"

    # activate: diskless where there is nothing, no change where there is a disk
    assert rsc.activate("charlie") is True
    assert rsc.activate("alpha") is True and rsc.is_diskful("alpha")
    assert rsc.deactivate("alpha") is True and rsc.is_diskful("alpha")
    assert rsc.deactivate("charlie") is True
    assert not rsc.is_assigned("charlie") and "charlie" not in resources(client, "my_res")
    assert rsc.activate("charlie") is True and rsc.is_diskless("charlie")


def test_toggle_between_diskless_and_diskful(client):
    rsc = new_resource(client)
    rsc.diskful("alpha")
    rsc.diskless("bravo")
    before = free(client, "bravo", "zfs")
    assert rsc.diskful("bravo") is True
    assert rsc.is_diskful("bravo")
    assert resources(client, "my_res")["bravo"].volumes[0].storage_pool_name == "zfs"
    assert free(client, "bravo", "zfs") == before - 10 * KIB_PER_MIB
    assert rsc.diskful("bravo") is True  # already diskful: nothing to do
    assert rsc.diskless("bravo") is True
    assert rsc.is_diskless("bravo") and free(client, "bravo", "zfs") == before
    # the last disk cannot go
    rsc.delete("bravo")
    with pytest.raises(LinstorError):
        rsc.diskless("alpha")
    assert rsc.is_diskful("alpha")


def test_failed_placement_raises(client):
    rsc = new_resource(client, pool="nopool")
    with pytest.raises(LinstorError):
        rsc.diskful("alpha")
    assert not rsc.is_assigned("alpha")


def test_reopening_finds_the_deployed_resource(client):
    first = new_resource(client)
    first.diskful("alpha")
    first.diskless("bravo")
    again = linstor.Resource("my res", existing_client=client)
    assert again.defined and again.linstor_name == "my_res"
    assert again.diskful_nodes() == ["alpha"] and again.diskless_nodes() == ["bravo"]
    assert list(again.volumes) == [0]
    assert again.volumes[0].size == 10 * MIB and again.volumes[0].minor == 1000
    assert again.volumes[0].storage_pool_name == "zfs"
    # a resource created by its LINSTOR name is found by that name
    client.resource_dfn_create("plain")
    assert linstor.Resource("plain", existing_client=client).defined


def test_allow_two_primaries(client):
    rsc = new_resource(client)
    rsc.diskful("alpha")
    assert rsc.allow_two_primaries is False
    rsc.allow_two_primaries = True
    props = client.resource_dfn_list_raise().resource_definitions[0].properties
    assert props["DrbdOptions/Net/allow-two-primaries"] == "yes"
    assert linstor.Resource("my res", existing_client=client).allow_two_primaries is True
    rsc.allow_two_primaries = False
    assert client.resource_dfn_props_list("my_res")["DrbdOptions/Net/allow-two-primaries"] == "no"


def test_volume_resize_of_a_deployed_volume(client):
    rsc = new_resource(client)
    rsc.diskful("alpha")
    rsc.diskful("bravo")
    before = free(client, "alpha", "zfs")
    rsc.volumes[0].size = 30 * MIB
    assert rsc.volumes[0].size == 30 * MIB
    assert client.resource_dfn_list_raise().resource_definitions[0].volume_definitions[0].size == 30 * KIB_PER_MIB
    assert free(client, "alpha", "zfs") == before - 20 * KIB_PER_MIB
    assert free(client, "bravo", "zfs") == before - 20 * KIB_PER_MIB
    with pytest.raises(ValueError):
        rsc.volumes[0].size = 1 * MIB
    # more than the pool holds: the controller refuses, the size stays
    with pytest.raises(LinstorError):
        rsc.volumes[0].size = "1 TiB"
    assert rsc.volumes[0].size == 30 * MIB


def test_volumes_added_and_removed(client):
    rsc = new_resource(client)
    rsc.diskful("alpha")
    rsc.volumes[1] = linstor.Volume(4 * MIB)
    rsc.diskful("alpha")  # a deploying call creates the new volume definition
    assert [vd.number for vd in client.resource_dfn_list_raise().resource_definitions[0].volume_definitions] == [0, 1]
    assert rsc.volumes[1].minor == 1001 and rsc.volumes[1].device_path == "/dev/drbd1001"
    del rsc.volumes[1]
    assert [vd.number for vd in client.resource_dfn_list_raise().resource_definitions[0].volume_definitions] == [0]
    with pytest.raises(ValueError):
        rsc.volumes[2] = "not a volume"


def test_drbd_proxy(client):
    rsc = new_resource(client)
    with pytest.raises(LinstorError):
        rsc.drbd_proxy_enable("alpha", "bravo")
    rsc.diskful("alpha")
    rsc.diskful("bravo")
    assert rsc.drbd_proxy_enable("alpha", "bravo") is True
    assert "LOCAL_DRBD_PROXY" in client.resource_conn_node_list_raise("my_res", "alpha", "bravo").flags
    assert rsc.drbd_proxy_disable("alpha", "bravo") is True
    assert "LOCAL_DRBD_PROXY" not in client.resource_conn_node_list_raise("my_res", "alpha", "bravo").flags
    with pytest.raises(LinstorError):
        rsc.drbd_proxy_enable("alpha", "charlie")


def test_delete_one_node_then_everything(client):
    rsc = new_resource(client)
    rsc.diskful("alpha")
    rsc.diskful("bravo")
    before = free(client, "bravo", "zfs")
    assert rsc.delete("bravo") is True
    assert not rsc.is_assigned("bravo") and free(client, "bravo", "zfs") == before + 10 * KIB_PER_MIB
    assert rsc.delete("charlie") is True  # not assigned there: nothing to do
    # snapshots=False: the fake does not list snapshots yet, and this resource has none
    assert rsc.delete(snapshots=False) is True
    assert not rsc.defined and not rsc.is_assigned("alpha")
    assert client.resource_dfn_list_raise().resource_definitions == []
    assert free(client, "alpha", "zfs") == before + 10 * KIB_PER_MIB


def test_delete_refused_while_in_use(client, controller):
    rsc = new_resource(client)
    rsc.diskful("alpha")
    rsc.diskful("bravo")
    controller.cluster.set_resource_in_use("my_res", "bravo")
    with pytest.raises(LinstorError):
        rsc.delete("bravo")
    assert rsc.is_diskful("bravo")
