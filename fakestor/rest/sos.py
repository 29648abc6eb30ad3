"""/v1/sos-report (+ /download), /v1/space-report and /v1/stats/*.

An SOS report is a tar.gz the controller writes to its log directory: per selected node a
directory, a ``_Controller`` directory with the controller's lists as JSON and its error
reports, and the query it was asked with. The fake's ``_Controller`` directory also holds
``state.json``, the whole cluster state, so every area's objects are in it.
"""
import dataclasses
import io
import json
import tarfile
from datetime import datetime, timezone
from typing import Dict, List, Optional

from flask import Blueprint, Response, request
from werkzeug.exceptions import NotFound

from linstor import sharedconsts as C

from ..apicallrc import RcEntry
from ..model.storage import DISKLESS_CAPACITY
from .common import controller, json_response, query_list, rc_response, read
from .error_reports import bool_arg, long_arg

bp = Blueprint("sos", __name__)

LOG_DIR = "/var/log/linstor-controller"
DEFAULT_DAYS = 7
QUERY_FILE = "query-params"
CONTROLLER_DIR = "_Controller"
# file in _Controller -> the GET whose answer it holds (skipped when the area is not served)
CONTROLLER_LISTS = {
    "node-list.json": "/v1/nodes",
    "stor-pool-list.json": "/v1/view/storage-pools",
    "resource-group-list.json": "/v1/resource-groups",
    "resource-definition-list.json": "/v1/resource-definitions",
    "snapshot-list.json": "/v1/view/snapshots",
    "view-resources.json": "/v1/view/resources",
    "space-reporting-query.json": "/v1/space-report",
}


# -- selection --------------------------------------------------------------------------------
def _report_name(now: float) -> str:
    return "sos_" + datetime.fromtimestamp(now, timezone.utc).strftime("%Y-%m-%d_%H-%M-%S")


def _selected_nodes(cluster, nodes: List[str], rscs: List[str], exclude: List[str]) -> List[str]:
    """The node names the report covers: ``nodes`` and the nodes of ``rscs`` (all when neither), minus ``exclude``."""
    wanted = {n.lower() for n in nodes}
    rsc_nodes = set()
    for rsc_name in (r.lower() for r in rscs):
        rsc_dfn = next((d for d in getattr(cluster, "resource_definitions", {}).values()
                        if getattr(d, "name", "").lower() == rsc_name), None)
        for rsc in (getattr(rsc_dfn, "resources", None) or {}).values():
            rsc_nodes.add(getattr(rsc, "node_name", "").lower())
    out = []
    for _, node in sorted(cluster.nodes.items()):
        name = node.name.lower()
        if (wanted or rsc_nodes) and name not in wanted and name not in rsc_nodes:
            continue
        if name in {e.lower() for e in exclude}:
            continue
        out.append(node.name)
    return out


def _since_ms(ctl) -> int:
    since = long_arg("since")
    return since if since is not None else int((ctl.clock.now() - DEFAULT_DAYS * 86400) * 1000)


# -- contents -------------------------------------------------------------------------------
def plain(value):
    """``value`` as plain JSON data, whatever an area keeps: dataclasses, sets, tuple keys, bytes."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {k if isinstance(k, str) else _key(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted((plain(v) for v in value), key=str)
    if isinstance(value, (bytes, bytearray)):
        return "<%d bytes>" % len(value)  # secrets (the master key) never leave the controller
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _key(key) -> str:
    return "/".join(map(str, key)) if isinstance(key, tuple) else str(key)


def state_json(cluster) -> str:
    """Every area's state, whatever the areas are (private bookkeeping left out)."""
    state = {k: v for k, v in cluster.state().items() if not k.startswith("_")}
    return json.dumps(plain(state), indent=1, sort_keys=True)


def _linstor_info(ctl) -> str:
    info = ctl.version_info()
    return ("LINSTOR Controller (fakestor)\nVersion:    %s\nGit commit: %s\nBuild time: %s\nREST API:   %s\n"
            % (info["version"], info["git_hash"], info["build_time"], info["rest_api_version"]))


def _controller_files(ctl, since_ms: int) -> Dict[str, bytes]:
    files: Dict[str, bytes] = {}
    from . import create_app

    client = create_app(ctl).test_client()
    for filename, path in CONTROLLER_LISTS.items():
        answer = client.get(path)
        if answer.status_code == 200:
            files[filename] = answer.get_data()
    now = ctl.clock.now()
    files["linstorInfo"] = _linstor_info(ctl).encode()
    files["timeInfo"] = ("UTC Time:   %s\n" % datetime.fromtimestamp(now, timezone.utc)
                         .strftime("%Y-%m-%d_%H-%M-%S")).encode()

    def collect(cluster):
        out = {"state.json": state_json(cluster).encode()}
        for report in cluster.error_reports_since(since_ms):
            out["logs/" + report.filename] = report.text.encode()
        return out

    files.update(read(collect))
    return files


def _node_files(cluster, name: str) -> Dict[str, bytes]:
    node = cluster.get_node(name)
    text = "LINSTOR Satellite (fakestor)\nNode:       %s\nType:       %s\nConnection: %s\n" % (
        node.name, node.type, node.connection_status)
    return {"linstorInfo": text.encode()}


def build_tarball(ctl, name: str, node_names: List[str], include_ctrl: bool, since_ms: int,
                  query: Optional[str]) -> bytes:
    members: Dict[str, bytes] = {}
    node_files = read(lambda c: {n: _node_files(c, n) for n in node_names})
    for node_name, files in node_files.items():
        for filename, data in files.items():
            members["%s/%s/%s" % (name, node_name, filename)] = data
    if include_ctrl:
        for filename, data in _controller_files(ctl, since_ms).items():
            members["%s/%s/%s" % (name, CONTROLLER_DIR, filename)] = data
    members["%s/%s" % (name, QUERY_FILE)] = (query or "<no query-params>").encode()
    mtime = int(ctl.clock.now())
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        dirs = sorted({m.rsplit("/", 1)[0] for m in members} | {name})
        for directory in dirs:
            info = tarfile.TarInfo(directory)
            info.type, info.mode, info.mtime = tarfile.DIRTYPE, 0o755, mtime
            tar.addfile(info)
        for member, data in sorted(members.items()):
            info = tarfile.TarInfo(member)
            info.size, info.mode, info.mtime = len(data), 0o644, mtime
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def _request_report():
    ctl = controller()
    since_ms = _since_ms(ctl)
    include_ctrl = bool_arg("include-ctrl", True)
    name = _report_name(ctl.clock.now())
    nodes = read(lambda c: _selected_nodes(c, query_list("nodes") or [], query_list("rscs") or [],
                                           query_list("exclude") or []))
    query = request.query_string.decode("utf-8", "replace") or None
    return ctl, name, build_tarball(ctl, name, nodes, include_ctrl, since_ms, query)


@bp.get("/v1/sos-report")
def create_sos_report():
    _, name, _ = _request_report()
    path = "%s/%s.tar.gz" % (LOG_DIR, name)
    entry = RcEntry(C.CREATED, "SOS Report created on Controller: " + path, obj_refs={"path": path})
    return rc_response([entry], 201)


@bp.get("/v1/sos-report/download")
def download_sos_report():
    _, name, data = _request_report()
    response = Response(data, status=200, mimetype="application/octet-stream")
    # spelled as the controller spells it, spaces around '=' included
    response.headers["Content-Disposition"] = "attachment; filename = %s.tar.gz" % name
    return response


# -- space report -----------------------------------------------------------------------------
def _size(kib: int) -> str:
    for unit, factor in (("TiB", 1024 ** 3), ("GiB", 1024 ** 2), ("MiB", 1024)):
        if kib >= factor:
            return "%.2f %s" % (kib / factor, unit)
    return "%d KiB" % kib


def space_report_text(cluster, now: float) -> str:
    """A readable account of the cluster's capacity: per pool, per node and in total."""
    stamp = datetime.fromtimestamp(now, timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
    lines = ["LINSTOR space report", "Generated:  %s UTC" % stamp,
             "Controller: %s (LINSTOR %s)" % (cluster.controller_hostname, cluster.version.linstor_version), "",
             "%-16s %-24s %-10s %14s %14s %14s %7s" % ("Node", "Storage pool", "Provider", "Total", "Allocated",
                                                       "Free", "Used")]
    per_node: Dict[str, List[int]] = {}
    total = allocated = 0
    for pool in cluster.list_storage_pools():
        online = cluster.get_node(pool.node_name).connection_status == "ONLINE"
        if pool.provider_kind == "DISKLESS" or pool.total_capacity in (None, DISKLESS_CAPACITY):
            lines.append("%-16s %-24s %-10s %14s" % (pool.node_name, pool.name, pool.provider_kind, "diskless"))
            continue
        if not online:
            lines.append("%-16s %-24s %-10s %14s" % (pool.node_name, pool.name, pool.provider_kind,
                                                     "unknown (node offline)"))
            continue
        used = min(pool.allocated_kib, pool.total_capacity)
        pct = 100.0 * used / pool.total_capacity if pool.total_capacity else 0.0
        lines.append("%-16s %-24s %-10s %14s %14s %14s %6.1f%%" % (
            pool.node_name, pool.name, pool.provider_kind, _size(pool.total_capacity), _size(used),
            _size(pool.free_capacity), pct))
        node_sums = per_node.setdefault(pool.node_name, [0, 0])
        node_sums[0] += pool.total_capacity
        node_sums[1] += used
        total += pool.total_capacity
        allocated += used
    lines += ["", "Per node:"]
    for node_name, (node_total, node_used) in sorted(per_node.items()):
        lines.append("  %-16s total %s, allocated %s, free %s" % (node_name, _size(node_total), _size(node_used),
                                                                   _size(node_total - node_used)))
    lines += ["", "Cluster total: %s, allocated %s, free %s (%d nodes, %d storage pools)" % (
        _size(total), _size(allocated), _size(total - allocated), len(cluster.nodes),
        len(cluster.list_storage_pools()))]
    return "\n".join(lines) + "\n"


@bp.get("/v1/space-report")
def space_report():
    ctl = controller()
    return json_response({"reportText": read(lambda c: space_report_text(c, ctl.clock.now()))})


# -- stats --------------------------------------------------------------------------------
STATS = {
    "nodes": lambda c: len(c.nodes),
    "resource-groups": lambda c: len(getattr(c, "resource_groups", {})),
    "resource-definitions": lambda c: len(c.resource_definitions),
    "resources": lambda c: len(c.list_resources()),
    "storage-pools": lambda c: len(c.list_storage_pools()),
    "error-reports": lambda c: c.count_error_reports(),
}


@bp.get("/v1/stats/<kind>")
def stats(kind):
    counter = STATS.get(kind)
    if counter is None:
        raise NotFound()
    return json_response({"count": read(counter)})

