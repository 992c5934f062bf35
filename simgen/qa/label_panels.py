"""Preview drawings of the issue-16 labels: keypoint skeletons over the image, a panoptic
panel and an optical-flow panel (`simgen preview` tiles; pure numpy/OpenCV, deterministic).

The panoptic panel colours stuff by its class (Cityscapes' colours) and each thing by its
class colour shifted per instance, with segment boundaries dark. The flow panel uses the usual
colour wheel (hue = direction, saturation = magnitude relative to the frame's largest valid
flow, printed in the corner); occluded and out-of-view pixels are darkened, sky is grey.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import cv2
import numpy as np

from simgen.annotations.panoptic import STUFF_SEGMENT_BASE, decode_segment_ids
from simgen.catalog.classes import STUFF_CLASSES, THING_CLASSES
from simgen.contract import FLOW_DIRECTIONS, FLOW_SKY, FLOW_VALID, flow_key

_FONT = cv2.FONT_HERSHEY_SIMPLEX
_CLASS_RGB = {c.id: c.color for c in (*STUFF_CLASSES, *THING_CLASSES.values())}
_KEYPOINT_RGB = {2: (0, 255, 0), 1: (255, 160, 0)}


def draw_skeletons(big: np.ndarray, annotations: Sequence[dict], skeletons: dict[int, list], scale: int) -> None:
    """Draw each annotation's keypoints (green visible, orange occluded) and limbs onto `big`
    ((H * scale, W * scale, 3) uint8 RGB, in place); `skeletons`: category id -> 1-based pairs."""
    for ann in annotations:
        if "keypoints" not in ann or ann.get("category_id") not in skeletons:
            continue
        xyv = np.asarray(ann["keypoints"], dtype=np.float64).reshape(-1, 3)
        points = [(int(x * scale), int(y * scale)) for x, y, _ in xyv]
        for a, b in skeletons[ann["category_id"]]:
            if xyv[a - 1, 2] > 0 and xyv[b - 1, 2] > 0:
                cv2.line(big, points[a - 1], points[b - 1], (255, 255, 255), 1, cv2.LINE_AA)
        for point, (_, _, visibility) in zip(points, xyv, strict=True):
            if visibility > 0:
                cv2.circle(big, point, max(1, scale // 2), _KEYPOINT_RGB[int(visibility)], -1)


def colorize_panoptic(png_rgb: np.ndarray, segments: Sequence[dict], scale: int) -> np.ndarray:
    """(H, W, 3) uint8 panoptic PNG -> (H * scale, W * scale, 3) uint8 RGB panel."""
    ids = decode_segment_ids(png_rgb)
    out = np.zeros((*ids.shape, 3), np.uint8)
    for segment in segments:
        color = np.array(_CLASS_RGB.get(segment["category_id"], (200, 200, 200)), np.int32)
        if segment["id"] < STUFF_SEGMENT_BASE:
            color = np.clip(color + (segment["id"] * 47 % 90) - 45, 0, 255)
        out[ids == segment["id"]] = color
    edges = np.zeros(ids.shape, bool)
    edges[:, 1:] |= ids[:, 1:] != ids[:, :-1]
    edges[1:, :] |= ids[1:, :] != ids[:-1, :]
    out[edges] //= 3
    return cv2.resize(out, (ids.shape[1] * scale, ids.shape[0] * scale), interpolation=cv2.INTER_NEAREST)


def colorize_flow(flow: np.ndarray, status: np.ndarray, scale: int) -> np.ndarray:
    """(H, W, 2) float32 flow and (H, W) uint8 status -> (H * scale, W * scale, 3) uint8 RGB."""
    dx, dy = flow[..., 0].astype(np.float32), flow[..., 1].astype(np.float32)
    magnitude, angle = cv2.cartToPolar(dx, dy, angleInDegrees=True)
    valid = status == FLOW_VALID
    top = float(magnitude[valid].max()) if valid.any() else 1.0
    hsv = np.stack([angle / 2, np.clip(255 * magnitude / max(top, 1e-6), 0, 255), np.full_like(dx, 255)], -1)
    rgb = cv2.cvtColor(hsv.astype(np.uint8), cv2.COLOR_HSV2RGB)
    rgb[(status != FLOW_VALID) & (status != FLOW_SKY)] //= 3
    rgb[status == FLOW_SKY] = 128
    big = cv2.resize(rgb, (flow.shape[1] * scale, flow.shape[0] * scale), interpolation=cv2.INTER_NEAREST)
    cv2.putText(big, f"flow max {top:.1f} px", (4, big.shape[0] - 6), _FONT, 0.4, (0, 0, 0), 1, cv2.LINE_AA)
    return big


def label_panels(root: Path, record: dict, scale: int) -> list[np.ndarray]:
    """The panoptic and flow panels of a frame, for those its record lists (maybe none)."""
    files, panels = record.get("files", {}), []
    if "panoptic_map" in files and "panoptic" in record:
        png = cv2.imread(str(root / files["panoptic_map"]), cv2.IMREAD_COLOR)
        if png is not None:
            panels.append(colorize_panoptic(png[..., ::-1], record["panoptic"]["segments_info"], scale))
    way = next((way for way in FLOW_DIRECTIONS if flow_key(way) in files), None)  # forward first
    key = None if way is None else flow_key(way)
    if key and (root / files[key]).exists():
        status = cv2.imread(str(root / files[flow_key(way, status=True)]), cv2.IMREAD_UNCHANGED)
        panels.append(colorize_flow(np.load(root / files[key]), status, scale))
    return panels
