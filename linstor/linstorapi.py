"""``Linstor``, the client of a LINSTOR controller's REST API, and ``MultiLinstor``."""
import functools
import json
import logging
import re
import xml.etree.ElementTree as ElementTree
from typing import Any, List

from . import responses
from . import sharedconsts as apiconsts
from .api.base import ApiMixin
from .api.controller import ControllerMixin
from .api.exos import ExosMixin
from .api.groups import GroupsMixin
from .api.kvs import KvsMixin
from .api.nodes import NodesMixin
from .api.reports import ReportsMixin
from .api.resources import ResourcesMixin
from .api.snapshots import SnapshotsMixin
from .api.storage import StorageMixin
from .errors import LinstorApiCallError, LinstorArgumentError, LinstorError, LinstorNetworkError
from .size_calc import SizeCalc
from .transport import REST_HTTPS_PORT, REST_PORT, ConnectFailed, CurlTransport, HttpTransport, WsgiTransport
from .version import VERSION

API_VERSION_MIN = "1.0.4"
API_VERSION = "1.0.4"

log = logging.getLogger(__name__)

_API_RESPONSE_CLASSES = {
    "API_SINGLE_NODE_REQ": "ResourceConnection",
    apiconsts.API_LST_NODE: "NodeListResponse",
    apiconsts.API_LST_STOR_POOL: "StoragePoolListResponse",
    apiconsts.API_LST_RSC_DFN: "ResourceDefinitionResponse",
    apiconsts.API_LST_RSC_GRP: "ResourceGroupResponse",
    apiconsts.API_LST_VLM_GRP: "VolumeGroupResponse",
    apiconsts.API_LST_VLM_DFN: "VolumeDefinitionResponse",
    apiconsts.API_LST_RSC: "ResourceResponse",
    apiconsts.API_LST_VLM: "VolumeResponse",
    apiconsts.API_LST_SNAPSHOT_DFN: "SnapshotResponse",
    apiconsts.API_LST_SNAPSHOT_SHIPPINGS: "SnapshotShippingResponse",
    apiconsts.API_REQ_ERROR_REPORTS: "ErrorReport",
    apiconsts.API_LST_CTRL_PROPS: "ControllerProperties",
    apiconsts.API_REQ_RSC_CONN_LIST: "ResourceConnectionsResponse",
    apiconsts.API_LST_STOR_POOL_DFN: "StoragePoolDefinitionResponse",
    apiconsts.API_QRY_MAX_VLM_SIZE: "MaxVolumeSizeResponse",
    apiconsts.API_LST_KVS: "KeyValueStoresResponse",
    apiconsts.API_VERSION: "ControllerVersion",
    apiconsts.API_LST_PHYS_STOR: "PhysicalStorageList",
    apiconsts.API_RPT_SPC: "SpaceReport",
    apiconsts.API_LST_EXOS_ENCLOSURES: "ExosListResponse",
    apiconsts.API_EXOS_ENCLOSURE_EVENTS: "ExosEnclosureEventListResponse",
    apiconsts.API_EXOS_EXEC: "ExosExecResponse",
    apiconsts.API_EXOS_MAP: "ExosMapListResponse",
    apiconsts.API_LST_EXOS_DFLTS: "ExosDefaults",
}


_ApiCallResponse = responses.ApiCallResponse
_ErrorReport = getattr(responses, "ErrorReport", None)


def _html_error_message(body: bytes) -> str:
    """The headline of an HTML error page (the element of class 'header'), as python-linstor shows it."""
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError:
        return "Request failed."
    for element in root.iter():
        if "header" in (element.attrib.get("class") or "").split() and element.text:
            return element.text.strip()
    return "Request failed."


@functools.lru_cache(maxsize=64)  # a handful of versions, compared on many calls (version gates)
def _version_tuple(version: str):
    parts = []
    for piece in str(version).split("."):
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits) if digits else 0)
    return tuple(parts)


class Linstor(ControllerMixin, NodesMixin, StorageMixin, ResourcesMixin, GroupsMixin, SnapshotsMixin,
              KvsMixin, ExosMixin, ReportsMixin, ApiMixin):
    """A client of one LINSTOR controller. Nothing is sent before ``connect()``.

    ``ctrl_host`` is a URI: ``linstor://host[:port]`` (HTTP, port 3370 by default),
    ``linstor+ssl://host[:port]`` or ``https://host[:port]`` (HTTPS, port 3371).
    ``transport`` replaces the network: pass ``linstor.transport.WsgiTransport(app)``
    to call a WSGI application (such as fakestor's) in this process.
    """

    APICALL2RESPONSE = {k: getattr(responses, v) for k, v in _API_RESPONSE_CLASSES.items()
                        if hasattr(responses, v)}
    API_SINGLE_NODE_REQ = "API_SINGLE_NODE_REQ"
    REST_PORT = REST_PORT
    REST_HTTPS_PORT = REST_HTTPS_PORT

    def __init__(self, ctrl_host, timeout=300, keep_alive=False, *, transport=None):
        self._ctrl_host = ctrl_host
        self._timeout = timeout
        self._keep_alive = keep_alive
        self._given_transport = transport
        self._transport = None
        self._connected = False
        self._ctrl_version = None
        self._times_entered = 0
        self._connecting = False
        self._username = None
        self._password = None
        self._certfile = None
        self._keyfile = None
        self._cafile = None
        self._allow_insecure = False
        self._curl = False
        self._user_agent = "PythonLinstor/{} (API{})".format(VERSION, API_VERSION)

    # -- settings -------------------------------------------------------------------------
    def _setting(name):  # noqa: N805 - builds the simple read/write properties below
        attr = "_" + name

        def getter(self):
            return getattr(self, attr)

        def setter(self, value):
            setattr(self, attr, value)

        return property(getter, setter)

    username = _setting("username")
    password = _setting("password")
    certfile = _setting("certfile")
    keyfile = _setting("keyfile")
    cafile = _setting("cafile")
    allow_insecure = _setting("allow_insecure")
    curl = _setting("curl")
    del _setting

    @property
    def connected(self):
        return self._connected

    @property
    def is_secure_connection(self):
        return bool(self._transport is not None and self._transport.uri.secure)

    # -- connection -----------------------------------------------------------------------
    def __enter__(self):
        if self._times_entered == 0:
            self.connect()
        self._times_entered += 1
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        self._times_entered -= 1
        if self._times_entered == 0:
            self.disconnect()

    def __del__(self):
        try:
            self.disconnect()
        except Exception:  # interpreter shutdown: nothing sensible left to do
            pass

    def _make_transport(self):
        if self._curl:
            return CurlTransport(self._ctrl_host)
        if self._given_transport is not None:
            return self._given_transport
        return HttpTransport(self._ctrl_host, self._timeout, self._user_agent)

    def connect(self) -> bool:
        """Opens the connection and checks that the controller speaks a REST API we know.

        :return: True
        :raises LinstorNetworkError: the controller cannot be reached
        :raises LinstorApiCallError: the controller's REST API is older than this client supports
        """
        if self._transport is not None and self._transport is not self._given_transport:
            self._transport.close()
        self._transport = None
        self._connected = False
        transport = self._make_transport()
        if self._curl:
            self._transport = transport
            self._connected = True
            return True
        if isinstance(transport, HttpTransport) and not transport.uri.secure:
            # a controller that only serves HTTPS answers its HTTP port with a redirect
            https_port = transport.https_redirect_port()
            if https_port:
                transport.use_https(https_port)
        if self._username and not transport.uri.secure and not self._allow_insecure:
            transport.close()
            raise LinstorNetworkError("Password authentication with HTTP not allowed, until explicitly enabled.")
        auth = (self._username, self._password) if self._username else None
        transport.configure(auth=auth, cafile=self._cafile, certfile=self._certfile, keyfile=self._keyfile)
        self._transport = transport
        self._connecting = True
        try:
            version = self.controller_version()
        except ConnectFailed as err:
            self.disconnect()
            raise LinstorNetworkError("Unable to connect to {}: {}".format(transport.where, err.reason))
        except LinstorError:
            self.disconnect()
            raise
        finally:
            self._connecting = False
        if not isinstance(version, responses.ControllerVersion):
            self.disconnect()
            raise LinstorError("Unexpected controller version reply: {}".format(version))
        rest_version = version.rest_api_version
        if not rest_version.startswith("1") or _version_tuple(rest_version) < _version_tuple(API_VERSION_MIN):
            self.disconnect()
            raise LinstorApiCallError(
                "Client doesn't support Controller rest api version: {}; Minimal version needed: {}".format(
                    rest_version, API_VERSION_MIN))
        self._ctrl_version = version
        self._connected = True
        return True

    def disconnect(self) -> None:
        """Closes the connection (a no-op when there is none)."""
        self._connected = False
        transport, self._transport = self._transport, None
        if transport is not None and transport is not self._given_transport:
            transport.close()
        # python-linstor's connection reopens itself on the next request after a disconnect;
        # code written for it (and the high-level classes, which disconnect a client they enter)
        # relies on that
        self._reopenable = transport if self._ctrl_version is not None and not self._connecting else None

    def controller_host(self) -> str:
        """The URI of the controller this client talks to."""
        return self._ctrl_host

    def stats(self) -> str:
        return ""

    @classmethod
    def has_linstor_https(cls, hostname: str, port: int) -> int:
        """The HTTPS port the controller's HTTP side redirects to, or 0 when it does not redirect."""
        probe = HttpTransport("linstor://{}:{}".format("[%s]" % hostname if ":" in hostname else hostname, port),
                              3, "")
        try:
            return probe.https_redirect_port()
        finally:
            probe.close()

    # -- version gates --------------------------------------------------------------------
    def api_version_smaller(self, version: str):
        """True when the connected controller's REST API is older than ``version``; falsy when not
        connected (no version is known then)."""
        return self._ctrl_version and _version_tuple(self._ctrl_version.rest_api_version) < _version_tuple(version)

    def _require_version(self, required_version, msg="REST action not supported by server"):
        if self.api_version_smaller(required_version):
            raise LinstorError("{}, REST-API-VERSION: {}; needed {}".format(
                msg, self._ctrl_version.rest_api_version, required_version))

    # -- requests -------------------------------------------------------------------------
    def _send(self, method, path, body, query):
        transport = self._transport
        if transport is None:
            transport = getattr(self, "_reopenable", None)
            if transport is None:
                raise LinstorNetworkError("Not connected to a controller; call connect() first.")
            self._transport = transport
        try:
            return transport.request(method, path, body, query)
        except LinstorNetworkError:
            # keep_alive: one reconnect and one retry; a timeout is not retried (the request may be running)
            if not self._keep_alive or self._connecting:
                raise
            self.connect()
            return self._transport.request(method, path, body, query)

    def _rest_request(self, apicall, method, path, body=None, query=None) -> List[Any]:
        reply = self._send(method, path, body, query)
        if reply is None:  # curl mode: printed, not sent
            return []
        if reply.status >= 400:
            return self._error_replies(reply, method, path)
        try:
            data = json.loads(reply.body)
        except ValueError as err:
            raise LinstorError("Unable to parse REST json data: {}\nRequest-Uri: {}; Status: {}".format(
                err, path, reply.status))
        cls = self.APICALL2RESPONSE.get(apicall, _ApiCallResponse)
        if cls is _ApiCallResponse or cls is _ErrorReport:
            return [cls(x) for x in data]
        if type(data) is list:
            if data and type(data[0]) is dict and "ret_code" in data[0]:
                return [_ApiCallResponse(x) for x in data]
        elif type(data) is dict and "ret_code" in data:
            return [_ApiCallResponse(data)]
        return [cls(data)]

    @staticmethod
    def _error_replies(reply, method, path):
        """An error status: the controller's ApiCallRc list, or a LinstorError saying what came instead."""
        if reply.body:
            if reply.headers.get("content-type", "text").startswith("application/json"):
                try:
                    data = json.loads(reply.body)
                except ValueError as err:
                    raise LinstorError("Unable to parse REST json data: {}\nRequest-Uri: {}".format(err, path))
                return [_ApiCallResponse(x) for x in (data if isinstance(data, list) else [data])]
            raise LinstorError("HTTP-Status({})/{}".format(reply.status, _html_error_message(reply.body)))
        raise LinstorError("REST api call method '{}' to resource '{}' returned status {} with no data."
                           .format(method, path, reply.status))

    # -- reply helpers --------------------------------------------------------------------
    @classmethod
    def all_api_responses_no_error(cls, replies) -> bool:
        return not any(r.is_error() for r in replies)

    @classmethod
    def all_api_responses_success(cls, replies) -> bool:
        return all(r.is_success() for r in replies)

    @classmethod
    def filter_api_call_response(cls, replies) -> list:
        return [r for r in replies if isinstance(r, responses.ApiCallResponse)]

    @classmethod
    def filter_api_call_response_errors(cls, replies) -> list:
        return [r for r in replies if r.is_error()]

    @classmethod
    def return_if_failure(cls, replies_):
        return None if cls.all_api_responses_success(replies_) else replies_

    @classmethod
    def return_if_error(cls, replies_):
        return replies_ if not cls.all_api_responses_no_error(replies_) else None

    @classmethod
    def parse_volume_size_to_kib(cls, size_str: str) -> int:
        """``size_str`` ("10G", "100MiB", "5"; no unit means GiB) in KiB, rounded up."""
        match = re.match(r"(\d+)(\D*)", size_str)
        if not match:
            raise LinstorArgumentError("Size '{}' is not a valid number".format(size_str))
        number, unit = match.groups()
        entry = SizeCalc.UNITS_MAP.get((unit or "GiB").lower())
        if entry is None:
            raise LinstorArgumentError('"{}" is not a valid unit!\nValid units: {}'.format(
                unit, SizeCalc.UNITS_LIST_STR))
        return SizeCalc.convert_round_up(int(number), entry[1], SizeCalc.UNIT_KiB)

    @classmethod
    def layer_list(cls) -> set:
        # python-linstor 1.7.1's layer kinds, lower case (this sharedconsts carries newer, upper-case ones)
        return {"drbd", "luks", "storage", "nvme", "openflex", "exos", "writecache", "cache"}

    @classmethod
    def provider_list(cls) -> list:
        return responses.StoragePoolDriver.list()

    def node_types(self) -> list:
        return [apiconsts.VAL_NODE_TYPE_CTRL, apiconsts.VAL_NODE_TYPE_AUX, apiconsts.VAL_NODE_TYPE_CMBD,
                apiconsts.VAL_NODE_TYPE_STLT, apiconsts.VAL_NODE_TYPE_OPENFLEX_TARGET]


class MultiLinstor(Linstor):
    """A client that connects to the first reachable controller of a list."""

    def __init__(self, ctrl_host_list, timeout=300, keep_alive=False, *, transport=None):
        super().__init__(ctrl_host_list[0], timeout, keep_alive, transport=transport)
        self._ctrl_host_list = list(ctrl_host_list)

    def connect(self) -> bool:
        """Connects to the first controller of the list that can be reached; a controller that
        answers but refuses this client stops the search."""
        errors_seen = []
        for uri in self._ctrl_host_list:
            self._ctrl_host = uri
            try:
                return super().connect()
            except LinstorNetworkError as err:
                errors_seen.append(err)
        raise LinstorNetworkError(
            "Unable to connect to any of the given controller hosts: {}".format(self._ctrl_host_list),
            errors_seen)

    @classmethod
    def controller_uri_list(cls, controller_list: str) -> list:
        uris = []
        for entry in controller_list.split(","):
            entry = entry.strip()
            if entry:
                uris.append(entry if "://" in entry else "linstor://" + entry)
        return uris


class ResourceData:
    """One resource to create with ``Linstor.resource_create``."""

    def __init__(self, node_name, rsc_name, diskless=False, storage_pool=None, node_id=None, layer_list=None,
                 drbd_diskless=False, nvme_initiator=False, active=True):
        self._node_name = node_name
        self._rsc_name = rsc_name
        self._diskless = diskless
        self._storage_pool = storage_pool
        self._node_id = node_id
        self._layer_list = layer_list
        self._drbd_diskless = drbd_diskless
        self._nvme_initiator = nvme_initiator
        self._active = active

    node_name = property(lambda self: self._node_name)
    rsc_name = property(lambda self: self._rsc_name)
    diskless = property(lambda self: self._diskless)
    storage_pool = property(lambda self: self._storage_pool)
    node_id = property(lambda self: self._node_id)
    layer_list = property(lambda self: self._layer_list)
    drbd_diskless = property(lambda self: self._drbd_diskless)
    nvme_initiator = property(lambda self: self._nvme_initiator)
    active = property(lambda self: self._active)


__all__ = ["Linstor", "MultiLinstor", "ResourceData", "WsgiTransport"]
