"""Cost of motion blur: the same frames rendered with and without an open shutter.

For one seed and set of urban_day frames, renders each frame (a) with `sensor.shutter_s` = 0
(no blur, one render) and (b) with a 1/50 s shutter at the `urban` motion group's speeds (Cycles
motion blur for the RGB, plus the one-sample label render without blur), alternating frame by
frame in one Blender session so drift hits both. Prints the median seconds per frame of each,
the ratio of medians and the median label-render time. Also checks, frame by frame, that the
label passes of (b) equal those of (a) bit for bit.
Run by hand: `.venv/bin/python bench/motion_blur.py [--frames N] [--width W --height H --samples S]`.
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import statistics
import sys
import time

import numpy as np

from simgen.catalog.entries import load_catalog
from simgen.config.load import load_config
from simgen.sampling.frame import sample_frame
from simgen.specs import SensorSpec

SHUTTER_S = 0.02


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=6)
    parser.add_argument("--width", type=int, default=640)
    parser.add_argument("--height", type=int, default=480)
    parser.add_argument("--samples", type=int, default=16)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    from simgen.blender.renderer import CyclesRenderer

    cfg = load_config({"seed": 2, "render": {"resolution": [args.width, args.height], "samples": args.samples,
                                             "denoise": False}})
    catalog = load_catalog()
    renderer = CyclesRenderer(cfg.render)
    still_s, blurred_s = [], []
    try:
        for index in range(args.frames):
            spec = sample_frame(cfg, catalog, index)
            still = dataclasses.replace(spec, sensor=SensorSpec(shutter_s=0.0))
            blurred = dataclasses.replace(spec, sensor=SensorSpec(shutter_s=SHUTTER_S))
            passes = {}
            order = (("still", still), ("blurred", blurred))
            for name, frame in order if index % 2 == 0 else order[::-1]:
                start = time.perf_counter()
                passes[name], _ = renderer.render(frame)
                (still_s if name == "still" else blurred_s).append(time.perf_counter() - start)
            same = (np.array_equal(passes["still"].object_index, passes["blurred"].object_index)
                    and np.array_equal(passes["still"].depth_planar_m, passes["blurred"].depth_planar_m))
            if not same:
                sys.stdout.write(f"frame {index}: label passes differ with motion blur\n")
                return 1
    finally:
        renderer.close()
    still_median, blurred_median = statistics.median(still_s), statistics.median(blurred_s)
    sys.stdout.write(f"{args.width}x{args.height} @ {args.samples} spp, {args.frames} frames, shutter {SHUTTER_S} s\n"
                     f"  no blur:     median {still_median:.3f} s/frame\n"
                     f"  motion blur: median {blurred_median:.3f} s/frame (incl. the 1-sample label render)\n"
                     f"  ratio of medians: {blurred_median / still_median:.3f}\n"
                     f"  label passes identical in every frame\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
