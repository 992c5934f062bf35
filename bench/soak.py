"""Soak: many frames in one process; does frame time or memory creep?

Renders `--frames` (default 520) frames of the default scenario at a tiny size in one process
and prints the ratio of the mean frame time of the last 100 frames to the first 100 (also each
pipeline stage's, and the process CPU time per frame's, which other load on the machine changes
less), and memory at three points: after frame 1, after the warm-up (frame `--warmup`, default
50: the Blender mesh cache and the recipe mesh cache are full by frame ~20) and at the end.
Memory is the process RSS and glibc's view of it (mallinfo2): the heap in use (what the caches
and every live array hold) and the heap free but kept in the arenas, which glibc re-uses and
does not hand back (bench/soak_memory.py breaks it down further).
Run by hand: `nice -n 10 .venv/bin/python bench/soak.py [--frames N] [--warmup 50] [--resolution 96 72]`.
"""

from __future__ import annotations

import argparse
import ctypes
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path

from simgen.blender import make_cycles_renderer
from simgen.config.load import load_config
from simgen.pipeline import render_dataset


class MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks",
                                                    "fsmblks", "uordblks", "fordblks", "keepcost")]


def heap_mib() -> tuple[float, float]:
    """glibc heap (MiB): in use (arena chunks + mmapped chunks), free but kept in the arenas;
    NaN where the C library has no mallinfo2 (not glibc >= 2.33)."""
    try:
        mallinfo2 = ctypes.CDLL("libc.so.6").mallinfo2
    except (OSError, AttributeError):
        return float("nan"), float("nan")
    mallinfo2.restype = MallInfo2
    info = mallinfo2()
    return (info.uordblks + info.hblkhd) / 2**20, info.fordblks / 2**20


def rss_mib() -> float:
    """Resident set size of this process in MiB (Linux /proc)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class RssRecordingRenderer:
    """Wraps the real renderer and records (RSS, heap in use, heap free) in MiB after every frame."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.device = inner.device
        self.memory_mib: list[tuple[float, float, float]] = []
        self.cpu_s: list[float] = []
        """`time.process_time()` after each frame: CPU seconds of all threads, which other load on
        the machine changes far less than the wall time."""

    def render(self, spec):
        result = self.inner.render(spec)
        self.memory_mib.append((rss_mib(), *heap_mib()))
        self.cpu_s.append(time.process_time())
        return result

    def close(self) -> None:
        self.inner.close()


def stage_drift(summary, window: int) -> str:
    """Mean ms of each pipeline stage over the first and the last `window` frames, and the ratio."""
    parts = [f"{stage[:-2]} {early * 1000:.1f} -> {late * 1000:.1f} ({late / early:.2f})"
             for stage, (early, late) in summary.stage_drift(window).items()]
    return "stage means (ms), first vs last frames: " + ", ".join(parts) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=520)
    parser.add_argument("--resolution", type=int, nargs=2, default=[96, 72])
    parser.add_argument("--samples", type=int, default=1)
    parser.add_argument("--warmup", type=int, default=50, help="frames after which the caches count as full")
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
    times, memory = summary.frame_times_s, wrapped[0].memory_mib
    window = min(100, len(times) // 2)
    first, last = statistics.mean(times[:window]), statistics.mean(times[-window:])
    sys.stdout.write(f"frames {len(times)}: mean frame time first {window} {first:.3f} s, last {window} "
                     f"{last:.3f} s, ratio {last / first:.3f}\n")
    cpu = [b - a for a, b in zip(wrapped[0].cpu_s, wrapped[0].cpu_s[1:], strict=False)]
    cpu_first, cpu_last = statistics.mean(cpu[:window]), statistics.mean(cpu[-window:])
    sys.stdout.write(f"process CPU time per frame: first {window} {cpu_first:.3f} s, last {window} "
                     f"{cpu_last:.3f} s, ratio {cpu_last / cpu_first:.3f}\n")
    sys.stdout.write(stage_drift(summary, window))
    start, warm, end = memory[0], memory[min(args.warmup, len(memory)) - 1], memory[-1]
    for i, name in enumerate(("RSS", "heap in use", "heap free in the arenas")):
        sys.stdout.write(f"{name}: after frame 1 {start[i]:.1f} MiB, after frame {args.warmup} {warm[i]:.1f} MiB "
                         f"(warm-up {warm[i] - start[i]:+.1f}), at the end {end[i]:.1f} MiB "
                         f"(growth after warm-up {100 * (end[i] / warm[i] - 1):+.1f}%)\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
