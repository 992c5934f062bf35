"""KITTI object export of a finished dataset, from the COCO file and the frame specs.

Layout (KITTI 3D object benchmark)::

    OUT/image_2/NNNNNN.png     the rendered images (copied)
    OUT/label_2/NNNNNN.txt     one line per object, 15 space-separated fields
    OUT/calib/NNNNNN.txt       P0..P3 = [K | 0] (one camera), R0_rect = I, Tr_velo_to_cam and
                               Tr_imu_to_velo = [I | 0] (there is no lidar or IMU)

Label fields: `type truncated occluded alpha x1 y1 x2 y2 h w l x y z rotation_y`.
    type        KITTI_TYPES[category], else "Misc"; ignore regions (iscrowd=1) are "DontCare"
    truncated   float in [0, 1]: the annotation's `truncation` when present, else the fraction of
                the object's full projected box that lies outside the image (from the mesh)
    occluded    0 fully visible, 1 partly, 2 largely occluded, 3 unknown: from the visible
                fraction (the annotation's `visibility` when present, else mask area / amodal
                silhouette area in the image); >= 0.8 -> 0, >= 0.4 -> 1, else 2
    alpha       observation angle, rotation_y - atan2(x, z), radians
    x1 y1 x2 y2 the COCO box in pixel-edge coordinates: x1 = x, x2 = x + w (so w = x2 - x1)
    h w l       object dimensions from its mesh, metres; x y z the bottom-face centre in the
                camera frame (OpenCV = KITTI camera axes), metres; rotation_y radians
Placeholders, KITTI's own: DontCare lines, and objects whose spec entry is missing, have
truncated -1, occluded -1 (DontCare) or 3, alpha -10, dims -1 -1 -1, location -1000 -1000 -1000,
rotation_y -10. The camera is not rectified against a stereo pair; boxes follow its pitch/roll
only through rotation_y (KITTI assumes upright objects).
"""

from __future__ import annotations

import logging
import math
import shutil
from pathlib import Path

import numpy as np

from simgen.annotations.boxes3d import object_box_3d, observation_angle_rad
from simgen.dataset.view import DatasetView, load_dataset
from simgen.writers.atomic import write_bytes_atomic

log = logging.getLogger(__name__)

KITTI_TYPES = {"car": "Car", "van": "Van", "truck": "Truck", "pedestrian": "Pedestrian", "cyclist": "Cyclist",
               "tram": "Tram", "person_sitting": "Person_sitting"}
PLACEHOLDER_3D = "-1 -1 -1 -1000 -1000 -1000 -10"
FIELD_COUNT = 15


def occlusion_level(visible_fraction: float | None) -> int:
    """KITTI occluded level from the visible fraction of an object (None -> 3, unknown)."""
    if visible_fraction is None or not math.isfinite(visible_fraction):
        return 3
    return 0 if visible_fraction >= 0.8 else 1 if visible_fraction >= 0.4 else 2


def truncation_from_box(box_xyxy: tuple[float, float, float, float] | None, width_px: int, height_px: int) -> float:
    """Fraction of a full projected box outside the image (1.0 when the projection is unbounded)."""
    if box_xyxy is None:
        return 1.0
    x0, y0, x1, y1 = box_xyxy
    area = max(x1 - x0, 0.0) * max(y1 - y0, 0.0)
    inside = max(min(x1, width_px) - max(x0, 0.0), 0.0) * max(min(y1, height_px) - max(y0, 0.0), 0.0)
    return float(np.clip(1.0 - inside / area, 0.0, 1.0)) if area > 0 else 0.0


def _box2d(ann: dict) -> str:
    x, y, w, h = ann["bbox"]
    return f"{x:.2f} {y:.2f} {x + w:.2f} {y + h:.2f}"


def label_line(ann: dict, category: str, prop: dict | None, image: dict) -> str:
    """One KITTI label line for a COCO annotation and its object's spec entry."""
    if ann.get("iscrowd", 0):
        return f"DontCare -1 -1 -10 {_box2d(ann)} {PLACEHOLDER_3D}"
    kitti_type = KITTI_TYPES.get(category, "Misc")
    if prop is None:
        return f"{kitti_type} -1 3 -10 {_box2d(ann)} {PLACEHOLDER_3D}"
    box = object_box_3d(prop, np.asarray(image["T_cam_world"]))
    # Truncation and visibility come from the labels (simgen.annotations.amodal), which every
    # annotation carries; a box-based truncation is the fallback for foreign COCO files.
    if ann.get("truncation") is not None:
        truncated = float(ann["truncation"])
    else:
        full = ann.get("bbox_amodal_unclipped")
        full_box = (full[0], full[1], full[0] + full[2], full[1] + full[3]) if full else None
        truncated = truncation_from_box(full_box, image["width"], image["height"])
    visible = ann.get("visible_fraction")
    h, w, length = box.dims_hwl_m
    x, y, z = box.bottom_center_cam_m
    alpha = observation_angle_rad(box.rotation_y_rad, box.bottom_center_cam_m)
    return (f"{kitti_type} {truncated:.2f} {occlusion_level(visible)} {alpha:.2f} {_box2d(ann)} "
            f"{h:.2f} {w:.2f} {length:.2f} {x:.2f} {y:.2f} {z:.2f} {box.rotation_y_rad:.2f}")


def calib_text(K: np.ndarray) -> str:
    """A KITTI calib file for one pinhole camera with intrinsics K (3x3)."""
    projection = np.hstack([np.asarray(K, float), np.zeros((3, 1))]).reshape(-1)
    identity34 = np.hstack([np.eye(3), np.zeros((3, 1))]).reshape(-1)

    def row(name: str, values: np.ndarray) -> str:
        return name + ": " + " ".join(f"{v:.12e}" for v in values) + "\n"

    return ("".join(row(f"P{i}", projection) for i in range(4)) + row("R0_rect", np.eye(3).reshape(-1))
            + row("Tr_velo_to_cam", identity34) + row("Tr_imu_to_velo", identity34))


def export_kitti(dataset: Path, out_dir: Path) -> Path:
    """Write the KITTI object layout of the dataset at `dataset` under `out_dir`; returns out_dir.

    Raises:
        DatasetError: the dataset is unreadable.
    """
    view: DatasetView = load_dataset(dataset)
    out_dir = Path(out_dir)
    names = view.category_names
    for image in view.images:
        stem = Path(image["file_name"]).stem
        (out_dir / "image_2").mkdir(parents=True, exist_ok=True)
        shutil.copyfile(view.root / image["file_name"], out_dir / "image_2" / f"{stem}.png")
        objects = {o["name"]: o for o in view.record(image["id"]).get("spec", {}).get("objects", [])}
        lines = [label_line(ann, names.get(ann["category_id"], "?"), objects.get(ann.get("object_name")), image)
                 for ann in view.annotations_of(image["id"])]
        write_bytes_atomic(out_dir / "label_2" / f"{stem}.txt", "".join(f"{x}\n" for x in lines).encode("ascii"))
        write_bytes_atomic(out_dir / "calib" / f"{stem}.txt", calib_text(np.asarray(image["K"])).encode("ascii"))
    log.info("KITTI export of %d images written to %s", len(view.images), out_dir)
    return out_dir
