"""Resource definitions and volume definitions: names, TCP ports, minors, sizes.

Rules from LINSTOR 1.31.3 (``CtrlRscDfnApiCallHandler``, ``CtrlVlmDfnApiCallHandler``,
``CtrlVlmDfnModifyApiCallHandler``, ``CtrlRscDfnDeleteApiCallHandler``,
``CtrlVlmDfnDeleteApiCallHandler``, ``ExternalNameConverter``).
"""
import math
import string
import uuid as uuidlib
from typing import Dict, List, Optional

from linstor import sharedconsts as C

from ..apicallrc import ApiError, Context, RcEntry, bare_error
from . import names, numbers
from . import props as propslib
from .objects import ResourceDefinition, VolumeDefinition

DFLT_RSC_GRP = "DfltRscGrp"
LAYER_KINDS = ("DRBD", "LUKS", "STORAGE", "NVME", "WRITECACHE", "CACHE", "BCACHE")
DEFAULT_LAYER_STACK = ["DRBD", "STORAGE"]
VLM_DFN_FLAGS = ("ENCRYPTED", "GROSS_SIZE")
# MetaData.DRBD_MIN_NET_kiB / DRBD_MAX_kiB: the sizes a DRBD volume may have
DRBD_MIN_KIB = 4
MAX_VLM_SIZE_KIB = 1 << 40
# DeviceProviderKind entries that cannot shrink (every other kind this fake knows can)
NO_SHRINK_KINDS = ("STORAGE_SPACES", "STORAGE_SPACES_THIN")

# ExternalNameConverter: punctuation that becomes '_' when a name is translated
_REPLACEABLE = set(b" !@#$%^&*()+=[]{}:;\"'<>?,./~")
_MAX_EXT_NAME_BYTES = 256
_SECRET_CHARS = string.ascii_letters + string.digits


def rd_ctx(op: int, name: str) -> Context:
    return Context(op, C.MASK_RSC_DFN, {C.KEY_RSC_DFN: name}, "Resource definition: %s" % name)


def vd_ctx(op: int, rsc_name: str, vlm_nr) -> Context:
    return Context(op, C.MASK_VLM_DFN, {C.KEY_RSC_DFN: rsc_name, C.KEY_VLM_NR: str(vlm_nr)},
                   "Resource definition: %s, Volume number: %s" % (rsc_name, vlm_nr))


def vds_ctx(op: int, rsc_name: str) -> Context:
    """The context of a volume definition create call (``CtrlVlmDfnApiCallHandler``)."""
    return Context(op, C.MASK_VLM_DFN, {C.KEY_RSC_DFN: rsc_name},
                   "Volume definitions for resource definition '%s'" % rsc_name)


def vd_inline(rsc_name: str, vlm_nr: int) -> str:
    return "volume definition with number '%d' of resource definition '%s'" % (vlm_nr, rsc_name)


def rsc_dfn_not_found(name: str, ctx: Optional[Context] = None) -> ApiError:
    msg = "Resource definition '%s' not found." % name
    cause = "The specified resource definition '%s' could not be found in the database" % name
    correction = "Create a resource definition with the name '%s' first." % name
    if ctx is None:
        return bare_error(C.FAIL_NOT_FOUND_RSC_DFN, msg, cause=cause, correction=correction)
    return ctx.error(C.FAIL_NOT_FOUND_RSC_DFN, msg, cause=cause, correction=correction)


def rd_has_drbd(rd: ResourceDefinition) -> bool:
    """Whether the definition's volumes need DRBD data (a minor) when they are created."""
    return rd.port is not None or "DRBD" in rd.layer_stack or any(
        "DRBD" in r.layer_stack for r in rd.resources.values())


def _java_byte(value: int) -> int:
    return value - 256 if value > 127 else value


def _translate(data: bytes) -> Optional[str]:
    out = []
    for idx, value in enumerate(data[:48]):
        ch = chr(value)
        if ch.isascii() and (ch.isalpha() or ch == "_" or (idx >= 1 and (ch.isdigit() or ch == "-"))):
            out.append(ch)
        elif value in _REPLACEABLE:
            out.append("_")
        else:
            # Java: Math.abs(byte % 52), mapped onto A-Z a-z
            code = abs(int(math.fmod(_java_byte(value), 52)))
            out.append(chr(ord("A") + code) if code < 26 else chr(ord("a") + code - 26))
    name = "".join(out)
    try:
        return names.check_resource_name(name)
    except names.InvalidName:
        return None


def name_from_external(external: str, taken, rng) -> str:
    """The resource name the controller derives from an external name (``ExternalNameConverter``)."""
    data = external.encode("utf-8")
    name = None
    if data:
        trunc = data[:48].decode("utf-8", errors="ignore")
        try:
            name = "LS_" + str(uuidlib.UUID(trunc)).upper()
        except ValueError:
            name = None
        if name is None:
            try:
                name = names.check_resource_name(trunc)
            except names.InvalidName:
                name = _translate(data)
    if name is None or names.key(name) in taken:
        name = "LS_" + str(uuidlib.UUID(int=rng.getrandbits(128), version=4))
    return name


def parse_layer_list(layers, ctx: Context) -> List[str]:
    out = []
    for layer in layers or []:
        kind = str(layer).upper()
        if kind not in LAYER_KINDS:
            raise ctx.error(C.FAIL_INVLD_LAYER_KIND, "Given layer kind '%s' is invalid" % layer, report=True)
        out.append(kind)
    if len(set(out)) != len(out):
        raise ctx.error(C.FAIL_INVLD_LAYER_STACK, "The layer stack %s is invalid" % out, report=True)
    return out


def storage_layer_warning(ctx: Context) -> RcEntry:
    return ctx.entry(C.WARN_STORAGE_KIND_ADDED, "The layerstack was extended with STORAGE kind.",
                     details="Layer stacks have to be based on STORAGE kind. Layers configured to be diskless\n"
                             "will not use the additional STORAGE layer.")


def complete_layer_stack(layers: List[str], ctx: Context, entries: List[RcEntry]) -> List[str]:
    """A non-empty stack must end with STORAGE; the controller appends it and warns."""
    if layers and layers[-1] != "STORAGE":
        entries.append(storage_layer_warning(ctx))
        layers = [layer for layer in layers if layer != "STORAGE"] + ["STORAGE"]
    return layers


class ResourceDefinitionOps:
    def _init_state(self) -> None:
        self.resource_definitions: Dict[str, ResourceDefinition] = {}

    # -- hooks other areas override ---------------------------------------------------------
    def _resource_group_exists(self, name: str) -> bool:
        """Resource groups live in their own area; until it exists only the default group does."""
        return names.key(name) == names.key(DFLT_RSC_GRP)

    def _resource_group_display_name(self, name: str) -> str:
        """The group's name as it was created (lookups are case-insensitive)."""
        return DFLT_RSC_GRP if names.key(name) == names.key(DFLT_RSC_GRP) else name

    def _resource_group_props(self, name: str) -> Dict[str, str]:
        return {}

    def _rsc_dfn_has_snapshots(self, rd: ResourceDefinition) -> bool:
        return False

    # -- number pools -------------------------------------------------------------------------
    def _tcp_port_range(self):
        return numbers.parse_range(self.controller_props.get(C.KEY_TCP_PORT_AUTO_RANGE), numbers.TCP_PORT_RANGE)

    def _minor_range(self):
        return numbers.parse_range(self.controller_props.get(C.KEY_MINOR_NR_AUTO_RANGE), numbers.MINOR_RANGE)

    def _allocate_port(self, requested, ctx: Context, name: str) -> int:
        details = "The name for the new resource definition was '%s'" % name
        used = self.used_tcp_ports()
        if requested is not None:
            if not numbers.in_limits(requested, numbers.TCP_PORT_LIMITS) or requested in used:
                raise ctx.error(C.FAIL_INVLD_RSC_PORT, "The creation of a new resource definition failed due to "
                                                       "an invalid TCP port number",
                                cause="The specified number %s is not a valid TCP port number" % requested,
                                details=details, report=True)
            return requested
        port = self.lowest_free_number("ports", self._tcp_port_range())
        if port is None:
            raise ctx.error(C.FAIL_POOL_EXHAUSTED_TCP_PORT,
                            "The creation of a new resource definition failed, because no TCP port number\n"
                            "could be allocated for the resource definition",
                            cause="TCP port number allocation failed, because the pool of free numbers is exhausted",
                            correction="- Increase the size of the free TCP port number pool by extending the\n"
                                       "  port number range for automatic allocation\n"
                                       "or\n"
                                       "- Delete existing resource definitions that have a TCP port number within\n"
                                       "  the port number range for automatic allocation, if those resource "
                                       "definitions\n  are no longer needed",
                            details=details, report=True)
        return port

    def _allocate_minor(self, requested, ctx: Context, exclude=()) -> int:
        used, exclude = self.used_minors(), set(exclude)
        if requested is not None:
            if not numbers.in_limits(requested, numbers.MINOR_LIMITS) or requested in used or requested in exclude:
                raise ctx.error(C.FAIL_INVLD_MINOR_NR, "The specified minor number '%s' is invalid." % requested)
            return requested
        minor = self.lowest_free_number("minors", self._minor_range(), exclude)
        if minor is None:
            raise ctx.error(C.FAIL_POOL_EXHAUSTED_MINOR_NR, "Could not find free minor number", report=True)
        return minor

    def _ensure_drbd_data(self, rd: ResourceDefinition, ctx: Context) -> None:
        """What the first DRBD resource of a definition creates: its port and the volumes' minors.
        Checks everything before it assigns anything."""
        port = rd.port if rd.port is not None else self._allocate_port(None, ctx, rd.name)
        minors = {}
        for nr, vd in sorted(rd.volume_definitions.items()):
            if vd.minor_number is None:
                minors[nr] = self._allocate_minor(None, ctx, exclude=minors.values())
        rd.port = port
        for nr, minor in minors.items():
            rd.volume_definitions[nr].minor_number = minor
        self._touch_rd(rd.name)

    def _new_secret(self) -> str:
        rng = self.ids.random()
        return "".join(rng.choice(_SECRET_CHARS) for _ in range(20))

    # -- lookups ----------------------------------------------------------------------------
    def get_resource_definition(self, name: str, ctx: Optional[Context] = None) -> ResourceDefinition:
        rd = self.resource_definitions.get(names.key(name)) if isinstance(name, str) else None
        if rd is None:
            raise rsc_dfn_not_found(name, ctx)
        return rd

    def list_resource_definitions(self, names_filter=None, props=None) -> List[ResourceDefinition]:
        wanted = {names.key(n) for n in names_filter} if names_filter else None
        return [rd for k, rd in sorted(self.resource_definitions.items())
                if (wanted is None or k in wanted) and (not props or propslib.matches_filter(rd.props, props))]

    def get_volume_definition(self, rsc_name: str, vlm_nr: int, ctx: Optional[Context] = None) -> VolumeDefinition:
        rd = self.get_resource_definition(rsc_name, ctx)
        vd = rd.volume_definitions.get(vlm_nr)
        if vd is None:
            msg = "Volume definition '%s' with volume number '%s' not found." % (rd.name, vlm_nr)
            raise ctx.error(C.FAIL_NOT_FOUND_VLM_DFN, msg) if ctx else bare_error(C.FAIL_NOT_FOUND_VLM_DFN, msg)
        return vd

    # -- resource definitions ---------------------------------------------------------------
    def create_resource_definition(self, name: Optional[str] = "", external_name: Optional[str] = None,
                                   port: Optional[int] = None, props: Optional[Dict[str, str]] = None,
                                   layer_stack: Optional[List[str]] = None, resource_group: Optional[str] = None,
                                   peer_slots: Optional[int] = None, secret: Optional[str] = None,
                                   transport_type: Optional[str] = None) -> List[RcEntry]:
        name = name or ""
        ctx = rd_ctx(C.MASK_CRT, name)
        entries: List[RcEntry] = []
        if name:
            try:
                names.check_resource_name(name)
            except names.InvalidName as err:
                raise ctx.error(C.FAIL_INVLD_RSC_NAME, "The specified resource name '%s' is invalid." % name,
                                cause=str(err), report=True)
        elif external_name is None:
            raise ctx.error(C.FAIL_MISSING_EXT_NAME,
                            "The resource name generation for the creation of a new resource definition failed",
                            cause="Name generation was selected by specifying a zero-length resource name,\n"
                                  "but the external name field required for name generation is not present\n"
                                  "in the API call data", report=True)
        if external_name:
            if len(external_name.encode("utf-8")) > _MAX_EXT_NAME_BYTES:
                raise ctx.error(C.FAIL_INVLD_RSC_NAME, "The specified resource name '%s' is invalid." % name,
                                cause="Resource name generation failed, data input length of %d bytes exceeds "
                                      "maximum length of %d bytes" % (len(external_name.encode("utf-8")),
                                                                      _MAX_EXT_NAME_BYTES), report=True)
            if any(rd.external_name == external_name for rd in self.resource_definitions.values()):
                raise ctx.error(C.FAIL_EXISTS_EXT_NAME, "The specified external name is already registered",
                                details="The external name data is:\n%s" % external_name)
        if not name:
            name = name_from_external(external_name, self.resource_definitions, self.ids.random())
            ctx = rd_ctx(C.MASK_CRT, name)
        layers = complete_layer_stack(parse_layer_list(layer_stack, ctx), ctx, entries)
        group = resource_group or DFLT_RSC_GRP
        if not self._resource_group_exists(group):
            raise ctx.error(C.FAIL_NOT_FOUND_RSC_GRP, "Resource group '%s' could not be found." % group)
        group = self._resource_group_display_name(group)
        if names.key(name) in self.resource_definitions:
            raise ctx.error(C.FAIL_EXISTS_RSC_DFN, "A resource definition with the name '%s' already exists" % name)
        # the DRBD layer data (and its port) exists from the start only when asked for; otherwise the
        # first DRBD resource creates it
        wants_drbd = "DRBD" in layers or any(v is not None for v in (port, secret, peer_slots, transport_type))
        drbd_port = self._allocate_port(port, ctx, name) if wants_drbd else None
        new_props = propslib.apply_changes({}, "resource-definition", ctx, props)
        rd = ResourceDefinition(name=name, uuid=self.ids.uuid(), external_name=external_name or None,
                                resource_group_name=group, props=new_props, layer_stack=layers, port=drbd_port,
                                secret=secret or self._new_secret(), peer_slots=peer_slots or self._peer_slots(new_props),
                                transport_type=transport_type or "IP")
        self.resource_definitions[names.key(name)] = rd
        self._touch_rd(name)
        entries.append(ctx.entry(C.CREATED, "New resource definition '%s' created." % name,
                                 details="Resource definition '%s' UUID is: %s" % (name, rd.uuid),
                                 refs={"UUID": rd.uuid}))
        return entries

    def _peer_slots(self, rd_props: Dict[str, str]) -> int:
        for source in (rd_props, self.controller_props):
            value = source.get(C.KEY_PEER_SLOTS_NEW_RESOURCE)
            if value and value.isdigit():
                return int(value)
        return numbers.DEFAULT_PEER_SLOTS

    def modify_resource_definition(self, name: str, override=None, delete=None, delete_namespaces=None,
                                   peer_slots: Optional[int] = None, port: Optional[int] = None,
                                   layer_stack: Optional[List[str]] = None,
                                   resource_group: Optional[str] = None) -> List[RcEntry]:
        ctx = rd_ctx(C.MASK_MOD, name)
        rd = self.get_resource_definition(name, ctx)
        entries: List[RcEntry] = []
        new_port = rd.port
        if port is not None and port != rd.port:
            if not numbers.in_limits(port, numbers.TCP_PORT_LIMITS) or port in self.used_tcp_ports():
                raise ctx.error(C.FAIL_INVLD_RSC_PORT, "The specified TCP port '%s' is invalid." % port, report=True)
            new_port = port
        new_props = propslib.apply_changes(rd.props, "resource-definition", ctx, override, delete, delete_namespaces)
        new_layers = rd.layer_stack
        if layer_stack:
            new_layers = complete_layer_stack(parse_layer_list(layer_stack, ctx), ctx, entries)
            if new_layers != rd.layer_stack and rd.resources:
                raise ctx.error(C.FAIL_EXISTS_RSC, "Changing the layer stack with already deployed resource is "
                                                   "not supported", report=True)
        if new_port is None and ("DRBD" in new_layers or peer_slots is not None):
            new_port = self._allocate_port(None, ctx, rd.name)
        new_group = rd.resource_group_name
        if resource_group is not None and names.key(resource_group) != names.key(rd.resource_group_name):
            if not self._resource_group_exists(resource_group):
                raise ctx.error(C.FAIL_NOT_FOUND_RSC_GRP, "Resource group '%s' not found." % resource_group,
                                cause="The specified resource group '%s' could not be found in the database"
                                      % resource_group,
                                correction="Create a resource group with the name '%s' first." % resource_group)
            new_group = self._resource_group_display_name(resource_group)
        rd.props, rd.port, rd.layer_stack, rd.resource_group_name = new_props, new_port, new_layers, new_group
        self._touch_rd(rd.name)
        if peer_slots is not None:
            rd.peer_slots = peer_slots
        entries.insert(0, ctx.entry(C.MODIFIED, "Resource definition '%s' modified." % rd.name,
                                    details="Resource definition '%s' UUID is: %s" % (rd.name, rd.uuid),
                                    refs={"UUID": rd.uuid}))
        return entries

    def delete_resource_definition(self, name: str) -> List[RcEntry]:
        ctx = rd_ctx(C.MASK_DEL, name)
        rd = self.resource_definitions.get(names.key(name))
        if rd is None:
            return [ctx.entry(C.WARN_NOT_FOUND, "Resource definition: %s not found." % name)]
        if self._rsc_dfn_has_snapshots(rd):
            raise ctx.error(C.FAIL_EXISTS_SNAPSHOT_DFN, "Cannot delete resource definition '%s' because it has "
                                                        "snapshots." % rd.name)
        # v1.31.3 commits the DELETE flag before it checks for resources in use
        if "DELETE" not in rd.flags:
            rd.flags.append("DELETE")
        for rsc in rd.resources.values():
            if rsc.in_use:
                raise ctx.error(C.FAIL_IN_USE, "Resource '%s' on node '%s' is still in use." % (rd.name, rsc.node_name),
                                cause="Resource is mounted/in use.",
                                correction="Un-mount resource '%s' on the node '%s'." % (rd.name, rsc.node_name))
        for rsc in list(rd.resources.values()):
            self._drop_resource(rd, rsc)
        del self.resource_definitions[names.key(name)]
        self._touch_rd(name)
        return [ctx.entry(C.DELETED, "Resource definition '%s' deleted." % rd.name,
                          details="Resource definition '%s' UUID was: %s" % (rd.name, rd.uuid),
                          refs={"UUID": rd.uuid})]

    # -- volume definitions -------------------------------------------------------------------
    def create_volume_definition(self, rsc_name: str, size_kib, volume_number: Optional[int] = None,
                                 minor_number: Optional[int] = None, flags: Optional[List[str]] = None,
                                 props: Optional[Dict[str, str]] = None) -> List[RcEntry]:
        # the lookup and the volume number belong to the call's context (no volume number yet)
        outer = vds_ctx(C.MASK_CRT, rsc_name)
        rd = self.get_resource_definition(rsc_name, outer)
        if volume_number is None:
            volume_number = numbers.lowest_free(numbers.VOLUME_NR_LIMITS, rd.volume_definitions)
            if volume_number is None:
                raise outer.error(C.FAIL_POOL_EXHAUSTED_VLM_NR,
                                  "An exception occurred during generation of a volume number.", report=True)
        ctx = vd_ctx(C.MASK_CRT, rd.name, volume_number)
        if not numbers.in_limits(volume_number, numbers.VOLUME_NR_LIMITS):
            raise outer.error(C.FAIL_INVLD_VLM_NR, "The specified volume number '%s' is invalid. Volume numbers "
                                                   "have to be in range of 0 - 65534." % volume_number, report=True)
        if volume_number in rd.volume_definitions:
            raise ctx.error(C.FAIL_EXISTS_VLM_DFN, "A volume definition with the number %d already exists in "
                                                   "resource definition '%s'." % (volume_number, rd.name))
        drbd = rd_has_drbd(rd) or minor_number is not None
        low = DRBD_MIN_KIB if drbd else 1
        if not numbers.in_limits(size_kib, (low, MAX_VLM_SIZE_KIB)):
            raise ctx.error(C.FAIL_INVLD_VLM_SIZE, "The %s has an invalid size of '%s'. Valid sizes range from %d to %d."
                            % (vd_inline(rd.name, volume_number), size_kib, low, MAX_VLM_SIZE_KIB))
        minor = None
        if drbd:
            minor = self._allocate_minor(minor_number, ctx)
        wanted_flags = [f.upper() for f in flags or []]
        if "ENCRYPTED" in wanted_flags:
            self.require_crypt_key(ctx)
        new_props = propslib.apply_changes({}, "volume-definition", ctx, props)
        vd = VolumeDefinition(volume_number, size_kib, self.ids.uuid(), minor, new_props,
                              [f for f in VLM_DFN_FLAGS if f in wanted_flags])
        # existing resources get the new volume: all of them or, when a pool lacks room, none
        plans = [(rsc, self._plan_volume(rd, rsc, vd, ctx)) for rsc in rd.resources.values()]
        self._check_plans_fit([p for _, p in plans], rd, ctx)
        rd.volume_definitions[volume_number] = vd
        self._touch_rd(rd.name)
        entries = [ctx.entry(C.CREATED, "New volume definition with number '%d' of resource definition '%s' created."
                             % (volume_number, rd.name))]
        for rsc, plan in plans:
            self._add_volume(rsc, vd, plan)
            entries.append(outer.entry(C.MODIFIED, "Created volume for resource '%s' on '%s'"
                                       % (rd.name, rsc.node_name)))
        return entries

    def modify_volume_definition(self, rsc_name: str, vlm_nr: int, size_kib: Optional[int] = None, override=None,
                                 delete=None, delete_namespaces=None, flags: Optional[List[str]] = None
                                 ) -> List[RcEntry]:
        ctx = vd_ctx(C.MASK_MOD, rsc_name, vlm_nr)
        rd = self.get_resource_definition(rsc_name, ctx)
        vd = self.get_volume_definition(rsc_name, vlm_nr, ctx)
        new_props = propslib.apply_changes(vd.props, "volume-definition", ctx, override, delete, delete_namespaces)
        entries: List[RcEntry] = []
        new_flags = list(vd.flags)
        for flag in flags or []:
            flag = flag.upper()
            if flag == "-GROSS_SIZE" and "GROSS_SIZE" in new_flags:
                new_flags.remove("GROSS_SIZE")
            elif flag == "GROSS_SIZE" and "GROSS_SIZE" not in new_flags:
                if rd.resources:
                    self._ensure_shrink_supported(rd, ctx)
                new_flags.append("GROSS_SIZE")
        new_size = vd.size_kib
        grow = 0
        if size_kib is not None:
            if not numbers.in_limits(size_kib, (1, MAX_VLM_SIZE_KIB)):
                raise ctx.error(C.FAIL_INVLD_VLM_SIZE, "The given size [%sKiB] is too %s"
                                % (size_kib, "small" if isinstance(size_kib, int) and size_kib < 1 else "large"),
                                report=True)
            diff = size_kib - vd.size_kib
            if diff < 0:
                # v1.31.3 only flags the shrink; the stored size stays (fixed in v1.33.3)
                self._ensure_shrink_supported(rd, ctx)
                if "RESIZE_SHRINK" not in new_flags:
                    new_flags.append("RESIZE_SHRINK")
            elif diff == 0:
                entries.append(ctx.entry(C.WARN_VLMDFN_RESIZE_SAME_SIZE, "VolumeDefinition already has the expected "
                                                                          "size, no satellite update will be "
                                                                          "triggered."))
            else:
                self._ensure_room_to_grow(rd, vd, diff, ctx)
                new_size, grow = size_kib, diff
        vd.props, vd.flags, vd.size_kib = new_props, new_flags, new_size
        self._touch_rd(rd.name)
        if grow:
            self._grow_volumes(rd, vd)
        desc = vd_inline(rd.name, vlm_nr)
        entries.append(ctx.entry(C.MODIFIED, "%s modified." % (desc[0].upper() + desc[1:]),
                                 details="%s UUID is: %s" % (desc[0].upper() + desc[1:], vd.uuid),
                                 refs={"UUID": vd.uuid}))
        return entries

    def _ensure_shrink_supported(self, rd: ResourceDefinition, ctx: Context) -> None:
        kinds = {vlm.provider_kind for rsc in rd.resources.values() for vlm in rsc.volumes.values()}
        if kinds & set(NO_SHRINK_KINDS):
            raise ctx.error(C.FAIL_INVLD_VLM_SIZE, "Deployed volumes can only grow in size, not shrink. Changing "
                                                   "volume's size from usable (net) to allocated (gross) could "
                                                   "require the volume to shrink", report=True)

    def _ensure_room_to_grow(self, rd: ResourceDefinition, vd: VolumeDefinition, diff: int, ctx: Context) -> None:
        short = []
        for rsc in rd.resources.values():
            vlm = rsc.volumes.get(vd.volume_number)
            if vlm is None:
                continue
            pool = self._volume_pool(rsc, vlm)
            if pool is not None and self._is_thick(pool) and (pool.free_capacity or 0) < diff:
                short.append("Node: %s, StorPool: %s" % (pool.node_name, pool.name))
        if short:
            raise ctx.error(C.FAIL_NOT_ENOUGH_FREE_SPACE, "Cannot grow the volume definition by %dKiB, as the "
                                                          "following storage pool do not have enough free space:\n%s"
                            % (diff, "\n".join(sorted(short))), report=True)

    def delete_volume_definition(self, rsc_name: str, vlm_nr: int) -> List[RcEntry]:
        ctx = vd_ctx(C.MASK_DEL, rsc_name, vlm_nr)
        rd = self.get_resource_definition(rsc_name, ctx)
        vd = rd.volume_definitions.get(vlm_nr)
        if vd is None:
            return [ctx.entry(C.WARN_NOT_FOUND, "Resource definition: %s, Volume number: %s not found."
                              % (rsc_name, vlm_nr))]
        for rsc in rd.resources.values():
            if rsc.in_use:
                raise ctx.error(C.MASK_RSC_DFN | C.MASK_DEL | C.FAIL_IN_USE, "Resource '%s' on node '%s' is still in "
                                                                             "use." % (rd.name, rsc.node_name),
                                cause="Resource is mounted/in use.",
                                correction="Un-mount resource '%s' on the node '%s'." % (rd.name, rsc.node_name))
        entries = []
        desc = vd_inline(rd.name, vlm_nr)
        desc = desc[0].upper() + desc[1:]
        entries.append(ctx.entry(C.DELETED, "%s marked for deletion." % desc,
                                 details="%s UUID is: %s" % (desc, vd.uuid)))
        for rsc in rd.resources.values():
            vlm = rsc.volumes.pop(vlm_nr, None)
            if vlm is not None:
                self._release_volume(rsc, vlm)
                entries.append(ctx.entry(C.MODIFIED, "Deleted volume %d of '%s' on '%s'"
                                         % (vlm_nr, rd.name, rsc.node_name)))
        del rd.volume_definitions[vlm_nr]
        self._touch_rd(rd.name)
        entries.append(ctx.entry(C.DELETED, "%s deleted." % desc, details="%s UUID was: %s" % (desc, vd.uuid)))
        return entries
