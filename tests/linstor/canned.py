"""JSON as a LINSTOR 1.31.3 controller (REST API 1.25.1) sends it, for client tests."""
import copy


def vlm_dfn(number=0, size_kib=1048576, minor=1000, props=None, flags=None):
    return {
        "volume_number": number, "size_kib": size_kib, "props": props or {}, "flags": flags or [],
        "layer_data": [{"type": "DRBD", "data": {"resource_name_suffix": "", "volume_number": number,
                                                 "minor_number": minor}},
                       {"type": "STORAGE"}],
        "uuid": "6a0c2b8e-0000-4000-8000-00000000000%d" % number,
    }


def rsc_dfn(name="pvc-1", external_name=None, group="DfltRscGrp", props=None, vlm_dfns=None, port=7000):
    out = {
        "name": name, "props": props or {}, "flags": [],
        "layer_data": [{"type": "DRBD", "data": {"resource_name_suffix": "", "peer_slots": 7, "al_stripes": 1,
                                                 "al_stripe_size_kib": 32, "port": port, "transport_type": "IP",
                                                 "secret": "Gr9HdjQ3b2fWk6qhB/Zo", "down": False}},
                       {"type": "STORAGE"}],
        "uuid": "0f6d6a3c-1111-4000-8000-000000000001", "resource_group_name": group,
        "volume_definitions": vlm_dfns if vlm_dfns is not None else [vlm_dfn()],
    }
    if external_name is not None:
        out["external_name"] = external_name
    return out


def volume(number=0, pool="thin", provider="LVM_THIN", minor=1000, diskless=False):
    drbd = {"drbd_volume_definition": {"resource_name_suffix": "", "volume_number": number, "minor_number": minor},
            "device_path": "/dev/drbd%d" % minor, "meta_disk": "internal",
            "allocated_size_kib": 0 if diskless else 1048840, "usable_size_kib": 1048576,
            "disk_state": "Diskless" if diskless else "UpToDate"}
    if not diskless:
        drbd["backing_device"] = "/dev/vg/pvc-1_%05d" % number
    return {
        "volume_number": number, "storage_pool_name": pool, "provider_kind": provider,
        "device_path": "/dev/drbd%d" % minor, "allocated_size_kib": 0 if diskless else 1052,
        "props": {"Satellite/Device/Minor": str(minor)}, "flags": [],
        "state": {"disk_state": "Diskless" if diskless else "UpToDate"},
        "layer_data_list": [{"type": "DRBD", "data": drbd},
                            {"type": "STORAGE", "data": {"volume_number": number, "allocated_size_kib": 1052}}],
        "uuid": "9d3e5a1a-2222-4000-8000-00000000000%d" % number, "reports": [],
    }


def resource(name="pvc-1", node="alpha", diskless=False, in_use=False, peers=("bravo",)):
    flags = ["DRBD_DISKLESS", "DISKLESS"] if diskless else []
    pool = "DfltDisklessStorPool" if diskless else "thin"
    provider = "DISKLESS" if diskless else "LVM_THIN"
    return {
        "name": name, "node_name": node, "props": {"StorPoolName": pool}, "flags": flags,
        "layer_object": {
            "children": [{"type": "STORAGE", "resource_name_suffix": "", "storage": {}}],
            "resource_name_suffix": "", "type": "DRBD",
            "drbd": {"node_id": 0, "peer_slots": 7, "al_stripes": 1, "al_size": 32, "flags": [],
                     "connections": {p: {"connected": True, "message": "Connected"} for p in peers},
                     "promotion_score": 10102, "may_promote": not in_use},
        },
        "state": {"in_use": in_use}, "uuid": "55d1b2e0-3333-4000-8000-000000000001",
        "create_timestamp": 1700000000123,
        "volumes": [volume(pool=pool, provider=provider, diskless=diskless)],
    }


def snapshot_dfn(name="snap1", rsc="pvc-1", nodes=("alpha", "bravo")):
    return {
        "name": name, "resource_name": rsc, "nodes": list(nodes), "props": {}, "flags": ["SUCCESSFUL"],
        "volume_definitions": [{"volume_number": 0, "size_kib": 1048576}],
        "uuid": "77c0ffee-4444-4000-8000-000000000001",
        "snapshots": [{"snapshot_name": name, "node_name": n, "create_timestamp": 1700000100000,
                       "flags": ["SUCCESSFUL"], "uuid": "77c0ffee-5555-4000-8000-00000000000%d" % i}
                      for i, n in enumerate(nodes)],
    }


def copy_of(data):
    return copy.deepcopy(data)
