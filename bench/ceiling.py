"""Overhead ceiling: how many labeled frames per second the pipeline itself allows.

The default scenario at 160x120, 1 sample, denoising off, so that path tracing is nearly free and
what is left is simgen's own per-frame cost (the limit a fast GPU would hit). Runs `--frames`
frames (default 200) in one process through `simgen.pipeline.render_dataset` with every output
written (images, depth, frame records, annotations.json, manifest), then prints frames per second
(wall time from launch of the run to the assembled dataset, and the steady-state median frame
period), the process CPU time per frame (every thread: the renderer, the sampler and post threads
and Cycles' own; compared with the wall time and the core count it says whether the cores are
saturated, so that only less CPU work per frame can raise the ceiling), the median milliseconds
per frame of each stage and the peak RSS. Stages: plan (sampling
the frame's spec), build (creating or updating the Blender scene), sync (Cycles scene sync:
depsgraph, objects, meshes, shaders, BVH, lights), trace (path tracing), readback (the RGB through
the view transform and the EXR label passes into numpy), labels (weather, sensor, masks, boxes,
RLE), write (encoding and writing the files).
Run by hand: `.venv/bin/python bench/ceiling.py [--frames 200] [--scenario urban_day]`.
"""

from __future__ import annotations

import argparse
import logging
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

from simgen.config.compose import compose_config
from simgen.pipeline import render_dataset

STAGES = (("plan", "plan_s"), ("build", "build_s"), ("sync", "sync_s"), ("trace", "trace_s"),
          ("readback", "readback_s"), ("labels", "labels_s"), ("write", "write_s"))


def process_cpu_s() -> float:
    """User + system CPU seconds of this process so far, all threads (not its child processes)."""
    times = os.times()
    return times.user + times.system


def run(frames: int, scenario: str, out: Path, overrides: list[str]) -> tuple[float, float, object]:
    """Render `frames` frames into `out` (the config composed as `simgen` composes it, plus
    Hydra `overrides`); returns (wall seconds, process CPU seconds, RunSummary)."""
    cfg = compose_config([f"scenario={scenario}", f"frames={frames}", "seed=0", "render.resolution=[160,120]",
                          "render.samples=1", "render.denoise=false", f"output.dir={out}", "output.progress=false",
                          *overrides])
    start, cpu_start = time.perf_counter(), process_cpu_s()
    summary = render_dataset(cfg)
    return time.perf_counter() - start, process_cpu_s() - cpu_start, summary


def report(frames: int, wall_s: float, cpu_s: float, summary) -> str:
    """The printed figures: frames/s, CPU time per frame, median ms per stage, peak RSS."""
    medians = summary.stage_medians()
    period = statistics.median(summary.frame_times_s)
    stages = ", ".join(f"{name} {medians[key] * 1000:.1f}" for name, key in STAGES if key in medians)
    split = "sync_s" in medians  # older code reports one render stage instead of sync + trace
    rest = ", ".join(f"{key[:-2]} {value * 1000:.1f}" for key, value in medians.items()
                     if key not in dict(STAGES).values() and (key != "render_s" or not split))
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines = [f"{frames} frames in {wall_s:.1f} s: {frames / wall_s:.2f} frames/s all-in "
             f"(median frame period {period * 1000:.0f} ms = {1 / period:.2f} frames/s)",
             f"process CPU time {cpu_s / frames * 1000:.0f} ms per frame (all threads), "
             f"{cpu_s / wall_s:.2f} of the machine's {os.cpu_count()} cores busy on average",
             f"median ms per frame: {stages}" + (f" (also {rest})" if rest else ""),
             f"peak RSS {peak_mib:.0f} MiB"]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=200)
    parser.add_argument("--scenario", default="urban_day")
    parser.add_argument("overrides", nargs="*", help="more Hydra overrides, e.g. render.processes_per_device=2")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="simgen-ceiling-") as tmp:
        wall_s, cpu_s, summary = run(args.frames, args.scenario, Path(tmp) / "out", args.overrides)
    sys.stdout.write(report(args.frames, wall_s, cpu_s, summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
