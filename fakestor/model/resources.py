"""Resources and volumes: placement on a node's storage pool, node ids, storage accounting,
toggle-disk, activation, and what happens to them when nodes or pools go away.

Storage accounting (the fake's rule, consistent with how the controller reports pools):
a volume in a thick pool (LVM, ZFS, FILE, ...) takes its volume definition's size from the
pool when it is created, gives it back when it is deleted and takes more when the volume
definition grows. A thin volume takes nothing until data is written (the fake writes none),
so thin pools keep their free capacity; ``reserved_kib`` gives the Σ usable size of the
volumes of a pool, the number the autoplacer's oversubscription estimate subtracts.
Diskless volumes take nothing.

Rules from LINSTOR 1.31.3 (``CtrlRscCrtApiHelper``, ``CtrlVlmCrtApiHelper``,
``CtrlStorPoolResolveHelper``, ``CtrlRscDeleteApiCallHandler``, ``CtrlRscDeleteApiHelper``,
``CtrlRscToggleDiskApiCallHandler``, ``CtrlRscActivateApiCallHandler``).
"""
import copy
from contextlib import contextmanager
from typing import Dict, Iterator, List, Optional, Tuple

from linstor import sharedconsts as C

from ..apicallrc import ApiError, Context, RcEntry, bare_error
from . import names, numbers
from . import props as propslib
from .objects import Node, Resource, ResourceDefinition, StoragePool, Volume, VolumeDefinition
from .resource_definitions import DEFAULT_LAYER_STACK, complete_layer_stack, parse_layer_list
from .storage import DFLT_STOR_POOL, PROVIDER_KINDS, is_thin

DFLT_DISKLESS_POOL = "DfltDisklessStorPool"
# Resource.Flags in declaration order, and the flags whose bits include others'
FLAG_ORDER = ("CLEAN", "DELETE", "DISKLESS", "DISK_ADD_REQUESTED", "DISK_ADDING", "DISK_REMOVE_REQUESTED",
              "DISK_REMOVING", "DRBD_DISKLESS", "TIE_BREAKER", "NVME_INITIATOR", "INACTIVE", "REACTIVATE",
              "INACTIVE_PERMANENTLY", "BACKUP_RESTORE", "EVICTED", "INACTIVE_BEFORE_EVICTION",
              "RESTORE_FROM_SNAPSHOT", "EVACUATE", "EBS_INITIATOR")
FLAG_IMPLIES = {
    "DRBD_DISKLESS": ("DISKLESS",),
    "TIE_BREAKER": ("DISKLESS", "DRBD_DISKLESS"),
    "NVME_INITIATOR": ("DISKLESS",),
    "EBS_INITIATOR": ("DISKLESS",),
    "INACTIVE_PERMANENTLY": ("INACTIVE",),
    "EVICTED": ("INACTIVE",),
}
REQUEST_FLAGS = ("DISKLESS", "DRBD_DISKLESS", "NVME_INITIATOR", "INACTIVE", "TIE_BREAKER")
DISKLESS_FLAGS = ("DISKLESS", "DRBD_DISKLESS", "NVME_INITIATOR", "EBS_INITIATOR", "TIE_BREAKER")


def normalize_flags(flags) -> List[str]:
    """Flags as the controller lists them: implied flags included, in declaration order."""
    full = set(flags)
    for flag in list(full):
        full.update(FLAG_IMPLIES.get(flag, ()))
    return [f for f in FLAG_ORDER if f in full] + sorted(f for f in full if f not in FLAG_ORDER)


def is_diskless(rsc: Resource) -> bool:
    return any(f in rsc.flags for f in DISKLESS_FLAGS)


def rsc_ctx(op: int, node_name: str, rsc_name: str) -> Context:
    return Context(op, C.MASK_RSC, {C.KEY_NODE: node_name, C.KEY_RSC_DFN: rsc_name},
                   "Node: %s, Resource: %s" % (node_name, rsc_name))


def vlm_ctx(op: int, node_name: str, rsc_name: str, vlm_nr) -> Context:
    return Context(op, C.MASK_VLM, {C.KEY_NODE: node_name, C.KEY_RSC_DFN: rsc_name, C.KEY_VLM_NR: str(vlm_nr)},
                   "Node: %s, Resource: %s, Volume number: %s" % (node_name, rsc_name, vlm_nr))


def rsc_inline(node_name: str, rsc_name: str) -> str:
    return "resource '%s' on node '%s'" % (rsc_name, node_name)


def rsc_not_found(node_name: str, rsc_name: str, ctx: Optional[Context] = None) -> ApiError:
    msg = "Resource '%s' on node '%s' not found." % (rsc_name, node_name)
    cause = "The specified resource '%s' on node '%s' could not be found in the database" % (rsc_name, node_name)
    correction = "Create a resource with the name '%s' on node '%s' first." % (rsc_name, node_name)
    if ctx is None:
        return bare_error(C.FAIL_NOT_FOUND_RSC, msg, cause=cause, correction=correction)
    return ctx.error(C.FAIL_NOT_FOUND_RSC, msg, cause=cause, correction=correction)


def create_ctx(rsc_name: str, node_names: List[str]) -> Context:
    """The context of a resource create call (``CtrlRscCrtApiCallHandler#makeRscCrtContext``):
    every node of the request, and only the resource definition as object ref."""
    nodes = ", ".join("'%s'" % n for n in node_names)
    return Context(C.MASK_CRT, C.MASK_RSC, {C.KEY_RSC_DFN: rsc_name}, "Node(s): %s, Resource: '%s'" % (nodes, rsc_name))


def registered_entry(ctx: Context, rd: ResourceDefinition, rsc: Resource) -> RcEntry:
    return ctx.entry(C.CREATED, "New %s registered." % rsc_inline(rsc.node_name, rd.name),
                     details="Resource '%s' on node '%s' UUID is: %s" % (rd.name, rsc.node_name, rsc.uuid),
                     refs={"UUID": rsc.uuid})


def volume_registered_entry(rd: ResourceDefinition, rsc: Resource, vlm: Volume) -> RcEntry:
    return RcEntry(C.MASK_CRT | C.MASK_VLM | C.CREATED,
                   "Volume with number '%d' on resource '%s' on node '%s' successfully registered"
                   % (vlm.volume_number, rd.name, rsc.node_name), details="Volume UUID is: %s" % vlm.uuid,
                   obj_refs={C.KEY_NODE: rsc.node_name, C.KEY_RSC_DFN: rd.name, C.KEY_VLM_NR: str(vlm.volume_number)})


# A planned volume: (volume number, pool, KiB it takes from the pool)
Plan = Tuple[int, StoragePool, int]


class ResourceOps:
    # -- lookups ----------------------------------------------------------------------------
    def get_resource(self, rsc_name: str, node_name: str, ctx: Optional[Context] = None) -> Resource:
        rd = self.get_resource_definition(rsc_name, ctx)
        node = self.get_node(node_name, ctx)
        rsc = rd.resources.get(names.key(node.name))
        if rsc is None:
            raise rsc_not_found(node.name, rd.name, ctx)
        return rsc

    def get_volume(self, rsc_name: str, node_name: str, vlm_nr: int, ctx: Optional[Context] = None) -> Volume:
        rsc = self.get_resource(rsc_name, node_name, ctx)
        vlm = rsc.volumes.get(vlm_nr)
        if vlm is None:
            msg = "Volume '%s' on node '%s' with volume number '%s' not found." % (rsc.name, rsc.node_name, vlm_nr)
            raise ctx.error(C.FAIL_NOT_FOUND_VLM, msg) if ctx else bare_error(C.FAIL_NOT_FOUND_VLM, msg)
        return vlm

    def list_resources(self, nodes=None, resources=None, storage_pools=None, props=None) -> List[Resource]:
        """All resources, sorted by resource then node, filtered as ``/v1/view/resources`` filters."""
        node_keys = {names.key(n) for n in nodes} if nodes else None
        rsc_keys = {names.key(r) for r in resources} if resources else None
        pool_keys = {names.key(p) for p in storage_pools} if storage_pools else None
        out = []
        for rd_key, rd in sorted(self.resource_definitions.items()):
            if rsc_keys is not None and rd_key not in rsc_keys:
                continue
            for node_key, rsc in sorted(rd.resources.items()):
                if node_keys is not None and node_key not in node_keys:
                    continue
                if pool_keys is not None and not any(names.key(v.storage_pool_name) in pool_keys
                                                     for v in rsc.volumes.values()):
                    continue
                if props and not propslib.matches_filter(rsc.props, props):
                    continue
                out.append(rsc)
        return out

    def resources_on_node(self, node_name: str) -> List[Tuple[ResourceDefinition, Resource]]:
        key = names.key(node_name)
        return [(rd, rd.resources[key]) for _, rd in sorted(self.resource_definitions.items())
                if key in rd.resources]

    # -- storage accounting -----------------------------------------------------------------
    @staticmethod
    def _is_thick(pool: StoragePool) -> bool:
        return PROVIDER_KINDS[pool.provider_kind][2] and not is_thin(pool.provider_kind)

    def _volume_pool(self, rsc: Resource, vlm: Volume) -> Optional[StoragePool]:
        node = self.nodes.get(names.key(rsc.node_name))
        return None if node is None else node.storage_pools.get(names.key(vlm.storage_pool_name))

    def volumes_in_pool(self, node_name: str, pool_name: str) -> List[Tuple[ResourceDefinition, Resource, Volume]]:
        node_key, pool_key = names.key(node_name), names.key(pool_name)
        return [(rd, rsc, vlm) for rd in self.resource_definitions.values()
                for nk, rsc in rd.resources.items() if nk == node_key
                for vlm in rsc.volumes.values() if names.key(vlm.storage_pool_name) == pool_key]

    def reserved_kib(self, node_name: str, pool_name: str) -> int:
        """Σ usable size of the volumes in a pool (what the autoplacer counts as reserved)."""
        return sum(rd.volume_definitions[vlm.volume_number].size_kib
                   for rd, _, vlm in self.volumes_in_pool(node_name, pool_name)
                   if vlm.provider_kind != "DISKLESS")

    def resource_count_in_pool(self, node_name: str, pool_name: str) -> int:
        return len({rd.name for rd, _, vlm in self.volumes_in_pool(node_name, pool_name)})

    def _pool_in_use(self, pool: StoragePool) -> bool:
        return bool(self.volumes_in_pool(pool.node_name, pool.name)) or super()._pool_in_use(pool)

    def _release_volume(self, rsc: Resource, vlm: Volume) -> None:
        pool = self._volume_pool(rsc, vlm)
        if pool is not None and vlm.allocated_kib:
            self._set_allocated(pool, max(pool.allocated_kib - vlm.allocated_kib, 0))
        vlm.allocated_kib = 0

    def _grow_volumes(self, rd: ResourceDefinition, vd: VolumeDefinition) -> None:
        for rsc in rd.resources.values():
            vlm = rsc.volumes.get(vd.volume_number)
            if vlm is None:
                continue
            pool = self._volume_pool(rsc, vlm)
            if pool is not None and self._is_thick(pool):
                self._set_allocated(pool, pool.allocated_kib + vd.size_kib - vlm.allocated_kib)
                vlm.allocated_kib = vd.size_kib
        self._touch_rd(rd.name)

    # -- placing volumes --------------------------------------------------------------------
    def _pool_name_candidates(self, rd: ResourceDefinition, rsc: Resource, vd: VolumeDefinition,
                              node: Node) -> Tuple[Optional[str], List[str]]:
        """The configured StorPoolName (resource, volume definition, resource definition, group,
        node) and the names to try when none is configured."""
        for source in (rsc.props, vd.props, rd.props, self._resource_group_props(rd.resource_group_name),
                       node.props):
            value = source.get(C.KEY_STOR_POOL_NAME)
            if value:
                return value, [value]
        neighbours = []
        for peer in rd.resources.values():
            if names.key(peer.node_name) == names.key(node.name) or is_diskless(peer):
                continue
            for vlm in peer.volumes.values():
                if vlm.provider_kind != "DISKLESS" and vlm.storage_pool_name not in neighbours:
                    neighbours.append(vlm.storage_pool_name)
        return None, neighbours + [DFLT_STOR_POOL]

    def _plan_volume(self, rd: ResourceDefinition, rsc: Resource, vd: VolumeDefinition, ctx: Context) -> Plan:
        node = self.get_node(rsc.node_name, ctx)
        if is_diskless(rsc):
            configured = rsc.props.get(C.KEY_STOR_POOL_NAME) or DFLT_DISKLESS_POOL
            candidates = [configured]
        else:
            configured, candidates = self._pool_name_candidates(rd, rsc, vd, node)
        pool = next((node.storage_pools[names.key(n)] for n in candidates if names.key(n) in node.storage_pools),
                    None)
        if pool is None:
            raise ctx.error(C.FAIL_NOT_FOUND_DFLT_STOR_POOL,
                            "The storage pool '%s' for resource '%s' for volume number '%d' is not deployed on node "
                            "'%s'." % (configured or "null", rd.name, vd.volume_number, node.name),
                            details="The resource which should be deployed had at least one volume definition "
                                    "(volume number '%d') which LINSTOR tried to automatically create. The storage "
                                    "pool name for this new volume was looked for, in order, in: the properties of "
                                    "the resource, volume definition, resource definition and node, and finally in "
                                    "a system wide default storage pool name defined by the LINSTOR Controller."
                                    % vd.volume_number, report=True)
        if is_diskless(rsc) and PROVIDER_KINDS[pool.provider_kind][2]:
            raise ctx.error(C.FAIL_INVLD_STOR_POOL_NAME, "Storage pool with backing disk not allowed with diskless "
                                                         "resource.",
                            cause="Resource '%s' flagged as diskless, but a storage pool '%s' with backing disk was "
                                  "specified." % (rd.name, pool.name),
                            correction="Use a storage pool with a diskless driver or remove the diskless flag.",
                            report=True)
        taken = vd.size_kib if self._is_thick(pool) else 0
        return vd.volume_number, pool, taken

    def _check_plans_fit(self, plans: List[Plan], rd: ResourceDefinition, ctx: Context) -> None:
        """Thick pools on online nodes must hold every planned volume (summed per pool)."""
        wanted: Dict[int, int] = {}
        for vlm_nr, pool, taken in plans:
            if not taken:
                continue
            node = self.nodes.get(names.key(pool.node_name))
            if node is None or node.connection_status != "ONLINE" or pool.free_capacity is None:
                continue
            wanted[id(pool)] = wanted.get(id(pool), 0) + taken
            if wanted[id(pool)] > pool.free_capacity:
                raise ctx.error(C.FAIL_INVLD_VLM_SIZE, "Not enough free space available for volume %d of resource "
                                                       "'%s'." % (vlm_nr, rd.name), report=True)

    def _add_volume(self, rsc: Resource, vd: VolumeDefinition, plan: Plan) -> Volume:
        _, pool, taken = plan
        vlm = Volume(vd.volume_number, self.ids.uuid(), pool.name, pool.provider_kind, taken)
        self._set_allocated(pool, pool.allocated_kib + taken)
        rsc.volumes[vd.volume_number] = vlm
        self._touch_rd(rsc.name)
        return vlm

    def _drop_resource(self, rd: ResourceDefinition, rsc: Resource) -> None:
        for vlm in rsc.volumes.values():
            self._release_volume(rsc, vlm)
        rsc.volumes.clear()
        key = names.key(rsc.node_name)
        rd.resources.pop(key, None)
        for pair in [p for p in rd.connections if key in p]:
            del rd.connections[pair]
        self._touch_rd(rd.name)

    # -- node ids, peer slots ---------------------------------------------------------------
    def _node_id(self, rd: ResourceDefinition, requested, ctx: Context) -> int:
        used = {r.node_id for r in rd.resources.values() if r.node_id is not None}
        if requested is not None:
            if not numbers.in_limits(requested, numbers.NODE_ID_LIMITS) or requested in used:
                raise ctx.error(C.FAIL_INVLD_NODE_ID, "The specified node ID '%s' is invalid." % requested,
                                cause="Node IDs have to be unused within the resource definition and in the range "
                                      "0 - 31.", report=True)
            return requested
        node_id = numbers.lowest_free(numbers.NODE_ID_LIMITS, used)
        if node_id is None:
            raise ctx.error(C.FAIL_POOL_EXHAUSTED_NODE_ID, "An exception occurred during generation of a node id.",
                            report=True)
        return node_id

    def _check_peer_slots(self, rd: ResourceDefinition, ctx: Context, adding: int) -> None:
        drbd_rscs = [r for r in rd.resources.values() if "DRBD" in r.layer_stack]
        for rsc in drbd_rscs:
            if len(drbd_rscs) - 1 + adding > rsc.peer_slots:
                raise ctx.error(C.FAIL_INSUFFICIENT_PEER_SLOTS, "Resource on node %s has insufficient peer slots to "
                                                                "add another peer" % rsc.node_name, report=True)

    # -- resources ------------------------------------------------------------------------
    def create_resources(self, rsc_name: str, items: List[dict]) -> List[RcEntry]:
        """Creates the resources of one resource definition, all in one transaction."""
        entries: List[RcEntry] = []
        created: List[Resource] = []
        ctx = create_ctx(rsc_name, [item.get("node_name") or "" for item in items])
        # a refused item undoes the items before it
        with self._undoable(rsc_name):
            for item in items:
                entries += self._create_resource(rsc_name, item, created, ctx)
        if created:
            rd = self.get_resource_definition(rsc_name)
            # after the commit, in the order of the controller's sorted set of resources
            for rsc in sorted(created, key=lambda r: names.key(r.node_name)):
                entries.append(registered_entry(ctx, rd, rsc))
                entries += [volume_registered_entry(rd, rsc, vlm) for _, vlm in sorted(rsc.volumes.items())]
            entries += self._deployment_entries(rd, created, ctx)
        return entries

    def _deployment_entries(self, rd: ResourceDefinition, created: List[Resource], ctx: Context) -> List[RcEntry]:
        """What the satellites answer, in the call's context, when new resources are deployed."""
        entries: List[RcEntry] = []
        if not created:
            return entries
        new_nodes = {names.key(r.node_name) for r in created}
        for key, rsc in sorted(rd.resources.items()):
            if key in new_nodes:
                entries.append(ctx.entry(C.MODIFIED, "Created resource '%s' on '%s'" % (rd.name, rsc.node_name)))
            else:
                entries.append(ctx.entry(C.MODIFIED, "Added peer(s) %s to resource '%s' on '%s'"
                                         % (", ".join("'%s'" % r.node_name for r in created), rd.name,
                                            rsc.node_name)))
        for rsc in created:
            if "INACTIVE" not in rsc.flags:
                entries.append(ctx.entry(C.CREATED, "Resource '%s' on '%s' ready" % (rd.name, rsc.node_name),
                                         details=ctx.description))
        return entries

    @contextmanager
    def _undoable(self, rsc_name: str) -> Iterator[None]:
        """A refusal (ApiError) inside puts back what creating resources of one definition
        changes: the definition (its resources, port, minors) and the allocated space of the
        pools that changed meanwhile (``_set_allocated`` notes each pool's value before its first
        change). Independent of the size of the cluster; may nest."""
        rd = self.resource_definitions.get(names.key(rsc_name))
        saved = copy.deepcopy(rd.__dict__) if rd is not None else None
        log: Dict[int, Tuple[StoragePool, int]] = {}
        self.undo_logs.append(log)
        try:
            yield
        except ApiError:
            if rd is not None:
                rd.__dict__.update(saved)
                self._touch_rd(rd.name)
            for pool, allocated in log.values():
                pool.allocated_kib = allocated
            raise
        finally:
            self.undo_logs.remove(log)

    def _set_allocated(self, pool: StoragePool, kib: int) -> None:
        """Every change of a pool's allocated space goes through here (see ``_undoable``)."""
        for log in self.undo_logs:
            if id(pool) not in log:
                log[id(pool)] = (pool, pool.allocated_kib)
        pool.allocated_kib = kib

    def _create_resource(self, rsc_name: str, item: dict, created: List[Resource],
                         call_ctx: Optional[Context] = None) -> List[RcEntry]:
        """One resource of a create call. With ``call_ctx`` (the call's context) every reply is
        in that context and the caller adds the 'registered' entries; without it each reply
        names the resource's node."""
        node_name = item.get("node_name") or ""
        ctx = call_ctx or rsc_ctx(C.MASK_CRT, node_name, rsc_name)
        rd = self.get_resource_definition(rsc_name, ctx)
        ctx = call_ctx or rsc_ctx(C.MASK_CRT, node_name, rd.name)
        node = self.get_node(node_name, ctx)
        ctx = call_ctx or rsc_ctx(C.MASK_CRT, node.name, rd.name)
        if "EVACUATE" in node.flags:
            raise ctx.error(C.FAIL_EVACUATING, "node '%s is being evacuated. No new resources allowed on this node."
                            % node.name)
        req_props = dict(item.get("props") or {})
        unknown = [f for f in item.get("flags") or [] if f not in FLAG_ORDER]
        if unknown:
            # Resource.Flags.valueOf: an unknown (or lower-case) name is an unhandled exception
            raise ApiError(RcEntry(C.FAIL_UNKNOWN_ERROR, "Exception thrown.",
                                   details="IllegalArgumentException: No enum constant "
                                           "com.linbit.linstor.core.objects.Resource.Flags.%s" % unknown[0],
                                   report=True))
        flags = [f for f in item.get("flags") or [] if f in REQUEST_FLAGS]
        existing = rd.resources.get(names.key(node.name))
        pool_name = req_props.get(C.KEY_STOR_POOL_NAME)
        explicit_pool = self.get_storage_pool(node.name, pool_name, ctx) if pool_name else None
        wants_diskless = any(f in DISKLESS_FLAGS for f in flags) or (
            explicit_pool is not None and explicit_pool.provider_kind == "DISKLESS")
        if existing is not None:
            if not is_diskless(existing):
                return [ctx.entry(C.INFO_RSC_ALREADY_EXISTS, "A %s already exists." % rsc_inline(node.name, rd.name))]
            if wants_diskless:
                return []
            return self.toggle_disk(rd.name, node.name, diskful=True, pool=pool_name,
                                    layer_list=item.get("layer_list"))
        entries: List[RcEntry] = []
        layers = parse_layer_list(item.get("layer_list"), ctx)
        layers = complete_layer_stack(layers, ctx, entries) if layers else list(
            rd.layer_stack or self._peer_layer_stack(rd) or DEFAULT_LAYER_STACK)
        if wants_diskless and not any(f in ("DRBD_DISKLESS", "NVME_INITIATOR", "TIE_BREAKER") for f in flags):
            if "DRBD" in layers and "NVME" in layers:
                raise ctx.error(C.FAIL_INVLD_LAYER_STACK, "Could not figure out how to interpret the deprecated "
                                                          "--diskless flag.", correction="Use either a non-deprecated "
                                                          "flag or do not use both layers", report=True)
            flags.append("NVME_INITIATOR" if "NVME" in layers and "DRBD" not in layers else "DRBD_DISKLESS")
        if wants_diskless and not pool_name:
            req_props[C.KEY_STOR_POOL_NAME] = DFLT_DISKLESS_POOL
        new_props = propslib.apply_changes({}, "resource", ctx, req_props)
        drbd = "DRBD" in layers
        node_id = self._node_id(rd, item.get("drbd_node_id"), ctx) if drbd else None
        if drbd:
            self._check_peer_slots(rd, ctx, 1)
        rsc = Resource(name=rd.name, node_name=node.name, uuid=self.ids.uuid(), layer_stack=layers, node_id=node_id,
                       peer_slots=rd.peer_slots, props=new_props, flags=normalize_flags(flags),
                       create_timestamp=int(self.clock.now() * 1000))
        plans = [self._plan_volume(rd, rsc, vd, ctx) for _, vd in sorted(rd.volume_definitions.items())]
        # volumes placed earlier in the same request already count in their pools' allocated_kib
        self._check_plans_fit(plans, rd, ctx)
        if drbd:
            self._ensure_drbd_data(rd, ctx)
        rd.resources[names.key(node.name)] = rsc
        self._touch_rd(rd.name)
        for plan in plans:
            self._add_volume(rsc, rd.volume_definitions[plan[0]], plan)
        created.append(rsc)
        if call_ctx is None:
            entries.append(registered_entry(ctx, rd, rsc))
        return entries

    def _peer_layer_stack(self, rd: ResourceDefinition) -> Optional[List[str]]:
        stacks = {tuple(r.layer_stack) for r in rd.resources.values()}
        return list(stacks.pop()) if len(stacks) == 1 else None

    def modify_resource(self, rsc_name: str, node_name: str, override=None, delete=None,
                        delete_namespaces=None) -> List[RcEntry]:
        ctx = rsc_ctx(C.MASK_MOD, node_name, rsc_name)
        rsc = self.get_resource(rsc_name, node_name, ctx)
        rsc.props = propslib.apply_changes(rsc.props, "resource", ctx, override, delete, delete_namespaces)
        desc = "Resource '%s' on node '%s'" % (rsc.name, rsc.node_name)
        return [ctx.entry(C.MODIFIED, "%s modified." % desc, details="%s UUID is: %s" % (desc, rsc.uuid),
                          refs={"UUID": rsc.uuid})]

    def modify_volume(self, rsc_name: str, node_name: str, vlm_nr: int, override=None, delete=None,
                      delete_namespaces=None) -> List[RcEntry]:
        ctx = vlm_ctx(C.MASK_MOD, node_name, rsc_name, vlm_nr)
        vlm = self.get_volume(rsc_name, node_name, vlm_nr, ctx)
        rsc = self.get_resource(rsc_name, node_name, ctx)
        vlm.props = propslib.apply_changes(vlm.props, "volume", ctx, override, delete, delete_namespaces)
        desc = "Volume with number '%d' on resource '%s' on node '%s'" % (vlm_nr, rsc.name, rsc.node_name)
        return [ctx.entry(C.MODIFIED, "%s modified." % desc, details="%s UUID is: %s" % (desc, vlm.uuid),
                          refs={"UUID": vlm.uuid})]

    def _last_disk_with_diskless_peers(self, rd: ResourceDefinition, rsc: Resource) -> bool:
        if is_diskless(rsc):
            return False
        others = [r for r in rd.resources.values() if r is not rsc and "DELETE" not in r.flags]
        return any(is_diskless(r) for r in others) and not any(not is_diskless(r) for r in others)

    def _in_use_error(self, rd: ResourceDefinition, rsc: Resource, ctx: Context) -> ApiError:
        return ctx.error(C.FAIL_IN_USE, "Resource '%s' is still in use." % rd.name, cause="Resource is mounted/in use.",
                         correction="Un-mount resource '%s' on the node '%s'." % (rd.name, rsc.node_name))

    def _last_disk_error(self, rd: ResourceDefinition, ctx: Context) -> ApiError:
        return ctx.error(C.FAIL_IN_USE, "Last resource of '%s' with disk still has diskless resources attached."
                         % rd.name, cause="Resource still has diskless users.",
                         correction="Before deleting this resource, delete the diskless resources attached to it.")

    def delete_resource(self, rsc_name: str, node_name: str) -> List[RcEntry]:
        ctx = rsc_ctx(C.MASK_DEL, node_name, rsc_name)
        rd = self.resource_definitions.get(names.key(rsc_name))
        rsc = rd.resources.get(names.key(node_name)) if rd is not None else None
        if rsc is None:
            return [ctx.entry(C.WARN_NOT_FOUND, "Node: %s, Resource: %s not found." % (node_name, rsc_name))]
        if rsc.in_use:
            raise self._in_use_error(rd, rsc, ctx)
        if self._last_disk_with_diskless_peers(rd, rsc):
            raise self._last_disk_error(rd, ctx)
        desc = "Node: %s, Resource: %s" % (rsc.node_name, rd.name)
        self._drop_resource(rd, rsc)
        return [ctx.entry(C.DELETED, "%s preparing for deletion." % desc, details="%s UUID is: %s" % (desc, rsc.uuid)),
                ctx.entry(C.MODIFIED, "Preparing deletion of resource on '%s'" % rsc.node_name),
                ctx.entry(C.DELETED, "%s deletion complete." % desc, details="%s UUID was: %s" % (desc, rsc.uuid))]

    # -- toggle disk --------------------------------------------------------------------------
    def toggle_disk(self, rsc_name: str, node_name: str, diskful: bool, pool: Optional[str] = None,
                    migrate_from: Optional[str] = None, layer_list: Optional[List[str]] = None) -> List[RcEntry]:
        ctx = rsc_ctx(C.MASK_MOD, node_name, rsc_name)
        rsc = self.get_resource(rsc_name, node_name, ctx)
        rd = self.get_resource_definition(rsc_name, ctx)
        if diskful and not is_diskless(rsc):
            return [ctx.entry(C.WARN_RSC_ALREADY_HAS_DISK, "Resource already has disk")]
        if not diskful and is_diskless(rsc):
            return [ctx.entry(C.WARN_RSC_ALREADY_DISKLESS, "Resource already diskless")]
        from_rsc = None
        if migrate_from:
            from_rsc = self.get_resource(rd.name, migrate_from, ctx)
            if from_rsc.in_use:
                raise self._in_use_error(rd, from_rsc, ctx)
        if not diskful:
            online_disks = [r for r in rd.resources.values() if not is_diskless(r)
                            and self.get_node(r.node_name).connection_status == "ONLINE"]
            if len(online_disks) <= 1:
                raise ctx.error(C.FAIL_INSUFFICIENT_REPLICA_COUNT, "Cannot remove the disk from the only online "
                                                                   "resource with a disk")
            if "DRBD" not in rsc.layer_stack:
                raise ctx.error(C.FAIL_INVLD_LAYER_STACK, "Toggle disk is only supported in combination with DRBD")
        new_props = dict(rsc.props)
        if pool:
            new_props[C.KEY_STOR_POOL_NAME] = pool
        elif diskful:
            new_props.pop(C.KEY_STOR_POOL_NAME, None)
        else:
            new_props[C.KEY_STOR_POOL_NAME] = DFLT_DISKLESS_POOL
        old_props, old_flags = rsc.props, rsc.flags
        rsc.props = new_props
        if diskful:
            rsc.flags = [f for f in rsc.flags if f not in DISKLESS_FLAGS]
        else:
            rsc.flags = normalize_flags(rsc.flags + ["DRBD_DISKLESS"])
        try:
            plans = [self._plan_volume(rd, rsc, vd, ctx) for _, vd in sorted(rd.volume_definitions.items())]
        except ApiError:
            rsc.props, rsc.flags = old_props, old_flags
            raise
        # the controller records the pool it resolved when all volumes share one, as it does going diskless
        resolved = {plan[1].name for plan in plans}
        if len(resolved) == 1:
            rsc.props[C.KEY_STOR_POOL_NAME] = resolved.pop()
        # v1.31.3 adds a disk without checking the pool's free space (the check came in v1.33.0)
        for vlm in rsc.volumes.values():
            self._release_volume(rsc, vlm)
        rsc.volumes.clear()
        for plan in plans:
            self._add_volume(rsc, rd.volume_definitions[plan[0]], plan)
        self._touch_rd(rd.name)
        if layer_list and diskful:
            rsc.layer_stack = complete_layer_stack(parse_layer_list(layer_list, ctx), ctx, [])
        action = "Addition of disk to" if diskful else "Removal of disk from"
        entries = [ctx.entry(C.MODIFIED, "%s resource '%s' on node '%s' registered" % (action, rd.name,
                                                                                     rsc.node_name))]
        if from_rsc is not None:
            self._drop_resource(rd, from_rsc)
            entries.append(ctx.entry(C.MODIFIED, "Deleted resource '%s' on '%s' after migration"
                                     % (rd.name, from_rsc.node_name)))
        return entries

    # -- activation ---------------------------------------------------------------------------
    def set_resource_active(self, rsc_name: str, node_name: str, active: bool) -> List[RcEntry]:
        ctx = rsc_ctx(C.MASK_MOD, node_name, rsc_name)
        rsc = self.get_resource(rsc_name, node_name, ctx)
        if ("INACTIVE" not in rsc.flags) == active:
            return [ctx.entry(C.INFO_NOOP, "Resource is already %s. Noop"
                              % ("activated" if active else "deactivated"))]
        if not active and rsc.in_use:
            raise ctx.error(C.FAIL_IN_USE, "Cannot deactivate a resource while being in use!")
        where = "'%s'" % rsc.node_name
        if active:
            rsc.flags = [f for f in rsc.flags if f not in ("INACTIVE", "INACTIVE_PERMANENTLY")]
            return [ctx.entry(C.MODIFIED, "Reactivating resource on %s" % where),
                    ctx.entry(C.MODIFIED, "Resource activated on %s" % where)]
        rsc.flags = normalize_flags(rsc.flags + ["INACTIVE"])
        return [ctx.entry(C.MODIFIED, "Resource deactivated on %s" % where),
                ctx.entry(C.MODIFIED, "Finished deactivation of resource on %s" % where)]

    def set_resource_in_use(self, rsc_name: str, node_name: str, in_use: bool = True) -> None:
        """What a satellite reports when a DRBD device is opened (Primary); not a LINSTOR call."""
        self.get_resource(rsc_name, node_name).in_use = in_use

    # -- what nodes and pools going away mean -------------------------------------------------
    def _check_node_deletable(self, node: Node, ctx: Context) -> None:
        errors = []
        for rd, rsc in self.resources_on_node(node.name):
            if rsc.in_use:
                errors += self._in_use_error(rd, rsc, ctx).entries
            if self._last_disk_with_diskless_peers(rd, rsc):
                errors += self._last_disk_error(rd, ctx).entries
        if errors:
            errors.append(ctx.entry(C.FAIL_NODE_HAS_USED_RSC, "Cannot delete node, because it has in use or last "
                                                              "diskful resources.",
                                    cause="Node '%s' cannot be deleted." % node.name,
                                    details=ctx.description))
            raise ApiError(errors)
        super()._check_node_deletable(node, ctx)

    def _drop_node_objects(self, node: Node) -> None:
        for rd, rsc in self.resources_on_node(node.name):
            self._drop_resource(rd, rsc)
        super()._drop_node_objects(node)
