"""The ceiling Cycles itself sets on a CPU-only machine: CPU time of the render call per frame.

On a machine where Cycles renders on the CPU (this 2-core one), the overhead ceiling
(bench/ceiling.py) counts Cycles' own work too: its scene sync and path tracing run on every
core, so each render call costs CPU time that no pipeline change can remove. This script samples
`--frames` default-scenario specs at the ceiling settings (160x120, 1 sample, denoising off, CPU),
renders them one after another through the real renderer on the main thread with nothing else
running (no sampler or post threads), and per frame takes the process CPU time (user + system,
all threads) of `CyclesRenderer.render`, minus its build stage (single-threaded Python and bpy
calls on this thread, whose wall time is its CPU time on an idle machine). What is left is the
render call (sync + trace) and the readback. Prints their medians and the frames per second this
machine could reach if simgen's own work cost nothing: cores / (CPU seconds of the render call
per frame).

    .venv/bin/python bench/cycles_cpu_floor.py [--frames 20]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from simgen.blender.renderer import CyclesRenderer
from simgen.catalog.entries import load_catalog
from simgen.config.compose import compose_config
from simgen.sampling.frame import sample_frame

SETTINGS = ["seed=0", "render.resolution=[160,120]", "render.samples=1", "render.denoise=false", "render.device=cpu"]


def process_cpu_s() -> float:
    """User + system CPU seconds of this process so far, all threads."""
    times = os.times()
    return times.user + times.system


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=20)
    args = parser.parse_args()
    cfg = compose_config(SETTINGS)
    catalog = load_catalog()
    specs = [sample_frame(cfg, catalog, index) for index in range(args.frames + 2)]
    renderer = CyclesRenderer(cfg.render)
    rows = []
    for index, spec in enumerate(specs):
        cpu_start, wall_start = process_cpu_s(), time.perf_counter()
        timing = renderer.render(spec)[1]
        cpu_s, wall_s = process_cpu_s() - cpu_start, time.perf_counter() - wall_start
        if index >= 2:  # the first frames load kernels and fill caches
            rows.append({"cpu": cpu_s - timing["build_s"], "wall": wall_s - timing["build_s"],
                         "build": timing["build_s"], "sync": timing["sync_s"], "trace": timing["trace_s"]})

    def median_ms(key: str) -> float:
        return 1000 * statistics.median(row[key] for row in rows)

    cores = os.cpu_count() or 1
    print(f"{len(rows)} frames, medians: render call + readback {median_ms('cpu'):.0f} ms CPU "
          f"in {median_ms('wall'):.0f} ms wall "
          f"(sync {median_ms('sync'):.0f}, trace {median_ms('trace'):.0f} ms wall); build {median_ms('build'):.0f} ms")
    print(f"Cycles alone allows at most {cores / (median_ms('cpu') / 1000):.1f} frames/s on these {cores} cores "
          f"({cores} / {median_ms('cpu') / 1000:.3f} CPU s per frame), with simgen's own work at zero")


if __name__ == "__main__":
    main()
