"""Card files on disk: build -t/--size/--format, posts[].card, render after edits, file limits."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from PIL import Image, ImageCms, JpegImagePlugin, PdfParser

from postdeck.cards.cardfiles import MAX_JPEG, encode_png
from postdeck.cli import cli

SLUG = "01-acupuncture-post-surgical-back-pain"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    seed = Path(__file__).resolve().parent.parent / "posts" / f"{SLUG}.txt"
    out = tmp_path_factory.mktemp("cards") / "output"
    result = CliRunner().invoke(cli, ["build", str(seed), "-o", str(out), "-t", "bold",
                                      "--size", "square,story", "--format", "png,jpg,pdf"])
    assert result.exit_code == 0, result.output
    return out / SLUG


def test_build_writes_every_slide_per_size_and_format_and_nothing_else(built: Path) -> None:
    deck = yaml.safe_load((built / "deck.yaml").read_text())
    n = len(deck["posts"])
    names = ["00-cover", *(f"{i:02d}" for i in range(1, n + 1)), f"{n + 1:02d}-closing"]
    expected = {f"{name}-{size}.{fmt}" for name in names for size in ("square", "story") for fmt in ("png", "jpg")}
    expected |= {"carousel-square.pdf", "carousel-story.pdf"}
    assert {p.name for p in (built / "cards").iterdir()} == expected
    assert deck["template"] == "bold" and deck["sizes"] == ["square", "story"] and deck["formats"] == ["png", "jpg", "pdf"]
    assert [p["card"] for p in deck["posts"]] == [f"cards/{i:02d}-square.png" for i in range(1, n + 1)]


def test_files_have_the_right_size_mode_and_limits(built: Path) -> None:
    with Image.open(built / "cards" / "01-story.png") as png:
        assert png.size == (1080, 1920) and png.mode == "RGB"  # full colour: the card's very pixels
    jpg_path = built / "cards" / "01-square.jpg"
    assert jpg_path.stat().st_size < MAX_JPEG
    with Image.open(jpg_path) as jpg:
        assert jpg.size == (1080, 1080) and jpg.mode == "RGB"
        assert JpegImagePlugin.get_sampling(jpg) == 0  # 4:4:4, coloured text stays sharp
        profile = ImageCms.ImageCmsProfile(io.BytesIO(jpg.info["icc_profile"]))
        assert ImageCms.getProfileDescription(profile).startswith("sRGB")
    for path in (built / "cards").iterdir():
        assert path.stat().st_size < 8 * 1024 * 1024


def test_pdf_has_one_page_per_slide_showing_its_jpeg(built: Path) -> None:
    slides = sorted((built / "cards").glob("*-square.jpg"))
    data = (built / "cards" / "carousel-square.pdf").read_bytes()
    pdf = PdfParser.PdfParser(buf=data)  # a real parser: xref offsets, objects and page tree must hold
    assert len(pdf.pages) == len(slides) == 9
    for ref, jpg in zip(pdf.pages, slides):
        page = pdf.read_indirect(ref)
        assert page[b"MediaBox"] == [0, 0, 540, 540]  # 1080 px at 144 dpi: a 7.5 inch page
        image = pdf.read_indirect(page[b"Resources"][b"XObject"][b"Im0"])
        assert image.dictionary[b"Filter"] == b"DCTDecode" and image.dictionary[b"ColorSpace"] == b"DeviceRGB"
        assert jpg.read_bytes() in data  # the very JPEG of the slide, not a second encoding


def png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """The chunks of a PNG file, each checked against its CRC."""
    import struct
    import zlib

    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, at = [], 8
    while at < len(data):
        (length,), kind = struct.unpack(">I", data[at:at + 4]), data[at + 4:at + 8]
        body, (crc,) = data[at + 8:at + 8 + length], struct.unpack(">I", data[at + 8 + length:at + 12 + length])
        assert zlib.crc32(kind + body) == crc, kind
        chunks.append((kind, body))
        at += 12 + length
    return chunks


@pytest.mark.parametrize("template", ["default", "clinic", "bold", "photo", "editorial", "blocks"])
def test_pngs_hold_the_cards_very_pixels(template: str) -> None:
    import zlib

    from postdeck.brand.schema import load_brand
    from postdeck.cards.render import SAMPLE, iter_slides

    for s in iter_slides(SAMPLE, load_brand(template), "portrait"):
        data = encode_png(s.image, s.photo)
        with Image.open(io.BytesIO(data)) as im:
            assert im.mode == "RGB" and im.size == s.image.size and im.tobytes() == s.image.tobytes(), s.name
        chunks = png_chunks(data)
        assert [kind for kind, _ in chunks] == [b"IHDR", b"IDAT", b"IEND"]
        rows = zlib.decompress(chunks[1][1])
        stride = 1 + 3 * s.image.width
        # Each row's filter: none on flat colour (the slide's bytes as they are), Up on a photo.
        assert len(rows) == stride * s.image.height and rows[::stride] == (b"\2" if s.photo else b"\0") * s.image.height
        assert len(data) < (600 if s.photo else 200) * 1024, s.name


def test_a_png_of_any_other_mode_is_written_by_pillow() -> None:
    for image in (Image.new("RGBA", (30, 20), (9, 200, 30, 128)), Image.new("L", (30, 20), 77)):
        with Image.open(io.BytesIO(encode_png(image))) as im:
            assert im.mode == image.mode and im.tobytes() == image.tobytes()


def test_render_keeps_edits_and_redraws_cards(built: Path, tmp_path: Path) -> None:
    folder = tmp_path / SLUG
    import shutil

    shutil.copytree(built, folder)
    deck_path = folder / "deck.yaml"
    deck = yaml.safe_load(deck_path.read_text())
    before = (folder / "cards" / "02-square.png").read_bytes()
    deck["posts"][1]["headline"] = "Edited by a person"
    deck["posts"][1]["quote"] = "A short quote someone wrote by hand."
    deck["posts"][1]["hashtags"] = ["HandPicked"]
    deck_path.write_text(yaml.safe_dump(deck, allow_unicode=True, sort_keys=False))
    result = CliRunner().invoke(cli, ["render", str(deck_path), "--size", "square", "--format", "png"])
    assert result.exit_code == 0, result.output
    again = yaml.safe_load(deck_path.read_text())
    post = again["posts"][1]
    assert post["headline"] == "Edited by a person" and post["quote"] == "A short quote someone wrote by hand."
    assert "HandPicked" in post["hashtags"]
    assert "Edited by a person" in post["captions"]["linkedin"]
    assert "#HandPicked" in post["captions"]["instagram"]
    assert (folder / "cards" / "02-square.png").read_bytes() != before
    assert sorted(p.name for p in (folder / "cards").iterdir())[:2] == ["00-cover-square.png", "01-square.png"]
    assert not list((folder / "cards").glob("*story*"))  # only what was asked for this time
    assert again["sizes"] == ["square"] and (folder / ".build.json").exists() == (built / ".build.json").exists()


def test_render_reports_a_quote_too_long_and_writes_nothing(built: Path, tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / SLUG
    shutil.copytree(built, folder)
    deck_path = folder / "deck.yaml"
    deck = yaml.safe_load(deck_path.read_text())
    deck["posts"][2]["quote"] = " ".join(["word"] * 150)
    deck_path.write_text(yaml.safe_dump(deck, allow_unicode=True, sort_keys=False))
    before = {p.name: p.read_bytes() for p in (folder / "cards").iterdir()}
    result = CliRunner().invoke(cli, ["render", str(deck_path)])
    assert result.exit_code == 1
    assert result.output.startswith("Error: post 3: quote is too long for the square card at the minimum size 34 px; cut about ")
    assert result.output.endswith(" words in deck.yaml posts[3].quote\n")
    assert {p.name: p.read_bytes() for p in (folder / "cards").iterdir()} == before


def test_unknown_size_is_a_usage_error(tmp_path: Path, seed: Path) -> None:
    result = CliRunner().invoke(cli, ["build", str(seed), "-o", str(tmp_path), "--size", "portrait,poster"])
    assert result.exit_code == 2
    assert "Invalid value for '--size': 'poster' is not one of portrait, square, story, landscape, pinterest" in result.output


def test_unknown_template_fails_before_writing(tmp_path: Path, seed: Path) -> None:
    result = CliRunner().invoke(cli, ["build", str(seed), "-o", str(tmp_path / "out"), "-t", "nope"])
    assert result.exit_code == 1
    assert "template 'nope' not found" in result.output
    assert not (tmp_path / "out" / SLUG).exists()


def test_render_keeps_the_article_link_in_captions(tmp_path: Path) -> None:
    article = tmp_path / "walks.md"
    article.write_text(
        "---\ntitle: Three Reasons to Walk After Lunch\nurl: https://example.org/walks\n---\n\n"
        + "".join(f"## {h}\n\n{t}\n\n" for h, t in [
            ("Steadier energy", "A ten minute walk after eating steadies your energy for the whole afternoon."),
            ("Better sleep", "People who walk in daylight fall asleep faster and wake up less often at night."),
            ("Clearer head", "Stepping away from the desk is when most of us finally solve the problem we left."),
        ]),
        encoding="utf-8",
    )
    out = tmp_path / "output"
    assert CliRunner().invoke(cli, ["build", str(article), "-o", str(out), "--posts", "3"]).exit_code == 0
    deck_path = out / "walks" / "deck.yaml"
    assert yaml.safe_load(deck_path.read_text())["article"]["url"] == "https://example.org/walks"
    before = yaml.safe_load(deck_path.read_text())["posts"][0]["captions"]["linkedin"]
    assert "https://example.org/walks" in before
    result = CliRunner().invoke(cli, ["render", str(deck_path)])
    assert result.exit_code == 0, result.output
    assert yaml.safe_load(deck_path.read_text())["posts"][0]["captions"]["linkedin"] == before


def test_deck_file_round_trips_what_was_rendered(built: Path) -> None:
    from postdeck.deck.deckfile import dump_deck, load_deck

    deck = load_deck(built / "deck.yaml")
    assert deck.template == "bold" and deck.sizes == ("square", "story") and deck.formats == ("png", "jpg", "pdf")
    assert dump_deck(deck) == (built / "deck.yaml").read_text(encoding="utf-8")
    assert load_deck(built / "deck.yaml") == deck


def test_a_deck_split_between_processes_threads_or_one_core_writes_the_same_files(monkeypatch: pytest.MonkeyPatch) -> None:
    from functools import partial

    from postdeck.brand.schema import load_brand
    from postdeck.cards import parallel
    from postdeck.cards.render import SAMPLE, iter_slides

    draw = partial(iter_slides, SAMPLE, load_brand("default"))
    sizes, formats = ("square", "portrait"), ("png", "jpg", "pdf")
    one = parallel.card_files(draw, sizes, 5, formats, cores=1)  # a batch worker on 2 cores
    for fork in (True, False):
        monkeypatch.setattr(parallel, "can_fork", lambda fork=fork: fork)
        for cores in (2, 3):
            split = parallel.card_files(draw, sizes, 5, formats, cores=cores)
            assert split == one and list(split) == list(one), (fork, cores)
    assert len(one) == 2 * 5 * 2 + 2


def test_one_article_builds_in_process_and_batch_workers_get_their_share_of_cores(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import concurrent.futures

    from postdeck.build import build_all
    from postdeck.cards import parallel

    pools: list[int] = []
    writers: list[int | None] = []  # the cores each build hands the card writer

    class RecordingPool(concurrent.futures.ThreadPoolExecutor):  # stands in for the process pool
        def __init__(self, max_workers: int) -> None:
            pools.append(max_workers)
            super().__init__(max_workers=max_workers)

    start_card_files = parallel.start_card_files

    def recording_start(draw: object, sizes: object, count: int, formats: object, cores: int | None = None) -> object:
        writers.append(cores)
        return start_card_files(draw, sizes, count, formats, cores)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", RecordingPool)
    monkeypatch.setattr("postdeck.build.start_card_files", recording_start)
    monkeypatch.setattr("postdeck.build.usable_cores", lambda: 2)
    seed = Path(__file__).resolve().parent.parent / "posts" / f"{SLUG}.txt"
    (tmp_path / "posts").mkdir()
    one = build_all([seed], tmp_path / "one", jobs=2)
    assert [o.status for o in one] == ["built"] and pools == []  # no pool for a single article
    assert writers == [None]  # in this process: the default cores
    writers.clear()
    for name in ("a.txt", "b.txt"):
        (tmp_path / "posts" / name).write_bytes(seed.read_bytes())
    two = build_all([tmp_path / "posts"], tmp_path / "two", jobs=2)
    assert [o.status for o in two] == ["built", "built"]
    assert pools == [2] and writers == [1, 1]  # 2 workers on 2 cores: 1 core each


def test_written_pngs_keep_brand_colours_exact(built: Path) -> None:
    # bold: #ffd400 on #111111; a palette quantizer averaged it to #fed300 (palette PNGs, before 2026-12).
    from postdeck.brand.schema import load_brand, rgb

    brand = load_brand("bold")
    for name in ("00-cover-square.png", "01-square.png", "03-story.png"):
        with Image.open(built / "cards" / name) as im:
            colours = {c for _, c in im.convert("RGB").getcolors(1 << 20)}
        for key in ("accent", "text", "background"):
            assert rgb(getattr(brand.colors, key)) in colours, (name, key)


def test_a_photo_background_is_written_as_jpeg_unless_asked(tmp_path: Path) -> None:
    # A photo card as PNG was 500-660 KB; as JPEG (quality 90, no chroma subsampling) ~ a third.
    seed = Path(__file__).resolve().parent.parent / "posts" / f"{SLUG}.txt"
    result = CliRunner().invoke(cli, ["build", str(seed), "-o", str(tmp_path), "-t", "photo", "--size", "square"])
    assert result.exit_code == 0, result.output
    names = {p.suffix for p in (tmp_path / SLUG / "cards").iterdir()}
    assert names == {".jpg"}
    assert max(p.stat().st_size for p in (tmp_path / SLUG / "cards").iterdir()) < 350 * 1024
    assert yaml.safe_load((tmp_path / SLUG / "deck.yaml").read_text())["formats"] == ["jpg"]


def test_the_same_deck_gives_the_same_card_bytes_in_every_run(tmp_path: Path, seed: Path) -> None:
    # Approvals and publish's change check hash the card files: a redraw of an unchanged deck
    # must not look like an edit. Each run is a fresh process (the sRGB profile LittleCMS makes
    # carries its creation time; postdeck fixes it).
    import subprocess
    import sys

    folders = []
    for run in ("a", "b"):
        out = tmp_path / run
        subprocess.run([sys.executable, "-m", "postdeck", "-q", "build", str(seed), "-o", str(out),
                        "--format", "png,jpg,pdf"], check=True)
        folders.append(next(out.glob("*/cards")))
    files = sorted(p.name for p in folders[0].iterdir())
    assert any(f.endswith(".jpg") for f in files) and any(f.endswith(".pdf") for f in files)
    changed = [f for f in files if (folders[0] / f).read_bytes() != (folders[1] / f).read_bytes()]
    assert changed == []
