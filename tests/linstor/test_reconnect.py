"""A disconnected client reopens its connection on the next request, as python-linstor's does:
the high-level classes disconnect a client they were handed, and callers keep using it."""
import pytest

import linstor


def test_requests_after_disconnect_reopen_the_connection(lin):
    lin.disconnect()
    assert not lin.connected
    assert [n.name for n in lin.node_list_raise().nodes] == ["alpha", "bravo", "charlie"]


def test_high_level_object_leaves_the_given_client_usable(lin):
    kv = linstor.KV("plugin", existing_client=lin)
    kv["a"] = "1"
    lin.disconnect()  # what a high-level object does when it leaves a client it entered
    assert lin.keyvaluestore_list("plugin").properties == {"a": "1"}


def test_a_client_never_connected_refuses_to_send():
    client = linstor.Linstor("linstor://127.0.0.1:1")
    with pytest.raises(linstor.LinstorNetworkError, match="Not connected"):
        client.node_list()
