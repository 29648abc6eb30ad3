"""The controller's and the satellites' configuration as ``GET/PUT /v1/controller/config`` and
``GET/PUT /v1/nodes/{node}/config`` show and change it (``CtrlConfApiCallHandler#setCtrlConfig``,
``CtrlNodeApiCallHandler#setConfig`` of LINSTOR 1.31.3): only the log levels can change.

The rest is what a packaged installation reports (``--config-directory=/etc/linstor``, log
directories per service, the built-in defaults of ``CtrlConfig`` and ``StltConfig``).
"""
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

from linstor import sharedconsts as C

from ..apicallrc import ApiError, Context, RcEntry, bare_error
from . import names
from .nodes import node_ctx

LOG_LEVELS = ("ERROR", "WARN", "INFO", "DEBUG", "TRACE")
DEFAULT_LOG_LEVEL = "INFO"


@dataclass
class LogLevels:
    level: str = DEFAULT_LOG_LEVEL
    # None: follows ``level``
    level_linstor: Optional[str] = None


def ctrl_conf_ctx(op: int) -> Context:
    return Context(op, C.MASK_CTRL_CONF, {}, "Controller")


def check_log_level(value: Optional[str]) -> None:
    """``LinstorParsingUtils#asLogLevel``."""
    if not value:
        raise bare_error(C.FAIL_INVLD_CONF, "Given loglevel is null.")
    if value.upper() not in LOG_LEVELS:
        raise bare_error(C.FAIL_INVLD_CONF, "Given loglevel '%s' is invalid" % value)


def missing_log_section() -> ApiError:
    """A body without ``log``: the REST layer's config wrapper dereferences it."""
    return ApiError(RcEntry(C.FAIL_UNKNOWN_ERROR, "Cannot read field \"level\" because \"this.config.log\" is null",
                            report=True))


class LogConfigOps:
    def _init_state(self) -> None:
        self.controller_log = LogLevels()
        self.satellite_logs: Dict[str, LogLevels] = {}

    def _drop_node_objects(self, node) -> None:
        self.satellite_logs.pop(names.key(node.name), None)
        super()._drop_node_objects(node)

    def satellite_log(self, node_name: str) -> LogLevels:
        return self.satellite_logs.get(names.key(node_name)) or LogLevels()

    def satellite_config(self, node_name: str) -> Optional[Tuple[object, LogLevels]]:
        """(node, log levels) of a connected satellite; None while it is not connected."""
        self.check_node_names([node_name])
        node = self.get_node(node_name)
        if node.connection_status != "ONLINE":
            return None
        return node, self.satellite_log(node.name)

    # -- PUT /v1/controller/config ----------------------------------------------------------------
    def set_controller_config(self, log: Optional[dict]) -> List[RcEntry]:
        if log is None:
            raise missing_log_section()
        level, linstor = log.get("level"), log.get("level_linstor")
        level_global, linstor_global = log.get("level_global"), log.get("level_linstor_global")
        # the controller's own: the plain value, else the global one
        own_level = level or level_global
        own_linstor = linstor or linstor_global
        if own_level:
            check_log_level(own_level)
        if own_linstor:
            check_log_level(own_linstor)
        if own_level:
            self.controller_log.level = own_level
        if own_linstor:
            self.controller_log.level_linstor = own_linstor
        ctx = ctrl_conf_ctx(C.MASK_MOD)
        done = ctx.entry(C.MODIFIED | C.MASK_CTRL_CONF, "Successfully updated controller config")
        if not level_global and not linstor_global:
            return [done]
        # the global values go to every connected satellite as well
        entries = []
        for _, node in sorted(self.nodes.items()):
            if node.connection_status != "ONLINE":
                continue
            try:
                entries += self.set_satellite_log(node.name, level_global, linstor_global)
            except ApiError as err:
                entry = err.entries[0]
                return [ctx.entry(entry.ret_code, entry.message, details=ctx.description)]
        return entries + [done]

    # -- PUT /v1/nodes/{node}/config ----------------------------------------------------------
    def set_satellite_config(self, node_name: str, log: Optional[dict]) -> List[RcEntry]:
        self.check_node_names([node_name])
        node = self.get_node(node_name)
        # nothing is sent to (or read for) a satellite that is not connected
        if node.connection_status != "ONLINE":
            return []
        if log is None:
            raise missing_log_section()
        return self.set_satellite_log(node.name, log.get("level"), log.get("level_linstor"))

    def set_satellite_log(self, node_name: str, level: Optional[str], linstor: Optional[str]) -> List[RcEntry]:
        if level:
            check_log_level(level)
        if linstor:
            check_log_level(linstor)
        current = self.satellite_log(node_name)
        new = LogLevels(level or current.level, linstor or current.level_linstor)
        self.satellite_logs[names.key(node_name)] = new
        return [node_ctx(C.MASK_MOD, node_name).entry(C.MODIFIED | C.MASK_NODE, "Successfully updated satellite config")]
