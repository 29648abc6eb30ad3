"""Unix cron expressions as the controller reads a schedule's crons.

LINSTOR 1.31.3 parses them with cron-utils' ``CronType.UNIX`` definition (five fields:
minute, hour, day of month, month, day of week; ``*``, ranges, steps, lists, month and
weekday names, weekday 0 or 7 for Sunday; no ``?``, ``L``, ``W`` or ``#``) and refuses a cron without a future execution.
cron-utils' texts are kept for the errors it words plainly (parts, empty, invalid characters,
a question mark); a value out of range or a bad range or step is refused with a text of the
same form that may differ in its words.
"""
import datetime as dt
import re
from typing import List, NamedTuple, Optional, Set

_MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
_DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]


class CronError(ValueError):
    """cron-utils' IllegalArgumentException: its message goes into the controller's reply."""


class _Field(NamedTuple):
    name: str
    low: int
    high: int
    names: Optional[List[str]]
    name_base: int


_FIELDS = (_Field("minute", 0, 59, None, 0), _Field("hour", 0, 23, None, 0), _Field("day of month", 1, 31, None, 0),
           _Field("month", 1, 12, _MONTHS, 1), _Field("day of week", 0, 7, _DAYS, 0))


class Cron(NamedTuple):
    text: str
    minutes: Set[int]
    hours: Set[int]
    days: Set[int]
    months: Set[int]
    weekdays: Set[int]  # 0 = Sunday
    any_day: bool
    any_weekday: bool

    def next_execution(self, after: dt.datetime, years: int = 8) -> Optional[dt.datetime]:
        """The first minute strictly after ``after`` the cron fires at, or None within ``years``."""
        start = after.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
        day = start.date()
        end = day + dt.timedelta(days=366 * years)
        while day < end:
            if day.month in self.months and self._day_matches(day):
                first = start.time() if day == start.date() else dt.time(0, 0)
                for hour in sorted(self.hours):
                    if hour < first.hour:
                        continue
                    for minute in sorted(self.minutes):
                        if hour == first.hour and minute < first.minute:
                            continue
                        return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=after.tzinfo)
            day += dt.timedelta(days=1)
        return None

    def _day_matches(self, day: dt.date) -> bool:
        dom = day.day in self.days
        dow = (day.isoweekday() % 7) in self.weekdays
        if self.any_day and self.any_weekday:
            return True
        if self.any_day:
            return dow
        if self.any_weekday:
            return dom
        return dom or dow


def _value(text: str, field: _Field) -> int:
    if field.names and text in field.names:
        return field.names.index(text) + field.name_base
    if not re.fullmatch(r"[+-]?[0-9]+", text):
        # cron-utils names what is left once digits, names and the special characters are taken out
        left = text
        for name in field.names or []:
            left = left.replace(name, "")
        left = re.sub(r"[0-9*/,\-]", "", left)
        raise CronError("Invalid chars in expression! Expression: %s Invalid chars: %s" % (text, left))
    number = int(text)
    if not field.low <= number <= field.high:
        raise CronError("Value %d not in range [%d, %d]" % (number, field.low, field.high))
    return number


def _parse_field(text: str, field: _Field) -> Set[int]:
    out: Set[int] = set()
    for part in text.split(","):
        if "?" in part and not re.search(r"[/,\-]", part):
            raise CronError("Invalid expression: %s" % part)
        if part == "":
            raise CronError("Invalid field value! Trailing commas not permitted! '%s'" % text)
        base, _, step_text = part.partition("/")
        step = 1
        if step_text:
            if not re.fullmatch(r"[0-9]+", step_text) or int(step_text) == 0:
                raise CronError("Invalid step value '%s' for field %s" % (step_text, field.name))
            step = int(step_text)
        if base == "*":
            low, high = field.low, field.high
        elif "-" in base:
            first, _, last = base.partition("-")
            low, high = _value(first, field), _value(last, field)
            if low > high:
                raise CronError("Invalid range! [%d,%d]" % (low, high))
        else:
            low = _value(base, field)
            high = field.high if step_text else low
        out.update(range(low, high + 1, step))
    return out


def parse(text: Optional[str]) -> Cron:
    if text is None:
        raise CronError("Expression must not be null")
    clean = re.sub(r"\s+", " ", text).strip()
    if not clean:
        raise CronError("Empty expression!")
    parts = clean.upper().split(" ")
    if len(parts) != len(_FIELDS):
        raise CronError("Cron expression contains %d parts but we expect one of [%d]" % (len(parts), len(_FIELDS)))
    try:
        values = [_parse_field(part, field) for part, field in zip(parts, _FIELDS)]
    except CronError as err:
        raise CronError("Failed to parse '%s'. %s" % (text, err))
    weekdays = {d % 7 for d in values[4]}
    return Cron(text, values[0], values[1], values[2], values[3], weekdays, parts[2] == "*", parts[4] == "*")
