"""Encoding card files: palette trials per ground, ground maps kept per process, slides in flight."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from PIL import Image, ImageDraw

from postdeck.brand.schema import load_brand
from postdeck.cards import cardfiles, palette
from postdeck.cards.cardfiles import encode_png
from postdeck.cards.palette import GroundMaps, palette_card
from postdeck.cards.render import Slide


def inked(ground: Image.Image, n: int) -> Image.Image:
    """A card: the ground with a few lines of white text on it."""
    card = ground.copy()
    ImageDraw.Draw(card).text((90, 200 + 40 * n), f"line {n} of a quote on the card", fill=(255, 255, 255))
    return card


def counting(monkeypatch: pytest.MonkeyPatch, name: str) -> list[int]:
    """Record the calls of palette.``name``: the width of the image each was given."""
    calls: list[int] = []
    real = getattr(palette, name)

    def counted(image: Image.Image, *args: object) -> object:
        calls.append(image.width)
        return real(image, *args)

    monkeypatch.setattr(palette, name, counted)
    return calls


def test_on_a_photo_ground_only_the_decks_first_card_is_tried_when_it_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    # A trial quantizes the whole card (~100 ms on a photo); when the first card's ink and the
    # photo do not fit in 256 colours, nor do the others' (all 158 photo PNGs of 19 corpus
    # articles were full colour), so they are not tried: the same files, a third of the time.
    from postdeck.cards.render import SAMPLE, render_deck

    slides = render_deck(SAMPLE, load_brand("photo"), "square")
    untried = [encode_png(s.image, s.ground) for s in slides]  # each card tried on its own
    quantized = counting(monkeypatch, "quantize_exact")
    for threads in (1, 2):
        files = cardfiles.card_files({"square": slides}, ("png",), threads=threads)
        assert list(files.values()) == untried
    assert quantized == [1080, 1080]  # the cover, in each run; no other card


def slide(name: str, image: Image.Image, ground: Image.Image) -> Slide:
    return Slide(name, "card", image, ground=ground)


def test_after_a_first_card_that_fails_a_card_that_would_fit_a_palette_is_full_colour() -> None:
    # The one file that differs from trying every card: full colour is the card's very pixels
    # (a bigger file, never a worse one). 200 greys: too many to map colour for colour.
    ramp = Image.linear_gradient("L").resize((400, 300)).point(lambda v: v * 200 // 256)
    ground = Image.merge("RGB", (ramp, ramp, ramp))
    noise = Image.merge("RGB", [Image.effect_noise((160, 160), 90).rotate(a) for a in (0, 90, 180)])
    photo = ground.copy()
    photo.paste(noise, (40, 40))  # a photo pasted on the first card: no palette holds it
    text = inked(ground, 0)
    assert palette_card(photo, ground) is None and palette_card(text, ground) is not None
    for threads in (1, 2):
        files = cardfiles.card_files({"square": [slide("00", photo, ground), slide("01", text, ground)]},
                                     ("png",), threads=threads)
        with Image.open(io.BytesIO(files["cards/01-square.png"])) as im:
            assert im.mode == "RGB" and im.tobytes() == text.tobytes()
    # The first card fits: each of the others is tried, on a ground of its own too.
    files = cardfiles.card_files({"square": [slide("00", text, ground), slide("01", inked(ground, 1), ground),
                                             slide("02", photo, ground)], "story": [slide("00", text, ground.copy())]},
                                 ("png",), threads=2)
    modes = {path: Image.open(io.BytesIO(data)).mode for path, data in files.items()}
    assert modes == {"cards/00-square.png": "P", "cards/01-square.png": "P", "cards/02-square.png": "RGB",
                     "cards/00-story.png": "P"}


def test_when_the_first_cards_trial_breaks_the_cards_waiting_for_it_fail_too(monkeypatch: pytest.MonkeyPatch) -> None:
    ramp = Image.linear_gradient("L").resize((400, 300)).point(lambda v: v * 200 // 256)
    ground = Image.merge("RGB", (ramp, ramp, ramp))

    def broken(image: Image.Image, colours: int) -> Image.Image:
        raise MemoryError("no room to quantize")

    monkeypatch.setattr(palette, "quantize_exact", broken)
    slides = [slide(f"{n:02d}", inked(ground, n), ground) for n in range(3)]
    pending = cardfiles.start_card_files({"square": slides}, ("png",), threads=2)
    for job in pending.images.values():
        with pytest.raises(MemoryError):
            job.result(timeout=60)  # not left waiting for a verdict that never comes


def test_ground_maps_are_made_once_per_ground_for_every_deck_of_a_process(monkeypatch: pytest.MonkeyPatch) -> None:
    # A batch worker builds deck after deck on the same grounds (paint keeps them): mapping the
    # ground for each deck cost 56-66 ms a deck.
    from postdeck.cards.render import SAMPLE, render_deck

    monkeypatch.setattr(cardfiles, "PROCESS_GROUNDS", GroundMaps())
    mapped = counting(monkeypatch, "ground_map")
    slides = render_deck(SAMPLE, load_brand("default"), "square")
    first = cardfiles.card_files({"square": slides}, ("png",), threads=2)
    second = cardfiles.card_files({"square": slides}, ("png",), threads=1)
    assert mapped == [1080] and first == second


def test_ground_maps_keep_the_latest_grounds() -> None:
    grounds = GroundMaps(kept=2)
    a, b, c = (Image.new("RGB", (16, 16), (v, v, v)) for v in (10, 20, 30))
    first, second = grounds.get(a), grounds.get(b)
    assert grounds.get(a) is first  # a was used last: b goes when c comes
    grounds.get(c)
    assert grounds.get(a) is first and grounds.get(b) is not second


def test_a_slide_is_drawn_while_the_one_before_it_encodes_and_no_further_ahead(monkeypatch: pytest.MonkeyPatch) -> None:
    # Drawing ran ahead of slow encoding and every slide waiting held its pixels (~6 MB a
    # card) and its encoders' buffers: ~30 MB of a batch's peak memory.
    import threading
    import time

    saved: list[str] = []
    lock = threading.Lock()

    def slow(encode: object) -> object:
        def encoded(image: Image.Image, *args: object) -> bytes:
            time.sleep(0.05)  # slower than drawing, as a photo card's PNG is
            with lock:
                saved.append(image.info["name"])
            return encode(image, *args)  # type: ignore[operator]
        return encoded

    monkeypatch.setattr(cardfiles, "encode_png", slow(cardfiles.encode_png))
    monkeypatch.setattr(cardfiles, "encode_jpeg", slow(cardfiles.encode_jpeg))
    ground = Image.new("RGB", (200, 100), (240, 240, 240))
    behind: list[list[str]] = []  # when each slide is drawn: the slides before it not yet saved

    def drawn() -> Iterator[Slide]:
        for n in range(6):
            with lock:
                behind.append([f"{k}" for k in range(n) if saved.count(f"{k}") < 2])
            image = inked(ground, 0)
            image.info["name"] = f"{n}"
            yield slide(f"{n:02d}", image, ground)

    for threads in (1, 2, 4):
        saved.clear(), behind.clear()
        files = cardfiles.card_files({"square": drawn()}, ("png", "jpg"), threads=threads)
        assert len(files) == 12 and sorted(saved) == sorted(f"{n}" for n in range(6) for _ in "ab")
        assert all(waiting in ([], [f"{n - 1}"]) for n, waiting in enumerate(behind)), behind


def test_a_full_colour_png_is_packed_with_zlibs_run_length_strategy() -> None:
    # Why photo cards' PNG bytes changed: the same pixels in ~15% fewer bytes (and ~40% less
    # CPU). After PNG's row filters a photo is runs of small differences; Z_RLE packs them
    # tighter than zlib's default search at level 3.
    from postdeck.cards.render import SAMPLE, render_deck

    card = render_deck(SAMPLE, load_brand("photo"), "square")[1]
    data = encode_png(card.image, card.ground)
    before = io.BytesIO()
    card.image.save(before, "PNG", compress_level=3)
    with Image.open(io.BytesIO(data)) as im:
        assert im.mode == "RGB" and im.tobytes() == card.image.tobytes()
    assert len(data) < 0.9 * before.tell()


def test_ink_is_any_pixel_off_the_ground_in_any_band_found_in_whole_blocks() -> None:
    from postdeck.cards.palette import _ink

    ground = Image.new("RGB", (64, 48), (9, 9, 9))
    card = ground.copy()
    card.putpixel((21, 13), (9, 9, 10))  # one level of blue
    card.putpixel((40, 30), (10, 9, 9))  # one level of red, two blocks further down
    mask, boxes = _ink(card, ground)
    assert boxes == [(16, 8, 48, 16), (16, 24, 48, 32)]  # between the ink's left and right edges
    assert mask.getpixel((21, 13)) == mask.getpixel((40, 30)) == 255 and mask.getbbox() == (21, 13, 41, 31)
    assert _ink(ground.copy(), ground)[1] == [] and _ink(ground.copy(), ground)[0].getbbox() is None


def test_a_ground_map_does_not_keep_its_ground_alive_and_goes_with_it() -> None:
    import gc
    import weakref

    grounds = GroundMaps()
    ground = Image.new("RGB", (64, 48), (9, 9, 9))
    first = grounds.get(ground)
    assert grounds.get(ground) is first
    ref = weakref.ref(ground)
    del ground
    gc.collect()
    assert ref() is None  # 6-8 MB a card size: only paint's cache of grounds keeps them
    other = Image.new("RGB", (64, 48), (200, 9, 9))  # may be given the dead ground's id
    mapped = grounds.get(other)
    assert mapped is not None and mapped is not first and mapped[0].getpalette()[:3] == [200, 9, 9]


def test_a_decks_trials_do_not_keep_its_grounds_alive() -> None:
    # A deck at every size of the blocks template draws 45 grounds of 6-8 MB (its discs run
    # across slides); held for the whole deck they made it peak at 385 MB.
    import gc
    import weakref

    from postdeck.cards.palette import deck_trial

    trials: dict = {}
    ground = Image.new("RGB", (64, 48), (9, 9, 9))
    first, second = deck_trial(trials, ground), deck_trial(trials, ground)
    assert first is not None and second is not None
    assert first.first and not second.first and second.told is first.told
    ref = weakref.ref(ground)
    del ground
    gc.collect()
    assert ref() is None
    again = deck_trial(trials, Image.new("RGB", (64, 48), (9, 9, 9)))  # may be given the dead one's id
    assert again is not None and again.first and again.told is not first.told
    assert deck_trial(trials, None) is None


def test_the_jpeg_is_saved_from_its_own_copy_of_the_slide(monkeypatch) -> None:
    """The slide's PNG and JPEG are saved on two threads at once, and Image.save keeps its
    options on the image while it writes: a PNG saved meanwhile took the JPEG's ICC profile
    along, so photo PNGs had an iCCP chunk in some runs and not in others."""
    from PIL import Image

    from postdeck.cards.cardfiles import encode_jpeg

    slide = Image.new("RGB", (64, 64), (200, 40, 40))
    saved: list[Image.Image] = []
    real_save = Image.Image.save

    def save(self, fp, format=None, **params):
        saved.append(self)
        return real_save(self, fp, format, **params)

    monkeypatch.setattr(Image.Image, "save", save)
    encode_jpeg(slide)
    assert saved and all(image is not slide for image in saved)
