"""Text far longer than a card holds is an error saying what to shorten, found without laying it out.

Issue 10, item 9 (a 1 MB line without spaces: Pillow's 'too many characters in string', after
minutes of line breaking) and, from item 18, 'cut about 1 words' for a 5,000-character title.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from postdeck.cards import typeset as ts
from postdeck.build import BuildOptions, build_all, render_deck_file
from postdeck.errors import RenderError

FONT = Path(__file__).resolve().parents[1] / "fonts" / "Inter-Regular.otf"


@pytest.fixture(scope="module")
def deck_yaml(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    source = Path(__file__).parent / "data" / "plain-prose.txt"
    outcome, = build_all([source], out, BuildOptions(posts=2), jobs=1)
    assert outcome.status == "built", outcome.error
    return out / "plain-prose" / "deck.yaml"


def edited(deck_yaml: Path, tmp_path: Path, pattern: str, value: str) -> Path:
    folder = tmp_path / "deck"
    folder.mkdir()
    text = re.sub(pattern, lambda m: m.group(1) + value, deck_yaml.read_text(encoding="utf-8"), count=1, flags=re.M)
    (folder / "deck.yaml").write_text(text, encoding="utf-8")
    return folder / "deck.yaml"


def test_fit_refuses_a_megabyte_word_without_laying_it_out() -> None:
    stack = ts.font_stack(FONT)
    assert ts.fit("a" * 1_100_000, stack, (900, 700), max_size=80, min_size=40) is None
    assert ts.most_characters((900, 700), 40, 1.25) < 20_000


@pytest.mark.parametrize("length", [5_000, 1_100_000])
def test_a_title_of_one_huge_word_says_to_shorten_it(deck_yaml: Path, tmp_path: Path, length: int) -> None:
    path = edited(deck_yaml, tmp_path, r"^(  title: ).*$", "T" * length)
    with pytest.raises(RenderError) as e:
        render_deck_file(path)
    assert str(e.value) == (f"cover: the article title is too long for the portrait cover at the minimum size 60 px; "
                            f"its longest word has {length:,} characters, more than fit; shorten it in deck.yaml "
                            "article.title")


def test_a_quote_of_one_huge_word_says_to_shorten_it(deck_yaml: Path, tmp_path: Path) -> None:
    path = edited(deck_yaml, tmp_path, r"^(  quote: ).*$", "q" * 1_100_000)
    with pytest.raises(RenderError) as e:
        render_deck_file(path)
    assert str(e.value) == ("post 1: quote is too long for the portrait card at the minimum size 40 px; its longest "
                            "word has 1,100,000 characters, more than fit; shorten it in deck.yaml posts[1].quote")


def test_words_still_counted_when_some_can_go() -> None:
    assert ts.cut_advice("one two three", 1) == "cut about 1 word"
    assert ts.cut_advice("one two three", 2) == "cut about 2 words"


@pytest.mark.parametrize("char", ["\r", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029", "\x00", "\x07", "\x9f"])
def test_control_characters_never_reach_the_shaper(char: str) -> None:
    """Found by test_fuzz_inputs: a brand name '0\\x1e' made raqm_layout() fail mid-build."""
    stack = ts.font_stack(FONT)
    block = ts.layout(f"Acme{char}Physio clinic", stack, 40, 600)
    assert all(ts.measure(line, stack, 40) > 0 for line in block.lines if line)
    assert not any(c in "".join(block.lines) for c in "\r\x1c\x1d\x1e\x85\u2028\u2029\x00\x07\x9f")


def test_a_brand_name_with_a_record_separator_builds(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from postdeck.cli import cli

    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "t.yaml").write_text(
        'name: "Acme\\x1ePhysio"\nwebsite: acmephysio.co.uk\n'
        "fonts: {headline: Inter-Bold.otf, quote: Inter-Regular.otf, small: Inter-Regular.otf}\n", encoding="utf-8")
    source = Path(__file__).parent / "data" / "plain-prose.txt"
    r = CliRunner().invoke(cli, ["build", str(source), "-o", str(tmp_path / "out"), "--posts", "1",
                                 "-t", str(tmp_path / "templates" / "t.yaml")])
    assert r.exit_code == 0, r.output
