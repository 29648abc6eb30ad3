"""Controller replies: version and properties."""
from .base import DataResponse
from .common import field, required

__all__ = ["ControllerVersion", "ControllerProperties"]


class ControllerVersion(DataResponse):
    version = required("version")
    git_hash = field("git_hash")
    build_time = required("build_time")
    rest_api_version = field("rest_api_version", "1.0.0")


class ControllerProperties(DataResponse):
    @property
    def properties(self):
        return self._rest_data
