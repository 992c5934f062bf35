"""COCO instances: per-frame entries, and the dataset file assembled from frame records.

Frame records (`frames/NNNNNN.json`, see `simgen.contract`) carry each frame's COCO image
entry and annotations without global annotation ids. `simgen.writers.assembly` streams them, in frame
order, into one `annotations.json`: memory stays bounded by one record, not the dataset.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from simgen.annotations.instances import Instance
from simgen.config.schema import InfoConfig
from simgen.contract import KEYPOINT_CATEGORIES, KEYPOINT_NAMES, KEYPOINT_SKELETON, image_path


def image_entry(frame_index: int, width_px: int, height_px: int, intrinsics: np.ndarray,
                extrinsics_cam_world: np.ndarray, run_seed: int, extra: Mapping[str, Any] | None = None) -> dict:
    """The COCO `images` entry of a frame, with camera and seed (see `simgen.contract`)."""
    entry = {
        "id": frame_index,
        "file_name": image_path(frame_index),
        "width": width_px,
        "height": height_px,
        "K": [[float(v) for v in row] for row in intrinsics],
        "T_cam_world": [[float(v) for v in row] for row in extrinsics_cam_world],
        "frame_seed": {"run_seed": run_seed, "frame_index": frame_index},
    }
    entry.update(extra or {})
    return entry


def annotation_entry(frame_index: int, instance: Instance) -> dict:
    """The COCO annotation of one annotation record (`Instance`, filled by the label stage
    `simgen.annotations.labels.label_frame`), without its global `id` (assigned when the dataset
    is assembled). Serialisation only: every value comes from the record.

    Beyond COCO: the label keys of `simgen.contract` (amodal boxes, visibility, truncation,
    stable ids, distance, 3D box, fog transmittance, motion-blur length). Floats are rounded
    (boxes to 1/1000 px, fractions to 1e-4, metres to 0.1 mm, blur to 1/1000 px) so the JSON
    stays short; `track_id` is added at assembly. People of the keypoint categories also carry
    COCO `keypoints` and `num_keypoints`.
    """
    entry = {
        "image_id": frame_index,
        "category_id": instance.category_id,
        "segmentation": instance.rle,
        "area": instance.area_px,
        "bbox": list(instance.bbox_xywh),
        "iscrowd": instance.iscrowd,
        "instance_index": instance.instance_index,
        "object_name": instance.name,
        "asset": instance.asset,
        "instance_id": instance.instance_id,
        "bbox_amodal": _rounded(instance.bbox_amodal, 3),
        "bbox_amodal_unclipped": _rounded(instance.bbox_amodal_unclipped, 3),
        "visible_fraction": round(instance.visible_fraction, 4),
        "truncation": round(instance.truncation, 4),
        "distance_m": round(instance.distance_m, 4),
        "box3d_cam": instance.box3d_cam,
        "ignore_reasons": list(instance.ignore_reasons),
    }
    if instance.keypoints is not None:
        entry |= {"keypoints": list(instance.keypoints), "num_keypoints": instance.num_keypoints}
    blur = instance.motion_blur_px
    return entry | {"fog_transmittance": instance.fog_transmittance,
                    "motion_blur_px": None if blur is None else round(blur, 3)}


def _rounded(values: tuple[float, ...] | None, digits: int) -> list[float] | None:
    return None if values is None else [round(float(v), digits) for v in values]


def video_fields(frame_index: int, frames_per_sequence: int) -> dict[str, int]:
    """The COCO-video keys of an image entry ({} without sequences): `video_id` (the sequence)
    and `frame_id` (0-based position in it), as MOT tools (mmtracking's CocoVID) read them."""
    if frames_per_sequence <= 1:
        return {}
    return {"video_id": frame_index // frames_per_sequence, "frame_id": frame_index % frames_per_sequence}


def video_header(frames: int, frames_per_sequence: int) -> dict[str, list[dict]]:
    """The top-level COCO-video `videos` list ({} without sequences)."""
    if frames_per_sequence <= 1:
        return {}
    return {"videos": [{"id": v, "name": f"sequence_{v:06d}", "frames": frames_per_sequence}
                       for v in range(frames // frames_per_sequence)]}


def categories_entry(categories: Mapping[str, int]) -> list[dict]:
    """COCO `categories`, sorted by id (stable whatever the YAML order); the keypoint categories
    carry COCO's `keypoints` names and `skeleton` (`simgen.contract.KEYPOINT_NAMES`)."""
    return [{"id": cid, "name": name, "supercategory": name} | (
        {"keypoints": list(KEYPOINT_NAMES), "skeleton": [list(pair) for pair in KEYPOINT_SKELETON]}
        if name in KEYPOINT_CATEGORIES else {})
        for name, cid in sorted(categories.items(), key=lambda item: item[1])]


def info_entry(description: str, version: str, info: InfoConfig, fallback_date: str,
               extra: Mapping[str, Any]) -> dict[str, Any]:
    """The COCO `info` block: COCO's own six fields, then simgen's (`extra`: lineage, counts).

    Args:
        fallback_date: YYYY/MM/DD used when `info.date_created` is empty (the source commit's
            date, `simgen.lineage`): never the wall clock.
    """
    date = info.date_created or fallback_date
    return {"description": description, "url": info.url, "version": version, "year": int(date[:4]),
            "contributor": info.contributor, "date_created": date, **extra}


def licenses_entry(info: InfoConfig) -> list[dict[str, Any]]:
    """COCO `licenses`: one entry, id 1, which every image entry names."""
    return [{"id": 1, "name": info.license_name, "url": info.license_url}]
