"""Slots and times: when each post goes out, in the brand's IANA time zone.

Two ways to say when: a series (``--start 2026-12-07T09:00 --every 1d --tz Asia/Kolkata``) or
named weekly slots from the brand template (``schedule: {timezone, slots: [Mon 09:00, ...]}``)
that work as a queue. Day and week steps are wall-clock steps, so a daily 09:00 stays 09:00
local across daylight-saving changes; APIs get UTC with a ``Z``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from postdeck.errors import PublishError

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_EVERY = re.compile(r"^\s*(\d+)\s*(m|min|h|d|w)\s*$", re.IGNORECASE)
# 'mon' or 'monday', any case -> 0
_DAYS = {name: i for i, names in enumerate(zip(WEEKDAYS, ("monday", "tuesday", "wednesday", "thursday", "friday",
                                                          "saturday", "sunday"))) for name in names}
_SLOT = re.compile(r"^\s*([A-Za-z]{3,9})\s+(\d{1,2}):(\d{2})\s*$")


@dataclass(frozen=True)
class WeeklySchedule:
    """Named weekly slots, e.g. Mon 09:00 and Wed 18:30 in Asia/Kolkata."""

    timezone: str
    slots: tuple[tuple[int, time], ...]  # (weekday 0=Mon, local time), sorted


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a file name
        raise PublishError(
            f"time zone {name[:60]!r} is not an IANA zone; use a name like Europe/Berlin or Asia/Kolkata"
        ) from None


def parse_every(text: str) -> timedelta:
    """'1d' -> one day; also m/min, h and w."""
    m = _EVERY.match(text)
    if not m or int(m.group(1)) == 0:
        raise PublishError(f"--every {text!r} is not a step; write e.g. 1d, 2d, 12h or 1w")
    n, unit = int(m.group(1)), m.group(2).lower()
    return {"m": timedelta(minutes=n), "min": timedelta(minutes=n), "h": timedelta(hours=n),
            "d": timedelta(days=n), "w": timedelta(weeks=n)}[unit]


def localize(naive: datetime, tz: ZoneInfo) -> datetime:
    """Attach a zone to a wall-clock time, refusing times skipped by a DST change."""
    aware = naive.replace(tzinfo=tz)
    back = aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None)
    if back != naive:
        raise PublishError(
            f"{naive:%Y-%m-%d %H:%M} does not exist in {tz.key} (the clocks skip it for daylight "
            "saving); pick another time"
        )
    return aware


def parse_start(text: str, tz: ZoneInfo) -> datetime:
    try:
        naive = datetime.fromisoformat(text.strip())
    except ValueError:
        raise PublishError(f"--start {text!r} is not a date and time; write e.g. 2026-12-07T09:00") from None
    if naive.tzinfo is not None:
        raise PublishError(f"--start {text!r} has an offset; give local time and the zone with --tz")
    return localize(naive, tz)


def series_times(start: str, every: str, tz_name: str, count: int) -> list[datetime]:
    """``count`` slots from ``start``; day/week steps keep the local wall-clock time."""
    tz = zone(tz_name)
    first = parse_start(start, tz)
    step = parse_every(every)
    if step % timedelta(days=1) == timedelta(0):  # whole days: step the calendar, not the clock
        naive = first.replace(tzinfo=None)
        return [localize(naive + i * step, tz) for i in range(count)]
    utc = first.astimezone(UTC)
    return [(utc + i * step).astimezone(tz) for i in range(count)]


def parse_slot(text: str) -> tuple[int, time] | None:
    """'Mon 09:00' (or 'monday 9:00') -> (0, 09:00); None when it is not a slot. The one slot
    syntax: brand.py validates template slots with it, the queue below reads them with it."""
    m = _SLOT.match(text)
    day = _DAYS.get(m.group(1).lower()) if m else None
    if m is None or day is None:
        return None
    hour, minute = int(m.group(2)), int(m.group(3))
    if hour > 23 or minute > 59:
        return None
    return day, time(hour, minute)


def weekly_schedule(schedule: Any) -> WeeklySchedule | None:
    """A loaded brand's ``schedule`` (brand.Schedule, validated on load) as the slot queue, or
    None when it names no slots."""
    slots = {parse_slot(s) for s in schedule.slots}
    if not schedule.slots or None in slots:  # cannot happen after load_brand: it checks with parse_slot
        return None
    return WeeklySchedule(timezone=schedule.timezone, slots=tuple(sorted(slots)))  # type: ignore[arg-type]


def weekly_times(schedule: WeeklySchedule, count: int, after: datetime,
                 taken: Iterable[datetime] = ()) -> list[datetime]:
    """The next ``count`` free slots strictly after ``after`` (an aware time)."""
    busy = {t.astimezone(UTC) for t in taken}
    out: list[datetime] = []
    for slot in _slots_from(schedule, after):
        if slot.astimezone(UTC) not in busy:
            out.append(slot)
            if len(out) == count:
                break
    return out


def _slots_from(schedule: WeeklySchedule, after: datetime) -> Iterator[datetime]:
    tz = zone(schedule.timezone)
    day: date = after.astimezone(tz).date()
    while True:
        for weekday, at in schedule.slots:
            if weekday != day.weekday():
                continue
            try:
                slot = localize(datetime.combine(day, at), tz)
            except PublishError:
                continue  # a slot inside a DST gap does not exist that week: skip it
            if slot > after:
                yield slot
        day += timedelta(days=1)


def check_future(times: Iterable[tuple[str, datetime]], now: datetime) -> None:
    """A slot in the past is an error, never a silent shift."""
    for label, when in times:
        if when <= now:
            raise PublishError(
                f"{label}: its slot {describe(when)} is in the past; choose a later --start, or run "
                "'postdeck unschedule' on the deck to plan it afresh (postdeck never moves a post silently)"
            )


def utc_z(when: datetime) -> str:
    """The UTC form APIs expect: 2026-12-07T03:30:00Z."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_utc_z(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def describe(when: datetime) -> str:
    """Local time with its zone abbreviation, e.g. 'Mon 2026-12-07 09:00 IST'."""
    return when.strftime("%a %Y-%m-%d %H:%M %Z")
