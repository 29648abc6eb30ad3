"""Snapshots: create (one or several resources at once), delete, rollback, restore, and
the snapshot shipping LINSTOR had until 1.31.

Rules from LINSTOR 1.31.3 (``CtrlSnapshotCrtApiCallHandler``, ``CtrlSnapshotCrtHelper``,
``CtrlSnapshotDeleteApiCallHandler``, ``CtrlSnapshotRollbackApiCallHandler``,
``CtrlSnapshotRestoreApiCallHandler``, ``CtrlSnapshotRestoreVlmDfnApiCallHandler``,
``CtrlSnapshotShippingApiCallHandler``); the rollback rules of earlier releases are chosen by
the emulated version (feature ``rollback_any_snapshot``).

Storage accounting (the fake's rule, consistent with ``resources.py``): the fake writes no
data, so a thin volume takes nothing from its pool. A snapshot pins what its volume held; the
fake counts a snapshot volume in a thin pool as holding its whole size (its "allocated
size"), and a snapshot volume in a thick pool as holding nothing extra (the thick volume
already took its size). Snapshot volumes never change a pool's free capacity; their
allocated size counts in the pool's reserved space (``reserved_kib``), as the controller's
free-capacity estimate counts "Σ allocated size of snapshot volumes".

Snapshot shipping completes on the controller's clock: ``snapshot_shipping_seconds`` (0 by
default: a shipping is complete as soon as it started) says how many virtual seconds a
shipping runs (it is cluster state: ``controller.reset()`` sets it back to 0);
``controller.clock.advance`` moves shippings along.
"""
from typing import Dict, List, Optional, Tuple

from linstor import sharedconsts as C

from ..apicallrc import ApiError, Context, RcEntry, bare_error
from . import names
from .objects import (
    Node,
    Resource,
    ResourceDefinition,
    Snapshot,
    SnapshotDefinition,
    SnapshotShipping,
    SnapshotVolume,
    SnapshotVolumeDefinition,
    StoragePool,
    VolumeDefinition,
)
from .resource_definitions import DEFAULT_LAYER_STACK, rd_has_drbd, vd_ctx
from .resources import REQUEST_FLAGS, ResourceOps, is_diskless, rsc_ctx
from .storage import is_thin, supports_snapshots

SAFETY_SNAP_PREFIX = "safety-snap-"
NODE_IDS_TO_RESET = C.NAMESPC_BACKUP_SHIPPING + "/BackupNodeIdsToReset"
# the placeholder snapshot name of the shipping call's reply context
SHIPPING_CTX_NAME = C.VAL_SNAP_SHIP_NAME
SHIPPING_KINDS = ("LVM_THIN", "ZFS", "ZFS_THIN")
# provider kinds whose volumes cannot go while snapshots depend on them (LINSTOR before 1.31)
DEPENDENT_SNAPSHOT_KINDS = ("ZFS", "ZFS_THIN", "SPDK", "REMOTE_SPDK")


def snap_ctx(op: int, rsc_name: str, snap_name: str, nodes=()) -> Context:
    desc = "Resource: %s, Snapshot: %s" % (rsc_name, snap_name)
    if nodes:
        desc = "Nodes: %s; %s" % (", ".join(nodes), desc)
    return Context(op, C.MASK_SNAPSHOT, {C.KEY_RSC_DFN: rsc_name, C.KEY_SNAPSHOT: snap_name}, desc)


def snap_inline(rsc_name: str, snap_name: str, nodes=()) -> str:
    text = "snapshot '%s' of resource '%s'" % (snap_name, rsc_name)
    return text + (" on nodes '%s'" % ", ".join(nodes) if nodes else "")


def snap_dfn_description(rsc_name: str, snap_name: str) -> str:
    return "Snapshot definition %s of resource %s" % (snap_name, rsc_name)


def snapshot_not_found(rsc_name: str, snap_name: str, ctx: Optional[Context] = None) -> ApiError:
    msg = "Snapshot '%s' of resource '%s' not found." % (snap_name, rsc_name)
    if ctx is None:
        return bare_error(C.FAIL_NOT_FOUND_SNAPSHOT_DFN, msg)
    return ctx.error(C.FAIL_NOT_FOUND_SNAPSHOT_DFN, msg)


class SnapshotOps:
    def _init_state(self) -> None:
        # resource definition key -> snapshot key -> definition
        self.snapshot_definitions: Dict[str, Dict[str, SnapshotDefinition]] = {}
        self.snapshot_shippings: List[SnapshotShipping] = []
        self.snapshot_sequence = 0
        # how long (virtual seconds) a snapshot shipping runs before it is complete
        self.snapshot_shipping_seconds = 0.0
        self.snapshot_shipping_next_id: Dict[str, int] = {}

    # -- lookups ------------------------------------------------------------------------------
    def snapshots_of(self, rsc_name: str) -> List[SnapshotDefinition]:
        return [sd for _, sd in sorted(self.snapshot_definitions.get(names.key(rsc_name), {}).items())]

    def get_snapshot_definition(self, rsc_name: str, snap_name: str, ctx: Optional[Context] = None
                                ) -> SnapshotDefinition:
        rd = self.get_resource_definition(rsc_name, ctx)
        sd = self.snapshot_definitions.get(names.key(rd.name), {}).get(names.key(snap_name))
        if sd is None:
            raise snapshot_not_found(rd.name, snap_name, ctx)
        self._settle_shippings()
        return sd

    def list_snapshots(self, nodes=None, resources=None) -> List[SnapshotDefinition]:
        """All snapshot definitions as ``/v1/view/snapshots`` lists them, filtered by node and resource."""
        self._settle_shippings()
        node_keys = {names.key(n) for n in nodes} if nodes else None
        rsc_keys = {names.key(r) for r in resources} if resources else None
        out = []
        for rd_key, per_rd in sorted(self.snapshot_definitions.items()):
            if rsc_keys is not None and rd_key not in rsc_keys:
                continue
            for _, sd in sorted(per_rd.items()):
                if node_keys is not None and not node_keys & set(sd.snapshots):
                    continue
                out.append(sd)
        return out

    def snapshot_volumes_in_pool(self, node_name: str, pool_name: str) -> List[SnapshotVolume]:
        node_key, pool_key = names.key(node_name), names.key(pool_name)
        return [vlm for per_rd in self.snapshot_definitions.values() for sd in per_rd.values()
                for nk, snap in sd.snapshots.items() if nk == node_key
                for vlm in snap.volumes.values() if names.key(vlm.storage_pool_name) == pool_key]

    # -- hooks of the resource, storage and node areas ----------------------------------------
    def _rsc_dfn_has_snapshots(self, rd: ResourceDefinition) -> bool:
        return bool(self.snapshot_definitions.get(names.key(rd.name))) or super()._rsc_dfn_has_snapshots(rd)

    def _pool_in_use(self, pool: StoragePool) -> bool:
        return bool(self.snapshot_volumes_in_pool(pool.node_name, pool.name)) or super()._pool_in_use(pool)

    def reserved_kib(self, node_name: str, pool_name: str) -> int:
        """Σ usable size of the pool's volumes + Σ allocated size of its snapshot volumes."""
        return super().reserved_kib(node_name, pool_name) + sum(
            v.allocated_kib for v in self.snapshot_volumes_in_pool(node_name, pool_name))

    def _check_node_deletable(self, node: Node, ctx: Context) -> None:
        super()._check_node_deletable(node, ctx)
        if self.resources_on_node(node.name):
            return
        # v1.31.3 refuses to delete a node that holds snapshots but no resources (fixed in v1.32.0)
        for _, pool in sorted(node.storage_pools.items()):
            if self.snapshot_volumes_in_pool(node.name, pool.name):
                raise ctx.error(C.FAIL_EXISTS_VLM, "Deletion of node '%s' failed because the storage pool '%s' "
                                                   "references volumes on this node, although the node does not "
                                                   "reference any resources" % (node.name, pool.name), report=True)

    def _drop_node_objects(self, node: Node) -> None:
        key = names.key(node.name)
        for per_rd in list(self.snapshot_definitions.values()):
            for sd in list(per_rd.values()):
                if sd.snapshots.pop(key, None) is not None:
                    self._touch_rd(sd.resource_name)
                    if not sd.snapshots:
                        self._forget_snapshot_definition(sd)
        super()._drop_node_objects(node)

    def delete_resource(self, rsc_name: str, node_name: str) -> List[RcEntry]:
        rd = self.resource_definitions.get(names.key(rsc_name))
        rsc = rd.resources.get(names.key(node_name)) if rd is not None else None
        if rsc is not None:
            self._refuse_dependent_snapshots(rd, [rsc], None, rsc_ctx(C.MASK_DEL, rsc.node_name, rd.name))
        entries = super().delete_resource(rsc_name, node_name)
        if rsc is not None and not any(e.is_error for e in entries):
            # v1.31.3 aborts a running snapshot shipping of the definition when a resource goes
            for sd in self.snapshots_of(rd.name):
                self._abort_shippings(sd, rsc_ctx(C.MASK_DEL, rsc.node_name, rd.name))
        return entries

    def delete_volume_definition(self, rsc_name: str, vlm_nr: int) -> List[RcEntry]:
        rd = self.resource_definitions.get(names.key(rsc_name))
        if rd is not None and vlm_nr in rd.volume_definitions:
            self._refuse_dependent_snapshots(rd, list(rd.resources.values()), vlm_nr,
                                             vd_ctx(C.MASK_DEL, rd.name, vlm_nr))
        return super().delete_volume_definition(rsc_name, vlm_nr)

    def _refuse_dependent_snapshots(self, rd: ResourceDefinition, rscs: List[Resource], vlm_nr: Optional[int],
                                    ctx: Context) -> None:
        """Before 1.31 a volume whose storage keeps snapshots inside it cannot be deleted."""
        if self.version.has("delete_despite_snapshots"):
            return
        for rsc in rscs:
            for nr, vlm in sorted(rsc.volumes.items()):
                if (vlm_nr is not None and nr != vlm_nr) or vlm.provider_kind not in DEPENDENT_SNAPSHOT_KINDS:
                    continue
                for sd in self.snapshots_of(rd.name):
                    snap = sd.snapshots.get(names.key(rsc.node_name))
                    if snap is not None and nr in snap.volumes:
                        raise ctx.error(C.FAIL_EXISTS_SNAPSHOT, "Resource '%s' cannot be deleted because volume %d "
                                                                "has dependent snapshot '%s'" % (rd.name, nr, sd.name))

    def _forget_snapshot_definition(self, sd: SnapshotDefinition) -> None:
        per_rd = self.snapshot_definitions.get(names.key(sd.resource_name), {})
        per_rd.pop(names.key(sd.name), None)
        if not per_rd:
            self.snapshot_definitions.pop(names.key(sd.resource_name), None)
        self._touch_rd(sd.resource_name)
        self.snapshot_shippings = [s for s in self.snapshot_shippings
                                   if (names.key(s.resource_name), names.key(s.snapshot_name))
                                   != (names.key(sd.resource_name), names.key(sd.name))]

    # -- create -------------------------------------------------------------------------------
    def create_snapshot(self, rsc_name: str, snap_name: str, nodes: Optional[List[str]] = None) -> List[RcEntry]:
        ctx = snap_ctx(C.MASK_CRT, rsc_name, snap_name, nodes or ())
        entries: List[RcEntry] = []
        self._take_snapshot(rsc_name, snap_name, list(nodes or []), ctx, entries)
        return entries

    def create_snapshots_multi(self, items: List[dict]) -> List[RcEntry]:
        """``/v1/actions/snapshot/multi``: one snapshot of each named resource, all or none."""
        entries: List[RcEntry] = []
        before = self.copy_state()
        try:
            for item in items:
                rsc_name, snap_name = item.get("resource_name") or "", item.get("name") or ""
                ctx = snap_ctx(C.MASK_CRT, rsc_name, snap_name, item.get("nodes") or ())
                self._take_snapshot(rsc_name, snap_name, list(item.get("nodes") or []), ctx, entries)
        except ApiError:
            self.set_state(before)
            raise
        return entries

    def _check_snapshot_name(self, rd: ResourceDefinition, snap_name: str, ctx: Context) -> None:
        try:
            names.check_resource_name(snap_name)
        except names.InvalidName as err:
            raise ctx.error(C.FAIL_INVLD_SNAPSHOT_NAME, "The given snapshot name '%s' is invalid." % snap_name,
                            cause=str(err), report=True)
        if names.key(snap_name) in self.snapshot_definitions.get(names.key(rd.name), {}):
            raise ctx.error(C.FAIL_EXISTS_SNAPSHOT_DFN, "A snapshot definition with the name '%s' already exists "
                                                        "in resource definition '%s'." % (snap_name, rd.name))

    def _ensure_snapshots_viable(self, rd: ResourceDefinition, ctx: Context) -> None:
        connected_disks = 0
        for _, rsc in sorted(rd.resources.items()):
            if is_diskless(rsc):
                continue
            node = self.get_node(rsc.node_name)
            for _, vlm in sorted(rsc.volumes.items()):
                pool = self._volume_pool(rsc, vlm)
                if pool is not None and not supports_snapshots(pool.provider_kind):
                    raise ctx.error(C.FAIL_SNAPSHOTS_NOT_SUPPORTED, "Storage driver '%s' does not support snapshots."
                                    % pool.provider_kind,
                                    details="Used for storage pool '%s' on '%s'." % (pool.name, node.name),
                                    report=True)
            if node.connection_status == "ONLINE":
                connected_disks += 1
        if not connected_disks:
            raise ctx.error(C.FAIL_NOT_CONNECTED, "No diskful connected satellite for snapshot or no resources.",
                            details="Snapshots need at least one diskful online satellite.", report=True)

    def _take_snapshot(self, rsc_name: str, snap_name: str, node_names: List[str], ctx: Context,
                       entries: List[RcEntry]) -> SnapshotDefinition:
        """Checks and creates one snapshot definition with its snapshots; adds the reply entries."""
        rd = self.get_resource_definition(rsc_name, ctx)
        self._check_snapshot_name(rd, snap_name, ctx)
        self._ensure_snapshots_viable(rd, ctx)
        warnings: List[RcEntry] = []
        chosen: List[Resource] = []
        if not node_names:
            for _, rsc in sorted(rd.resources.items()):
                if is_diskless(rsc):
                    continue
                node = self.get_node(rsc.node_name)
                if "EVACUATE" in node.flags:
                    warnings.append(self._skip_warning(ctx, rd.name, node.name, "evacuating"))
                elif node.connection_status != "ONLINE":
                    warnings.append(self._skip_warning(ctx, rd.name, node.name, "offline"))
                else:
                    chosen.append(rsc)
        else:
            for node_name in node_names:
                rsc = self.get_resource(rd.name, node_name, ctx)
                if is_diskless(rsc):
                    raise ctx.error(C.FAIL_SNAPSHOTS_NOT_SUPPORTED, "Cannot create snapshot from diskless resource "
                                                                    "on node '%s'" % node_name, report=True)
                if "EVACUATE" in self.get_node(rsc.node_name).flags:
                    warnings.append(self._skip_warning(ctx, rd.name, node_name, "evacuating"))
                elif rsc not in chosen:
                    chosen.append(rsc)
        if not chosen:
            raise ctx.error(C.FAIL_NOT_FOUND_RSC, "No resources found for snapshotting", report=True)
        sd = self._build_snapshot(rd, snap_name, chosen)
        entries += warnings
        entries.append(ctx.entry(C.CREATED, "New %s registered." % snap_inline(rd.name, sd.name, node_names),
                                 details="Snapshot '%s' of resource '%s' UUID is: %s" % (sd.name, rd.name, sd.uuid),
                                 refs={"UUID": sd.uuid}))
        online = [r.node_name for _, r in sorted(rd.resources.items())
                  if self.get_node(r.node_name).connection_status == "ONLINE"]
        for text in ("Suspended IO of '%s' on '%s' for snapshot", "Took snapshot of '%s' on '%s'",
                     "Resumed IO of '%s' on '%s' after snapshot"):
            entries += [RcEntry(C.MODIFIED, text % (rd.name, n)) for n in online]
        return sd

    @staticmethod
    def _skip_warning(ctx: Context, rsc_name: str, node_name: str, why: str) -> RcEntry:
        return ctx.entry(C.MASK_WARN, "Snapshot for resource '%s' will not be created on node '%s' because that "
                                      "node is currently %s." % (rsc_name, node_name, why))

    def _build_snapshot(self, rd: ResourceDefinition, snap_name: str, chosen: List[Resource]) -> SnapshotDefinition:
        self.snapshot_sequence += 1
        sd = SnapshotDefinition(name=snap_name, resource_name=rd.name, uuid=self.ids.uuid(),
                                sequence=self.snapshot_sequence, resource_definition_props=dict(rd.props),
                                flags=["SUCCESSFUL"])
        for nr, vd in sorted(rd.volume_definitions.items()):
            sd.volume_definitions[nr] = SnapshotVolumeDefinition(nr, vd.size_kib, self.ids.uuid(), dict(vd.props),
                                                                 [f for f in vd.flags if f == "ENCRYPTED"])
        # DRBD metadata of the diskful peers, for a later restore (CtrlSnapshotCrtHelper.setNodeIds)
        node_ids = [r.node_id for _, r in sorted(rd.resources.items())
                    if not is_diskless(r) and "DRBD" in r.layer_stack and r.node_id is not None]
        if node_ids:
            sd.props[NODE_IDS_TO_RESET] = ",".join(str(i) for i in node_ids)
        now = self.clock.now_ms()
        for rsc in chosen:
            snap = Snapshot(node_name=rsc.node_name, uuid=self.ids.uuid(), create_timestamp=now,
                            resource_props=dict(rsc.props), node_id=rsc.node_id, layer_stack=list(rsc.layer_stack))
            for nr, vlm in sorted(rsc.volumes.items()):
                if nr not in rd.volume_definitions:
                    continue
                held = rd.volume_definitions[nr].size_kib if is_thin(vlm.provider_kind) and \
                    vlm.provider_kind != "DISKLESS" else 0
                snap.volumes[nr] = SnapshotVolume(nr, self.ids.uuid(), vlm.storage_pool_name, vlm.provider_kind,
                                                  held, dict(vlm.props))
            sd.snapshots[names.key(rsc.node_name)] = snap
        self.snapshot_definitions.setdefault(names.key(rd.name), {})[names.key(snap_name)] = sd
        self._touch_rd(rd.name)
        return sd

    # -- delete -------------------------------------------------------------------------------
    def delete_snapshot(self, rsc_name: str, snap_name: str, nodes: Optional[List[str]] = None) -> List[RcEntry]:
        ctx = snap_ctx(C.MASK_DEL, rsc_name, snap_name)
        rd = self.resource_definitions.get(names.key(rsc_name))
        sd = self.snapshot_definitions.get(names.key(rsc_name), {}).get(names.key(snap_name)) if rd else None
        if sd is None:
            return [ctx.entry(C.WARN_NOT_FOUND, "%s not found." % snap_dfn_description(rsc_name, snap_name))]
        self._settle_shippings()
        entries: List[RcEntry] = []
        if nodes:
            wanted = {names.key(n): n for n in nodes}
            hit = [snap for key, snap in sorted(sd.snapshots.items()) if key in wanted]
            missing = [n for key, n in wanted.items() if key not in sd.snapshots]
            entries.append(ctx.entry(C.DELETED, "Marked snapshot for deletion %s"
                                     % snap_inline(sd.resource_name, sd.name, [s.node_name for s in hit])))
            if missing:
                entries.append(ctx.entry(C.WARN_NOT_FOUND, "%s was not found on given nodes: %s"
                                         % (snap_dfn_description(sd.resource_name, sd.name), ", ".join(missing))))
        else:
            hit = [snap for _, snap in sorted(sd.snapshots.items())]
            entries += [ctx.entry(C.DELETED, "Marked snapshot for deletion %s"
                                  % snap_inline(sd.resource_name, sd.name, [s.node_name]))
                        for s in hit]
        entries += self._abort_shippings(sd, ctx)
        for snap in hit:
            del sd.snapshots[names.key(snap.node_name)]
            entries.append(RcEntry(C.MODIFIED, "Deleted snapshot '%s' of '%s' on '%s'"
                                   % (sd.name, sd.resource_name, snap.node_name)))
        self._touch_rd(sd.resource_name)
        if not sd.snapshots:
            self._forget_snapshot_definition(sd)
        return entries

    # -- rollback -----------------------------------------------------------------------------
    def rollback_snapshot(self, rsc_name: str, snap_name: str) -> List[RcEntry]:
        ctx = snap_ctx(C.MASK_MOD, rsc_name, snap_name)
        sd = self.get_snapshot_definition(rsc_name, snap_name, ctx)
        rd = self.get_resource_definition(rsc_name, ctx)
        if not self.version.has("rollback_any_snapshot"):
            newest = max(self.snapshots_of(rd.name), key=lambda s: s.sequence)
            if newest is not sd:
                raise ctx.error(C.FAIL_EXISTS_SNAPSHOT_DFN, "Rollback is only allowed with the most recent snapshot",
                                report=True)
        for _, rsc in sorted(rd.resources.items()):
            if rsc.in_use:
                raise ctx.error(C.FAIL_IN_USE, "Resource '%s' on node '%s' is still in use." % (rd.name,
                                                                                               rsc.node_name),
                                cause="Resource is mounted/in use.")
        before = self.copy_state()
        try:
            if self.version.has("rollback_any_snapshot"):
                return self._rollback_via_restore(rd, sd, ctx)
            return self._rollback_in_place(rd, sd, ctx)
        except ApiError:
            self.set_state(before)
            raise

    def _rollback_in_place(self, rd: ResourceDefinition, sd: SnapshotDefinition, ctx: Context) -> List[RcEntry]:
        """Before 1.31: the storage layer rolls the volumes back where they are."""
        for nr, svd in sd.volume_definitions.items():
            vd = rd.volume_definitions.get(nr)
            if vd is not None and vd.size_kib != svd.size_kib:
                vd.size_kib = svd.size_kib
                self._resize_thick_volumes(rd, vd)
        self._touch_rd(rd.name)
        entries = [ctx.entry(C.MODIFIED, "Snapshot '%s' of resource '%s' marked down for rollback."
                             % (sd.name, rd.name))]
        entries += [RcEntry(C.MODIFIED, "Rolled resource '%s' back on '%s'" % (rd.name, r.node_name))
                    for _, r in sorted(rd.resources.items()) if not is_diskless(r)]
        return entries

    def _resize_thick_volumes(self, rd: ResourceDefinition, vd: VolumeDefinition) -> None:
        for rsc in rd.resources.values():
            vlm = rsc.volumes.get(vd.volume_number)
            pool = self._volume_pool(rsc, vlm) if vlm is not None else None
            if pool is not None and self._is_thick(pool):
                self._set_allocated(pool, pool.allocated_kib + vd.size_kib - vlm.allocated_kib)
                vlm.allocated_kib = vd.size_kib

    def _rollback_via_restore(self, rd: ResourceDefinition, sd: SnapshotDefinition, ctx: Context) -> List[RcEntry]:
        """Since 1.31: safety snapshot, delete the resources, restore the snapshot into the same
        definition, recreate the other resources as they were, delete the safety snapshot."""
        entries: List[RcEntry] = []
        safety_name = SAFETY_SNAP_PREFIX + self.ids.uuid()
        safety = self._take_snapshot(rd.name, safety_name, [], snap_ctx(C.MASK_CRT, rd.name, safety_name), entries)
        safety.flags.append("SAFETY_SNAPSHOT")
        previous = [(r.node_name, dict(r.props), [f for f in r.flags if f in REQUEST_FLAGS])
                    for _, r in sorted(rd.resources.items())]
        # the definition is truncated as CtrlRscDfnTruncateApiCallHandler does it: diskless resources first
        for rsc in sorted(rd.resources.values(), key=lambda r: (not is_diskless(r), names.key(r.node_name))):
            entries += ResourceOps.delete_resource(self, rd.name, rsc.node_name)
        self._reset_volume_definitions(rd, sd, ctx)
        entries += self._restore_into(rd, sd, [], {}, snap_ctx(C.MASK_CRT, rd.name, sd.name))
        created: List[Resource] = []
        for node_name, props, flags in previous:
            if names.key(node_name) not in rd.resources and names.key(node_name) in self.nodes:
                entries += self._create_resource(rd.name, {"node_name": node_name, "props": props, "flags": flags},
                                                 created)
        entries += self.delete_snapshot(rd.name, safety.name)
        return entries

    def _reset_volume_definitions(self, rd: ResourceDefinition, sd: SnapshotDefinition, ctx: Context) -> None:
        for nr in [nr for nr in rd.volume_definitions if nr not in sd.volume_definitions]:
            del rd.volume_definitions[nr]
        for nr, svd in sorted(sd.volume_definitions.items()):
            vd = rd.volume_definitions.get(nr)
            if vd is None:
                minor = self._allocate_minor(None, ctx) if rd_has_drbd(rd) else None
                rd.volume_definitions[nr] = VolumeDefinition(nr, svd.size_kib, self.ids.uuid(), minor,
                                                             dict(svd.volume_definition_props), list(svd.flags))
            else:
                vd.size_kib = svd.size_kib
                vd.props = dict(svd.volume_definition_props)
                vd.flags = [f for f in vd.flags if f != "RESIZE_SHRINK"]
        self._touch_rd(rd.name)

    # -- restore ------------------------------------------------------------------------------
    def restore_snapshot_resources(self, rsc_name: str, snap_name: str, to_resource: str,
                                   nodes: Optional[List[str]] = None,
                                   stor_pool_rename: Optional[Dict[str, str]] = None) -> List[RcEntry]:
        nodes = list(nodes or [])
        where = "Nodes: %s; " % ", ".join(nodes) if nodes else ""
        ctx = Context(C.MASK_CRT, C.MASK_RSC, {}, "%sResource: %s" % (where, to_resource or ""))
        rd = self.get_resource_definition(rsc_name, ctx)
        sd = self.get_snapshot_definition(rd.name, snap_name, ctx)
        target = self.get_resource_definition(to_resource or "", ctx)
        if target.resources:
            raise ctx.error(C.FAIL_EXISTS_RSC, "Cannot restore to resource definition which already has resources",
                            report=True)
        self._ensure_not_shipping(sd, ctx)
        before = self.copy_state()
        try:
            if "SHIPPED" in sd.flags and "FROM_SHIPPED_SNAPSHOT" not in target.flags:
                target.flags.append("FROM_SHIPPED_SNAPSHOT")
            return self._restore_into(target, sd, nodes, dict(stor_pool_rename or {}), ctx)
        except ApiError:
            self.set_state(before)
            raise

    def _restore_into(self, target: ResourceDefinition, sd: SnapshotDefinition, node_names: List[str],
                      rename: Dict[str, str], ctx: Context) -> List[RcEntry]:
        """Creates the target's resources from the snapshot (CtrlSnapshotRestoreApiCallHandler).
        Volumes follow the target's volume definitions, not the snapshot's: a target that kept
        fewer definitions from an earlier restore gets only those."""
        target.props.update(sd.resource_definition_props)
        snaps = []
        for node_name in node_names:
            node = self.get_node(node_name, ctx)
            snap = sd.snapshots.get(names.key(node.name))
            if snap is None:
                raise ctx.error(C.FAIL_NOT_FOUND_SNAPSHOT, "Snapshot '%s' of resource '%s' on node '%s' not found."
                                % (sd.name, sd.resource_name, node.name))
            snaps.append(snap)
        if not node_names:
            snaps = [snap for _, snap in sorted(sd.snapshots.items())]
        plans: List[Tuple[Snapshot, List[tuple]]] = []
        for snap in snaps:
            per_node = []
            for nr, vd in sorted(target.volume_definitions.items()):
                svd = sd.volume_definitions.get(nr)
                if svd is None:
                    raise ctx.error(C.FAIL_NOT_FOUND_SNAPSHOT_VLM_DFN, "Snapshot does not contain required volume "
                                                                      "number %d" % nr)
                if svd.size_kib != vd.size_kib:
                    raise ctx.error(C.FAIL_INVLD_VLM_SIZE, "Snapshot size does not match for volume number %d; "
                                                           "snapshot size: %dKiB, required size: %dKiB"
                                    % (nr, svd.size_kib, vd.size_kib), report=True)
                svlm = snap.volumes.get(nr)
                if svlm is None:
                    raise ctx.error(C.FAIL_IMPL_ERROR, "Expected snapshot volume missing", report=True)
                pool_name = rename.get(svlm.storage_pool_name, svlm.storage_pool_name)
                pool = self.get_storage_pool(snap.node_name, pool_name, ctx)
                per_node.append((nr, pool, vd.size_kib if self._is_thick(pool) else 0, svlm))
            plans.append((snap, per_node))
        self._check_plans_fit([p[:3] for _, per_node in plans for p in per_node], target, ctx)
        layers = next((s.layer_stack for s in snaps if s.layer_stack), None) or list(
            target.layer_stack or DEFAULT_LAYER_STACK)
        if "DRBD" in layers:
            self._ensure_drbd_data(target, ctx)
        now = self.clock.now_ms()
        for snap, per_node in plans:
            node_id = None
            if "DRBD" in layers:
                used = {r.node_id for r in target.resources.values()}
                node_id = snap.node_id if snap.node_id is not None and snap.node_id not in used else \
                    self._node_id(target, None, ctx)
            rsc = Resource(name=target.name, node_name=self.get_node(snap.node_name).name, uuid=self.ids.uuid(),
                           layer_stack=list(layers), node_id=node_id, peer_slots=target.peer_slots,
                           props=dict(snap.resource_props), create_timestamp=now)
            target.resources[names.key(rsc.node_name)] = rsc
            for nr, pool, taken, svlm in per_node:
                vlm = self._add_volume(rsc, target.volume_definitions[nr], (nr, pool, taken))
                vlm.props = dict(svlm.volume_props)
        self._touch_rd(target.name)
        # an empty target takes over the properties the volume definitions had
        for nr, vd in target.volume_definitions.items():
            if nr in sd.volume_definitions:
                vd.props.update(sd.volume_definitions[nr].volume_definition_props)
        entries = []
        if not target.volume_definitions:
            entries.append(ctx.entry(C.WARN_NOT_FOUND, "No volumes to restore.",
                                     details="The target resource definition has no volume definitions. The restored "
                                             "resources will be empty.",
                                     correction="Restore the volume definitions to the target resource definition."))
        subject = "Resource '%s'" % target.name + (" on nodes '%s'" % ", ".join(node_names) if node_names else "")
        uuids = ", ".join(r.uuid for _, r in sorted(target.resources.items()))
        entries.append(ctx.entry(C.CREATED, "%s restored from resource '%s', snapshot '%s'."
                                 % (subject, sd.resource_name, sd.name), details="Resource UUIDs: %s" % uuids))
        return entries

    def restore_snapshot_volume_definitions(self, rsc_name: str, snap_name: str, to_resource: str) -> List[RcEntry]:
        """One volume definition per snapshot volume definition (same number and size, encryption
        kept; other properties are not copied), with volumes on the target's resources."""
        to_resource = to_resource or ""
        ctx = Context(C.MASK_CRT, C.MASK_SNAPSHOT, {}, "Volume definitions of resource: %s" % to_resource)
        rd = self.get_resource_definition(rsc_name, ctx)
        sd = self.get_snapshot_definition(rd.name, snap_name, ctx)
        target = self.get_resource_definition(to_resource, ctx)
        before = self.copy_state()
        try:
            for nr, svd in sorted(sd.volume_definitions.items()):
                if nr in target.volume_definitions:
                    raise ctx.error(C.FAIL_EXISTS_VLM_DFN, "A volume definition with the number %d already exists in "
                                                           "resource definition '%s'." % (nr, target.name))
                self.create_volume_definition(target.name, svd.size_kib, nr, flags=list(svd.flags))
        except ApiError:
            self.set_state(before)
            raise
        uuids = ", ".join(r.uuid for _, r in sorted(target.resources.items()))
        # the controller answers with the DELETED code here (CtrlSnapshotRestoreVlmDfnApiCallHandler)
        return [ctx.entry(C.DELETED, "Volume definitions of resource definition '%s' restored from resource '%s', "
                                     "snapshot '%s'." % (to_resource, rsc_name, snap_name),
                          details="Resource UUIDs: %s" % uuids)]

    # -- snapshot shipping (until LINSTOR 1.31) ------------------------------------------------
    def _settle_shippings(self) -> None:
        """Shippings whose time has come are complete: the snapshot is marked shipped."""
        now = self.clock.now_ms()
        for ship in self.snapshot_shippings:
            if ship.complete_at_ms is not None and ship.complete_at_ms <= now:
                sd = self.snapshot_definitions.get(names.key(ship.resource_name), {}).get(
                    names.key(ship.snapshot_name))
                if sd is not None and "SHIPPING" in sd.flags:
                    sd.flags = [f for f in sd.flags if f != "SHIPPING"] + ["SHIPPED"]

    def shipping_running(self, ship: SnapshotShipping) -> bool:
        return ship.complete_at_ms is not None and ship.complete_at_ms > self.clock.now_ms()

    def _ensure_not_shipping(self, sd: SnapshotDefinition, ctx: Context) -> None:
        if "SHIPPING" in sd.flags:
            raise ctx.error(C.FAIL_EXISTS_SNAPSHOT_SHIPPING, "Snapshot is being shipped. Please wait until shipping "
                                                             "is finished")

    def _shippings_of(self, sd: SnapshotDefinition) -> List[SnapshotShipping]:
        return [s for s in self.snapshot_shippings
                if names.key(s.resource_name) == names.key(sd.resource_name)
                and names.key(s.snapshot_name) == names.key(sd.name)]

    def _abort_shippings(self, sd: SnapshotDefinition, ctx: Context) -> List[RcEntry]:
        aborted = [s for s in self._shippings_of(sd) if self.shipping_running(s)]
        for ship in aborted:
            ship.complete_at_ms = None
            self.snapshot_shippings.remove(ship)
        if aborted:
            sd.flags = [f for f in sd.flags if f != "SHIPPING"]
        return [ctx.entry(C.MASK_INFO, "Aborted snapshot shipping")] if aborted else []

    def ship_snapshot(self, rsc_name: str, from_node: str, to_node: str, from_nic: Optional[str] = None,
                      to_nic: Optional[str] = None) -> List[RcEntry]:
        ctx = snap_ctx(C.MASK_MOD, rsc_name, SHIPPING_CTX_NAME)
        rd = self.get_resource_definition(rsc_name, ctx)
        self.get_node(from_node, ctx)
        self.get_node(to_node, ctx)
        self._settle_shippings()
        for ship in self.snapshot_shippings:
            if names.key(ship.resource_name) == names.key(rd.name) and self.shipping_running(ship) and \
                    (names.key(ship.from_node), names.key(ship.to_node)) == (names.key(from_node), names.key(to_node)):
                raise ctx.error(C.FAIL_EXISTS_SNAPSHOT_SHIPPING, "Snapshot shipping of resource '%s' from node '%s' "
                                                                 "to node '%s' already in progress"
                                % (rd.name, from_node, to_node))
        source = self.get_resource(rd.name, from_node, ctx)
        target = self.get_resource(rd.name, to_node, ctx)
        for rsc, is_source in ((source, True), (target, False)):
            if not is_source and "INACTIVE" not in rsc.flags:
                raise ctx.error(C.FAIL_INVLD_SNAPSHOT_SHIPPING_TARGET, "Snapshot shipping target must be inactive",
                                report=True)
            for _, vlm in sorted(rsc.volumes.items()):
                if vlm.provider_kind not in SHIPPING_KINDS:
                    raise ctx.error(C.FAIL_SNAPSHOT_SHIPPING_NOT_SUPPORTED, "The storage pool kind %s does not "
                                                                           "support snapshot shipping"
                                    % vlm.provider_kind, report=True)
        entries: List[RcEntry] = []
        prefix = rd.props.get(C.KEY_SNAPSHOT_SHIPPING_PREFIX) or C.DFLT_SNAPSHOT_SHIPPING_PREFIX
        try:
            names.check_resource_name(prefix)
        except names.InvalidName:
            entries.append(ctx.entry(C.WARN_INVLD_SNAPSHOT_SHIPPING_PREFIX, "'%s' is not a valid prefix for snapshot "
                                                                             "shipping. Defaulting to '%s'"
                                     % (prefix, C.DFLT_SNAPSHOT_SHIPPING_PREFIX)))
            prefix = C.DFLT_SNAPSHOT_SHIPPING_PREFIX
        existing = self.snapshot_definitions.get(names.key(rd.name), {})
        next_id = self.snapshot_shipping_next_id.get(names.key(rd.name), 0)
        while names.key(prefix + str(next_id)) in existing:
            next_id += 1
        snap_name = prefix + str(next_id)
        self.snapshot_shipping_next_id[names.key(rd.name)] = next_id + 1
        sd = self._take_snapshot(rd.name, snap_name, [source.node_name, target.node_name],
                                 snap_ctx(C.MASK_CRT, rd.name, snap_name), entries)
        sd.flags.append("SHIPPING")
        self.snapshot_shippings.append(SnapshotShipping(
            rd.name, sd.name, source.node_name, target.node_name,
            self.clock.now_ms() + int(self.snapshot_shipping_seconds * 1000)))
        entries.append(ctx.entry(C.WARN_DEPRECATED, "Snapshot-shipping is deprecated and will be deleted in a future "
                                                    "LINSTOR release. Use Backup-shipping instead"))
        self._settle_shippings()
        return entries

    def list_snapshot_shippings(self, nodes=None, resources=None, snapshots=None, status=None
                                ) -> List[Tuple[SnapshotShipping, SnapshotDefinition, str]]:
        """(shipping, its snapshot, "Running" or "Complete") filtered as ``/v1/view/snapshot-shippings``."""
        self._settle_shippings()
        node_keys = {names.key(n) for n in nodes} if nodes else None
        rsc_keys = {names.key(r) for r in resources} if resources else None
        snap_keys = {names.key(s) for s in snapshots} if snapshots else None
        wanted_status = {s.lower() for s in status} if status else None
        out = []
        for ship in self.snapshot_shippings:
            sd = self.snapshot_definitions.get(names.key(ship.resource_name), {}).get(names.key(ship.snapshot_name))
            if sd is None:
                continue
            state = "Running" if self.shipping_running(ship) else "Complete"
            if node_keys is not None and not {names.key(ship.from_node), names.key(ship.to_node)} & node_keys:
                continue
            if rsc_keys is not None and names.key(ship.resource_name) not in rsc_keys:
                continue
            if snap_keys is not None and names.key(ship.snapshot_name) not in snap_keys:
                continue
            if wanted_status is not None and state.lower() not in wanted_status:
                continue
            out.append((ship, sd, state))
        return out
