"""``Linstor``, the client of a LINSTOR controller's REST API, and ``MultiLinstor``."""
import logging
from typing import Any, List, Optional

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
from .transport import REST_HTTPS_PORT, REST_PORT, CurlTransport, HttpTransport, WsgiTransport, decode_json
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

    def connect(self):
        """Opens the connection and checks that the controller speaks a REST API we know."""
        transport = self._make_transport()
        if self._username and not transport.uri.secure and not self._allow_insecure:
            raise LinstorNetworkError("Password authentication with HTTP not allowed, until explicitly enabled.")
        auth = (self._username, self._password or "") if self._username else None
        transport.configure(auth=auth, cafile=self._cafile, certfile=self._certfile, keyfile=self._keyfile)
        self._transport = transport
        self._connected = True
        if self._curl:
            return True
        try:
            version = self.controller_version()
        except LinstorNetworkError as err:
            self._connected = False
            self._transport = None
            raise LinstorNetworkError("Unable to connect to {}: {}".format(
                transport.uri.display, err.message.split(": ", 1)[-1]))
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
        return True

    def disconnect(self):
        self._connected = False
        if self._transport is not None and self._transport is not self._given_transport:
            self._transport.close()
        self._transport = None

    def controller_host(self):
        return self._ctrl_host

    def stats(self):
        return ""

    @classmethod
    def has_linstor_https(cls, hostname, port):
        """The HTTPS port the controller redirects to, or 0 when it does not redirect."""
        import requests

        try:
            resp = requests.get("http://{}:{}/v1/controller/version".format(hostname, port),
                                timeout=3, allow_redirects=False)
        except requests.RequestException:
            return 0
        if resp.status_code == 302:
            from urllib.parse import urlparse

            return urlparse(resp.headers.get("Location", "")).port or 0
        return 0

    # -- version gates --------------------------------------------------------------------
    def api_version_smaller(self, version):
        return self._ctrl_version and _version_tuple(self._ctrl_version.rest_api_version) < _version_tuple(version)

    def _require_version(self, required_version, msg="Controller does not support this call"):
        if self.api_version_smaller(required_version):
            raise LinstorError("{}, REST-API-VERSION: {}; needed {}".format(
                msg, self._ctrl_version.rest_api_version, required_version))

    # -- requests -------------------------------------------------------------------------
    def _send(self, method, path, body, query):
        if self._transport is None:
            raise LinstorNetworkError("Not connected to a controller; call connect() first.")
        try:
            return self._transport.request(method, path, body, query)
        except LinstorNetworkError:
            if not self._keep_alive or self._curl:
                raise
            self._transport.close()
            self._transport = self._make_transport()
            return self._transport.request(method, path, body, query)

    def _rest_request(self, apicall, method, path, body=None, query=None) -> List[Any]:
        reply = self._send(method, path, body, query)
        if reply.status >= 400:
            if reply.body and reply.headers.get("content-type", "").startswith("application/json"):
                data = decode_json(reply, method, path)
                return [responses.ApiCallResponse(x) for x in (data if isinstance(data, list) else [data])]
            if reply.body:
                raise LinstorError("HTTP-Status({}): {}".format(reply.status, reply.body[:200].decode(
                    "utf-8", "replace")))
            raise LinstorError("REST api call method '{}' to resource '{}' returned status {} with no data."
                               .format(method, path, reply.status))
        data = decode_json(reply, method, path)
        cls = self.APICALL2RESPONSE.get(apicall, responses.ApiCallResponse)
        if cls in (responses.ApiCallResponse, getattr(responses, "ErrorReport", None)):
            return [cls(x) for x in data]
        if isinstance(data, dict) and "ret_code" in data:
            return [responses.ApiCallResponse(data)]
        if isinstance(data, list) and data and isinstance(data[0], dict) and "ret_code" in data[0]:
            return [responses.ApiCallResponse(x) for x in data]
        return [cls(data)]

    # -- reply helpers --------------------------------------------------------------------
    @classmethod
    def all_api_responses_no_error(cls, replies):
        return not any(r.is_error() for r in replies)

    @classmethod
    def all_api_responses_success(cls, replies):
        return all(r.is_success() for r in replies)

    @classmethod
    def filter_api_call_response(cls, replies):
        return [r for r in replies if isinstance(r, responses.ApiCallResponse)]

    @classmethod
    def filter_api_call_response_errors(cls, replies):
        return [r for r in replies if r.is_error()]

    @classmethod
    def return_if_failure(cls, replies_):
        return None if cls.all_api_responses_success(replies_) else replies_

    @classmethod
    def return_if_error(cls, replies_):
        return replies_ if not cls.all_api_responses_no_error(replies_) else None

    @classmethod
    def parse_volume_size_to_kib(cls, size_str):
        import re

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
    def layer_list(cls):
        return {"drbd", "luks", "storage", "nvme", "openflex", "exos", "writecache", "cache"}

    @classmethod
    def provider_list(cls):
        return responses.StoragePoolDriver.list()

    def node_types(self):
        return [apiconsts.VAL_NODE_TYPE_CTRL, apiconsts.VAL_NODE_TYPE_AUX, apiconsts.VAL_NODE_TYPE_CMBD,
                apiconsts.VAL_NODE_TYPE_STLT, apiconsts.VAL_NODE_TYPE_OPENFLEX_TARGET]


class MultiLinstor(Linstor):
    """A client that connects to the first reachable controller of a list."""

    def __init__(self, ctrl_host_list, timeout=300, keep_alive=False, *, transport=None):
        super().__init__(ctrl_host_list[0], timeout, keep_alive, transport=transport)
        self._ctrl_host_list = list(ctrl_host_list)

    def connect(self):
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
    def controller_uri_list(cls, controller_list):
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
