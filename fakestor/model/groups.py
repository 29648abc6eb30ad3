"""Resource groups and their volume groups.

A resource group keeps its select filter as the controller's ``AutoSelectorConfig`` does:
every list is present (empty when never set), place_count defaults to 2. Replies follow
``CtrlRscGrpApiCallHandler`` / ``CtrlVlmGrpApiCallHandler`` of LINSTOR 1.31.3, including their
contexts (modify and delete of groups answer with the create operation mask, as there).

The resource operations complete this area by overriding its hooks: ``_resource_definitions_in_group``
(delete and volume-group refusals, adjust), ``_autoplace_resource_definition`` (adjust),
and ``_rg_place_count_raised`` (a modify that raises place_count). What the autoplacer sees of
the volumes comes from the cluster's usage index (``usage.py``).
``placement_input.plan_autoplace`` and ``reply_entry`` do the autoplace part of autoplace and spawn.
"""
from dataclasses import dataclass, field, replace
from typing import Dict, List, Optional

from linstor import sharedconsts as C

from .. import placement
from ..apicallrc import Context, RcEntry, bare_error
from ..placement import MaxSizeCandidate, SelectFilter
from . import names, placement_input
from . import props as propslib

DFLT_RSC_GRP = "DfltRscGrp"
DEFAULT_PLACE_COUNT = 2
VOLUME_NR_MAX = (1 << 16) - 2
DRBD_MAX_PEERS = 31
VLM_GRP_FLAGS = ("GROSS_SIZE",)
EXACT_SIZE_KEY = "DrbdOptions/ExactSize"


@dataclass
class VolumeGroup:
    volume_number: int
    uuid: str
    props: Dict[str, str] = field(default_factory=dict)
    flags: List[str] = field(default_factory=list)


@dataclass
class ResourceGroup:
    name: str
    uuid: str
    description: str = ""
    props: Dict[str, str] = field(default_factory=dict)
    select_filter: SelectFilter = field(default_factory=lambda: stored_filter(None))
    peer_slots: Optional[int] = None
    volume_groups: Dict[int, VolumeGroup] = field(default_factory=dict)


# the AutoSelectorConfig fields a group stores; additional_place_count is never kept
_STORED = ("place_count", "node_name_list", "storage_pool_list", "storage_pool_diskless_list",
           "not_place_with_rsc", "not_place_with_rsc_regex", "replicas_on_same", "replicas_on_different",
           "x_replicas_on_different_map", "layer_stack", "provider_list", "diskless_on_remaining")
_LISTS = ("node_name_list", "storage_pool_list", "storage_pool_diskless_list", "not_place_with_rsc",
          "replicas_on_same", "replicas_on_different", "x_replicas_on_different_map", "layer_stack",
          "provider_list")


def stored_filter(flt: Optional[SelectFilter]) -> SelectFilter:
    """A filter as a new group stores it: unset lists become empty, place_count defaults to 2."""
    flt = flt or SelectFilter()
    values = {name: getattr(flt, name) for name in _STORED}
    for name in _LISTS:
        if values[name] is None:
            values[name] = ()
    if values["place_count"] is None:
        values["place_count"] = DEFAULT_PLACE_COUNT
    return SelectFilter(**values)


def apply_filter_changes(current: SelectFilter, changes: Optional[SelectFilter]) -> SelectFilter:
    """``AutoSelectorConfig#applyChanges``: every field the change carries replaces the stored one."""
    if changes is None:
        return current
    values = {name: getattr(changes, name) for name in _STORED if getattr(changes, name) is not None}
    return replace(current, **values)


def rg_ctx(op: int, name: str) -> Context:
    return Context(op, C.MASK_RSC_GRP, {C.KEY_RSC_GRP: name}, "Resource group: %s" % name)


def vlm_grps_ctx(rg_name: str) -> Context:
    return Context(C.MASK_CRT, C.MASK_VLM_GRP, {C.KEY_VLM_GRP: rg_name},
                   "Volume groups for resource group '%s'" % rg_name)


def vlm_grp_ctx(rg_name: str, number: int) -> Context:
    # the controller files a single volume group under the volume-definition object mask
    return Context(C.MASK_CRT, C.MASK_VLM_DFN, {C.KEY_RSC_GRP: rg_name, C.KEY_VLM_NR: str(number)},
                   "Resource group: %s, Volume number: %d" % (rg_name, number))


def _vg_inline(rg_name: str, number: int) -> str:
    return "volume group with number '%d' of resource group '%s'" % (number, rg_name)


def _check_peer_slots(peer_slots: Optional[int]) -> None:
    if peer_slots is None:
        return
    if peer_slots > DRBD_MAX_PEERS:
        msg = "given peer_slots is larger then allowed: %d. Allowed: %d" % (peer_slots, DRBD_MAX_PEERS)
    elif peer_slots < 0:
        msg = "peer_slots must not be smaller than 0. Received %d" % peer_slots
    else:
        return
    raise bare_error(C.FAIL_UNKNOWN_ERROR, "Exception thrown.", details="IllegalArgumentException: " + msg,
                     report=True)


class GroupOps:
    def _init_state(self) -> None:
        self.resource_groups: Dict[str, ResourceGroup] = {}
        self.resource_groups[names.key(DFLT_RSC_GRP)] = ResourceGroup(DFLT_RSC_GRP, self.ids.uuid())

    # -- hooks other areas fill in ---------------------------------------------------------
    def _resource_definitions_in_group(self, name: str) -> list:
        """The resource definitions of a group (the resource-definition area provides them)."""
        return []

    def _rg_place_count_raised(self, rg: ResourceGroup, request: SelectFilter) -> List[RcEntry]:
        """Autoplaces the group's resource definitions that now have too few replicas (resource area)."""
        return []

    def _autoplace_resource_definition(self, rsc_name: str, request: SelectFilter, ctx: Context) -> List[RcEntry]:
        """Autoplace of one resource definition inside another call (resource area)."""
        raise NotImplementedError("autoplacing resource definitions needs the resource operations")

    def _resource_group_exists(self, name: str) -> bool:
        return names.key(name) in self.resource_groups

    # -- query-max-volume-size -------------------------------------------------------------------
    def query_max_volume_size(self, select_filter: SelectFilter) -> List[MaxSizeCandidate]:
        """``OPTIONS /v1/query-max-volume-size``: the candidates, or ApiError."""
        result = placement.query_max_volume_size(
            placement_input.node_snapshots(self), select_filter,
            [d.name for d in self.storage_pool_definitions.values()], self.controller_props)
        if isinstance(result, placement.PlacementError):
            raise bare_error(result.code, result.message, details=result.details, report=result.report)
        return result

    def query_max_volume_size_of_group(self, name: str) -> List[MaxSizeCandidate]:
        """``GET /v1/resource-groups/{rg}/query-max-volume-size``: with the group's stored filter."""
        return self.query_max_volume_size(self.get_resource_group(name).select_filter)

    # -- lookups -----------------------------------------------------------------------------
    def _parse_rg_name(self, name, ctx: Optional[Context] = None) -> str:
        try:
            return names.check_generic(name if isinstance(name, str) else "")
        except names.InvalidName as err:
            msg = "The given resource group name '%s' is invalid." % name
            if ctx is None:
                raise bare_error(C.FAIL_INVLD_RSC_GRP_NAME, msg, cause=str(err), report=True)
            raise ctx.error(C.FAIL_INVLD_RSC_GRP_NAME, msg, cause=str(err), report=True)

    def get_resource_group(self, name: str, ctx: Optional[Context] = None) -> ResourceGroup:
        self._parse_rg_name(name, ctx)
        rg = self.resource_groups.get(names.key(name))
        if rg is None:
            kw = dict(cause="The specified resource group '%s' could not be found in the database" % name,
                      correction="Create a resource group with the name '%s' first." % name)
            msg = "Resource group '%s' not found." % name
            raise ctx.error(C.FAIL_NOT_FOUND_RSC_GRP, msg, **kw) if ctx else bare_error(
                C.FAIL_NOT_FOUND_RSC_GRP, msg, **kw)
        return rg

    def list_resource_groups(self, groups: Optional[List[str]] = None,
                             props: Optional[List[str]] = None) -> List[ResourceGroup]:
        wanted = {names.key(self._parse_rg_name(g)) for g in groups} if groups else None
        return [rg for k, rg in sorted(self.resource_groups.items())
                if (wanted is None or k in wanted) and (not props or propslib.matches_filter(rg.props, props))]

    def group_select_filter(self, name: str) -> SelectFilter:
        """The group's filter as autoplace merges it (``AutoSelectorConfig#getApiData``)."""
        return self.get_resource_group(name).select_filter

    # -- resource groups -------------------------------------------------------------------------
    def create_resource_group(self, name, description: Optional[str] = None,
                              select_filter: Optional[SelectFilter] = None, props=None,
                              peer_slots: Optional[int] = None, volume_groups=None) -> List[RcEntry]:
        """Creates a group. The REST create passes no props or volume groups (the controller
        ignores them there); the Python API may give both."""
        ctx = rg_ctx(C.MASK_CRT, name)
        _check_peer_slots(peer_slots)
        if select_filter is not None and select_filter.place_count is not None and select_filter.place_count < 1:
            raise ctx.error(C.FAIL_INVLD_PLACE_COUNT, "Resource group: %s, place-count must be positive." % name)
        self._parse_rg_name(name, ctx)
        if names.key(name) in self.resource_groups:
            raise ctx.error(C.FAIL_EXISTS_RSC_GRP, "A Resource group: %s already exists." % name)
        new_props = propslib.apply_changes({}, "resource-definition", ctx, props)
        rg = ResourceGroup(name, self.ids.uuid(), description if description is not None else "", new_props,
                           stored_filter(select_filter), peer_slots)
        entries = []
        for spec in volume_groups or ():
            vg = self._new_volume_group(rg, spec.get("volume_number"), spec.get("props"), spec.get("flags"))
            rg.volume_groups[vg.volume_number] = vg
            entries.append(RcEntry(C.MASK_VLM_GRP | C.CREATED,
                                   "Volume group with number '%d' successfully  created in resource group '%s'."
                                   % (vg.volume_number, name),
                                   obj_refs={C.KEY_RSC_GRP: name, C.KEY_VLM_NR: str(vg.volume_number)}))
        entries += self._unknown_pool_warning(rg)
        self.resource_groups[names.key(name)] = rg
        entries.append(ctx.entry(C.CREATED, "New resource group '%s' created." % name,
                                 details="Resource group '%s' UUID is: %s" % (name, rg.uuid),
                                 refs={C.KEY_UUID: rg.uuid}))
        return entries

    def modify_resource_group(self, name: str, description: Optional[str] = None, override=None, delete=None,
                              delete_namespaces=None, select_filter: Optional[SelectFilter] = None,
                              peer_slots: Optional[int] = None) -> List[RcEntry]:
        ctx = rg_ctx(C.MASK_CRT, name)  # the controller registers a modify as a creation
        _check_peer_slots(peer_slots)
        if select_filter is not None and select_filter.place_count is not None and select_filter.place_count < 1:
            raise ctx.error(C.FAIL_INVLD_PLACE_COUNT, "Resource group: %s, place-count must be positive." % name)
        rg = self.get_resource_group(name, ctx)
        if EXACT_SIZE_KEY in (override or {}):
            raise ctx.error(C.FAIL_INVLD_PROP, "Invalid property key",
                            cause="The key '%s' is not whitelisted." % EXACT_SIZE_KEY, report=True)
        new_props = propslib.apply_changes(rg.props, "resource-definition", ctx, override, delete,
                                           delete_namespaces)
        entries: List[RcEntry] = []
        new_filter = apply_filter_changes(rg.select_filter, select_filter)
        if select_filter is not None:
            entries += self._unknown_pool_warning(replace(rg, select_filter=new_filter))
        # every check passed: change the group
        if description is not None:
            rg.description = description
        rg.props = new_props
        rg.select_filter = new_filter
        if peer_slots is not None:
            rg.peer_slots = peer_slots
        entries.append(ctx.entry(C.MODIFIED, "Resource group '%s' modified." % rg.name,
                                 details="Resource group '%s' UUID is: %s" % (rg.name, rg.uuid),
                                 refs={C.KEY_UUID: rg.uuid}))
        if select_filter is not None and select_filter.place_count is not None:
            entries += self._rg_place_count_raised(rg, select_filter)
        return entries

    def delete_resource_group(self, name: str) -> List[RcEntry]:
        ctx = rg_ctx(C.MASK_CRT, name)  # the controller's delete uses the create operation
        self._parse_rg_name(name, ctx)
        rg = self.resource_groups.get(names.key(name))
        if rg is None:
            return [ctx.entry(C.WARN_NOT_FOUND, "Resource group: %s not found." % name, details=ctx.description)]
        if self._resource_definitions_in_group(rg.name):
            raise ctx.error(C.FAIL_EXISTS_RSC_DFN, "Cannot delete resource group '%s' because it has existing "
                            "resource definitions." % name)
        del self.resource_groups[names.key(name)]
        return [ctx.entry(C.DELETED, "Resource group '%s' deleted." % rg.name,
                          details="Resource group '%s' UUID was: %s" % (rg.name, rg.uuid),
                          refs={C.KEY_UUID: rg.uuid})]

    def _unknown_pool_warning(self, rg: ResourceGroup) -> List[RcEntry]:
        """A warning (no context masks) for filter pools that are missing or of the wrong kind."""
        wrong_diskful, wrong_diskless, unknown = [], [], []
        for diskful_expected, pool_names in ((True, rg.select_filter.storage_pool_list or ()),
                                             (False, rg.select_filter.storage_pool_diskless_list or ())):
            for pool_name in pool_names:
                if names.key(pool_name) not in self.storage_pool_definitions:
                    unknown.append(pool_name)
                    continue
                kinds = [n.storage_pools[names.key(pool_name)].provider_kind for n in self.nodes.values()
                         if names.key(pool_name) in n.storage_pools]
                if not any((k not in ("DISKLESS", "EBS_INIT")) == diskful_expected for k in kinds):
                    (wrong_diskless if diskful_expected else wrong_diskful).append(pool_name)
        if not (wrong_diskful or wrong_diskless or unknown):
            return []
        text = ""
        if wrong_diskful:
            text += ("The following configured storage pools are diskful, but are wrongly configured to be used "
                     "for diskless autoplacements:\n\t" + "\n\t".join(wrong_diskful) + "\n")
        if wrong_diskless:
            text += ("The following configured storage pools are diskless, but are wrongly configured to be used "
                     "for diskful autoplacements:\n\t" + "\n\t".join(wrong_diskless) + "\n")
        if unknown:
            text += "The following configured storage pools do not exist on any node:\n\t" + "\n\t".join(unknown)
        return [RcEntry(C.WARN_NOT_FOUND, text.strip())]

    # -- adjust ------------------------------------------------------------------------------------
    def adjust_resource_group(self, name: str, select_filter: Optional[SelectFilter] = None) -> List[RcEntry]:
        """Autoplaces every resource definition of the group with the request's filter merged
        over the group's (adds replicas up to place_count, never removes any)."""
        ctx = rg_ctx(C.MASK_CRT, name)
        rg = self.get_resource_group(name, ctx)
        return self._adjust(rg, select_filter, ctx)

    def adjust_all_resource_groups(self, select_filter: Optional[SelectFilter] = None) -> List[RcEntry]:
        ctx = Context(C.MASK_CRT, C.MASK_RSC_GRP, {}, "All resource groups")
        entries: List[RcEntry] = []
        for _, rg in sorted(self.resource_groups.items()):
            entries += self._adjust(rg, select_filter, ctx)
        return entries

    def _adjust(self, rg: ResourceGroup, select_filter: Optional[SelectFilter], ctx: Context) -> List[RcEntry]:
        merged = SelectFilter.merge(select_filter, rg.select_filter)
        entries: List[RcEntry] = []
        for rsc_name in self._resource_definitions_in_group(rg.name):
            entries += self._autoplace_resource_definition(rsc_name, merged, ctx)
        return entries

    # -- volume groups --------------------------------------------------------------------------
    def get_volume_group(self, rg_name: str, number: int, ctx: Optional[Context] = None) -> VolumeGroup:
        if not isinstance(number, int) or not 0 <= number <= VOLUME_NR_MAX:
            msg = "The given volume number '%s' is invalid. Valid range from 0 to %d" % (number, VOLUME_NR_MAX)
            raise ctx.error(C.FAIL_INVLD_VLM_NR, msg, report=True) if ctx else bare_error(
                C.FAIL_INVLD_VLM_NR, msg, report=True)
        rg = self.get_resource_group(rg_name, ctx)
        vg = rg.volume_groups.get(number)
        if vg is None:
            kw = dict(cause="The specified volume group '%s' with volume number '%d' could not be found in the "
                            "database" % (rg_name, number),
                      correction="Create a volume group with the name '%s' and volume number '%d' first."
                                 % (rg_name, number))
            msg = "Volume group '%s' with volume number '%d' not found." % (rg_name, number)
            raise ctx.error(C.FAIL_NOT_FOUND_VLM_GRP, msg, **kw) if ctx else bare_error(
                C.FAIL_NOT_FOUND_VLM_GRP, msg, **kw)
        return vg

    def list_volume_groups(self, rg_name: str) -> List[VolumeGroup]:
        rg = self.get_resource_group(rg_name)
        return [rg.volume_groups[n] for n in sorted(rg.volume_groups)]

    def _new_volume_group(self, rg: ResourceGroup, number: Optional[int], props, flags):
        ctx = vlm_grps_ctx(rg.name)
        if number is None:
            number = next(n for n in range(VOLUME_NR_MAX + 2) if n not in rg.volume_groups)
            if number > VOLUME_NR_MAX:
                raise ctx.error(C.FAIL_POOL_EXHAUSTED_VLM_NR,
                                "An exception occurred during generation of a volume number.", report=True)
        elif not 0 <= number <= VOLUME_NR_MAX:
            raise ctx.error(C.FAIL_INVLD_VLM_NR, "The specified volume number '%d' is invalid. Volume numbers have "
                            "to be in range of 0 - %d." % (number, VOLUME_NR_MAX), report=True)
        vg_ctx = vlm_grp_ctx(rg.name, number)
        vg_ctx.refs = dict(ctx.refs, **vg_ctx.refs)
        if number in rg.volume_groups:
            raise vg_ctx.error(C.FAIL_EXISTS_VLM_GRP, "A volume group with the number %d already exists in "
                               "resource group '%s'." % (number, rg.name))
        bad = [f for f in flags or () if f not in VLM_GRP_FLAGS]
        if bad:
            raise bare_error(C.FAIL_UNKNOWN_ERROR, "Exception thrown.",
                             details="IllegalArgumentException: No enum constant VolumeGroup.Flags.%s" % bad[0],
                             report=True)
        new_props = propslib.apply_changes({}, "volume-definition", vg_ctx, props)
        vg = VolumeGroup(number, self.ids.uuid(), new_props, [f for f in VLM_GRP_FLAGS if f in (flags or ())])
        return vg

    def create_volume_group(self, rg_name: str, volume_number: Optional[int] = None, props=None,
                            flags=None) -> List[RcEntry]:
        ctx = vlm_grps_ctx(rg_name)
        rg = self.get_resource_group(rg_name, ctx)
        if self._resource_definitions_in_group(rg.name):
            raise ctx.error(C.FAIL_EXISTS_RSC_DFN, "Volume group cannot be created while the resource group has "
                            "already resource definitions.", report=True)
        vg = self._new_volume_group(rg, volume_number, props, flags)
        rg.volume_groups[vg.volume_number] = vg
        return [ctx.entry(C.CREATED, "New volume group with number '%d' of resource group '%s' created."
                          % (vg.volume_number, rg_name),
                          refs={C.KEY_RSC_GRP: rg_name, C.KEY_VLM_NR: str(vg.volume_number)})]

    def modify_volume_group(self, rg_name: str, number: int, override=None, delete=None, delete_namespaces=None,
                            flags=None) -> List[RcEntry]:
        ctx = vlm_grps_ctx(rg_name)
        vg = self.get_volume_group(rg_name, number, ctx)
        rg = self.get_resource_group(rg_name, ctx)
        new_props = propslib.apply_changes(vg.props, "volume-definition", ctx, override, delete, delete_namespaces)
        enable, disable = set(), set()
        for raw in flags or ():
            name = raw[1:] if raw.startswith("-") else raw
            if name not in VLM_GRP_FLAGS:
                raise bare_error(C.FAIL_UNKNOWN_ERROR, "Exception thrown.",
                                 details="IllegalArgumentException: No enum constant VolumeGroup.Flags.%s" % name,
                                 report=True)
            (disable if raw.startswith("-") else enable).add(name)
        vg.props = new_props
        vg.flags = [f for f in VLM_GRP_FLAGS if (f in vg.flags or f in enable) and f not in disable]
        return [ctx.entry(C.MODIFIED, "Resource group '%s' modified." % rg.name,
                          details="Resource group '%s' UUID is: %s" % (rg.name, rg.uuid), refs={C.KEY_UUID: rg.uuid})]

    def delete_volume_group(self, rg_name: str, number: int) -> List[RcEntry]:
        ctx = vlm_grps_ctx(rg_name)
        vg = self.get_volume_group(rg_name, number, ctx)
        rg = self.get_resource_group(rg_name, ctx)
        del rg.volume_groups[vg.volume_number]
        inline = _vg_inline(rg_name, vg.volume_number)
        text = inline[0].upper() + inline[1:]
        return [ctx.entry(C.DELETED, "%s deleted." % text, details="%s UUID was: %s" % (text, vg.uuid),
                          refs={C.KEY_UUID: vg.uuid})]
