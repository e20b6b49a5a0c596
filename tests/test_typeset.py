from __future__ import annotations

from pathlib import Path

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from postdeck.cards.typeset import (
    FONTS_DIR,
    draw_block,
    fit,
    font_stack,
    layout,
    measure,
    shared_size,
    smart_typography,
    words_to_cut,
)

SEED = Path(__file__).resolve().parent.parent / "posts" / "01-acupuncture-post-surgical-back-pain.txt"
SANS = font_stack(FONTS_DIR / "Inter-Bold.otf")
SERIF = font_stack(FONTS_DIR / "EBGaramond12-Regular.otf")
DISPLAY = font_stack(FONTS_DIR / "LeagueSpartan-Black.otf")

QUOTES = [
    "The best time to book a check-up is before anything hurts, and that is why we send reminders.",
    "Acupuncture after back surgery helped most patients sleep better within two weeks.",
    "Small habits, repeated daily, beat heroic efforts made once a year.",
    "Ask your physiotherapist which stretches are safe in the first six weeks after surgery.",
    "Nine out of ten readers said the checklist saved them time.",
]


def _greedy(text, stack, size, width):
    """First-fit lines on measured widths, as a naive tool would break them."""
    lines, line = [], ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if line and measure(trial, stack, size) > width:
            lines.append(line)
            line = word
        else:
            line = trial
    return [*lines, line]


def _rejoin(lines):
    """The words of broken lines, hyphenated pieces joined (hyphens dropped)."""
    text = "".join(line[:-1] if line.endswith("-") else line + " " for line in lines)
    return text.replace("-", "").split()


@pytest.mark.parametrize("stack", [SANS, SERIF, DISPLAY], ids=["sans", "serif", "display"])
@pytest.mark.parametrize("text", QUOTES)
@pytest.mark.parametrize("size,width", [(72, 880), (48, 500), (96, 700), (30, 260)])
def test_layout_never_exceeds_width(stack, text, size, width):
    block = layout(smart_typography(text), stack, size, width)
    assert all(measure(line, stack, size) <= width for line in block.lines)
    assert block.width == max(measure(line, stack, size) for line in block.lines)
    assert _rejoin(block.lines) == smart_typography(text).replace("-", "").split()


@settings(max_examples=40, deadline=None)
@given(
    words=st.lists(st.text("abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=18), min_size=1,
                   max_size=25),
    width=st.integers(min_value=150, max_value=1000),
)
def test_layout_fits_any_words_at_any_width(words, width):
    block = layout(" ".join(words), SANS, 40, width)
    assert all(measure(line, SANS, 40) <= width for line in block.lines)
    assert _rejoin(block.lines) == words


def test_balanced_breaks_avoid_a_one_word_last_line():
    text = QUOTES[0]
    # Find widths where first-fit breaking leaves one word alone on the last line.
    widowed = [w for w in range(500, 1000, 10) if len(_greedy(text, SANS, 60, w)[-1].split()) == 1]
    assert widowed, "test needs a width where greedy breaking leaves a widow"
    for width in widowed:
        block = layout(text, SANS, 60, width)
        greedy = _greedy(text, SANS, 60, width)
        assert len(block.lines) == len(greedy)  # balancing never adds a line
        assert len(block.lines[-1].split()) > 1, (width, block.lines)


def test_balanced_lines_are_more_even_than_greedy():
    text = QUOTES[1]
    width = 900
    block = layout(text, SANS, 64, width)
    greedy = _greedy(text, SANS, 64, width)
    spread = lambda lines: max(measure(x, SANS, 64) for x in lines) - min(
        measure(x, SANS, 64) for x in lines
    )
    assert len(block.lines) == len(greedy) >= 2
    assert spread(block.lines) < spread(greedy)


def test_no_line_starts_with_a_dash():
    text = smart_typography("We listen first -- then we treat the cause, not only the pain -- every time.")
    for width in range(300, 900, 25):
        for line in layout(text, SANS, 48, width).lines:
            assert not line.startswith(("\u2014", "\u2013")), (width, line)


def test_fit_chooses_the_largest_size_that_fits():
    box = (880, 700)
    for text in QUOTES:
        block = fit(text, SANS, box, max_size=200, min_size=24)
        assert block is not None and 24 <= block.size < 200
        assert block.height <= box[1] and block.width <= box[0]
        bigger = layout(text, SANS, block.size + 1, box[0])
        assert bigger.height > box[1] or bigger.width > box[0]


def test_fit_respects_max_size_and_max_lines():
    assert fit("Hi", SANS, (880, 700), max_size=90, min_size=20).size == 90
    block = fit(QUOTES[0], SANS, (880, 1200), max_size=200, min_size=20, max_lines=3)
    assert len(block.lines) <= 3
    assert len(layout(QUOTES[0], SANS, block.size + 1, 880).lines) > 3


def test_fit_returns_none_when_min_size_does_not_fit():
    assert fit(" ".join(QUOTES * 4), SANS, (400, 200), max_size=80, min_size=32) is None


def test_shared_size_fits_every_text_and_is_the_smallest_fit():
    box = (880, 600)
    size = shared_size(QUOTES, SERIF, box, max_size=160, min_size=24)
    sizes = [fit(q, SERIF, box, max_size=160, min_size=24).size for q in QUOTES]
    assert size == min(sizes)
    for text in QUOTES:
        block = layout(text, SERIF, size, box[0])
        assert block.height <= box[1] and block.width <= box[0]
    assert shared_size([*QUOTES, " ".join(QUOTES * 5)], SERIF, box, max_size=160, min_size=40) is None


def test_words_to_cut_names_the_smallest_cut():
    text = " ".join(QUOTES * 3)
    box = (880, 500)
    cut = words_to_cut(text, SANS, box, min_size=40)
    words = text.split()
    assert cut > 0
    assert fit(" ".join(words[: len(words) - cut]), SANS, box, max_size=40, min_size=40)
    assert fit(" ".join(words[: len(words) - cut + 1]), SANS, box, max_size=40, min_size=40) is None
    assert words_to_cut(QUOTES[0], SANS, box, min_size=40) == 0


def test_hyphenates_only_words_wider_than_the_line():
    normal = layout(QUOTES[3], SANS, 60, 600)
    assert not any(line.endswith("-") for line in normal.lines)
    long_word = "Pneumonoultramicroscopicsilicovolcanoconiosis is a long word"
    block = layout(long_word, SANS, 60, 600)
    assert all(measure(line, SANS, 60) <= 600 for line in block.lines)
    assert block.lines[0].endswith("-")
    head = "".join(line[:-1] for line in block.lines if line.endswith("-"))
    rest = next(line for line in block.lines if not line.endswith("-"))
    assert (head + rest).startswith("Pneumonoultramicroscopicsilicovolcanoconiosis")


@pytest.mark.parametrize("literal", [
    "www.jayanthacupunctureclinic.example/post-surgical-care",
    "appointments@jayanthacupunctureclinic.example",
    "@jayanthacupunctureclinicofficial",
    "#postsurgicalbackpainrecoveryjourney",
])
def test_urls_addresses_handles_and_hashtags_are_never_hyphenated(literal):
    # A hyphen added inside one would be typed by a reader ("...clin-ic.example"): break at
    # its own '/' and '.' (or, as a last resort, between letters with no hyphen).
    block = layout(f"Book online at {literal} today", SANS, 60, 500)
    assert all(measure(line, SANS, 60) <= 500 for line in block.lines)
    assert not any(line.endswith("-") for line in block.lines), block.lines
    assert literal in "".join(block.lines).replace(" ", "")


def test_existing_hyphens_are_used_before_new_ones():
    block = layout("evidence-based-physiotherapy-programmes", SANS, 60, 500)
    assert all(measure(line, SANS, 60) <= 500 for line in block.lines)
    assert "".join(block.lines) == "evidence-based-physiotherapy-programmes"


def test_cjk_breaks_between_characters():
    text = "東京の歯科医院では、予約の前日にリマインダーを送ります。痛みが出る前に検診を受けましょう。"
    block = layout(text, SANS, 56, 500)
    assert len(block.lines) > 1
    assert "".join(block.lines) == text  # no spaces inserted, nothing lost
    assert all(measure(line, SANS, 56) <= 500 for line in block.lines)
    assert not any(line.startswith(("、", "。")) for line in block.lines)  # kinsoku


def test_newlines_are_hard_breaks():
    block = layout("First line\nSecond line", SANS, 40, 900)
    assert block.lines == ("First line", "Second line")


@pytest.mark.parametrize(
    "typed,expected",
    [
        ('"Hello," she said.', "\u201cHello,\u201d she said."),
        ("Don't stop", "Don\u2019t stop"),
        ("'Quoted' text", "\u2018Quoted\u2019 text"),
        ("the students' notes", "the students\u2019 notes"),
        ("back in the '90s", "back in the \u201990s"),
        ("wait... what", "wait\u2026 what"),
        ("yes -- no", "yes \u2014 no"),
        ("yes--no", "yes\u2014no"),
        ("before - after", "before \u2013 after"),
        ("a well-known 10-20 range", "a well-known 10-20 range"),
        ('("Nested" quote)', "(\u201cNested\u201d quote)"),
        ('He said "it\'s fine"', "He said \u201cit\u2019s fine\u201d"),
        ('"你好"', '"你好"'),  # other scripts keep what the writer typed
        ('"مرحبا"', '"مرحبا"'),
        ("नमस्ते 'दुनिया'", "नमस्ते 'दुनिया'"),
    ],
)
def test_smart_typography(typed, expected):
    assert smart_typography(typed) == expected
    assert smart_typography(expected) == expected  # idempotent


INK_SAMPLES = [
    QUOTES[0],
    "திறந்த மூல பராமரிப்பாளராக சிறந்த தீர்மானங்களை எடுக்க உதவுவதற்கு",
    "स्वास्थ्य ही सबसे बड़ा धन है 🙏",
    "الصحة تاج على رؤوس الأصحاء",
    "健康は最大の財産です。毎日少しずつ。",
    "Jump-start your day 🦷✨ with 3 quick tips!",
    "건강한 하루를 시작하세요",
    "สุขภาพดีเริ่มต้นที่ตัวเรา ทุกวัน",
    "בריאות טובה מתחילה היום",
]


@pytest.mark.parametrize("face", ["Inter-Bold.otf", "EBGaramond12-Regular.otf",
                                  "EBGaramond12-Italic.otf", "LeagueSpartan-Black.otf"])
@pytest.mark.parametrize("text", INK_SAMPLES)
def test_ink_stays_inside_the_block(face, text):
    from PIL import Image

    stack = font_stack(FONTS_DIR / face)
    block = fit(text, stack, (600, 500), max_size=120, min_size=16)
    image = Image.new("RGB", (800, 700), "white")
    left, top = 100, 100
    ink = draw_block(image, block, stack, (left, top), "black", align="center", box_width=600)
    real = image.convert("L").point(lambda v: 255 if v < 250 else 0).getbbox()
    # The reported bbox covers the real ink, and both lie inside the box the block was fitted to.
    assert ink[0] <= real[0] and ink[1] <= real[1] and real[2] <= ink[2] and real[3] <= ink[3]
    assert left <= real[0] and real[2] <= left + 600, (real, block.lines)
    assert top <= real[1] and real[3] <= top + block.height <= top + 500, (real, block)


def test_thai_breaks_at_spaces_and_between_words_never_inside_one():
    # Thai runs words together: a line broke inside "สมอง" (brain) as "สมอ-" / "ง...". Lines
    # now end at a space or between the words BudouX finds, with no hyphen added.
    from postdeck.text.sentences import thai_words

    for text in ("สุขภาพดี เริ่มต้นที่ ตัวเรา ทุกวัน", "แสงสีฟ้าจากหน้าจอทำให้สมองตื่นตัว"):
        block = layout(text, SANS, 60, 420)
        ends, at = set(), 0
        for word in (w for part in text.split() for w in thai_words(part)):
            at += len(word)
            ends.add(at)
        glued = [line.replace(" ", "") for line in block.lines]
        assert len(glued) > 1 and "".join(glued) == text.replace(" ", ""), block.lines
        assert all(sum(map(len, glued[:i + 1])) in ends for i in range(len(glued))), block.lines


def test_lines_avoid_ending_on_a_or_the_when_it_costs_little(monkeypatch):
    import postdeck.cards.linebreak as linebreak
    import postdeck.cards.typeset as typeset

    text = "Book a check-up at the clinic and get a free posture assessment with the team"

    def weak_endings() -> int:
        typeset._block.cache_clear()
        linebreak.break_paragraph.cache_clear()
        return sum(line.split()[-1] in ("a", "the") for w in range(380, 900, 20)
                   for line in layout(text, SANS, 48, w).lines[:-1])

    with_penalty = weak_endings()
    monkeypatch.setattr(linebreak, "_WEAK_END_PENALTY", 0.0)
    without = weak_endings()
    typeset._block.cache_clear()
    linebreak.break_paragraph.cache_clear()
    assert with_penalty < without / 2, (with_penalty, without)


def test_a_line_may_end_at_a_words_own_hyphen():
    text = ("CarpentryCon (worldwide and CarpentryConnect, which are regional events for "
            "example CarpentryConnect-JHB and CarpentryConnect-Davis)")
    stack = font_stack(FONTS_DIR / "Inter-Regular.otf")
    for width in range(560, 900, 20):
        block = layout(text, stack, 60, width)
        assert "and" not in block.lines, (width, block.lines)  # no lone "and" between long words
        assert _rejoin(block.lines) == text.replace("-", "").split()
    for width in range(200, 600, 20):
        assert all(line not in ("e-", "x-") for line in layout("e-mail x-ray", SANS, 40, width).lines)


MIXED_WORDS = ["care", "well-being", "—", "“quoted”", "😀", "👍🏽", "🇮🇳", "स्वास्थ्य", "வணக்கம்",
               "مرحبا", "健康診断", "건강", "שלום", "e-mail", "Pneumonoultramicroscopic", "2026",
               "x", "।", "、"]


@settings(max_examples=60, deadline=None)
@given(
    words=st.lists(st.sampled_from(MIXED_WORDS), min_size=1, max_size=30),
    width=st.integers(min_value=120, max_value=900),
    size=st.integers(min_value=16, max_value=90),
)
def test_any_mix_of_scripts_fits_the_width_and_keeps_every_character(words, width, size):
    text = " ".join(words)
    block = layout(text, SANS, size, width)
    widest_grapheme = max(measure(g, SANS, size) for g in regex.findall(r"\X", text))
    if widest_grapheme + measure("-", SANS, size) <= width:
        assert all(measure(line, SANS, size) <= width for line in block.lines), block.lines
    kept = "".join(line.removesuffix("-") for line in block.lines).replace(" ", "")
    assert kept.replace("-", "") == text.replace(" ", "").replace("-", "")



def test_japanese_breaks_between_characters_so_no_title_is_one_word() -> None:
    # The cover and headline sizes were capped so the 'longest word' fit one line; a Japanese
    # title without spaces was one word, and came out at the minimum size.
    from postdeck.cards.typeset import unbreakable_words

    assert unbreakable_words("暑熱順化は5月から Post-Surgical") == ["暑", "熱", "順", "化", "は", "5", "月", "か", "ら", "Post-", "Surgical"]
    # A long hyphenated compound may end a line at its own hyphens: it does not shrink a deck.
    assert unbreakable_words("(how-react-features)") == ["(how-", "react-", "features)"]


def test_a_japanese_cover_title_is_set_large() -> None:
    from postdeck.brand.schema import load_brand
    from postdeck.cards.ends import _fit_title
    from postdeck.cards.paint import Box
    from postdeck.cards.slides import Canvas

    brand = load_brand("default")
    c = Canvas(brand, "portrait", "cover")
    block = _fit_title(c, "暑熱順化は5月から？（お散歩カメラ 2026-05-16）", font_stack(FONTS_DIR / "Inter-Bold.otf"),
                       Box(c.area.x0, 300, c.area.x1, 1000))
    assert block.size >= 90, block.size


def test_a_line_whose_estimate_fits_but_whose_shaped_width_does_not_is_broken() -> None:
    # Found by the property test above: estimated narrower than 498 px, shaped at 499 px, and
    # tightening the target by the overflow, a pixel at a time, never made the breaker move a word.
    block = layout("x x । “quoted”", SANS, 74, 498)
    assert all(measure(line, SANS, 74) <= 498 for line in block.lines), block.lines
    assert block.width <= 498 and _rejoin(block.lines) == ["x", "x", "।", "“quoted”"]


def test_the_size_search_judges_sizes_as_the_final_check_does() -> None:
    # The search judged sizes by estimates: 80 px looked like a fit (two lines, 873 px) and
    # 81 px did not (884 px), but shaped it is the other way round. The exact check then stepped
    # down from 80 to 79 px, below 82 px, where the quote fits in three lines.
    stack = font_stack(FONTS_DIR / "EBGaramond12-Italic.otf")
    text = smart_typography("Driving someone else's vehicle can sometimes feel a little off.")
    box = (880, 600)
    block = fit(text, stack, box, max_size=82, min_size=40, line_spacing=1.3, clean=False)
    assert block is not None and block.size == 82, block
    assert block == layout(text, stack, 82, box[0], line_spacing=1.3)
    assert block.width <= box[0] and block.height <= box[1]


def test_a_shared_size_fits_every_text_even_where_fitting_is_not_monotonic() -> None:
    # The clinic template's seed deck: its sixth quote fits its box at 81, 83 and 84 px but its
    # planned lines overflow at 82 (by a pixel, which small steps cannot fix). Beside a text that
    # fits at 82 px at most and has a lone word at every size, the shared size was 82: the sixth
    # quote had been fitted at 84 and was not fitted again, and the search for a size without a
    # lone word found none and fell back to 82, where the quote overflowed its box (865 px in 864).
    from postdeck.brand.schema import load_brand
    from postdeck.cards import typeset
    from postdeck.cards.render import _quote_box, card_texts
    from postdeck.cards.slides import QUOTE_SPACING, card_frame
    from postdeck.readers import read_article
    from postdeck.text.split import split_article

    deck = split_article(read_article(SEED), 7, slug="seed")
    brand = load_brand("clinic")
    blocks = card_texts(deck, brand, "portrait")
    box = _quote_box(card_frame(brand, "portrait"), brand, "portrait", max(h.height for h, _ in blocks))
    stack = font_stack(Path(brand.fonts.quote))
    sixth = smart_typography(deck.posts[5].quote)

    def fits(size: int) -> bool:  # as fit() judges a size: its planned lines, shaped, fit the box
        block = typeset._block(sixth, stack, size, box[0], QUOTE_SPACING, "en_US", True, False)
        return block.width <= box[0] and block.height <= box[1]

    assert [s for s in range(80, 85) if fits(s)] == [80, 81, 83, 84]
    other = ("One of the main advantages of Acupuncture is its robustness it offers to reduce "
             "inflammation. Acupuncture triggers the release of natural painkillers\nYes.")
    assert fit(other, stack, box, max_size=84, min_size=40, line_spacing=QUOTE_SPACING).size == 82
    shared = shared_size([sixth, other], stack, box, max_size=84, min_size=40, line_spacing=QUOTE_SPACING)
    assert shared is not None and fits(shared), shared
    assert layout(sixth, stack, shared, box[0], line_spacing=QUOTE_SPACING).width <= box[0]
    for (_, quote), post in zip(blocks, deck.posts):  # the deck itself: each quote as laid out fits
        assert quote == layout(smart_typography(post.quote), stack, quote.size, box[0], line_spacing=QUOTE_SPACING)
        assert quote.width <= box[0] and quote.height <= box[1]
