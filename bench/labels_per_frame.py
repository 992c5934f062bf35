"""Time the per-frame label extraction against the render it follows.

Renders a few default street frames with ~20 labeled objects (Cycles, CPU, 1 sample, no
denoising: the labels do not depend on samples) and times `label_frame` on each: masks, RLE,
amodal boxes, visibility/truncation rasterization, 3D boxes, ids and policy.

    python bench/labels_per_frame.py [--frames 3] [--width 640 --height 480]
"""

from __future__ import annotations

import argparse
import statistics
import time

from simgen.annotations.labels import label_frame
from simgen.catalog.entries import load_catalog
from simgen.config.load import load_config
from simgen.sampling.frame import sample_frame


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=3)
    parser.add_argument("--width", type=int, default=640)
    parser.add_argument("--height", type=int, default=480)
    parser.add_argument("--repeats", type=int, default=5, help="label_frame runs per frame (median taken)")
    args = parser.parse_args()
    cfg = load_config({"render": {"resolution": [args.width, args.height], "samples": 1, "denoise": False,
                                  "device": "cpu"},
                       "traffic": {"cars": 12, "pedestrians": 5, "cyclists": 2, "traffic_cones": 1,
                                   "max_distance_m": 45.0}})
    from simgen.blender.renderer import CyclesRenderer

    renderer = CyclesRenderer(cfg.render)
    catalog = load_catalog()
    try:
        for index in range(args.frames):
            spec = sample_frame(cfg, catalog, index)
            passes, timing = renderer.render(spec)
            times = []
            for _ in range(args.repeats):
                start = time.perf_counter()
                labels = label_frame(spec, passes.object_index, cfg.labels)
                times.append(time.perf_counter() - start)
            print(f"frame {index}: {len(spec.labeled_objects)} labeled objects, {len(labels.instances)} visible; "
                  f"labels {statistics.median(times) * 1000:.1f} ms (median of {args.repeats}); "
                  f"render {timing['render_s'] * 1000:.0f} ms at 1 sample")
    finally:
        renderer.close()


if __name__ == "__main__":
    main()
