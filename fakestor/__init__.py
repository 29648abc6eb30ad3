"""fakestor: an in-memory LINSTOR controller speaking the LINSTOR REST API."""
from .clock import Clock
from .controller import Controller
from .rest import create_app

__all__ = ["Clock", "Controller", "create_app"]
