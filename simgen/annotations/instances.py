"""The annotation record (`Instance`) and its masks from the object-index pass.

`Instance` holds every per-frame field of one COCO annotation: `extract_instances` reads the
mask, area and tight box of each labeled object from the object-index pass, and the label stage
(`simgen.annotations.labels.label_frame`) fills in the rest; the COCO writer
(`simgen.writers.coco.annotation_entry`) only serialises it. The one field that needs more than
the frame, `track_id`, is added when the dataset is assembled (`simgen.annotations.identity`).

Cycles writes the object index from the first sample only, so every pixel belongs to exactly
one object (or to the background, index 0) and masks are never blended at edges. A mask is
encoded once, as COCO compressed RLE with pycocotools' C code; its area and tight box come
from that RLE, so `area == decode(rle).sum()` and `bbox == box(decode(rle))` by construction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from pycocotools import mask as mask_utils

from simgen.contract import BACKGROUND_INSTANCE
from simgen.errors import RenderError
from simgen.specs import PropSpec


@dataclass(frozen=True)
class Instance:
    """One visible labeled object in one frame: the annotation record.

    Attributes:
        instance_index: the object's index in the object-index pass (1..32767).
        name: the object's name in the frame spec, e.g. 'car_002'.
        asset: catalog entry it was built from.
        category: category name; category_id: its COCO id.
        rle: COCO compressed RLE, {'size': [H, W], 'counts': str}.
        area_px: number of visible pixels.
        bbox_xywh: tight box of the visible pixels, COCO XYWH, pixel-edge coordinates.

    The remaining attributes are filled by `simgen.annotations.labels.label_frame`:
        instance_id: stable 63-bit id of the object (`simgen.annotations.identity`).
        bbox_amodal: whole projected box clipped to the image, COCO XYWH float pixels, or None.
        bbox_amodal_unclipped: whole projected box, may extend beyond the image, or None.
        visible_fraction: visible pixels / unoccluded in-image pixels, in [0, 1].
        truncation: fraction of the projected coverage outside the image, in [0, 1].
        distance_m: camera centre to the centre of the object's 3D box, metres.
        box3d_cam: the 3D box in the camera frame, JSON-ready (`Box3D.to_json`).
        ignore_reasons: policy thresholds failed; non-empty -> an iscrowd=1 ignore region.
        keypoints: COCO [x1, y1, v1, ...] of a keypoint category (`simgen.annotations.keypoints`),
            else None; num_keypoints: how many have v > 0.
        fog_transmittance: mean Koschmieder transmittance over the mask, in [0, 1], 4 decimals
            (1.0 without fog; `simgen.imaging.atmosphere.mean_per_instance`).
        motion_blur_px: image-space length of the box centre's path during the exposure, pixels
            (0.0 without blur, None if it passes behind the camera; `simgen.annotations.motion_blur`).
    """

    instance_index: int
    name: str
    asset: str
    category: str
    category_id: int
    rle: dict
    area_px: int
    bbox_xywh: tuple[int, int, int, int]
    instance_id: int = 0
    bbox_amodal: tuple[float, float, float, float] | None = None
    bbox_amodal_unclipped: tuple[float, float, float, float] | None = None
    visible_fraction: float = 1.0
    truncation: float = 0.0
    distance_m: float = 0.0
    box3d_cam: dict | None = None
    ignore_reasons: tuple[str, ...] = ()
    keypoints: tuple[float, ...] | None = None
    num_keypoints: int = 0
    fog_transmittance: float = 1.0
    motion_blur_px: float | None = 0.0

    @property
    def iscrowd(self) -> int:
        """1 for an ignore region (failed the label policy), 0 for a regular instance."""
        return 1 if self.ignore_reasons else 0


def encode_mask(mask: np.ndarray) -> dict:
    """COCO compressed RLE of a (H, W) bool mask, with `counts` as str (JSON-ready)."""
    rle = mask_utils.encode(np.asfortranarray(mask.astype(np.uint8)))
    return {"size": [int(rle["size"][0]), int(rle["size"][1])], "counts": rle["counts"].decode("ascii")}


def extract_instances(object_index: np.ndarray, objects: Sequence[PropSpec],
                      category_ids: Mapping[str, int]) -> list[Instance]:
    """Masks, areas and tight boxes of every labeled object that has visible pixels.

    Args:
        object_index: (H, W) int32 object-index pass; 0 = background/scenery.
        objects: the frame's props; those with a category and instance_index > 0 are labeled.
        category_ids: category name -> COCO id.

    Returns:
        instances in increasing instance_index order; objects with no visible pixel are omitted.

    Raises:
        RenderError: the pass holds an index that belongs to no labeled object (a label
            integrity failure: it would otherwise silently become a wrong mask).
    """
    labeled = {o.instance_index: o for o in objects if o.category is not None and o.instance_index > 0}
    if object_index.size and object_index.min() < 0:
        raise RenderError(f"object-index pass holds negative ids ({int(object_index.min())})")
    # bincount instead of np.unique: no sort of the whole image (about 40 ms at 640x480).
    present = np.flatnonzero(np.bincount(object_index.ravel()))
    # One Fortran-ordered copy, so each mask comparison is already in RLE (column-major) order.
    object_index = np.asfortranarray(object_index)
    unknown = [int(i) for i in present if i != BACKGROUND_INSTANCE and int(i) not in labeled]
    if unknown:
        raise RenderError(f"object-index pass holds ids {unknown[:10]} that belong to no labeled object")
    instances = []
    for index in sorted(int(i) for i in present if i != BACKGROUND_INSTANCE):
        prop = labeled[index]
        rle = encode_mask(object_index == index)
        coco_rle = {"size": rle["size"], "counts": rle["counts"].encode("ascii")}
        x, y, w, h = (int(round(v)) for v in mask_utils.toBbox(coco_rle))
        instances.append(Instance(instance_index=index, name=prop.name, asset=prop.asset, category=prop.category,
                                  category_id=int(category_ids[prop.category]), rle=rle,
                                  area_px=int(mask_utils.area(coco_rle)), bbox_xywh=(x, y, w, h)))
    return instances
