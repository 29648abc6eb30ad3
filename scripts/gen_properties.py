#!/usr/bin/env python3
"""Generate fakestor/data/properties.json from linstor-common's properties.json.

Usage: python3 scripts/gen_properties.py PATH/TO/properties.json [PATH/TO/consts.json] \
           > fakestor/data/properties.json

The catalogue names each property's key as a list of constant names (resolved through
consts.json, joined with '/') and lists, per object kind, which properties that kind
accepts. The output is compact: ``{"objects": {kind: {key: rule}}, "prefixes": {...}}``.

The catalogue shipped beside the project is the newest one. The controller the fake
emulates by default (LINSTOR 1.31.3) used an older one; the differences are recorded
below as facts and become markers on the rules:

* ``"newer_than": "1.31.3"``: the key is not whitelisted up to and including 1.31.3;
* ``"before": "1.32.0"``: the key was dropped in 1.32.0 (EXOS and snapshot shipping).

Keys under the DRBD option namespaces come from ``drbdsetup xml-help`` on a real
controller at start-up; the fake cannot list them, so they appear as prefix rules whose
values are not checked.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_CONSTS = os.path.join(HERE, "..", "..", "shared", "reference", "linstor-common", "consts.json")

# Properties of the newest catalogue that LINSTOR 1.31.3 does not whitelist
# (linstor-common at the submodule commit of v1.31.3 lacks them).
NEWER_THAN_1_31_3 = (
    "auto_block_size", "autoplacer_min_thin_free_space", "balance_after_clone", "balance_after_restore",
    "balance_resources_skip_disk_limit", "cache_flush_timeout", "clone_dd_blocksize", "copy_all_snaps",
    "copy_all_snaps_on_evac", "drbd_auto_discard_granularity", "ext_cmd_io_poll_interval",
    "ext_cmd_io_stall_to", "ext_cmd_kill_to", "ext_cmd_term_to", "ext_cmd_wait_to", "freeze_block_size",
    "linstor_drbd_initial_uptodate_on", "luks_allow_discards", "outside_nic", "rest_auto_https",
    "stordriver_lukscreate_options", "stordriver_luksopen_options", "stordriver_lvcreate_pv_selection",
    "token_authentication_enabled", "zfs_delete_strat", "zfs_rollback_strat",
)

# Properties LINSTOR 1.31.3 whitelists that the newest catalogue dropped (removed in 1.32.0):
# name -> (key, rule, object kinds).
DROPPED_IN_1_32 = {
    "storage_pool_exos_enclosure": ("StorDriver/Exos/Enclosure", {"type": "string"}, ["storagepool"]),
    "storage_pool_exos_pool_sn": ("StorDriver/Exos/PoolSN", {"type": "string"}, ["storagepool"]),
    "storage_pool_exos_vlm_type": (
        "StorDriver/Exos/VolumeType", {"type": "symbol", "values": ["linear", "virtual"]},
        ["controller", "node", "storagepool", "resource-definition", "volume-definition"]),
    "storage_pool_exos_create_vlm_options": (
        "StorDriver/Exos/CreateVolumeOptions", {"type": "string"},
        ["controller", "node", "storagepool", "resource-definition", "resource", "volume-definition"]),
    "snapshot_shipping_port_range": (
        "SnapshotShipping/TcpPortRange", {"type": "regex", "value": "[0-9]+-[0-9]+"}, ["controller"]),
    "snapshot_shipping_keep": ("SnapshotShipping/Keep", {"type": "long", "default": "10"}, ["resource-definition"]),
    "snapshot_shipping_run_every": ("SnapshotShipping/RunEvery", {"type": "long"}, ["resource-definition"]),
    "snapshot_shipping_source": ("SnapshotShipping/SourceNode", {"type": "string"}, ["resource-definition"]),
    "snapshot_shipping_target": ("SnapshotShipping/TargetNode", {"type": "string"}, ["resource-definition"]),
}

DRBD_OPTION_NAMESPACES = ("DrbdOptions/Resource/", "DrbdOptions/PeerDevice/", "DrbdOptions/Net/",
                          "DrbdOptions/Disk/", "DrbdOptions/Handlers/")
DRBD_OPTION_KINDS = ("controller", "resource-definition", "resource", "volume-definition", "volume")
# a connection between two resources takes drbdsetup's connection and peer-device options
RSC_CONN_NAMESPACES = ("DrbdOptions/Net/", "DrbdOptions/PeerDevice/")

# the fields of a rule the fake uses (validation and the properties/info listing)
RULE_FIELDS = ("type", "value", "values", "min", "max", "min_float", "max_float", "default", "unit", "info")


def _const_values(consts_path):
    with open(consts_path, encoding="utf-8") as fh:
        entries = json.load(fh)
    return {e["name"]: e["value"] for e in entries if "name" in e and isinstance(e.get("value"), str)}


def _key(spec, consts):
    if isinstance(spec, str):
        return spec
    return "/".join(consts[part] for part in spec)


def _rule(prop):
    rule = {f: prop[f] for f in RULE_FIELDS if f in prop}
    if "default" in rule:
        rule["default"] = str(rule["default"])
    return rule


def generate(props_path, consts_path):
    with open(props_path, encoding="utf-8") as fh:
        catalogue = json.load(fh)
    consts = _const_values(consts_path)
    props = catalogue["properties"]
    objects = {}
    for kind, names in catalogue["objects"].items():
        rules = objects.setdefault(kind, {})
        for name in names:
            prop = props[name]
            rule = _rule(prop)
            if name in NEWER_THAN_1_31_3:
                rule["newer_than"] = "1.31.3"
            rules[_key(prop["key"], consts)] = rule
    for key, rule, kinds in DROPPED_IN_1_32.values():
        for kind in kinds:
            objects.setdefault(kind, {})[key] = dict(rule, before="1.32.0")
    prefixes = {kind: {ns: {"type": "string", "source": "drbdsetup"} for ns in DRBD_OPTION_NAMESPACES}
                for kind in DRBD_OPTION_KINDS}
    prefixes["resource-connection"] = {ns: {"type": "string", "source": "drbdsetup"} for ns in RSC_CONN_NAMESPACES}
    return {
        "_comment": "Generated by scripts/gen_properties.py from linstor-common properties.json; do not edit.",
        "objects": {kind: dict(sorted(rules.items())) for kind, rules in sorted(objects.items())},
        "prefixes": prefixes,
    }


def main(argv):
    if len(argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    consts_path = argv[2] if len(argv) == 3 else DEFAULT_CONSTS
    json.dump(generate(argv[1], consts_path), sys.stdout, indent=1, sort_keys=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
