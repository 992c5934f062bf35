"""Ultralytics YOLO export of a finished dataset (detection or segmentation), from the COCO file.

Layout (https://docs.ultralytics.com/datasets/detect/ and /datasets/segment/)::

    OUT/images/train/NNNNNN.png     the rendered images (copied)
    OUT/labels/train/NNNNNN.txt     one line per instance; empty file for an image without any
    OUT/data.yaml                   path, train, val (= train), names {class index: name}

Detection lines are `class cx cy w h`, segmentation lines `class x1 y1 x2 y2 ...`, every
coordinate normalised by the image width/height to [0, 1], with pixel-edge coordinates (the
COCO box [x, y, w, h] gives cx = (x + w/2) / W). Class indices are 0-based in COCO category
id order. Ignore regions (`iscrowd=1`) have no YOLO equivalent and are left out.

Segment polygons trace the mask's outer boundary (OpenCV contours of the mask upsampled 4x,
within 1/8 px of the pixel edges, so a one-pixel object still gets a 4-corner polygon); a mask
in several pieces becomes one polygon whose pieces are joined by zero-width bridges, as
Ultralytics' own COCO converter does. Holes are not represented (YOLO polygons have none).
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import cv2
import numpy as np
import yaml

from simgen.dataset.view import DatasetView, decode_segmentation, load_dataset
from simgen.writers.atomic import write_bytes_atomic

log = logging.getLogger(__name__)

TASKS = ("detect", "segment")
SPLIT = "train"
UPSAMPLE = 4


def class_indices(view: DatasetView) -> dict[int, int]:
    """COCO category id -> 0-based YOLO class index (ids in increasing order)."""
    return {cid: index for index, cid in enumerate(sorted(view.category_names))}


def detection_line(class_index: int, bbox_xywh: list[float], width_px: int, height_px: int) -> str:
    """`class cx cy w h`, normalised, from a COCO pixel-edge XYWH box."""
    x, y, w, h = bbox_xywh
    values = ((x + w / 2) / width_px, (y + h / 2) / height_px, w / width_px, h / height_px)
    return f"{class_index} " + " ".join(f"{v:.6f}" for v in values)


def mask_polygon_px(mask: np.ndarray) -> np.ndarray:
    """One polygon tracing the outer boundary of a (H, W) bool mask.

    The mask is upsampled by `UPSAMPLE` before OpenCV traces it, so the vertices lie within
    1 / (2 * UPSAMPLE) px inside the mask's outer pixel edges and a one-pixel object still gets
    a 4-corner polygon; every mask pixel centre lies inside or on it.

    Returns:
        (N, 2) float64 vertices (x, y) in pixel-edge coordinates (pixel (r, c) spans [c, c+1] x
        [r, r+1]); pieces are joined by zero-width bridges. (0, 2) when the mask is empty.
    """
    up = cv2.resize(mask.astype(np.uint8), (mask.shape[1] * UPSAMPLE, mask.shape[0] * UPSAMPLE),
                    interpolation=cv2.INTER_NEAREST)
    contours, _ = cv2.findContours(up, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    pieces = [(c.reshape(-1, 2).astype(np.float64) + 0.5) / UPSAMPLE for c in contours if len(c)]
    if not pieces:
        return np.zeros((0, 2))
    pieces.sort(key=lambda p: (p[:, 1].min(), p[:, 0].min()))
    joined = pieces[0]
    for piece in pieces[1:]:
        nearest = int(np.argmin(((piece - joined[0]) ** 2).sum(axis=1)))
        rolled = np.roll(piece, -nearest, axis=0)
        joined = np.concatenate([joined, joined[:1], rolled, rolled[:1]])
    return joined


def segment_line(class_index: int, segmentation: dict, width_px: int, height_px: int) -> str:
    """`class x1 y1 x2 y2 ...`, normalised, from a COCO RLE."""
    polygon = mask_polygon_px(decode_segmentation(segmentation))
    normalised = np.clip(polygon / np.array([width_px, height_px]), 0.0, 1.0)
    return f"{class_index} " + " ".join(f"{v:.6f}" for v in normalised.reshape(-1))


def export_yolo(dataset: Path, out_dir: Path, task: str = "detect") -> Path:
    """Write the YOLO layout of the dataset at `dataset` under `out_dir`; returns data.yaml's path.

    Raises:
        DatasetError: the dataset is unreadable.
        ValueError: unknown task (the command checks it first).
    """
    if task not in TASKS:
        raise ValueError(f"task {task!r}; allowed: {', '.join(TASKS)}")
    view = load_dataset(dataset)
    out_dir = Path(out_dir)
    classes = class_indices(view)
    for image in view.images:
        source = view.root / image["file_name"]
        target = out_dir / "images" / SPLIT / Path(image["file_name"]).name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        lines = []
        for ann in view.annotations_of(image["id"]):
            if ann.get("iscrowd", 0):
                continue
            index = classes[ann["category_id"]]
            if task == "detect":
                lines.append(detection_line(index, ann["bbox"], image["width"], image["height"]))
            else:
                lines.append(segment_line(index, ann["segmentation"], image["width"], image["height"]))
        label = out_dir / "labels" / SPLIT / f"{Path(image['file_name']).stem}.txt"
        write_bytes_atomic(label, "".join(f"{line}\n" for line in lines).encode("ascii"))
    names = {classes[cid]: name for cid, name in view.category_names.items()}
    data = {"path": str(out_dir.resolve()), "train": f"images/{SPLIT}", "val": f"images/{SPLIT}",
            "names": dict(sorted(names.items()))}
    data_yaml = out_dir / "data.yaml"
    write_bytes_atomic(data_yaml, yaml.safe_dump(data, sort_keys=False).encode("utf-8"))
    log.info("YOLO %s export of %d images written to %s", task, len(view.images), out_dir)
    return data_yaml
