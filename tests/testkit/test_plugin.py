"""The pytest plugin, run on test files of its own with pytester."""
import gc
import textwrap

import pytest

from fakestor import Controller, fixtures
from fakestor.server import Server


def run(pytester, source, *args):
    pytester.makepyfile(test_user=textwrap.dedent(source))
    # pytest collects garbage at the end of each run; objects of the outer session need no scan
    gc.freeze()
    return pytester.runpytest("-p", "no:cacheprovider", *args)


def test_each_test_gets_a_fresh_controller(pytester):
    result = run(pytester, """
        def test_one(fakestor, linstor_client):
            linstor_client.node_create("delta", "SATELLITE", "10.0.0.4")
            assert [n.name for n in fakestor.cluster.list_nodes()] == ["delta"]

        def test_two(fakestor):
            assert fakestor.cluster.list_nodes() == []
    """)
    result.assert_outcomes(passed=2)


def test_client_url_and_controller_are_one_controller(pytester):
    result = run(pytester, """
        import pytest, requests

        @pytest.mark.linstor_fixture("demo")
        def test_same(fakestor, fakestor_url, linstor_client):
            assert fakestor_url.startswith("http://127.0.0.1:")
            nodes = requests.get(fakestor_url + "/v1/nodes", timeout=5).json()
            assert [n["name"] for n in nodes] == ["alpha", "bravo", "charlie"]
            assert [n.name for n in linstor_client.node_list_raise().nodes] == ["alpha", "bravo", "charlie"]
            # the client fixture's own connect call is not in the journal
            fakestor.journal.assert_called("GET", "/v1/nodes", times=2)
            fakestor.journal.assert_not_called("GET", "/v1/controller/version")
    """)
    result.assert_outcomes(passed=1)


def test_a_cluster_file_by_path(pytester):
    pytester.makefile(".yaml", mini="nodes:\n  - name: solo\n    address: 10.9.0.1\n"
                                    "    storage_pools:\n      - {name: data, provider_kind: LVM, size: 1G}\n")
    result = run(pytester, """
        import os, pytest

        @pytest.mark.linstor_fixture(os.path.join(os.path.dirname(__file__), "mini.yaml"))
        def test_solo(linstor_client):
            pools = linstor_client.storage_pool_list_raise(filter_by_stor_pools=["data"]).storage_pools
            assert [(p.node_name, p.free_space.total_capacity) for p in pools] == [("solo", 1024 ** 2)]
    """)
    result.assert_outcomes(passed=1)


def test_the_cluster_builder(pytester):
    result = run(pytester, """
        def test_build(linstor_cluster, linstor_client):
            (linstor_cluster.node("alpha").props(**{"Aux/zone": "a"}).pool("thin", "LVM_THIN", "100G")
                            .node("bravo").pool("thin", "LVM_THIN", "200G", free="50G"))
            pools = {(p.node_name, p.name): p.free_space.free_capacity
                     for p in linstor_client.storage_pool_list_raise(filter_by_stor_pools=["thin"]).storage_pools}
            assert pools == {("alpha", "thin"): 100 * 1024 ** 2, ("bravo", "thin"): 50 * 1024 ** 2}
            node = linstor_client.node_list_raise(filter_by_nodes=["alpha"]).nodes[0]
            assert node.props["Aux/zone"] == "a"
            assert [n["name"] for n in linstor_cluster.fixture()["nodes"]] == ["alpha", "bravo"]

        def test_a_bad_pool_says_why(linstor_cluster):
            import pytest
            from fakestor.fixtures import FixtureError
            with pytest.raises(FixtureError, match="storage pool x on alpha"):
                linstor_cluster.node("alpha").pool("x", "LVM")
    """)
    result.assert_outcomes(passed=2)


def test_the_version_marker(pytester):
    result = run(pytester, """
        import pytest

        @pytest.mark.linstor_version("1.26.1")
        def test_exact(linstor_client, fakestor):
            assert linstor_client.controller_version().version == "1.26.1"
            assert fakestor.version.rest_api_version == "1.21.0"

        @pytest.mark.linstor_version("<1.30")
        def test_range(fakestor):
            assert fakestor.version.linstor_version == "1.29.0"

        @pytest.mark.linstor_version("<1.0")
        def test_none_matches(fakestor):
            pass

        def test_default(fakestor):
            assert fakestor.version.linstor_version == "1.31.3"
    """)
    result.assert_outcomes(passed=3, skipped=1)


def test_a_call_budget_fails_a_chatty_test(pytester):
    result = run(pytester, """
        import pytest

        @pytest.mark.linstor_call_budget(2)
        def test_chatty(linstor_client):
            for _ in range(3):
                linstor_client.node_list()

        @pytest.mark.linstor_call_budget(2)
        def test_frugal(linstor_client):
            linstor_client.node_list()
    """)
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*3 calls made, budget 2*"])


def test_fake_only_runs_on_the_fake(pytester):
    result = run(pytester, """
        import pytest

        @pytest.mark.fake_only
        def test_faults(fakestor, linstor_client, linstor_name):
            assert linstor_name("res") == "res"   # names stay as given on the fake
            fakestor.faults.error(path="/v1/nodes")
            assert linstor_client.node_list()[0].is_error()
    """)
    result.assert_outcomes(passed=1)


def test_both_needs_the_real_url(pytester, monkeypatch):
    monkeypatch.delenv("LINSTOR_URL", raising=False)
    result = run(pytester, "def test_x(linstor_client): pass\n", "--linstor-target=both")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--linstor-url*"])


CONTRACT = """
    import pytest

    def test_creates_and_lists(linstor_client, linstor_name):
        node = linstor_name("node")
        assert not linstor_client.node_create(node, "SATELLITE", "10.0.0.9")[0].is_error()
        replies = linstor_client.storage_pool_create(node, "data", "LVM", "vg0")
        assert not replies[0].is_error()
        linstor_client.controller_set_prop("Aux/contract", "yes")
        names = [n.name for n in linstor_client.node_list_raise().nodes]
        assert node in names

    def test_a_name_gets_a_prefix_of_its_test(linstor_name):
        name = linstor_name("x")
        assert name.endswith("-x") and name != "x" and name == linstor_name("x")

    @pytest.mark.fake_only
    def test_needs_the_fake(linstor_client):
        pass

    def test_controls_need_the_fake(fakestor):
        pass

    @pytest.mark.linstor_version("1.31.3")
    def test_version_matches(linstor_client):
        assert linstor_client.controller_version().version == "1.31.3"

    @pytest.mark.linstor_version("1.20.0")
    def test_version_does_not_match(linstor_client):
        pass
"""


@pytest.fixture
def real():
    """A second fake served over HTTP, standing in for a real controller."""
    ctl = Controller()
    fixtures.load(ctl, "demo")
    with Server(ctl) as srv:
        yield ctl, srv.url


@pytest.mark.http
def test_contract_mode_runs_against_the_url_and_cleans_up(pytester, real):
    ctl, url = real
    result = run(pytester, CONTRACT, "--linstor-target=" + url, "-rs")
    result.assert_outcomes(passed=3, skipped=3)
    result.stdout.fnmatch_lines(["*fake_only*", "*fakestor fixture*", "*needs LINSTOR 1.20.0*"])
    created = ctl.journal.filter("POST", "/v1/nodes", status=201)
    assert len(created) == 1 and created[0].body["name"].endswith("-node")
    assert created[0].body["name"] != "node"
    # what the test created is gone, and the controller props are as they were
    assert sorted(ctl.cluster.nodes) == ["ALPHA", "BRAVO", "CHARLIE"]
    assert "Aux/contract" not in ctl.cluster.controller_props
    assert "DATA" not in ctl.cluster.storage_pool_definitions
    ctl.journal.assert_called("DELETE", "/v1/nodes/*", times=1)


@pytest.mark.http
def test_both_runs_each_test_on_the_fake_and_the_real_controller(pytester, real, monkeypatch):
    ctl, url = real
    result = run(pytester, """
        def test_lists(linstor_client, linstor_target):
            assert linstor_client.node_list_raise() is not None

        def test_fake_side(fakestor):
            pass
    """, "--linstor-target=both", "--linstor-url=" + url, "-v")
    result.assert_outcomes(passed=3, skipped=1)
    result.stdout.fnmatch_lines(["*test_lists?fake? PASSED*", "*test_lists?real? PASSED*"])
    assert ctl.journal.count("GET", "/v1/nodes") == 1


@pytest.mark.http
def test_under_xdist_workers_share_no_ports_or_state(pytester):
    pytester.makepyfile(test_user=textwrap.dedent("""
        import pytest, requests

        @pytest.mark.parametrize("i", range(6))
        @pytest.mark.linstor_fixture("demo")
        def test_parallel(i, fakestor_url, linstor_client):
            linstor_client.node_create("n%d" % i, "SATELLITE", "10.0.1.%d" % (i + 1))
            names = [n["name"] for n in requests.get(fakestor_url + "/v1/nodes", timeout=5).json()]
            assert names == sorted(["alpha", "bravo", "charlie", "n%d" % i])
    """))
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-n", "2")
    result.assert_outcomes(passed=6)
