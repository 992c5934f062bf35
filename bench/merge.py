"""Merge at scale: synthetic shards totalling 1,000,000 annotations, merged by `simgen merge`.

Renders one real tiny frame to get a genuine frame record, then writes `--frames` records
(default 20,000) shaped like it, each with `--per-frame` annotations (default 50), split into
shards of `--frames-per-shard`, plus a run.json: a finished sweep as far as merge can tell.
Then it runs `simgen merge` in a fresh process and prints its wall time and peak RSS
(ru_maxrss of the child). Run by hand: `.venv/bin/python bench/merge.py`.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from simgen import contract
from simgen.dataset.directory import DatasetDir
from simgen.writers.atomic import dumps_json


def real_template(work: Path) -> tuple[dict, dict]:
    """A real run.json and frame record from one tiny render."""
    out = work / "template"
    subprocess.run([sys.executable, "-m", "simgen", "frames=1", "render.resolution=[64,48]", "render.samples=1",
                    "render.denoise=false", "output.progress=false", f"output.dir={out}"], check=True,
                   capture_output=True)
    run = json.loads((out / contract.RUN_FILE).read_text())
    record = json.loads((out / contract.frame_record_path(0)).read_text())
    if not record["annotations"]:
        raise SystemExit("the template frame has no annotation; pick another seed")
    return run, record


def write_sweep(root: Path, run: dict, template: dict, frames: int, per_frame: int, per_shard: int) -> None:
    run = copy.deepcopy(run)
    run["config"]["frames"] = frames
    run["config"]["frames_per_shard"] = per_shard
    root.mkdir(parents=True)
    (root / contract.RUN_FILE).write_text(json.dumps(run))
    (root / contract.FRAMES_DIR).mkdir()
    annotations = template["annotations"]
    for index in range(frames):
        record = dict(template)
        record["frame_index"] = index
        record["image"] = {**template["image"], "id": index, "file_name": contract.image_path(index),
                           "frame_seed": {"run_seed": run["config"]["seed"], "frame_index": index}}
        record["annotations"] = [{**annotations[k % len(annotations)], "image_id": index}
                                 for k in range(per_frame)]
        (root / contract.frame_record_path(index)).write_bytes(dumps_json(record))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=20_000)
    parser.add_argument("--per-frame", type=int, default=50)
    parser.add_argument("--frames-per-shard", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        run, template = real_template(work)
        root = work / "sweep"
        start = time.perf_counter()
        write_sweep(root, run, template, args.frames, args.per_frame, args.frames_per_shard)
        sys.stdout.write(f"wrote {args.frames} frame records ({args.frames * args.per_frame} annotations) in "
                         f"{time.perf_counter() - start:.1f} s\n")
        assert len(DatasetDir(root).committed_frames()) == args.frames
        # The merge runs in its own process, which reports its own peak RSS (the template render
        # above was another child, so RUSAGE_CHILDREN would mix the two).
        code = ("import resource, sys, time; from simgen.cli import run_subcommand; t = time.perf_counter(); "
                f"rc = run_subcommand('merge', [{str(root)!r}]); "
                "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss); sys.exit(rc)")
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                env={**os.environ, "PYTHONWARNINGS": "ignore"})
        if result.returncode != 0:
            sys.stderr.write(result.stderr[-3000:])
            return result.returncode
        seconds_text, rss_kib = result.stdout.split()[-2:]
        seconds, peak_mib = float(seconds_text), int(rss_kib) / 1024
        coco_mib = (root / contract.ANNOTATIONS_FILE).stat().st_size / 2**20
        sys.stdout.write(f"simgen merge: {seconds:.1f} s, peak RSS {peak_mib:.0f} MiB (the merge process), "
                         f"annotations.json {coco_mib:.0f} MiB\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
