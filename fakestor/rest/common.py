"""What every blueprint shares: the controller of the app, body parsing, replies."""
import json
from typing import Any, Callable, Dict, Iterable, List, Optional

from flask import Response, current_app, request

from linstor import sharedconsts as C

from ..apicallrc import ApiError, RcEntry, bare_error, http_status
from ..controller import Controller

JSON = "application/json"
MAX_NESTING = 1000  # Jackson's default StreamReadConstraints.maxNestingDepth


def controller() -> Controller:
    return current_app.config["FAKESTOR_CONTROLLER"]


def json_response(data: Any, status: int = 200) -> Response:
    return Response(json.dumps(data), status=status, mimetype=JSON)


def rc_response(entries: Iterable[RcEntry], success: int = 200) -> Response:
    entries = list(entries)
    return json_response([e.to_json() for e in entries], http_status(entries, success))


class BodyError(Exception):
    """A request body the controller's JSON parser refuses."""

    def __init__(self, detail: str, status: int = 500):
        super().__init__(detail)
        self.detail = detail
        self.status = status


# A type in a body spec: a Python type, a list [spec], a dict {str: spec}, or a nested spec dict
# written as Obj({...}).
class Obj:
    def __init__(self, fields: Dict[str, Any]):
        self.fields = fields


class MapOf:
    def __init__(self, value: Any):
        self.value = value


class ListOf:
    def __init__(self, item: Any):
        self.item = item


def _check(value: Any, spec: Any, where: str) -> None:
    if value is None:
        return
    if isinstance(spec, Obj):
        if not isinstance(value, dict):
            raise BodyError("Cannot deserialize value at '%s': expected an object" % where)
        for key, item in value.items():
            if key not in spec.fields:
                raise BodyError('Unrecognized field "%s" at \'%s\', not marked as ignorable' % (key, where))
            _check(item, spec.fields[key], "%s.%s" % (where, key))
    elif isinstance(spec, ListOf):
        if not isinstance(value, list):
            raise BodyError("Cannot deserialize value at '%s': expected an array" % where)
        for i, item in enumerate(value):
            _check(item, spec.item, "%s[%d]" % (where, i))
    elif isinstance(spec, MapOf):
        if not isinstance(value, dict):
            raise BodyError("Cannot deserialize value at '%s': expected an object" % where)
        for key, item in value.items():
            _check(item, spec.value, "%s.%s" % (where, key))
    elif spec is int:
        if isinstance(value, bool) or not isinstance(value, int) or not -(1 << 63) <= value < (1 << 63):
            raise BodyError("Cannot deserialize value at '%s': expected an integer" % where)
    elif spec is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise BodyError("Cannot deserialize value at '%s': expected a number" % where)
    elif spec is str:
        if not isinstance(value, str):
            raise BodyError("Cannot deserialize value at '%s': expected a string" % where)
    elif spec is bool:
        if not isinstance(value, bool):
            raise BodyError("Cannot deserialize value at '%s': expected a boolean" % where)
    elif spec is Any:
        return


def body(spec: Any = None, required: bool = True, status: int = 500) -> Any:
    """The request's JSON body, checked against ``spec``. python-linstor sends no Content-Type,
    so the body is parsed whatever the header says. An empty body is ``{}`` unless required."""
    raw = request.get_data(cache=True)
    if not raw.strip():
        if required:
            raise BodyError("No content to map due to end-of-input", status)
        return {} if isinstance(spec, Obj) or spec is None else None
    try:
        data = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as err:
        raise BodyError(str(err), status)
    except RecursionError:
        # Python's parser gives up near the depth where Jackson's stream constraints refuse a document
        raise BodyError("Document nesting depth (%d) exceeds the maximum allowed (%d, from "
                        "`StreamReadConstraints.getMaxNestingDepth()`)" % (MAX_NESTING + 1, MAX_NESTING), status)
    if data is None and isinstance(spec, Obj):
        # Jackson maps a JSON null body to a null object; the handler's first field access then
        # throws a NullPointerException, answered by the generic "Exception thrown." (with a report)
        entry = RcEntry(C.FAIL_UNKNOWN_ERROR, "Exception thrown.", report=True,
                        details='Cannot read field "%s" because the request body is null' % next(iter(spec.fields)))
        raise ApiError(controller().call(lambda cluster: [entry]))
    if spec is not None:
        try:
            _check(data, spec, "$")
        except BodyError as err:
            err.status = status
            raise
    return data


def parse_error_response(err: BodyError) -> Response:
    entry = RcEntry(C.API_CALL_PARSE_ERROR, "Unable to parse input json.", details=err.detail, report=True)
    controller().call(lambda cluster: [entry])
    return json_response([entry.to_json()], err.status)


def write(operation: Callable[..., List[RcEntry]], success: int = 200) -> Response:
    """Runs a write on the controller and answers with its entries."""
    return rc_response(controller().call(operation), success)


def read(query: Callable[..., Any]) -> Any:
    return controller().read(query)


def not_found(err: ApiError) -> Response:
    return rc_response(err.entries)


def query_list(name: str) -> Optional[List[str]]:
    """A repeated query parameter (``?nodes=a&nodes=b``; also accepts ``nodes=a,b``)."""
    values = []
    for raw in request.args.getlist(name):
        values.extend(v for v in raw.split(",") if v)
    return values or None


def query_bool(name: str, default: bool = False) -> bool:
    raw = request.args.get(name)
    if raw is None:
        return default
    return raw.lower() in ("true", "1", "yes")


def paginate(items: List[Any]) -> List[Any]:
    """The controller's ``limit``/``offset`` (offset only applies with a positive limit)."""
    try:
        limit = int(request.args.get("limit", 0))
        offset = int(request.args.get("offset", 0))
    except ValueError:
        return items
    if limit > 0:
        return items[offset:offset + limit]
    return items


def lookup_error(code: int, message: str) -> ApiError:
    return bare_error(code, message)
