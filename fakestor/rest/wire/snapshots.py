"""Wire JSON of snapshots and snapshot shippings, shaped as ``Json.java`` (v1.31.3) writes them.

Empty strings, lists and maps are left out (``@JsonInclude(NON_EMPTY)``). Before LINSTOR 1.30
a snapshot had only ``props``; since then the split property maps come beside it and ``props``
is their merge (resource definition's, then the snapshot definition's on top).
"""
from ...model.objects import (
    Snapshot,
    SnapshotDefinition,
    SnapshotShipping,
    SnapshotVolume,
    SnapshotVolumeDefinition,
)


def _non_empty(data: dict) -> dict:
    return {k: v for k, v in data.items() if v is not None and v != "" and v != [] and v != {}}


def _merged(base: dict, top: dict) -> dict:
    out = dict(sorted(base.items()))
    out.update(sorted(top.items()))
    return out


def snapshot_volume_definition(svd: SnapshotVolumeDefinition, split: bool) -> dict:
    out = {"volume_number": svd.volume_number, "size_kib": svd.size_kib}
    if split:
        out["snapshot_volume_definition_props"] = dict(svd.props)
        out["volume_definition_props"] = dict(svd.volume_definition_props)
    return _non_empty(out)


def snapshot_volume(vlm: SnapshotVolume, split: bool) -> dict:
    out = {"uuid": vlm.uuid, "vlm_nr": vlm.volume_number, "props": _merged(vlm.volume_props, vlm.props)}
    if split:
        out["snapshot_volume_props"] = dict(vlm.props)
        out["volume_props"] = dict(vlm.volume_props)
    return _non_empty(out)


def snapshot_node(sd: SnapshotDefinition, snap: Snapshot, split: bool) -> dict:
    out = {"snapshot_name": sd.name, "node_name": snap.node_name, "create_timestamp": snap.create_timestamp,
           "flags": list(snap.flags), "uuid": snap.uuid}
    if split:
        out["snapshot_props"] = dict(snap.props)
        out["resource_props"] = dict(snap.resource_props)
    out["snapshot_volumes"] = [snapshot_volume(v, split) for _, v in sorted(snap.volumes.items())]
    return _non_empty(out)


def snapshot(sd: SnapshotDefinition, split: bool = True) -> dict:
    out = {"name": sd.name, "resource_name": sd.resource_name,
           "nodes": [s.node_name for _, s in sorted(sd.snapshots.items())],
           "props": _merged(sd.resource_definition_props, sd.props)}
    if split:
        out["snapshot_definition_props"] = dict(sd.props)
        out["resource_definition_props"] = dict(sd.resource_definition_props)
    out.update({"flags": list(sd.flags),
                "volume_definitions": [snapshot_volume_definition(v, split)
                                       for _, v in sorted(sd.volume_definitions.items())],
                "uuid": sd.uuid})
    if split:
        out["snapshots"] = [snapshot_node(sd, s, split) for _, s in sorted(sd.snapshots.items())]
    return _non_empty(out)


def shipping(ship: SnapshotShipping, sd: SnapshotDefinition, status: str, split: bool = True) -> dict:
    return {"snapshot": snapshot(sd, split), "from_node_name": ship.from_node, "to_node_name": ship.to_node,
            "status": status}
