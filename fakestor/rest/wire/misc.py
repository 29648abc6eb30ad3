"""Wire JSON of node connections, size queries, configurations and events."""
import json
from typing import Dict, List, Optional, Tuple

from ...apicallrc import RcEntry
from ...model.log_config import LogLevels
from ...model.objects import Node, PhysicalDevice
from ...model.size_info import SizeInfo

# LinStor.OVERSUBSCRIPTION_RATIO_DEFAULT
DEFAULT_OVERSUBSCRIPTION_RATIO = 20.0


def node_connection(conn: Tuple[str, str, Dict[str, str]]) -> dict:
    node_a, node_b, props = conn
    return {"node_a": node_a, "node_b": node_b, "props": dict(props)}


def physical_device(dev: PhysicalDevice) -> dict:
    """``PhysicalStorageNode``: sizes in bytes; empty fields left out."""
    out = {"size": dev.size_kib * 1024, "rotational": dev.rotational, "device": dev.device}
    for attr in ("model", "serial", "wwn"):
        if getattr(dev, attr):
            out[attr] = getattr(dev, attr)
    return out


def size_info(info: Optional[SizeInfo], reports: List[RcEntry]) -> dict:
    """``QuerySizeInfoResponse``; the controller leaves out what is null or empty."""
    out: dict = {}
    if info is not None:
        space = {"max_vlm_size_in_kib": info.max_vlm_size_kib, "available_size_in_kib": info.available_kib,
                 "capacity_in_kib": info.capacity_kib,
                 "default_max_oversubscription_ratio": DEFAULT_OVERSUBSCRIPTION_RATIO}
        spawn = []
        for pool in info.next_spawn:
            entry = {"node_name": pool.node_name, "stor_pool_name": pool.pool_name,
                     "stor_pool_oversubscription_ratio": pool.ratio}
            if pool.free_ratio is not None:
                entry["stor_pool_free_capacity_oversubscription_ratio"] = pool.free_ratio
            if pool.total_ratio is not None:
                entry["stor_pool_total_capacity_oversubscription_ratio"] = pool.total_ratio
            spawn.append(entry)
        if spawn:
            space["next_spawn_result"] = spawn
        out["space_info"] = space
    if reports:
        out["reports"] = [e.to_json() for e in reports]
    return out


def _log(levels: LogLevels, directory: str) -> dict:
    out = {"print_stack_trace": False, "directory": directory, "level": levels.level}
    if levels.level_linstor:
        out["level_linstor"] = levels.level_linstor
    return out


def controller_config(levels: LogLevels) -> dict:
    """``ControllerConfig`` of a packaged controller with the H2 database (defaults of ``CtrlConfig``)."""
    log = _log(levels, "/var/log/linstor-controller")
    log.update({"rest_access_log_path": "rest-access.log", "rest_access_mode": "NO_LOG"})
    return {
        "config": {"dir": "/etc/linstor"},
        "debug": {"console_enabled": False},
        "log": log,
        "db": {"connection_url": "jdbc:h2:/var/lib/linstor/linstordb", "version_check_disabled": False,
               "etcd": {"operations_per_transaction": 128, "prefix": "/LINSTOR/"},
               "k8s": {"request_retries": 3, "max_rollback_entries": 100}},
        "http": {"enabled": True, "listen_address": "::", "port": 3370},
        "https": {"enabled": True, "listen_address": "::", "port": 3371},
        "ldap": {"enabled": False, "public_access_allowed": False, "uri": "ldap://localhost", "dn": "uid={user}"},
    }


def satellite_config(node: Node, levels: LogLevels) -> dict:
    """``SatelliteConfig`` as the satellite reported it when it connected; it listens where the
    node's active interface says."""
    nic = next((n for n in node.net_interfaces.values() if n.is_active), None)
    port = nic.satellite_port if nic is not None and nic.satellite_port else 3366
    com_type = (nic.satellite_encryption_type or "PLAIN").lower() if nic is not None else "plain"
    return {
        "config": {"dir": "/etc/linstor"},
        "debug": {"console_enabled": False},
        "log": _log(levels, "/var/log/linstor-satellite"),
        "remote_spdk": node.type == "REMOTE_SPDK",
        "ebs": node.type == "EBS_TARGET",
        "special_satellite": node.type in ("REMOTE_SPDK", "EBS_TARGET"),
        "net": {"bind_address": "::0", "port": port, "com_type": com_type},
    }


def sse_event(name: str, data: dict) -> str:
    """One server-sent event as Jersey's ``OutboundEvent`` writes it."""
    return "event: %s\ndata: %s\n\n" % (name, json.dumps(data, separators=(",", ":")))


def may_promote_change(rsc_name: str, node_name: str, may_promote: Optional[bool]) -> dict:
    out = {"resource_name": rsc_name, "node_name": node_name}
    if may_promote is not None:
        out["may_promote"] = may_promote
    return out
