"""The Postiz client and the publish flow against a real HTTP server speaking the Postiz contract."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
import requests
from fake_servers import FakePostiz, make_deck

from postdeck.errors import PublishError
from postdeck.publish.run import Effects, PublishOptions, publish, status, unschedule
from postdeck.publish.postiz import Postiz

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)


def effects(server: FakePostiz, sleeps: list[float] | None = None, **env: str) -> Effects:
    base = {"POSTIZ_API_KEY": server.api_key, "POSTIZ_URL": server.url, "POSTDECK_TIMEOUT": "0.3"}
    return Effects(session=requests.Session(), env={**base, **env},
                   sleep=lambda s: (sleeps.append(s) if sleeps is not None else None, server.settle()),
                   clock=lambda: NOW, rng=lambda: 0.5)


def options(tmp_path: Path, **kw: Any) -> PublishOptions:
    base = dict(provider="postiz", start="2026-12-07T09:00", every="1d", tz="Asia/Kolkata",
                ledger=tmp_path / "ledger.sqlite")
    return PublishOptions(**{**base, **kw})


def scheduled(server: FakePostiz) -> list[tuple[str, str, str]]:
    return sorted((p["integration"]["id"], p["publishDate"], p["content"]) for p in server.live_posts())


def test_publishes_every_post_to_every_enabled_channel_at_its_slot(tmp_path, postiz):
    deck = make_deck(tmp_path)
    result = publish([deck], options(tmp_path), effects(postiz))

    posts = postiz.live_posts()
    # 3 posts x 3 enabled channels; the disabled Facebook page is skipped.
    assert len(posts) == 9 and {o.state for o in result.outcomes} == {"created"}
    assert {p["integration"]["id"] for p in posts} == {"ig1", "li1", "x1"}
    # 09:00 in Kolkata (UTC+5:30) is 03:30Z, one post a day.
    assert sorted({p["publishDate"] for p in posts}) == [
        "2026-12-07T03:30:00.000Z", "2026-12-08T03:30:00.000Z", "2026-12-09T03:30:00.000Z"]
    ig = [p for p in posts if p["integration"]["id"] == "ig1"]
    assert all(p["content"].startswith("Tip ") and "for instagram" in p["content"] for p in ig)
    assert all(json.loads(p["image"])[0]["path"].endswith(".jpg") for p in ig)  # Instagram gets the JPEG
    assert all(p["settings"] == {"__type": "instagram", "post_type": "post", "collaborators": []} for p in ig)
    x = [p for p in posts if p["integration"]["id"] == "x1"]
    assert all(p["settings"] == {"__type": "x", "who_can_reply_post": "everyone"} for p in x)
    assert all("for x:" in p["content"] for p in x)


def test_uploads_each_card_once_and_reuses_id_and_path_as_returned(tmp_path, postiz):
    publish([make_deck(tmp_path)], options(tmp_path), effects(postiz))
    uploads = [r for r in postiz.requests if r[1].endswith("/upload")]
    # post cards: the JPEG is best for every channel here, so 3 files uploaded once each
    assert len(uploads) == 3 and len(postiz.media) == 3
    for p in postiz.live_posts():
        for img in json.loads(p["image"]):
            assert postiz.media[img["id"]]["path"] == img["path"]


def test_running_again_changes_nothing(tmp_path, postiz):
    deck = make_deck(tmp_path)
    publish([deck], options(tmp_path), effects(postiz))
    before = (scheduled(postiz), len(postiz.requests))
    result = publish([deck], options(tmp_path), effects(postiz))
    assert result.published == ["back-pain"] and result.outcomes == [] and result.failure_message() is None
    assert scheduled(postiz) == before[0]
    assert postiz.requests[before[1]:] == []  # a finished deck costs the nightly run no API call at all


def test_channel_option_picks_by_name_or_id(tmp_path, postiz):
    publish([make_deck(tmp_path)], options(tmp_path, channels=("Clinic IG", "x1")), effects(postiz))
    assert {p["integration"]["id"] for p in postiz.live_posts()} == {"ig1", "x1"}


def test_unknown_or_disabled_channel_is_an_error_naming_the_channels(tmp_path, postiz):
    with pytest.raises(PublishError, match=r"--channel 'Nope' is not a postiz channel; the channels are: Clinic IG \(instagram\)"):
        publish([make_deck(tmp_path)], options(tmp_path, channels=("Nope",)), effects(postiz))
    with pytest.raises(PublishError, match="'Old Page' is disabled in Postiz"):
        publish([make_deck(tmp_path / "b")], options(tmp_path, channels=("Old Page",)), effects(postiz))
    # A platform name picks that platform's channels; the only facebook one is disabled.
    with pytest.raises(PublishError) as e:
        publish([make_deck(tmp_path / "c")], options(tmp_path, channels=("facebook",)), effects(postiz))
    assert str(e.value) == ("--channel 'facebook': the facebook channel 'Old Page' is disabled in Postiz; "
                            "enable it in Postiz or leave --channel facebook out")
    assert postiz.live_posts() == []


def test_carousel_mode_sends_one_post_with_all_slides(tmp_path, postiz):
    result = publish([make_deck(tmp_path)], options(tmp_path, mode="carousel"), effects(postiz))
    posts = postiz.live_posts()
    assert {p["integration"]["id"] for p in posts} == {"ig1", "li1"}  # X takes 4 images at most
    assert any("x" in n and "no carousel" in n for n in result.notes)
    ig = next(p for p in posts if p["integration"]["id"] == "ig1")
    assert len(json.loads(ig["image"])) == 5  # cover, 3 cards, closing
    assert ig["content"].startswith("Moving again after back surgery\n\n1. Headline 1\n2. Headline 2")
    li = next(p for p in posts if p["integration"]["id"] == "li1")
    assert li["settings"] == {"__type": "linkedin-page", "post_as_images_carousel": True}


def test_wrong_key_is_one_line_naming_the_setting_and_never_the_key(tmp_path, postiz):
    with pytest.raises(PublishError) as e:
        publish([make_deck(tmp_path)], options(tmp_path), effects(postiz, POSTIZ_API_KEY="Bearer pz-test-key-123"))
    assert str(e.value) == "Postiz rejected the API key (401); check POSTIZ_API_KEY in .env"
    assert postiz.live_posts() == []


def test_missing_key_says_where_to_put_it(tmp_path, postiz):
    fx = Effects(session=requests.Session(), env={"POSTIZ_URL": postiz.url}, clock=lambda: NOW)
    with pytest.raises(PublishError, match=r"^POSTIZ_API_KEY is not set; add it to .env or the environment"):
        publish([make_deck(tmp_path)], options(tmp_path), fx)


def test_key_comes_from_dotenv_file(tmp_path, postiz, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("POSTIZ_API_KEY", raising=False)
    (tmp_path / ".env").write_text(f"POSTIZ_API_KEY={postiz.api_key}\nPOSTIZ_URL={postiz.url}\n")
    fx = Effects(session=requests.Session(), clock=lambda: NOW)
    publish([make_deck(tmp_path / "output")], options(tmp_path), fx)
    assert len(postiz.live_posts()) == 9


def test_quota_402_stops_with_what_to_do(tmp_path):
    with FakePostiz(quota=4) as server:  # room for the first slot's 3 channels, not the second's
        with pytest.raises(PublishError, match=r"post 2 -> instagram 'Clinic IG': Postiz refused: the plan's post quota is used up \(402\)"):
            publish([make_deck(tmp_path)], options(tmp_path), effects(server))
        assert len(server.live_posts()) == 3


def test_a_slot_in_the_past_is_an_error_before_any_request(tmp_path, postiz):
    result = publish([make_deck(tmp_path)], options(tmp_path, start="2026-11-30T09:00"), effects(postiz))
    assert result.failure_message().startswith(
        "back-pain post 1 -> instagram 'Clinic IG': its slot Mon 2026-11-30 09:00 IST is in the past")
    assert [r for r in postiz.requests if r[0] != "GET"] == []


def test_dry_run_prints_requests_with_key_redacted_and_touches_nothing(tmp_path, postiz):
    ledger = tmp_path / "ledger.sqlite"
    result = publish([make_deck(tmp_path)], options(tmp_path, dry_run=True), effects(postiz))
    assert postiz.requests == [] and not ledger.exists()
    text = json.dumps(result.requests)
    assert postiz.api_key not in text and '"Authorization": "***"' in text
    first = result.requests[0]
    assert first["slot_utc"] == "2026-12-07T03:30:00Z" and first["slot_local"] == "Mon 2026-12-07 09:00 IST"
    body = first["requests"][-1]["json"]
    assert body["date"] == "2026-12-07T03:30:00Z" and body["shortLink"] is False and body["tags"] == []


def test_status_and_unschedule(tmp_path, postiz):
    deck = make_deck(tmp_path)
    publish([deck], options(tmp_path), effects(postiz))
    rows = status(tmp_path / "ledger.sqlite", deck)
    assert len(rows) == 9 and {r["state"] for r in rows} == {"created"}
    assert rows[0]["slot_local"] == "Mon 2026-12-07 09:00 IST" and rows[0]["slot_utc"] == "2026-12-07T03:30:00Z"
    assert {r["remote_id"] for r in rows} == {p["id"] for p in postiz.live_posts()}

    gone = unschedule(deck, "postiz", tmp_path / "ledger.sqlite", effects(postiz))
    assert len(gone) == 9 and postiz.live_posts() == []
    assert {r["state"] for r in status(tmp_path / "ledger.sqlite", deck)} == {"deleted"}


def test_rejected_post_is_recorded_and_the_others_still_go(tmp_path, postiz):
    # The slot's grouped create is refused, then Instagram's own create on its own; the others go.
    postiz.fail("POST /posts", "400-provider", "400-provider")
    result = publish([make_deck(tmp_path)], options(tmp_path), effects(postiz))
    assert result.failure_message() == (
        "1 of 9 posts failed; the first: back-pain post 1 -> instagram 'Clinic IG': Postiz rejected creating the "
        "post (400): instagram: The image aspect ratio is not supported; fix the post in deck.yaml (or the "
        "channel in Postiz) and re-run")
    assert len(postiz.live_posts()) == 8
    rows = {(r["post"], r["channel"]): r for r in status(tmp_path / "ledger.sqlite")}
    assert rows[("1", "Clinic IG")]["state"] == "failed"
    assert "aspect ratio" in rows[("1", "Clinic IG")]["error"]
    # fixed (the fault is gone): a re-run schedules just the missing one
    publish([tmp_path / "back-pain"], options(tmp_path), effects(postiz))
    assert len(postiz.live_posts()) == 9


def test_client_sends_raw_key_and_lists_channels(postiz):
    client = Postiz(postiz.url, postiz.api_key, requests.Session())
    chans = client.channels()
    assert [(c.id, c.platform, c.disabled) for c in chans] == [
        ("ig1", "instagram", False), ("li1", "linkedin", False), ("x1", "x", False), ("fb1", "facebook", True)]


def test_server_validates_the_documented_body(postiz):
    s = requests.Session()
    h = {"Authorization": postiz.api_key}
    r = s.post(postiz.url + "/public/v1/posts", headers=h, json={"type": "schedule", "date": "2026-12-07T03:30:00+00:00",
                                                                 "posts": [{"integration": {"id": "x1"}, "value": [{"content": "hi", "image": []}], "settings": {"__type": "x"}}]})
    assert r.status_code == 400
    assert r.json()["message"] == ["date must be a valid ISO 8601 date string", "shortLink must be a boolean value",
                                   "tags must be an array", "posts.0.settings.who_can_reply_post must be one of the following values: "
                                   "everyone, following, mentionedUsers, subscribers, verified"]


def test_validation_400_message_list_becomes_one_line(postiz):
    from postdeck.publish.provider import Channel, Item, Rejected

    client = Postiz(postiz.url, postiz.api_key, requests.Session())
    no_card = Item(deck="d", key="2", channel=Channel("ig1", "Clinic IG", "instagram", identifier="instagram"),
                   when=NOW, text="hi there")
    with pytest.raises(Rejected) as e:
        client.create_many([no_card], [[]])
    assert str(e.value) == ("Postiz rejected creating the post (400): posts.0.value.0.image: Instagram needs at least "
                            "one image; fix the post in deck.yaml (or the channel in Postiz) and re-run")


def test_server_overwrites_the_settings_type_from_the_channel(postiz):
    from postdeck.publish.provider import Channel, Item

    client = Postiz(postiz.url, postiz.api_key, requests.Session())
    item = Item(deck="d", key="2", channel=Channel("x1", "ClinicX", "x", identifier="twitter"), when=NOW, text="hi there")
    [pid] = client.create_many([item], [[]])
    assert postiz.posts[pid]["settings"] == {"__type": "x", "who_can_reply_post": "everyone"}


def test_secrets_stay_out_of_the_ledger_and_messages(tmp_path, postiz):
    postiz.fail("POST /posts", "timeout-after", 503, "400-provider")
    result = publish([make_deck(tmp_path)], options(tmp_path), effects(postiz))
    ledger_bytes = b"".join(p.read_bytes() for p in tmp_path.glob("ledger.sqlite*"))
    assert postiz.api_key.encode() not in ledger_bytes
    assert all(postiz.api_key not in (o.error or "") for o in result.outcomes)


def test_retry_after_as_seconds_or_http_date():
    from datetime import timedelta
    from email.utils import format_datetime

    from postdeck.publish.provider import retry_after

    assert retry_after("7") == 7.0 and retry_after(None) is None and retry_after("soon") is None
    later = format_datetime(datetime.now(timezone.utc) + timedelta(seconds=30), usegmt=True)
    assert 25 <= retry_after(later) <= 30


def test_weekly_slots_from_the_template_queue_deck_after_deck(tmp_path, postiz):
    a, b = make_deck(tmp_path, "deck-a"), make_deck(tmp_path, "deck-b")
    weekly = options(tmp_path, start=None, tz=None, channels=("Clinic IG",))  # deck template: clinic
    publish([a, b], weekly, effects(postiz))
    c = make_deck(tmp_path, "deck-c", n_posts=1)
    publish([a, b, c], weekly, effects(postiz))  # the nightly job: old decks unchanged, new one queued
    rows = status(tmp_path / "ledger.sqlite")
    by_deck = {d: [r["slot_local"] for r in rows if r["deck"] == d] for d in ("deck-a", "deck-b", "deck-c")}
    # clinic.yaml: Asia/Kolkata, Mon 09:00, Wed 09:00, Fri 09:00, Sat 10:30; now is Tue 1 Dec 17:30 IST
    assert by_deck == {
        "deck-a": ["Wed 2026-12-02 09:00 IST", "Fri 2026-12-04 09:00 IST", "Sat 2026-12-05 10:30 IST"],
        "deck-b": ["Mon 2026-12-07 09:00 IST", "Wed 2026-12-09 09:00 IST", "Fri 2026-12-11 09:00 IST"],
        "deck-c": ["Sat 2026-12-12 10:30 IST"],
    }
    assert len(postiz.live_posts()) == 7
