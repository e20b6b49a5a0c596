"""Emoji and non-Latin text render as real glyphs from the bundled fallbacks, never as boxes."""

from __future__ import annotations


import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFont, ImageStat, features

from postdeck.cards.fallback import (
    EMOJI_FONT,
    FONTS_DIR,
    FontStack,
    covers,
    emoji_strike,
    is_emoji_font,
    load_font,
    runs,
    visual_order,
)
from postdeck.cards.typeset import draw_block, font_stack, layout, measure

PRIMARY = FONTS_DIR / "Inter-Bold.otf"
STACK = font_stack(PRIMARY)
NO_FALLBACK = FontStack(PRIMARY, fallbacks=())
SIZE = 64

SAMPLES = {
    "emoji": ("🦷😀", "NotoColorEmoji.ttf"),
    "devanagari": ("स्वास्थ्य", "NotoSansDevanagari-Bold.ttf"),  # bold, like the primary
    "tamil": ("வணக்கம்", "NotoSansTamil-Bold.ttf"),
    "arabic": ("مرحبا", "NotoNaskhArabic-Bold.ttf"),
    "cjk": ("健康診断", "DroidSansFallbackFull.ttf"),
    "korean": ("건강검진", "NotoSansKR-Hangul.otf"),
    "hebrew": ("בריאות", "NotoSansHebrew-Regular.ttf"),
    "bengali": ("স্বাস্থ্য", "NotoSansBengali-Regular.ttf"),
    "thai": ("สุขภาพ", "NotoSansThai-Regular.ttf"),
}


def _render(text: str, stack: FontStack) -> Image.Image:
    image = Image.new("RGB", (900, 140), "white")
    draw_block(image, layout(text, stack, SIZE, 880), stack, (10, 10), "black")
    return image


def _ink(image: Image.Image) -> int:
    """Pixels clearly not white."""
    gray = image.convert("L").point(lambda v: 255 if v < 128 else 0)
    return sum(1 for v in gray.get_flattened_data() if v)


def test_primary_font_really_lacks_these_scripts():
    # Otherwise the test below would prove nothing.
    for text, _ in SAMPLES.values():
        assert not any(covers(PRIMARY, ch) for ch in text)


@pytest.mark.parametrize("name", SAMPLES)
def test_fallback_draws_real_glyphs_not_boxes(name, tmp_path):
    text, expected_font = SAMPLES[name]
    pieces = runs(text, STACK)
    assert [r.font.name for r in pieces] == [expected_font]
    assert covers(pieces[0].font, text.replace("\u200d", ""))

    drawn = _render(text, STACK)
    tofu = _render(text, NO_FALLBACK)  # what a single-font renderer draws: .notdef boxes
    drawn.save(tmp_path / f"{name}.png")
    assert _ink(drawn) > 200, "nothing visible was drawn"
    difference = ImageStat.Stat(ImageChops.difference(drawn, tofu).convert("L")).mean[0]
    assert difference > 5, f"{name} looks like the missing-glyph rendering"
    notdef = _notdef_box()
    assert not _contains(drawn, notdef), f"{name} contains a .notdef box"


def _notdef_box() -> Image.Image:
    """The primary face's .notdef glyph (an unassigned code point) as ink."""
    font = load_font(PRIMARY, SIZE)
    image = Image.new("L", (200, 200), 255)
    ImageDraw.Draw(image).text((20, 150), "\U000e0001\uffff", font=font, fill=0, anchor="ls")
    return image.crop(image.point(lambda v: 255 - v).getbbox())


def _contains(image: Image.Image, glyph: Image.Image) -> bool:
    """Whether the exact .notdef ink occurs in the image (checked along each inked line)."""
    gray = image.convert("L")
    bbox = gray.point(lambda v: 255 - v).getbbox()
    if bbox is None:
        return False
    top = bbox[1]
    for dy in range(-3, 4):
        for x in range(bbox[0] - 2, bbox[2] - glyph.width + 2):
            patch = gray.crop((x, top + dy, x + glyph.width, top + dy + glyph.height))
            if ImageStat.Stat(ImageChops.difference(patch, glyph)).mean[0] < 8:
                return True
    return False


def test_notdef_detector_finds_boxes():
    # The detector must be able to fail: the primary-only rendering of CJK is boxes.
    assert _contains(_render("健康診断", NO_FALLBACK), _notdef_box())


def test_fallback_weight_follows_the_primary():
    regular = font_stack(FONTS_DIR / "Inter-Regular.otf")
    assert [r.font.name for r in runs("வணக்கம் مرحبا", regular)] == [
        "NotoSansTamil-Regular.ttf", "NotoNaskhArabic-Regular.ttf"]
    assert all(path.exists() for path in STACK.fallbacks + regular.fallbacks)


def test_colour_emoji_have_colour_and_scale_with_the_text():
    assert is_emoji_font(EMOJI_FONT) and not is_emoji_font(PRIMARY)
    assert emoji_strike(EMOJI_FONT) == 72
    hsv = _render("😀", STACK).convert("HSV")
    saturated = sum(1 for h, s, v in hsv.get_flattened_data() if s > 120 and v > 120)
    assert saturated > 300, "emoji drawn without colour"
    assert measure("😀", STACK, 40) < measure("😀", STACK, 80) <= 2 * measure("😀", STACK, 40) + 1


def test_colour_emoji_load_one_face_whatever_the_size():
    # The face is always the strike's; one per size would map the 6.7 MB file again each time.
    assert load_font(EMOJI_FONT, 40) is load_font(EMOJI_FONT, 80)
    assert load_font(EMOJI_FONT, 40).size == 72 and load_font(PRIMARY, 40).size == 40


def test_zwj_sequences_flags_and_skin_tones_stay_one_cluster():
    for emoji in ("👨\u200d👩\u200d👧", "🇮🇳", "👍🏽", "1\ufe0f\u20e3"):
        pieces = runs(emoji, STACK)
        assert len(pieces) == 1 and is_emoji_font(pieces[0].font), emoji
        # One glyph: a ligature is about as wide as a single emoji, not several.
        assert measure(emoji, STACK, 72) < 1.5 * measure("😀", STACK, 72), emoji


@pytest.mark.parametrize("ch", list("❤✔☀✨☺→✓★½€₹™①♥⚕🫀αЖ"))
def test_every_character_goes_to_a_face_that_has_it(ch):
    (run,) = runs(ch, STACK)
    assert covers(run.font, ch), (ch, run.font.name)


def test_text_presentation_and_digits_stay_in_the_text_face():
    assert runs("Call 555 #1 ©", STACK)[0].font == PRIMARY
    assert len(runs("Call 555 #1 ©", STACK)) == 1


def test_marks_stay_with_their_base():
    # Devanagari conjuncts and vowel signs are one run, shaped together.
    assert len(runs("क्षत्रिय नमस्ते", STACK)) == 1


@pytest.mark.skipif(not features.check("raqm"), reason="shaping needs raqm")
def test_arabic_is_shaped():
    word = "مرحبا"
    font = load_font(FONTS_DIR / "NotoNaskhArabic-Regular.ttf", SIZE)
    isolated = sum(font.getlength(ch) for ch in word)
    # Joined (initial/medial/final) forms are narrower than the isolated letters side by side.
    assert measure(word, STACK, SIZE) < 0.9 * isolated


def test_right_to_left_paragraphs_reorder_runs():
    text = "مرحبا Inter 2026 بالعالم"
    order = [r.text.strip() for r in visual_order(runs(text, STACK, "rtl"), "rtl")]
    assert [x for x in order if x] == ["بالعالم", "Inter 2026", "مرحبا"]
    text = "Hello مرحبا بالعالم world"
    order = [r.text.strip() for r in visual_order(runs(text, STACK, "ltr"), "ltr")]
    assert order[0] == "Hello" and order[-1] == "world"


def mixed_card() -> tuple[Image.Image, tuple[int, int, int, int]]:
    """Every fallback script on one card line at card size (also handy to look at by eye)."""
    text = "Health 🦷 स्वास्थ्य · வணக்கம் · مرحبا · 健康診断 😀"
    block = layout(text, STACK, 72, 960)
    image = Image.new("RGB", (1080, 80 + block.height), "#f4efe6")
    box = draw_block(image, block, STACK, (60, 40), "#1d2433", align="center", box_width=960)
    return image, box


def test_mixed_card_line(tmp_path):
    image, box = mixed_card()
    image.save(tmp_path / "fallback.png")
    assert 60 <= box[0] and box[2] <= 1020
    assert not _contains(image, _notdef_box())


@pytest.fixture
def basic_layout(monkeypatch):
    """Pillow without raqm (no FriBiDi on the system): its basic layout engine."""
    import postdeck.cards.fallback as fallback
    import postdeck.cards.linebreak as linebreak
    import postdeck.cards.typeset as typeset

    def clear():
        for module in (fallback, linebreak, typeset):
            for value in vars(module).values():
                if hasattr(value, "cache_clear"):
                    value.cache_clear()

    clear()
    monkeypatch.setattr(fallback, "_layout_engine", lambda: ImageFont.Layout.BASIC)
    yield
    monkeypatch.undo()
    clear()


def test_without_raqm_text_still_renders_from_the_right_fonts(basic_layout):
    text = "Health 健康 😀 வணக்கம்"
    assert load_font(PRIMARY, 40).layout_engine == ImageFont.Layout.BASIC
    block = layout(text, STACK, 40, 900)
    image = Image.new("RGB", (1000, 200), "white")
    draw_block(image, block, STACK, (10, 10), "black")
    assert _ink(image) > 300
    assert not _contains(image, _notdef_box())


def test_a_paragraph_mostly_in_arabic_is_right_to_left_even_when_it_opens_with_latin() -> None:
    # An Arabic title opening with a product name was set left to right (Unicode's first strong
    # character), so its Arabic words read in the wrong order and the cover was not mirrored.
    from postdeck.cards.fallback import base_direction

    assert base_direction("React Canaries: التمكين التدريجي لإطلاق الميزات الجديدة خارج Meta") == "rtl"
    assert base_direction("Reduces inflammation with خارج in it") == "ltr"
    assert base_direction("مرحبا") == "rtl" and base_direction("2026") == "ltr"
