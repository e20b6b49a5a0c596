"""Batch build benchmark: 100 articles from the corpus (plus one broken one), built in parallel.

    python benchmarks/batch.py [--articles 100] [--jobs N] [--skip-serial]

Runs ``postdeck build FOLDER --jobs N`` (PNG cards, the default format) as a real process three
times: with one job, with N jobs, and again with N jobs (everything up to date). Reports wall
time, cards per second, CPU time of the build processes and the cores that used (CPU time /
wall time), and the peak memory of any one process; checks that the broken article was
reported while all the others were built, and that the second run skipped every deck.
Target on a 2-core machine: 50 cards/s or more with --jobs 2; peak memory under 200 MB.
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"


def make_articles(folder: Path, count: int) -> None:
    """``count`` copies of the corpus articles under distinct names, and one broken article."""
    sources = sorted(p for p in CORPUS.iterdir() if p.suffix in (".txt", ".md", ".html") and p.stem != "SOURCES")
    sources = sources or [ROOT / "posts" / "01-acupuncture-post-surgical-back-pain.txt"]
    folder.mkdir(parents=True)
    for i in range(count):
        src = sources[i % len(sources)]
        (folder / f"{i:03d}-{src.name}").write_bytes(src.read_bytes())
    (folder / "999-broken.txt").write_bytes(b"\x00\x01\x02 not an article")


CARDS_TARGET, MEMORY_TARGET = 50, 200


def run(folder: Path, out: Path, jobs: int, *extra: str) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds of postdeck and its workers, stdout) of one build."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", "from postdeck.cli import main; main()", "build", str(folder),
         "-o", str(out), "--jobs", str(jobs), *extra],
        capture_output=True, text=True,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode != 1 or "999-broken.txt: is a binary file" not in proc.stderr:
        raise SystemExit(f"expected exit 1 and the broken article reported; got {proc.returncode}:\n{proc.stderr}")
    return wall, cpu, proc.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--skip-serial", action="store_true", help="leave out the 1-job run")
    args = parser.parse_args()
    import postdeck

    compileall.compile_dir(Path(postdeck.__file__).parent, quiet=1)  # as pip install does
    work = Path(tempfile.mkdtemp(prefix="postdeck-batch-"))
    try:
        folder = work / "posts"
        make_articles(folder, args.articles)
        n = args.articles
        # Other work on the machine takes cores from the build: the load average says how much.
        print(f"{n} articles + 1 broken, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
        runs = [("1 job", 1, work / "out1")] if not args.skip_serial else []
        runs += [(f"{args.jobs} jobs", args.jobs, work / "outN"), (f"{args.jobs} jobs, up to date", args.jobs, work / "outN")]
        rates = {}
        for label, jobs, out in runs:
            fresh = not out.exists()
            wall, cpu, stdout = run(folder, out, jobs)
            totals = stdout.strip().splitlines()[-1]
            cards = sum(1 for p in out.glob("*/cards/*") if p.suffix in (".png", ".jpg"))
            rate = f"{cards / wall:5.1f} cards/s" if fresh else "   (no cards made)"
            rates[label] = cards / wall
            print(f"{label:>22}: {wall:6.2f} s wall, {rate}, {cpu:6.2f} s CPU, {cpu / wall:4.2f} cores used"
                  f", {wall / n * 1000:5.1f} ms/article, load {os.getloadavg()[0]:.1f}  [{totals}]")
        if f"0 built, {n} up to date, 1 failed" not in totals:
            raise SystemExit(f"second run rebuilt decks: {totals}")
        rate = rates[f"{args.jobs} jobs"]
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KB on Linux: the largest process
        print(f"{args.jobs} jobs: {rate:.1f} cards/s (target >= {CARDS_TARGET}){'  OK' if rate >= CARDS_TARGET else '  MISSED'}; "
              f"peak {peak:.0f} MB per process (target < {MEMORY_TARGET}){'  OK' if peak < MEMORY_TARGET else '  MISSED'}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
