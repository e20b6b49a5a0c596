"""Batch build benchmark: 100 articles from the corpus (plus one broken one), built in parallel.

    python benchmarks/batch.py [--articles 100] [--jobs N] [--skip-serial] [--format png]
                               [--skip-reference] [--shared ../shared]

Runs ``postdeck build FOLDER --jobs N`` (PNG cards, the default format) as a real process three
times: with one job, with N jobs, and again with N jobs (everything up to date). Reports wall
time, cards per second, CPU time of the build processes and the cores that used (CPU time /
wall time), CPU per card, and the peak memory of any one process in that run; checks that the
broken article was reported while all the others were built, and that the second run skipped
every deck. A card is one slide, whatever the number of formats it is saved in.

Next to it, the minimal Pillow script (../shared/tools/ref_cards.py: PNG + JPEG + PDF, one font,
no fitting) draws the same articles, one process per job each running it article after article,
so its cards per second and CPU per card can be read beside postdeck's (use --format png,jpg,pdf
for the same files).
Targets on a 2-core machine: 50 cards/s or more with --jobs 2; peak memory at most 150 MB per
process (``--articles 30`` with 1 and 2 jobs).
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"  # the team's shared folder beside the repository: corpus/, tools/
# Runs the reference script on each article in turn in one process, as a batch would.
REFERENCE_DRIVER = """
import runpy, sys
script, fonts, out, *articles = sys.argv[1:]
for i, article in enumerate(articles):
    sys.argv = [script, article, f"{out}/{i:03d}", fonts]
    try:
        runpy.run_path(script, run_name="__main__")
    except StopIteration:  # no paragraph long enough to be its title: no cards
        pass
"""


def make_articles(folder: Path, corpus: Path, count: int) -> None:
    """``count`` copies of the corpus articles under distinct names, and one broken article."""
    found = corpus.iterdir() if corpus.is_dir() else ()
    sources = sorted(p for p in found if p.suffix in (".txt", ".md", ".html") and p.stem != "SOURCES")
    sources = sources or [ROOT / "posts" / "01-acupuncture-post-surgical-back-pain.txt"]
    folder.mkdir(parents=True)
    for i in range(count):
        src = sources[i % len(sources)]
        (folder / f"{i:03d}-{src.name}").write_bytes(src.read_bytes())
    (folder / "999-broken.txt").write_bytes(b"\x00\x01\x02 not an article")


CARDS_TARGET, MEMORY_TARGET = 50, 150


def processes(commands: list[list[str]], logs: Path) -> tuple[float, float, float, list[int]]:
    """Run ``commands`` at once: (wall s, CPU s of all of them and their children, the largest
    resident set in MB of any one process, exit codes). Output goes to logs/<i>.out and .err."""
    logs.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    procs = []
    for i, cmd in enumerate(commands):
        with open(logs / f"{i}.out", "wb") as out, open(logs / f"{i}.err", "wb") as err:
            procs.append(subprocess.Popen(cmd, stdout=out, stderr=err))
    cpu, peak, codes = 0.0, 0.0, []
    for proc in procs:
        _, status, usage = os.wait4(proc.pid, 0)  # its rusage includes the workers it waited for
        proc.returncode = os.waitstatus_to_exitcode(status)
        cpu += usage.ru_utime + usage.ru_stime
        peak = max(peak, usage.ru_maxrss / 1024)  # KB on Linux; the max over it and its workers
        codes.append(proc.returncode)
    return time.perf_counter() - start, cpu, peak, codes


def run(folder: Path, out: Path, jobs: int, formats: str) -> tuple[float, float, float, str]:
    """(wall seconds, CPU seconds of postdeck and its workers, peak MB, stdout) of one build."""
    cmd = [sys.executable, "-c", "from postdeck.cli import main; main()", "build", str(folder),
           "-o", str(out), "--jobs", str(jobs), "--format", formats]
    wall, cpu, peak, codes = processes([cmd], out.parent / "logs")
    stderr = (out.parent / "logs" / "0.err").read_text()
    if codes != [1] or "999-broken.txt: is a binary file" not in stderr:
        raise SystemExit(f"expected exit 1 and the broken article reported; got {codes}:\n{stderr}")
    return wall, cpu, peak, (out.parent / "logs" / "0.out").read_text()


def slides(out: Path) -> int:
    """Cards made: slide images, each counted once whatever its formats."""
    return len({p.with_suffix("") for p in out.glob("**/*") if p.suffix in (".png", ".jpg")})


def reference(script: Path, folder: Path, out: Path, jobs: int) -> tuple[float, float, float, int]:
    """(wall s, CPU s, peak MB, cards) of the reference script over the good articles, in
    ``jobs`` processes at once, each taking every jobs-th article."""
    articles = sorted(str(p) for p in folder.iterdir() if "broken" not in p.name)
    commands = [[sys.executable, "-c", REFERENCE_DRIVER, str(script), str(ROOT / "fonts"), str(out / str(j)),
                 *articles[j::jobs]] for j in range(jobs)]
    wall, cpu, peak, codes = processes(commands, out / "logs")
    if any(codes):
        raise SystemExit(f"the reference script failed: {(out / 'logs' / '0.err').read_text()}")
    return wall, cpu, peak, slides(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--skip-serial", action="store_true", help="leave out the 1-job run")
    parser.add_argument("--skip-reference", action="store_true", help="leave out the reference script")
    parser.add_argument("--format", default="png", help="card formats of postdeck's runs")
    parser.add_argument("--shared", type=Path, default=SHARED, help="the shared folder: corpus/, tools/ref_cards.py")
    args = parser.parse_args()
    import postdeck

    compileall.compile_dir(Path(postdeck.__file__).parent, quiet=1)  # as pip install does
    work = Path(tempfile.mkdtemp(prefix="postdeck-batch-"))
    try:
        folder = work / "posts"
        make_articles(folder, args.shared / "corpus", args.articles)
        n = args.articles
        # Other work on the machine takes cores from the build: the load average says how much.
        print(f"{n} articles + 1 broken, --format {args.format}, {os.cpu_count()} cores, "
              f"load average {os.getloadavg()[0]:.1f}")
        runs = [("1 job", 1, work / "out1")] if not args.skip_serial else []
        runs += [(f"{args.jobs} jobs", args.jobs, work / "outN"), (f"{args.jobs} jobs, up to date", args.jobs, work / "outN")]
        rates, peaks = {}, {}
        for label, jobs, out in runs:
            fresh = not out.exists()
            wall, cpu, peaks[label], stdout = run(folder, out, jobs, args.format)
            totals = stdout.strip().splitlines()[-1]
            cards = slides(out)
            rate = f"{cards / wall:5.1f} cards/s, {cpu / cards * 1000:4.1f} ms CPU/card" if fresh else "(no cards made)"
            rates[label] = cards / wall
            print(f"{label:>22}: {wall:6.2f} s wall, {rate}, {cpu:6.2f} s CPU, {cpu / wall:4.2f} cores used"
                  f", {peaks[label]:.0f} MB peak, load {os.getloadavg()[0]:.1f}  [{totals}]")
        if f"0 built, {n} up to date, 1 failed" not in totals:
            raise SystemExit(f"second run rebuilt decks: {totals}")
        script = args.shared / "tools" / "ref_cards.py"
        if not args.skip_reference and script.exists():
            for jobs in sorted({1, args.jobs}) if not args.skip_serial else [args.jobs]:
                wall, cpu, peak, cards = reference(script, folder, work / f"ref{jobs}", jobs)
                print(f"{'reference, ' + str(jobs) + ' proc':>22}: {wall:6.2f} s wall, {cards / wall:5.1f} cards/s, "
                      f"{cpu / cards * 1000:4.1f} ms CPU/card, {cpu:6.2f} s CPU, {peak:.0f} MB peak (PNG + JPEG + PDF), "
                      f"load {os.getloadavg()[0]:.1f}")
        rate, peak = rates[f"{args.jobs} jobs"], max(peaks.values())
        print(f"{args.jobs} jobs: {rate:.1f} cards/s (target >= {CARDS_TARGET}){'  OK' if rate >= CARDS_TARGET else '  MISSED'}; "
              f"peak {peak:.0f} MB per process (target <= {MEMORY_TARGET}){'  OK' if peak <= MEMORY_TARGET else '  MISSED'}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
