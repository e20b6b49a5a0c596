"""Issue 9's definition of done: every corpus article gives a clean deck.

Each article of ../shared/corpus is read, split, fitted to its cards and captioned as
``postdeck build`` does (no card images: they do not change the text), its deck.yaml written,
and ../shared/tools/check_deck.py run on it: ``problems: 0`` with ``--posts 7``, or, for an
article with fewer than seven usable sentences, with the posts it has and a warning saying why.
Skipped when ../shared is absent.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import sys
from pathlib import Path

import pytest

from conftest import CORPUS, SHARED
from postdeck.brand.schema import load_brand
from postdeck.build import BuildOptions, make_deck
from postdeck.deck.deckfile import dump_deck
from postdeck.readers import is_article, read_article
from postdeck.text.chunks import usable_sentences
from postdeck.text.sentences import language_of
from postdeck.text.split import article_sample

CHECKER = SHARED / "tools" / "check_deck.py"
ARTICLES = sorted(p.name for p in CORPUS.glob("[0-9]*")) if CORPUS.is_dir() else []


def check_deck(article: Path, deck_yaml: Path, posts: int) -> str:
    """check_deck.py's output, run in this process (its main() reads sys.argv)."""
    spec = importlib.util.spec_from_file_location("check_deck", CHECKER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    out, argv = io.StringIO(), sys.argv
    sys.argv = ["check_deck.py", str(article), str(deck_yaml), "--posts", str(posts)]
    try:
        with contextlib.redirect_stdout(out):
            module.main()
    finally:
        sys.argv = argv
    return out.getvalue()


@pytest.mark.parametrize("name", ARTICLES)
def test_every_corpus_article_gives_a_clean_deck(name: str, tmp_path: Path) -> None:
    if not CHECKER.is_file():
        pytest.skip("../shared/tools/check_deck.py is not beside the checkout")
    path = CORPUS / name
    assert is_article(path), f"{name}: postdeck does not read this file type"
    deck = make_deck(path, BuildOptions(), load_brand("default"))
    article = read_article(path)
    usable = usable_sentences(article, language_of(article_sample(article), article.meta.language))
    if usable >= 7:
        assert len(deck.posts) == 7, deck.warnings
    else:  # fewer posts, and the deck says why
        assert len(deck.posts) < 7 and f"has only {usable} usable sentences" in deck.warnings[0]
    (tmp_path / "deck.yaml").write_text(dump_deck(deck), encoding="utf-8")
    report = check_deck(path, tmp_path / "deck.yaml", len(deck.posts))
    assert report.rstrip().endswith("problems: 0"), report
