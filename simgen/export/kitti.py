"""KITTI object export of a finished dataset, from the COCO file and the frame specs.

Layout (KITTI 3D object benchmark)::

    OUT/image_2/NNNNNN.png     the rendered images (copied)
    OUT/label_2/NNNNNN.txt     one line per object, 15 space-separated fields
    OUT/calib/NNNNNN.txt       R0_rect, P0..P3 = [K R0_rect^T | 0] (one camera), Tr_velo_to_cam
                               and Tr_imu_to_velo = [I | 0] (no lidar or IMU: "velo" = our camera)
    OUT/ImageSets/<split>.txt  the frame stems of each split (train, val, test), as OpenPCDet
                               and mmdetection3d read them

KITTI's own frame: labels live in the *rectified* camera frame, which KITTI tools assume level
(y straight down, objects turn about y only). Our cameras pitch and roll, so the rectified frame
here is the level frame of the camera: y = world down, z = the camera's forward direction made
horizontal, x = y cross z. R0_rect rotates our camera frame into it (X_rect = R0_rect X_cam),
which is exactly what KITTI tools undo when they go from rect to "velo" (R0_rect^-1), so the
boxes they rebuild are our 3D boxes; P2 = K R0_rect^T maps rectified points to the pixels of our
(unwarped) image, so P2 X_rect and P2 R0_rect Tr_velo_to_cam X_velo both land where K puts them.
Tools that read the focal length from P2[0, 0] see f cos(pitch)-like values: use P2 @ R0_rect.

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
                rectified frame, metres; rotation_y radians about its y axis (4 decimals, so
                rebuilt corners stay within 1 mm, where KITTI's own 2 decimals would give 1 cm)
Placeholders, KITTI's own: DontCare lines, and objects whose spec entry is missing, have
truncated -1, occluded -1 (DontCare) or 3, alpha -10, dims -1 -1 -1, location -1000 -1000 -1000,
rotation_y -10.
"""

from __future__ import annotations

import logging
import math
from pathlib import Path

import numpy as np

from simgen.annotations.box3d import object_box3d
from simgen.contract import SPLIT_ORDER
from simgen.dataset.view import DatasetView, load_dataset
from simgen.export import plan_copies
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


def label_line(ann: dict, category: str, prop: dict | None, image: dict, camera_yaw_deg: float) -> str:
    """One KITTI label line for a COCO annotation and its object's spec entry.

    `camera_yaw_deg` (the frame's `spec.camera.yaw_deg`) only sets the box's label-frame yaw,
    which no KITTI field reads; the KITTI heading comes from the box's rotation.
    """
    if ann.get("iscrowd", 0):
        return f"DontCare -1 -1 -10 {_box2d(ann)} {PLACEHOLDER_3D}"
    kitti_type = KITTI_TYPES.get(category, "Misc")
    if prop is None:
        return f"{kitti_type} -1 3 -10 {_box2d(ann)} {PLACEHOLDER_3D}"
    box = object_box3d(prop, T_rect_world(np.asarray(image["T_cam_world"])), camera_yaw_deg)
    # Truncation and visibility come from the labels (simgen.annotations.amodal), which every
    # annotation carries; a box-based truncation is the fallback for foreign COCO files.
    if ann.get("truncation") is not None:
        truncated = float(ann["truncation"])
    else:
        full = ann.get("bbox_amodal_unclipped")
        full_box = (full[0], full[1], full[0] + full[2], full[1] + full[3]) if full else None
        truncated = truncation_from_box(full_box, image["width"], image["height"])
    visible = ann.get("visible_fraction")
    h, w, length = box.kitti_dims_hwl_m()
    x, y, z = box.kitti_bottom_center_m()
    return (f"{kitti_type} {truncated:.2f} {occlusion_level(visible)} {box.kitti_alpha_rad():.2f} {_box2d(ann)} "
            f"{h:.4f} {w:.4f} {length:.4f} {x:.4f} {y:.4f} {z:.4f} {box.kitti_rotation_y_rad():.4f}")


def rectification(T_cam_world: np.ndarray) -> np.ndarray:
    """R0_rect: (3, 3) float64 rotation from our camera frame to its level frame (see above).

    Args:
        T_cam_world: (4, 4) world (z up) -> camera (OpenCV) transform.
    """
    down = T_cam_world[:3, :3] @ np.array([0.0, 0.0, -1.0])
    forward = np.array([0.0, 0.0, 1.0]) - down[2] * down
    forward /= np.linalg.norm(forward)
    return np.stack([np.cross(down, forward), down, forward])


def T_rect_world(T_cam_world: np.ndarray) -> np.ndarray:
    """(4, 4) world -> rectified frame: R0_rect applied after T_cam_world."""
    rect = np.eye(4)
    rect[:3, :3] = rectification(T_cam_world)
    return rect @ T_cam_world


def calib_text(K: np.ndarray, T_cam_world: np.ndarray) -> str:
    """A KITTI calib file for one pinhole camera with intrinsics K (3x3) and pose T_cam_world."""
    r0 = rectification(np.asarray(T_cam_world, float))
    projection = np.hstack([np.asarray(K, float) @ r0.T, np.zeros((3, 1))]).reshape(-1)
    identity34 = np.hstack([np.eye(3), np.zeros((3, 1))]).reshape(-1)

    def row(name: str, values: np.ndarray) -> str:
        return name + ": " + " ".join(f"{v:.12e}" for v in values) + "\n"

    return ("".join(row(f"P{i}", projection) for i in range(4)) + row("R0_rect", r0.reshape(-1))
            + row("Tr_velo_to_cam", identity34) + row("Tr_imu_to_velo", identity34))


def export_kitti(dataset: Path, out_dir: Path) -> Path:
    """Write the KITTI object layout of the dataset at `dataset` under `out_dir`; returns out_dir.

    Raises:
        DatasetError: the dataset is unreadable, a file name resolves outside it, or two images
            would share an output name (nothing is written then).
    """
    view: DatasetView = load_dataset(dataset)
    out_dir = Path(out_dir)
    names = view.category_names
    for image, source, stem in plan_copies(view, lambda source: source.stem):
        write_bytes_atomic(out_dir / "image_2" / f"{stem}.png", source.read_bytes())
        spec = view.record(image["id"]).get("spec", {})
        objects = {o["name"]: o for o in spec.get("objects", [])}
        camera_yaw_deg = float(spec.get("camera", {}).get("yaw_deg", 0.0))
        lines = [label_line(ann, names.get(ann["category_id"], "?"), objects.get(ann.get("object_name")), image,
                            camera_yaw_deg) for ann in view.annotations_of(image["id"])]
        write_bytes_atomic(out_dir / "label_2" / f"{stem}.txt", "".join(f"{x}\n" for x in lines).encode("ascii"))
        calib = calib_text(np.asarray(image["K"]), np.asarray(image["T_cam_world"]))
        write_bytes_atomic(out_dir / "calib" / f"{stem}.txt", calib.encode("ascii"))
    for split in SPLIT_ORDER:
        stems = [Path(i["file_name"]).stem for i in view.images if view.split_of(i["id"]) == split]
        if stems:
            write_bytes_atomic(out_dir / "ImageSets" / f"{split}.txt", "".join(f"{s}\n" for s in stems).encode())
    log.info("KITTI export of %d images written to %s", len(view.images), out_dir)
    return out_dir
