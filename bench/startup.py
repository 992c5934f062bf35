"""Startup overhead: process start to the first committed frame, minus that frame's render.

Runs `python -m simgen frames=1 ...` as a fresh process (as a shard would start), waits for it,
and subtracts the frame's own build + render time (from its frame record) from the wall time to
the record's commit. Prints the median of `--runs` runs. Run by hand:
`.venv/bin/python bench/startup.py [--runs 3]`.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def one_run(out: Path) -> tuple[float, float]:
    start = time.time()
    subprocess.run([sys.executable, "-m", "simgen", "frames=1", "render.resolution=[320,240]", "render.samples=4",
                    "render.denoise=false", "output.progress=false", f"output.dir={out}"],
                   check=True, capture_output=True)
    record = out / "frames" / "000000.json"
    committed = record.stat().st_mtime
    timing = json.loads(record.read_text())["timing"]
    return committed - start, timing["build_s"] + timing["render_s"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    overheads = []
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            to_commit, frame = one_run(Path(tmp) / f"run{run}")
            overheads.append(to_commit - frame)
            sys.stdout.write(f"run {run}: first commit after {to_commit:.2f} s, frame build+render {frame:.2f} s, "
                             f"startup overhead {to_commit - frame:.2f} s\n")
    sys.stdout.write(f"median startup overhead {statistics.median(overheads):.2f} s over {args.runs} runs\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
