"""Overhead of labels: the full simgen pipeline against a bare Cycles render of the same scenes.

For one scenario, seed and set of frames, it times, frame by frame, (a) the full pipeline's work
for the frame (one render giving RGB + depth + object index, weather and sensor post-processing,
masks, boxes, RLE, visibility, depth PNG, frame record, all written) and (b) a bare render of the
identical scene, built by the same builders with the same Cycles settings, RGB only, Blender
writing one PNG and nothing else. The two alternate frame by frame in one process (bare first on
even frames, full first on odd ones) so that drift and warm-up hit both equally. Prints per-frame
medians, the ratio of medians and the median of the per-frame ratios, for 640x480 at 16 samples
(render-bound) and 320x240 at 4 samples (overhead-bound, standing in for GPU speed).
Run by hand: `.venv/bin/python bench/overhead.py [--frames N] [--only SETTING]`.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path

from simgen.catalog.entries import load_catalog
from simgen.config.load import load_config
from simgen.dataset.directory import DatasetDir
from simgen.pipeline import write_frame
from simgen.sampling.frame import sample_frame

SETTINGS = (("640x480 @ 16 spp", [640, 480], 16), ("320x240 @ 4 spp", [320, 240], 4))


def measure(resolution: list[int], samples: int, frames: int, scratch: Path) -> tuple[list[float], list[float]]:
    """(full seconds, bare seconds) per frame, alternating in one Blender session."""
    from simgen.blender.renderer import CyclesRenderer

    cfg = load_config({"frames": frames, "seed": 1, "render": {"resolution": resolution, "samples": samples,
                                                               "denoise": False},
                       "output": {"dir": str(scratch / "full"), "progress": False}})
    catalog = load_catalog()
    dataset = DatasetDir(scratch / "full")
    renderer = CyclesRenderer(cfg.render)
    full, bare = [], []

    def run_full(spec) -> None:
        start = time.perf_counter()
        passes, timing = renderer.render(spec)
        write_frame(cfg, spec, passes, timing, dataset, start)
        full.append(time.perf_counter() - start)

    def run_bare(spec) -> None:
        start = time.perf_counter()
        renderer.render_bare(spec, scratch / f"bare_{spec.frame_index:06d}.png")
        bare.append(time.perf_counter() - start)

    try:
        for index in range(frames):
            spec = sample_frame(cfg, catalog, index)
            for step in ((run_bare, run_full) if index % 2 == 0 else (run_full, run_bare)):
                step(spec)
    finally:
        renderer.close()
    return full, bare


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=10, help="frames per setting")
    parser.add_argument("--only", choices=[name for name, _, _ in SETTINGS], default=None,
                        help="run one setting only")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    for name, resolution, samples in SETTINGS:
        if args.only and name != args.only:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            full, bare = measure(resolution, samples, args.frames, Path(tmp))
        full, bare = full[1:], bare[1:]  # frame 0 pays the session's warm-up
        paired = statistics.median(f / b for f, b in zip(full, bare, strict=True))
        sys.stdout.write(f"{name}: full {statistics.median(full):.3f} s/frame, bare {statistics.median(bare):.3f} "
                         f"s/frame, ratio of medians {statistics.median(full) / statistics.median(bare):.3f}, "
                         f"median per-frame ratio {paired:.3f} ({len(full)} frames each)\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
