"""/v1/files and /v1/resource-definitions/{rsc}/files: external files (``ExternalFiles.java``,
``ResourceDefinitions.java`` of LINSTOR 1.31.3).

A satellite's whitelist of directories (its start-up configuration, no LINSTOR call sets it) is a
test control, mirrored over HTTP with the other controls:

    GET/PUT /_fakestor/nodes/<node>/ext-file-whitelist   {"paths": ["/etc/app", ...]}

The file name is one URL path segment with its slashes encoded. The controller decodes it
twice: the REST framework decodes the path parameter, then the handler runs it through
``URLDecoder.decode`` again (so ``+`` becomes a space and ``%25xx`` an escape).
"""
import re

from flask import Blueprint, request
from werkzeug.routing import PathConverter

from linstor import sharedconsts as C

from ..apicallrc import ApiError, RcEntry
from ..model.ext_files import decode_content
from .common import ASYNC, Obj, body, controller, json_response, rc_response, read, write
from .wire import ext_files as wire


class FileNameConverter(PathConverter):
    """A path that may start with a slash (an encoded absolute name arrives decoded)."""

    regex = ".+?"
    part_isolating = False


bp = Blueprint("ext_files", __name__)
bp.record_once(lambda state: state.app.url_map.converters.setdefault("filename", FileNameConverter))
_JAVA_HEX = re.compile(r"[+-]?[0-9a-fA-F]+")  # what Integer.parseInt(s, 16) accepts

EXTERNAL_FILE = Obj({"path": str, "content": str}, "ExternalFile")
# the name may hold slashes (decoded from %2F), so the rules keep repeated slashes as they are
_RULE = {"merge_slashes": False}


def java_url_decode(text: str) -> str:
    """``java.net.URLDecoder.decode(text, "UTF-8")``; a malformed escape is an unhandled
    exception, answered as the controller's exception mapper does."""
    out = bytearray()
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "+":
            out += b" "
            i += 1
        elif ch == "%":
            if i + 2 >= len(text):
                _decode_failure("URLDecoder: Incomplete trailing escape (%) pattern")
            digits = text[i + 1:i + 3]
            value = int(digits, 16) if _JAVA_HEX.fullmatch(digits) else None
            if value is None:
                _decode_failure('URLDecoder: Illegal hex characters in escape (%%) pattern - For input string: '
                                '"%s" under radix 16' % digits)
            if value < 0:
                _decode_failure("URLDecoder: Illegal hex characters in escape (%) pattern - negative value")
            out.append(value)
            i += 3
        else:
            out += ch.encode("utf-8")
            i += 1
    return out.decode("utf-8", errors="replace")


def _decode_failure(detail: str) -> None:
    raise ApiError(RcEntry(C.FAIL_UNKNOWN_ERROR, "An unknown error occurred.", details=detail, report=True))


def _refused(err: ApiError):
    """A failure outside the handler: answered (500) and reported like any unhandled exception."""
    controller().call(lambda cluster: err.entries)
    return rc_response(err.entries)


@bp.get("/v1/files")
def list_files():
    # the controller reads only ``content``; it lists every file whatever else is asked
    raw = request.args.get("content")
    with_content = raw is not None and raw.lower() == "true"  # Boolean.valueOf
    return json_response(read(lambda c: [wire.external_file(f, with_content) for f in c.list_ext_files()]))


@bp.get("/v1/files/<filename:name>", **_RULE)
def show_file(name):
    try:
        path = java_url_decode(name)
    except ApiError as err:
        return _refused(err)
    found = read(lambda c: c.find_ext_file(path))
    if found is None:
        entry = RcEntry(C.FAIL_UNKNOWN_ERROR, "External file '%s' not found." % path)
        return json_response([entry.to_json()], 404)
    return json_response(wire.external_file(found, True))


@bp.get("/v1/files/<filename:name>/check/<node>", **_RULE)
def check_file(name, node):
    try:
        path = java_url_decode(name)
    except ApiError as err:
        return _refused(err)
    return json_response(wire.check_result(read(lambda c: c.ext_file_allowed(path, node))))


@bp.put("/v1/files/<filename:name>", **_RULE)
def put_file(name):
    data = body(EXTERNAL_FILE, **ASYNC)
    try:
        path = java_url_decode(name)
        content = decode_content(data.get("content"))
    except ApiError as err:
        return _refused(err)
    return write(lambda c: c.set_ext_file(path, content))


@bp.delete("/v1/files/<filename:name>", **_RULE)
def delete_file(name):
    try:
        path = java_url_decode(name)
    except ApiError as err:
        return _refused(err)
    return write(lambda c: c.delete_ext_file(path))


@bp.post("/v1/resource-definitions/<rsc>/files/<filename:name>", **_RULE)
def deploy_file(rsc, name):
    try:
        path = java_url_decode(name)
    except ApiError as err:
        return _refused(err)
    return write(lambda c: c.deploy_ext_file(rsc, path, True))


@bp.delete("/v1/resource-definitions/<rsc>/files/<filename:name>", **_RULE)
def undeploy_file(rsc, name):
    try:
        path = java_url_decode(name)
    except ApiError as err:
        return _refused(err)
    return write(lambda c: c.deploy_ext_file(rsc, path, False))


# -- test control: the satellites' whitelists ------------------------------------------------------
@bp.get("/_fakestor/nodes/<node>/ext-file-whitelist")
def get_whitelist(node):
    return json_response({"paths": read(lambda c: c.ext_file_whitelist(node))})


@bp.put("/_fakestor/nodes/<node>/ext-file-whitelist")
def put_whitelist(node):
    data = request.get_json(silent=True, force=True)
    paths = data.get("paths") if isinstance(data, dict) else None
    if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
        return json_response({"error": 'expected {"paths": ["/dir", ...]}'}, 400)
    return json_response({"paths": read(lambda c: c.set_ext_file_whitelist(node, paths))})
