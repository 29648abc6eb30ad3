"""Client transports the fixtures use: in process to a fake, and over HTTP recording each call."""
from typing import Any, List, NamedTuple, Optional

from fakestor.faults import ConnectionDropped
from linstor.errors import LinstorNetworkError
from linstor.transport import HttpTransport, Query, Reply, WsgiTransport


class InProcessTransport(WsgiTransport):
    """``WsgiTransport`` that reports a dropped connection (a fault) as a network error, as over HTTP."""

    def request(self, method: str, path: str, body: Any = None, query: Optional[Query] = None) -> Reply:
        try:
            return super().request(method, path, body, query)
        except ConnectionDropped as err:
            raise LinstorNetworkError("Unable to send request to {}: {}".format(self.uri.display, err))


class Sent(NamedTuple):
    method: str
    path: str
    body: Any
    status: int


class RecordingTransport(HttpTransport):
    """``HttpTransport`` that remembers each call, so a test's objects can be removed afterwards."""

    def __init__(self, uri: str, timeout: float = 60, user_agent: str = "fakestor-testkit"):
        super().__init__(uri, timeout, user_agent)
        self.sent: List[Sent] = []

    def request(self, method: str, path: str, body: Any = None, query: Optional[Query] = None) -> Reply:
        reply = super().request(method, path, body, query)
        self.sent.append(Sent(method, path, body, reply.status))
        return reply
