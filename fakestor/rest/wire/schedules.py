"""Wire JSON of schedules (``Json.apiToSchedule``) and the schedule views."""
from typing import List

from ...model.schedules import Schedule


def schedule(s: Schedule) -> dict:
    out = {"schedule_name": s.name, "full_cron": s.full_cron, "inc_cron": s.inc_cron, "keep_local": s.keep_local,
           "keep_remote": s.keep_remote, "on_failure": s.on_failure, "max_retries": s.max_retries}
    return {k: v for k, v in out.items() if v is not None and v != ""}  # NON_EMPTY


def data_list(items: List[dict]) -> dict:
    # {"data": [...]}; an empty list is left out (NON_EMPTY)
    return {"data": items} if items else {}


def schedule_list(schedules: List[Schedule]) -> dict:
    return data_list([schedule(s) for s in schedules])
