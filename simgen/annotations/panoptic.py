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

import cv2
import numpy as np

from simgen.annotations.instances import Instance
from simgen.annotations.semantic import BYTE_SCENERY_KEY, STUFF_LOOKUP, byte_classes, general_semantic_map
from simgen.catalog.classes import STUFF_CLASSES, thing_class
from simgen.specs import FrameSpec

STUFF_SEGMENT_BASE = 1 << 16
"""Stuff segment ids start above every instance index (MAX_INSTANCES = 32767)."""


_STUFF_IDS = np.array([c.id for c in STUFF_CLASSES], dtype=np.uint32)  # every stuff id is < 32


def _stuff_extents(stuff: np.ndarray) -> dict[int, tuple[int, list[int]]]:
    """class id -> (pixel count, tight XYWH box) of each stuff class present.

    `stuff` is (H, W) uint16: the class id at scenery pixels, 0 elsewhere. Each pixel's class
    becomes one bit (1 << class id, computed, not gathered); OR-reducing the rows and the columns
    gives every class's rows and columns in two cheap passes; a class's area is one compare
    and count over its rows per class present (cheaper than a bincount's conversion of every
    pixel to intp, and than a compare over its strided box).
    """
    bits = np.left_shift(np.uint32(1), stuff, dtype=np.uint32)  # things (0) -> bit 0, no class
    row_bits, col_bits = np.bitwise_or.reduce(bits, axis=1), np.bitwise_or.reduce(bits, axis=0)
    in_rows = ((row_bits[None, :] >> _STUFF_IDS[:, None]) & 1) == 1  # (C, H)
    in_cols = ((col_bits[None, :] >> _STUFF_IDS[:, None]) & 1) == 1  # (C, W)
    present = in_rows.any(axis=1)
    first_row, last_row = in_rows.argmax(axis=1), in_rows.shape[1] - 1 - in_rows[:, ::-1].argmax(axis=1)
    first_col, last_col = in_cols.argmax(axis=1), in_cols.shape[1] - 1 - in_cols[:, ::-1].argmax(axis=1)
    extents = {}
    for k in np.flatnonzero(present):
        top, bottom, left, right = int(first_row[k]), int(last_row[k]) + 1, int(first_col[k]), int(last_col[k]) + 1
        area = np.count_nonzero(stuff[top:bottom] == int(_STUFF_IDS[k]))  # its rows: contiguous, unlike its box
        extents[int(_STUFF_IDS[k])] = (int(area), [left, top, right - left, bottom - top])
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
    stuff = semantic * scenery  # (H, W) uint16 stuff class at scenery pixels, 0 at things
    ids = np.add(object_index, stuff, dtype=np.int32)  # one of the two is 0 at every pixel
    np.add(ids, np.int32(STUFF_SEGMENT_BASE), out=ids, where=scenery)  # cheaper than np.where of these dtypes
    return ids, _segments(instances, categories, _stuff_extents(stuff))


def semantic_panoptic(object_index: np.ndarray, material_index: np.ndarray, depth_planar_m: np.ndarray,
                      spec: FrameSpec, instances: Sequence[Instance],
                      categories: Mapping[str, int]) -> tuple[np.ndarray, np.ndarray, list[dict]]:
    """`semantic_map` and `panoptic_segments` of one frame computed together: (H, W) uint16
    classes, (H, W) int32 segment ids and `segments_info`, the same as the two calls give.

    The panoptic arrays are built from the semantic map's byte keys and classes
    (`semantic.byte_classes`), still in the cache, instead of reading the int32 passes again.
    `instances` must be the label stage's of the same `object_index` (its largest index is the
    pass's largest; see `byte_classes`).
    """
    top = max((i.instance_index for i in instances), default=0)
    fast = byte_classes(object_index, material_index, depth_planar_m, spec, categories, max_object_index=top)
    if fast is None:
        semantic = general_semantic_map(object_index, material_index, depth_planar_m, spec, categories)
        return (semantic, *panoptic_segments(object_index, semantic, instances, categories))
    keys, classes = fast
    bits = cv2.LUT(keys, _STUFF_BITS)
    return classes, cv2.LUT(keys, _SEGMENT_IDS), _segments(instances, categories, _bit_extents(bits))


def _byte_tables() -> tuple[np.ndarray, np.ndarray]:
    """`cv2.LUT` tables of the byte keys (`semantic.BYTE_SCENERY_KEY`): (256,) int32 segment id
    (the object index at things, STUFF_SEGMENT_BASE + the class at scenery) and (256,) uint16
    stuff bit (1 << the class's position in _STUFF_IDS at scenery, 0 at things)."""
    if len(_STUFF_IDS) > 16:
        raise ValueError("at most 16 stuff classes fit the uint16 stuff bits")
    ids, bits = np.arange(1, 257, dtype=np.int32), np.zeros(256, dtype=np.uint16)
    for material in range(256 - BYTE_SCENERY_KEY):
        class_id = int(STUFF_LOOKUP[material])
        ids[BYTE_SCENERY_KEY + material] = STUFF_SEGMENT_BASE + class_id
        if class_id:
            bits[BYTE_SCENERY_KEY + material] = 1 << _STUFF_IDS.tolist().index(class_id)
    return ids, bits


_SEGMENT_IDS, _STUFF_BITS = _byte_tables()


def _bit_extents(bits: np.ndarray) -> dict[int, tuple[int, list[int]]]:
    """`_stuff_extents` of (H, W) uint16 stuff bits (`_byte_tables`): OR-reduced over rows and
    columns, then each class's area counted over its box."""
    row_bits, col_bits = np.bitwise_or.reduce(bits, axis=1), np.bitwise_or.reduce(bits, axis=0)
    present = int(np.bitwise_or.reduce(row_bits))
    found = [code for code in range(len(_STUFF_IDS)) if present >> code & 1]
    if not found:
        return {}
    shifts = np.array(found, dtype=np.uint16)[:, None]
    in_rows, in_cols = (row_bits >> shifts) & 1, (col_bits >> shifts) & 1  # (C, H), (C, W)
    tops, bottoms = in_rows.argmax(axis=1), in_rows.shape[1] - in_rows[:, ::-1].argmax(axis=1)
    lefts, rights = in_cols.argmax(axis=1), in_cols.shape[1] - in_cols[:, ::-1].argmax(axis=1)
    extents = {}
    for code, top, bottom, left, right in zip(found, tops.tolist(), bottoms.tolist(), lefts.tolist(), rights.tolist(),
                                              strict=True):
        area = np.count_nonzero(bits[top:bottom, left:right] == np.uint16(1 << code))
        extents[int(_STUFF_IDS[code])] = (int(area), [left, top, right - left, bottom - top])
    return extents


def _segments(instances: Sequence[Instance], categories: Mapping[str, int],
              stuff: dict[int, tuple[int, list[int]]]) -> list[dict]:
    """`segments_info`: things in instance-index order (the label stage's area and box), then
    stuff (`_stuff_extents`) in class-id order."""
    segments = []
    for instance in instances:
        cls = thing_class(instance.category, categories[instance.category])
        segments.append({"id": instance.instance_index, "category_id": cls.id, "area": instance.area_px,
                         "bbox": list(instance.bbox_xywh), "iscrowd": instance.iscrowd,
                         "instance_id": instance.instance_id, "coco_category_id": instance.category_id})
    for class_id, (area, box) in sorted(stuff.items()):
        segments.append({"id": STUFF_SEGMENT_BASE + class_id, "category_id": class_id, "area": area, "bbox": box,
                         "iscrowd": 0})
    return segments


def encode_segment_ids(ids: np.ndarray) -> np.ndarray:
    """(H, W, 3) uint8 RGB of (H, W) segment ids < 2^24: id = R + 256 G + 256^2 B (panopticapi id2rgb)."""
    little_endian = np.ascontiguousarray(ids, dtype="<u4")  # bytes R, G, B, 0 of each id
    return little_endian.view(np.uint8).reshape(*ids.shape, 4)[..., :3]


def decode_segment_ids(rgb: np.ndarray) -> np.ndarray:
    """(H, W) int64 segment ids of an (H, W, 3) uint8 panoptic PNG (panopticapi rgb2id)."""
    rgb = rgb.astype(np.int64)
    return rgb[..., 0] + 256 * rgb[..., 1] + 65536 * rgb[..., 2]
