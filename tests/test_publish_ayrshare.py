"""The Ayrshare client against a real local server speaking Ayrshare's contract."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timezone

import pytest
import requests
from fake_servers import FakeAyrshare, make_deck

from postdeck.errors import PublishError
from postdeck.publish.run import Effects, PublishOptions, publish, status, unschedule
from postdeck.publish.ayrshare import Ayrshare
from postdeck.publish.provider import Channel, Item

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def ayr():
    with FakeAyrshare() as server:
        yield server


def effects(server: FakeAyrshare, **env: str) -> Effects:
    base = {"AYRSHARE_API_KEY": server.api_key, "AYRSHARE_URL": server.url + "/api", "POSTDECK_TIMEOUT": "0.3"}
    return Effects(session=requests.Session(), env={**base, **env}, sleep=server.settle, clock=lambda: NOW,
                   rng=lambda: 0.5)


def options(tmp_path, **kw) -> PublishOptions:
    base = dict(provider="ayrshare", start="2026-12-07T09:00", every="1d", tz="Europe/Berlin",
                ledger=tmp_path / "ledger.sqlite")
    return PublishOptions(**{**base, **kw})


def test_schedules_each_post_on_each_account(tmp_path, ayr):
    deck = make_deck(tmp_path)
    result = publish([deck], options(tmp_path), effects(ayr))
    assert Counter(o.state for o in result.outcomes) == {"created": 9}
    posts = ayr.live_posts()
    assert sorted({p["scheduleDate"] for p in posts}) == [
        "2026-12-07T08:00:00Z", "2026-12-08T08:00:00Z", "2026-12-09T08:00:00Z"]
    tw = [p for p in posts if p["platforms"] == ["twitter"]]
    assert len(tw) == 3 and all("for x:" in p["post"] for p in tw)  # X's caption goes to 'twitter'
    assert all(len(p["mediaUrls"]) == 1 and p["mediaUrls"][0].endswith(".jpg") for p in posts)


def test_carousel_sends_the_pdf_document_to_linkedin(tmp_path, ayr):
    publish([make_deck(tmp_path)], options(tmp_path, mode="carousel"), effects(ayr))
    posts = {p["platforms"][0]: p for p in ayr.live_posts()}
    assert set(posts) == {"instagram", "linkedin"}
    assert [u.rsplit("/", 1)[1] for u in posts["linkedin"]["mediaUrls"]] == ["carousel-portrait.pdf"]
    assert len(posts["instagram"]["mediaUrls"]) == 5


def test_bad_key_and_body_status_error(tmp_path, ayr):
    with pytest.raises(PublishError, match=r"^Ayrshare rejected the API key \(401\); check AYRSHARE_API_KEY in .env$"):
        publish([make_deck(tmp_path)], options(tmp_path), effects(ayr, AYRSHARE_API_KEY="nope-key"))
    # HTTP 200 with "status": "error" is a refusal, not a success
    client = Ayrshare(ayr.url + "/api", ayr.api_key, requests.Session())
    item = Item(deck="d", key="1", channel=Channel("twitter", "twitter", "x"), when=NOW, text="hi")
    body = client.request_for(item, [])
    body["scheduleDate"] = "2026-12-07 09:00"
    r = requests.post(ayr.url + "/api/post", json=body, headers={"Authorization": f"Bearer {ayr.api_key}"})
    assert r.status_code == 200 and r.json()["status"] == "error"
    ayr.keys.clear()
    with pytest.raises(PublishError, match=r"Ayrshare rejected creating the post \(400, code 156\): Instagram requires an image"):
        client.create(Item(deck="d", key="1", channel=Channel("instagram", "instagram", "instagram"), when=NOW, text="hi"), [])


@pytest.mark.parametrize("fault", [429, 503, "reset-after", "timeout-after", "malformed-after"])
def test_faults_end_exactly_once(tmp_path, ayr, fault):
    ayr.fail("POST /post", fault)
    publish([make_deck(tmp_path)], options(tmp_path), effects(ayr))
    keys = Counter((tuple(p["platforms"]), p["scheduleDate"]) for p in ayr.live_posts())
    assert len(keys) == 9 and set(keys.values()) == {1}


def test_status_and_unschedule(tmp_path, ayr):
    deck = make_deck(tmp_path)
    publish([deck], options(tmp_path), effects(ayr))
    unschedule(deck, "ayrshare", tmp_path / "ledger.sqlite", effects(ayr))
    assert ayr.live_posts() == []
    assert {r["state"] for r in status(tmp_path / "ledger.sqlite")} == {"deleted"}
