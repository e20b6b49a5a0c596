"""Seed deck benchmark: `postdeck build` of the seed article, all slides as PNG + JPEG + PDF.

    python benchmarks/seed.py [--runs 7] [--format png,jpg,pdf]

Each run is a fresh process (interpreter start-up and imports included), as a user runs it.
Target on a 2-core machine: under 0.5 s wall; peak memory under 200 MB.

postdeck's bytecode is compiled first, as `pip install` does, so the runs do not time
compiling source (PYTHONDONTWRITEBYTECODE would otherwise make every run compile it).
Other work on the machine takes cores from the build: the load average is printed with the
results, and CPU time (user + system) is the figure to compare when the machine is busy.
"""

from __future__ import annotations

import argparse
import compileall
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "posts" / "01-acupuncture-post-surgical-back-pain.txt"
WALL_TARGET, MEMORY_TARGET = 0.5, 200


def run(out: Path, formats: str) -> tuple[float, float, float]:
    """(wall s, CPU s, peak MB) of one fresh `postdeck build` process."""
    cmd = [sys.executable, "-m", "postdeck.cli", "build", str(SEED), "-o", str(out), "--format", formats, "--force"]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"postdeck build exited with {proc.returncode}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024  # ru_maxrss is KB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="fresh processes to time")
    parser.add_argument("--format", default="png,jpg,pdf", help="card formats")
    args = parser.parse_args()
    import postdeck

    compileall.compile_dir(Path(postdeck.__file__).parent, quiet=1)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "output"
        run(out, args.format)  # warm the disk cache: fonts, templates, Python
        results = [run(out, args.format) for _ in range(args.runs)]
        files = sorted(p.name for p in out.glob("*/cards/*"))
    walls = sorted(r[0] for r in results)
    median = walls[len(walls) // 2]
    cpu = sorted(r[1] for r in results)[len(results) // 2]
    peak = max(r[2] for r in results)
    slides = len({name.rsplit("-", 1)[0] for name in files if not name.startswith("carousel")})
    print(f"seed deck: {slides} slides, {len(files)} files ({args.format}), {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"  wall  best {walls[0]:.3f} s, median {median:.3f} s  (target < {WALL_TARGET} s)"
          f"{'  OK' if median < WALL_TARGET else '  MISSED'}")
    print(f"  CPU   median {cpu:.3f} s (user + system, all threads)")
    print(f"  rate  {slides / median:.1f} slides/s")
    print(f"  peak  {peak:.0f} MB  (target < {MEMORY_TARGET} MB){'  OK' if peak < MEMORY_TARGET else '  MISSED'}")


if __name__ == "__main__":
    main()
