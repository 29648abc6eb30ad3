"""Storage pool, storage pool definition and physical storage replies."""
from .. import errors
from .. import sharedconsts as consts
from .base import ApiCallResponse, DataResponse, RESTMessageResponse
from .common import field, props_v0, required

__all__ = ["StoragePoolDriver", "FreeSpace", "StoragePool", "StoragePoolListResponse", "StoragePoolDefinition",
           "StoragePoolDefinitionResponse", "NodeStorageEntry",
           "PhysicalDevice", "PhysicalStorageList"]


class StoragePoolDriver:
    LVM = "LVM"
    LVMThin = "LVM_THIN"
    ZFS = "ZFS"
    ZFSThin = "ZFS_THIN"
    Diskless = "DISKLESS"
    FILE = "FILE"
    FILEThin = "FILE_THIN"
    SPDK = "SPDK"
    OPENFLEX_TARGET = "OPENFLEX_TARGET"
    EXOS = "EXOS"

    @staticmethod
    def list():
        d = StoragePoolDriver
        return [d.LVM, d.LVMThin, d.ZFS, d.ZFSThin, d.Diskless, d.FILE, d.FILEThin, d.SPDK, d.OPENFLEX_TARGET,
                d.EXOS]

    @classmethod
    def diskless_driver(cls):
        return [cls.Diskless]

    # driver -> the storage pool's property keys that name its backing pool
    _POOL_KEYS = {
        "LVM": [consts.KEY_STOR_POOL_VOLUME_GROUP],
        "LVM_THIN": [consts.KEY_STOR_POOL_VOLUME_GROUP, consts.KEY_STOR_POOL_THIN_POOL],
        "ZFS": [consts.KEY_STOR_POOL_ZPOOL],
        "ZFS_THIN": [consts.KEY_STOR_POOL_ZPOOLTHIN],
        "FILE": [consts.KEY_STOR_POOL_FILE_DIRECTORY],
        "FILE_THIN": [consts.KEY_STOR_POOL_FILE_DIRECTORY],
        "SPDK": [consts.KEY_STOR_POOL_VOLUME_GROUP],
        "OPENFLEX_TARGET": [consts.KEY_STOR_POOL_OPENFLEX_STOR_POOL],
    }

    @staticmethod
    def storage_driver_pool_to_props(storage_driver, driver_pool_name):
        keys = StoragePoolDriver._POOL_KEYS.get(storage_driver, [])
        if not keys or driver_pool_name is None:
            return {}
        prefix = consts.NAMESPC_STORAGE_DRIVER + "/"
        if len(keys) == 2:
            parts = driver_pool_name.split("/")
            if len(parts) != 2:
                raise errors.LinstorError("Driver pool name '{}' for driver {} must be of the form 'vg/lv'."
                                          .format(driver_pool_name, storage_driver))
            return {prefix + keys[0]: parts[0], prefix + keys[1]: parts[1]}
        return {prefix + keys[0]: driver_pool_name}

    @classmethod
    def storage_props_to_driver_pool(cls, storage_driver, props):
        prefix = consts.NAMESPC_STORAGE_DRIVER + "/"
        named = props.get(prefix + consts.KEY_STOR_POOL_NAME)
        if named:
            return named
        keys = cls._POOL_KEYS.get(storage_driver, [])
        values = [props.get(prefix + k) for k in keys]
        if not keys or any(v is None for v in values):
            return ""
        return "/".join(values)


class FreeSpace(RESTMessageResponse):
    free_capacity = field("free_capacity")
    total_capacity = field("total_capacity")

    @property
    def data_v0(self):
        return {"stor_pool_name": self._rest_data["storage_pool_name"], "free_capacity": self.free_capacity,
                "total_capacity": self.total_capacity}

    def __str__(self):
        return "{}/{} Kib used".format(self.total_capacity - self.free_capacity, self.total_capacity)


class StoragePool(RESTMessageResponse):
    DRIVER_KIND_MAP = {
        "DISKLESS": "DisklessDriver",
        "LVM": "LvmDriver",
        "LVM_THIN": "LvmThinDriver",
        "SPDK": "SpdkDriver",
        "ZFS": "ZfsDriver",
        "ZFS_THIN": "ZfsThinDriver",
    }

    name = required("storage_pool_name")
    node_name = required("node_name")
    uuid = field("uuid")
    provider_kind = field("provider_kind")
    driver = field("provider_kind")
    properties = field("props", {})
    static_traits = field("static_traits", {})
    free_space_mgr_name = field("free_space_mgr_name")

    @property
    def free_space(self):
        return FreeSpace(self._rest_data) if "free_capacity" in self._rest_data else None

    @property
    def reports(self):
        return [ApiCallResponse(x) for x in self._rest_data.get("reports", [])]

    def supports_snapshots(self):
        """The controller's own answer when it sends one, else the SupportsSnapshots trait."""
        explicit = self._rest_data.get("supports_snapshots")
        if explicit is not None:
            return explicit
        return self.static_traits.get(consts.KEY_STOR_POOL_SUPPORTS_SNAPSHOTS, "false") == "true"

    def is_thin(self):
        return self.static_traits.get(consts.KEY_STOR_POOL_PROVISIONING) == consts.VAL_STOR_POOL_PROVISIONING_THIN

    def is_fat(self):
        return self.static_traits.get(consts.KEY_STOR_POOL_PROVISIONING) == consts.VAL_STOR_POOL_PROVISIONING_FAT

    def is_diskless(self):
        return self.provider_kind in StoragePoolDriver.diskless_driver()

    @property
    def data_v0(self):
        out = {
            "stor_pool_uuid": self.uuid,
            "stor_pool_name": self.name,
            "node_name": self.node_name,
            "free_space_mgr_name": self.free_space_mgr_name,
        }
        if self.free_space is not None:
            out["free_space"] = self.free_space.data_v0
        out["driver"] = self.DRIVER_KIND_MAP.get(self.provider_kind, "")
        out["static_traits"] = props_v0(self.static_traits)
        if self.properties:
            out["props"] = props_v0(self.properties)
        return out


class StoragePoolListResponse(RESTMessageResponse):
    @property
    def storage_pools(self):
        return [StoragePool(x) for x in self._rest_data]

    @property
    def data_v0(self):
        return {"stor_pools": [sp.data_v0 for sp in self.storage_pools]}


class StoragePoolDefinition(DataResponse):
    name = required("storage_pool_name")
    properties = field("props", {})

    @property
    def data_v0(self):
        out = {"stor_pool_name": self.name}
        if self.properties:
            out["props"] = props_v0(self.properties)
        return out


class StoragePoolDefinitionResponse(DataResponse):
    @property
    def storage_pool_definitions(self):
        return [StoragePoolDefinition(x) for x in self._rest_data]

    @property
    def data_v0(self):
        definitions = self.storage_pool_definitions
        return {"stor_pool_dfns": [d.data_v0 for d in definitions]} if definitions else {}


class NodeStorageEntry(DataResponse):
    device = required("device")
    model = field("model")
    serial = field("serial")
    wwn = field("wwn")


class PhysicalDevice(DataResponse):
    size = required("size")
    rotational = required("rotational")

    @property
    def nodes(self):
        return {node: [NodeStorageEntry(e) for e in entries]
                for node, entries in self._rest_data.get("nodes", {}).items()}


class PhysicalStorageList(DataResponse):
    @property
    def physical_devices(self):
        return [PhysicalDevice(x) for x in self._rest_data]
