"""Merge a sweep: check every shard is complete, then assemble and validate the dataset files.

`simgen merge <output.dir>` reads the sweep's config from run.json, checks that every frame of
every shard has a committed record (reporting exactly which shards and frames are missing),
then streams the frame records in global frame order into annotations.json and manifest.jsonl
(`simgen.dataset.finalize.finalize_dataset`, the same code a single run uses, so the files do not depend
on how the frames were split). Memory stays bounded by one frame record. Merging again gives the
same bytes.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from simgen import contract
from simgen.config.load import load_config
from simgen.dataset.directory import DatasetDir
from simgen.dataset.finalize import finalize_dataset
from simgen.dataset.locking import ALL_FRAMES, frame_lock
from simgen.dataset.shards import describe_missing, missing_frames, read_shard_manifest
from simgen.errors import OutputError

log = logging.getLogger(__name__)

PYCOCOTOOLS_MAX_ANNOTATIONS = 200_000
"""Above this many annotations the pycocotools check (which loads the whole file into memory,
several GB for a million annotations) runs only on request; the streaming checks always run."""


class IncompleteSweepError(OutputError):
    """Some frames of the sweep have no committed record; the message lists shards and frames."""

    def __init__(self, missing: Mapping[int, list[int]], report: str) -> None:
        self.missing = dict(missing)
        super().__init__(report)


@dataclass
class MergeSummary:
    root: Path
    frames: int
    shards: int
    annotations: int
    shards_without_manifest: list[int]


def read_run_file(root: Path) -> dict[str, Any]:
    run_file = root / contract.RUN_FILE
    if not run_file.exists():
        raise OutputError(f"{str(root)!r} is not a simgen dataset (no {contract.RUN_FILE}); "
                          "allowed: the output.dir of a simgen run or sweep")
    return json.loads(run_file.read_text(encoding="utf-8"))


def merge_dataset(root: Path, pycocotools_check: bool | None = None) -> MergeSummary:
    """Check completeness, write annotations.json and manifest.jsonl, validate them.

    Args:
        root: the sweep's output.dir.
        pycocotools_check: load the result with pycocotools; None = only up to
            PYCOCOTOOLS_MAX_ANNOTATIONS annotations (the streaming checks always run).

    Raises:
        IncompleteSweepError: frames are missing (the message names each shard and frame).
        OutputError: not a dataset, or the assembled file fails validation.
    """
    run = read_run_file(root)
    cfg = load_config(run["config"])
    dataset = DatasetDir(root)
    missing = missing_frames(dataset, cfg.frames, cfg.frames_per_shard)
    if missing:
        raise IncompleteSweepError(missing, f"{str(root)!r} is incomplete:\n"
                                   + describe_missing(missing, cfg.frames, cfg.frames_per_shard))
    shards = contract.shard_count(cfg.frames, cfg.frames_per_shard)
    without = [s for s in range(shards) if cfg.frames_per_shard and read_shard_manifest(root, s) is None]
    if without:
        log.warning("shards %s have all their frames but no manifest (stopped after their last frame); "
                    "rerunning them only writes the manifest", without)
    info = {k: v for k, v in run.get("lineage", {}).items() if k != "device"}
    category_ids = set(cfg.labels.categories.values())
    with frame_lock(root, ALL_FRAMES, purpose="merge"):  # no shard may be writing while the files are assembled
        count = finalize_dataset(cfg, dataset, info, run["config"],
                                 check=lambda records: check_records(records, category_ids))
    if pycocotools_check or (pycocotools_check is None and count <= PYCOCOTOOLS_MAX_ANNOTATIONS):
        check_with_pycocotools(root / contract.ANNOTATIONS_FILE, cfg.frames, count)
    return MergeSummary(root, cfg.frames, shards, count, without)


def check_records(records: Iterator[dict], category_ids: set[int]) -> Iterator[dict]:
    """Yield frame records in order, checking that each is consistent with its global index."""
    for expected, record in enumerate(records):
        image = record.get("image", {})
        if record.get("frame_index") != expected or image.get("id") != expected \
                or image.get("file_name") != contract.image_path(expected):
            raise OutputError(f"frame record {contract.frame_record_path(expected)} does not describe frame "
                              f"{expected} (frame_index {record.get('frame_index')}, image id {image.get('id')}, "
                              f"file_name {image.get('file_name')!r})")
        _check_file_names(expected, record)
        for annotation in record["annotations"]:
            if annotation["image_id"] != expected or annotation["category_id"] not in category_ids:
                raise OutputError(f"frame {expected}: annotation with image_id {annotation['image_id']} and "
                                  f"category_id {annotation['category_id']} does not belong to it")
        yield record


def _check_file_names(index: int, record: dict) -> None:
    """A record names only its own frame's files, at their contract paths (never a path that
    a reader of the merged dataset would follow outside it)."""
    named = {**record.get("files", {}), "depth_file": record.get("image", {}).get("depth_file")}
    for key, value in named.items():
        expected = contract.FRAME_FILES.get("depth_png" if key == "depth_file" else key)
        if expected is None or value != expected(index):
            raise OutputError(f"frame record {contract.frame_record_path(index)}: files.{key} is {value!r}; allowed: "
                              f"{expected(index) if expected else 'one of ' + ', '.join(contract.FRAME_FILES)}")


def check_with_pycocotools(path: Path, frames: int, annotations: int) -> None:
    """Load the COCO file with pycocotools and check image and annotation ids are unique."""
    from pycocotools.coco import COCO

    with _quiet():
        coco = COCO(str(path))
    image_ids = [image["id"] for image in coco.dataset["images"]]
    ann_ids = [ann["id"] for ann in coco.dataset["annotations"]]
    if image_ids != list(range(frames)) or len(set(ann_ids)) != len(ann_ids) or len(ann_ids) != annotations:
        raise OutputError(f"{path}: ids are not unique or not complete ({len(image_ids)} images for {frames} "
                          f"frames, {len(set(ann_ids))} unique of {len(ann_ids)} annotation ids)")
    log.info("pycocotools loads %s: %d images, %d annotations", path, len(coco.imgs), len(coco.anns))


def _quiet():
    """pycocotools prints progress to stdout; keep the command's stdout for its own output."""
    import contextlib
    import io

    return contextlib.redirect_stdout(io.StringIO())
