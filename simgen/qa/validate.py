"""Automated checks of a finished dataset: the QA gate behind `simgen validate`.

Every check counts its problems and keeps the first few messages; a check that is listed in
`Thresholds.fail_on` and has problems fails the dataset. Files are read defensively: a missing
or broken file is a problem of the `files` check, never an exception.

Checks (names as used by `--fail-on`):
    files       every image and depth file exists, decodes, and has the declared width/height
    ids         image ids and annotation ids unique; every annotation's image_id exists
    categories  category ids and names unique; every annotation's category exists; the
                categories equal run.json's labels.categories
    rle         every segmentation decodes at the image size, area == mask pixel count, and
                bbox == the mask's tight box
    boxes       no empty or negative box, boxes inside the image, area >= min_area_px
    depth       depth finite where stored as float (NaN or negative fails; +inf = no surface),
                within (0, camera.clip_end_m]; the float and PNG depth agree
    instances   masks of one image are disjoint (they come from one object-index map), each
                instance_index appears once and is the object of the frame spec the annotation
                names, with its category, and mask pixels have a surface in the depth map
    manifest    manifest.jsonl, frame records and COCO agree: one line per image, same frame
                index, file name and seed, and the same annotations (area, bbox, category)
    keypoints, panoptic, flow   see `simgen.qa.label_checks`
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from simgen import contract
from simgen.dataset.view import decode_segmentation, mask_box_xywh
from simgen.qa import CHECKS
from simgen.qa.label_checks import check_flow, check_keypoints, check_panoptic


@dataclass(frozen=True)
class Thresholds:
    """What makes the gate fail.

    Attributes:
        fail_on: check names whose problems fail the dataset; others are reported only.
        min_area_px: annotations with fewer visible pixels are a `boxes` problem.
        min_mask_depth_fraction: fraction of an instance's mask pixels that must have a surface
            depth (the depth PNG cannot hold beyond 255.99 m, so a far object may lower it).
        max_examples: messages kept per check.
    """

    fail_on: tuple[str, ...] = CHECKS
    min_area_px: int = 1
    min_mask_depth_fraction: float = 1.0
    max_examples: int = 10


@dataclass
class CheckResult:
    problems: int = 0
    examples: list[str] = field(default_factory=list)

    def add(self, message: str, limit: int) -> None:
        self.problems += 1
        if len(self.examples) < limit:
            self.examples.append(message)


@dataclass
class Report:
    """Outcome of `validate_dataset`; `summary()` is the JSON the command prints."""

    root: Path
    thresholds: Thresholds
    checks: dict[str, CheckResult] = field(default_factory=lambda: {name: CheckResult() for name in CHECKS})
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, check: str, message: str) -> None:
        self.checks[check].add(message, self.thresholds.max_examples)

    @property
    def failed(self) -> list[str]:
        return [n for n, c in self.checks.items() if c.problems and n in self.thresholds.fail_on]

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary(self) -> dict[str, Any]:
        return {"dataset": str(self.root), "ok": self.ok, "failed": self.failed, "counts": self.counts,
                "fail_on": list(self.thresholds.fail_on),
                "checks": {n: {"ok": c.problems == 0, "gating": n in self.thresholds.fail_on,
                               "problems": c.problems, "examples": c.examples} for n, c in self.checks.items()}}


def validate_dataset(root: Path, thresholds: Thresholds | None = None) -> Report:
    """Run every check on the dataset at `root` (see the module docstring)."""
    report = Report(Path(root), thresholds or Thresholds())
    coco = _load_json(report, report.root / contract.ANNOTATIONS_FILE)
    run = _load_json(report, report.root / contract.RUN_FILE) or {}
    if coco is None:
        return report
    images = coco.get("images", [])
    annotations = coco.get("annotations", [])
    report.counts = {"images": len(images), "annotations": len(annotations),
                     "categories": len(coco.get("categories", []))}
    _check_ids(report, images, annotations)
    _check_categories(report, coco.get("categories", []), annotations, run)
    by_image: dict[int, list[dict]] = {}
    for ann in annotations:
        by_image.setdefault(ann.get("image_id"), []).append(ann)
    clip_end_m = float(run.get("config", {}).get("camera", {}).get("clip_end_m", 1e5))
    for image in images:
        _check_image(report, image, by_image.get(image.get("id"), []), clip_end_m)
    _check_manifest(report, images, annotations, coco.get("categories", []))
    check_keypoints(report, coco)
    check_panoptic(report, report.root, coco)
    check_flow(report, report.root, images)
    return report


def _load_json(report: Report, path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        report.add("files", f"{path.name}: cannot read ({error})")
        return None


def _check_ids(report: Report, images: list[dict], annotations: list[dict]) -> None:
    for kind, items in (("image", images), ("annotation", annotations)):
        for value, count in Counter(item.get("id") for item in items).items():
            if count > 1:
                report.add("ids", f"{kind} id {value} appears {count} times")
    known = {image.get("id") for image in images}
    for ann in annotations:
        if ann.get("image_id") not in known:
            report.add("ids", f"annotation {ann.get('id')}: image_id {ann.get('image_id')} is not an image")


def _check_categories(report: Report, categories: list[dict], annotations: list[dict], run: dict) -> None:
    for key in ("id", "name"):
        for value, count in Counter(c.get(key) for c in categories).items():
            if count > 1:
                report.add("categories", f"category {key} {value!r} appears {count} times")
    known = {c.get("id") for c in categories}
    for ann in annotations:
        if ann.get("category_id") not in known:
            report.add("categories", f"annotation {ann.get('id')}: category_id {ann.get('category_id')} is unknown")
    expected = run.get("config", {}).get("labels", {}).get("categories")
    if expected is not None:
        actual = {c.get("name"): c.get("id") for c in categories}
        if actual != expected:
            report.add("categories", f"categories {actual} differ from run.json labels.categories {expected}")


def _read_image_size(report: Report, image: dict, relative: str, flags: int) -> np.ndarray | None:
    path = report.root / relative
    pixels = cv2.imread(str(path), flags) if path.is_file() else None
    if pixels is None:
        report.add("files", f"image {image.get('id')}: {relative} is missing or unreadable")
        return None
    if pixels.shape[:2] != (image.get("height"), image.get("width")):
        report.add("files", f"image {image.get('id')}: {relative} is {pixels.shape[1]}x{pixels.shape[0]}, "
                            f"declared {image.get('width')}x{image.get('height')}")
        return None
    return pixels


def _check_image(report: Report, image: dict, annotations: list[dict], clip_end_m: float) -> None:
    image_id = image.get("id")
    _read_image_size(report, image, str(image.get("file_name")), cv2.IMREAD_COLOR)
    depth_file = image.get("depth_file", contract.depth_png_path(image_id))
    depth_raw = _read_image_size(report, image, depth_file, cv2.IMREAD_UNCHANGED)
    depth = None
    if depth_raw is not None:
        depth = np.where(depth_raw == contract.DEPTH_PNG_INVALID, np.nan,
                         depth_raw.astype(np.float32) / contract.DEPTH_PNG_SCALE)
        _check_depth_values(report, image_id, depth, depth_file, clip_end_m)
    npy = report.root / contract.depth_npy_path(image_id)
    if npy.is_file():
        _check_depth_npy(report, image, npy, clip_end_m, depth)
    size = (image.get("height"), image.get("width"))
    occupied = np.zeros(size, bool) if None not in size else None
    indices = Counter(ann.get("instance_index") for ann in annotations if ann.get("iscrowd", 0) == 0)
    for index, count in indices.items():
        if count > 1:
            report.add("instances", f"image {image_id}: instance_index {index} has {count} annotations")
    for ann in annotations:
        mask = _check_annotation(report, ann, size)
        if mask is None or occupied is None or ann.get("iscrowd", 0):
            continue
        overlap = int((occupied & mask).sum())
        if overlap:
            report.add("instances", f"annotation {ann.get('id')}: {overlap} px overlap another mask of image "
                                    f"{image_id} (an object-index map gives disjoint masks)")
        occupied |= mask
        if depth is not None and mask.any():
            fraction = float(np.isfinite(depth[mask]).mean())
            if fraction < report.thresholds.min_mask_depth_fraction:
                report.add("instances", f"annotation {ann.get('id')}: only {fraction:.3f} of its mask has a surface "
                                        f"in {depth_file}")


def _check_depth_values(report: Report, image_id: int, depth_m: np.ndarray, name: str, clip_end_m: float) -> None:
    valid = depth_m[np.isfinite(depth_m)]
    if valid.size == 0:
        report.add("depth", f"image {image_id}: {name} has no valid depth at all")
    elif valid.min() <= 0 or valid.max() > clip_end_m:
        report.add("depth", f"image {image_id}: {name} spans {valid.min():.3f}..{valid.max():.3f} m, "
                            f"allowed (0, {clip_end_m}]")


def _check_depth_npy(report: Report, image: dict, path: Path, clip_end_m: float,
                     depth_png_m: np.ndarray | None) -> None:
    try:
        depth = np.load(path, allow_pickle=False)
    except (OSError, ValueError) as error:
        report.add("files", f"image {image.get('id')}: {path.name} is unreadable ({error})")
        return
    if depth.shape != (image.get("height"), image.get("width")):
        report.add("files", f"image {image.get('id')}: {path.name} has shape {depth.shape}")
        return
    nan = int(np.isnan(depth).sum())
    if nan:
        report.add("depth", f"image {image.get('id')}: {path.name} holds {nan} NaN values (allowed: metres or +inf)")
    finite = depth[np.isfinite(depth)]
    negative_inf = int(np.isneginf(depth).sum())
    if negative_inf or (finite.size and (finite.min() <= 0 or finite.max() > clip_end_m)):
        report.add("depth", f"image {image.get('id')}: {path.name} has values outside (0, {clip_end_m}] m or -inf")
    if depth_png_m is not None:
        # The PNG is round(depth * 256) of the same depth: within half a step where both are valid.
        both = np.isfinite(depth_png_m) & np.isfinite(depth)
        off = int((np.abs(depth_png_m[both] - depth[both]) > 0.5 / contract.DEPTH_PNG_SCALE + 1e-4).sum())
        if off:
            report.add("depth", f"image {image.get('id')}: {off} px of {path.name} disagree with the depth PNG")


def _check_annotation(report: Report, ann: dict, size: tuple) -> np.ndarray | None:
    """Check one annotation's RLE, area and box; returns its mask when it decodes."""
    ann_id = ann.get("id")
    bbox = ann.get("bbox") or [0, 0, 0, 0]
    x, y, w, h = bbox
    height, width = size
    if w <= 0 or h <= 0 or x < 0 or y < 0 or x + w > width or y + h > height:
        report.add("boxes", f"annotation {ann_id}: bbox {bbox} is empty, negative or outside {width}x{height}")
    if (ann.get("area") or 0) < report.thresholds.min_area_px:
        report.add("boxes", f"annotation {ann_id}: area {ann.get('area')} < min_area_px "
                            f"{report.thresholds.min_area_px}")
    try:
        segmentation = ann["segmentation"]
        if list(segmentation["size"]) != [height, width]:
            raise ValueError(f"RLE size {segmentation['size']} is not [{height}, {width}]")
        mask = decode_segmentation(segmentation)
    except (KeyError, TypeError, ValueError) as error:
        report.add("rle", f"annotation {ann_id}: segmentation does not decode ({error})")
        return None
    if int(mask.sum()) != ann.get("area"):
        report.add("rle", f"annotation {ann_id}: area {ann.get('area')} != mask pixels {int(mask.sum())}")
    if mask_box_xywh(mask) != list(bbox):
        report.add("rle", f"annotation {ann_id}: bbox {bbox} != mask box {mask_box_xywh(mask)}")
    return mask


def _check_manifest(report: Report, images: list[dict], annotations: list[dict], categories: list[dict]) -> None:
    path = report.root / contract.MANIFEST_FILE
    try:
        lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    except (OSError, json.JSONDecodeError) as error:
        report.add("manifest", f"{contract.MANIFEST_FILE}: cannot read ({error})")
        return
    if len(lines) != len(images):
        report.add("manifest", f"{contract.MANIFEST_FILE} has {len(lines)} lines for {len(images)} COCO images")
    by_index = {line.get("frame_index"): line for line in lines}
    for image in images:
        line = by_index.get(image.get("id"))
        if line is None:
            report.add("manifest", f"image {image.get('id')}: no manifest line")
            continue
        for key_line, key_image in (("file_name", "file_name"), ("seed", "frame_seed")):
            if line.get(key_line) != image.get(key_image):
                report.add("manifest", f"image {image.get('id')}: manifest {key_line} {line.get(key_line)!r} != "
                                       f"COCO {image.get(key_image)!r}")
    _check_records(report, images, annotations, categories)


def _label_key(ann: dict) -> tuple:
    return (ann.get("image_id"), ann.get("instance_index"), ann.get("category_id"), ann.get("area"),
            tuple(ann.get("bbox") or ()))


def _check_records(report: Report, images: Iterable[dict], annotations: list[dict], categories: list[dict]) -> None:
    coco_labels = Counter(_label_key(a) for a in annotations)
    record_labels: Counter = Counter()
    by_image: dict[Any, list[dict]] = {}
    for ann in annotations:
        by_image.setdefault(ann.get("image_id"), []).append(ann)
    category_ids = {c.get("name"): c.get("id") for c in categories}
    for image in images:
        path = report.root / contract.frame_record_path(image.get("id"))
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            report.add("manifest", f"image {image.get('id')}: frame record {path.name} missing or unreadable")
            continue
        record_labels.update(_label_key(a) for a in record.get("annotations", []))
        _check_objects(report, by_image.get(image.get("id"), []), record, category_ids)
    for key in (coco_labels - record_labels) + (record_labels - coco_labels):
        report.add("manifest", f"annotation (image, instance, category, area, bbox) {key} is in only one of "
                               "annotations.json and the frame records")


def _check_objects(report: Report, annotations: list[dict], record: dict, category_ids: dict) -> None:
    """Each annotation's instance index must be the spec object it names, with its category."""
    objects = {o.get("instance_index"): o for o in record.get("spec", {}).get("objects", []) if o.get("category")}
    for ann in annotations:
        if ann.get("iscrowd", 0) or "instance_index" not in ann:
            continue
        prop = objects.get(ann["instance_index"])
        if prop is None or prop.get("name") != ann.get("object_name") \
                or category_ids.get(prop.get("category")) != ann.get("category_id"):
            expected = None if prop is None else (prop.get("name"), prop.get("category"))
            report.add("instances", f"annotation {ann.get('id')}: instance_index {ann['instance_index']} is "
                                    f"{expected} in the frame spec, not ({ann.get('object_name')!r}, "
                                    f"category_id {ann.get('category_id')})")
