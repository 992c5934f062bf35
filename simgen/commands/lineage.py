"""`simgen lineage DATASET IMAGE_ID`: where a frame came from, and the command that re-renders it.

The printed command renders that one frame (`frames_per_shard=1 shard=IMAGE_ID`) into a new
directory with every content-defining config field given explicitly; at the same git commit it
reproduces the frame's image, depth, masks and annotations (the new directory holds only that
frame, so it has no annotations.json: compare `frames/NNNNNN.json`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from simgen.dataset.lineage import reproduce_command
from simgen.dataset.view import load_dataset
from simgen.errors import DatasetError


def describe_frame(dataset: Path, image_id: int, out_dir: str) -> tuple[list[str], str]:
    """(human-readable lineage lines, the reproduce command) of one image of a dataset."""
    view = load_dataset(dataset)
    image = view.image(image_id)
    run = view.run
    if "identity" not in run:
        raise DatasetError(f"{dataset}: run.json has no config identity; cannot build a reproduce command")
    info = view.coco.get("info", {})
    record = view.record(image_id)
    provenance = record.get("provenance", {})
    lines = [f"frame {image_id} of {dataset} ({image['file_name']})",
             f"  frame seed: {image.get('frame_seed')}, cycles seed {record.get('spec', {}).get('cycles_seed')}",
             f"  shard {provenance.get('shard', '?')} (frames_per_shard {provenance.get('frames_per_shard', '?')}), "
             f"device {provenance.get('device', '?')}, Blender {provenance.get('blender_version', '?')}",
             f"  simgen {info.get('simgen_version', '?')}, git commit {info.get('git_commit', '?')} "
             f"(dirty: {info.get('git_dirty', '?')})",
             f"  config sha256 {info.get('config_sha256', run.get('config_sha256', '?'))}",
             f"  catalog sha256 {info.get('catalog_sha256', '?')}, recipes sha256 {info.get('recipes_sha256', '?')}",
             f"  python {info.get('python', '?')} on {info.get('platform', '?')}"]
    frames = int(run.get("config", {}).get("frames", len(view.images)))
    return lines, reproduce_command(run["identity"], frames, image_id, out_dir)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="simgen lineage", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dataset", type=Path)
    parser.add_argument("image_id", type=int, help="COCO image id (= frame index)")
    parser.add_argument("--out", help="output.dir for the reproduction (default: DATASET-frame-IMAGE_ID)")
    parser.add_argument("--command-only", action="store_true", help="print only the reproduce command")
    args = parser.parse_args(argv)
    out_dir = args.out or f"{str(args.dataset).rstrip('/')}-frame-{args.image_id}"
    lines, command = describe_frame(args.dataset, args.image_id, out_dir)
    if not args.command_only:
        commit = next((line.split("git commit ")[1].split()[0] for line in lines if "git commit" in line), "?")
        lines += ["", f"reproduce (at git commit {commit}):"]
        sys.stdout.write("\n".join(lines) + "\n")
    sys.stdout.write(command + "\n")
    return 0
