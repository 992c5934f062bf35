"""Time the per-frame label extraction and the whole label stage against the render they follow.

Renders a few street frames (Cycles, CPU, 1 sample, no denoising: the labels do not depend on
samples) and times, on each:

    labels: `label_frame` (masks, RLE, amodal boxes, visibility/truncation rasterization, 3D
        boxes, ids, policy), median of --repeats, wall clock;
    label stage: `post_process` (weather, sensor model) + `label_frame` (labels with keypoints,
        fog, motion blur, obstacles) + `frame_record` (the record serialised), the pipeline's
        post-thread stages without the file writes, as CPU time of the calling thread (the
        GIL-held time the other threads of a run wait for), its first call on the frame (the
        frame's meshes are cached by sampling, as in a run; nothing else is warm) and the
        median of --repeats.

`--traffic busy` (the default) places ~20 labeled objects; `--traffic default` keeps the
default scenario's traffic (the `bench/ceiling.py` scene at 160x120).

    python bench/labels_per_frame.py [--frames 3] [--width 640 --height 480] [--traffic busy|default]
"""

from __future__ import annotations

import argparse
import statistics
import time

from simgen.annotations.labels import label_frame
from simgen.catalog.entries import load_catalog
from simgen.config.load import load_config
from simgen.imaging.post import post_process
from simgen.imaging.sensor import apply_sensor
from simgen.sampling.frame import sample_frame
from simgen.writers.frame_files import LabeledFrame
from simgen.writers.frame_record import frame_record

BUSY = {"cars": 12, "pedestrians": 5, "cyclists": 2, "traffic_cones": 1, "max_distance_m": 45.0}


def _label_stage(cfg, spec, passes) -> dict:
    """The pipeline's post-thread stages of one frame (`simgen.pipeline.process_frame`) without writers."""
    image = post_process(spec, passes, cfg.labels.depth_kind)
    labels = label_frame(spec, image.passes.object_index, cfg.labels, image.passes.depth_planar_m,
                         image.fog_transmittance, cfg.obstacles.quota_min_visible_fraction)
    return frame_record(LabeledFrame(spec, image, labels, {}), cfg.sequence.frames)


def _cpu_ms(function, *args) -> float:
    start = time.thread_time()
    function(*args)
    return (time.thread_time() - start) * 1e3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=3)
    parser.add_argument("--width", type=int, default=640)
    parser.add_argument("--height", type=int, default=480)
    parser.add_argument("--traffic", choices=("busy", "default"), default="busy")
    parser.add_argument("--repeats", type=int, default=5, help="runs per frame (median taken)")
    args = parser.parse_args()
    overrides = {"render": {"resolution": [args.width, args.height], "samples": 1, "denoise": False,
                            "device": "cpu"}}
    cfg = load_config(overrides | ({"traffic": BUSY} if args.traffic == "busy" else {}))
    from simgen.blender.renderer import CyclesRenderer

    renderer = CyclesRenderer(cfg.render)
    catalog = load_catalog()
    stage_first, stage_repeat = [], []
    try:
        for index in range(args.frames):
            spec = sample_frame(cfg, catalog, index)
            passes, timing = renderer.render(spec)
            stage_first.append(_cpu_ms(_label_stage, cfg, spec, passes))
            stage_repeat.append(statistics.median(_cpu_ms(_label_stage, cfg, spec, passes)
                                                  for _ in range(args.repeats)))
            output, _ = apply_sensor(passes, spec, cfg.labels.depth_kind)
            times = []
            for _ in range(args.repeats):
                start = time.perf_counter()
                labels = label_frame(spec, output.object_index, cfg.labels)
                times.append(time.perf_counter() - start)
            print(f"frame {index}: {len(spec.labeled_objects)} labeled objects, {len(labels.instances)} visible; "
                  f"labels {statistics.median(times) * 1000:.1f} ms (median of {args.repeats}); label stage "
                  f"{stage_first[-1]:.1f} ms CPU first call, {stage_repeat[-1]:.1f} ms repeated; "
                  f"render {timing['render_s'] * 1000:.0f} ms at 1 sample", flush=True)
    finally:
        renderer.close()
    print(f"median label stage ({args.width}x{args.height}, {args.traffic} traffic): "
          f"{statistics.median(stage_first):.1f} ms CPU first call, {statistics.median(stage_repeat):.1f} ms repeated")


if __name__ == "__main__":
    main()
