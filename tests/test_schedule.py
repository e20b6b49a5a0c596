"""Slots in IANA zones: wall-clock steps across DST, the weekly queue, and refusals."""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone

import pytest

from postdeck.errors import PublishError
from postdeck.brand.schedule import (
    WeeklySchedule,
    check_future,
    describe,
    parse_every,
    parse_slot,
    series_times,
    utc_z,
    weekly_schedule,
    weekly_times,
)
from postdeck.brand.schema import template_schedule


def weekly(tz: str, slots: list[str]) -> WeeklySchedule:
    """The queue of a loaded brand's schedule block (brand.Schedule, as load_brand makes it)."""
    from postdeck.brand.schema import Schedule

    sched = weekly_schedule(Schedule(timezone=tz, slots=tuple(slots)))
    assert sched is not None
    return sched


def test_daily_0900_in_new_york_stays_0900_across_the_november_change():
    times = series_times("2026-10-30T09:00", "1d", "America/New_York", 5)
    assert [t.strftime("%Y-%m-%d %H:%M %Z") for t in times] == [
        "2026-10-30 09:00 EDT", "2026-10-31 09:00 EDT", "2026-11-01 09:00 EST",
        "2026-11-02 09:00 EST", "2026-11-03 09:00 EST"]
    # Clocks fall back on 1 November: the UTC time moves from 13:00Z to 14:00Z.
    assert [utc_z(t) for t in times] == [
        "2026-10-30T13:00:00Z", "2026-10-31T13:00:00Z", "2026-11-01T14:00:00Z",
        "2026-11-02T14:00:00Z", "2026-11-03T14:00:00Z"]


def test_hourly_steps_are_real_hours_across_dst():
    times = series_times("2026-11-01T00:30", "1h", "America/New_York", 3)
    assert [utc_z(t) for t in times] == ["2026-11-01T04:30:00Z", "2026-11-01T05:30:00Z", "2026-11-01T06:30:00Z"]
    assert [t.strftime("%H:%M %Z") for t in times] == ["00:30 EDT", "01:30 EDT", "01:30 EST"]


def test_kolkata_is_sent_as_utc_with_z():
    t = series_times("2026-12-07T09:00", "1d", "Asia/Kolkata", 1)[0]
    assert utc_z(t) == "2026-12-07T03:30:00Z"
    assert describe(t) == "Mon 2026-12-07 09:00 IST"


def test_a_time_skipped_by_spring_forward_is_refused():
    with pytest.raises(PublishError, match=r"2027-03-14 02:30 does not exist in America/New_York"):
        series_times("2027-03-14T02:30", "1d", "America/New_York", 2)


@pytest.mark.parametrize("bad, message", [
    (("2026-12-07T09:00", "1d", "Mars/Olympus", 1), "time zone 'Mars/Olympus' is not an IANA zone"),
    (("next monday", "1d", "UTC", 1), "--start 'next monday' is not a date and time"),
    (("2026-12-07T09:00+02:00", "1d", "UTC", 1), "has an offset; give local time and the zone with --tz"),
    (("2026-12-07T09:00", "daily", "UTC", 1), "--every 'daily' is not a step; write e.g. 1d"),
])
def test_bad_schedule_input_is_one_clear_line(bad, message):
    with pytest.raises(PublishError, match=message.replace("(", r"\(").replace("+", r"\+")):
        series_times(*bad)


def test_every_units():
    assert parse_every("2d") == timedelta(days=2)
    assert parse_every("1w") == timedelta(weeks=1)
    assert parse_every("90m") == timedelta(minutes=90)


def test_weekly_slots_are_a_queue_after_what_is_taken():
    sched = weekly("Asia/Kolkata", ["Mon 09:00", "Wed 18:30", "Fri 09:00"])
    assert sched == WeeklySchedule("Asia/Kolkata", ((0, time(9)), (2, time(18, 30)), (4, time(9))))
    now = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)  # a Tuesday
    first = weekly_times(sched, 3, now)
    assert [describe(t) for t in first] == ["Wed 2026-12-02 18:30 IST", "Fri 2026-12-04 09:00 IST", "Mon 2026-12-07 09:00 IST"]
    # the next deck goes after everything already scheduled
    nxt = weekly_times(sched, 2, max(first), taken=first)
    assert [describe(t) for t in nxt] == ["Wed 2026-12-09 18:30 IST", "Fri 2026-12-11 09:00 IST"]


def test_weekly_skips_taken_slots_in_between():
    sched = weekly("UTC", ["Mon 09:00", "Tue 09:00"])
    now = datetime(2026, 12, 6, tzinfo=timezone.utc)  # Sunday
    taken = [datetime(2026, 12, 7, 9, tzinfo=timezone.utc)]
    assert [utc_z(t) for t in weekly_times(sched, 2, now, taken)] == ["2026-12-08T09:00:00Z", "2026-12-14T09:00:00Z"]


def test_weekly_slots_across_dst_keep_local_time():
    sched = weekly("America/New_York", ["Mon 09:00"])
    times = weekly_times(sched, 2, datetime(2026, 10, 27, tzinfo=timezone.utc))
    assert [utc_z(t) for t in times] == ["2026-11-02T14:00:00Z", "2026-11-09T14:00:00Z"]
    times = weekly_times(sched, 2, datetime(2026, 10, 20, tzinfo=timezone.utc))
    assert [utc_z(t) for t in times] == ["2026-10-26T13:00:00Z", "2026-11-02T14:00:00Z"]


def test_one_slot_syntax():
    assert parse_slot("Mon 09:00") == (0, time(9))
    assert parse_slot("wednesday 18:30") == (2, time(18, 30))
    assert parse_slot(" Sun 7:05 ") == (6, time(7, 5))
    for bad in ("Mon 9", "Funday 10:00", "Monxyz 09:00", "Mon 24:00", "Mon 09:60", "Monday 9am"):
        assert parse_slot(bad) is None, bad


def test_template_schedule_is_checked_on_load_with_the_same_rules(tmp_path):
    """A zone the tz database does not know fails 'postdeck check', not publish; so does a slot
    the publisher could not read (brand.py and schedule.py share parse_slot)."""
    from click.testing import CliRunner

    from postdeck.cli import cli

    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "mars.yaml").write_text(
        "name: Mars\nfonts: {headline: Inter-Bold.otf, quote: Inter-Regular.otf, small: Inter-Regular.otf}\n"
        "schedule: {timezone: Mars/Olympus, slots: [monday 9:00, Funday 10:00]}\n", encoding="utf-8")
    r = CliRunner().invoke(cli, ["check", str(templates / "mars.yaml")])
    assert r.exit_code == 1, r.output
    assert "schedule.timezone: 'Mars/Olympus' is not an IANA time zone; e.g. Asia/Kolkata" in r.output
    assert "schedule.slots[2]: 'Funday 10:00' is not a slot like 'Mon 09:00' (day, 24-hour time)" in r.output
    assert "slots[1]" not in r.output  # 'monday 9:00' is a slot to both


def test_past_slot_is_an_error_not_a_shift():
    now = datetime(2026, 12, 7, 4, 0, tzinfo=timezone.utc)
    t = series_times("2026-12-07T09:00", "1d", "Asia/Kolkata", 1)[0]
    with pytest.raises(PublishError, match=r"post 1: its slot Mon 2026-12-07 09:00 IST is in the past"):
        check_future([("post 1", t)], now)


def test_shipped_template_schedule_is_read():
    sched = template_schedule("clinic")
    assert sched is not None and sched.timezone == "Asia/Kolkata"
    assert sched.slots[0] == (0, time(9))
