"""Resource-definition clones (``CtrlRscDfnApiCallHandler#cloneRscDfn``,
``CtrlApiCallHandler#isCloneReady``, ``RscDfnInternalCallHandler`` of LINSTOR 1.31.3).

A clone is a new resource definition with the source's volume definitions and properties (plus
``cloned-from``), and a resource on every node that holds one of the source's: a diskful one in
a storage pool of the node (the source's pool, or one named by the clone's resource group), a
diskless one like the source's. The satellites then copy the data; the fake finishes that on
the controller's clock after ``clone_seconds`` (0: within the call), the way snapshot shipping
does. Until then the definition carries the CLONING flag and its status is CLONING.

Where the controller runs its autoplacer over the source's nodes to choose the pools, the fake
takes, per node, the first pool the clone's group names that the node has, else the source
volume's pool, and refuses ("No suitable storage pools found for cloning.") when that pool is
missing, offline, or a thick pool without room for the definition.
"""
import base64
import hashlib
from dataclasses import dataclass
from typing import Dict, List, Optional

from linstor import sharedconsts as C

from ..apicallrc import ApiError, Context, RcEntry, bare_error
from . import names
from .objects import Resource, ResourceDefinition, StoragePool, VolumeDefinition
from .resource_definitions import parse_layer_list, rd_ctx, rd_has_drbd
from .resources import is_diskless, registered_entry, volume_registered_entry

CLONED_FROM = "cloned-from"  # InternalApiConsts.KEY_CLONED_FROM
USE_ZFS_CLONE = "use-zfs-clone"  # InternalApiConsts.KEY_USE_ZFS_CLONE
SKIP_DISK = C.NAMESPC_DRBD_OPTIONS + "/" + C.KEY_DRBD_SKIP_DISK
PASSPHRASE_KEY = C.NAMESPC_ENCRYPTION + "/" + C.KEY_PASSPHRASE
# DeviceProviderKind#isCloneSupported among the kinds the fake knows
CLONE_KINDS = ("LVM", "LVM_THIN", "ZFS", "ZFS_THIN")
STATUS_CLONING, STATUS_FAILED, STATUS_COMPLETE = "CLONING", "FAILED", "COMPLETE"
_SECRET_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


@dataclass
class CloneJob:
    clone_name: str
    source_name: str
    complete_at_ms: int


def _true_or_yes(value: Optional[str]) -> bool:
    return value is not None and value.strip().lower() in ("true", "yes")


class CloneOps:
    def _init_state(self) -> None:
        self.clone_jobs: Dict[str, CloneJob] = {}
        self.clone_seconds = 0.0

    # -- status -----------------------------------------------------------------------------
    def clone_status(self, clone_name: str) -> str:
        """CLONING, FAILED or COMPLETE; any definition with a ``cloned-from`` property has one
        (the source named in the path is not looked at, as in the controller)."""
        try:
            names.check_resource_name(clone_name)
        except names.InvalidName:
            # the name filter of the definition listing refuses it (the controller's answer: 500)
            raise bare_error(C.FAIL_INVLD_RSC_NAME, "The specified resource name '%s' is invalid." % clone_name)
        self._settle_clones()
        rd = self.resource_definitions.get(names.key(clone_name))
        if rd is None or CLONED_FROM not in rd.props:
            raise bare_error(C.FAIL_NOT_FOUND_RSC_DFN, "Cloned resource not found.")
        offline = any(self.nodes.get(key) is None or self.nodes[key].connection_status != "ONLINE"
                      for key in rd.resources)
        if "FAILED" in rd.flags or offline:
            return STATUS_FAILED
        return STATUS_CLONING if "CLONING" in rd.flags else STATUS_COMPLETE

    def _settle_clones(self) -> None:
        now = self.clock.now_ms()
        for key, job in list(self.clone_jobs.items()):
            if job.complete_at_ms <= now:
                del self.clone_jobs[key]
                self._finish_clone(job.clone_name)

    def _finish_clone(self, clone_name: str) -> None:
        """What the satellites' reports do once every volume is copied."""
        rd = self.resource_definitions.get(names.key(clone_name))
        if rd is None or "CLONING" not in rd.flags:
            return
        for rsc in rd.resources.values():
            for vlm in rsc.volumes.values():
                vlm.flags = [f for f in vlm.flags if f not in ("CLONING", "CLONING_START")]
                if "CLONING_FINISHED" not in vlm.flags:
                    vlm.flags.append("CLONING_FINISHED")
        rd.flags = [f for f in rd.flags if f != "CLONING"]

    # -- the clone call ---------------------------------------------------------------------
    def clone_resource_definition(self, src_name: str, clone_name: Optional[str], external_name: Optional[str] = None,
                                  use_zfs_clone: Optional[bool] = None, volume_passphrases: Optional[List[str]] = None,
                                  layer_list: Optional[List[str]] = None, resource_group: Optional[str] = None
                                  ) -> List[RcEntry]:
        ctx = rd_ctx(C.MASK_CRT, clone_name if clone_name is not None else "null")
        if clone_name is None:
            ctx.refs = {}
        if not clone_name and not external_name:
            raise ctx.error(C.FAIL_INVLD_RSC_NAME, "No name for the cloned resource was specified.")
        src = self.get_resource_definition(src_name, ctx)
        layers = parse_layer_list(layer_list, ctx) if layer_list else list(src.layer_stack)
        group = resource_group or src.resource_group_name
        if clone_name is None:
            # v1.31.3 hands a missing name on to a check that throws an ImplementationError
            raise ctx.error(C.FAIL_UNKNOWN_ERROR, "Creation of resource definition 'null' failed due to an unhandled "
                                                  "exception of type ApiException. com.linbit.ImplementationError: "
                                                  "Resource name must not be null!", report=True)
        self._settle_clones()
        saved = self.copy_state()
        try:
            return self._clone(src, clone_name, external_name, use_zfs_clone, volume_passphrases, layers, group, ctx)
        except ApiError:
            # the controller's transaction is rolled back: nothing of the clone stays
            self.set_state(saved)
            raise

    def _clone(self, src: ResourceDefinition, clone_name: str, external_name: Optional[str],
               use_zfs_clone: Optional[bool], volume_passphrases: Optional[List[str]], layers: List[str], group: str,
               ctx: Context) -> List[RcEntry]:
        # the source's DRBD settings go with the clone when it keeps DRBD
        has_drbd = src.port is not None and (not layers or "DRBD" in layers)
        self.create_resource_definition(clone_name, external_name, None, None, layers, group,
                                        src.peer_slots if has_drbd else None, None,
                                        src.transport_type if has_drbd else None)
        clone = self.resource_definitions[names.key(clone_name or "")] if clone_name else \
            next(rd for rd in self.resource_definitions.values() if rd.external_name == external_name)
        clone.props.update(src.props)
        clone.props[CLONED_FROM] = src.name
        zfs_setting = self._resource_group_props(src.resource_group_name).get(
            C.KEY_USE_ZFS_CLONE, self.controller_props.get(C.KEY_USE_ZFS_CLONE))
        if use_zfs_clone if use_zfs_clone is not None else _true_or_yes(zfs_setting):
            clone.props[USE_ZFS_CLONE] = "true"
        clone.flags = clone.flags + ["CLONING"]
        self._copy_volume_definitions(src, clone, ctx)
        self._store_passphrases(clone, list(volume_passphrases or []), layers, ctx)
        pools = self._clone_pools(src, clone, group, ctx)
        created = [self._clone_resource(src, clone, rsc, pools.get(key), ctx)
                   for key, rsc in sorted(src.resources.items())]
        return self._clone_entries(src, clone, created, ctx)

    def _copy_volume_definitions(self, src: ResourceDefinition, clone: ResourceDefinition, ctx: Context) -> None:
        drbd = rd_has_drbd(clone)
        taken: List[int] = []
        for nr, src_vd in sorted(src.volume_definitions.items()):
            minor = self._allocate_minor(None, ctx, exclude=taken) if drbd else None
            if minor is not None:
                taken.append(minor)
            clone.volume_definitions[nr] = VolumeDefinition(nr, src_vd.size_kib, self.ids.uuid(), minor,
                                                            dict(src_vd.props), list(src_vd.flags))
        self._touch_rd(clone.name)

    def _store_passphrases(self, clone: ResourceDefinition, passphrases: List[str], layers: List[str],
                           ctx: Context) -> None:
        if not passphrases and "LUKS" in layers:
            rng = self.ids.random()
            passphrases = ["".join(rng.choice(_SECRET_CHARS) for _ in range(16)) for _ in clone.volume_definitions]
        if not passphrases:
            return
        if len(passphrases) != len(clone.volume_definitions):
            raise ctx.error(C.FAIL_INVLD_REQUEST, "Volume passphrase count doesn't match specified volume count.",
                            correction="Please provide the same amount of volume passphrases as volumes for this "
                                       "resource-group")
        self.require_crypt_key(ctx, "Unable to create encrypt key without having a master key")
        for (_, vd), secret in zip(sorted(clone.volume_definitions.items()), passphrases):
            vd.props[PASSPHRASE_KEY] = self._encrypt_secret(secret)

    def _encrypt_secret(self, secret: str) -> str:
        """An opaque, master-key dependent form of ``secret`` (the controller stores its
        encryption under the master key)."""
        data = secret.encode("utf-8")
        stream = hashlib.sha512(bytes(self.crypt_master_key) + b"/vlm-passphrase").digest()
        while len(stream) < len(data):
            stream += hashlib.sha512(stream).digest()
        return base64.b64encode(bytes(a ^ b for a, b in zip(data, stream))).decode("ascii")

    def _clone_pools(self, src: ResourceDefinition, clone: ResourceDefinition, group: str,
                     ctx: Context) -> Dict[str, StoragePool]:
        """node key -> the pool of the clone's diskful resource there."""
        wanted = []
        rg = getattr(self, "resource_groups", {}).get(names.key(group))
        if rg is not None:
            wanted = list(rg.select_filter.storage_pool_list or ())
        size = sum(vd.size_kib for vd in clone.volume_definitions.values())
        out: Dict[str, StoragePool] = {}
        for key, rsc in sorted(src.resources.items()):
            if is_diskless(rsc):
                continue
            node = self.nodes.get(key)
            pool = None
            if node is not None and node.connection_status == "ONLINE":
                choices = wanted or [v.storage_pool_name for _, v in sorted(rsc.volumes.items())
                                     if v.provider_kind != "DISKLESS"] or \
                    [rsc.props.get(C.KEY_STOR_POOL_NAME) or "DfltStorPool"]
                pool = next((node.storage_pools[names.key(n)] for n in choices
                             if names.key(n) in node.storage_pools), None)
            if pool is not None and pool.provider_kind != "DISKLESS" and self._is_thick(pool) and \
                    pool.free_capacity is not None and pool.free_capacity < size:
                pool = None
            if pool is None or pool.provider_kind == "DISKLESS":
                raise ctx.error(C.FAIL_NOT_ENOUGH_NODES, "No suitable storage pools found for cloning.", report=True)
            out[key] = pool
        return out

    def _clone_resource(self, src: ResourceDefinition, clone: ResourceDefinition, src_rsc: Resource,
                        pool: Optional[StoragePool], ctx: Context) -> Resource:
        if (src_rsc.props.get(SKIP_DISK) or "").lower() == "true":
            raise ctx.error(C.FAIL_INVLD_RSC_STATE, "Resource Node: '%s', Rsc: '%s' has skip-disk set, unable to "
                                                    "clone." % (src_rsc.node_name, src.name))
        diskless = is_diskless(src_rsc)
        if not diskless and pool.provider_kind not in CLONE_KINDS:
            raise ctx.error(C.FAIL_INVLD_PROVIDER, "Clone source contains unsupported storage pools", report=True)
        props = dict(src_rsc.props)
        if not diskless:
            props[C.KEY_STOR_POOL_NAME] = pool.name
        rsc = Resource(name=clone.name, node_name=src_rsc.node_name, uuid=self.ids.uuid(),
                       layer_stack=list(clone.layer_stack or src_rsc.layer_stack),
                       node_id=src_rsc.node_id if "DRBD" in (clone.layer_stack or src_rsc.layer_stack) else None,
                       peer_slots=src_rsc.peer_slots, props=props, flags=list(src_rsc.flags),
                       create_timestamp=int(self.clock.now() * 1000))
        if "DRBD" in rsc.layer_stack:
            self._ensure_drbd_data(clone, ctx)
        clone.resources[names.key(rsc.node_name)] = rsc
        self._touch_rd(clone.name)
        node = self.nodes[names.key(rsc.node_name)]
        for nr, vd in sorted(clone.volume_definitions.items()):
            src_vlm = src_rsc.volumes.get(nr)
            if diskless:
                vlm_pool = node.storage_pools.get(names.key(src_vlm.storage_pool_name)) if src_vlm else None
                vlm_pool = vlm_pool or self._plan_volume(clone, rsc, vd, ctx)[1]
                plan = (nr, vlm_pool, 0)
            else:
                plan = (nr, pool, vd.size_kib if self._is_thick(pool) else 0)
            vlm = self._add_volume(rsc, vd, plan)
            vlm.props = dict(src_vlm.props) if src_vlm else {}
            # CLONING_START goes again at the end of the call
            vlm.flags = ["CLONING_FINISHED"] if diskless else ["CLONING"]
        return rsc

    def _clone_entries(self, src: ResourceDefinition, clone: ResourceDefinition, created: List[Resource],
                       ctx: Context) -> List[RcEntry]:
        src_nodes = self._online_resource_nodes(src)
        entries = [ctx.entry(C.MODIFIED, "Suspend IO on clone source %s" % src.name) for _ in src_nodes]
        for rsc in sorted(created, key=lambda r: names.key(r.node_name)):
            entries.append(registered_entry(ctx, clone, rsc))
            entries += [volume_registered_entry(clone, rsc, vlm) for _, vlm in sorted(rsc.volumes.items())]
        entries += [ctx.entry(C.MODIFIED, "Set snapshot for clone property of '%s' on '%s'" % (src.name, n))
                    for n in src_nodes]
        entries += [ctx.entry(C.MODIFIED, "Resumed IO of '%s' on '%s' after clone" % (src.name, n))
                    for n in src_nodes]
        entries += self._deployment_entries(clone, created, ctx)
        entries += [ctx.entry(C.MODIFIED, "Disabled start cloning flag %s" % clone.name)
                    for _ in self._online_resource_nodes(clone)]
        self.clone_jobs[names.key(clone.name)] = CloneJob(clone.name, src.name,
                                                          self.clock.now_ms() + int(self.clone_seconds * 1000))
        self._settle_clones()
        return entries
