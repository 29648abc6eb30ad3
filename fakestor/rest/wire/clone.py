"""Wire JSON of clone replies (``Json.resourceDefCloneStarted``, ``ResourceDefinitionCloneStatus``)."""
from typing import List
from urllib.parse import quote

from ...apicallrc import RcEntry

INVALID_NAME = "__invalid_name__"  # what the controller reports when the request named no clone


def clone_started(source_name: str, clone_name: str, entries: List[RcEntry]) -> dict:
    # Guava's urlPathSegmentEscaper: unreserved characters, sub-delims, ':' and '@' stay as they are
    escaped = quote(clone_name, safe="-._~!$&'()*+,;=:@")
    return {"location": "/v1/resource-definitions/%s/clone/%s" % (source_name, escaped),
            "source_name": source_name, "clone_name": clone_name,
            "messages": [e.to_json() for e in entries]}


def clone_status(status: str) -> dict:
    return {"status": status}
