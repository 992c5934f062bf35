"""`simgen validate` checks of the issue-16 labels: keypoints, panoptic output and optical flow.

    keypoints   every annotation of a category with `keypoints` has 17 (x, y, v) triplets, v in
                {0, 1, 2}, v = 0 rows all zero, `num_keypoints` = count of v > 0, labeled
                keypoints inside the image and visible ones (v = 2) inside the amodal box
    panoptic    with panoptic.json: each frame's PNG decodes at the image size, its segment ids
                are exactly the listed segments, each segment's area and tight box match its
                pixels, and every thing segment is the annotation of that instance (same area)
    flow        every flow file a frame record lists exists, is float32 (H, W, 2) and finite,
                and its status PNG holds FLOW_* values only

Each check reports problems on the `Report` of `simgen.qa.validate`; nothing raises.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from simgen import contract
from simgen.annotations.panoptic import STUFF_SEGMENT_BASE, decode_segment_ids
from simgen.dataset.view import resolve_inside

LABEL_CHECKS = ("keypoints", "panoptic", "flow")
_BOX_SLACK_PX = 1.0


def check_keypoints(report, coco: dict) -> None:
    """The `keypoints` check (see the module docstring)."""
    keyed = {c.get("id") for c in coco.get("categories", []) if "keypoints" in c}
    sizes = {i.get("id"): (i.get("width", 0), i.get("height", 0)) for i in coco.get("images", [])}
    for ann in coco.get("annotations", []):
        if ann.get("category_id") not in keyed:
            continue
        name = f"annotation {ann.get('id')}"
        values = ann.get("keypoints")
        if not isinstance(values, list) or len(values) != 3 * len(contract.KEYPOINT_NAMES):
            report.add("keypoints", f"{name}: keypoints missing or not 17 (x, y, v) triplets")
            continue
        xyv = np.asarray(values, dtype=np.float64).reshape(-1, 3)
        problem = _keypoint_problem(xyv, ann, sizes.get(ann.get("image_id"), (0, 0)))
        if problem:
            report.add("keypoints", f"{name}: {problem}")


def _keypoint_problem(xyv: np.ndarray, ann: dict, size: tuple[int, int]) -> str | None:
    visibility = xyv[:, 2]
    if not np.isin(visibility, (0, 1, 2)).all():
        return f"visibility values {sorted(set(visibility.tolist()))}, allowed 0, 1, 2"
    if np.any(xyv[visibility == 0] != 0):
        return "a keypoint with v = 0 has nonzero coordinates"
    if ann.get("num_keypoints") != int(np.count_nonzero(visibility > 0)):
        return f"num_keypoints {ann.get('num_keypoints')} != {int(np.count_nonzero(visibility > 0))} labeled"
    labeled = xyv[visibility > 0]
    width, height = size
    if len(labeled) and (labeled[:, 0].min() < 0 or labeled[:, 1].min() < 0 or labeled[:, 0].max() > width
                         or labeled[:, 1].max() > height):
        return "a labeled keypoint lies outside the image"
    box = ann.get("bbox_amodal")
    visible = xyv[visibility == 2]
    if box and len(visible):
        x, y, w, h = box
        inside = ((visible[:, 0] >= x - _BOX_SLACK_PX) & (visible[:, 0] <= x + w + _BOX_SLACK_PX)
                  & (visible[:, 1] >= y - _BOX_SLACK_PX) & (visible[:, 1] <= y + h + _BOX_SLACK_PX))
        if not inside.all():
            return f"{int((~inside).sum())} visible keypoints outside the amodal box {box}"
    return None


def check_panoptic(report, root: Path, coco: dict) -> None:
    """The `panoptic` check; a dataset without panoptic.json passes it."""
    path = root / contract.PANOPTIC_FILE
    if not path.exists():
        return
    try:
        panoptic = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        report.add("panoptic", f"{path.name}: cannot read ({error})")
        return
    images = {i.get("id"): i for i in coco.get("images", [])}
    areas: dict[tuple, Any] = {(a.get("image_id"), a.get("instance_index")): a.get("area")
                               for a in coco.get("annotations", [])}
    if sorted(a.get("image_id") for a in panoptic.get("annotations", [])) != sorted(images):
        report.add("panoptic", "panoptic.json does not have one annotation per image of annotations.json")
    for entry in panoptic.get("annotations", []):
        _check_panoptic_frame(report, root, entry, images.get(entry.get("image_id"), {}), areas)


def _check_panoptic_frame(report, root: Path, entry: dict, image: dict, areas: dict) -> None:
    name = f"image {entry.get('image_id')}"
    path = resolve_inside(root, f"{contract.PANOPTIC_DIR}/{entry.get('file_name')}", f"panoptic {name} file_name")
    png = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if png is None or png.shape[:2] != (image.get("height"), image.get("width")):
        report.add("panoptic", f"{name}: panoptic PNG missing, unreadable or not the image size")
        return
    ids = decode_segment_ids(png[..., ::-1])
    segments = {s.get("id"): s for s in entry.get("segments_info", [])}
    present = set(np.unique(ids).tolist())
    if present != set(segments):
        report.add("panoptic", f"{name}: segment ids in the PNG {sorted(present - set(segments))[:5]} unlisted, "
                               f"listed but absent {sorted(set(segments) - present)[:5]}")
    for segment_id, segment in segments.items():
        mask = ids == segment_id
        if not mask.any():
            continue
        rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
        box = [int(cols[0]), int(rows[0]), int(cols[-1] - cols[0] + 1), int(rows[-1] - rows[0] + 1)]
        if segment.get("area") != int(mask.sum()) or segment.get("bbox") != box:
            report.add("panoptic", f"{name}: segment {segment_id} area/bbox do not match its pixels")
        elif segment_id < STUFF_SEGMENT_BASE and areas.get((entry.get("image_id"), segment_id)) != segment["area"]:
            report.add("panoptic", f"{name}: thing segment {segment_id} is not the annotation of that instance")


def check_flow(report, root: Path, images: list[dict]) -> None:
    """The `flow` check over the flow files the frame records of `images` list."""
    for image in images:
        try:
            record = json.loads((root / contract.frame_record_path(image.get("id"))).read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            continue  # the manifest check reports missing records
        files = record.get("files", {})
        size = (record.get("image", {}).get("height"), record.get("image", {}).get("width"))
        for key, status_key in ((contract.flow_key(way), contract.flow_key(way, status=True))
                                for way in contract.FLOW_DIRECTIONS):
            if key not in files:
                continue
            name = f"frame {record.get('frame_index')} {key}"
            try:
                flow = np.load(resolve_inside(root, files[key], f"{name} path"), allow_pickle=False)
            except (OSError, ValueError):
                report.add("flow", f"{name}: {files[key]} missing or unreadable")
                continue
            if flow.dtype != np.float32 or flow.shape != (*size, 2) or not np.isfinite(flow).all():
                report.add("flow", f"{name}: not finite float32 of shape {(*size, 2)}")
            status_name = files.get(status_key)
            status = None if status_name is None else cv2.imread(
                str(resolve_inside(root, status_name, f"{name}_status path")), cv2.IMREAD_UNCHANGED)
            allowed = (contract.FLOW_VALID, contract.FLOW_OCCLUDED, contract.FLOW_OUT_OF_VIEW, contract.FLOW_SKY)
            if status is None or status.shape != size or not np.isin(status, allowed).all():
                report.add("flow", f"{name}: status PNG missing or holds values other than {allowed}")
