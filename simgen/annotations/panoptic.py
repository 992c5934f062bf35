"""COCO panoptic segments of one frame, from the object-index pass and the semantic map.

Conventions of COCO panoptic (panopticapi): the PNG stores each pixel's segment id as
id = R + 256 G + 256^2 B; `segments_info` lists every segment with its category, area (pixels),
tight box (COCO XYWH, pixel-edge) and iscrowd. Here every pixel belongs to a segment (no void):

    * a thing segment per labeled instance, id = its instance index (1..32767), category = its
      semantic class (`simgen.catalog.classes`); iscrowd = 1 for ignore regions. It also
      carries `instance_id` and `coco_category_id` (the annotations.json category).
    * a stuff segment per scenery class present, id = STUFF_SEGMENT_BASE + class id.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from simgen.annotations.instances import Instance
from simgen.catalog.classes import thing_class

STUFF_SEGMENT_BASE = 1 << 16
"""Stuff segment ids start above every instance index (MAX_INSTANCES = 32767)."""


def _stuff_extents(semantic: np.ndarray, scenery: np.ndarray) -> dict[int, tuple[int, list[int]]]:
    """class id -> (pixel count, tight XYWH box) of the scenery pixels of each class.

    One bincount per axis over (row or column, class) pairs: scenery only holds stuff classes,
    so the tables are (H or W) x (a few dozen) whatever the image size.
    """
    height, width = semantic.shape
    depth = int(semantic[scenery].max(initial=0)) + 2  # the last slot collects the things' pixels
    labels = np.where(scenery, semantic, depth - 1).astype(np.int64)
    rows = np.bincount((np.arange(height)[:, None] * depth + labels).ravel(), minlength=height * depth)
    cols = np.bincount((np.arange(width)[None, :] * depth + labels).ravel(), minlength=width * depth)
    rows, cols = rows.reshape(height, depth)[:, :-1], cols.reshape(width, depth)[:, :-1]
    extents = {}
    for class_id in np.flatnonzero(rows.sum(axis=0)):
        r, c = np.flatnonzero(rows[:, class_id]), np.flatnonzero(cols[:, class_id])
        extents[int(class_id)] = (int(rows[:, class_id].sum()),
                                  [int(c[0]), int(r[0]), int(c[-1] - c[0] + 1), int(r[-1] - r[0] + 1)])
    return extents


def panoptic_segments(object_index: np.ndarray, semantic: np.ndarray, instances: Sequence[Instance],
                      categories: Mapping[str, int]) -> tuple[np.ndarray, list[dict]]:
    """Segment ids and `segments_info` of one frame.

    Args:
        object_index: (H, W) int32 object-index pass (0 = scenery).
        semantic: (H, W) uint16 class ids (`semantic.semantic_map` of the same passes).
        instances: the frame's labeled instances (`label_frame`), every nonzero index among them.
        categories: COCO category name -> id.

    Returns:
        ids: (H, W) int32 segment id per pixel; segments: the `segments_info` list, things in
        instance-index order, then stuff in class-id order.
    """
    scenery = object_index == 0
    ids = np.where(scenery, semantic.astype(np.int32) + STUFF_SEGMENT_BASE, object_index)
    segments = []
    for instance in instances:
        cls = thing_class(instance.category, categories[instance.category])
        segments.append({"id": instance.instance_index, "category_id": cls.id, "area": instance.area_px,
                         "bbox": list(instance.bbox_xywh), "iscrowd": instance.iscrowd,
                         "instance_id": instance.instance_id, "coco_category_id": instance.category_id})
    for class_id, (area, box) in sorted(_stuff_extents(semantic, scenery).items()):
        segments.append({"id": STUFF_SEGMENT_BASE + class_id, "category_id": class_id, "area": area, "bbox": box,
                         "iscrowd": 0})
    return ids, segments


def encode_segment_ids(ids: np.ndarray) -> np.ndarray:
    """(H, W, 3) uint8 RGB of (H, W) segment ids < 2^24: id = R + 256 G + 256^2 B (panopticapi id2rgb)."""
    little_endian = np.ascontiguousarray(ids, dtype="<u4")  # bytes R, G, B, 0 of each id
    return little_endian.view(np.uint8).reshape(*ids.shape, 4)[..., :3]


def decode_segment_ids(rgb: np.ndarray) -> np.ndarray:
    """(H, W) int64 segment ids of an (H, W, 3) uint8 panoptic PNG (panopticapi rgb2id)."""
    rgb = rgb.astype(np.int64)
    return rgb[..., 0] + 256 * rgb[..., 1] + 65536 * rgb[..., 2]
