"""Approval bound to content: `postdeck approve` records who approved which version of a post;
`publish --approved-only` sends only those, and any edit after approval keeps a post back."""

from __future__ import annotations

from datetime import datetime, timezone

import yaml
from click.testing import CliRunner
from fake_servers import env_for, make_deck
from PIL import Image

from postdeck.cli import cli
from postdeck.deck.approval import APPROVED, CHANGED, UNAPPROVED, approval_state, approve, load_approvals
from postdeck.deck.deckfile import load_deck
from postdeck.publish.run import publish
from test_publish_cli import tomorrow
from test_publish_postiz import effects, options

WHEN = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)


def edit_caption(deck, n: int, platform: str, text: str) -> None:
    data = yaml.safe_load((deck / "deck.yaml").read_text(encoding="utf-8"))
    data["posts"][n - 1]["captions"][platform] = text
    (deck / "deck.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def states(deck) -> dict[int, str]:
    d = load_deck(deck / "deck.yaml")
    approvals = load_approvals(deck)
    return {p.n: approval_state(deck, p, approvals) for p in d.posts}


def test_an_edit_after_approval_keeps_the_post_from_going_out(tmp_path, postiz):
    deck = make_deck(tmp_path)
    approve(load_deck(deck / "deck.yaml"), deck, "asha", [1, 2], now=WHEN)
    edit_caption(deck, 2, "linkedin", "Tip 2, reworded after approval. #backpain")
    assert states(deck) == {1: APPROVED, 2: CHANGED, 3: UNAPPROVED}

    result = publish([deck], options(tmp_path, approved_only=True), effects(postiz))
    assert {p["content"].split(" for")[0] for p in postiz.live_posts()} == {"Tip 1"}
    assert len(postiz.live_posts()) == 3
    assert result.notes == [
        f"back-pain post 2 was edited or moved after asha approved it at 2026-12-01T12:00:00Z; not sent. Check it, "
        f"then run 'postdeck approve {deck} --post 2'",
        f"back-pain post 3 is not approved; not sent. Check it, then run 'postdeck approve {deck} --post 3'"]

    approve(load_deck(deck / "deck.yaml"), deck, "asha", [2, 3], now=WHEN)
    publish([deck], options(tmp_path, approved_only=True), effects(postiz))
    assert len(postiz.live_posts()) == 9


def test_a_re_rendered_card_or_a_moved_slot_voids_the_approval(tmp_path):
    deck = make_deck(tmp_path)
    d = load_deck(deck / "deck.yaml")
    approve(d, deck, "asha", [1], slots={1: "2026-12-07T03:30:00Z"})
    approvals = load_approvals(deck)
    assert approval_state(deck, d.posts[0], approvals, "2026-12-07T03:30:00Z") == APPROVED
    assert approval_state(deck, d.posts[0], approvals, "2026-12-08T03:30:00Z") == CHANGED
    Image.new("RGB", (108, 135), (200, 30, 30)).save(deck / "cards" / "01-portrait.jpg", quality=90)
    assert approval_state(deck, d.posts[0], load_approvals(deck), "2026-12-07T03:30:00Z") == CHANGED


def test_the_template_makes_approved_only_the_default_and_the_command_overrides_it(tmp_path, postiz):
    deck = make_deck(tmp_path)
    template = load_deck(deck / "deck.yaml").template
    text = open(template, encoding="utf-8").read()
    assert "schedule:" in text
    with open(template, "w", encoding="utf-8") as f:
        f.write(text.replace("schedule:", "schedule:\n  approved_only: true", 1))
    result = publish([deck], options(tmp_path), effects(postiz))
    assert postiz.live_posts() == [] and len(result.notes) == 3
    publish([deck], options(tmp_path, approved_only=False), effects(postiz))
    assert len(postiz.live_posts()) == 9


def test_approve_command_records_who_and_the_preview_shows_each_state(tmp_path, postiz, monkeypatch):
    monkeypatch.chdir(tmp_path)
    deck = make_deck(tmp_path / "output")
    runner = CliRunner()
    r = runner.invoke(cli, ["approve", str(deck), "--post", "1", "--by", "Asha (editor)"])
    assert r.exit_code == 0 and r.output == "approved back-pain post 1 by Asha (editor)\n"
    page = (deck / "index.html").read_text(encoding="utf-8")
    assert '<span class="state approved">approved</span>' in page
    assert page.count('<span class="state not">not approved</span>') == 2
    r = runner.invoke(cli, ["approve", str(deck), "--post", "9"])
    assert r.exit_code == 1 and r.output == f"Error: {deck / 'deck.yaml'}: has no post 9; its posts are 1 to 3\n"

    args = ["publish", str(deck), "--start", tomorrow(), "--tz", "UTC", "--approved-only"]
    r = runner.invoke(cli, args, env=env_for(postiz))
    assert r.exit_code == 0, r.output
    assert r.stdout.count("created  back-pain post 1") == 3 and "post 2" not in r.stdout
    assert len(postiz.live_posts()) == 3
    r = runner.invoke(cli, ["approve", str(deck), "--by", "asha"])  # every post; post 1 has a slot now
    assert r.output.splitlines()[0].startswith("approved back-pain post 1 by asha for its slot ")
    assert r.output.splitlines()[1:] == ["approved back-pain post 2 by asha", "approved back-pain post 3 by asha"]


def test_a_carousel_goes_out_only_when_every_post_in_it_is_approved(tmp_path, postiz):
    deck = make_deck(tmp_path)
    approve(load_deck(deck / "deck.yaml"), deck, "asha", [1, 2], now=WHEN)
    result = publish([deck], options(tmp_path, mode="carousel", approved_only=True), effects(postiz))
    assert postiz.live_posts() == [] and [n.split(";")[0] for n in result.notes if "approve" in n] == [
        "back-pain post 3 is not approved"]
    approve(load_deck(deck / "deck.yaml"), deck, "asha", [3], now=WHEN)
    publish([deck], options(tmp_path, mode="carousel", approved_only=True), effects(postiz))
    assert {p["integration"]["id"] for p in postiz.live_posts()} == {"ig1", "li1"}
