"""Publishing inside Postiz's hourly limit: one create per slot for every channel, look-ups only
when needed, and what does not fit waits for a later run (cron) instead of a 429."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
import requests
from click.testing import CliRunner
from fake_servers import FakePostiz, env_for, make_deck

from postdeck.cli import cli
from postdeck.publish.budget import Budget
from postdeck.publish.run import Effects, publish, status
from test_publish_postiz import NOW, options


def moving_clock(start=NOW):
    """A clock a test moves forward by hand (an hour between cron runs)."""
    now = [start]
    return now, (lambda: now[0])


def fx(server: FakePostiz, clock) -> Effects:
    return Effects(session=requests.Session(), env=env_for(server), sleep=lambda s: server.settle(), clock=clock,
                   rng=lambda: 0.5)


def counted(server: FakePostiz) -> list[tuple[str, str]]:
    return [r for r in server.requests if r[1].startswith("/public/v1/posts")]


def test_a_seven_post_deck_on_six_channels_fits_in_thirty_requests_an_hour(tmp_path):
    with FakePostiz(rate_limit=30, channels=6) as server:
        _, clock = moving_clock()
        deck = make_deck(tmp_path, n_posts=7)
        result = publish([deck], options(tmp_path), fx(server, clock))
        assert Counter(o.state for o in result.outcomes) == {"created": 42}
        assert result.needed == 7 and result.waiting is None
        # one POST /posts per slot carrying all six channels, no look-up, no 429
        assert counted(server) == [("POST", "/public/v1/posts")] * 7 and server.used == 7
        assert len(server.live_posts()) == 42 and len({p["group"] for p in server.live_posts()}) == 42
        before = len(server.requests)
        again = publish([deck], options(tmp_path), fx(server, clock))
        assert again.published == ["back-pain"] and server.requests[before:] == []  # a second run sends nothing


def test_what_does_not_fit_waits_and_a_later_run_sends_it(tmp_path):
    with FakePostiz(rate_limit=30, channels=6) as server:
        now, clock = moving_clock()
        decks = [make_deck(tmp_path, slug=s, n_posts=7) for s in ("deck-a", "deck-b")]
        opts = options(tmp_path, rate_limit=10)
        first = publish(decks, opts, fx(server, clock))
        states = Counter(o.state for o in first.outcomes)
        assert states == {"created": 60, "waiting": 24} and first.needed == 14
        assert first.waiting == ("24 posts waiting: postiz allows 10 requests an hour and this run needed 14; run the "
                                 "same command again after 2026-12-01 13:00 UTC (a cron run picks them up); nothing "
                                 "is posted twice")
        assert Counter(r["state"] for r in status(tmp_path / "ledger.sqlite")) == {"created": 60, "waiting": 24}
        now[0] += timedelta(minutes=30)  # too early: the hour's requests are spent, nothing is sent
        early = publish(decks, opts, fx(server, clock))
        assert early.published == ["deck-a"]  # finished: not one request
        assert Counter(o.state for o in early.outcomes) == {"done": 18, "waiting": 24}
        assert counted(server)[10:] == []
        now[0] += timedelta(minutes=31)  # the cron run an hour later picks up the rest
        later = publish(decks, opts, fx(server, clock))
        assert Counter(o.state for o in later.outcomes) == {"done": 18, "created": 24}
        assert len(server.live_posts()) == 84 and len(counted(server)) == 14 and server.used == 14


def test_budget_says_when_the_waiting_requests_fit():
    b = Budget(3, [NOW - timedelta(minutes=50), NOW - timedelta(minutes=20), NOW - timedelta(minutes=5)])
    assert b.left(NOW) == 0 and not b.fits(1, NOW)
    assert b.free_at(1, NOW) == NOW + timedelta(minutes=10)  # the oldest falls out of the hour
    assert b.free_at(2, NOW) == NOW + timedelta(minutes=40)
    assert b.free_at(99, NOW) == NOW + timedelta(minutes=55)  # at most an hour's worth
    assert Budget(None).left(NOW) is None and Budget(None).fits(10**6, NOW)


def test_lost_creates_are_looked_up_once_over_the_deck_range(tmp_path):
    from postdeck.publish.ledger import Ledger
    from postdeck.publish.run import _item_of

    with FakePostiz(channels=6) as server:
        _, clock = moving_clock()
        deck = make_deck(tmp_path, n_posts=3)
        publish([deck], options(tmp_path), fx(server, clock))
        ledger = Ledger(tmp_path / "ledger.sqlite")
        for row in ledger.rows():  # as if every slot's answer had been lost: made, never heard
            ledger.set("postiz", _item_of(row), "creating", remote_id=None)
        ledger.close()
        before = len(server.requests)
        result = publish([deck], options(tmp_path), fx(server, clock))
        assert Counter(o.state for o in result.outcomes) == {"adopted": 18}
        assert server.requests[before:] == [("GET", "/public/v1/integrations"), ("GET", "/public/v1/posts")]  # one look-up for three slots, no create
        assert result.needed == 1 + 3  # counted before sending: the look-up and, at worst, a create per slot


def test_cli_rate_limit_sends_what_fits_and_says_when_to_run_again(tmp_path, monkeypatch):
    import re

    from test_publish_cli import tomorrow

    monkeypatch.chdir(tmp_path)
    deck = make_deck(tmp_path / "output", n_posts=7)
    args = ["publish", str(deck), "--start", tomorrow(), "--tz", "UTC", "--rate-limit", "3"]
    with FakePostiz(channels=6) as server:
        r = CliRunner().invoke(cli, args, env=env_for(server))
        assert r.exit_code == 0, r.output
        assert r.stdout.count("created  back-pain post") == 18 and r.stdout.count("waiting  back-pain post") == 24
        [line] = [x for x in r.stderr.splitlines() if x.startswith("waiting")]
        assert re.fullmatch(r"waiting  24 posts waiting: postiz allows 3 requests an hour and this run needed 7; run "
                            r"the same command again after \d{4}-\d\d-\d\d \d\d:\d\d UTC \(a cron run picks them up\); "
                            r"nothing is posted twice", line), line
        assert len(counted(server)) == 3


def test_unschedule_stops_at_the_limit_and_says_when_to_go_on(tmp_path):
    from postdeck.errors import PublishError
    from postdeck.publish.run import unschedule

    with FakePostiz(channels=6) as server:
        now, clock = moving_clock()
        deck = make_deck(tmp_path, n_posts=7)
        publish([deck], options(tmp_path), fx(server, clock))  # 7 requests this hour
        with pytest.raises(PublishError) as e:
            unschedule(deck, "postiz", tmp_path / "ledger.sqlite", fx(server, clock))
        assert str(e.value) == (f"back-pain: 19 posts are not deleted yet: postiz allows 30 requests an hour; run "
                                f"'postdeck unschedule {deck}' again after 2026-12-01 13:00 UTC")
        assert len(server.live_posts()) == 19 and server.used == 30  # never a 429
        now[0] += timedelta(hours=1)
        assert len(unschedule(deck, "postiz", tmp_path / "ledger.sqlite", fx(server, clock))) == 19
        assert server.live_posts() == []


def test_dry_run_says_how_many_counted_requests_the_run_needs(tmp_path):
    with FakePostiz(channels=6) as server:
        _, clock = moving_clock()
        decks = [make_deck(tmp_path, slug=s, n_posts=7) for s in ("deck-a", "deck-b", "deck-c", "deck-d", "deck-e")]
        result = publish(decks, options(tmp_path, dry_run=True), fx(server, clock))
        assert result.needed == 35 and server.requests == []
        assert result.notes == ["35 of these requests count towards postiz's limit of 30 an hour (0 used in the last "
                                "hour): 30 fit and the rest would wait for a later run"]
