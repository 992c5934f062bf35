"""`simgen plan [OVERRIDE ...]`: sample a run's frame specs without rendering and report them.

Takes the same Hydra overrides as rendering (`scenario=rare_obstacles frames=5000 seed=3
output.dir=plans/ro`), composes the config from the same packaged tree (`pkg://simgen.configs`)
with `simgen.config.compose.compose_config`, samples every frame of the run (or of its shard) with the renderer's
own `sample_frame`, and writes into `output.dir`:

    plan.png           summary table + a histogram of every sampled parameter
    plan.json          the summary table and per-parameter statistics
    plan_frames.jsonl  one line per frame: every sampled parameter

and prints the summary table. Nothing is rendered and no dataset file is touched. `--jobs N`
samples in N worker processes (same rows, in the same order).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from simgen.blender import import_asset_mesh
from simgen.catalog.entries import run_catalog
from simgen.config.compose import compose_config
from simgen.plan.figure import draw_plan_figure
from simgen.plan.planner import columns, format_summary, summarize_plan, timed_plan
from simgen.writers.atomic import dumps_json, write_bytes_atomic, write_json_atomic
from simgen.writers.images import encode_rgb_png

log = logging.getLogger(__name__)

PLAN_FIGURE = "plan.png"
PLAN_SUMMARY = "plan.json"
PLAN_FRAMES = "plan_frames.jsonl"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="simgen plan", description=__doc__.splitlines()[0])
    parser.add_argument("overrides", nargs="*", help="Hydra overrides, e.g. scenario=urban_day frames=2000")
    parser.add_argument("--config-dir", action="append", type=Path, default=[],
                        help="a folder of your own configs, as for `simgen --config-dir` (repeatable)")
    parser.add_argument("--jobs", type=int, default=min(8, os.cpu_count() or 1),
                        help="worker processes (the output does not depend on it); default: CPUs, at most 8")
    args = parser.parse_args(argv)
    cfg = compose_config(args.overrides, args.config_dir)
    from simgen.dataset.shards import shard_frames

    frames = shard_frames(cfg)
    catalog = run_catalog(cfg, import_mesh=import_asset_mesh)
    rows, seconds = timed_plan(cfg, catalog, frames, args.jobs)
    summary = summarize_plan(cfg, rows, frames.start)  # no timing in the files: same input, same bytes
    text = format_summary(summary)
    root = Path(cfg.output.dir)
    root.mkdir(parents=True, exist_ok=True)
    write_bytes_atomic(root / PLAN_FIGURE, encode_rgb_png(draw_plan_figure(text, columns(rows))))
    write_json_atomic(root / PLAN_SUMMARY, summary)
    write_bytes_atomic(root / PLAN_FRAMES, b"".join(dumps_json({"frame_index": i, **row})
                                                    for i, row in zip(frames, rows, strict=True)))
    sys.stdout.write(f"{text}\nsampled {len(rows)} frames in {seconds:.2f} s "
                     f"({len(rows) / max(seconds, 1e-9):.0f} frames/s, {args.jobs} jobs)\n"
                     f"wrote {root / PLAN_FIGURE}, {root / PLAN_SUMMARY}, {root / PLAN_FRAMES}\n")
    return 0
