"""Side by side: postdeck's seed deck against a minimal Pillow script, in the same run.

    python benchmarks/ratio.py [--pairs 7] [--templates default,clinic,photo]

For each template, a fresh `postdeck build` of the seed article (9 slides as PNG + JPEG + PDF,
captions, preview page) and a fresh run of the reference script (../shared/tools/ref_cards.py:
the same 9 slides with one font at a fixed size, PNG + JPEG + one PDF, nothing checked) take
turns, pair after pair, so both see the same load. Printed: the median wall and CPU time of
each, their ratios, and the photo template's median against the default's.
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


def pairs(template: str, count: int, work: Path, script: Path) -> tuple[list[tuple], list[tuple]]:
    """``count`` alternating runs of postdeck and the reference, after one warm-up each."""
    ours, ref = postdeck_cmd(work / template, template), reference_cmd(script, work / "ref")
    timed(ours), timed(ref)  # fonts, templates and Python in the disk cache
    mine, theirs = [], []
    for i in range(count):
        order = [(ours, mine), (ref, theirs)]
        for cmd, results in order if i % 2 == 0 else order[::-1]:  # neither side always goes first
            results.append(timed(cmd))
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
    ratios = {}
    with tempfile.TemporaryDirectory() as tmp:
        for template in args.templates.split(","):
            mine, theirs = pairs(template, max(args.pairs, 1), Path(tmp), reference)
            ratio, cpu_ratio = median(mine, 0) / median(theirs, 0), median(mine, 1) / median(theirs, 1)
            ratios[template] = ratio
            target = RATIO_TARGET.get(template)
            verdict = f"  (target <= {target}){'  OK' if ratio <= target else '  MISSED'}" if target else ""
            print(f"{template:>8}: postdeck {median(mine, 0):.3f} s wall {median(mine, 1):.3f} s CPU "
                  f"{max(r[2] for r in mine):.0f} MB | reference {median(theirs, 0):.3f} s wall "
                  f"{median(theirs, 1):.3f} s CPU {max(r[2] for r in theirs):.0f} MB | "
                  f"ratio {ratio:.2f} wall, {cpu_ratio:.2f} CPU{verdict}  load {os.getloadavg()[0]:.1f}")
    if "photo" in ratios and "default" in ratios:  # each against the reference run beside it
        photo = ratios["photo"] / ratios["default"]
        print(f"photo / default: {photo:.2f} wall (target <= {PHOTO_TARGET}){'  OK' if photo <= PHOTO_TARGET else '  MISSED'}")


if __name__ == "__main__":
    main()
