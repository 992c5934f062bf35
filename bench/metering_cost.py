"""Metered auto-exposure: what the metering itself adds to a frame.

In `lighting.exposure_mode: metered` (the day, dusk and night presets) the renderer decodes the
Combined pass from the scratch EXR it reads anyway for the labels, takes the median Rec. 709
luminance and sets the view exposure the display PNG is saved with (`simgen.render.exposure`):
no re-render and no second read of the file. This script renders `--frames` default-scenario
frames through the real renderer at each `--resolution`, and after each render times that
metering step alone (`combined_rgb` + `luminance` + `meter` on the frame's own EXR parts, the
best of `--repeats`), against the frame's render time (build + Cycles + readback). Prints, per
resolution, the median milliseconds of both and their ratio: the fraction of a frame the
metering costs.

    .venv/bin/python bench/metering_cost.py [--frames 6] [--resolution 640 480 --samples 16]
"""

from __future__ import annotations

import argparse
import statistics
import time

from simgen.blender.renderer import CyclesRenderer
from simgen.catalog.entries import load_catalog
from simgen.config.compose import compose_config
from simgen.render.exposure import luminance, meter
from simgen.render.passes import combined_rgb, read_exr_parts
from simgen.sampling.frame import sample_frame


def metering_s(exr_path, lighting, repeats: int) -> float:
    """Best-of-`repeats` seconds of the metering step on one frame's EXR parts."""
    parts = read_exr_parts(exr_path)  # read once per frame by the renderer in both modes
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        meter(luminance(combined_rgb(parts, exr_path)), lighting.metering_target,
              lighting.metering_min_ev, lighting.metering_max_ev, lighting.exposure_ev)
        best = min(best, time.perf_counter() - start)
    return best


def measure(width: int, height: int, samples: int, frames: int, repeats: int) -> tuple[float, float]:
    """(median frame seconds, median metering seconds) over `frames` frames after one warm-up."""
    cfg = compose_config(["seed=0", f"render.resolution=[{width},{height}]", f"render.samples={samples}",
                          "render.denoise=false", "render.device=cpu", "lighting.exposure_mode=metered"])
    catalog = load_catalog()
    renderer = CyclesRenderer(cfg.render)
    frame_s, meter_s = [], []
    for index in range(frames + 1):
        spec = sample_frame(cfg, catalog, index)
        timing = renderer.render(spec)[1]
        if index == 0:  # kernels and caches
            continue
        frame_s.append(timing["build_s"] + timing["render_s"] + timing["readback_s"])
        meter_s.append(metering_s(renderer.work_dir / "passes.exr", spec.lighting, repeats))
    return statistics.median(frame_s), statistics.median(meter_s)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=6)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--resolution", type=int, nargs=2, action="append", metavar=("W", "H"))
    parser.add_argument("--samples", type=int, default=16)
    args = parser.parse_args()
    for width, height in args.resolution or [(640, 480), (160, 120)]:
        frame, metering = measure(width, height, args.samples, args.frames, args.repeats)
        print(f"{width}x{height} {args.samples} spp: frame {1000 * frame:.1f} ms, metering {1000 * metering:.2f} ms, "
              f"metering / frame {metering / frame:.4f}")


if __name__ == "__main__":
    main()
