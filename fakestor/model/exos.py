"""Seagate EXOS enclosures (LINSTOR 1.12 ... 1.31; ``CtrlExosApiCallHandler``).

The controller keeps everything EXOS in its satellite configuration under
``StorDriver/Exos/``: defaults as ``StorDriver/Exos/Username`` ..., enclosures as the
namespaces below it (``StorDriver/Exos/<enc>/A/IP``, ``.../Password`` ...). Its property
listing merges that configuration in, so the fake keeps these keys in ``controller_props``.
Replies carry bare codes (success is 0) and no masks; the REST layer appends the
deprecation warning.
"""
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Dict, List, Optional

from linstor import sharedconsts as C

from ..apicallrc import ApiError, RcEntry

NAMESPACE = C.NAMESPC_EXOS  # "StorDriver/Exos"
DEFAULT_KEYS = (C.KEY_STOR_POOL_EXOS_API_USER, C.KEY_STOR_POOL_EXOS_API_USER_ENV,
                C.KEY_STOR_POOL_EXOS_API_PASSWORD, C.KEY_STOR_POOL_EXOS_API_PASSWORD_ENV)
CONTROLLERS = ("A", "B")
CONNECTED = "Connected"
DEFAULT_EVENTS = 20
DEPRECATION = "EXOS is deprecated and will be deleted in a future LINSTOR release"


@dataclass
class EnclosureHealth:
    name: str
    ctrl_a_ip: Optional[str]
    ctrl_b_ip: Optional[str]
    health: Optional[str] = "OK"
    health_reason: Optional[str] = None


@dataclass
class ExosEvent:
    severity: str
    event_id: Optional[str] = None
    controller: Optional[str] = None
    time_stamp: Optional[str] = None
    time_stamp_numeric: Optional[int] = None
    message: Optional[str] = None
    additional_information: Optional[str] = None
    recommended_action: Optional[str] = None


def _namespace(name: Optional[str]) -> str:
    """The props namespace of an enclosure, as the container resolves ``StorDriver/Exos/<name>``."""
    path = "%s/%s" % (NAMESPACE, "null" if name is None else name)
    return "/".join(p for p in path.split("/") if p)


def _exception(details: str) -> ApiError:
    return ApiError(RcEntry(C.FAIL_UNKNOWN_ERROR, "Exception thrown.", details=details, report=True))


class ExosOps:
    def _init_state(self) -> None:
        # what a ping of each enclosure answered, when not "OK"; events each enclosure logged
        self.exos_health: Dict[str, tuple] = {}
        self.exos_events: Dict[str, List[ExosEvent]] = {}

    def deprecation_entries(self) -> List[RcEntry]:
        return [RcEntry(C.WARN_DEPRECATED, DEPRECATION)] if self.version.has("exos_deprecation_warning") else []

    # -- defaults -------------------------------------------------------------------------
    def exos_defaults(self) -> Dict[str, Optional[str]]:
        return {key: self.controller_props.get("%s/%s" % (NAMESPACE, key)) for key in DEFAULT_KEYS}

    def modify_exos_defaults(self, values: Dict[str, Optional[str]], unset_keys: Optional[List[str]]
                             ) -> List[RcEntry]:
        """``values`` maps Username/UsernameEnv/Password/PasswordEnv to a new value or None (unchanged)."""
        if unset_keys is None:
            raise _exception('Cannot invoke "java.util.List.stream()" because "unsetKeysRef" is null')
        unset = {k.lower() for k in unset_keys}
        for key in DEFAULT_KEYS:
            if values.get(key) is not None:
                self.controller_props["%s/%s" % (NAMESPACE, key)] = values[key]
            if key.lower() in unset:
                self.controller_props.pop("%s/%s" % (NAMESPACE, key), None)
        return [RcEntry(C.MASK_SUCCESS, "Defaults successully updated")]

    # -- enclosures -----------------------------------------------------------------------
    def _enclosure_exists(self, name: Optional[str]) -> bool:
        prefix = _namespace(name) + "/"
        return any(k.startswith(prefix) for k in self.controller_props)

    def exos_enclosure_names(self) -> List[str]:
        """The namespaces directly below StorDriver/Exos/, sorted as the property container keeps them."""
        found = set()
        for key in self.controller_props:
            parts = key.split("/")
            if len(parts) > 3 and key.startswith(NAMESPACE + "/"):
                found.add(parts[2])
        return sorted(found)

    def list_exos_enclosures(self) -> List[EnclosureHealth]:
        out = []
        for name in self.exos_enclosure_names():
            base = "%s/%s/" % (NAMESPACE, name)
            ips = [self.controller_props.get(base + c + "/" + C.KEY_STOR_POOL_EXOS_API_IP) for c in CONTROLLERS]
            health, reason = self.exos_health.get(name, ("OK", None))
            out.append(EnclosureHealth(name, ips[0], ips[1], health, reason))
        return out

    def set_exos_enclosure_health(self, name: str, health: Optional[str], reason: Optional[str] = None) -> None:
        """What the enclosure's ``show system`` answers from now on (e.g. "Degraded"), for tests."""
        self.exos_health[name] = (health, reason)

    def create_exos_enclosure(self, name: Optional[str], ctrl_a_ip: Optional[str], ctrl_b_ip: Optional[str] = None,
                              username=None, username_env=None, password=None, password_env=None) -> List[RcEntry]:
        return self._put_enclosure(True, name, ctrl_a_ip, ctrl_b_ip, username, username_env, password, password_env)

    def modify_exos_enclosure(self, name: str, ctrl_a_ip: Optional[str] = None, ctrl_b_ip: Optional[str] = None,
                              username=None, username_env=None, password=None, password_env=None) -> List[RcEntry]:
        return self._put_enclosure(False, name, ctrl_a_ip, ctrl_b_ip, username, username_env, password, password_env)

    def _put_enclosure(self, create, name, ctrl_a_ip, ctrl_b_ip, username, username_env, password, password_env
                       ) -> List[RcEntry]:
        shown = "null" if name is None else name
        exists = self._enclosure_exists(name)
        # the controller checks in this order, and answers with the entry instead of throwing
        if create and exists:
            return [RcEntry(C.FAIL_EXISTS_EXOS_ENCLOSURE, "An Exos enclosure with the name %s already exists" % shown)]
        if not create and not exists:
            return [RcEntry(C.FAIL_NOT_FOUND_EXOS_ENCLOSURE, "An Exos enclosure with the name %s does not exist"
                            % shown)]
        if not name:
            return [RcEntry(C.FAIL_INVLD_CONF, "Enclosure name must not be empty")]
        if create and not ctrl_a_ip:
            return [RcEntry(C.FAIL_INVLD_CONF, "At least controller A IP must not be empty")]
        base = "%s/%s/" % (NAMESPACE, name)
        for suffix, value in (("A/" + C.KEY_STOR_POOL_EXOS_API_IP, ctrl_a_ip),
                              ("B/" + C.KEY_STOR_POOL_EXOS_API_IP, ctrl_b_ip),
                              (C.KEY_STOR_POOL_EXOS_API_USER, username),
                              (C.KEY_STOR_POOL_EXOS_API_USER_ENV, username_env),
                              (C.KEY_STOR_POOL_EXOS_API_PASSWORD, password),
                              (C.KEY_STOR_POOL_EXOS_API_PASSWORD_ENV, password_env)):
            if value is not None:
                self.controller_props[base + suffix] = value
        addresses = ", ".join("controller %s at %s" % (c, self.controller_props[base + c + "/IP"])
                              for c in CONTROLLERS if base + c + "/IP" in self.controller_props)
        self._log_exos_event(name, "INFORMATIONAL", "Enclosure %s by LINSTOR (%s)."
                             % ("registered" if create else "reconfigured", addresses))
        return [RcEntry(C.MASK_SUCCESS, "Exos Enclosure %s successfully %s" % (name, "created" if create
                                                                                else "modified"))]

    def delete_exos_enclosure(self, name: str) -> List[RcEntry]:
        if not self._enclosure_exists(name):
            return [RcEntry(C.WARN_NOT_FOUND, "The Exos enclosure %s does not exist" % name)]
        # any pool whose shared-space name starts with the enclosure name counts (the controller's test)
        users = [pool for pool in self.list_storage_pools()
                 if (pool.free_space_mgr_name or "%s:%s" % (pool.node_name, pool.name)).upper()
                 .startswith(name.upper())]
        if users:
            listing = "".join("\nStorage pool %s on Node %s" % (p.name, p.node_name) for p in users)
            return [RcEntry(C.FAIL_IN_USE, "The enclosure %s is still in use at least from the following storage "
                                           "pools:%s" % (name, listing))]
        prefix = _namespace(name) + "/"
        for key in [k for k in self.controller_props if k.startswith(prefix)]:
            del self.controller_props[key]
        self.exos_health.pop(name, None)
        self.exos_events.pop(name, None)
        return [RcEntry(C.MASK_SUCCESS, "Exos Enclosure %s successfully deleted" % name)]

    # -- events, commands, connection map --------------------------------------------------
    def _log_exos_event(self, name: str, severity: str, message: str, controller: str = "A") -> None:
        events = self.exos_events.setdefault(name, [])
        seconds = int(self.clock.now())
        stamp = datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
        events.append(ExosEvent(severity, "%s%d" % (controller, 100 + len(events)), controller, stamp, seconds,
                                message, "None.", "- No action is required."))

    def exos_enclosure_events(self, name: str, count: Optional[int] = None) -> List[ExosEvent]:
        """The enclosure's newest ``count`` (default 20) events, newest first."""
        if name not in self.exos_enclosure_names():
            return [ExosEvent("Linstor-ERROR", message="Enclosure does not exist")]
        wanted = DEFAULT_EVENTS if count is None else count
        events = list(reversed(self.exos_events.get(name, [])))
        return events[:max(wanted, 0)]

    def exos_exec(self, name: str, command: List[str]) -> dict:
        """The enclosure's JSON answer to ``command`` (its REST path segments)."""
        if name not in self.exos_enclosure_names():
            return {"Error": "Enclosure not found"}
        status = {"response-type": "Success", "response-type-numeric": 0,
                  "response": "Command completed successfully.", "return-code": 0,
                  "component-id": "", "time-stamp": "", "time-stamp-numeric": int(self.clock.now())}
        out: dict = {}
        if [c.lower() for c in command] == ["show", "system"]:
            health, reason = self.exos_health.get(name, ("OK", None))
            out["system"] = [{"system-name": name, "health": health, "health-reason": reason or ""}]
        out["status"] = [status]
        return out

    def exos_connection_map(self) -> List[dict]:
        """Which EXOS ports each node is connected to, from node props StorDriver/Exos/<enc>/<A|B>/Ports/<n>.

        The controller lists, for every enclosure namespace of a node, the connected ports of *all* the
        node's enclosures; the fake gives the same answer."""
        out = []
        for _, node in sorted(self.nodes.items()):
            prefix = NAMESPACE + "/"
            keys = sorted(k for k in node.props if k.startswith(prefix))
            enclosures = sorted({k.split("/")[2] for k in keys if len(k.split("/")) > 3})
            for enclosure in enclosures:
                ports = []
                for key in keys:
                    if node.props[key] == CONNECTED:
                        parts = key.split("/")
                        if len(parts) < 6:
                            index = 3 if len(parts) <= 3 else 5
                            raise _exception("Index %d out of bounds for length %d" % (index, len(parts)))
                        ports.append(parts[3] + parts[5])
                if ports:
                    out.append({"node_name": node.name, "enclosure_name": enclosure, "connections": ports})
        return out
