"""The remaining node, controller and resource-definition calls: node connections (``rest/v1/NodeConnections.java``),
evacuation, a node's physical storage, sync status, size queries, volume passphrases,
configurations, the database backup and the event streams."""
from flask import Blueprint, Response, request

from linstor import sharedconsts as C

from ..apicallrc import RcEntry, signed64
from ..model.misc_ops import SatelliteOffline, may_promote_events
from ..placement import SelectFilter
from .common import (
    ASYNC,
    SYNC,
    UNCAUGHT,
    ListOf,
    MapOf,
    NullBody,
    Obj,
    body,
    controller,
    json_response,
    lookup,
    rc_response,
    read,
    write,
)
from .resource_groups import SELECT_FILTER, parse_filter
from .wire import misc as wire

bp = Blueprint("misc", __name__)

NODE_CONN_MODIFY = Obj({"override_props": MapOf(str), "delete_props": ListOf(str),
                        "delete_namespaces": ListOf(str)}, "NodeConnectionModify")


# -- node connections ---------------------------------------------------------------------------
@bp.get("/v1/node-connections")
def list_node_connections():
    node_a, node_b = request.args.get("node_a"), request.args.get("node_b")
    return lookup(lambda c: [wire.node_connection(x) for x in c.list_node_connections(node_a, node_b)])


@bp.put("/v1/node-connections/<node_a>/<node_b>")
def modify_node_connection(node_a, node_b):
    # parsed in the resource method itself: a bad body reaches the exception mapper
    data = body(NODE_CONN_MODIFY, **UNCAUGHT)
    return write(lambda c: c.modify_node_connection(node_a, node_b, data.get("override_props"),
                                                    data.get("delete_props"), data.get("delete_namespaces")))


# -- evacuation ---------------------------------------------------------------------------------
@bp.put("/v1/nodes/<node>/evacuate")
def evacuate_node(node):
    # LINSTOR 1.31.3 reads no body here
    return write(lambda c: c.evacuate_node(node))


# -- a node's physical storage ------------------------------------------------------------------
@bp.get("/v1/physical-storage/<node>")
def node_physical_storage(node):
    try:
        return lookup(lambda c: [wire.physical_device(d) for d in c.node_physical_devices(node)])
    except SatelliteOffline:
        # the satellite's PeerNotConnectedException carries no message; the entry (NON_EMPTY) has none
        entry = RcEntry(C.FAIL_UNKNOWN_ERROR, "", report=True)
        controller().call(lambda cluster: [entry])
        return json_response([{"ret_code": signed64(entry.ret_code), "error_report_ids": entry.error_report_ids}], 500)


# -- sync status ------------------------------------------------------------------------------
@bp.get("/v1/resource-definitions/<rsc>/sync-status")
def sync_status(rsc):
    return lookup(lambda c: {"synced_on_all": c.resource_definition_synced(rsc)})


# -- size queries -------------------------------------------------------------------------------
QSI_REQUEST = Obj({"select_filter": SELECT_FILTER, "ignore_cache_older_than_sec": int}, "QuerySizeInfoRequest")
QASI_REQUEST = Obj({"select_filter": SELECT_FILTER, "ignore_cache_older_than_sec": int}, "QueryAllSizeInfoRequest")


def _size_request(spec) -> SelectFilter:
    # read in the resource method; an empty body counts as "{}"
    data = body(spec, required=False, **UNCAUGHT)
    return parse_filter(data.get("select_filter") or {})


@bp.post("/v1/resource-groups/<rg>/query-size-info")
def query_size_info(rg):
    flt = _size_request(QSI_REQUEST)
    # a missing group is a report in a 200 answer, as every failure of the query
    return json_response(read(lambda c: wire.size_info(*c.query_size_info(rg, flt))))


@bp.post("/v1/queries/resource-groups/query-all-size-info")
def query_all_size_info():
    flt = _size_request(QASI_REQUEST)
    result = read(lambda c: {name: wire.size_info(*answer) for name, answer in c.query_all_size_info(flt).items()})
    # QueryAllSizeInfoResponse is NON_EMPTY: no groups, no "result"
    return json_response({"result": result} if result else {})


# -- a volume definition's passphrase -----------------------------------------------------------
VD_PASSPHRASE = Obj({"new_passphrase": str}, "VolumeDefinitionModifyPassphrase")


@bp.put("/v1/resource-definitions/<rsc>/volume-definitions/<int:vlm_nr>/encryption-passphrase")
def modify_volume_definition_passphrase(rsc, vlm_nr):
    data = body(VD_PASSPHRASE, **ASYNC)
    return write(lambda c: c.modify_volume_definition_passphrase(rsc, vlm_nr, data.get("new_passphrase")))


# -- configuration ------------------------------------------------------------------------------
_LEVELS = {"print_stack_trace": bool, "directory": str, "level": str, "level_linstor": str}
_CONFIG_DIR = Obj({"dir": str}, "ControllerConfigConfig")
_DEBUG = Obj({"console_enabled": bool}, "ControllerConfigDebug")
_ADDRESS = {"enabled": bool, "listen_address": str, "port": int}
CONTROLLER_CONFIG = Obj({
    "config": _CONFIG_DIR, "debug": _DEBUG,
    "log": Obj(dict(_LEVELS, level_global=str, level_linstor_global=str, rest_access_log_path=str,
                    rest_access_mode=str), "ControllerConfigLog"),
    "db": Obj({"connection_url": str, "ca_certificate": str, "client_certificate": str, "in_memory": str,
               "version_check_disabled": bool,
               "etcd": Obj({"operations_per_transaction": int, "prefix": str}, "ControllerConfigDbEtcd"),
               "k8s": Obj({"request_retries": int, "max_rollback_entries": int}, "ControllerConfigDbK8s")},
              "ControllerConfigDb"),
    "http": Obj(_ADDRESS, "ControllerConfigHttp"), "https": Obj(_ADDRESS, "ControllerConfigHttps"),
    "ldap": Obj({"enabled": bool, "public_access_allowed": bool, "uri": str, "dn": str, "search_base": str,
                 "search_filter": str}, "ControllerConfigLdap"),
}, "ControllerConfig")
SATELLITE_CONFIG = Obj({
    "config": _CONFIG_DIR, "debug": _DEBUG, "log": Obj(_LEVELS, "SatelliteConfigLog"),
    "stlt_override_node_name": str, "remote_spdk": bool, "ebs": bool, "special_satellite": bool,
    "drbd_keep_res_pattern": str,
    "net": Obj({"bind_address": str, "port": int, "com_type": str}, "SatelliteConfigNet"),
}, "SatelliteConfig")


@bp.get("/v1/controller/config")
def controller_config():
    return json_response(read(lambda c: wire.controller_config(c.controller_log)))


@bp.put("/v1/controller/config")
def set_controller_config():
    data = body(CONTROLLER_CONFIG, **ASYNC)
    return write(lambda c: c.set_controller_config(data.get("log")))


@bp.get("/v1/nodes/<node>/config")
def satellite_config(node):
    def query(c):
        found = c.satellite_config(node)
        return None if found is None else wire.satellite_config(*found)

    answer = lookup(query)
    if answer.status_code == 200 and answer.get_json() is None:
        # the controller holds no configuration of a satellite it is not connected to
        entry = RcEntry(C.WARN_NOT_CONNECTED | C.MASK_NODE, "Node is offline")
        return json_response([entry.to_json()], 503)
    return answer


@bp.put("/v1/nodes/<node>/config")
def set_satellite_config(node):
    data = body(SATELLITE_CONFIG, **ASYNC)
    return write(lambda c: c.set_satellite_config(node, data.get("log")))


# -- database backup ----------------------------------------------------------------------------
DB_BACKUP = Obj({"backup_name": str}, "DatabaseBackupRequest")


@bp.post("/v1/controller/backup/db")
def backup_database():
    try:
        data = body(DB_BACKUP, **SYNC)
    except NullBody:
        # a "null" body: the controller reads a field of the missing request object
        entry = RcEntry(C.FAIL_UNKNOWN_ERROR, "Exception thrown.",
                        details="Cannot read field \"backup_name\" because \"req\" is null", report=True)
        return rc_response(controller().call(lambda cluster: [entry]))
    return write(lambda c: c.backup_database(data.get("backup_name")), 201)


# -- event streams ------------------------------------------------------------------------------
# The controller keeps these streams open and writes an event whenever something changes. A
# fake has nothing to report later: it sends what the controller sends for the current state and
# ends the stream (clients reconnect, as they do after a controller restart).
SSE = "text/event-stream"


@bp.get("/v1/events/drbd/promotion")
def promotion_events():
    # the initial state only when asked for with "Last-Event-ID: current"
    events = []
    if request.headers.get("Last-Event-ID") == "current":
        events = read(lambda c: [wire.may_promote_change(*e) for e in may_promote_events(c)])
    return Response("".join(wire.sse_event("may-promote-change", e) for e in events), mimetype=SSE)


@bp.get("/v1/events/nodes")
def node_events():
    # node events are only sent when a node changes: nothing for the current state
    return Response("", mimetype=SSE)
