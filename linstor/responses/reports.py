"""Error report and space report replies."""
from datetime import datetime

from .base import DataResponse
from .common import field, required

__all__ = ["ErrorReport", "SpaceReport"]


class ErrorReport(DataResponse):
    node_name = field("node_name")
    node_names = field("node_name")
    text = field("text")
    module = field("module", "")
    version = field("version", "")
    peer = field("peer", "")
    exception = field("exception", "")
    exception_message = field("exception_message", "")
    origin_file = field("origin_file", "")

    @property
    def id(self):
        # "ErrorReport-<id>.log"
        return self._rest_data["filename"][len("ErrorReport-"):-len(".log")]

    @property
    def datetime(self):
        millis = self._rest_data["error_time"]
        return datetime.fromtimestamp(millis / 1000).replace(microsecond=(millis % 1000) * 1000)

    @property
    def origin_line(self):
        line = self._rest_data.get("origin_line")
        return int(line) if line is not None else None

    @property
    def data_v0(self):
        out = dict(self._rest_data)
        out["node_names"] = out.pop("node_name", None)
        return out


class SpaceReport(DataResponse):
    report = required("reportText")
