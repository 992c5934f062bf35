"""Hybrid datasets: a user's real COCO dataset and simgen datasets, mixed per split at a ratio.

`simgen mix` is pure file work (no rendering). For every split (train, val, test):

* the real images are all those of the real COCO file given for that split (none if no file);
* the synthetic images come from that split of the simgen datasets (`annotations_<split>.json`,
  in the order the datasets are given, then frame order), as many as make the requested
  synthetic fraction f of the split: n_syn = round(n_real * f / (1 - f)), every available one
  when f = 1 or there is no real image, at most what the datasets hold (the achieved fraction is
  then smaller, logged and stated in the card);
* categories are remapped onto one id table: the real file's categories by name, plus any
  `mapping` {synthetic name: real name}; a synthetic name used by a selected annotation that is
  neither a real name, nor mapped, nor dropped is an error that lists every such name.

Output::

    OUT/annotations_<split>.json   COCO; image ids 1..N and annotation ids 1..M across all splits
    OUT/images/real/<split>/<file_name>   the real images (hard links where possible, else copies)
    OUT/images/synthetic_<k>/NNNNNN.png   the images of the k-th simgen dataset
    OUT/DATASET.md                 the card: counts and fractions per split, sources, categories

Every image entry names its provenance: `source` ("real" or "synthetic") and `provenance`
(real: the source file and original id; synthetic: the dataset, its config_sha256, the frame
seed and original id). Synthetic annotations keep COCO's keys at the top and simgen's under
`attributes` (`simgen.export.coco_layout.namespaced`).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from simgen.contract import SPLIT_ORDER, split_annotations_file
from simgen.errors import DatasetError
from simgen.export.coco_layout import COCO_ANNOTATION_KEYS, COCO_IMAGE_KEYS, namespaced
from simgen.writers.atomic import write_bytes_atomic

log = logging.getLogger(__name__)


@dataclass
class SplitMix:
    """What went into one split."""

    real: int = 0
    synthetic: int = 0
    requested_fraction: float = 0.0
    per_dataset: dict[str, int] = field(default_factory=dict)

    @property
    def achieved_fraction(self) -> float:
        total = self.real + self.synthetic
        return self.synthetic / total if total else 0.0


def read_coco(path: Path) -> dict[str, Any]:
    """A COCO file as a dict, with a DatasetError naming the file when it is not one."""
    try:
        coco = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise DatasetError(f"cannot read COCO file {path}: {error}") from error
    if not isinstance(coco, dict) or not all(isinstance(coco.get(k), list) for k in ("images", "categories")):
        raise DatasetError(f"{path}: not a COCO instances file (needs images, annotations and categories lists)")
    coco.setdefault("annotations", [])
    return coco


def synthetic_count(real: int, fraction: float, available: int) -> int:
    """How many synthetic images make `fraction` of a split with `real` real images."""
    if fraction <= 0:
        return 0
    if fraction >= 1 or real == 0:
        return available
    return min(available, round(real * fraction / (1 - fraction)))


def category_table(real: Sequence[dict], synthetic_names: set[str], mapping: Mapping[str, str],
                   drop: set[str]) -> tuple[list[dict], dict[str, int]]:
    """The output categories (the real ones, then the synthetic names kept as new ones when there
    is no real file) and {synthetic name: output id}.

    Raises:
        DatasetError: names used by synthetic annotations that are not mapped, real, or dropped.
    """
    by_name = {c["name"]: c["id"] for c in real}
    for source, target in mapping.items():
        if target not in by_name:
            raise DatasetError(f"mix: --map {source}={target}: {target!r} is not a category of the real dataset; "
                               f"allowed: {', '.join(sorted(by_name))}")
    categories = list(real)
    if not real:  # synthetic only: keep simgen's own names, ids in name order
        categories = [{"id": i + 1, "name": n, "supercategory": n} for i, n in enumerate(sorted(synthetic_names))]
        by_name = {c["name"]: c["id"] for c in categories}
    unmapped = sorted(n for n in synthetic_names if n not in drop and n not in by_name and n not in mapping)
    if unmapped:
        raise DatasetError(f"mix: synthetic categories {', '.join(unmapped)} have no category in the real dataset "
                           f"(real: {', '.join(sorted(by_name))}); map each with --map NAME=REAL_NAME or leave "
                           "it out with --drop NAME")
    ids = {n: by_name[mapping.get(n, n)] for n in synthetic_names if n not in drop}
    return categories, ids


def _place(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        target.unlink()
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _synthetic_entries(datasets: Sequence[Path], split: str) -> list[tuple[int, dict, list[dict], dict]]:
    """(dataset index, image, its annotations, dataset info) of a split, in dataset then frame order."""
    entries = []
    for k, root in enumerate(datasets):
        path = Path(root) / split_annotations_file(split)
        if not path.is_file():
            raise DatasetError(f"mix: {root} has no {split_annotations_file(split)}; allowed: a simgen dataset "
                               "assembled with splits (re-run its render command to assemble them)")
        coco = read_coco(path)
        by_image: dict[int, list[dict]] = {}
        for ann in coco["annotations"]:
            by_image.setdefault(ann["image_id"], []).append(ann)
        names = {c["id"]: c["name"] for c in coco["categories"]}
        for image in coco["images"]:
            anns = [a | {"category_name": names[a["category_id"]]} for a in by_image.get(image["id"], [])]
            entries.append((k, image, anns, coco.get("info", {})))
    return entries


@dataclass
class _Writer:
    """Numbers images and annotations across splits and places image files."""

    out: Path
    next_image: int = 1
    next_annotation: int = 1

    def image(self, entry: dict, source: Path, folder: str, extra: dict) -> dict:
        relative = Path(entry["file_name"]) if folder.startswith("real") else Path(Path(entry["file_name"]).name)
        if relative.is_absolute() or ".." in relative.parts:
            raise DatasetError(f"mix: image file_name {entry['file_name']!r} leaves its folder; allowed: a "
                               "relative path without '..'")
        name = f"images/{folder}/{relative.as_posix()}"
        _place(source, self.out / name)
        image = {k: entry[k] for k in COCO_IMAGE_KEYS if k in entry} | {"id": self.next_image, "file_name": name}
        self.next_image += 1
        return image | extra

    def annotation(self, ann: dict, image_id: int, category_id: int) -> dict:
        result = {**ann, "id": self.next_annotation, "image_id": image_id, "category_id": category_id}
        self.next_annotation += 1
        return result


def mix_datasets(out: Path, real: Mapping[str, Path], real_images: Path | None, datasets: Sequence[Path],
                 fractions: Mapping[str, float], mapping: Mapping[str, str] | None = None,
                 drop: Sequence[str] = ()) -> dict[str, SplitMix]:
    """Write the mixed dataset under `out` (see the module docstring); returns what each split got.

    Args:
        real: split -> the real COCO file of that split (any subset of train/val/test).
        real_images: folder the real files' `file_name`s are relative to (default: each file's folder).
        datasets: simgen dataset directories.
        fractions: split -> synthetic fraction in [0, 1] (missing splits: 0).

    Raises:
        DatasetError: unreadable input, a missing image, unmapped category names, bad fractions.
    """
    mapping, drop_set = dict(mapping or {}), set(drop)
    for split, value in fractions.items():
        if split not in SPLIT_ORDER or not 0.0 <= value <= 1.0:
            raise DatasetError(f"mix: synthetic fraction {split}={value}; allowed: train, val, test in [0, 1]")
    reals = {split: read_coco(path) for split, path in real.items()}
    real_categories = next(iter(reals.values()))["categories"] if reals else []
    for split, coco in reals.items():
        if {c["name"]: c["id"] for c in coco["categories"]} != {c["name"]: c["id"] for c in real_categories}:
            raise DatasetError(f"mix: the real {split} file's categories differ from the first real file's")
    chosen, mixes = {}, {}
    for split in SPLIT_ORDER:
        n_real = len(reals[split]["images"]) if split in reals else 0
        entries = _synthetic_entries(datasets, split) if fractions.get(split, 0.0) > 0 else []
        chosen[split] = entries[:synthetic_count(n_real, fractions.get(split, 0.0), len(entries))]
        mixes[split] = SplitMix(real=n_real, synthetic=len(chosen[split]), requested_fraction=fractions.get(split, 0.0))
        for k, *_ in chosen[split]:
            mixes[split].per_dataset[str(datasets[k])] = mixes[split].per_dataset.get(str(datasets[k]), 0) + 1
        if abs(mixes[split].achieved_fraction - mixes[split].requested_fraction) > 0.01 and n_real:
            log.warning("mix: %s holds %.3f synthetic, not %.3f: the simgen datasets have too few %s frames", split,
                        mixes[split].achieved_fraction, mixes[split].requested_fraction, split)
    used = {a["category_name"] for entries in chosen.values() for *_, anns, _ in entries for a in anns}
    categories, synthetic_ids = category_table(real_categories, used, mapping, drop_set)
    writer = _Writer(Path(out))
    for split in SPLIT_ORDER:
        images, annotations = [], []
        if split in reals:
            _add_real(writer, reals[split], real[split], real_images, split, images, annotations)
        for k, image, anns, info in chosen[split]:
            provenance = {"dataset": str(datasets[k]), "config_sha256": info.get("config_sha256"),
                          "frame_seed": image.get("frame_seed"), "original_id": image["id"]}
            entry = writer.image(image, Path(datasets[k]) / image["file_name"], f"synthetic_{k}",
                                 {"source": "synthetic", "provenance": provenance})
            images.append(entry)
            annotations += [namespaced(writer.annotation({kk: v for kk, v in a.items() if kk != "category_name"},
                                                         entry["id"], synthetic_ids[a["category_name"]]),
                                       COCO_ANNOTATION_KEYS) for a in anns if a["category_name"] not in drop_set]
        if images:
            coco = {"info": {"description": "simgen mix: real and synthetic images", "splits_synthetic_fraction":
                             {s: round(m.achieved_fraction, 4) for s, m in mixes.items()}},
                    "licenses": [], "categories": categories, "images": images, "annotations": annotations}
            write_bytes_atomic(Path(out) / split_annotations_file(split), orjson.dumps(coco) + b"\n")
    write_bytes_atomic(Path(out) / "DATASET.md", mix_card(mixes, datasets, chosen, categories, real).encode())
    return mixes


def _add_real(writer: _Writer, coco: dict, path: Path, real_images: Path | None, split: str, images: list,
              annotations: list) -> None:
    """Append the real file's images and annotations, renumbered, with their provenance."""
    folder = Path(real_images) if real_images else Path(path).parent
    new_ids = {}
    for image in coco["images"]:
        source = folder / image["file_name"]
        if not source.is_file():
            raise DatasetError(f"mix: real image {source} (file_name of image {image['id']} in {path}) does not "
                               "exist; pass --real-images with the folder the file names are relative to")
        entry = writer.image(image, source, f"real/{split}", {"source": "real",
                                                     "provenance": {"file": str(path), "original_id": image["id"]}})
        new_ids[image["id"]] = entry["id"]
        images.append(entry)
    for ann in coco["annotations"]:
        annotations.append(writer.annotation(ann, new_ids[ann["image_id"]], ann["category_id"]))


def mix_card(mixes: Mapping[str, SplitMix], datasets: Sequence[Path], chosen: Mapping[str, list],
             categories: Sequence[dict], real: Mapping[str, Path]) -> str:
    """DATASET.md of a mixed dataset."""
    lines = ["# simgen mix: real and synthetic images", "", "| split | real | synthetic | synthetic fraction "
             "(requested) | synthetic fraction (achieved) |", "|---|---|---|---|---|"]
    lines += [f"| {s} | {m.real} | {m.synthetic} | {m.requested_fraction:.3f} | {m.achieved_fraction:.3f} |"
              for s, m in mixes.items()]
    lines += ["", "## Sources", ""]
    lines += [f"- real {split}: `{path}`" for split, path in real.items()]
    hashes = {str(datasets[k]): info.get("config_sha256") for entries in chosen.values() for k, _, _, info in entries}
    lines += [f"- synthetic: `{d}` (config_sha256 `{hashes.get(str(d), 'not used')}`)" for d in datasets]
    lines += ["", "Every image names its `source` (real or synthetic) and `provenance` (file or dataset, config "
              "hash, frame seed, original id).", "", "## Categories", "", "| id | name |", "|---|---|"]
    lines += [f"| {c['id']} | {c['name']} |" for c in categories]
    return "\n".join(lines) + "\n"
