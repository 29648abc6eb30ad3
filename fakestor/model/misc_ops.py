"""Small reads: a node's free devices (``CtrlPhysicalStorageApiCallHandler#getPhysicalStorage``)
and a definition's sync status (``CtrlRscDfnApiCallHandler#isResourceSynced``)."""
from typing import List

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
