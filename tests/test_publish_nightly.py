"""The README's nightly cron run: `postdeck publish output/*/deck.yaml` over many decks, where one
stuck or broken deck must not keep the others from going out."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import datetime, timedelta, timezone

from click.testing import CliRunner
from fake_servers import FakePostiz, env_for, make_deck

from postdeck.cli import cli
from postdeck.publish.run import status
from postdeck.publish.ledger import Ledger
from postdeck.publish.provider import Channel, Item

IG = Channel(id="ig1", name="Clinic IG", platform="instagram", identifier="instagram")


def tomorrow() -> str:
    return (datetime.now() + timedelta(days=1)).strftime("%Y-%m-%dT09:00")


def stuck_deck(tmp_path, postiz):
    """A deck whose Instagram run never finished: post 1 created, posts 2 and 3 planned (one of
    them refused), and all three slots now in the past."""
    deck = make_deck(tmp_path / "output", slug="stuck")
    ledger = Ledger(tmp_path / "output" / "ledger.sqlite")
    for n in (1, 2, 3):
        when = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(days=4 - n)
        item = Item(deck="stuck", key=str(n), channel=IG, when=when, text=f"old caption {n}")
        ledger.plan("postiz", item, when.strftime("%Y-%m-%dT%H:%M:%SZ"), "UTC")
        if n == 1:
            ledger.set("postiz", item, "created", remote_id="remote-1")
        if n == 3:
            ledger.set("postiz", item, "failed", error="stuck post 3 -> instagram: refused")
    ledger.close()
    return deck


def test_one_stuck_and_one_broken_deck_do_not_block_the_others(tmp_path, postiz, monkeypatch):
    monkeypatch.chdir(tmp_path)
    stuck = stuck_deck(tmp_path, postiz)
    broken = make_deck(tmp_path / "output", slug="no-jpeg")
    for jpg in (broken / "cards").glob("*.jpg"):
        jpg.unlink()  # built without --format jpg: Instagram has no card it takes
    fresh = make_deck(tmp_path / "output", slug="fresh")
    args = ["publish", "output/no-jpeg/deck.yaml", "output/stuck/deck.yaml", "output/fresh/deck.yaml",
            "--start", tomorrow(), "--tz", "UTC"]
    r = CliRunner().invoke(cli, args, env=env_for(postiz))

    assert r.exit_code == 1, r.output
    assert {p["content"].split(":")[0] for p in postiz.live_posts()} == {f"Tip {n} for {p}" for n in (1, 2, 3)
                                                                       for p in ("instagram", "linkedin", "x")}
    assert len(postiz.live_posts()) == 9 and r.stdout.count("created  fresh post") == 9
    errors = [line for line in r.stderr.splitlines() if line.startswith("failed")]
    assert errors == [
        "failed   output/no-jpeg/deck.yaml: no-jpeg: instagram takes only JPEG cards and this deck's are PNG; "
        "run 'postdeck render output/no-jpeg --format png,jpg,pdf' (keeps your edits to deck.yaml), then publish "
        "again (nothing was sent)",
        # Instagram's posts 2 and 3, and LinkedIn's and X's 1-3 (they take their post's passed slot)
        "failed   output/stuck/deck.yaml: stuck: 8 posts were never scheduled and their slots have passed "
        f"(first: stuck post 1 -> linkedin 'Clinic LinkedIn' at {errors[1].split(' at ', 1)[1].split(')')[0]}); "
        "re-run with --reschedule-missed to move them to the next free slots, or run 'postdeck unschedule' "
        "on the deck to plan it afresh",
    ]
    assert r.stderr.splitlines()[-1] == ("Error: 2 of 3 decks failed (each named above); the other decks went "
                                         "ahead; fix those and re-run the same command")
    assert fresh.is_dir() and stuck.is_dir()


def test_reschedule_missed_moves_only_posts_never_sent(tmp_path, postiz, monkeypatch):
    monkeypatch.chdir(tmp_path)
    stuck_deck(tmp_path, postiz)
    args = ["publish", "output/stuck", "--start", tomorrow(), "--tz", "UTC", "--channel", "Clinic IG"]
    r = CliRunner().invoke(cli, args, env=env_for(postiz))
    assert r.exit_code == 1 and "--reschedule-missed" in r.output and postiz.live_posts() == []

    r = CliRunner().invoke(cli, [*args, "--reschedule-missed"], env=env_for(postiz))
    assert r.exit_code == 0, r.output
    moved = [line for line in r.stderr.splitlines() if line.startswith("moved")]
    assert [line.split(":")[0] for line in moved] == ["moved    stuck post 2 -> instagram 'Clinic IG'",
                                                      "moved    stuck post 3 -> instagram 'Clinic IG'"]
    live = postiz.live_posts()
    # Post 1 was created before: never sent again. Posts 2 and 3 take the series' future slots.
    assert sorted(p["content"][:5] for p in live) == ["Tip 2", "Tip 3"]
    now = datetime.now(timezone.utc)
    assert all(datetime.fromisoformat(p["publishDate"].replace("Z", "+00:00")) > now for p in live)
    rows = {r["post"]: r for r in status(tmp_path / "output" / "ledger.sqlite")}
    assert Counter(r["state"] for r in rows.values()) == {"created": 3}
    assert rows["1"]["remote_id"] == "remote-1"

    before = len(postiz.requests)
    r = CliRunner().invoke(cli, [*args, "--reschedule-missed"], env=env_for(postiz))
    assert r.exit_code == 0 and "done     stuck: every post was already scheduled" in r.stderr
    assert postiz.requests[before:] == []  # the nightly re-run of a finished deck asks the API nothing


def test_a_post_that_may_exist_is_never_moved(tmp_path, postiz, monkeypatch):
    """A create call that got no answer may have worked: moving it could post it twice."""
    monkeypatch.chdir(tmp_path)
    deck = make_deck(tmp_path / "output", slug="unsure", n_posts=1)
    ledger = Ledger(tmp_path / "output" / "ledger.sqlite")
    when = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(days=1)
    item = Item(deck="unsure", key="1", channel=IG, when=when, text="caption")
    ledger.plan("postiz", item, when.strftime("%Y-%m-%dT%H:%M:%SZ"), "UTC")
    ledger.set("postiz", item, "creating", attempt=True)
    ledger.close()
    r = CliRunner().invoke(cli, ["publish", str(deck), "--start", tomorrow(), "--tz", "UTC", "--channel", "ig1",
                                 "--reschedule-missed"], env=env_for(postiz))
    assert r.exit_code == 1
    assert r.output.startswith("Error: unsure post 1 -> instagram 'Clinic IG': its slot ")
    assert r.output.rstrip().endswith("has passed and its last create call got no answer, so it may exist; check "
                                      "the provider, then run 'postdeck unschedule' on the deck and publish it again")
    assert [q for q in postiz.requests if q[0] == "POST"] == []


def test_missed_posts_go_to_the_end_of_the_weekly_queue(tmp_path, postiz):
    """No --start: the brand's weekly slots (clinic: Mon/Wed/Fri 09:00, Sat 10:30 Kolkata) are a
    queue; a missed post takes the first free slot after everything scheduled, and a post already
    created does not hold a slot in it."""
    import requests

    from postdeck.publish.run import Effects, PublishOptions, publish

    now = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)
    make_deck(tmp_path / "output", slug="stuck")
    ledger = Ledger(tmp_path / "ledger.sqlite")
    for n, slot, state in ((1, "2026-11-23T03:30:00Z", "created"), (2, "2026-11-25T03:30:00Z", "planned"),
                           (3, "2026-12-10T03:30:00Z", "planned")):
        item = Item(deck="stuck", key=str(n), channel=IG, when=now, text=f"Tip {n} for instagram")
        ledger.plan("postiz", item, slot, "Asia/Kolkata")
        if state == "created":
            ledger.set("postiz", item, "created", remote_id="remote-1")
    ledger.close()
    fx = Effects(session=requests.Session(), env=env_for(postiz), clock=lambda: now, sleep=lambda s: None)
    opts = PublishOptions(channels=("Clinic IG",), ledger=tmp_path / "ledger.sqlite")

    held = publish([tmp_path / "output" / "stuck"], opts, fx)
    message = held.failure_message() or ""
    assert message.startswith("stuck: 1 post was never scheduled and its slot has passed (stuck post 2 -> ")
    assert message.endswith("re-run with --reschedule-missed to move it to the next free slots, or run "
                            "'postdeck unschedule' on the deck to plan it afresh") and postiz.live_posts() == []

    result = publish([tmp_path / "output" / "stuck"], replace(opts, reschedule_missed=True), fx)
    assert result.failure_message() is None
    assert sorted((p["content"][:5], p["publishDate"]) for p in postiz.live_posts()) == [
        ("Tip 2", "2026-12-11T03:30:00.000Z"),  # Fri 09:00 IST, the first free slot after post 3
        ("Tip 3", "2026-12-10T03:30:00.000Z")]
    assert result.moved == ["stuck post 2 -> instagram 'Clinic IG': its slot Wed 2026-11-25 09:00 IST had passed; "
                            "moved to Fri 2026-12-11 09:00 IST"]


def test_a_run_stopped_by_the_rate_limit_still_names_the_failed_deck(tmp_path, monkeypatch):
    # The nightly log must say which deck to fix even when Postiz stops the run half-way.
    monkeypatch.chdir(tmp_path)
    broken = make_deck(tmp_path / "output", slug="no-jpeg")
    for jpg in (broken / "cards").glob("*.jpg"):
        jpg.unlink()
    make_deck(tmp_path / "output", slug="fresh")
    with FakePostiz(rate_limit=2) as server:  # another tool spent the rest of the organisation's hour
        r = CliRunner().invoke(cli, ["publish", "output/no-jpeg/deck.yaml", "output/fresh/deck.yaml",
                                     "--start", tomorrow(), "--tz", "UTC"], env=env_for(server))
    assert r.exit_code == 1, r.output
    assert r.stdout.count("created  fresh post") == 6  # what went out before the stop is in the log too
    failed = [line for line in r.stderr.splitlines() if line.startswith("failed")]
    assert len(failed) == 1 and failed[0].startswith("failed   output/no-jpeg/deck.yaml: no-jpeg: instagram takes only JPEG")
    assert "postiz asks to wait 3600 s" in r.stderr.splitlines()[-1]
