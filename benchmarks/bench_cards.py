"""Time card rendering as a user runs it: fresh `postdeck build` processes.

    python benchmarks/bench_cards.py seed            # the seed deck, PNG + JPEG + PDF, 5 runs
    python benchmarks/bench_cards.py batch --jobs 2  # 100 articles (corpus copies), PNG

Targets (2-core machine): the seed deck in under 0.5 s wall including interpreter start-up;
a batch of 100 articles at 50 cards/s or more with --jobs 2; peak memory under 200 MB.
Prints wall time, cards per second and peak memory (the largest resident set of any
postdeck process, from getrusage of the waited-for children).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "posts" / "01-acupuncture-post-surgical-back-pain.txt"
CORPUS = ROOT.parent / "shared" / "corpus"
POSTDECK = [sys.executable, "-m", "postdeck.cli"]


def run(args: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(POSTDECK + args, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def count_cards(out: Path) -> int:
    return sum(1 for p in out.glob("*/cards/*") if p.suffix in (".png", ".jpg"))


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KB on Linux


def seed(runs: int, formats: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "output"
        times = [run(["build", str(SEED), "-o", str(out), "--format", formats, "--force"], ROOT) for _ in range(runs)]
        slides = len(list(out.glob("*/cards/*.png"))) or len(list(out.glob("*/cards/*.jpg")))
    best, median = min(times), sorted(times)[len(times) // 2]
    print(f"seed deck ({slides} slides; {formats}): best {best:.3f} s, median {median:.3f} s wall per fresh process "
          f"(target < 0.5 s); {slides / median:.1f} slides/s; peak {peak_mb():.0f} MB (target < 200 MB)")


def batch(n: int, jobs: int, formats: str) -> None:
    sources = sorted(p for p in CORPUS.glob("0*") if p.is_file()) or [SEED]
    with tempfile.TemporaryDirectory() as tmp:
        posts = Path(tmp) / "posts"
        posts.mkdir()
        for i in range(n):
            src = sources[i % len(sources)]
            shutil.copyfile(src, posts / f"{i:03d}-{src.name}")
        out = Path(tmp) / "output"
        wall = run(["build", str(posts), "-o", str(out), "--jobs", str(jobs), "--format", formats], ROOT)
        cards = count_cards(out)
    print(f"batch of {n} articles, --jobs {jobs} on {os.cpu_count()} cores ({formats}): {cards} cards in {wall:.2f} s "
          f"= {cards / wall:.1f} cards/s (target >= 50); peak {peak_mb():.0f} MB per process (target < 200 MB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["seed", "batch"])
    parser.add_argument("--runs", type=int, default=5, help="seed: fresh processes to time")
    parser.add_argument("--articles", type=int, default=100, help="batch: how many articles")
    parser.add_argument("--jobs", type=int, default=2, help="batch: articles built at once")
    parser.add_argument("--format", default=None, help="card formats (seed: png,jpg,pdf; batch: png)")
    args = parser.parse_args()
    if args.mode == "seed":
        seed(args.runs, args.format or "png,jpg,pdf")
    else:
        batch(args.articles, args.jobs, args.format or "png")


if __name__ == "__main__":
    main()
