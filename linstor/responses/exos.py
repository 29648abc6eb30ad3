"""EXOS (Seagate enclosure) replies."""
from .base import RESTMessageResponse
from .common import field, required

__all__ = ["ExosDefaults", "ExosEnclosure", "ExosListResponse", "ExosEnclosureEvent",
           "ExosEnclosureEventListResponse", "ExosExecResponse", "ExosMapResponse", "ExosMapListResponse"]


class ExosDefaults(RESTMessageResponse):
    username = field("username")
    username_env = field("username_env")
    password = field("password")
    password_env = field("password_env")


class ExosEnclosure(RESTMessageResponse):
    name = required("name")
    ctrl_a_ip = field("ctrl_a_ip")
    ctrl_b_ip = field("ctrl_b_ip")
    health = required("health")
    health_reason = field("health_reason")


class ExosListResponse(RESTMessageResponse):
    @property
    def exos_enclosures(self):
        return [ExosEnclosure(x) for x in self._rest_data]

    def exos_enclosure(self, encl_name):
        for enclosure in self.exos_enclosures:
            if enclosure.name == encl_name:
                return enclosure
        return None


class ExosEnclosureEvent(RESTMessageResponse):
    severity = required("severity")
    event_id = required("event_id")
    controller = required("controller")
    time_stamp = required("time_stamp")
    time_stamp_numeric = required("time_stamp_numeric")
    message = required("message")
    additional_information = required("additional_information")
    recommended_action = required("recommended_action")


class ExosEnclosureEventListResponse(RESTMessageResponse):
    @property
    def exos_events(self):
        return [ExosEnclosureEvent(x) for x in self._rest_data]


class ExosExecResponse(RESTMessageResponse):
    """Whatever the enclosure answered, passed through unchanged."""


class ExosMapResponse(RESTMessageResponse):
    node_name = required("node_name")
    enclosure_name = required("enclosure_name")
    connections = required("connections")


class ExosMapListResponse(RESTMessageResponse):
    @property
    def exos_connections(self):
        return [ExosMapResponse(x) for x in self._rest_data]
