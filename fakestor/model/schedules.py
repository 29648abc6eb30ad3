"""Backup schedules and their association with remotes, resource definitions and groups.

Rules from LINSTOR 1.31.3 (``CtrlScheduleApiCallHandler``, ``ScheduleControllerFactory``,
``CtrlScheduledBackupsApiCallHandler``, ``ScheduleBackupService``). A schedule is enabled for a
remote on a resource definition, a resource group or the controller by the property
``Schedule/<remote>/<schedule>/Enabled`` (``True``/``False``) there; the most specific level
wins. The fake takes no scheduled backups by itself: it lists what would run.

Two things differ from the controller: its replies describe a cron in cron-utils' English
("every hour"); the fake repeats the cron expression instead. And ``next_exec_time`` of the
schedules view is the earlier of the next full and incremental execution.
"""
import datetime as dt
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from linstor import sharedconsts as C

from ..apicallrc import ApiError, Context, RcEntry, bare_error
from . import cron as cronlib
from . import names
from .remotes import Remote, check_host_like_name

NAMESPACE = "Schedule"
KEY_ENABLED = "Enabled"
KEY_PREF_NODE = "PrefNode"
KEY_FORCE_RESTORE = "ForceRestore"
KEY_LAST_BACKUP_TIME = "LastBackupTime"
KEY_LAST_BACKUP_INC = "LastBackupInc"
KEY_RENAME_STORPOOL_MAP = "RenameStorpoolMap"
KEY_DST_RSC_GRP = "TargetResourceGroup"
KEY_DST_RSC_GRP_FORCE = "ForceResourceGroup"
# AbsLayerHelperUtils.RENAME_STOR_POOL_DFLT_KEY: the rename entry of "any pool"
RENAME_DEFAULT_KEY = "*"
ON_FAILURE = ("SKIP", "RETRY")
REASON_NONE_SET, REASON_DISABLED, REASON_UNDEPLOYED = "none set", "disabled", "undeployed"


@dataclass
class Schedule:
    name: str
    uuid: str
    full_cron: str
    inc_cron: Optional[str] = None
    keep_local: Optional[int] = None
    keep_remote: Optional[int] = None
    on_failure: str = "SKIP"
    max_retries: Optional[int] = None
    flags: List[str] = field(default_factory=list)


def schedule_ctx(op: int, name: Optional[str]) -> Context:
    # the controller files the schedule's name under the "Remote" object reference
    return Context(op, C.MASK_SCHEDULE, {C.KEY_REMOTE: str(name)}, "Schedule: %s" % name)


_NOUN = {C.MASK_CRT: "Creation", C.MASK_MOD: "Modification", C.MASK_DEL: "Deletion"}


def _unhandled(ctx: Context, exc_type: str, message: str) -> ApiError:
    name = ctx.refs.get(C.KEY_REMOTE)
    return ctx.error(C.FAIL_UNKNOWN_ERROR, "%s of schedule '%s' failed due to an unhandled exception of type %s. %s"
                     % (_NOUN[ctx.op], name, exc_type, message), report=True)


def _describe(schedule: Schedule) -> str:
    text = "Schedule: %s, FullCron: %s" % (schedule.name, schedule.full_cron)
    if schedule.inc_cron is not None:
        text += ", IncCron: %s" % schedule.inc_cron
    return text


def _on_failure(value: str, ctx: Context) -> str:
    upper = value.upper()
    if upper not in ON_FAILURE:
        raise _unhandled(ctx, "IllegalArgumentException",
                         "No enum constant com.linbit.linstor.core.objects.Schedule.OnFailure.%s" % upper)
    return upper


def schedule_not_registered(name: str, ctx: Optional[Context] = None) -> ApiError:
    msg = "Schedule '%s' not registered." % name
    kw = dict(cause="The specified schedule '%s' could not be found in the database" % name,
              correction="Create a schedule with the name '%s' first." % name)
    if ctx is None:
        return bare_error(C.FAIL_NOT_FOUND_SCHEDULE, msg, **kw)
    return ctx.error(C.FAIL_NOT_FOUND_SCHEDULE, msg, **kw)


def _check_name(name: Optional[str], ctx: Optional[Context]) -> str:
    return check_host_like_name(name, C.FAIL_INVLD_SCHEDULE_NAME, "schedule", ctx)


def _prop_key(remote: str, schedule: str, key: str) -> str:
    return "/".join((NAMESPACE, remote, schedule, key))


class ScheduleOps:
    def _init_state(self) -> None:
        self.schedules: Dict[str, Schedule] = {}

    # -- lookups --------------------------------------------------------------------------
    def list_schedules(self) -> List[Schedule]:
        return [s for _, s in sorted(self.schedules.items())]

    def load_schedule(self, name: Optional[str]) -> Schedule:
        _check_name(name, None)
        schedule = self.schedules.get(names.key(name))
        if schedule is None:
            raise schedule_not_registered(name)
        return schedule

    # -- create / modify / delete -----------------------------------------------------------
    def create_schedule(self, name: Optional[str], full_cron: Optional[str], inc_cron: Optional[str] = None,
                        keep_local: Optional[int] = None, keep_remote: Optional[int] = None,
                        on_failure: Optional[str] = None, max_retries: Optional[int] = None) -> List[RcEntry]:
        ctx = schedule_ctx(C.MASK_CRT, name)
        _check_name(name, ctx)
        if names.key(name) in self.schedules:
            raise ctx.error(C.FAIL_EXISTS_SCHEDULE, "A schedule with the name '%s' already exists. Please use a "
                                                    "different name or try to modify the schedule instead." % name)
        failure = "SKIP" if on_failure is None else _on_failure(on_failure, ctx)
        full = self._parse_cron(full_cron, full_cron, ctx)
        inc = self._parse_cron(inc_cron, inc_cron, ctx) if inc_cron is not None else None
        now = self.clock_datetime()
        errors = []
        if full.next_execution(now) is None:
            errors.append(ctx.entry(C.MASK_ERROR | C.MASK_SCHEDULE, "The cron expression for full backups '%s' has "
                                                                    "no possible future executions." % full_cron,
                                    report=True))
        if inc is not None and inc.next_execution(now) is None:
            errors.append(ctx.entry(C.MASK_ERROR | C.MASK_SCHEDULE, "The cron expression for inc backups '%s' has "
                                                                    "no possible future executions." % inc_cron,
                                    report=True))
        for entry in errors:
            entry.details = ctx.description
        if errors:
            raise ApiError(errors)
        schedule = Schedule(name, self.ids.uuid(), full_cron, inc_cron, keep_local, keep_remote, failure, max_retries)
        self.schedules[names.key(name)] = schedule
        desc = _describe(schedule)
        return [ctx.entry(C.CREATED, "%s created sucessfully." % desc,
                          details="%s UUID is: %s" % (desc, schedule.uuid))]

    @staticmethod
    def _parse_cron(text: Optional[str], shown: Optional[str], ctx: Context) -> cronlib.Cron:
        """The factory's parse: a null cron is an unhandled NullPointerException, a bad one refused."""
        if text is None:
            raise _unhandled(ctx, "NullPointerException", "Expression must not be null")
        try:
            return cronlib.parse(text)
        except cronlib.CronError as err:
            # the factory says "full-cron" for both crons
            raise ctx.error(C.MASK_ERROR | C.MASK_SCHEDULE, 'Error parsing full-cron "%s": %s' % (shown, err))

    def clock_datetime(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.clock.now_ms() / 1000.0, tz=dt.timezone.utc)

    def modify_schedule(self, name: str, full_cron: Optional[str] = None, inc_cron: Optional[str] = None,
                        keep_local: Optional[int] = None, keep_remote: Optional[int] = None,
                        on_failure: Optional[str] = None, max_retries: Optional[int] = None) -> List[RcEntry]:
        ctx = schedule_ctx(C.MASK_MOD, name)
        _check_name(name, ctx)
        schedule = self.schedules.get(names.key(name))
        if schedule is None:
            raise schedule_not_registered(name, ctx)
        changes = {}
        cron_changed = False
        if full_cron:
            try:
                cronlib.parse(full_cron)
            except cronlib.CronError as err:
                raise _unhandled(ctx, "ApiException", "Error parsing full-cron: %s" % err)
            changes["full_cron"], cron_changed = full_cron, True
        if inc_cron is not None:
            if inc_cron:
                try:
                    cronlib.parse(inc_cron)
                except cronlib.CronError as err:
                    raise _unhandled(ctx, "ApiException", "Error parsing inc-cron: %s" % err)
            changes["inc_cron"], cron_changed = inc_cron or None, True
        if keep_local is not None:
            changes["keep_local"] = None if keep_local < 0 else keep_local
        if keep_remote is not None:
            # the controller tests keep_local's sign here: without keep_local it fails
            if keep_local is None:
                raise _unhandled(ctx, "NullPointerException", 'Cannot invoke "java.lang.Integer.intValue()" because '
                                                              '"keepLocalRef" is null')
            changes["keep_remote"] = None if keep_local < 0 else keep_remote
        if on_failure:
            changes["on_failure"] = _on_failure(on_failure, ctx)
        if max_retries is not None:
            changes["max_retries"] = None if max_retries < 0 else max_retries
        for key, value in changes.items():
            setattr(schedule, key, value)
        desc = _describe(schedule) if cron_changed else "Schedule: %s" % schedule.name
        return [ctx.entry(C.MODIFIED, "%s modified sucessfully." % desc,
                          details="%s UUID is: %s" % (desc, schedule.uuid))]

    def delete_schedule(self, name: str) -> List[RcEntry]:
        ctx = schedule_ctx(C.MASK_DEL, name)
        _check_name(name, ctx)
        desc = "Schedule: %s" % name
        schedule = self.schedules.get(names.key(name))
        if schedule is None:
            return [ctx.entry(C.WARN_NOT_FOUND, "%s not found." % desc)]
        self._remove_schedule_props(None, schedule.name)
        del self.schedules[names.key(name)]
        impl = schedule_ctx(C.MASK_MOD, schedule.name)
        return [ctx.entry(C.DELETED, "%s marked for deletion." % desc, details="%s UUID is: %s" % (desc, schedule.uuid)),
                impl.entry(C.DELETED, "Schedule: %s deleted." % schedule.name,
                           details="Schedule: %s UUID was: %s" % (schedule.name, schedule.uuid))]

    # -- properties that associate schedules ------------------------------------------------
    def _remove_schedule_props(self, remote: Optional[str], schedule: Optional[str]) -> None:
        """``ScheduleBackupService.removeAllRelatedProps``: ``Schedule/<remote>/<schedule>/<key>`` entries
        (exactly four parts, names compared case-sensitively) of every definition, their groups and
        the controller."""
        def clean(props: Dict[str, str]) -> None:
            for key in list(props):
                parts = key.split("/")
                if len(parts) == 4 and parts[0] == NAMESPACE and (
                        (remote is not None and parts[1] == remote) or (schedule is not None and parts[2] == schedule)):
                    del props[key]
        groups = set()
        for rd in self.resource_definitions.values():
            clean(rd.props)
            groups.add(names.key(rd.resource_group_name))
        for key in groups:
            group = self.resource_groups.get(key)
            if group is not None:
                clean(group.props)
        clean(self.controller_props)

    def _remove_schedule_props_of_remote(self, remote: Remote) -> None:
        self._remove_schedule_props(remote.name, None)
        super()._remove_schedule_props_of_remote(remote)

    def set_backup_schedule(self, remote_name: str, schedule_name: str, enable: bool, rsc_name: Optional[str] = None,
                            grp_name: Optional[str] = None, node_name: Optional[str] = None,
                            dst_stor_pool: Optional[str] = None, stor_pool_rename: Optional[Dict[str, str]] = None,
                            dst_rsc_grp: Optional[str] = None, force_restore: bool = False,
                            force_mv_rsc_grp: bool = False) -> List[RcEntry]:
        """``PUT .../backups/schedule/{schedule}/enable|disable``."""
        remote = self.load_remote(remote_name)
        schedule = self.load_schedule(schedule_name)
        rename = dict(stor_pool_rename or {}) if enable else {}
        if enable and dst_stor_pool:
            rename[RENAME_DEFAULT_KEY] = dst_stor_pool
        values = {KEY_ENABLED: "True" if enable else "False"}
        if node_name:
            values[KEY_PREF_NODE] = node_name
        for pool, target in rename.items():
            values[KEY_RENAME_STORPOOL_MAP + "/" + pool] = target
        if enable and force_restore:
            values[KEY_FORCE_RESTORE] = "True"
        word = "enabled" if enable else "disabled"
        props, where = self._schedule_level(rsc_name, grp_name)
        if rsc_name and enable and dst_rsc_grp:
            values[KEY_DST_RSC_GRP] = dst_rsc_grp
            if force_mv_rsc_grp:
                values[KEY_DST_RSC_GRP_FORCE] = "True"
        for key, value in values.items():
            props[_prop_key(remote.name, schedule.name, key)] = value
        return [RcEntry(C.MODIFIED, "Backup shipping schedule '%s' sucessfully %s %s to remote '%s'."
                        % (schedule_name, word, where, remote_name))]

    def _schedule_level(self, rsc_name: Optional[str], grp_name: Optional[str]):
        """The properties a schedule switch goes to (resource definition, group or controller)
        and how the reply names that level."""
        if rsc_name:
            return self.get_resource_definition(rsc_name).props, "for resource definition '%s'" % rsc_name
        if grp_name:
            return self.get_resource_group(grp_name).props, "for resource group '%s'" % grp_name
        return self.controller_props, "on controller"

    def delete_backup_schedule(self, remote_name: str, schedule_name: str, rsc_name: Optional[str] = None,
                               grp_name: Optional[str] = None) -> List[RcEntry]:
        """``DELETE .../backups/schedule/{schedule}/delete``: removes Enabled and PrefNode."""
        remote = self.load_remote(remote_name)
        schedule = self.load_schedule(schedule_name)
        props, where = self._schedule_level(rsc_name, grp_name)
        for key in (KEY_ENABLED, KEY_PREF_NODE):
            props.pop(_prop_key(remote.name, schedule.name, key), None)
        return [RcEntry(C.DELETED, "Backup shipping schedule '%s' sucessfully deleted %s to remote '%s'."
                        % (schedule_name, where, remote_name))]

    # -- views --------------------------------------------------------------------------------
    def _schedule_levels(self, rd) -> List[Tuple[str, Dict[str, str]]]:
        group = self.resource_groups.get(names.key(rd.resource_group_name))
        return [("rsc_dfn", rd.props), ("rsc_grp", group.props if group else {}), ("ctrl", self.controller_props)]

    def _effective_schedule_props(self, rd) -> Dict[str, str]:
        """The Schedule namespace of definition, group and controller, the most specific first, relative keys."""
        out: Dict[str, str] = {}
        prefix = NAMESPACE + "/"
        for _, props in reversed(self._schedule_levels(rd)):
            for key, value in props.items():
                if key.startswith(prefix):
                    out[key[len(prefix):]] = value
        return out

    def scheduled_resources(self, rsc: Optional[str] = None, remote: Optional[str] = None,
                            schedule: Optional[str] = None, active_only: bool = False) -> List[dict]:
        """``GET /v1/view/schedules-by-resource`` (``listScheduledRscs``), as wire-ready dicts."""
        out = []
        for _, rd in sorted(self.resource_definitions.items()):
            props = self._effective_schedule_props(rd)
            enabled = [(k.split("/")[0], k.split("/")[1], v) for k, v in sorted(props.items())
                       if len(k.split("/")) == 3 and k.split("/")[2] == KEY_ENABLED]
            active = [(r, s) for r, s, v in enabled if v.lower() == "true" and
                      names.key(r) in self.remotes and names.key(s) in self.schedules]
            if rd.resources:
                for r, s in active:
                    if rsc and names.key(rsc) != names.key(rd.name) or remote and remote.lower() != r.lower() or \
                            schedule and schedule.lower() != s.lower():
                        continue
                    out.append(self._active_entry(rd, self.remotes[names.key(r)], self.schedules[names.key(s)]))
            if active_only or (rsc and names.key(rsc) != names.key(rd.name)):
                continue
            set_true = any(v != "False" for _, _, v in enabled)
            disabled = [(r, s) for r, s, v in enabled if v == "False"]
            if not enabled or (not set_true and not disabled):
                out.append(_idle(rd.name, None, None, REASON_NONE_SET))
            elif not set_true:
                out += [_idle(rd.name, r, s, REASON_DISABLED) for r, s in disabled]
            elif not rd.resources:
                out.append(_idle(rd.name, None, None, REASON_UNDEPLOYED))
        out.sort(key=lambda e: (e["rsc_name"], e.get("remote_name") or "", e.get("schedule_name") or ""))
        return out

    def _active_entry(self, rd, remote: Remote, schedule: Schedule) -> dict:
        base = _prop_key(remote.name, schedule.name, "")
        last = rd.props.get(base + KEY_LAST_BACKUP_TIME)
        last_inc = rd.props.get(base + KEY_LAST_BACKUP_INC)
        since = dt.datetime.fromtimestamp(int(last) / 1000.0, tz=dt.timezone.utc) if last else self.clock_datetime()
        full_next = cronlib.parse(schedule.full_cron).next_execution(since)
        inc_next = cronlib.parse(schedule.inc_cron).next_execution(since) if schedule.inc_cron else None
        planned_full = int(full_next.timestamp()) * 1000 if full_next else -1
        planned_inc = int(inc_next.timestamp()) * 1000 if inc_next else -1
        next_inc = planned_inc != -1 and (planned_full == -1 or planned_inc < planned_full)
        return {"rsc_name": rd.name, "remote_name": remote.name, "schedule_name": schedule.name,
                "last_snap_time": int(last) if last else -1, "last_snap_inc": last_inc == "True",
                "next_exec_time": planned_inc if next_inc else planned_full, "next_exec_inc": next_inc,
                "next_planned_full": planned_full, "next_planned_inc": planned_inc}

    def schedule_details(self, rsc_name: str) -> List[dict]:
        """``GET /v1/view/schedules-by-resource/{rsc}``: each Enabled key and its value per level."""
        rd = self.get_resource_definition(rsc_name)
        found: Dict[Tuple[str, str], dict] = {}
        prefix = NAMESPACE + "/"
        for level, props in self._schedule_levels(rd):
            for key, value in props.items():
                parts = key[len(prefix):].split("/") if key.startswith(prefix) else []
                if len(parts) == 3 and parts[2] == KEY_ENABLED:
                    entry = found.setdefault((parts[0], parts[1]), {"remote_name": parts[0], "schedule_name": parts[1]})
                    if value in ("True", "False"):
                        entry[level] = value == "True"
        return [found[k] for k in sorted(found)]


def _idle(rsc_name: str, remote: Optional[str], schedule: Optional[str], reason: str) -> dict:
    out = {"rsc_name": rsc_name}
    if remote is not None:
        out["remote_name"] = remote
    if schedule is not None:
        out["schedule_name"] = schedule
    out.update({"reason": reason, "last_snap_time": -1, "last_snap_inc": False, "next_exec_time": -1,
                "next_exec_inc": False, "next_planned_full": -1, "next_planned_inc": -1})
    return out
