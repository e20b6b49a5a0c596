"""Cards are vertically balanced (no empty lower half under a short quote) and landscape
headlines are in proportion to the quote beside them, for every built-in template."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageChops

from postdeck.brand.schema import load_brand
from postdeck.build import BuildOptions, make_deck
from postdeck.cards.paint import background
from postdeck.cards.render import card_texts, render_deck
from postdeck.cards.slides import card_frame

TEMPLATES = ["default", "clinic", "bold", "photo", "editorial", "blocks"]


def seed_deck(seed: Path, template: str):
    brand = load_brand(template)
    return make_deck(seed, BuildOptions(template=template), brand), brand


def ink_rows(card: Image.Image, ground: Image.Image, top: int, bottom: int) -> list[int]:
    """Rows between top and bottom where the card differs from its bare background."""
    diff = ImageChops.difference(card.convert("RGB"), ground.convert("RGB")).convert("L")
    diff = diff.point(lambda v: 255 if v > 40 else 0)
    return [y for y in range(top, bottom) if diff.crop((0, y, card.width, y + 1)).getbbox()]


@pytest.mark.parametrize("size", ["story", "portrait"])
@pytest.mark.parametrize("template", TEMPLATES)
def test_cards_centre_their_text(seed: Path, template: str, size: str) -> None:
    deck, brand = seed_deck(seed, template)
    slides = render_deck(deck, brand, size)
    box = card_frame(brand, size).text
    for n, slide in enumerate(slides):
        if slide.kind != "card":
            continue
        rows = ink_rows(slide.image, background(brand, size, n), box.y0, box.y1)
        middle = (rows[0] + rows[-1]) / 2
        below = box.y1 - rows[-1]
        # Centred (a little above the middle reads as centred), never a half-empty card.
        assert abs(middle - (box.y0 + box.y1) / 2) < box.height * 0.08, (slide.name, middle)
        assert below < box.height * 0.3, (slide.name, below)


@pytest.mark.parametrize("template", TEMPLATES)
def test_landscape_headlines_are_in_proportion_to_the_quote(seed: Path, template: str) -> None:
    deck, brand = seed_deck(seed, template)
    head, quote = card_texts(deck, brand, "landscape")[0]
    assert head.size >= 0.85 * quote.size, (head.size, quote.size)


@pytest.mark.parametrize("template", TEMPLATES)
def test_no_card_text_ends_on_a_lone_word_at_any_size(seed: Path, template: str) -> None:
    from postdeck.brand.schema import SIZES
    from postdeck.cards.linebreak import orphaned

    deck, brand = seed_deck(seed, template)
    for size in SIZES:
        for head, quote in card_texts(deck, brand, size):
            assert not orphaned(head.lines) and not orphaned(quote.lines), (size, head.lines, quote.lines)


def test_an_orphan_is_a_short_last_word_or_a_hole() -> None:
    from postdeck.cards.linebreak import orphaned

    def block(*lines: str) -> tuple[str, ...]:
        return lines

    assert orphaned(block("Sessions are tailored to the patient's", "treatment."))
    assert orphaned(block("Personalized", "and", "Complementary"))  # a hole
    assert not orphaned(block("Reduces", "Inflammation", "Naturally"))  # a column of words
    assert not orphaned(block("温泉の入り方を", "知る"))  # no spaces, no words to orphan
