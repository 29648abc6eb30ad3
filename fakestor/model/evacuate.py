"""``PUT /v1/nodes/{node}/evacuate`` (``CtrlNodeApiCallHandler#evacuateNode`` of LINSTOR 1.31.3).

The node is flagged EVACUATE (no new resources) and each of its resources is flagged EVACUATE
too. Per resource definition the controller then either deletes the evacuated resource (it is
diskless, or enough UpToDate peers remain) or places a replacement with the autoplacer and
deletes the evacuated one once the replacement is in sync. The fake's resources are in sync at
once, so the replacement and the deletion happen in the same call; the deletion runs in the
controller's background and is not part of the reply.
"""
from typing import List, Optional

from linstor import sharedconsts as C

from ..apicallrc import ApiError, RcEntry
from ..placement import SelectFilter
from . import names, placement_input
from .objects import Resource, ResourceDefinition
from .resource_definitions import DEFAULT_LAYER_STACK
from .resources import normalize_flags

# the controller's stand-in when the group sets no place count
DEFAULT_REPLICA_COUNT = 2


class EvacuateOps:
    def evacuate_node(self, name: str) -> List[RcEntry]:
        # the node is loaded outside any response context: a failure is the bare entry
        self.check_node_names([name])
        node = self.get_node(name)
        self._nodes_changed()
        if "EVACUATE" not in node.flags:
            node.flags.append("EVACUATE")
        node_key = names.key(node.name)
        affected: List[ResourceDefinition] = []
        for _, rd in sorted(self.resource_definitions.items()):
            rsc = rd.resources.get(node_key)
            if rsc is None:
                continue
            rsc.flags = normalize_flags(rsc.flags + ["EVACUATE"])
            # the node name's canonical (upper case) form, as the controller stores it
            rsc.props[C.KEY_RSC_MIGRATE_FROM] = node_key
            self._touch_rd(rd.name)
            affected.append(rd)
        warnings: List[RcEntry] = []
        moves: List[RcEntry] = []
        for rd in affected:
            if not any("DRBD" in r.layer_stack for r in rd.resources.values()):
                warnings.append(RcEntry(C.WARN_NOT_EVACUATING, "Resource '%s' cannot be evacuated as it is not a "
                                                               "DRBD resource" % rd.name))
                continue
            rsc = rd.resources[node_key]
            if "DRBD_DISKLESS" in rsc.flags or self._enough_peers(rd):
                moves += self._entries_of(lambda: self.delete_resource(rd.name, node.name))
                continue
            pool = self._pool_for_evacuation(rd)
            if pool is None:
                warnings.append(RcEntry(C.WARN_NOT_EVACUATING, "Resource '%s' cannot be evacuated as no available "
                                                               "storage pool was found" % rd.name))
                continue
            moves += self._move(rd, rsc, pool[0], pool[1])
        return warnings + moves

    def restore_node(self, name: str) -> List[RcEntry]:
        """Restoring an evacuated node also clears the flag of the resources still on it."""
        entries = super().restore_node(name)
        node_key = names.key(name)
        for _, rd in sorted(self.resource_definitions.items()):
            rsc = rd.resources.get(node_key)
            if rsc is not None and "EVACUATE" in rsc.flags:
                rsc.flags = [f for f in rsc.flags if f != "EVACUATE"]
                self._touch_rd(rd.name)
        return entries

    @staticmethod
    def _entries_of(operation) -> List[RcEntry]:
        """Each step is a call of its own: a refusal is reported, the evacuation goes on."""
        try:
            return operation()
        except ApiError as err:
            return err.entries

    def _enough_peers(self, rd: ResourceDefinition) -> bool:
        """UpToDate diskful peers (a satellite that is not connected reports no state) against the
        group's place count."""
        skip = ("DELETE", "EVACUATE", "INACTIVE", "DRBD_DISKLESS")
        peers = sum(1 for r in rd.resources.values()
                    if not any(f in r.flags for f in skip) and self.get_node(r.node_name).connection_status == "ONLINE")
        expected = self.get_resource_group(rd.resource_group_name).select_filter.place_count
        return peers >= (expected if expected is not None else DEFAULT_REPLICA_COUNT)

    def _pool_for_evacuation(self, rd: ResourceDefinition) -> Optional[tuple]:
        """(node, pool) for the replacement: a disk on a diskless peer first, then any node the
        group's filter allows, then any node at all that keeps the current replica count."""
        diskless = tuple(r.node_name for _, r in sorted(rd.resources.items()) if "DRBD_DISKLESS" in r.flags)
        attempts = []
        if diskless:
            attempts.append(SelectFilter(node_name_list=diskless, skip_already_placed_on_nodes=diskless))
        attempts.append(SelectFilter())
        attempts.append(SelectFilter(place_count=len(rd.resources)))
        size_kib = sum(vd.size_kib for vd in rd.volume_definitions.values())
        existing = self._existing_for_placement(rd)
        stack = self._rd_stack(rd)
        for request in attempts:
            try:
                plan = placement_input.plan_autoplace(self, rd.name, request, existing, size_kib,
                                                      rd.resource_group_name, rd.props, stack)
            except ApiError:
                continue
            if plan.placed and plan.selected:
                return plan.selected[0].node, plan.selected[0].pool
        return None

    def _rd_stack(self, rd: ResourceDefinition) -> List[str]:
        return list(rd.layer_stack or self._peer_layer_stack(rd) or DEFAULT_LAYER_STACK)

    def _move(self, rd: ResourceDefinition, source: Resource, target_node: str, pool: str) -> List[RcEntry]:
        target = rd.resources.get(names.key(target_node))
        if target is not None and "DRBD_DISKLESS" not in target.flags:
            entries = self._entries_of(lambda: self.toggle_disk(rd.name, target_node, diskful=True, pool=pool,
                                                                migrate_from=source.node_name))
        else:
            item = {"node_name": target_node, "props": {C.KEY_STOR_POOL_NAME: pool},
                    "layer_list": list(self._rd_stack(rd))}
            entries = self._entries_of(lambda: self.create_resources(rd.name, [item]))
        replacement = rd.resources.get(names.key(target_node))
        still_there = rd.resources.get(names.key(source.node_name))
        if replacement is not None and "DRBD_DISKLESS" not in replacement.flags:
            replacement.props.pop(C.KEY_RSC_MIGRATE_FROM, None)
            # the deletion waits until the evacuated resource is no longer in use
            if still_there is not None and not still_there.in_use:
                self._drop_resource(rd, still_there)
        return entries
