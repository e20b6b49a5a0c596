from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from postdeck.cli import cli
from postdeck.deck.deckfile import dump_deck
from postdeck.deck.preview import carousel, deck_checks, deck_page, deck_preview, write_previews
from postdeck.errors import DeckError
from postdeck.model import PLATFORMS, Deck, Post

EVIL = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">'


def make_deck(text: str = "Plain", *, captions: dict[str, str] | None = None, card: bool = False) -> Deck:
    posts = tuple(
        Post(
            n=n,
            headline=f"Headline {n} {text}",
            quote=f"Quote {n} {text}",
            body=f"Body {n} {text}",
            alt_text=f"Alt {n} {text}",
            captions=captions or {p: f"Caption {n} for {p} {text}" for p in PLATFORMS},
            card=f"cards/0{n}-portrait.png" if card else None,
        )
        for n in (1, 2)
    )
    return Deck(title=f"Title {text}", source=f"posts/{text}.txt", slug="deck", posts=posts,
                kicker=f"Kicker {text}", warnings=(f"Deck warning {text}",))


def test_article_text_is_escaped_everywhere() -> None:
    page = deck_page(make_deck(EVIL), carousel(make_deck(EVIL), []))
    assert page.count("<script") == 1  # only the page's own script
    assert "<img src=x" not in page and "onerror=" not in page.replace("onerror=&#34;", "")
    escaped = html.escape(EVIL)
    # title, kicker, source, deck warning, and per post: headline, quote, alt text, 6 captions
    assert page.count(escaped.replace("&quot;", "&#34;")) >= 5 + 2 * (3 + len(PLATFORMS))


def test_card_paths_are_url_quoted_in_attributes() -> None:
    deck = make_deck(card=True)  # posts[].card is hand-editable in deck.yaml
    evil = Post(n=1, headline="H", quote="Q", body="B", card='cards/01"><img src=x onerror=alert(1)>-portrait.png')
    deck = Deck(title="T", source="t.txt", slug="t", posts=(evil, deck.posts[1]))
    page = deck_page(deck, carousel(deck, []))
    assert "<img src=x" not in page
    assert 'src="cards/01%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E-portrait.png"' in page


def test_carousel_is_the_first_size_in_build_order_and_ignores_stray_images() -> None:
    """--size portrait,square: one carousel (portrait), cover, 01..N, closing; nothing else."""
    posts = tuple(Post(n=n, headline="H", quote="Q", body="B", card=f"cards/0{n}-portrait.png") for n in (1, 2))
    deck = Deck(title="T", source="t.txt", slug="t", posts=posts, sizes=("portrait", "square"))
    files = [f"cards/{name}-{size}.png" for size in ("square", "portrait") for name in ("03-closing", "02", "01", "00-cover")]
    files += ["cards/discover-portrait.png", "cards/cover-photo-portrait.png", "cards/09-old-portrait.png",
              "cards/logo.png", "cards/carousel-portrait.pdf", "cards/carousel-square.pdf"]
    assert [(s.label, s.src) for s in carousel(deck, files)] == [
        ("Cover", "cards/00-cover-portrait.png"), ("Post 1", "cards/01-portrait.png"),
        ("Post 2", "cards/02-portrait.png"), ("Closing", "cards/03-closing-portrait.png")]
    page = deck_preview(deck, files)
    assert 'Shown in portrait; also built in <a href="cards/carousel-square.pdf">square</a>' in page
    assert "-square.png" not in page  # the square cards are offered, not mixed into the carousel


def test_carousel_order_cover_posts_then_closing() -> None:
    deck = make_deck(card=True)
    files = ["deck.yaml", "cards/03-closing-portrait.png", "cards/02-portrait.png", "cards/00-cover-portrait.png",
             "cards/01-portrait.png", "cards/carousel-portrait.pdf"]
    assert [(s.label, s.src) for s in carousel(deck, files)] == [
        ("Cover", "cards/00-cover-portrait.png"),
        ("Post 1", "cards/01-portrait.png"),
        ("Post 2", "cards/02-portrait.png"),
        ("Closing", "cards/03-closing-portrait.png"),
    ]


def test_carousel_shows_one_size_and_format_of_a_multi_size_deck() -> None:
    posts = tuple(Post(n=n, headline="H", quote="Q", body="B", card=f"cards/0{n}-square.jpg") for n in (1, 2))
    deck = Deck(title="T", source="t.txt", slug="t", posts=posts)
    files = [f"cards/{name}-{size}.{fmt}" for name in ("00-cover", "01", "02", "03-closing")
             for size in ("portrait", "square") for fmt in ("png", "jpg")] + ["cards/carousel-square.pdf"]
    assert [s.src for s in carousel(deck, files)] == [
        "cards/00-cover-square.jpg", "cards/01-square.jpg", "cards/02-square.jpg", "cards/03-closing-square.jpg"]


def test_posts_without_cards_get_text_slides() -> None:
    page = deck_preview(make_deck(), ["deck.yaml"])
    assert page.count('class="textcard"') == 2
    assert "<img" not in page


def test_captions_over_their_limit_are_flagged_and_near_ones_only_metered() -> None:
    captions = {"x": "a" * 280, "bluesky": "b" * 271, "threads": "c" * 450, "instagram": "ok"}
    deck = make_deck(captions=captions)
    checks = [c.text for c in deck_checks(deck)]
    # Near the limit is how postdeck fits captions: not something to check, only a meter.
    assert checks == ["Deck warning Plain"]
    over = deck_checks(make_deck(captions={"x": "a" * 281}))[1]
    assert (over.text, over.post) == ("Post 1: X 281/280 (over the limit)", 1)
    page = deck_page(deck, carousel(deck, []))
    # 90% exactly (Threads 450/500) is ok; above it, or at the limit itself, is near.
    assert re.search(r'class="caption near" data-platform="bluesky"', page)
    assert re.search(r'class="caption near" data-platform="x"', page)
    assert re.search(r'class="caption ok" data-platform="threads"', page)
    over_deck = make_deck(captions={"x": "a" * 281})
    assert '<a href="#post-1">' in deck_page(over_deck, carousel(over_deck, []))


def test_preview_command_rewrites_and_opens(tmp_path: Path, seed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    assert CliRunner().invoke(cli, ["build", str(seed), "-o", str(out)]).exit_code == 0
    folder = out / "01-acupuncture-post-surgical-back-pain"
    deck_yaml = folder / "deck.yaml"
    deck_yaml.write_text(deck_yaml.read_text().replace("Reduces Inflammation Naturally", "Edited headline", 1))
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda url: opened.append(url) or True)  # a browser that opened it
    result = CliRunner().invoke(cli, ["preview", str(folder), "--open"])
    assert result.exit_code == 0, result.output
    assert result.output == f"{folder / 'index.html'}\n"
    assert opened == [(folder / "index.html").resolve().as_uri()]
    assert "Edited headline" in (folder / "index.html").read_text()
    assert 'href="01-acupuncture-post-surgical-back-pain/index.html"' in (out / "index.html").read_text()


def test_preview_of_output_folder_lists_broken_decks(tmp_path: Path) -> None:
    good, bad = tmp_path / "good", tmp_path / "bad"
    good.mkdir(), bad.mkdir()
    (good / "deck.yaml").write_text(dump_deck(make_deck()))
    (bad / "deck.yaml").write_text("posts: [")
    page, problems = write_previews(tmp_path)
    assert page == tmp_path / "index.html"
    assert (good / "index.html").is_file() and not (bad / "index.html").exists()
    assert problems == [f"{bad / 'deck.yaml'}: line 2, column 1: not valid YAML (did not find expected node "
                        "content); close the [ or { left open, or rebuild the deck"]
    index = page.read_text()
    assert 'href="good/index.html"' in index and "not valid YAML" in index


def test_preview_of_a_folder_without_decks(tmp_path: Path) -> None:
    with pytest.raises(DeckError, match="is not a deck folder and has no decks in it"):
        write_previews(tmp_path)
    result = CliRunner().invoke(cli, ["preview", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output == f"Error: {tmp_path}: is not a deck folder and has no decks in it; run 'postdeck build' first\n"


def test_preview_defaults_to_the_output_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    deck_dir = tmp_path / "output" / "deck"
    deck_dir.mkdir(parents=True)
    (deck_dir / "deck.yaml").write_text(dump_deck(make_deck()))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["preview"])
    assert result.exit_code == 0, result.output
    assert result.output == "output/index.html\n"
    assert (deck_dir / "index.html").is_file()


def test_the_deck_index_leaves_out_a_build_half_way_through_its_swap(tmp_path, seed):
    from postdeck.deck.preview import deck_files

    for name in ("a-deck", ".a-deck.old-x1y2", ".b-deck.tmp"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "deck.yaml").write_text("posts: []\n")
    assert deck_files(tmp_path) == [tmp_path / "a-deck" / "deck.yaml"]


def test_page_templates_are_compiled_once_and_kept_for_later_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from postdeck.deck import preview

    assert preview._environment().bytecode_cache is not None  # what every run uses
    deck = make_deck(EVIL)
    monkeypatch.setattr(preview, "_environment", lambda: preview.page_environment(preview.QuietBytecodeCache(str(tmp_path))))
    first = deck_page(deck, carousel(deck, []))  # compiles and keeps the bytecode
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".cache"] * 3  # page, base and script

    def no_compiling(*args: object, **kwargs: object) -> None:
        raise AssertionError("a kept template was compiled again")

    monkeypatch.setattr(preview.jinja2.Environment, "compile", no_compiling)
    assert deck_page(deck, carousel(deck, [])) == first  # a later run: a fresh environment, same page


def test_a_cache_that_cannot_be_used_only_costs_compiling(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from postdeck.deck import preview

    deck = make_deck()
    expected = deck_page(deck, carousel(deck, []))
    gone = preview.QuietBytecodeCache(str(tmp_path / "removed by a temp cleaner"))  # cannot write there
    monkeypatch.setattr(preview, "_environment", lambda: preview.page_environment(gone))
    assert deck_page(deck, carousel(deck, [])) == expected
    (tmp_path / "cut").mkdir()
    cut = preview.QuietBytecodeCache(str(tmp_path / "cut"))
    monkeypatch.setattr(preview, "_environment", lambda: preview.page_environment(cut))
    deck_page(deck, carousel(deck, []))
    for kept in (tmp_path / "cut").iterdir():
        kept.write_bytes(kept.read_bytes()[:20])  # a half-written file from a killed run
    assert deck_page(deck, carousel(deck, [])) == expected


def test_a_build_shows_its_brand_on_the_page_without_loading_the_template_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The page loaded the template twice more (who posts, and whether the brand is a sample):
    # ~10 ms of a build, the template already in hand.
    from dataclasses import replace

    from postdeck import build
    from postdeck.brand.schema import load_brand, sample_brand_problem
    from postdeck.deck import preview

    seed = Path(__file__).resolve().parent.parent / "posts" / "01-acupuncture-post-surgical-back-pain.txt"
    for template in ("clinic", "default"):
        brand = load_brand(template)
        deck = replace(build.make_deck(seed, build.BuildOptions(template=template), brand), template=template)
        files = ["cards/00-cover-portrait.png", "cards/01-portrait.png", "deck.yaml"]
        loaded = preview.deck_preview(deck, files)
        with monkeypatch.context() as m:
            m.setattr(preview, "load_brand", lambda *a: pytest.fail("the template was loaded again"))
            m.setattr(preview, "sample_brand_problem", lambda t, cwd=None, brand=None: (
                pytest.fail("loaded again") if brand is None else sample_brand_problem(t, cwd, brand)))
            assert preview.deck_preview(deck, files, brand=brand) == loaded
