"""Side by side: postdeck's seed deck against a minimal Pillow script, in the same run.

    python benchmarks/ratio.py [--pairs 7] [--templates default,clinic,photo]

In each round, every template's fresh `postdeck build` of the seed article (9 slides as PNG +
JPEG + PDF, captions, preview page) runs once, each followed or preceded by a fresh run of the
reference script (../shared/tools/ref_cards.py: the same 9 slides with one font at a fixed size,
PNG + JPEG + one PDF, nothing checked); the order turns round by round, so every run sees the
same load as its neighbours. Printed: the median wall and CPU time of each template and of all
the script's runs, their ratios, and the photo template's median against the default's
(both measured in the same rounds, so a machine that slows down between templates does not
tilt it).
Targets: ratio at most 1.1 for default and clinic; photo within 1.2x of default.

Other work on the machine inflates wall time of both sides; the ratio of the medians is the
figure to read, and the CPU ratio next to it says how much more work postdeck does.
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "posts" / "01-acupuncture-post-surgical-back-pain.txt"
SHARED = ROOT.parent / "shared"  # the team's shared folder beside the repository
FONTS = ROOT / "fonts"
RATIO_TARGET = {"default": 1.1, "clinic": 1.1}
PHOTO_TARGET = 1.2


def timed(cmd: list[str]) -> tuple[float, float, float]:
    """(wall s, CPU s of the process and its children, peak MB of any one of them)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"{' '.join(cmd)} exited with {os.waitstatus_to_exitcode(status)}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024  # ru_maxrss is KB on Linux


def postdeck_cmd(out: Path, template: str) -> list[str]:
    return [sys.executable, "-m", "postdeck.cli", "build", str(SEED), "-o", str(out),
            "--format", "png,jpg,pdf", "--template", template, "--force", "--jobs", "1", "-q"]


def reference_cmd(script: Path, out: Path) -> list[str]:
    return [sys.executable, str(script), str(SEED), str(out), str(FONTS)]


def rounds(templates: list[str], count: int, work: Path, script: Path) -> tuple[dict[str, list], list]:
    """``count`` rounds after a warm-up; in each, every template's build beside a script run,
    in an order that turns each round (neither side, nor any template, always goes first).
    Returns each template's runs and all the script's runs."""
    ref = reference_cmd(script, work / "ref")
    runs = [(t, postdeck_cmd(work / t, t)) for t in templates]
    for _, cmd in runs:  # fonts, templates and Python in the disk cache
        timed(cmd)
    timed(ref)
    mine: dict[str, list] = {t: [] for t in templates}
    theirs: list = []
    for i in range(count):
        turn = runs[i % len(runs):] + runs[:i % len(runs)]
        for template, cmd in turn:
            pair = [(cmd, mine[template]), (ref, theirs)]
            for run, results in pair if i % 2 == 0 else pair[::-1]:
                results.append(timed(run))
    return mine, theirs


def median(results: list[tuple], field: int) -> float:
    return statistics.median(r[field] for r in results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=7, help="alternating pairs per template (at least 7)")
    parser.add_argument("--templates", default="default,clinic,photo")
    parser.add_argument("--shared", type=Path, default=SHARED, help="the shared folder with tools/ref_cards.py")
    args = parser.parse_args()
    reference = args.shared / "tools" / "ref_cards.py"
    if not reference.exists():
        raise SystemExit(f"{reference}: the reference script is missing; pass --shared with its folder")
    import postdeck

    compileall.compile_dir(Path(postdeck.__file__).parent, quiet=1)  # as pip install does
    print(f"seed deck vs {reference.name}, {args.pairs} pairs, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f}")
    templates = args.templates.split(",")
    with tempfile.TemporaryDirectory() as tmp:
        mine, theirs = rounds(templates, max(args.pairs, 1), Path(tmp), reference)
    ref = theirs  # every script run of the same rounds: one beside each build
    for template in templates:
        ours = mine[template]
        ratio, cpu_ratio = median(ours, 0) / median(ref, 0), median(ours, 1) / median(ref, 1)
        target = RATIO_TARGET.get(template)
        verdict = f"  (target <= {target}){'  OK' if ratio <= target else '  MISSED'}" if target else ""
        print(f"{template:>8}: postdeck {median(ours, 0):.3f} s wall {median(ours, 1):.3f} s CPU "
              f"{max(r[2] for r in ours):.0f} MB | reference {median(ref, 0):.3f} s wall "
              f"{median(ref, 1):.3f} s CPU {max(r[2] for r in ref):.0f} MB | "
              f"ratio {ratio:.2f} wall, {cpu_ratio:.2f} CPU{verdict}")
    if "photo" in mine and "default" in mine:  # the two measured in the same rounds
        photo = median(mine["photo"], 0) / median(mine["default"], 0)
        print(f"photo / default: {photo:.2f} wall (target <= {PHOTO_TARGET}){'  OK' if photo <= PHOTO_TARGET else '  MISSED'}"
              f"  load {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
