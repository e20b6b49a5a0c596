"""Content engine benchmark: split + caption every corpus article, and one very long article.

    python benchmarks/content.py
    python benchmarks/content.py --against /path/to/other/checkout/src [--rounds 3]

Reports the CPU time per article of ``split_article`` + ``caption_post`` (reading excluded;
the engine's caches of text emptied before each article; best of 5), and for a
synthetic 200-paragraph, 1,000-sentence article without headings split into 20 posts (the
slowest shape: balanced partitioning and the refrain search are quadratic). Target: every
corpus article under 0.1 s, the long one under 2 s.

``--against SRC`` runs this script on another checkout's ``src`` (an older commit, e.g.
``git worktree add /tmp/base <commit>``) and on this one in turn, ``--rounds`` times each,
and prints both times and their ratio per article: the content engine should stay within
10% of the version it replaces (an article that now makes more posts does more work).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# ../shared beside the checkout (or one level further up, from a git worktree)
CORPUS = next((d / "shared" / "corpus" for d in ROOT.parents[:2] if (d / "shared" / "corpus").is_dir()), ROOT.parent / "shared" / "corpus")
LONG = "synthetic 1,000 sentences, 20 posts"


def engine():  # the functions, in this layout or the one before issue 8's
    try:
        from postdeck.text.captions import caption_post
        from postdeck.text.split import split_article
    except ImportError:
        from postdeck.captions import caption_post  # type: ignore[no-redef]
        from postdeck.split import split_article  # type: ignore[no-redef]
    return split_article, caption_post


def clear_caches() -> None:
    """Empty postdeck's caches of text (bounded ``lru_cache``s: sentences, words, an article's
    hashtags), so an article costs what it costs in a build. Data loaded once per process
    (``functools.cache``: grammar word lists) stays, as it does in a batch."""
    for name, module in list(sys.modules.items()):
        if name.startswith("postdeck"):
            for obj in list(vars(module).values()):
                info = getattr(obj, "cache_info", None)
                if callable(info) and info().maxsize is not None:
                    obj.cache_clear()


def cpu_time(article, n_posts: int, runs: int = 5) -> tuple[float, int]:
    """The best CPU time of ``runs``, and how many posts the deck has."""
    from postdeck.model import CaptionSettings

    split_article, caption_post = engine()
    best = float("inf")
    for _ in range(runs):
        clear_caches()
        start = time.process_time()
        deck = split_article(article, n_posts, slug="bench")
        for post in deck.posts:
            caption_post(post, CaptionSettings())
        best = min(best, time.process_time() - start)
    return best, len(deck.posts)


def long_article():
    from postdeck.model import Article, Section

    rng = random.Random(1)
    vocabulary = [f"{a}{b}{c}" for a in "bdgkmnprst" for b in "aeiou" for c in "lmnrs"]
    paragraphs = []
    for _ in range(200):
        sentences = [" ".join(rng.sample(vocabulary, 14)).capitalize() + "." for _ in range(5)]
        paragraphs.append(" ".join(sentences))
    return Article(source="long.txt", title="A very long article", sections=(Section("", tuple(paragraphs)),))


def measure() -> dict[str, tuple[float, int]]:
    from postdeck.readers import read_article

    times = {}
    for path in sorted(CORPUS.glob("[0-9]*")) or [ROOT / "posts" / "01-acupuncture-post-surgical-back-pain.txt"]:
        try:
            article = read_article(path)
        except Exception:  # an older version may not read every format
            continue
        cpu_time(article, 7, runs=1)  # warm the imports up
        times[path.name] = cpu_time(article, 7)
    times[LONG] = cpu_time(long_article(), 20, runs=1)
    return times


def run_on(src: Path) -> dict[str, list]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    out = subprocess.run([sys.executable, __file__, "--json"], env=env, check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def compare(other: Path, rounds: int) -> None:
    mine, theirs = ROOT / "src", other.resolve()
    runs: dict[str, list[dict[str, list]]] = {"theirs": [], "mine": []}
    for _ in range(rounds):  # in turn, so the machine's load falls on both alike
        runs["theirs"].append(run_on(theirs))
        runs["mine"].append(run_on(mine))
    best = {k: {name: min(r[name] for r in v if name in r) for name in v[0]} for k, v in runs.items()}
    over = 0
    print(f"{'article':46} {'other':>8} {'this':>8}  ratio  posts  (CPU ms, best of {rounds} rounds x 5)")
    for name, (before, posts_before) in best["theirs"].items():
        if name in best["mine"]:
            now, posts = best["mine"][name]
            flag = "  over 10%" if now > 1.1 * before else ""
            over += bool(flag)
            print(f"{name:46} {before * 1000:8.1f} {now * 1000:8.1f}  {now / before:5.2f}  {posts_before:>2} -> {posts:<2}{flag}")
    print(f"{over} of {len(best['theirs'])} over 10%")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", type=Path, help="another checkout's src folder to compare with")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.against:
        compare(args.against, args.rounds)
    elif args.json:
        print(json.dumps(measure()))
    else:
        for name, (seconds, posts) in measure().items():
            print(f"{name:50} {seconds:.3f} s  {posts} posts")


if __name__ == "__main__":
    main()
