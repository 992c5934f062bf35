"""Soak: many frames in one process; does frame time or memory creep?

Renders `--frames` (default 520) frames of the default scenario at a tiny size in one process
and prints the ratio of the mean frame time of the last 100 frames to the first 100, and the
process RSS after frame 50 against the RSS at the end. Run by hand:
`.venv/bin/python bench/soak.py [--frames N] [--resolution 96 72]`.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import tempfile
from pathlib import Path

from simgen.blender import make_cycles_renderer
from simgen.config.load import load_config
from simgen.pipeline import render_dataset


def rss_mib() -> float:
    """Resident set size of this process in MiB (Linux /proc)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class RssRecordingRenderer:
    """Wraps the real renderer and records RSS after every frame."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.device = inner.device
        self.rss_mib: list[float] = []

    def render(self, spec):
        result = self.inner.render(spec)
        self.rss_mib.append(rss_mib())
        return result

    def close(self) -> None:
        self.inner.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=520)
    parser.add_argument("--resolution", type=int, nargs=2, default=[96, 72])
    parser.add_argument("--samples", type=int, default=1)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    wrapped: list[RssRecordingRenderer] = []

    def factory(render_cfg):
        wrapped.append(RssRecordingRenderer(make_cycles_renderer(render_cfg)))
        return wrapped[0]

    with tempfile.TemporaryDirectory() as tmp:
        cfg = load_config({"frames": args.frames, "seed": 2,
                           "render": {"resolution": args.resolution, "samples": args.samples, "denoise": False},
                           "output": {"dir": str(Path(tmp) / "soak"), "progress": False}})
        summary = render_dataset(cfg, renderer_factory=factory)
    times, rss = summary.frame_times_s, wrapped[0].rss_mib
    window = min(100, len(times) // 2)
    first, last = statistics.mean(times[:window]), statistics.mean(times[-window:])
    warm = rss[min(49, len(rss) - 1)]
    sys.stdout.write(f"frames {len(times)}: mean frame time first {window} {first:.3f} s, last {window} "
                     f"{last:.3f} s, ratio {last / first:.3f}\n")
    sys.stdout.write(f"RSS after frame 50 {warm:.1f} MiB, at the end {rss[-1]:.1f} MiB, "
                     f"growth {100 * (rss[-1] / warm - 1):+.1f}%\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
