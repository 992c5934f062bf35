"""Ultralytics YOLO export of a finished dataset (detection, segmentation or pose), from the COCO file.

Layout (https://docs.ultralytics.com/datasets/detect/, /datasets/segment/, /datasets/pose/)::

    OUT/images/<split>/NNNNNN.png   the rendered images (copied), split = the image's split
                                    (train, val, test: `simgen.sampling.split`)
    OUT/labels/<split>/NNNNNN.txt   one line per instance; empty file for an image without any
    OUT/data.yaml                   train, val, test folders, names {class index: name};
                                    for pose also kpt_shape [17, 3] and flip_idx

data.yaml has no `path`: Ultralytics then resolves the folders against data.yaml's own
folder, so the export can be moved or copied anywhere. A split without images is left out of
data.yaml; a dataset assembled before splits existed has only train, and val names it too.

Detection lines are `class cx cy w h`, segmentation lines `class x1 y1 x2 y2 ...`, pose lines
`class cx cy w h x1 y1 v1 ... x17 y17 v17`, every coordinate normalised by the image
width/height to [0, 1], with pixel-edge coordinates (the COCO box [x, y, w, h] gives
cx = (x + w/2) / W; keypoints are in the same convention). Class indices are 0-based in COCO
category id order. Ignore regions (`iscrowd=1`) have no YOLO equivalent and are left out.

Pose exports only the keypoint categories (`contract.KEYPOINT_CATEGORIES`: one pose head shares
one keypoint layout); their class indices are 0-based in category id order among them, and the
other objects are not labelled (an image without a person gets an empty label file, a
background image). Visibility keeps COCO's flags (0 not labelled, 1 occluded, 2 visible), as
Ultralytics' own COCO converter does; a keypoint with v = 0 is written as `0 0 0`. `flip_idx`
pairs each `left_*` keypoint with its `right_*` twin (for horizontal-flip augmentation).

Segment polygons trace the mask's outer boundary (OpenCV contours of the mask upsampled 4x,
within 1/8 px of the pixel edges, so a one-pixel object still gets a 4-corner polygon); a mask
in several pieces becomes one polygon whose pieces are joined by zero-width bridges, as
Ultralytics' own COCO converter does. Holes are not represented (YOLO polygons have none).
"""

from __future__ import annotations

import logging
from pathlib import Path

import cv2
import numpy as np
import yaml

from simgen.contract import KEYPOINT_CATEGORIES, KEYPOINT_NAMES, SPLIT_ORDER
from simgen.dataset.view import DatasetView, decode_segmentation, load_dataset
from simgen.errors import DatasetError
from simgen.export import plan_copies
from simgen.writers.atomic import write_bytes_atomic

log = logging.getLogger(__name__)

TASKS = ("detect", "segment", "pose")
UPSAMPLE = 4


def class_indices(view: DatasetView, task: str = "detect") -> dict[int, int]:
    """COCO category id -> 0-based YOLO class index (ids in increasing order); for `pose`, only
    the keypoint categories (`contract.KEYPOINT_CATEGORIES`)."""
    ids = sorted(cid for cid, name in view.category_names.items() if task != "pose" or name in KEYPOINT_CATEGORIES)
    return {cid: index for index, cid in enumerate(ids)}


def flip_index() -> list[int]:
    """For each keypoint (KEYPOINT_NAMES order), the index of its mirror image: `left_x` <->
    `right_x`, the others themselves."""
    def mirror(name: str) -> str:
        side, _, part = name.partition("_")
        return {"left": "right_", "right": "left_"}[side] + part if side in ("left", "right") and part else name
    return [KEYPOINT_NAMES.index(mirror(name)) for name in KEYPOINT_NAMES]


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


def pose_line(class_index: int, bbox_xywh: list[float], keypoints: list[float], width_px: int,
              height_px: int) -> str:
    """`class cx cy w h x1 y1 v1 ...`, normalised, from a COCO box and its 17 keypoint triplets
    (pixel-edge x, y; v in {0, 1, 2}); a v = 0 keypoint is written `0 0 0`."""
    values = []
    for x, y, v in np.asarray(keypoints, dtype=np.float64).reshape(-1, 3):
        values.extend((x / width_px, y / height_px, v) if v > 0 else (0.0, 0.0, 0.0))
    coords = " ".join(f"{v:.6f}" if i % 3 != 2 else str(int(v)) for i, v in enumerate(values))
    return f"{detection_line(class_index, bbox_xywh, width_px, height_px)} {coords}"


def _keypoints_of(ann: dict, image: dict) -> list[float]:
    keypoints = ann.get("keypoints")
    if not isinstance(keypoints, list) or len(keypoints) != 3 * len(KEYPOINT_NAMES):
        raise DatasetError(f"annotation {ann.get('id')} of image {image.get('file_name')!r} has no "
                           f"{len(KEYPOINT_NAMES)} keypoint triplets; `--task pose` needs a dataset rendered with "
                           "keypoints (simgen 0.9 or later)")
    return keypoints


def segment_line(class_index: int, segmentation: dict, width_px: int, height_px: int) -> str:
    """`class x1 y1 x2 y2 ...`, normalised, from a COCO RLE."""
    polygon = mask_polygon_px(decode_segmentation(segmentation))
    normalised = np.clip(polygon / np.array([width_px, height_px]), 0.0, 1.0)
    return f"{class_index} " + " ".join(f"{v:.6f}" for v in normalised.reshape(-1))


def yolo_line(task: str, class_index: int, ann: dict, image: dict) -> str:
    """The label line of one annotation for `task` (detect, segment or pose)."""
    width, height = image["width"], image["height"]
    if task == "detect":
        return detection_line(class_index, ann["bbox"], width, height)
    if task == "pose":
        return pose_line(class_index, ann["bbox"], _keypoints_of(ann, image), width, height)
    return segment_line(class_index, ann["segmentation"], width, height)


def export_yolo(dataset: Path, out_dir: Path, task: str = "detect") -> Path:
    """Write the YOLO layout of the dataset at `dataset` under `out_dir`; returns data.yaml's path.

    Raises:
        DatasetError: the dataset is unreadable, a file name resolves outside it, or two images
            would share an output name (nothing is written then).
        ValueError: unknown task (the command checks it first).
    """
    if task not in TASKS:
        raise ValueError(f"task {task!r}; allowed: {', '.join(TASKS)}")
    view = load_dataset(dataset)
    out_dir = Path(out_dir)
    classes = class_indices(view, task)
    if not classes:
        raise DatasetError(f"{dataset}: no category with keypoints ({', '.join(KEYPOINT_CATEGORIES)}) to export "
                           "with --task pose")
    if task == "pose":  # check every annotation before anything is written
        for image in view.images:
            for ann in view.annotations_of(image["id"]):
                if not ann.get("iscrowd", 0) and ann["category_id"] in classes:
                    _keypoints_of(ann, image)
    used = set()
    for image, source, stem in plan_copies(view, lambda source: source.stem):
        split = view.split_of(image["id"])
        used.add(split)
        target = out_dir / "images" / split / f"{stem}{source.suffix}"
        target.parent.mkdir(parents=True, exist_ok=True)
        write_bytes_atomic(target, source.read_bytes())
        lines = [yolo_line(task, classes[ann["category_id"]], ann, image) for ann in view.annotations_of(image["id"])
                 if not ann.get("iscrowd", 0) and ann["category_id"] in classes]
        label = out_dir / "labels" / split / f"{stem}.txt"
        write_bytes_atomic(label, "".join(f"{line}\n" for line in lines).encode("ascii"))
    names = {classes[cid]: name for cid, name in view.category_names.items() if cid in classes}
    data_yaml = out_dir / "data.yaml"
    write_bytes_atomic(data_yaml, data_yaml_text(used, dict(sorted(names.items())), task).encode("utf-8"))
    log.info("YOLO %s export of %d images written to %s", task, len(view.images), out_dir)
    return data_yaml


def data_yaml_text(splits: set[str], names: dict[int, str], task: str) -> str:
    """data.yaml for the splits that have images; no `path` (relative to data.yaml's folder)."""
    folders = {split: f"images/{split}" for split in SPLIT_ORDER if split in splits}
    if "val" not in folders:
        log.warning("the dataset has no val split: data.yaml's val names the training images (set split.val > 0 "
                    "and re-run the render command to assemble a validation split)")
        folders["val"] = folders["train"]
    data = {"train": folders["train"], "val": folders["val"]} | ({"test": folders["test"]} if "test" in folders else {})
    header = (f"# simgen YOLO {task} export. No `path` key: Ultralytics resolves train/val/test against this\n"
              "# file's folder, so the export can be moved. Class indices = COCO category ids in increasing order.\n")
    pose = {"kpt_shape": [len(KEYPOINT_NAMES), 3], "flip_idx": flip_index()} if task == "pose" else {}
    return header + yaml.safe_dump(data | pose | {"names": names}, sort_keys=False)
