"""What every area mixin of ``Linstor`` relies on."""
from typing import Any, List, Optional

from .. import errors
from ..responses import ApiCallResponse


def path_arg(value) -> str:
    """A name as a path segment. Names never hold '/', so quoting keeps paths unambiguous."""
    from urllib.parse import quote

    return quote(str(value), safe="")


def props_query(filter_by_props):
    return [("props", list(filter_by_props))] if filter_by_props else []


class ApiMixin:
    """Declares the core services the mixins use; ``linstorapi.Linstor`` provides them."""

    def _rest_request(self, apicall: str, method: str, path: str, body: Any = None,
                      query: Optional[list] = None) -> List[Any]:
        raise NotImplementedError

    def _require_version(self, required_version: str, msg: str = "Controller does not support this call"):
        raise NotImplementedError

    def api_version_smaller(self, version: str):
        raise NotImplementedError

    @staticmethod
    def _list_or_raise(replies: list, list_class):
        """The list response of a *_list_raise call, or the error that came instead."""
        if replies:
            first = replies[0]
            if isinstance(first, list_class):
                return first
            if isinstance(first, ApiCallResponse):
                raise errors.LinstorApiCallError(first, replies)
            raise errors.LinstorError("Unexpected response: {}".format(first))
        raise errors.LinstorError("No list response received.")
