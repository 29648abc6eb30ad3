"""High-level objects: a DRBD resource (``Resource``) and its volumes (``Volume``).

A ``Resource`` is addressed by its user-facing name; the controller derives the internal
(LINSTOR) name from it when the resource definition is created. Nothing is created on the
controller until a deploying call (``autoplace``, ``activate``, ``diskless``, ``diskful``).
"""
import functools
import math
from typing import Dict, List, Optional

from . import sharedconsts as apiconsts
from .errors import LinstorError, LinstorReadOnlyAfterSetError
from .linstorapi import Linstor, MultiLinstor, ResourceData
from .responses import ApiCallResponse, ResourceDefinitionResponse, ResourceResponse
from .volume import Volume, _first_error, _no_error, _VolumeDict

_TWO_PRIMARIES = "DrbdOptions/Net/allow-two-primaries"
_READ_ONLY = "This is a read-only property"


def wraps(func):
    """``functools.wraps``, kept under this name because the documented API lists it."""
    return functools.wraps(func)


class _Client:
    """Where and how the high-level objects connect: controller URIs, timeout, keep-alive."""

    def __init__(self, uris, timeout=300, keep_alive=False):
        self._uri_list = MultiLinstor.controller_uri_list(uris)
        self.timeout = timeout
        self.keep_alive = keep_alive

    @property
    def uri_list(self) -> List[str]:
        return self._uri_list

    @uri_list.setter
    def uri_list(self, value):
        raise LinstorReadOnlyAfterSetError()


class _Placement:
    """The placement policy ``Resource.autoplace`` uses."""

    def __init__(self, redundancy=None):
        self.redundancy = redundancy
        self.storage_pool = None
        self.diskless_storage_pool = None
        self.diskless_on_remaining = False


def _deploying(func):
    """Runs a method on a connected client after making sure the definitions exist, then refreshes."""

    @wraps(func)
    def wrapper(self, *args, **kwargs):
        with self._connection() as lin:
            self._lin = lin
            try:
                self._maybe_create_rd_and_vd(lin)
                result = func(self, *args, **kwargs)
                self._update_volumes(lin)
            finally:
                self._lin = None
        return result

    return wrapper


class Resource:
    """A DRBD resource, created and managed by its user-facing ``name``."""

    def __init__(self, name, uri="linstor://localhost", existing_client=None):
        self._name = name
        self._linstor_name = None
        self._port = None
        self._resource_group_name = None
        self._allow_two_primaries = False
        self._assignments: Dict[str, bool] = {}  # node -> diskless?
        self._existing_client = existing_client
        self._lin = None  # the connected client while a deploying call runs
        self.client = _Client(uri)
        self.placement = _Placement()
        self.volumes = _VolumeDict()
        self.defined = False
        with self._connection() as lin:
            self._update_volumes(lin)

    # -- connections ---------------------------------------------------------------------
    def _connection(self) -> Linstor:
        if self._existing_client is not None:
            return self._existing_client
        return MultiLinstor(self.client.uri_list, self.client.timeout, self.client.keep_alive)

    # -- properties ----------------------------------------------------------------------
    @property
    def name(self) -> str:
        return self._name

    @name.setter
    def name(self, name):
        if self.defined:
            raise LinstorReadOnlyAfterSetError()
        self._name = name

    @property
    def linstor_name(self) -> Optional[str]:
        return self._linstor_name

    @linstor_name.setter
    def linstor_name(self, value):
        raise LinstorReadOnlyAfterSetError(_READ_ONLY)

    @property
    def port(self):
        return self._port

    @port.setter
    def port(self, port):
        if self.defined:
            raise LinstorReadOnlyAfterSetError()
        self._port = port

    @property
    def resource_group_name(self) -> Optional[str]:
        return self._resource_group_name

    @property
    def allow_two_primaries(self) -> bool:
        return self._allow_two_primaries

    @allow_two_primaries.setter
    def allow_two_primaries(self, value):
        changed = value != self._allow_two_primaries
        self._allow_two_primaries = value
        if changed and self.defined:
            with self._connection() as lin:
                self._set_properties(lin)

    # -- state refresh -------------------------------------------------------------------
    def _set_properties(self, lin):
        replies = lin.resource_dfn_modify(self._linstor_name,
                                          {_TWO_PRIMARIES: "yes" if self._allow_two_primaries else "no"})
        if not _no_error(replies):
            raise LinstorError("Could not set DRBD properties for resource '{}': {}".format(
                self._name, _first_error(replies)))

    def _maybe_create_rd_and_vd(self, lin):
        if not self.defined:
            replies = lin.resource_dfn_create("", self._port, external_name=self._name)
            if not _no_error(replies):
                raise LinstorError("Could not create resource definition '{}': {}".format(
                    self._name, _first_error(replies)))
            refs = [r.object_refs["RscDfn"] for r in replies
                    if isinstance(r, ApiCallResponse) and "RscDfn" in r.object_refs]
            if not refs:
                raise LinstorError("Could not get RscDfn for resource definition '{}'".format(self._name))
            self._linstor_name = refs[0]
            self.defined = True
            self._set_properties(lin)
        self._create_volume_definitions(lin)

    def _create_volume_definitions(self, lin):
        if not self.defined:
            return
        for number, volume in self.volumes.items():
            if volume._rsc_name is not None:
                continue
            replies = lin.volume_dfn_create(self._linstor_name, math.ceil(volume.size / 1024), volume_nr=number,
                                            minor_nr=volume._minor, encrypt=False,
                                            storage_pool=self.placement.storage_pool)
            if not _no_error(replies):
                raise LinstorError("Could not create volume definition {}/{}: {}".format(
                    self._linstor_name, number, _first_error(replies)))
            volume._rsc_name = self._linstor_name
            volume._client_ref = lin

    def _update_volumes(self, lin):
        self._create_volume_definitions(lin)
        replies = lin.resource_dfn_list()
        if not replies or not isinstance(replies[0], ResourceDefinitionResponse):
            raise LinstorError("Could not list resource definitions: {}".format(_first_error(replies)))
        match = None
        for rsc_dfn in replies[0].resource_definitions:
            shown_name = rsc_dfn.external_name if rsc_dfn.external_name != "" else rsc_dfn.name
            if shown_name == self._name:
                match = rsc_dfn
                break
        if match is None:
            self._forget_deployment()
            return
        self._linstor_name = match.name
        self._resource_group_name = match.resource_group_name
        self.defined = True
        self._allow_two_primaries = match.properties.get(_TWO_PRIMARIES) == "yes"
        for vlm_dfn in match.volume_definitions:
            volume = self.volumes.get(vlm_dfn.number)
            if volume is None:
                volume = Volume(None)
                self.volumes[vlm_dfn.number] = volume
            volume._rsc_name = match.name
            volume._client_ref = lin
            volume._size = vlm_dfn.size * 1024
            if vlm_dfn.drbd_data is not None:
                volume._minor = vlm_dfn.drbd_data.minor
        self._update_assignments(lin)

    def _forget_deployment(self):
        """The resource definition is gone (or never existed): nothing is deployed."""
        self.defined = False
        self._assignments = {}
        for volume in self.volumes.values():
            volume._rsc_name = None

    def _update_assignments(self, lin):
        replies = lin.resource_list(filter_by_resources=[self._linstor_name])
        if not replies or not isinstance(replies[0], ResourceResponse):
            raise LinstorError("Could not list resources of '{}': {}".format(self._name, _first_error(replies)))
        self._assignments = {}
        for rsc in replies[0].resources:
            diskless = apiconsts.FLAG_DISKLESS in rsc.flags
            self._assignments[rsc.node_name] = diskless
            for vlm in rsc.volumes:
                volume = self.volumes.get(vlm.number)
                if volume is None:
                    continue
                volume._device_path = vlm.device_path or ""
                if not diskless:
                    volume._storage_pool_name = vlm.storage_pool_name
                drbd = vlm.drbd_data
                if drbd is not None:
                    volume._minor = drbd.drbd_volume_definition.minor

    # -- deploying calls -----------------------------------------------------------------
    @_deploying
    def autoplace(self):
        """Places the resource by the policy in ``placement``; True, or raises LinstorError."""
        placement = self.placement
        replies = self._lin.resource_auto_place(self._linstor_name, placement.redundancy, placement.storage_pool,
                                                diskless_on_remaining=placement.diskless_on_remaining,
                                                diskless_storage_pool=placement.diskless_storage_pool)
        if not _no_error(replies):
            raise LinstorError("Could not autoplace resource {}: {}".format(self._name, _first_error(replies)))
        return True

    @_deploying
    def activate(self, node_name):
        """Makes the resource available on a node (diskless unless it already has a disk there)."""
        replies = self._lin.resource_create([ResourceData(node_name, self._linstor_name, diskless=True)])
        errors = [r for r in replies if isinstance(r, ApiCallResponse) and r.is_error()]
        if not errors or (len(errors) == 1 and errors[0].is_error(apiconsts.FAIL_EXISTS_RSC)):
            return True
        raise LinstorError("Could not activate resource {} on node {}: {}".format(
            self._name, node_name, ";".join(str(r) for r in replies)))

    def deactivate(self, node_name):
        """Removes a diskless assignment; a diskful one stays (it is part of the redundancy)."""
        if self.is_diskless(node_name):
            return self.delete(node_name)
        return True

    @_deploying
    def diskless(self, node_name):
        """Assigns the resource diskless on a node (creating or converting the assignment)."""
        return self._create_or_toggle(self._lin, node_name, True)

    @_deploying
    def diskful(self, node_name):
        """Assigns the resource with a disk on a node (creating or converting the assignment)."""
        return self._create_or_toggle(self._lin, node_name, False)

    def _create_or_toggle(self, lin, node_name, diskless):
        assigned = self.is_assigned(node_name)
        storage_pool = self.placement.diskless_storage_pool
        if self.is_diskless(node_name) or (not assigned and not diskless):
            storage_pool = self.placement.storage_pool
        if not assigned:
            replies = lin.resource_create([ResourceData(node_name, self._linstor_name, diskless=diskless,
                                                        storage_pool=storage_pool)])
        elif self.is_diskless(node_name) != diskless:
            replies = lin.resource_toggle_disk(node_name, self._linstor_name, diskless=diskless,
                                               storage_pool=storage_pool)
        else:
            return True
        if not _no_error(replies):
            raise LinstorError("Could not {} resource {} on node {}: {}".format(
                "create diskless" if diskless else "create diskful", self._name, node_name, _first_error(replies)))
        return True

    # -- assignments -----------------------------------------------------------------------
    def is_diskless(self, node_name) -> bool:
        return self._assignments.get(node_name, False)

    def is_diskful(self, node_name) -> bool:
        return not self._assignments.get(node_name, True)

    def is_assigned(self, node_name) -> bool:
        return node_name in self._assignments

    def diskless_nodes(self) -> List[str]:
        return [node for node, diskless in self._assignments.items() if diskless]

    def diskful_nodes(self) -> List[str]:
        return [node for node, diskless in self._assignments.items() if not diskless]

    def is_thin(self) -> bool:
        with self._connection() as lin:
            pools = lin.storage_pool_list_raise(None, filter_by_stor_pools=[self.volumes[0].storage_pool_name])
        return pools.storage_pools[0].is_thin()

    # -- deletion ------------------------------------------------------------------------
    def delete(self, node_name=None, snapshots=True):
        """Deletes the resource on one node, or everywhere (with its snapshots) when no node is given."""
        if not self.defined:
            return True
        with self._connection() as lin:
            if snapshots and node_name is None:
                self._delete_snapshots(lin)
            if node_name is None:
                replies = lin.resource_dfn_delete(self._linstor_name)
            elif not self.is_assigned(node_name):
                return True
            else:
                replies = lin.resource_delete(node_name, self._linstor_name)
            if not _no_error(replies):
                raise LinstorError("Could not delete resource {}: {}".format(self._name, _first_error(replies)))
            if node_name is None:
                self.defined = False
            self._update_volumes(lin)
        return True

    def _delete_snapshots(self, lin):
        listed = lin.snapshot_dfn_list()
        if not listed or isinstance(listed[0], ApiCallResponse):
            raise LinstorError("Could not list snapshots of {}: {}".format(self._name, _first_error(listed)))
        for snapshot in listed[0].snapshots:
            if snapshot.rsc_name.lower() == self._linstor_name.lower():
                replies = lin.snapshot_delete(self._linstor_name, snapshot.name)
                if not _no_error(replies):
                    raise LinstorError("Could not delete snapshot {} of resource {}: {}".format(
                        snapshot.name, self._name, _first_error(replies)))

    # -- snapshots -------------------------------------------------------------------------
    def _require_defined(self):
        if self._linstor_name is None or not self.defined:
            raise LinstorError("Resource '{}' doesn't exist.".format(self._name))

    def _call_checked(self, call, *args):
        self._require_defined()
        with self._connection() as lin:
            replies = getattr(lin, call)(*args)
        if not _no_error(replies):
            raise LinstorError(_first_error(replies))
        return True

    def snapshot_create(self, name):
        """Takes a snapshot of the resource on all its diskful nodes."""
        return self._call_checked("snapshot_create", [], self._linstor_name, name)

    def snapshot_delete(self, name):
        return self._call_checked("snapshot_delete", self._linstor_name, name)

    def snapshot_rollback(self, name):
        return self._call_checked("snapshot_rollback", self._linstor_name, name)

    def restore_from_snapshot(self, snapshot_name, resource_name_to):
        """Creates a new resource from a snapshot of this one and returns it."""
        self._require_defined()
        with self._connection() as lin:
            steps = (
                lambda: lin.resource_dfn_create(resource_name_to, resource_group=self._resource_group_name),
                lambda: lin.snapshot_volume_definition_restore(self._linstor_name, snapshot_name, resource_name_to),
                lambda: lin.snapshot_resource_restore([], self._linstor_name, snapshot_name, resource_name_to),
            )
            for step in steps:
                replies = step()
                if not _no_error(replies):
                    raise LinstorError("Could not restore resource {} from snapshot {} of {}: {}".format(
                        resource_name_to, snapshot_name, self._name, _first_error(replies)))
        return Resource(resource_name_to, ",".join(self.client.uri_list), existing_client=self._existing_client)

    # -- DRBD proxy ------------------------------------------------------------------------
    def drbd_proxy_enable(self, node_name_a, node_name_b):
        return self._call_checked("drbd_proxy_enable", self._linstor_name, node_name_a, node_name_b)

    def drbd_proxy_disable(self, node_name_a, node_name_b):
        return self._call_checked("drbd_proxy_disable", self._linstor_name, node_name_a, node_name_b)

    # -- from a resource group -------------------------------------------------------------
    @classmethod
    def from_resource_group(cls, uri, resource_group_name, resource_name, vlm_sizes, timeout=300, keep_alive=False,
                            definitions_only=False, existing_client=None):
        """Spawns a resource definition from a resource group and returns it as a Resource."""
        client = existing_client or MultiLinstor(_Client(uri).uri_list, timeout, keep_alive)
        with client as lin:
            replies = lin.resource_group_spawn(resource_group_name, resource_name, vlm_sizes,
                                               definitions_only=definitions_only)
            if not _no_error(replies):
                raise LinstorError('Could not spawn resource "{}" from resource group "{}": {}'.format(
                    resource_name, resource_group_name, _first_error(replies)))
        return Resource(resource_name, uri=uri, existing_client=existing_client)

    def __str__(self):
        return "{}({})".format(self._name, self._linstor_name)

    def __repr__(self):
        return "Resource({}, {})".format(str(self), self.client.uri_list)
