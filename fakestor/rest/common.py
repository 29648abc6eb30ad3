"""What every blueprint shares: the controller of the app, body parsing, replies."""
import json
import re
from typing import Any, Callable, Dict, Iterable, List, Optional

from flask import Response, request
from werkzeug.exceptions import NotFound

from linstor import sharedconsts as C

from ..apicallrc import ApiError, RcEntry, bare_error, http_status
from ..controller import Controller

JSON = "application/json"
MAX_NESTING = 1000  # Jackson's default StreamReadConstraints.maxNestingDepth


# where a request carries the controller it is for (see FakestorApp)
CONTROLLER_KEY = "fakestor.controller"


def controller() -> Controller:
    return request.environ[CONTROLLER_KEY]


def json_response(data: Any, status: int = 200) -> Response:
    return Response(json.dumps(data), status=status, mimetype=JSON)


def rc_response(entries: Iterable[RcEntry], success: int = 200, error_status: Optional[int] = None) -> Response:
    """The entries with the controller's status; ``error_status`` overrides it for replies that
    reach the controller's exception mapper (which answers every ApiRcException with 400)."""
    entries = list(entries)
    status = http_status(entries, success)
    if error_status is not None and any(e.is_error for e in entries):
        status = error_status
    return json_response([e.to_json() for e in entries], status)


class BodyError(Exception):
    """A request body the controller's JSON parser (Jackson) refuses.

    ``status`` and ``report`` depend on where the real controller parses the body: inside an
    asynchronous handler (500, no error report), a synchronous one (400, report) or nowhere
    (the exception mapper: 500, report)."""

    def __init__(self, detail: str, status: int = 500, report: bool = False):
        super().__init__(detail)
        self.detail = detail
        self.status = status
        self.report = report


class NullBody(Exception):
    """A body that is the JSON literal ``null``: the controller dereferences it and fails."""


# Body specs: a Python type (str, int for Java Integer, Long, float, bool), Any, ListOf(spec),
# MapOf(spec) (string keys) or Obj({field: spec}, "JavaClassName").
class Obj:
    def __init__(self, fields: Dict[str, Any], java: str = "Object"):
        self.fields = fields
        self.java = java


class MapOf:
    def __init__(self, value: Any):
        self.value = value


class ListOf:
    def __init__(self, item: Any):
        self.item = item


class Long:
    """A Java ``long`` field (``int`` in a spec is a Java ``Integer``)."""


_INT_RANGE = (-(1 << 31), (1 << 31) - 1)
_LONG_RANGE = (-(1 << 63), (1 << 63) - 1)
_TOKEN = {dict: "Object value (token `JsonToken.START_OBJECT`)", list: "Array value (token `JsonToken.START_ARRAY`)",
          str: "String value (token `JsonToken.VALUE_STRING`)", bool: "Boolean value (token `JsonToken.VALUE_TRUE`)",
          int: "Integer value (token `JsonToken.VALUE_NUMBER_INT`)",
          float: "Floating-point value (token `JsonToken.VALUE_NUMBER_FLOAT`)"}


def _java_type(spec: Any) -> str:
    if isinstance(spec, Obj):
        return "com.linbit.linstor.api.rest.v1.serializer.JsonGenTypes$%s" % spec.java
    if isinstance(spec, ListOf):
        return "java.util.ArrayList<%s>" % _java_type(spec.item)
    if isinstance(spec, MapOf):
        return "java.util.LinkedHashMap<java.lang.String,%s>" % _java_type(spec.value)
    return {str: "java.lang.String", int: "java.lang.Integer", Long: "java.lang.Long", float: "java.lang.Double",
            bool: "java.lang.Boolean"}.get(spec, "java.lang.Object")


def _mismatch(value: Any, spec: Any) -> BodyError:
    token = _TOKEN.get(type(value), "value")
    return BodyError("Cannot deserialize value of type `%s` from %s" % (_java_type(spec), token))


def _java_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value) if isinstance(value, float) else str(value)


def _coerce(value: Any, spec: Any) -> Any:
    """Jackson's default deserialization of ``value`` as ``spec``: scalars are coerced between
    string, number and boolean the way its defaults allow; everything else is refused."""
    if value is None or spec is Any or spec is None:
        return value
    if isinstance(spec, Obj):
        if not isinstance(value, dict):
            raise _mismatch(value, spec)
        out = {}
        for key, item in value.items():
            if key not in spec.fields:
                raise BodyError('Unrecognized field "%s" (class %s), not marked as ignorable (%d known properties: '
                                '%s])' % (key, _java_type(spec), len(spec.fields),
                                          ", ".join('"%s"' % f for f in spec.fields)))
            out[key] = _coerce(item, spec.fields[key])
        return out
    if isinstance(spec, ListOf):
        if not isinstance(value, list):
            raise _mismatch(value, spec)
        return [_coerce(item, spec.item) for item in value]
    if isinstance(spec, MapOf):
        if not isinstance(value, dict):
            raise _mismatch(value, spec)
        return {key: _coerce(item, spec.value) for key, item in value.items()}
    if spec is str:
        if isinstance(value, (dict, list)):
            raise _mismatch(value, spec)
        return value if isinstance(value, str) else _java_text(value)
    if spec in (int, Long):
        low, high = _INT_RANGE if spec is int else _LONG_RANGE
        name = "int" if spec is int else "long"
        if isinstance(value, bool) or isinstance(value, (dict, list)):
            raise _mismatch(value, spec)
        if isinstance(value, str):
            text = value.strip()
            if text == "":
                return None
            try:
                number = int(text)
            except ValueError:
                raise BodyError('Cannot deserialize value of type `%s` from String "%s": not a valid `%s` value'
                                % (_java_type(spec), value, _java_type(spec)))
        elif isinstance(value, float):
            if value != value or value in (float("inf"), float("-inf")):
                raise _mismatch(value, spec)
            number = int(value)
        else:
            number = value
        if not low <= number <= high:
            raise BodyError("Numeric value (%s) out of range of %s (%d - %d)" % (value, name, low, high))
        return number
    if spec is float:
        if isinstance(value, (bool, dict, list)):
            raise _mismatch(value, spec)
        try:
            return float(value)
        except ValueError:
            raise BodyError('Cannot deserialize value of type `java.lang.Double` from String "%s": not a valid '
                            '`java.lang.Double` value' % value)
    if spec is bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            return value != 0
        if isinstance(value, str) and value.strip().lower() in ("true", "false"):
            return value.strip().lower() == "true"
        if isinstance(value, str) and value.strip() == "":
            return None
        raise _mismatch(value, spec) if not isinstance(value, str) else BodyError(
            'Cannot deserialize value of type `java.lang.Boolean` from String "%s": only "true" or "false" '
            'recognized' % value)
    return value


def _reject_constant(name: str):
    raise ValueError("Non-standard token '%s': enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to allow" % name)


_DECODER = json.JSONDecoder(parse_constant=_reject_constant)


def parse_json(raw: bytes) -> Any:
    """The first JSON value of ``raw``; what follows it is ignored, as Jackson's ``readValue`` does."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise BodyError("Invalid UTF-8 start byte 0x%02x" % raw[err.start])
    text = text.lstrip(" \t\r\n\ufeff")
    if not text:
        raise BodyError("No content to map due to end-of-input")
    try:
        value, _ = _DECODER.raw_decode(text)
    except ValueError as err:
        raise BodyError(str(err))
    except RecursionError:
        # Python's parser gives up near the depth where Jackson's stream constraints refuse a document
        raise BodyError("Document nesting depth (%d) exceeds the maximum allowed (%d, from "
                        "`StreamReadConstraints.getMaxNestingDepth()`)" % (MAX_NESTING + 1, MAX_NESTING))
    return value


def body(spec: Any = None, required: bool = True, status: int = 500, report: bool = False) -> Any:
    """The request's JSON body, deserialized as ``spec``. python-linstor sends no Content-Type,
    so the body is parsed whatever the header says. An empty body is ``{}`` unless required.
    ``status``/``report``: how the endpoint's controller code answers a parse error."""
    raw = request.get_data(cache=True)
    if not raw.strip() and not required:
        return {} if isinstance(spec, Obj) or spec is None else None
    try:
        data = parse_json(raw)
        if data is None:
            raise NullBody()
        return _coerce(data, spec) if spec is not None else data
    except BodyError as err:
        err.status, err.report = status, report
        raise


# Where an endpoint parses its body decides the answer to a bad one (see BodyError).
ASYNC = {"status": 500, "report": False}
SYNC = {"status": 400, "report": True}
UNCAUGHT = {"status": 500, "report": True}


def parse_error_response(err: BodyError) -> Response:
    entry = RcEntry(C.API_CALL_PARSE_ERROR, "Unable to parse input json.", details=err.detail, report=err.report)
    controller().call(lambda cluster: [entry])
    return json_response([entry.to_json()], err.status)


def null_body_response() -> Response:
    """A ``null`` body: the controller's handler dereferences it (NullPointerException)."""
    entry = RcEntry(C.FAIL_UNKNOWN_ERROR, "An unknown error occurred.", report=True)
    controller().call(lambda cluster: [entry])
    return json_response([entry.to_json()], 500)


def write(operation: Callable[..., List[RcEntry]], success: int = 200) -> Response:
    """Runs a write on the controller and answers with its entries."""
    return rc_response(controller().call(operation), success)


def read(query: Callable[..., Any]) -> Any:
    return controller().read(query)


def lookup(query: Callable[..., Any]) -> Response:
    """A read answered with its JSON, or with the entries of the lookup that failed."""
    try:
        return json_response(read(query))
    except ApiError as err:
        return rc_response(err.entries)


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
        limit = _java_int(request.args.get("limit", "0"))
        offset = _java_int(request.args.get("offset", "0"))
    except ValueError:
        # Jersey answers an unconvertible query parameter with "not found"
        raise NotFound()
    if limit > 0:
        return items[offset:offset + limit]
    return items


def _java_int(text: str) -> int:
    if not re.fullmatch(r"[+-]?[0-9]+", text or ""):
        raise ValueError(text)
    number = int(text)
    if not -(1 << 31) <= number < (1 << 31):
        raise ValueError(text)
    return number


def lookup_error(code: int, message: str) -> ApiError:
    return bare_error(code, message)
