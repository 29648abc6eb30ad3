"""A real HTTP server for a fake controller, in a background thread."""
import threading
from typing import Optional

from werkzeug.serving import make_server

from .controller import Controller
from .rest import create_app


class Server:
    """Serves ``controller`` on ``host:port`` (port 0 picks a free one) until ``stop()``.

    >>> with Server(Controller()) as srv:
    ...     srv.url  # 'http://127.0.0.1:<port>'
    """

    def __init__(self, controller: Optional[Controller] = None, host: str = "127.0.0.1", port: int = 0,
                 ssl_context=None, app=None):
        """``app`` serves instead of ``create_app(controller)`` (e.g. wrapped in middleware)."""
        self.controller = controller or Controller()
        self.app = app or create_app(self.controller)
        self._server = make_server(host, port, self.app, threaded=True, ssl_context=ssl_context)
        self._server.daemon_threads = True
        self.host = host
        self.port = self._server.server_port
        self.scheme = "https" if ssl_context else "http"
        self._thread: Optional[threading.Thread] = None

    @property
    def url(self) -> str:
        host = "[%s]" % self.host if ":" in self.host else self.host
        return "%s://%s:%d" % (self.scheme, host, self.port)

    @property
    def linstor_uri(self) -> str:
        scheme = "linstor+ssl" if self.scheme == "https" else "linstor"
        return "%s://%s:%d" % (scheme, self.host, self.port)

    def start(self) -> "Server":
        # a short poll interval makes stop() return within milliseconds
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.005},
                                        name="fakestor-%d" % self.port, daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._server.serve_forever(poll_interval=0.2)

    def stop(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join()
            self._thread = None
        self._server.server_close()

    def __enter__(self) -> "Server":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
