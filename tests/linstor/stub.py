"""A recording stand-in for the client's transport, answering with canned controller JSON.

Client tests use it to check the exact request the client puts on the wire (verb, path,
query string, JSON body) and how it wraps the JSON a real controller sends back.
"""
import json
from typing import Any, Callable, Dict, List, NamedTuple, Optional, Tuple, Union

import linstor
from linstor.transport import ControllerUri, Reply, build_query


class Sent(NamedTuple):
    method: str
    path: str
    query: str
    body: Any


Answer = Union[Tuple[int, Any], Callable[[Sent], Tuple[int, Any]]]


def rc(ret_code: int, message: str = "", **extra) -> dict:
    """One ApiCallRc entry as the controller sends it."""
    entry = {"ret_code": ret_code, "message": message}
    entry.update(extra)
    return entry


def signed(ret_code: int) -> int:
    """A ret_code as the controller's JSON carries it: a Java signed long."""
    return ret_code - (1 << 64) if ret_code >= (1 << 63) else ret_code


# the controller's pure-success codes (op | object | code)
CREATED_RSC_DFN = 0x1380001
MODIFIED_CTRL_CONF = 0x2100003


class StubTransport:
    """Records requests; answers each (verb, path) with queued canned replies.

    Queued answers are used in order; the last one repeats until a new one is queued.
    """

    def __init__(self, rest_api_version: str = "1.25.1"):
        self.uri = ControllerUri(False, "stub", 3370)
        self.rest_api_version = rest_api_version
        self.sent: List[Sent] = []
        self._answers: Dict[Tuple[str, str], List[Answer]] = {}
        self._repeating = set()  # routes whose only answer was already used

    def on(self, method: str, path: str, body: Any = None, status: int = 200,
           handler: Optional[Callable[[Sent], Tuple[int, Any]]] = None) -> "StubTransport":
        key = (method, path)
        if key in self._repeating:
            self._repeating.discard(key)
            self._answers[key] = []
        self._answers.setdefault(key, []).append(handler or (status, body))
        return self

    def configure(self, auth=None, cafile=None, certfile=None, keyfile=None):
        pass

    def close(self):
        pass

    def request(self, method, path, body=None, query=None) -> Reply:
        if (method, path) == ("GET", "/v1/controller/version"):
            return self._json(200, {"version": "1.31.3", "git_hash": "stub", "build_time": "2025-07-10T00:00:00",
                                    "rest_api_version": self.rest_api_version})
        # the body as the controller would parse it
        wire_body = None if body is None else json.loads(json.dumps(body))
        sent = Sent(method, path, build_query(query), wire_body)
        self.sent.append(sent)
        queue = self._answers.get((method, path))
        if not queue:
            return self._json(404, [rc(-4611686018427387904 | 0x7FFF, "stub: no answer for {} {}".format(
                method, path))])
        if len(queue) > 1:
            answer = queue.pop(0)
        else:
            answer = queue[0]
            self._repeating.add((method, path))
        status, payload = answer(sent) if callable(answer) else answer
        return self._json(status, payload)

    @staticmethod
    def _json(status: int, payload: Any) -> Reply:
        return Reply(status, {"content-type": "application/json"}, json.dumps(payload).encode())

    # -- inspection ------------------------------------------------------------------------
    @property
    def last(self) -> Sent:
        return self.sent[-1]

    def calls(self) -> List[Tuple[str, str]]:
        return [(s.method, s.path) for s in self.sent]


def connected_client(stub: StubTransport) -> linstor.Linstor:
    client = linstor.Linstor("linstor://stub", transport=stub)
    client.connect()
    return client
