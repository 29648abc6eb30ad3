"""Small reads: a node's free devices (``CtrlPhysicalStorageApiCallHandler#getPhysicalStorage``),
a definition's sync status (``CtrlRscDfnApiCallHandler#isResourceSynced``) and the promotion
state of DRBD resources (``EventDrbdHandlerBridge``)."""
from typing import List, Optional, Tuple

from linstor import sharedconsts as C

from ..apicallrc import bare_error
from . import names
from .objects import PhysicalDevice


class SatelliteOffline(Exception):
    """The satellite cannot be asked: the controller fails the call with a PeerNotConnectedException."""


class MiscOps:
    def node_physical_devices(self, node_name: str) -> List[PhysicalDevice]:
        """What the node's satellite reports as free devices, in its order."""
        self.check_node_names([node_name])
        node = self.get_node(node_name)
        if node.connection_status != "ONLINE":
            raise SatelliteOffline(node.name)
        return list(node.physical_devices)

    def resource_definition_synced(self, rsc_name: str) -> bool:
        """Whether every diskful resource is UpToDate. The fake's are as soon as they exist, and a
        resource whose satellite reports no state counts as UpToDate, as on the controller."""
        try:
            names.check_resource_name(rsc_name)
        except names.InvalidName:
            raise bare_error(C.FAIL_INVLD_RSC_NAME, "The specified resource name '%s' is invalid." % rsc_name)
        self.get_resource_definition(rsc_name)
        return True


def may_promote_events(cluster) -> List[Tuple[str, str, Optional[bool]]]:
    """(resource, node, may_promote) for each resource whose top layer is DRBD, as the promotion
    event stream sends them for its initial state. DRBD lets a resource be promoted while no
    resource of its definition is primary; a satellite that is not connected (or a deactivated
    resource) reports no state."""
    out = []
    for _, rd in sorted(cluster.resource_definitions.items()):
        primary = any(r.in_use for r in rd.resources.values())
        for _, rsc in sorted(rd.resources.items()):
            if not rsc.layer_stack or rsc.layer_stack[0] != "DRBD":
                continue
            node = cluster.nodes.get(names.key(rsc.node_name))
            known = node is not None and node.connection_status == "ONLINE" and "INACTIVE" not in rsc.flags
            out.append((rd.name, rsc.node_name, (not primary) if known else None))
    return out
