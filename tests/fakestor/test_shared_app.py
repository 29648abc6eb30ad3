"""One Flask app per process serves many controllers, each request seeing only its own."""
import threading

import pytest
import requests
from werkzeug.test import Client

from fakestor import Controller, create_app, fixtures
from fakestor.server import Server


def controller_with(*names):
    ctl = Controller()
    fixtures.load(ctl, {"nodes": [{"name": n, "address": "10.0.0.%d" % (i + 1)} for i, n in enumerate(names)]})
    return ctl


def test_each_app_answers_for_its_own_controller():
    one, two = controller_with("alpha"), controller_with("bravo", "charlie")
    a, b = Client(create_app(one)), Client(create_app(two))
    for _ in range(3):
        assert [n["name"] for n in a.get("/v1/nodes").json] == ["alpha"]
        assert [n["name"] for n in b.get("/v1/nodes").json] == ["bravo", "charlie"]
    assert len(one.journal) == 3 and len(two.journal) == 3


@pytest.mark.http
def test_concurrent_servers_never_see_each_others_state():
    one, two = controller_with("alpha"), controller_with("bravo")
    wrong = []
    with Server(one, app=create_app(one)) as s1, Server(two, app=create_app(two)) as s2:
        def hammer(url, expected):
            with requests.Session() as session:
                for _ in range(25):
                    names = [n["name"] for n in session.get(url + "/v1/nodes", timeout=10).json()]
                    if names != expected:
                        wrong.append(names)

        threads = [threading.Thread(target=hammer, args=(s1.url, ["alpha"])),
                   threading.Thread(target=hammer, args=(s2.url, ["bravo"]))]
        threads += [threading.Thread(target=hammer, args=(s1.url, ["alpha"]))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert wrong == []
    assert len(one.journal) == 50 and len(two.journal) == 25


def test_an_app_per_controller_is_cheap_and_routes_are_compiled_once():
    first, second = create_app(Controller()), create_app(Controller())
    assert first.flask is second.flask
    assert first.controller is not second.controller
