"""The base wrapper every controller reply is delivered in, and ApiCallResponse."""
from .. import sharedconsts as consts

__all__ = ["RESTMessageResponse", "ApiCallResponse", "DataResponse"]


class RESTMessageResponse:
    """Wraps one parsed JSON value the controller sent."""

    def __init__(self, rest_data):
        self._rest_data = rest_data

    def data(self, version):
        return self.data_v0 if version == "v0" else self.data_v1

    @property
    def data_v0(self):
        return self._rest_data

    @property
    def data_v1(self):
        return self._rest_data

    def __bool__(self):
        return True

    def __str__(self):
        return str(self._rest_data)

    def __repr__(self):
        return "RESTMessageResponse({!r})".format(self._rest_data)


class ApiCallResponse(RESTMessageResponse):
    """One ApiCallRc entry: the outcome of one step of a create, modify or delete."""

    @classmethod
    def from_json(cls, json_data):
        return cls(json_data)

    @property
    def ret_code(self):
        return self._rest_data["ret_code"]

    def _has_all(self, mask):
        return self.ret_code & mask == mask

    def is_error(self, code=None):
        if not self._has_all(consts.MASK_ERROR):
            return False
        return True if not code else (code & self.ret_code) == code

    def is_warning(self):
        return self._has_all(consts.MASK_WARN)

    def is_info(self):
        return self._has_all(consts.MASK_INFO)

    def is_success(self):
        return not self.is_error() and not self.is_warning() and not self.is_info()

    @property
    def message(self):
        return self._rest_data.get("message")

    @property
    def cause(self):
        return self._rest_data.get("cause")

    @property
    def correction(self):
        return self._rest_data.get("correction")

    @property
    def details(self):
        return self._rest_data.get("details")

    @property
    def object_refs(self):
        return self._rest_data.get("obj_refs", {})

    @property
    def error_report_ids(self):
        return self._rest_data.get("error_report_ids", [])

    @property
    def data_v0(self):
        out = {"ret_code": self.ret_code, "message": self.message}
        for key in ("cause", "correction", "details"):
            if self._rest_data.get(key):
                out[key] = self._rest_data[key]
        if self.object_refs:
            out["object_refs"] = [{"key": k, "value": v} for k, v in self.object_refs.items()]
        if self.error_report_ids:
            out["error_report_ids"] = self.error_report_ids
        return out

    def __str__(self):
        if self.is_error():
            prefix = "ERRO"
        elif self.is_info():
            prefix = "INFO"
        elif self.is_warning():
            prefix = "WARN"
        else:
            prefix = "SUCC"
        return "{}:{}".format(prefix, self.message)

    def __eq__(self, other):
        return isinstance(other, ApiCallResponse) and (self.ret_code, self.message) == (
            other.ret_code, other.message)

    def __hash__(self):
        return hash((self.ret_code, self.message))


class DataResponse(RESTMessageResponse):
    """A wrapper whose constructor argument python-linstor calls ``data``."""

    def __init__(self, data):
        super().__init__(data)
