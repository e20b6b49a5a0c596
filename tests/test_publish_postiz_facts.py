"""The Postiz backend as measured against a real one (issue 12, section 2): each fact once in the
fake server and once in what the client does about it."""

from __future__ import annotations

import json
from collections import Counter

import pytest
import requests
import yaml
from fake_servers import FakePostiz, make_deck

from postdeck.errors import PublishError
from postdeck.publish.postiz import Postiz, comparable
from postdeck.publish.provider import Channel, Item, Rejected
from postdeck.publish.run import publish, status, unschedule
from test_publish_postiz import NOW, effects, options

IG = Channel("ig1", "Clinic IG", "instagram", identifier="instagram")
X = Channel("x1", "ClinicX", "x", identifier="x")
LI = Channel("li1", "Clinic LinkedIn", "linkedin", identifier="linkedin-page")


def raw(server: FakePostiz, method: str, path: str, **kw):
    return requests.request(method, server.url + "/public/v1" + path, headers={"Authorization": server.api_key}, **kw)


def body(server: FakePostiz, entry: dict, **top) -> dict:
    return {"type": "schedule", "date": "2026-12-07T03:30:00Z", "shortLink": False, "tags": [], "posts": [entry], **top}


def x_entry(**value) -> dict:
    return {"integration": {"id": "x1"}, "value": [{"content": "hello there", "image": [], **value}],
            "settings": {"__type": "x", "who_can_reply_post": "everyone"}}


def test_delete_takes_the_post_id_and_a_gone_or_unknown_id_answers_500(postiz):
    client = Postiz(postiz.url, postiz.api_key, requests.Session())
    [pid] = client.create_many([Item("d", "1", X, NOW, "hello there")], [[]])
    assert raw(postiz, "DELETE", f"/posts/{pid}").status_code == 200 and postiz.live_posts() == []
    again = raw(postiz, "DELETE", f"/posts/{pid}")
    assert again.status_code == 500  # not 404
    assert raw(postiz, "DELETE", "/posts/0123456789abcdef").status_code == 500


def test_unschedule_of_a_post_deleted_in_postiz_decides_gone_by_looking(tmp_path, postiz):
    deck = make_deck(tmp_path)
    publish([deck], options(tmp_path), effects(postiz))
    first = next(iter(postiz.posts))
    assert raw(postiz, "DELETE", f"/posts/{first}").status_code == 200  # someone deleted it in the Postiz UI
    before = len(postiz.requests)
    gone = unschedule(deck, "postiz", tmp_path / "ledger.sqlite", effects(postiz))
    assert len(gone) == 9 and postiz.live_posts() == []
    assert {r["state"] for r in status(tmp_path / "ledger.sqlite")} == {"deleted"}
    calls = Counter(postiz.requests[before:])
    # one DELETE per post; the one already gone answered 500 and one look-up said it is gone: no retries
    assert calls[("DELETE", f"/public/v1/posts/{first}")] == 1 and calls[("GET", "/public/v1/posts")] == 1


def test_a_post_that_is_still_there_after_a_500_is_deleted_again(tmp_path, postiz):
    deck = make_deck(tmp_path, n_posts=1)
    publish([deck], options(tmp_path, channels=("x1",)), effects(postiz))
    postiz.fail("DELETE /posts/{id}", 500)  # a real server error: the post is still listed
    unschedule(deck, "postiz", tmp_path / "ledger.sqlite", effects(postiz))
    assert postiz.live_posts() == []
    assert [r[0] for r in postiz.requests[-3:]] == ["DELETE", "GET", "DELETE"]


def test_listing_needs_both_dates_and_leaves_deleted_posts_out(postiz):
    assert raw(postiz, "GET", "/posts").status_code == 400
    assert raw(postiz, "GET", "/posts", params={"startDate": "2026-12-01T00:00:00Z"}).status_code == 400
    client = Postiz(postiz.url, postiz.api_key, requests.Session())
    kept, dropped = client.create_many([Item("d", "1", X, NOW, "kept <b>bold</b> & sure"),
                                        Item("d", "1", LI, NOW, "dropped post")], [[], []])
    raw(postiz, "DELETE", f"/posts/{dropped}")
    window = {"startDate": "2026-12-01T00:00:00Z", "endDate": "2026-12-02T00:00:00Z"}
    listed = raw(postiz, "GET", "/posts", params=window).json()
    assert [p["id"] for p in listed["posts"]] == [kept]
    assert listed["posts"][0]["content"] == "kept bold &amp; sure"  # tags removed, & escaped


def test_lost_create_is_found_after_the_same_cleaning_with_an_ampersand(tmp_path, postiz):
    deck = make_deck(tmp_path)
    data = yaml.safe_load((deck / "deck.yaml").read_text(encoding="utf-8"))
    for post in data["posts"]:
        post["captions"] = {p: c.replace("move a little", "stretch & <em>move</em>") for p, c in post["captions"].items()}
    (deck / "deck.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    postiz.fail("POST /posts", "reset-after")  # the first slot made, its answer lost
    result = publish([deck], options(tmp_path), effects(postiz))
    assert Counter(o.state for o in result.outcomes) == {"adopted": 3, "created": 6}
    assert len(postiz.live_posts()) == 9 and "stretch &amp; move" in postiz.live_posts()[0]["content"]
    assert comparable("a &amp; <b>b</b>") == comparable("a & b")


def test_create_needs_short_link_and_tags_of_value_and_label(postiz):
    entry = x_entry()
    r = raw(postiz, "POST", "/posts", json={"type": "schedule", "date": "2026-12-07T03:30:00Z", "posts": [entry]})
    assert r.status_code == 400 and r.json()["message"] == ["shortLink must be a boolean value", "tags must be an array"]
    r = raw(postiz, "POST", "/posts", json=body(postiz, entry, tags=[{"value": "a"}]))
    assert r.json()["message"] == ["tags.value must be a string; tags.label must be a string"]
    assert raw(postiz, "POST", "/posts", json=body(postiz, entry, tags=[{"value": "a", "label": "A"}])).status_code == 201


def test_every_value_needs_an_image_array_of_uploaded_images_with_an_image_path(postiz, tmp_path):
    no_images = x_entry()
    del no_images["value"][0]["image"]
    r = raw(postiz, "POST", "/posts", json=body(postiz, no_images))
    assert r.json()["message"] == ["posts.0.value.0.image must be an array"]
    card = make_deck(tmp_path) / "cards" / "01-portrait.png"
    up = Postiz(postiz.url, postiz.api_key, requests.Session()).upload(card)
    postiz.media[up["id"]]["path"] = "https://uploads.postiz.test/2026/file"  # no extension
    r = raw(postiz, "POST", "/posts", json=body(postiz, x_entry(image=[{"id": up["id"], "path": postiz.media[up["id"]]["path"]}])))
    assert r.json()["message"] == ["posts.0.value.0.image.path must end with .png, .jpg, .jpeg, .gif or .webp"]


def test_x_needs_who_can_reply_and_instagram_a_post_type_and_an_image(postiz):
    x = x_entry()
    del x["settings"]["who_can_reply_post"]
    ig = {"integration": {"id": "ig1"}, "value": [{"content": "hello there", "image": []}], "settings": {}}
    r = raw(postiz, "POST", "/posts", json={**body(postiz, x), "posts": [x, ig]})
    assert r.json()["message"] == [
        "posts.0.settings.who_can_reply_post must be one of the following values: everyone, following, "
        "mentionedUsers, subscribers, verified",
        "posts.1.settings.post_type must be one of the following values: post, story",
        "posts.1.value.0.image: Instagram needs at least one image"]


def test_newer_versions_refuse_long_x_posts_and_thin_linkedin_carousels_as_provider_errors(tmp_path):
    with FakePostiz(version="newer") as server:
        client = Postiz(server.url, server.api_key, requests.Session())
        with pytest.raises(Rejected) as e:
            client.create_many([Item("d", "1", X, NOW, "word " * 70)], [[]])
        assert str(e.value) == ("Postiz rejected creating the post (400): x: The post is longer than 280 characters; "
                                "fix the post in deck.yaml (or the channel in Postiz) and re-run")
        card = make_deck(tmp_path) / "cards" / "01-portrait.png"
        one = [client.upload(card)]
        thin = Item("d", "carousel", LI, NOW, "A carousel of one", files=(card,))
        with pytest.raises(Rejected, match=r"\(400\): linkedin-page: A carousel needs at least 2 images;"):
            client.create_many([replace_files(thin, 2)], [one])
        # the client only asks for a carousel with two images or more: one image goes as an image post
        [pid] = client.create_many([thin], [one])
        assert server.posts[pid]["settings"]["post_as_images_carousel"] is False


def replace_files(item: Item, n: int) -> Item:
    from dataclasses import replace

    return replace(item, files=item.files * n)


def test_upload_answers_201_with_id_name_path_thumbnail_and_alt_and_refuses_over_10_mb(tmp_path, postiz):
    card = make_deck(tmp_path) / "cards" / "01-portrait.png"
    r = raw(postiz, "POST", "/upload", files={"file": (card.name, card.read_bytes(), "image/png")})
    assert r.status_code == 201 and set(r.json()) == {"id", "name", "path", "thumbnail", "alt"}
    big = tmp_path / "big.png"
    big.write_bytes(card.read_bytes() + b"\0" * (10 * 1024 * 1024))
    r = raw(postiz, "POST", "/upload", files={"file": (big.name, big.read_bytes(), "image/png")})
    assert r.status_code == 400
    before = len(postiz.requests)
    with pytest.raises(Rejected, match=r"^Postiz takes images up to 10 MB and big.png is 10.0 MB"):
        Postiz(postiz.url, postiz.api_key, requests.Session()).upload(big)
    assert len(postiz.requests) == before  # refused before sending 10 MB


def test_the_client_sends_short_link_tags_and_an_image_array_in_every_value(tmp_path, postiz):
    result = publish([make_deck(tmp_path)], options(tmp_path, dry_run=True), effects(postiz))
    sent = result.requests[0]["requests"][-1]["json"]
    assert sent["shortLink"] is False and sent["tags"] == []
    # the dry run knows no channels: one entry per platform, all six in one request for the slot
    assert [p["integration"]["id"] for p in sent["posts"]] == [
        f"<{p} channel id>" for p in ("instagram", "facebook", "linkedin", "x", "threads", "bluesky")]
    assert all(isinstance(v["image"], list) for p in sent["posts"] for v in p["value"])


def test_newer_versions_also_delete_by_group(tmp_path):
    with FakePostiz(version="newer") as server:
        client = Postiz(server.url, server.api_key, requests.Session())
        x, li = client.create_many([Item("d", "1", X, NOW, "hello there"), Item("d", "1", LI, NOW, "hello there")], [[], []])
        assert server.posts[x]["group"] != server.posts[li]["group"]  # one group per channel's post
        assert raw(server, "DELETE", f"/posts/group/{server.posts[x]['group']}").status_code == 200
        assert [p["id"] for p in server.live_posts()] == [li]
