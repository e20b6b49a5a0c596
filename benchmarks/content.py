"""Content engine benchmark: split + caption every corpus article, and one very long article.

    python benchmarks/content.py

Reports the time per article of ``split_article`` + ``caption_post`` (reading excluded), and
for a synthetic 200-paragraph, 1,000-sentence article without headings split into 20 posts
(the slowest shape: balanced partitioning and the refrain search are quadratic). Target: every
corpus article under 0.1 s, the long one under 2 s.
"""

from __future__ import annotations

import random
import time
from pathlib import Path

from postdeck.text.captions import caption_post
from postdeck.model import Article, CaptionSettings, Section
from postdeck.readers import is_article, read_article
from postdeck.text.split import split_article

ROOT = Path(__file__).resolve().parent.parent
# ../shared beside the checkout (or one level further up, from a git worktree)
CORPUS = next((d / "shared" / "corpus" for d in ROOT.parents[:2] if (d / "shared" / "corpus").is_dir()), ROOT.parent / "shared" / "corpus")


def timed(article: Article, n_posts: int) -> float:
    start = time.perf_counter()
    deck = split_article(article, n_posts, slug="bench")
    for post in deck.posts:
        caption_post(post, CaptionSettings())
    return time.perf_counter() - start


def long_article() -> Article:
    rng = random.Random(1)
    vocabulary = [f"{a}{b}{c}" for a in "bdgkmnprst" for b in "aeiou" for c in "lmnrs"]
    paragraphs = []
    for _ in range(200):
        sentences = [" ".join(rng.sample(vocabulary, 14)).capitalize() + "." for _ in range(5)]
        paragraphs.append(" ".join(sentences))
    return Article(source="long.txt", title="A very long article", sections=(Section("", tuple(paragraphs)),))


def main() -> None:
    articles = [p for p in sorted(CORPUS.glob("[0-9]*")) if is_article(p)]
    for path in articles or [ROOT / "posts" / "01-acupuncture-post-surgical-back-pain.txt"]:
        print(f"{path.name:50} {timed(read_article(path), 7):.3f} s")
    print(f"{'synthetic 1,000 sentences, 20 posts':50} {timed(long_article(), 20):.3f} s")


if __name__ == "__main__":
    main()
