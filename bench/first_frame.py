"""Streamed plan: time from launch to the first committed frame, and peak RSS, against `frames`.

Launches `python -m simgen frames=N ...` (160x120, 1 sample, no denoising) for each N of
`--frames` (default 100 and 100000), waits until `--commits` frames are committed, reads the
process's peak RSS (VmHWM), then stops it with SIGTERM (it commits the frame in flight and
exits 75, resumable). With a streamed plan both figures do not depend on N. Run by hand:
`.venv/bin/python bench/first_frame.py [--frames 100 100000] [--commits 5]`.
"""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def one_run(frames: int, commits: int, out: Path) -> tuple[float, float]:
    """(seconds from launch to the first committed frame, peak RSS MiB after `commits` frames)."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "simgen", f"frames={frames}", "render.resolution=[160,120]",
                             "render.samples=1", "render.denoise=false", "output.progress=false",
                             f"output.dir={out}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    frames_dir, first_s = out / "frames", None
    try:
        while True:
            count = len(list(frames_dir.glob("*.json"))) if frames_dir.is_dir() else 0
            if count and first_s is None:
                first_s = time.perf_counter() - start
            if count >= commits:
                return first_s, peak_rss_mib(proc.pid)
            if proc.poll() is not None:
                raise RuntimeError(f"simgen exited {proc.returncode} before committing {commits} frames")
            time.sleep(0.02)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, nargs="+", default=[100, 100_000])
    parser.add_argument("--commits", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="simgen-first-frame-") as tmp:
        for frames in args.frames:
            first_s, rss = one_run(frames, args.commits, Path(tmp) / f"n{frames}")
            sys.stdout.write(f"frames={frames}: first frame committed {first_s:.2f} s after launch, peak RSS after "
                             f"{args.commits} frames {rss:.0f} MiB\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
