"""Make-available: ``POST /v1/resource-definitions/{r}/resources/{n}/make-available`` as
LINSTOR 1.31.3 serves it (``CtrlRscMakeAvailableApiCallHandler``).

The call makes sure a node can use a resource, doing the least that gets it there: an absent
resource is created (a DRBD client when a diskful DRBD peer is active and no disk is asked for,
otherwise diskful on the pool the autoplacer picks on that node), an inactive one is activated,
a DRBD client that should have a disk gets one (toggle-disk on the autoplacer's pool), and one
that already is as asked answers "Resource already deployed as requested". The sub-operations
answer in their own contexts, as the controller's create, activate and toggle-disk fluxes do;
the call's own context then adds its masks where none are set and names the node and the
definition in every entry.

Not emulated: shared storage pools (the fake has no shared resources to switch between) and
the NVMe/EBS initiator cases.
"""
from dataclasses import replace
from typing import List, Optional

from linstor import sharedconsts as C

from ..apicallrc import ApiError, Context, RcEntry
from ..placement import Chosen, SelectFilter, select_pools
from . import names, placement_input
from .objects import ResourceDefinition
from .resource_definitions import DEFAULT_LAYER_STACK, parse_layer_list
from .resources import is_diskless, normalize_flags


def make_available_ctx(node_name: str, rsc_name: str) -> Context:
    # registered as a creation ("makeRegisterOperation"), object mask RSC
    return Context(C.MASK_CRT, C.MASK_RSC, {C.KEY_NODE: node_name, C.KEY_RSC_DFN: rsc_name},
                   "Node: %s, Resource: '%s'" % (node_name, rsc_name))


def _in_context(entry: RcEntry, ctx: Context) -> RcEntry:
    """What the call's ``reportingExceptions`` does to every entry passing through it, the
    sub-operations' too: masks added where none are set, the node and definition as refs."""
    code = entry.ret_code
    if code & C.MASK_BITS_OP == 0:
        code |= ctx.op
    if code & C.MASK_BITS_OBJ == 0:
        code |= ctx.obj
    return replace(entry, ret_code=code, obj_refs=dict(entry.obj_refs, **ctx.refs))


class MakeAvailableOps:
    def make_resource_available(self, rsc_name: str, node_name: str, layer_list: Optional[List[str]] = None,
                                diskful: bool = False) -> List[RcEntry]:
        ctx = make_available_ctx(node_name, rsc_name)
        try:
            entries = self._make_available(rsc_name, node_name, layer_list, diskful, ctx)
        except ApiError as err:
            err.entries = [_in_context(e, ctx) for e in err.entries]
            raise
        return [_in_context(e, ctx) for e in entries]

    def _make_available(self, rsc_name: str, node_name: str, layer_list: Optional[List[str]], diskful: bool,
                        ctx: Context) -> List[RcEntry]:
        rd = self.get_resource_definition(rsc_name, ctx)
        node = self.get_node(node_name, ctx)
        requested = parse_layer_list(layer_list, ctx) if layer_list else None
        layers = list(requested or rd.layer_stack or DEFAULT_LAYER_STACK)
        rsc = rd.resources.get(names.key(node.name))
        if rsc is None:
            return self._make_available_create(rd, node.name, layers, diskful, ctx)
        if requested and layers != list(rsc.layer_stack):
            raise ctx.error(C.FAIL_INVLD_LAYER_STACK, "Layerstack of deployed resource does not match", report=True)
        if "INACTIVE" in rsc.flags and "INACTIVE_PERMANENTLY" not in rsc.flags:
            return self.set_resource_active(rd.name, node.name, True)
        if "DRBD_DISKLESS" in rsc.flags and diskful:
            flt = self._make_available_filter(node.name, layers, None).with_changes(
                skip_already_placed_on_nodes=(node.name,))
            chosen = self._make_available_pick(rd, flt, use_group=True)
            if chosen is None:
                raise _no_pool(node.name, False, ctx)
            return self.toggle_disk(rd.name, node.name, diskful=True, pool=chosen.pool, layer_list=layer_list)
        if "TIE_BREAKER" in rsc.flags:
            # asked for explicitly, a tie-breaker becomes a wanted DRBD client
            rsc.flags = normalize_flags([f for f in rsc.flags if f != "TIE_BREAKER"] + ["DRBD_DISKLESS"])
        return [RcEntry(C.MASK_SUCCESS, "Resource already deployed as requested")]

    # -- helpers ------------------------------------------------------------------------------
    def _make_available_create(self, rd: ResourceDefinition, node_name: str, layers: List[str], diskful: bool,
                               ctx: Context) -> List[RcEntry]:
        diskless_flag = None
        if "DRBD" in layers and not diskful and self._has_active_drbd_disk(rd):
            diskless_flag = "DRBD_DISKLESS"
        flt = self._make_available_filter(node_name, layers, diskless_flag)
        chosen = self._make_available_pick(rd, flt, use_group=True)
        if chosen is None and diskless_flag:
            # a client may go where the group's filter would not put a disk
            chosen = self._make_available_pick(rd, flt, use_group=False)
        if chosen is None:
            raise _no_pool(node_name, diskless_flag is not None, ctx)
        item = {"node_name": node_name, "props": {C.KEY_STOR_POOL_NAME: chosen.pool}, "layer_list": layers,
                "flags": [diskless_flag] if diskless_flag else []}
        return self.create_resources(rd.name, [item])

    @staticmethod
    def _has_active_drbd_disk(rd: ResourceDefinition) -> bool:
        return any("DRBD" in r.layer_stack and not is_diskless(r) and "INACTIVE" not in r.flags
                   and "DELETE" not in r.flags for r in rd.resources.values())

    @staticmethod
    def _make_available_filter(node_name: str, layers: List[str], diskless_flag: Optional[str]) -> SelectFilter:
        return SelectFilter(place_count=0, additional_place_count=1, node_name_list=(node_name,),
                            layer_stack=tuple(layers), diskless_type=diskless_flag)

    def _make_available_pick(self, rd: ResourceDefinition, flt: SelectFilter, use_group: bool) -> Optional[Chosen]:
        """The one pool the autoplacer picks on the node (``Autoplacer#autoPlace`` with one
        additional replica restricted to that node), or None."""
        if use_group:
            flt = SelectFilter.merge(flt, self.get_resource_group(rd.resource_group_name).select_filter)
        size_kib = sum(vd.size_kib for vd in rd.volume_definitions.values())
        mixing = next((p[C.KEY_RSC_ALLOW_MIXING_DEVICE_KIND] for p in
                       (rd.props, self._resource_group_props(rd.resource_group_name), self.controller_props)
                       if C.KEY_RSC_ALLOW_MIXING_DEVICE_KIND in p), "false")
        selected = select_pools(placement_input.node_snapshots(self), flt, size_kib,
                                self._existing_for_placement(rd), self.controller_props, True,
                                mixing.lower() == "true")
        return selected[0] if selected else None


def _no_pool(node_name: str, diskless: bool, ctx: Context):
    return ctx.error(C.FAIL_NOT_FOUND_STOR_POOL, "Autoplacer could not find %s stor pool on node %s matching "
                                                 "resource-groups autoplace-settings"
                     % ("diskless" if diskless else "diskful", node_name))
