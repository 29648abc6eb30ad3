"""Storage pool definitions, storage pools and physical storage."""
from typing import Dict, List, Optional

from linstor import sharedconsts as C

from ..apicallrc import ApiError, Context, RcEntry, bare_error
from . import names
from . import props as propslib
from .nodes import ALLOWED_PROVIDERS, DFLT_DISKLESS_POOL, first_letter_caps
from .objects import Node, PhysicalDevice, StoragePool, StoragePoolDefinition

# provider kind -> (thin, supports snapshots, has a backing device, static trait Provisioning)
PROVIDER_KINDS = {
    "DISKLESS": (True, False, False, None),
    "LVM": (False, False, True, "Fat"),
    "LVM_THIN": (True, True, True, "Thin"),
    "ZFS": (False, True, True, "Fat"),
    "ZFS_THIN": (True, True, True, "Thin"),
    "FILE": (False, True, True, "Fat"),
    "FILE_THIN": (True, True, True, "Thin"),
    "SPDK": (False, True, True, "Fat"),
    "REMOTE_SPDK": (False, True, True, "Fat"),
    "EBS_TARGET": (False, True, True, "Fat"),
    "EBS_INIT": (False, False, False, None),
    "EXOS": (False, False, True, "Fat"),
}
# A DISKLESS pool reports Long.MAX_VALUE as its capacities.
DISKLESS_CAPACITY = 9223372036854775807
DFLT_STOR_POOL = "DfltStorPool"
# Capacity of a pool whose size nobody gave (a fixture or the Python API can set one).
DEFAULT_POOL_CAPACITY_KIB = 100 * 1024 * 1024


def is_thin(kind: str) -> bool:
    return PROVIDER_KINDS[kind][0]


def supports_snapshots(kind: str) -> bool:
    return PROVIDER_KINDS[kind][1]


def static_traits(kind: str) -> Dict[str, str]:
    provisioning = PROVIDER_KINDS[kind][3]
    if provisioning is None:
        return {}
    traits = {C.KEY_STOR_POOL_PROVISIONING: provisioning}
    if kind == "EXOS":
        traits[C.KEY_STOR_POOL_SUPPORTS_SNAPSHOTS] = "true"
    else:
        traits[C.KEY_STOR_POOL_SUPPORTS_SNAPSHOTS] = "true" if supports_snapshots(kind) else "false"
    if kind == "SPDK":
        traits[C.KEY_STOR_POOL_SUPPORTS_SNAPSHOTS] = "false"
    return traits


def spd_ctx(op: int, name: str) -> Context:
    return Context(op, C.MASK_STOR_POOL_DFN, {C.KEY_STOR_POOL_DFN: name}, "Storage pool definition: %s" % name)


def sp_ctx(op: int, node: str, pool: str) -> Context:
    return Context(op, C.MASK_STOR_POOL, {C.KEY_NODE: node, C.KEY_STOR_POOL_DFN: pool},
                   "Node: %s, Storage pool name: %s" % (node, pool))


def sp_inline(node: str, pool: str) -> str:
    return "storage pool '%s' on node '%s'" % (pool, node)


# Provider kind spellings ``LinstorParsingUtils#asProviderKind`` accepts (case-insensitive).
PROVIDER_ALIASES = {"DRBD_DISKLESS": "DISKLESS", "DRBDDISKLESS": "DISKLESS", "LVMTHIN": "LVM_THIN",
                    "ZFSTHIN": "ZFS_THIN", "EXOS_TARGET": "EXOS"}
# kinds whose pools may be shared between nodes (``DeviceProviderKind#isSharedVolumeSupported``)
SHARED_KINDS = ("DISKLESS", "LVM", "REMOTE_SPDK", "EXOS")
# a bare context: storage pool create sends refusals from its helpers without masks
_RAW = Context(0, 0)


def check_pool_name(name, ctx: Context) -> str:
    """``LinstorParsingUtils#asStorPoolName``."""
    try:
        if not isinstance(name, str):
            raise names.InvalidName("Invalid name: Name length 0 is less than minimum length 3")
        return names.check_storage_pool_name(name)
    except names.InvalidName as err:
        raise ctx.error(C.FAIL_INVLD_STOR_POOL_NAME, "The given storage pool name '%s' is invalid." % name,
                        cause=str(err), report=True)


def parse_provider_kind(text, version=None) -> str:
    """The provider kind named by ``text``; raises the controller's bare FAIL_INVLD_LAYER_KIND."""
    if text is None:
        raise bare_error(C.FAIL_INVLD_LAYER_KIND, "Given provider kind is null.")
    kind = str(text).upper()
    kind = PROVIDER_ALIASES.get(kind, kind)
    if kind not in PROVIDER_KINDS or (kind == "EXOS" and version is not None and not version.has("exos")):
        raise bare_error(C.FAIL_INVLD_LAYER_KIND, "Given provider kind '%s' is invalid" % text)
    return kind


class StorageOps:
    def _init_state(self) -> None:
        self.storage_pool_definitions: Dict[str, StoragePoolDefinition] = {}
        self.default_pool_capacity_kib = DEFAULT_POOL_CAPACITY_KIB
        self._ensure_pool_definition(DFLT_STOR_POOL)
        self._ensure_pool_definition("DfltDisklessStorPool")

    def _ensure_pool_definition(self, name: str) -> StoragePoolDefinition:
        spd = self.storage_pool_definitions.get(names.key(name))
        if spd is None:
            spd = StoragePoolDefinition(name, self.ids.uuid())
            self.storage_pool_definitions[names.key(name)] = spd
        return spd

    def _check_pool_name(self, name, ctx: Context) -> str:
        return check_pool_name(name, ctx)

    # -- storage pool definitions -------------------------------------------------------------
    def get_pool_definition(self, name: str, ctx: Optional[Context] = None) -> StoragePoolDefinition:
        spd = self.storage_pool_definitions.get(names.key(name))
        if spd is None:
            msg = "Storage pool definition '%s' not found." % name
            raise ctx.error(C.FAIL_NOT_FOUND_STOR_POOL_DFN, msg) if ctx else bare_error(
                C.FAIL_NOT_FOUND_STOR_POOL_DFN, msg)
        return spd

    def list_pool_definitions(self, names_filter=None, props=None) -> List[StoragePoolDefinition]:
        wanted = {names.key(n) for n in names_filter} if names_filter else None
        return [d for k, d in sorted(self.storage_pool_definitions.items())
                if (wanted is None or k in wanted) and (not props or propslib.matches_filter(d.props, props))]

    def create_pool_definition(self, name: str, props=None) -> List[RcEntry]:
        self._nodes_changed()
        ctx = spd_ctx(C.MASK_CRT, name)
        self._check_pool_name(name, ctx)
        if names.key(name) in self.storage_pool_definitions:
            raise ctx.error(C.FAIL_EXISTS_STOR_POOL_DFN, "Storage pool definition '%s' already exists." % name)
        props = props or {}
        new_props = propslib.apply_changes({}, "storagepool-definition", ctx, props, version=self.version)
        spd = self._ensure_pool_definition(name)
        spd.props = new_props
        return propslib.change_entries(C.MASK_STOR_POOL_DFN, props) + [
            ctx.entry(C.CREATED, "New storage pool definition '%s' created." % name,
                      details="Storage pool definition '%s' UUID is: %s" % (name, spd.uuid),
                      refs={C.KEY_UUID: spd.uuid})]

    def modify_pool_definition(self, name: str, override=None, delete=None, delete_namespaces=None):
        self._nodes_changed()
        ctx = spd_ctx(C.MASK_MOD, name)
        spd = self.get_pool_definition(name, ctx)
        spd.props, entries = propslib.modify(spd.props, "storagepool-definition", C.MASK_STOR_POOL_DFN, ctx,
                                             override, delete, delete_namespaces, self.version)
        return entries + [ctx.entry(C.MODIFIED, "Storage pool definition '%s' modified." % spd.name,
                                    details="Storage pool definition '%s' UUID is: %s" % (spd.name, spd.uuid),
                                    refs={C.KEY_UUID: spd.uuid})]

    def delete_pool_definition(self, name: str) -> List[RcEntry]:
        self._nodes_changed()
        ctx = spd_ctx(C.MASK_DEL, name)
        spd = self.get_pool_definition(name, ctx)
        users = [n.name for _, n in sorted(self.nodes.items()) if names.key(name) in n.storage_pools]
        if users:
            return [ctx.entry(C.FAIL_IN_USE, "Storage pool definition '%s' has still storage pools on node(s): "
                                             "'%s'." % (name, "', '".join(users)),
                              details=ctx.description, correction="Remove the storage pools first.")]
        del self.storage_pool_definitions[names.key(name)]
        return [ctx.entry(C.DELETED, "Storage pool definition '%s' deleted." % spd.name,
                          details="Storage pool definition '%s' UUID was: %s" % (spd.name, spd.uuid),
                          refs={C.KEY_UUID: spd.uuid})]

    # -- storage pools --------------------------------------------------------------------
    def get_storage_pool(self, node_name: str, pool_name: str, ctx: Optional[Context] = None) -> StoragePool:
        node = self.get_node(node_name, ctx)
        pool = node.storage_pools.get(names.key(pool_name))
        if pool is None:
            msg = "Storage pool '%s' on node '%s' not found." % (pool_name, node_name)
            # the REST lookup uses FAIL_NOT_FOUND_STOR_POOL, the data loader FAIL_NOT_FOUND_STOR_POOL_DFN
            raise ctx.error(C.FAIL_NOT_FOUND_STOR_POOL_DFN, msg) if ctx else bare_error(
                C.FAIL_NOT_FOUND_STOR_POOL, msg)
        return pool

    def list_storage_pools(self, nodes=None, pools=None, props=None) -> List[StoragePool]:
        node_keys = {names.key(n) for n in nodes} if nodes else None
        pool_keys = {names.key(p) for p in pools} if pools else None
        out = []
        for node_key, node in sorted(self.nodes.items()):
            if node_keys is not None and node_key not in node_keys:
                continue
            for pool_key, pool in sorted(node.storage_pools.items()):
                if pool_keys is not None and pool_key not in pool_keys:
                    continue
                if props and not propslib.matches_filter(pool.props, props):
                    continue
                out.append(pool)
        return out

    def create_storage_pool(self, node_name: str, pool_name: str, provider_kind: str, props=None,
                            free_space_mgr_name: Optional[str] = None, external_locking: bool = False,
                            total_capacity_kib: Optional[int] = None) -> List[RcEntry]:
        """``CtrlStorPoolCrtApiCallHandler``: refusals from its helpers come back bare (no masks)."""
        self._nodes_changed()
        ctx = sp_ctx(C.MASK_CRT, node_name, pool_name)
        kind = parse_provider_kind(provider_kind, self.version)
        if not isinstance(pool_name, str):
            raise bare_error(C.FAIL_INVLD_STOR_POOL_NAME, "Invalid name: Name length 0 is less than minimum "
                                                          "length 3")
        try:
            names.check_storage_pool_name(pool_name)
        except names.InvalidName as err:
            raise bare_error(C.FAIL_INVLD_STOR_POOL_NAME, str(err))
        node = self.get_node(node_name)
        if kind not in ALLOWED_PROVIDERS[node.type]:
            raise bare_error(C.FAIL_STLT_DOES_NOT_SUPPORT_PROVIDER,
                             "The satellite does not support the device provider %s" % kind)
        if names.key(pool_name) in node.storage_pools:
            raise bare_error(C.FAIL_EXISTS_STOR_POOL, "Node: %s, Storage pool name: %s already exists."
                             % (node_name, pool_name))
        shared = bool(free_space_mgr_name) and free_space_mgr_name != "%s:%s" % (node.name, pool_name)
        if shared and kind not in SHARED_KINDS:
            raise bare_error(C.FAIL_INVLD_STOR_DRIVER, "Storage driver %s does not support shared volumes" % kind)
        props = dict(props or {})
        try:
            new_props = propslib.apply_changes({}, "storagepool", _RAW, props, version=self.version,
                                               ignored=[C.NAMESPC_SED + "/"])
        except ApiError as err:
            # caught inside the handler and sent as they are: no error report
            for entry in err.entries:
                entry.report = False
            raise
        if kind == "DISKLESS":
            total = DISKLESS_CAPACITY
        else:
            total = total_capacity_kib if total_capacity_kib is not None else self.default_pool_capacity_kib
        self._ensure_pool_definition(pool_name)
        pool = StoragePool(pool_name, node.name, kind, self.ids.uuid(), new_props, total,
                           free_space_mgr_name=free_space_mgr_name if shared else None,
                           external_locking=external_locking)
        node.storage_pools[names.key(pool_name)] = pool
        inline = sp_inline(node.name, pool_name)
        return propslib.change_entries(C.MASK_STOR_POOL, props) + [
            ctx.entry(C.CREATED, "New %s registered." % inline,
                      details="%s UUID is: %s" % (first_letter_caps(inline), pool.uuid),
                      refs={C.KEY_UUID: pool.uuid}),
            self._satellite_answer(node, "Changes applied to storage pool '%s'" % pool_name)]

    def modify_storage_pool(self, node_name: str, pool_name: str, override=None, delete=None,
                            delete_namespaces=None) -> List[RcEntry]:
        self._nodes_changed()
        ctx = sp_ctx(C.MASK_MOD, node_name, pool_name)
        pool = self.get_storage_pool(node_name, pool_name, ctx)
        old = pool.props
        pool.props, entries = propslib.modify(pool.props, "storagepool", C.MASK_STOR_POOL, ctx, override, delete,
                                              delete_namespaces, self.version, [C.NAMESPC_SED + "/"])
        inline = sp_inline(pool.node_name, pool.name)
        entries.append(ctx.entry(C.MODIFIED, "%s modified." % first_letter_caps(inline),
                                 details="%s UUID is: %s" % (first_letter_caps(inline), pool.uuid),
                                 refs={C.KEY_UUID: pool.uuid}))
        if pool.props != old:
            entries.append(self._satellite_answer(self.get_node(node_name),
                                                  "Changes applied to storage pool '%s'" % pool.name))
        return entries

    def delete_storage_pool(self, node_name: str, pool_name: str) -> List[RcEntry]:
        self._nodes_changed()
        ctx = sp_ctx(C.MASK_DEL, node_name, pool_name)
        if names.key(str(pool_name)) == names.key(DFLT_DISKLESS_POOL):
            raise ctx.error(C.FAIL_INVLD_STOR_POOL_NAME, "The default diskless storage pool cannot be deleted!",
                            report=True)
        node = self.nodes.get(names.key(node_name))
        pool = node.storage_pools.get(names.key(pool_name)) if node is not None else None
        inline = sp_inline(node_name, pool_name)
        if pool is None:
            return [ctx.entry(C.WARN_NOT_FOUND, "Deletion of %s had no effect." % inline,
                              cause="%s does not exist." % first_letter_caps(inline),
                              details=ctx.description)]
        users = self._pool_users(pool)
        if users:
            raise ctx.error(C.FAIL_IN_USE, "The specified storage pool '%s' on node '%s' can not be deleted as "
                                           "volumes / snapshot-volumes are still using it." % (pool_name, node_name),
                            details="Volumes / snapshot-volumes that are still using the storage pool: " + users,
                            correction="Delete the listed volumes and snapshot-volumes first.", report=True)
        del node.storage_pools[names.key(pool_name)]
        # the definition goes with its last pool, unless it is one of the default ones
        if names.key(pool.name) not in (names.key(DFLT_DISKLESS_POOL), names.key(DFLT_STOR_POOL)) and not any(
                names.key(pool.name) in n.storage_pools for n in self.nodes.values()):
            self.storage_pool_definitions.pop(names.key(pool.name), None)
        # the controller names the pool by its long description here
        desc = "Node: %s, Storage pool name: %s" % (node_name, pool_name)
        return [ctx.entry(C.DELETED, "%s deleted." % desc, details="%s UUID was: %s" % (desc, pool.uuid),
                          refs={C.KEY_UUID: pool.uuid})]

    def _pool_users(self, pool: StoragePool) -> str:
        """The volumes and snapshot volumes in the pool as the controller lists them ("" when none);
        the resource and snapshot areas extend this."""
        return "\n   (in use)" if self._pool_in_use(pool) else ""

    def _pool_in_use(self, pool: StoragePool) -> bool:
        """Whether volumes or snapshots live in the pool; the resource and snapshot areas extend this."""
        return False

    # -- physical storage -------------------------------------------------------------------
    def list_physical_storage(self) -> List[dict]:
        """Free devices grouped as the controller groups them: by (size, rotational), then node.
        A satellite that is not connected cannot be asked, and is left out."""
        groups: Dict[tuple, Dict[str, List[PhysicalDevice]]] = {}
        for node in sorted(self.nodes.values(), key=lambda n: names.key(n.name)):
            if node.connection_status != "ONLINE":
                continue
            for dev in node.physical_devices:
                groups.setdefault((dev.size_kib, dev.rotational), {}).setdefault(node.name, []).append(dev)
        return [{"size_kib": size, "rotational": rot, "nodes": per_node}
                for (size, rot), per_node in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1]))]

    def add_physical_device(self, node_name: str, device: PhysicalDevice) -> None:
        self._nodes_changed()
        self.get_node(node_name).physical_devices.append(device)

    def create_device_pool(self, node_name: str, provider_kind: str, device_paths: List[str],
                           pool_name: Optional[str] = None, with_storage_pool: Optional[dict] = None
                           ) -> List[RcEntry]:
        """``POST /v1/physical-storage/{node}``: the satellite turns free devices into a pool (its
        answers carry a "(node) " prefix), then the controller optionally registers a storage pool."""
        self._nodes_changed()
        kind = parse_provider_kind(provider_kind, self.version)
        node: Node = self.get_node(node_name)
        if not device_paths:
            raise bare_error(C.FAIL_UNKNOWN_ERROR, "Field 'device_paths' is null or empty.")
        pool = pool_name or "linstor_" + device_paths[0].rsplit("/", 1)[-1]
        prefix = "(%s) " % node.name
        code = C.MASK_SUCCESS | C.MASK_CRT | C.MASK_PHYSICAL_DEVICE
        if kind not in ("LVM", "LVM_THIN", "ZFS", "ZFS_THIN", "SPDK"):
            return [RcEntry(C.FAIL_INVLD_PROVIDER, prefix + "Create device pool not supported for provider: "
                            + kind)]
        free = {d.device: d for d in node.physical_devices}
        missing = [p for p in device_paths if p not in free]
        if missing:
            # what a satellite reports when pvcreate / zpool create fails on a device in use
            return [RcEntry(C.FAIL_UNKNOWN_ERROR, prefix + "Failed to create the pool on device(s) %s: not an "
                                                           "unused block device" % ", ".join(missing))]
        devices = ", ".join(device_paths)
        entries: List[RcEntry] = []
        if kind in ("LVM", "LVM_THIN"):
            vg = pool if kind == "LVM" else (pool.split("/", 1)[0] if "/" in pool else "linstor_" + pool)
            for dev in device_paths:
                entries.append(RcEntry(code, prefix + "PV for device '%s' created." % dev, obj_refs={"PoolName": vg}))
            entries.append(RcEntry(code, prefix + "VG for devices [%s] with name '%s' created." % (devices, vg),
                                   obj_refs={"PoolName": vg}))
            driver_pool = vg
            if kind == "LVM_THIN":
                lv = pool.split("/", 1)[-1]
                driver_pool = "%s/%s" % (vg, lv)
                entries.append(RcEntry(code, prefix + "Thin-pool '%s' in LVM-pool '%s' created." % (lv, vg),
                                       obj_refs={"PoolName": driver_pool}))
        elif kind == "SPDK":
            for dev in device_paths:
                entries.append(RcEntry(code, prefix + "Nvme bdev for device '%s' created." % dev,
                                       obj_refs={"PoolName": pool}))
            entries.append(RcEntry(code, prefix + "Lvol store for devices [%s] with name '%s' created."
                                   % (devices, pool), obj_refs={"PoolName": pool}))
            driver_pool = pool
        else:
            entries.append(RcEntry(code, prefix + "ZPool '%s' on device(s) [%s] created." % (pool, devices),
                                   obj_refs={"PoolName": pool}))
            driver_pool = pool
        size = sum(free[p].size_kib for p in device_paths)
        if with_storage_pool:
            sp_props = {C.NAMESPC_STORAGE_DRIVER + "/" + C.KEY_STOR_POOL_NAME: driver_pool}
            sp_props.update(with_storage_pool.get("props") or {})
            # a refused storage pool makes the controller delete the device pool again: nothing stays
            entries += self.create_storage_pool(node.name, with_storage_pool.get("name"), kind, sp_props,
                                                with_storage_pool.get("shared_space"),
                                                bool(with_storage_pool.get("external_locking")),
                                                total_capacity_kib=size)
        node.physical_devices = [d for d in node.physical_devices if d.device not in device_paths]
        return entries
