"""Autoplace and spawn: resources created where the autoplacer says, resource groups tied to
their resource definitions.

This area fills in the hooks the group area leaves open (which definitions use a group, what
the autoplacer sees of the pools' volumes, autoplace inside adjust and modify) and adds the two
calls that create resources from a plan: ``POST .../autoplace`` (``CtrlRscAutoPlaceApiCallHandler``)
and ``POST /v1/resource-groups/{rg}/spawn`` (``CtrlRscGrpApiCallHandler#spawn``) of LINSTOR 1.31.3.
The plan is made before anything changes; creating what it names can still be refused (peer
slots, node ids), and then the definition and the pools are put back as they were.
"""
from typing import Dict, List, Optional

from linstor import sharedconsts as C

from ..apicallrc import ApiError, Context, RcEntry, unsigned64
from ..placement import ExistingRsc, SelectFilter
from . import names, placement_input
from .objects import ResourceDefinition
from .resource_definitions import DEFAULT_LAYER_STACK
from .resources import DFLT_DISKLESS_POOL, is_diskless, normalize_flags

SKIP_DISK_KEY = "DrbdOptions/SkipDisk"
_WARN_BITS = unsigned64(C.MASK_ERROR)


def _is_warning(entry: RcEntry) -> bool:
    return entry.ret_code & _WARN_BITS == unsigned64(C.MASK_WARN)


def spawn_ctx(rg_name: str, rsc_name: str) -> Context:
    return Context(C.MASK_CRT, C.MASK_RSC_GRP, {C.KEY_RSC_GRP: rg_name, C.KEY_RSC_DFN: rsc_name},
                   "Resource group: %s" % rg_name)


class AutoplaceOps:

    # -- the group area's hooks -------------------------------------------------------------
    def _resource_definitions_in_group(self, name: str) -> list:
        key = names.key(name)
        return [rd.name for _, rd in sorted(self.resource_definitions.items())
                if names.key(rd.resource_group_name) == key]

    def _resource_group_display_name(self, name: str) -> str:
        rg = self.resource_groups.get(names.key(name))
        return rg.name if rg is not None else name

    def _resource_group_props(self, name: str) -> Dict[str, str]:
        rg = self.resource_groups.get(names.key(name))
        return rg.props if rg is not None else {}

    def _rg_place_count_raised(self, rg, request: SelectFilter) -> List[RcEntry]:
        """A modify that sets place_count autoplaces, with the modify's filter, each definition of
        the group that has fewer resources (tie-breakers aside) than the new count. Each autoplace
        is a call of its own after the modify: its refusal is reported, the modify stays."""
        entries: List[RcEntry] = []
        for rsc_name in self._resource_definitions_in_group(rg.name):
            rd = self.resource_definitions[names.key(rsc_name)]
            count = sum(1 for r in rd.resources.values() if "TIE_BREAKER" not in r.flags)
            if count < request.place_count:
                entries += self._autoplace_resource_definition(rd.name, request, None)
        return entries

    def _autoplace_resource_definition(self, rsc_name: str, request: SelectFilter,
                                       ctx: Optional[Context]) -> List[RcEntry]:
        """The autoplace call that adjust and a group modify make per definition: its own
        context and transaction, so a refusal comes back as entries and undoes only itself."""
        try:
            return self.autoplace(rsc_name, request)
        except ApiError as err:
            return err.entries

    # -- POST /v1/resource-definitions/{rsc}/autoplace ---------------------------------------
    def autoplace(self, rsc_name: str, request: Optional[SelectFilter]) -> List[RcEntry]:
        """Places the definition's resources as the request (merged over the definition's group
        filter) asks. The REST layer has already put the top-level diskless_on_remaining and
        layer_list into the request's filter."""
        ctx = placement_input.autoplace_context(rsc_name)
        rd = self.get_resource_definition(rsc_name, ctx)
        return self._autoplace(rd, request or SelectFilter(), placement_input.autoplace_context(rd.name))

    def _existing_for_placement(self, rd: ResourceDefinition) -> List[ExistingRsc]:
        out = []
        for _, rsc in sorted(rd.resources.items()):
            diskless = is_diskless(rsc)
            pool = DFLT_DISKLESS_POOL if diskless else next(
                (v.storage_pool_name for _, v in sorted(rsc.volumes.items())), None)
            out.append(ExistingRsc(rsc.node_name, pool, diskless, frozenset(rsc.flags),
                                   (rsc.props.get(SKIP_DISK_KEY) or "").lower() == "true"))
        return out

    def _autoplace(self, rd: ResourceDefinition, request: SelectFilter, ctx: Context) -> List[RcEntry]:
        size_kib = sum(vd.size_kib for vd in rd.volume_definitions.values())
        # the controller asks for the definition's stack after the diskful resources exist:
        # the definition's own, the one its resources share, or the default new ones get
        stack = rd.layer_stack or self._peer_layer_stack(rd) or DEFAULT_LAYER_STACK
        plan = placement_input.plan_autoplace(self, rd.name, request, self._existing_for_placement(rd), size_kib,
                                              rd.resource_group_name, rd.props, stack, ctx)
        entry = placement_input.reply_entry(plan, ctx)
        if not plan.placed:
            return [entry]
        merged = SelectFilter.merge(request, self.get_resource_group(rd.resource_group_name).select_filter)
        layers = list(merged.layer_stack) if merged.layer_stack else None
        with self._undoable(rd.name):
            return [entry] + self._create_planned(rd, plan, merged, layers, ctx)

    def _create_planned(self, rd: ResourceDefinition, plan, merged: SelectFilter,
                        layers: Optional[List[str]], ctx: Context) -> List[RcEntry]:
        items = []
        for chosen in plan.selected:
            item = {"node_name": chosen.node, "props": {C.KEY_STOR_POOL_NAME: chosen.pool}, "layer_list": layers}
            if merged.diskless_type:
                item["flags"] = [merged.diskless_type]
            items.append(item)
        for node_name in plan.diskless_nodes:
            stack = layers or rd.layer_stack or []
            flag = "NVME_INITIATOR" if "NVME" in stack and "DRBD" not in stack else "DRBD_DISKLESS"
            items.append({"node_name": node_name, "flags": [flag], "layer_list": layers,
                          "props": {C.KEY_STOR_POOL_NAME: DFLT_DISKLESS_POOL}})
        entries: List[RcEntry] = []
        created = []
        for item in items:
            existing = rd.resources.get(names.key(item["node_name"]))
            if existing is not None and "TIE_BREAKER" in existing.flags and is_diskless_item(item):
                # a tie-breaker asked to stay diskless becomes a regular diskless peer
                existing.flags = normalize_flags([f for f in existing.flags if f != "TIE_BREAKER"] + ["DRBD_DISKLESS"])
                continue
            # only the warnings of the resource creation are part of an autoplace's reply
            entries += [e for e in self._create_resource(rd.name, item, created, ctx) if _is_warning(e)]
        return entries + self._deployment_entries(rd, created, ctx)

    # -- POST /v1/resource-groups/{rg}/spawn -------------------------------------------------
    def spawn_resource_definition(self, rg_name: str, rsc_name: str, volume_sizes: List[int],
                                  select_filter: Optional[SelectFilter] = None, partial: bool = False,
                                  definitions_only: bool = False, external_name: Optional[str] = None,
                                  peer_slots: Optional[int] = None, volume_passphrases: Optional[List[str]] = None,
                                  rd_props: Optional[Dict[str, str]] = None) -> List[RcEntry]:
        ctx = spawn_ctx(rg_name, rsc_name or "")
        rg = self.get_resource_group(rg_name, ctx)
        entries: List[RcEntry] = []
        vgs = [rg.volume_groups[n] for n in sorted(rg.volume_groups)]
        if not vgs and not partial:
            entries.append(RcEntry(unsigned64(C.MASK_INFO | C.MASK_RSC_GRP),
                                   "Resource-group doesn't have any volume-groups, automatically assume partial mode."))
        partial = partial or not vgs
        sizes = list(volume_sizes or [])
        if volume_passphrases and len(volume_passphrases) != len(sizes):
            raise ApiError(RcEntry(unsigned64(C.FAIL_INVLD_REQUEST),
                                   "Volume passphrase count doesn't match specified volume count.",
                                   correction="Please provide the same amount of volume passphrases as volumes "
                                              "for this resource-group"))
        if len(sizes) != len(vgs) and not partial:
            inline = "resource group '%s'" % rg_name
            raise ApiError(RcEntry(unsigned64(C.FAIL_INVLD_VLM_SIZES),
                                   "Invalid count of volume sizes to spawn %s" % inline,
                                   details="The %s has %d Volume groups, but only %d sizes were provided."
                                           % (inline, len(vgs), len(sizes)),
                                   correction="Either provide the correct count of volume sizes or use the "
                                              "'partial' option"))
        merged = SelectFilter.merge(select_filter, rg.select_filter)
        before = set(self.resource_definitions)
        try:
            with self._undoable(""):  # no definition yet: only the pools' usage
                entries += self.create_resource_definition(
                    rsc_name, external_name=external_name, props=rd_props, layer_stack=list(merged.layer_stack or ()),
                    resource_group=rg.name, peer_slots=peer_slots if peer_slots is not None else rg.peer_slots)
                new_key = next(iter(set(self.resource_definitions) - before))
                rd = self.resource_definitions[new_key]
                for idx, size in enumerate(sizes):
                    vg = vgs[idx] if idx < len(vgs) else None
                    entries += self.create_volume_definition(rd.name, size, vg.volume_number if vg else None,
                                                             flags=list(vg.flags) if vg else None)
                if merged.place_count is not None and not definitions_only:
                    entries += self._autoplace(rd, SelectFilter.merge(select_filter, SelectFilter()), ctx)
                else:
                    reasons = []
                    if merged.place_count is None:
                        reasons.append("No autoplace configuration in the given resource group (at least place-count "
                                       "required)")
                    if definitions_only:
                        reasons.append("--definitions-only was set")
                    shown = rd.name + ("(%s)" % external_name if external_name else "")
                    entries.append(RcEntry(C.INFO_NO_RSC_SPAWNED, "Resource definition %s and %d created but no "
                                           "resources deployed" % (shown, len(sizes)), cause=" and ".join(reasons)))
        except ApiError:
            for key in set(self.resource_definitions) - before:
                del self.resource_definitions[key]
                self._touch_rd(key)
            raise
        return entries


def is_diskless_item(item: dict) -> bool:
    return any(f in ("DRBD_DISKLESS", "NVME_INITIATOR", "DISKLESS") for f in item.get("flags") or ())
