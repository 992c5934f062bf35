"""Per-frame cost of the materials in the persistent scene: Python time and Cycles sync.

Samples `--frames` frames of one scenario (160x120, 1 sample, no denoising: path tracing is
nearly free) and renders them in one Cycles session through `CyclesRenderer`, as a run does.
Prints the median milliseconds per frame of: build (the whole scene update), materials (the
Python time inside `MaterialPool`: choosing, building or re-parameterizing materials and
writing their per-object values), sync (Cycles scene sync, shaders included) and trace. The
first `--warmup` frames (pools filling, first shader compiles) are left out of the medians.
Run it on two checkouts to compare them, e.g. the one before attribute-driven textured
materials (commit 5402ee8, in a temporary `git worktree`, with `PYTHONPATH=<that worktree>`):

    .venv/bin/python bench/materials_sync.py --frames 30
"""

from __future__ import annotations

import argparse
import functools
import logging
import statistics
import subprocess
import sys
import time
from pathlib import Path

from simgen.catalog.entries import load_catalog
from simgen.config.compose import compose_config
from simgen.sampling.frame import sample_frame

TIMED_METHODS = ("get", "write_attributes")
"""The `MaterialPool` methods whose time counts as materials (those this checkout has)."""


class _Clock:
    """Seconds spent in the timed methods since the last `take`."""

    def __init__(self) -> None:
        self.spent_s = 0.0
        self._depth = 0

    def wrap(self, method):
        @functools.wraps(method)
        def timed(*args, **kwargs):
            self._depth += 1
            start = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                self._depth -= 1
                if self._depth == 0:
                    self.spent_s += time.perf_counter() - start
        return timed

    def take(self) -> float:
        spent, self.spent_s = self.spent_s, 0.0
        return spent


def _revision() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                              cwd=Path(__file__).resolve().parent, check=False).stdout.strip() or "?"
    except OSError:
        return "?"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--scenario", default="urban_day")
    parser.add_argument("--persistent-data", action="store_true",
                        help="turn on Cycles' persistent data (render.persistent_data=true; off by default)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    from simgen.blender import materials
    from simgen.blender.renderer import CyclesRenderer

    clock = _Clock()
    for name in TIMED_METHODS:
        if hasattr(materials.MaterialPool, name):
            setattr(materials.MaterialPool, name, clock.wrap(getattr(materials.MaterialPool, name)))
    cfg = compose_config([f"scenario={args.scenario}", f"frames={args.frames}", "seed=0",
                          "render.resolution=[160,120]", "render.samples=1", "render.denoise=false",
                          f"render.persistent_data={str(args.persistent_data).lower()}"])
    catalog = load_catalog()
    renderer = CyclesRenderer(cfg.render)
    rows = []
    try:
        for index in range(args.frames):
            spec = sample_frame(cfg, catalog, index)
            clock.take()
            _, timing = renderer.render(spec)
            rows.append((timing["build_s"], clock.take(), timing["sync_s"], timing["trace_s"]))
    finally:
        renderer.close()
    steady = rows[args.warmup:]
    medians = [statistics.median(column) * 1000 for column in zip(*steady, strict=True)]
    persistent = " (persistent data)" if args.persistent_data else ""
    sys.stdout.write(f"{materials.__file__} at {_revision()}{persistent}: {len(steady)} frames after "
                     f"{args.warmup} warm-up, "
                     f"median ms per frame: build {medians[0]:.1f}, materials {medians[1]:.1f}, "
                     f"sync {medians[2]:.1f}, trace {medians[3]:.1f}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
