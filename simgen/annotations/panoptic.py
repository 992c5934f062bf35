"""COCO panoptic segments of one frame, from the object-index pass and the semantic map.

Conventions of COCO panoptic (panopticapi): the PNG stores each pixel's segment id as
id = R + 256 G + 256^2 B; `segments_info` lists every segment with its category, area (pixels),
tight box (COCO XYWH, pixel-edge) and iscrowd. Here every pixel belongs to a segment (no void):

    * a thing segment per labeled instance, id = its instance index (1..32767), category = its
      semantic class (`simgen.annotations.semantic`); iscrowd = 1 for ignore regions. It also
      carries `instance_id` and `coco_category_id` (the annotations.json category).
    * a stuff segment per scenery class present, id = STUFF_SEGMENT_BASE + class id.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from simgen.annotations.instances import Instance
from simgen.annotations.semantic import thing_class

STUFF_SEGMENT_BASE = 1 << 16
"""Stuff segment ids start above every instance index (MAX_INSTANCES = 32767)."""


def _box(mask: np.ndarray) -> list[int]:
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    return [int(cols[0]), int(rows[0]), int(cols[-1] - cols[0] + 1), int(rows[-1] - rows[0] + 1)]


def panoptic_segments(object_index: np.ndarray, semantic: np.ndarray, instances: Sequence[Instance],
                      categories: Mapping[str, int]) -> tuple[np.ndarray, list[dict]]:
    """Segment ids and `segments_info` of one frame.

    Args:
        object_index: (H, W) int32 object-index pass (0 = scenery).
        semantic: (H, W) uint16 class ids (`semantic.semantic_map` of the same passes).
        instances: the frame's labeled instances (`label_frame`), every nonzero index among them.
        categories: COCO category name -> id.

    Returns:
        ids: (H, W) int64 segment id per pixel; segments: the `segments_info` list, things in
        instance-index order, then stuff in class-id order.
    """
    ids = np.where(object_index > 0, object_index.astype(np.int64), STUFF_SEGMENT_BASE + semantic.astype(np.int64))
    segments = []
    for instance in instances:
        cls = thing_class(instance.category, categories[instance.category])
        segments.append({"id": instance.instance_index, "category_id": cls.id, "area": instance.area_px,
                         "bbox": list(instance.bbox_xywh), "iscrowd": instance.iscrowd,
                         "instance_id": instance.instance_id, "coco_category_id": instance.category_id})
    stuff = np.where(object_index == 0, semantic.astype(np.int64), -1)
    counts = np.bincount(stuff[stuff >= 0].ravel())
    for class_id in np.flatnonzero(counts):
        segments.append({"id": STUFF_SEGMENT_BASE + int(class_id), "category_id": int(class_id),
                         "area": int(counts[class_id]), "bbox": _box(stuff == class_id), "iscrowd": 0})
    return ids, segments


def encode_segment_ids(ids: np.ndarray) -> np.ndarray:
    """(H, W, 3) uint8 RGB of (H, W) segment ids: id = R + 256 G + 256^2 B (panopticapi id2rgb)."""
    return np.stack([ids % 256, ids // 256 % 256, ids // 65536 % 256], axis=-1).astype(np.uint8)


def decode_segment_ids(rgb: np.ndarray) -> np.ndarray:
    """(H, W) int64 segment ids of an (H, W, 3) uint8 panoptic PNG (panopticapi rgb2id)."""
    rgb = rgb.astype(np.int64)
    return rgb[..., 0] + 256 * rgb[..., 1] + 65536 * rgb[..., 2]
