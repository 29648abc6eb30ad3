"""Wire JSON of resource definitions, volume definitions, resources, volumes and resource
connections, shaped as ``Json.java`` (v1.31.3) writes them.

The controller's generated types are ``@JsonInclude(NON_EMPTY)``: empty strings, lists and maps
are left out (so an empty ``resource_name_suffix`` never appears), numbers are always written.
"""
from typing import Dict, List, Optional

from ...model import names
from ...model.numbers import DEFAULT_AL_STRIPE_SIZE_KIB, DEFAULT_AL_STRIPES
from ...model.objects import (
    Resource,
    ResourceConnection,
    ResourceDefinition,
    StoragePool,
    Volume,
    VolumeDefinition,
)
from ...model.resources import is_diskless

# DeviceLayerKind declaration order (the order of a definition's layer_data)
LAYER_ORDER = ("DRBD", "LUKS", "NVME", "WRITECACHE", "CACHE", "BCACHE", "STORAGE")
# JSON member holding a layer's data in ResourceLayer, and its volume list
LAYER_MEMBER = {"DRBD": "drbd", "LUKS": "luks", "NVME": "nvme", "WRITECACHE": "writecache", "CACHE": "cache",
                "BCACHE": "bcache", "STORAGE": "storage"}


def _non_empty(data: dict) -> dict:
    return {k: v for k, v in data.items() if v is not None and v != "" and v != [] and v != {}}


def drbd_rsc_dfn_data(rd: ResourceDefinition) -> dict:
    return _non_empty({"peer_slots": rd.peer_slots, "al_stripes": DEFAULT_AL_STRIPES,
                       "al_stripe_size_kib": DEFAULT_AL_STRIPE_SIZE_KIB, "port": rd.port,
                       "transport_type": rd.transport_type, "secret": rd.secret, "down": False})


def drbd_vlm_dfn_data(vd: VolumeDefinition) -> dict:
    return {"volume_number": vd.volume_number, "minor_number": vd.minor_number}


def volume_definition(vd: VolumeDefinition) -> dict:
    layers = [{"type": "DRBD", "data": drbd_vlm_dfn_data(vd)}] if vd.minor_number is not None else []
    return _non_empty({"volume_number": vd.volume_number, "size_kib": vd.size_kib, "props": dict(vd.props),
                       "flags": list(vd.flags), "layer_data": layers, "uuid": vd.uuid})


def resource_definition(rd: ResourceDefinition, with_volume_definitions: bool = False) -> dict:
    kinds = set(rd.layer_stack) | ({"DRBD"} if rd.port is not None else set())
    layer_data = []
    for kind in LAYER_ORDER:
        if kind in kinds:
            entry = {"type": kind}
            if kind == "DRBD" and rd.port is not None:
                entry["data"] = drbd_rsc_dfn_data(rd)
            layer_data.append(entry)
    out = {"name": rd.name, "external_name": rd.external_name, "props": dict(rd.props), "flags": list(rd.flags),
           "layer_data": layer_data, "uuid": rd.uuid, "resource_group_name": rd.resource_group_name}
    if with_volume_definitions:
        out["volume_definitions"] = [volume_definition(vd) for _, vd in sorted(rd.volume_definitions.items())]
    return _non_empty(out)


# -- devices ------------------------------------------------------------------------------------
def storage_device(pool: Optional[StoragePool], rsc_name: str, vlm_nr: int) -> Optional[str]:
    """The block device a satellite creates for a volume in a pool."""
    if pool is None or pool.provider_kind == "DISKLESS":
        return None
    volume = "%s_%05d" % (rsc_name, vlm_nr)
    configured = pool.props.get("StorDriver/StorPoolName", "")
    kind = pool.provider_kind
    if kind in ("LVM", "LVM_THIN"):
        vg = pool.props.get("StorDriver/LvmVg") or configured.split("/")[0] or pool.name
        return "/dev/%s/%s" % (vg, volume)
    if kind in ("ZFS", "ZFS_THIN"):
        zpool = pool.props.get("StorDriver/ZPool") or pool.props.get("StorDriver/ZPoolThin") or configured
        return "/dev/zvol/%s/%s" % (zpool or pool.name, volume)
    if kind in ("FILE", "FILE_THIN"):
        return "%s/%s.img" % (pool.props.get("StorDriver/FileDir") or configured or "/var/lib/linstor", volume)
    return "/dev/%s/%s" % (configured or pool.name, volume)


class VolumeView:
    """One volume's numbers and devices, per layer."""

    def __init__(self, rd: ResourceDefinition, rsc: Resource, vlm: Volume, pool: Optional[StoragePool]):
        vd = rd.volume_definitions[vlm.volume_number]
        self.vd = vd
        self.vlm = vlm
        self.diskless = is_diskless(rsc)
        self.backing = storage_device(pool, rd.name, vlm.volume_number)
        self.drbd_device = "/dev/drbd%d" % vd.minor_number if vd.minor_number is not None else None
        self.usable = vd.size_kib
        self.active = "INACTIVE" not in rsc.flags
        self.disk_state = ("Diskless" if self.diskless else "UpToDate") if self.active else None

    def layer(self, kind: str) -> dict:
        nr = self.vlm.volume_number
        if kind == "DRBD":
            return _non_empty({
                "drbd_volume_definition": drbd_vlm_dfn_data(self.vd),
                "device_path": self.drbd_device,
                "backing_device": None if self.diskless else self.backing,
                "meta_disk": None if self.diskless else "internal",
                "allocated_size_kib": self.vlm.allocated_kib if not self.diskless else None,
                "usable_size_kib": self.usable,
                "disk_state": self.disk_state,
            })
        if kind == "STORAGE":
            return _non_empty({"volume_number": nr, "device_path": self.backing,
                               "allocated_size_kib": None if self.diskless else self.vlm.allocated_kib,
                               "usable_size_kib": None if self.diskless else self.usable})
        data = {"volume_number": nr, "device_path": self.backing, "backing_device": self.backing,
                "allocated_size_kib": self.vlm.allocated_kib, "usable_size_kib": self.usable}
        if kind == "LUKS":
            data["opened"] = self.active
        elif kind in ("WRITECACHE", "CACHE", "BCACHE"):
            data.pop("backing_device")
        return _non_empty(data)

    def top_device(self, layer_stack: List[str]) -> Optional[str]:
        return self.drbd_device if "DRBD" in layer_stack and self.drbd_device else self.backing


def _views(rd: ResourceDefinition, rsc: Resource, pools: Dict[str, StoragePool]) -> List[VolumeView]:
    return [VolumeView(rd, rsc, vlm, pools.get(names.key(vlm.storage_pool_name)))
            for _, vlm in sorted(rsc.volumes.items())]


def volume(rd: ResourceDefinition, rsc: Resource, vlm: Volume, pool: Optional[StoragePool]) -> dict:
    view = VolumeView(rd, rsc, vlm, pool)
    out = {
        "volume_number": vlm.volume_number,
        "storage_pool_name": vlm.storage_pool_name,
        "provider_kind": vlm.provider_kind,
        "device_path": view.top_device(rsc.layer_stack),
        "allocated_size_kib": None if view.diskless else vlm.allocated_kib,
        "props": dict(vlm.props),
        "flags": list(vlm.flags),
        "state": {"disk_state": view.disk_state} if view.disk_state else None,
        "layer_data_list": [{"type": kind, "data": view.layer(kind)} for kind in rsc.layer_stack],
        "uuid": vlm.uuid,
    }
    return _non_empty(out)


def _layer_object(rd: ResourceDefinition, rsc: Resource, views: List[VolumeView], depth: int = 0) -> dict:
    kind = rsc.layer_stack[depth]
    children = [_layer_object(rd, rsc, views, depth + 1)] if depth + 1 < len(rsc.layer_stack) else []
    if kind == "DRBD":
        data = _non_empty({
            "drbd_resource_definition": drbd_rsc_dfn_data(rd),
            "node_id": rsc.node_id,
            "peer_slots": rsc.peer_slots,
            "al_stripes": DEFAULT_AL_STRIPES,
            "al_size": DEFAULT_AL_STRIPE_SIZE_KIB,
            "flags": (["DISKLESS"] if is_diskless(rsc) else []) + (["INITIALIZED"] if rsc.volumes else []),
            "drbd_volumes": [v.layer("DRBD") for v in views],
            "connections": {peer.node_name: {"connected": True, "message": "Connected"}
                            for _, peer in sorted(rd.resources.items())
                            if peer is not rsc and "DRBD" in peer.layer_stack and "INACTIVE" not in peer.flags}
            if "INACTIVE" not in rsc.flags else {},
        })
    else:
        data = {"%s_volumes" % LAYER_MEMBER[kind].lower(): [v.layer(kind) for v in views]}
    return _non_empty({"children": children, "type": kind, LAYER_MEMBER[kind]: _non_empty(data)})


def resource(rd: ResourceDefinition, rsc: Resource, pools: Dict[str, StoragePool], with_volumes: bool) -> dict:
    """A resource; ``pools`` are its node's storage pools by key."""
    views = _views(rd, rsc, pools)
    out = {
        "name": rd.name,
        "node_name": rsc.node_name,
        "props": dict(rsc.props),
        "flags": list(rsc.flags),
        "layer_object": _layer_object(rd, rsc, views),
        "state": {"in_use": rsc.in_use} if "INACTIVE" not in rsc.flags else None,
        "uuid": rsc.uuid,
        "create_timestamp": rsc.create_timestamp,
    }
    if with_volumes:
        out["volumes"] = [volume(rd, rsc, v.vlm, pools.get(names.key(v.vlm.storage_pool_name))) for v in views]
        shared = {pools[names.key(v.vlm.storage_pool_name)].free_space_mgr_name for v in views
                  if names.key(v.vlm.storage_pool_name) in pools}
        shared.discard(None)
        if shared:
            out["shared_name"] = sorted(shared)[0]
    return _non_empty(out)


def resource_connection(conn: ResourceConnection) -> dict:
    return _non_empty({"node_a": conn.node_a, "node_b": conn.node_b, "props": dict(conn.props),
                       "flags": list(conn.flags), "port": conn.port})
