"""Planning: which card and caption go to which channel, slots kept across runs, the checks."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from PIL import Image
from fake_servers import make_deck

from postdeck.deck.deckfile import load_deck
from postdeck.errors import PublishError
from postdeck.model import Deck, Post
from postdeck.publish.checks import card_problem, check_items
from postdeck.publish.media import carousel_pdf, carousel_slides, pick_card
from postdeck.publish.plan import When, assign_slots, combined_caption, select_channels
from postdeck.publish.provider import Channel, Item

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)


def test_cards_follow_the_build_naming(tmp_path):
    folder = make_deck(tmp_path)
    deck = load_deck(folder / "deck.yaml")
    assert pick_card(folder, deck.posts[0], "instagram").name == "01-portrait.jpg"
    slides = carousel_slides(folder, deck, "instagram")
    assert [s.name for s in slides] == ["00-cover-portrait.jpg", "01-portrait.jpg", "02-portrait.jpg",
                                        "03-portrait.jpg", "04-closing-portrait.jpg"]
    assert carousel_pdf(folder, slides[0]).name == "carousel-portrait.pdf"


def test_instagram_ratio_and_format_rules(tmp_path):
    wide = tmp_path / "wide.jpg"
    Image.new("RGB", (200, 100)).save(wide)
    png = tmp_path / "card.png"
    Image.new("RGB", (80, 100)).save(png)
    assert card_problem("instagram", wide) == ("wide.jpg has aspect ratio 2.00:1, instagram allows 0.80:1 to "
                                               "1.91:1 (4:5 portrait to 1.91:1 landscape)")
    assert card_problem("instagram", png) == "instagram needs JPEG cards, card.png is PNG (build with --format jpg)"
    assert card_problem("x", png) is None and card_problem("x", wide) is None


def test_png_cards_for_instagram_are_one_line_with_the_fix(tmp_path):
    cards = tmp_path / "output" / "deck" / "cards"
    cards.mkdir(parents=True)
    ig = Channel("ig1", "Clinic", "instagram", "instagram")
    items = []
    for n in range(1, 6):
        Image.new("RGB", (80, 100)).save(cards / f"0{n}-portrait.png")
        items.append(Item(deck="deck", key=str(n), channel=ig, when=NOW, text="A caption.",
                          files=(cards / f"0{n}-portrait.png",)))
    with pytest.raises(PublishError) as e:
        check_items(items)
    assert str(e.value) == (f"deck: instagram takes only JPEG cards and this deck's are PNG; run 'postdeck render "
                            f"{cards.parent} --format png,jpg' (keeps your edits to deck.yaml), then publish again "
                            "(nothing was sent)")


def test_caption_over_the_limit_fails_naming_post_and_rule(tmp_path):
    ch = Channel("x1", "ClinicX", "x", "x")
    items = [Item(deck="d", key="4", channel=ch, when=NOW, text="word " * 80)]
    with pytest.raises(PublishError, match=r"^d post 4 -> x 'ClinicX': 400 characters is over x's limit of 280; "
                                           r"edit its x caption in deck.yaml \(nothing was sent\)$"):
        check_items(items)


def test_too_many_instagram_hashtags_fail_before_anything_is_sent(tmp_path):
    from PIL import Image

    card = tmp_path / "01.jpg"
    Image.new("RGB", (108, 135), "white").save(card)
    ch = Channel("ig1", "Clinic IG", "instagram", "instagram")
    text = "Move a little every hour.\n\n#backpain #posture #clinic #health #desk #stretch"  # six: a person's edit
    items = [Item(deck="d", key="2", channel=ch, when=NOW, text=text, files=(card,))]
    with pytest.raises(PublishError) as caught:
        check_items(items)
    assert str(caught.value) == ("d post 2 -> instagram 'Clinic IG': 6 hashtags; Instagram allows at most 5; "
                                 "edit its instagram caption in deck.yaml (nothing was sent)")
    # A long first line is advice (Instagram folds it behind 'more'), not a refusal: it still goes.
    check_items([Item(deck="d", key="2", channel=ch, when=NOW, text="word " * 40 + "\n\n#backpain", files=(card,))])


def test_combined_caption_keeps_the_shared_call_to_action():
    posts = tuple(Post(n=i, headline=f"H{i}", quote="q", body="b",
                       captions={"linkedin": f"Point {i}.\n\nBook a visit today.\n\n#clinic #tip{i}"}) for i in (1, 2))
    deck = Deck(title="Seven ways", source="s", slug="s", posts=posts)
    assert combined_caption(deck, "linkedin") == "Seven ways\n\n1. H1\n2. H2\n\nBook a visit today.\n\n#clinic #tip1"


def test_slots_in_the_ledger_are_kept(tmp_path):
    from postdeck.publish.ledger import Ledger

    deck = load_deck(make_deck(tmp_path) / "deck.yaml")
    ledger = Ledger(tmp_path / "l.sqlite")
    item = Item(deck=deck.slug, key="1", channel=Channel("ig1", "IG", "instagram"), when=NOW, text="t")
    ledger.plan("postiz", item, "2026-12-24T10:00:00Z", "Europe/Berlin")
    slots = assign_slots(deck, ["1", "2"], When(start="2026-12-07T09:00", tz="UTC"), ledger.rows("postiz"), NOW, [])
    assert slots["1"].isoformat() == "2026-12-24T11:00:00+01:00"  # kept from the ledger, shown in its zone
    assert slots["2"].isoformat() == "2026-12-08T09:00:00+00:00"  # its place in the series


def test_select_channels_skips_disabled_by_default():
    chans = [Channel("a", "A", "x"), Channel("b", "B", "instagram", disabled=True)]
    assert select_channels(chans, (), "postiz") == [chans[0]]


def test_one_writer_per_ledger(tmp_path):
    from postdeck.publish.ledger import Ledger

    first = Ledger(tmp_path / "ledger.sqlite")
    with pytest.raises(PublishError, match="another postdeck publish or unschedule is using this ledger"):
        Ledger(tmp_path / "ledger.sqlite")
    first.close()
    Ledger(tmp_path / "ledger.sqlite").close()  # free again


def test_a_broken_ledger_releases_its_lock(tmp_path):
    from postdeck.deck.lockfile import HeldLock
    from postdeck.publish.ledger import Ledger

    path = tmp_path / "ledger.sqlite"
    path.write_bytes(b"\x00garbage" * 200)
    kept = []
    with pytest.raises(PublishError, match="is damaged or not a postdeck ledger"):
        kept.append(Ledger(path))  # pragma: no cover - it must raise
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ledger.sqlite"]  # no lock file left, none held
    with HeldLock(tmp_path / "ledger.sqlite.lock", wait=False):  # free at once, not held by a leaked handle
        pass


def test_a_closed_ledger_leaves_no_lock_file(tmp_path):
    from postdeck.publish.ledger import Ledger

    Ledger(tmp_path / "ledger.sqlite").close()
    assert not (tmp_path / "ledger.sqlite.lock").exists()


def test_the_event_log_records_only_real_changes(tmp_path):
    from postdeck.publish.ledger import Ledger

    ledger = Ledger(tmp_path / "l.sqlite")
    item = Item(deck="d", key="1", channel=Channel("ig1", "Clinic IG", "instagram", "instagram"), when=NOW, text="t")
    ledger.plan("postiz", item, "2026-12-07T03:30:00Z", "Asia/Kolkata")
    ledger.plan("postiz", item, "2026-12-08T03:30:00Z", "Asia/Kolkata")  # already planned: kept, nothing to log
    ledger.set("postiz", item, "created", remote_id="42")
    ledger.reslot("postiz", item, "2026-12-09T03:30:00Z", "Asia/Kolkata")  # created: never moved, nothing to log
    events = [r[0] for r in ledger._db.execute("SELECT state FROM events ORDER BY id")]
    ledger.close()
    assert events == ["planned", "created"]
