"""What agencies need from a run: alt text on every image, drafts for review in the scheduler,
hashtags or the link in the first comment."""

from __future__ import annotations

import json

import pytest
import requests
from fake_servers import FakeAyrshare, FakePostiz, make_deck

from postdeck.errors import PublishError
from postdeck.publish.plan import split_first_comment
from postdeck.publish.run import Effects, PublishOptions, publish
from test_publish_postiz import effects, options

def deck_with_hashtag_paragraphs(root):
    """A deck whose captions end in a paragraph of hashtags, as postdeck's captions do."""
    import yaml

    deck = make_deck(root)
    data = yaml.safe_load((deck / "deck.yaml").read_text(encoding="utf-8"))
    for post in data["posts"]:
        post["captions"] = {p: c.replace(". #", ".\n\n#") for p, c in post["captions"].items()}
    (deck / "deck.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return deck


def ayr_run(tmp_path, server: FakeAyrshare, deck=None, **kw):
    from test_publish_ayrshare import effects as ayr_effects
    from test_publish_ayrshare import options as ayr_options

    return publish([deck or make_deck(tmp_path)], ayr_options(tmp_path, **kw), ayr_effects(server))


def test_alt_text_arrives_with_every_image_in_postiz(tmp_path):
    with FakePostiz(channels=6) as server:
        publish([make_deck(tmp_path)], options(tmp_path), effects(server))
        images = {(p["integration"]["id"], p["content"].split(":")[0]): json.loads(p["image"])
                  for p in server.live_posts()}
        assert len(images) == 18
        assert all(imgs and all(i["alt"] == f"Card {key[1].split()[1]}" for i in imgs) for key, imgs in images.items())


def test_alt_text_goes_in_ayrshare_per_network_options_and_bluesky_gets_it(tmp_path):
    with FakeAyrshare(accounts=("instagram", "linkedin", "twitter", "bluesky")) as server:
        ayr_run(tmp_path, server)
        by_platform = {p["platforms"][0]: p for p in server.live_posts() if p["post"].startswith("Tip 1 ")}
        assert by_platform["bluesky"]["blueSkyOptions"] == {"altText": ["Card 1"]}
        assert by_platform["instagram"]["instagramOptions"] == {"altText": ["Card 1"]}
        assert by_platform["linkedin"]["linkedInOptions"] == {"altText": ["Card 1"]}
        assert len(server.live_posts()) == 12


def test_a_bluesky_image_without_alt_text_is_refused_before_any_request(tmp_path):
    import yaml

    with FakePostiz(channels=6) as server:
        deck = make_deck(tmp_path)
        data = yaml.safe_load((deck / "deck.yaml").read_text(encoding="utf-8"))
        data["posts"][1]["alt_text"] = ""
        (deck / "deck.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        result = publish([deck], options(tmp_path), effects(server))
        assert result.failure_message() == (
            "back-pain post 2 -> bluesky 'Clinic Bluesky': bluesky needs alt text for every image; write the post's "
            "alt_text in deck.yaml (nothing was sent)")
        assert [r for r in server.requests if r[0] == "POST"] == []


def test_draft_creates_postiz_drafts(tmp_path, postiz):
    publish([make_deck(tmp_path)], options(tmp_path, draft=True), effects(postiz))
    assert len(postiz.live_posts()) == 9 and {p["state"] for p in postiz.live_posts()} == {"DRAFT"}


def test_dry_run_shows_the_draft_type(tmp_path, postiz):
    result = publish([make_deck(tmp_path)], options(tmp_path, draft=True, dry_run=True), effects(postiz))
    assert {r["requests"][-1]["json"]["type"] for r in result.requests} == {"draft"}


def test_draft_on_ayrshare_waits_for_approval_there(tmp_path):
    with FakeAyrshare() as server:
        ayr_run(tmp_path, server, draft=True)
        assert {p["status"] for p in server.live_posts()} == {"awaiting approval"}


def test_first_comment_carries_the_hashtags_on_instagram_and_linkedin_only(tmp_path, postiz):
    publish([deck_with_hashtag_paragraphs(tmp_path)], options(tmp_path, first_comment="hashtags"), effects(postiz))
    posts = {(p["integration"]["id"], p["content"][:5]): p for p in postiz.live_posts()}
    ig, li, x = posts[("ig1", "Tip 1")], posts[("li1", "Tip 1")], posts[("x1", "Tip 1")]
    assert ig["content"] == "Tip 1 for instagram: move a little every hour." and "#" not in li["content"]
    assert postiz.posts[ig["id"]]["comments"] == ["#backpain #backpain1"]
    assert postiz.posts[li["id"]]["comments"] == ["#backpain #backpain1"]
    assert "#backpain" in x["content"] and postiz.posts[x["id"]]["comments"] == []


def test_first_comment_on_ayrshare(tmp_path):
    with FakeAyrshare() as server:
        ayr_run(tmp_path, server, deck_with_hashtag_paragraphs(tmp_path), first_comment="hashtags")
        ig = next(p for p in server.live_posts() if p["platforms"] == ["instagram"] and p["post"].startswith("Tip 2"))
        assert ig["firstComment"] == {"comment": "#backpain #backpain2"} and "#" not in ig["post"]


def test_split_first_comment_moves_the_link_or_the_hashtag_paragraph():
    text = "Hook\n\nBody.\n\nRead more on our site.\nhttps://clinic.co.uk/a?utm_source=linkedin\n\n#back #pain"
    assert split_first_comment(text, "link") == (
        "Hook\n\nBody.\n\nRead more on our site.\n\n#back #pain", "https://clinic.co.uk/a?utm_source=linkedin")
    assert split_first_comment(text, "hashtags") == (text.rsplit("\n\n", 1)[0], "#back #pain")
    assert split_first_comment("#only #tags", "hashtags") == ("#only #tags", "")  # a caption is never emptied


def test_an_unknown_first_comment_kind_is_one_line(tmp_path, postiz):
    with pytest.raises(PublishError, match=r"^--first-comment 'tags': use hashtags or link$"):
        publish([make_deck(tmp_path)], options(tmp_path, first_comment="tags"), effects(postiz))
