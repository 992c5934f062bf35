"""Cost of the issue-16 labels: keypoints and semantic/panoptic against the label stage, and
optical flow against the frame time.

Renders the frames of default-street sequences (Cycles, CPU), then, per frame, alternates the
label stage without and with the extras in one run (A/B, median of --repeats each):

    A: label_frame without keypoints (the label stage's labels)
    B: label_frame with keypoints + semantic map + panoptic segments (computation)
    (and once each before the repeats, A first on even frames and B first on odd ones: the
    first calls, which is what a run pays per frame)
    parts: keypoints, the semantic map alone, semantic map + panoptic segments (CPU time, for the docs)
    W: the semantic and panoptic PNG encodings, against the frame's RGB + depth PNG encodings
    flow: forward + backward frame_flow of the pair (and their .npy/.png encodings)

and prints B / A - 1 (CPU time of the thread), (keypoints + semantic+panoptic alone) / A (the
steadier figure on a loaded machine), W / (RGB + depth encodings) and flow / frame
time (wall; frame time = build + render + readback of the frame at --samples, plus its label
stage).

    python bench/labels_extra.py [--sequences 1 --frames 3] [--width 640 --height 480] [--samples 16]
"""

from __future__ import annotations

import argparse
import statistics
import time

from simgen.annotations.flow import frame_flow
from simgen.annotations.keypoints import frame_keypoints
from simgen.annotations.labels import label_frame
from simgen.annotations.panoptic import encode_segment_ids, semantic_panoptic
from simgen.annotations.semantic import semantic_map
from simgen.catalog.entries import load_catalog
from simgen.config.load import load_config
from simgen.imaging.sensor import apply_sensor
from simgen.sampling.frame import sample_frame
from simgen.writers.flow import encode_status_png
from simgen.writers.images import encode_depth_png, encode_npy, encode_rgb_png, encode_uint16_png


def _extras(spec, passes, labels_cfg) -> tuple:
    labels = label_frame(spec, passes.object_index, labels_cfg, passes.depth_planar_m)
    semantic, ids, _ = semantic_panoptic(passes.object_index, passes.material_index, passes.depth_planar_m, spec,
                                         labels.instances, labels_cfg.categories)
    return semantic, ids


def _part_seconds(spec, passes, labels_cfg, instances) -> tuple[float, float, float]:
    """CPU seconds of the extras alone: keypoints, the semantic map alone (output.semantic_maps
    without output.panoptic), semantic map + panoptic segments (computed together, as the
    writer does with output.panoptic)."""
    visible = {i.instance_index for i in instances}
    keypoints = _cpu_seconds(frame_keypoints, spec, passes.depth_planar_m, passes.object_index, visible)
    semantic = _cpu_seconds(semantic_map, passes.object_index, passes.material_index, passes.depth_planar_m, spec,
                            labels_cfg.categories)
    both = _cpu_seconds(semantic_panoptic, passes.object_index, passes.material_index, passes.depth_planar_m, spec,
                        instances, labels_cfg.categories)
    return keypoints, semantic, both


def _extra_writes(semantic, ids) -> None:
    encode_uint16_png(semantic)
    encode_rgb_png(encode_segment_ids(ids))


def _base_writes(passes) -> None:
    encode_rgb_png(passes.rgb)
    encode_depth_png(passes.depth_planar_m)


def _flow(a, pa, b, pb) -> None:
    for s1, p1, s2, p2 in ((a, pa, b, pb), (b, pb, a, pa)):
        flow, status = frame_flow(s1, p1.depth_planar_m, p1.object_index, s2, p2.depth_planar_m, p2.object_index)
        encode_npy(flow)
        encode_status_png(status)


def _seconds(function, *args) -> float:
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


def _cpu_seconds(function, *args) -> float:
    """CPU time of this thread (the GIL-held time; steadier than wall time on a loaded machine)."""
    start = time.thread_time()
    function(*args)
    return time.thread_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sequences", type=int, default=1)
    parser.add_argument("--frames", type=int, default=3, help="frames per sequence")
    parser.add_argument("--width", type=int, default=640)
    parser.add_argument("--height", type=int, default=480)
    parser.add_argument("--samples", type=int, default=16)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    cfg = load_config({"frames": args.sequences * args.frames, "sequence": {"frames": args.frames, "fps": 10.0},
                       "render": {"resolution": [args.width, args.height], "samples": args.samples,
                                  "denoise": False, "device": "cpu"},
                       "traffic": {"cars": 10, "pedestrians": 6, "cyclists": 2, "max_distance_m": 45.0}})
    from simgen.blender.renderer import CyclesRenderer

    renderer, catalog = CyclesRenderer(cfg.render), load_catalog()
    extra_ratios, first_ratios, write_ratios, flow_ratios, part_ms, alone_ratios = [], [], [], [], [], []
    try:
        previous = None
        for index in range(cfg.frames):
            spec = sample_frame(cfg, catalog, index)
            raw, timing = renderer.render(spec)
            passes, _ = apply_sensor(raw, spec, "planar")
            base, extra, base_w, extra_w = [], [], [], []
            # First calls, as a run pays them (one label stage per frame; the meshes are cached by
            # sampling, nothing else is warm), in alternating order (whichever runs second finds
            # the frame's arrays in the CPU caches), then the A/B repeats.
            if index % 2:
                first_extra = _cpu_seconds(_extras, spec, passes, cfg.labels)
                first_base = _cpu_seconds(label_frame, spec, passes.object_index, cfg.labels)
            else:
                first_base = _cpu_seconds(label_frame, spec, passes.object_index, cfg.labels)
                first_extra = _cpu_seconds(_extras, spec, passes, cfg.labels)
            first_ratios.append(first_extra / first_base - 1.0)
            semantic, ids = _extras(spec, passes, cfg.labels)
            instances = label_frame(spec, passes.object_index, cfg.labels).instances
            parts = []
            for _ in range(args.repeats):  # alternate A and B so machine load hits both alike
                parts.append(_part_seconds(spec, passes, cfg.labels, instances))
                base.append(_cpu_seconds(label_frame, spec, passes.object_index, cfg.labels))
                extra.append(_cpu_seconds(_extras, spec, passes, cfg.labels))
                base_w.append(_seconds(_base_writes, passes))
                extra_w.append(_seconds(_extra_writes, semantic, ids))
            base_s, extra_s = statistics.median(base), statistics.median(extra)
            write_ratios.append(statistics.median(extra_w) / statistics.median(base_w))
            frame_s = timing["build_s"] + timing["render_s"] + timing["readback_s"] + extra_s
            extra_ratios.append(extra_s / base_s - 1.0)
            part_ms.append([1e3 * statistics.median(column) for column in zip(*parts, strict=True)])
            alone_ratios.append((part_ms[-1][0] + part_ms[-1][2]) / (1e3 * base_s))  # keypoints + semantic+panoptic
            line = (f"frame {index}: labels {base_s * 1e3:.1f} ms, with keypoints+semantic+panoptic "
                    f"{extra_s * 1e3:.1f} ms (+{100 * extra_ratios[-1]:.1f} %; first call "
                    f"{first_base * 1e3:.1f} -> {first_extra * 1e3:.1f} ms, +{100 * first_ratios[-1]:.1f} %); "
                    "alone: keypoints {:.2f}, semantic {:.2f}, semantic+panoptic {:.2f} ms; ".format(*part_ms[-1])
                    + "their PNGs "
                    f"{100 * write_ratios[-1]:.0f} % of the RGB+depth PNGs; frame {frame_s:.2f} s")
            if previous is not None and index % args.frames:
                flow_s = statistics.median(_seconds(_flow, *previous, spec, passes) for _ in range(args.repeats))
                flow_ratios.append(flow_s / frame_s)
                line += f"; flow fwd+bwd {flow_s * 1e3:.0f} ms = {100 * flow_ratios[-1]:.1f} % of the frame"
            print(line, flush=True)
            previous = (spec, passes)
    finally:
        renderer.close()
    parts = (statistics.median(column) for column in zip(*part_ms, strict=True))
    flow = f"; flow {100 * statistics.median(flow_ratios):.1f} % of the frame time" if flow_ratios else ""
    print(f"median: keypoints+semantic+panoptic +{100 * statistics.median(extra_ratios):.1f} % of the label stage "
          f"(first call +{100 * statistics.median(first_ratios):.1f} %; alone: keypoints "
          "{:.2f}, semantic {:.2f}, semantic+panoptic {:.2f} ms; keypoints + semantic+panoptic alone ".format(*parts)
          + f"{100 * statistics.median(alone_ratios):.1f} % of the label stage); "
          + f"their PNG writes {100 * statistics.median(write_ratios):.0f} % of the RGB+depth PNG writes{flow} "
          f"({args.width}x{args.height}, {args.samples} spp)")


if __name__ == "__main__":
    main()
