"""Where a Cycles render's time goes, phase by phase, and what a render setting changes there.

Renders the default scenario's frames (160x120, 1 sample, denoising off, CPU: the overhead
regime of bench/ceiling.py) and splits each render by the status lines Cycles reports through
`bpy.app.handlers.render_stats` ("Importance map", "Building BVH", "Sample 1/1", "Saving",
...): a phase lasts from its status line to the next one. Before the first line is what Blender
does before Cycles reports (depsgraph evaluation of the frame, the start of the sync). Prints
the median milliseconds per frame of each phase and of the build.

With `--ab OVERRIDE [OVERRIDE ...]`, a second renderer with those Hydra overrides renders the
same frames, alternating frame by frame with the first (A/B in one run; each switch starts the
other renderer's Blender session again, which costs the build, not the phases), and the table
gets a B column and the B/A ratio of the frame's render time.

    python bench/cycles_phases.py [--frames 12] [--ab render.sky_importance_map_px=512] [OVERRIDE ...]
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from collections import Counter, defaultdict

from simgen.blender.renderer import CyclesRenderer, RenderStatusLog
from simgen.catalog.entries import load_catalog
from simgen.config.compose import compose_config
from simgen.sampling.frame import sample_frame

BASE = ["seed=0", "render.resolution=[160,120]", "render.samples=1", "render.denoise=false", "render.device=cpu"]
BEFORE = "(before Cycles' first status)"


def phase_name(status: str) -> str:
    """'Fra:1 Mem:... | Sample 1/1' -> 'Sample #/#' (numbers masked, so phases group)."""
    return re.sub(r"[\d.]+", "#", status.split("|")[-1].strip())[:48]


def render_phases(renderer: CyclesRenderer, spec, log: RenderStatusLog) -> Counter:
    """Seconds per phase of one frame (build included) and the render's total as 'render'."""
    log.events.clear()
    passes_timing = renderer.render(spec)[1]
    end = time.perf_counter()
    phases = Counter(build=passes_timing["build_s"], render=passes_timing["render_s"])
    start = end - passes_timing["readback_s"] - passes_timing["render_s"]
    if log.events:
        phases[BEFORE] = log.events[0][0] - start
    ends = log.events[1:] + [(end - passes_timing["readback_s"], "")]
    for (t0, status), (t1, _) in zip(log.events, ends, strict=True):
        phases[phase_name(status)] += t1 - t0
    return phases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=12)
    parser.add_argument("--ab", nargs="+", default=None, help="Hydra overrides of the B renderer")
    parser.add_argument("overrides", nargs="*", help="Hydra overrides of both renderers")
    args = parser.parse_args()
    cfg_a = compose_config(BASE + args.overrides)
    configs = {"A": cfg_a}
    if args.ab:
        configs["B"] = compose_config(BASE + args.overrides + args.ab)
    catalog, log = load_catalog(), RenderStatusLog()
    specs = [sample_frame(cfg_a, catalog, index) for index in range(args.frames + 2)]
    renderers = {name: CyclesRenderer(cfg.render) for name, cfg in configs.items()}
    per_phase: dict[str, dict[str, list[float]]] = {name: defaultdict(list) for name in configs}
    for index, spec in enumerate(specs):
        for name, renderer in renderers.items():
            phases = render_phases(renderer, spec, log)
            if index >= 2:  # the first frames load kernels and fill caches
                for phase, seconds in phases.items():
                    per_phase[name][phase].append(seconds)
    names = sorted({p for table in per_phase.values() for p in table},
                   key=lambda p: -statistics.median(per_phase["A"].get(p, [0.0])))
    print(f"median ms per frame over {args.frames} frames" + (f"; B = A + {' '.join(args.ab)}" if args.ab else ""))
    for phase in names:
        row = [f"{1000 * statistics.median(per_phase[n].get(phase, [0.0])):8.1f}" for n in configs]
        print(f"{phase:50s}" + "".join(row))
    if args.ab:
        ratios = [b / a for a, b in zip(per_phase["A"]["render"], per_phase["B"]["render"], strict=True)]
        print(f"render time B / A, median per-frame ratio: {statistics.median(ratios):.3f}")


if __name__ == "__main__":
    main()
