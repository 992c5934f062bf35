"""Overhead of labels: the full simgen pipeline against a bare Cycles render of the same scenes.

For one scenario, seed and set of frames, it times (a) the full pipeline (RGB + depth + object
index from one render, masks, boxes, RLE, depth PNG, frame record, all written) and (b) a bare
render of the identical scenes, built by the same builders, RGB only, Blender writing one PNG
and nothing else. Blocks alternate (bare, full, bare, full) in one process so drift hits both.
Prints per-frame medians and the ratio full / bare, for two settings:
640x480 at 16 samples (render-bound) and 320x240 at 4 samples (overhead-bound, standing in for
GPU speed). Run by hand: `.venv/bin/python bench/overhead.py [--frames N]`.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path

from simgen.catalog import load_catalog
from simgen.config.load import load_config
from simgen.pipeline import make_cycles_renderer, render_dataset
from simgen.sampling.frame import sample_frame

SETTINGS = (("640x480 @ 16 spp", [640, 480], 16), ("320x240 @ 4 spp", [320, 240], 4))


def _config(resolution: list[int], samples: int, frames: int, out: Path, first: int):
    return load_config({"frames": first + frames, "seed": 1, "shard": first // frames, "frames_per_shard": frames,
                        "render": {"resolution": resolution, "samples": samples, "denoise": False},
                        "output": {"dir": str(out), "progress": False}})


def time_full(resolution: list[int], samples: int, frames: int, first: int, scratch: Path) -> list[float]:
    cfg = _config(resolution, samples, frames, scratch / f"full_{first}", first)
    summary = render_dataset(cfg, renderer_factory=make_cycles_renderer)
    return summary.frame_times_s


def time_bare(resolution: list[int], samples: int, frames: int, first: int, scratch: Path) -> list[float]:
    from simgen.blender.renderer import CyclesRenderer

    cfg = _config(resolution, samples, frames, scratch / f"bare_{first}", first)
    catalog = load_catalog()
    specs = [sample_frame(cfg, catalog, i) for i in range(first, first + frames)]
    renderer = CyclesRenderer(cfg.render, bare=True)
    times = []
    try:
        for spec in specs:
            start = time.perf_counter()
            renderer.render_bare(spec, scratch / f"bare_{spec.frame_index:06d}.png")
            times.append(time.perf_counter() - start)
    finally:
        renderer.close()
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=6, help="frames per block (two blocks per mode)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    lines = []
    for name, resolution, samples in SETTINGS:
        full, bare = [], []
        with tempfile.TemporaryDirectory() as tmp:
            scratch = Path(tmp)
            for block in range(2):
                first = block * args.frames
                bare += time_bare(resolution, samples, args.frames, first, scratch)
                full += time_full(resolution, samples, args.frames, first, scratch)
        # The first frame of each block pays Blender/kernel warm-up in both modes; medians hide it.
        full_median, bare_median = statistics.median(full), statistics.median(bare)
        lines.append(f"{name}: full {full_median:.3f} s/frame, bare {bare_median:.3f} s/frame, "
                     f"ratio {full_median / bare_median:.3f} ({len(full)} frames each)")
        sys.stdout.write(lines[-1] + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
