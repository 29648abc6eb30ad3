"""WSGI middleware that records the requests reaching the fake controller."""
from typing import List, Tuple


class CountingApp:
    def __init__(self, app):
        self.app = app
        self.requests: List[Tuple[str, str]] = []

    def __call__(self, environ, start_response):
        self.requests.append((environ["REQUEST_METHOD"], environ["PATH_INFO"]))
        return self.app(environ, start_response)
