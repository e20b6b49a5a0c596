"""Issue 10 item 5: a huge article is refused in one line, and a large one is split in
near-linear work (no timing here: the work is counted, or the run just completes)."""

from __future__ import annotations

import random
from pathlib import Path

from click.testing import CliRunner

from postdeck.cli import cli
from postdeck.model import Article, Section
from postdeck.readers import MAX_ARTICLE_MB, read_article
from postdeck.text.chunks import balanced_partition
from postdeck.text.sentences import token_set
from postdeck.text.split import COMMON_WORD_SENTENCES, near_duplicate_candidates, split_article

VOCABULARY = [f"{a}{b}{c}" for a in "bdgkmnprst" for b in "aeiou" for c in "lmnrs"]  # 250 words


def sentences(n: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.sample(VOCABULARY, 12)).capitalize() + "." for _ in range(n)]


def test_an_article_over_the_size_limit_is_refused_in_one_line(tmp_path: Path) -> None:
    big = tmp_path / "book.md"
    big.write_bytes(b"# A book\n\n" + b"A sentence of the book that goes on.\n" * (MAX_ARTICLE_MB * 1024 * 1024 // 37 + 1))
    r = CliRunner().invoke(cli, ["build", str(big), "-o", str(tmp_path / "out")])
    assert r.exit_code == 1
    assert r.stderr == (f"Error: {big}: is 2.0 MB, more than the 2 MB an article can be; give one article "
                        "of it (a long blog post is about 0.1 MB)\n")
    assert not (tmp_path / "out" / "book").exists()


def test_a_web_page_may_carry_more_markup_than_an_article_has_text(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    script = "<script>" + "x" * (3 * 1024 * 1024) + "</script>"
    page.write_text(f"<html><head>{script}</head><body><h1>News</h1><p>The clinic opens a new wing in May.</p></body></html>")
    assert read_article(page).title == "News"


def test_refrain_candidates_grow_linearly_with_the_article() -> None:
    """Every pair of 4,000 sentences would be 8 million comparisons; a word shared by more
    than COMMON_WORD_SENTENCES sentences is not looked up, so each sentence meets a bounded few."""
    tokens = [token_set(s) for s in sentences(4000)]
    pairs = sum(1 for _ in near_duplicate_candidates(tokens))
    assert pairs <= len(tokens) * COMMON_WORD_SENTENCES


def test_near_duplicates_are_still_found_among_many_sentences() -> None:
    many = sentences(3000)
    refrain = "Regular gentle exercise after surgery speeds recovery for most patients."
    reworded = "Gentle regular exercise after surgery speeds the recovery of most patients."
    tokens = [token_set(s) for s in [*many[:1500], refrain, *many[1500:], reworded]]
    assert (1500, 3001) in set(near_duplicate_candidates(tokens))


def test_balanced_partition_of_many_items_weighs_cuts_near_their_place() -> None:
    sizes = [random.Random(3).randint(20, 200) for _ in range(200_000)]
    runs = balanced_partition(sizes, 20)  # every cut weighed: 20 x 200,000^2 steps, never ending
    assert len(runs) == 20 and runs[0][0] == 0 and runs[-1][1] == len(sizes)
    totals = [sum(sizes[a:b]) for a, b in runs]
    assert max(totals) - min(totals) <= 2 * 200 + 1  # as even as one item either side allows


def test_a_large_article_is_split_to_the_end() -> None:
    paragraphs = [" ".join(sentences(5, seed=i)) for i in range(400)]  # ~0.2 MB, 2,000 sentences
    deck = split_article(Article(source="long.txt", title="Long", sections=(Section("", tuple(paragraphs)),)), 7,
                         slug="long")
    assert len(deck.posts) == 7
