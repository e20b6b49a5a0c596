"""The webhook provider against a real local receiver."""

from __future__ import annotations

import base64
from datetime import datetime, timezone

import pytest
import requests
from fake_servers import FakeWebhook, make_deck

from postdeck.errors import PublishError
from postdeck.publish.run import Effects, PublishOptions, publish, unschedule

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)


def effects(server: FakeWebhook, **env: str) -> Effects:
    base = {"WEBHOOK_URL": server.url + "/hooks/postdeck", "POSTDECK_TIMEOUT": "0.3"}
    return Effects(session=requests.Session(), env={**base, **env}, sleep=server.settle, clock=lambda: NOW,
                   rng=lambda: 0.5)


def options(tmp_path, **kw) -> PublishOptions:
    base = dict(provider="webhook", start="2026-12-07T09:00", every="1d", tz="Asia/Kolkata",
                ledger=tmp_path / "ledger.sqlite")
    return PublishOptions(**{**base, **kw})


def test_one_document_per_post_with_every_caption_and_inline_cards(tmp_path):
    with FakeWebhook(secret="s3cret-hook") as hook:
        publish([make_deck(tmp_path)], options(tmp_path), effects(hook, WEBHOOK_SECRET="s3cret-hook"))
        docs = sorted(hook.documents.values(), key=lambda d: d["post"])
    assert [d["post"] for d in docs] == ["1", "2", "3"]
    d = docs[0]
    assert d["scheduled_at"] == "2026-12-07T03:30:00Z" and d["scheduled_local"] == "2026-12-07T09:00:00+05:30"
    assert d["timezone"] == "Asia/Kolkata" and set(d["captions"]) == {"instagram", "facebook", "linkedin", "x", "threads", "bluesky"}
    names = [c["name"] for c in d["cards"]]
    assert names == ["01-portrait.jpg", "01-portrait.png"]
    assert base64.b64decode(d["cards"][0]["data_base64"])[:3] == b"\xff\xd8\xff"


def test_cards_as_urls_under_the_public_base(tmp_path):
    with FakeWebhook() as hook:
        publish([make_deck(tmp_path)], options(tmp_path), effects(hook, WEBHOOK_MEDIA_BASE_URL="https://cdn.example.org/decks/"))
        d = next(iter(hook.documents.values()))
    assert d["cards"][0]["url"].startswith("https://cdn.example.org/decks/back-pain/cards/0")


@pytest.mark.parametrize("fault", [500, "reset-after", "timeout-after"])
def test_a_lost_answer_is_resent_with_the_same_key(tmp_path, fault):
    with FakeWebhook() as hook:
        hook.fail("POST /hooks/postdeck", fault)
        publish([make_deck(tmp_path)], options(tmp_path), effects(hook))
        assert len(hook.documents) == 3
        if fault != 500:
            assert hook.deliveries == 4  # one document arrived twice; the receiver kept one


def test_refusal_and_unschedule(tmp_path):
    with FakeWebhook(secret="right") as hook:
        result = publish([make_deck(tmp_path)], options(tmp_path), effects(hook, WEBHOOK_SECRET="wrong"))
        assert "the webhook refused the post (401): bad signature" in result.failure_message()
        assert "wrong" not in result.failure_message()
    with FakeWebhook() as hook:
        deck = tmp_path / "back-pain"
        publish([deck], options(tmp_path), effects(hook))
        assert len(hook.documents) == 3
        unschedule(deck, "webhook", tmp_path / "ledger.sqlite", effects(hook))
        assert hook.documents == {}


def test_missing_url(tmp_path):
    with pytest.raises(PublishError, match="^WEBHOOK_URL is not set"):
        publish([make_deck(tmp_path)], options(tmp_path), Effects(env={}, clock=lambda: NOW))


def test_a_receiver_echoing_the_path_or_token_leaks_no_part_of_the_url(tmp_path):
    with FakeWebhook(echo=True) as hook:
        url = hook.url + "/hooks/catch/123456/a1b2c3d4e5/?token=tok-9f8e7d6c"
        fx = effects(hook)
        fx = Effects(**{**fx.__dict__, "env": {**fx.env, "WEBHOOK_URL": url, "WEBHOOK_SECRET": "sig-s3cret"}})
        result = publish([make_deck(tmp_path)], options(tmp_path), fx)
    said = result.failure_message()
    assert "the webhook refused the post (404)" in said and "is not registered" in said
    stored = (tmp_path / "ledger.sqlite").read_bytes()
    for part in ("/hooks/catch", "123456", "a1b2c3d4e5", "tok-9f8e7d6c", "sig-s3cret"):
        assert part not in said and part.encode() not in stored, part
