"""The semantic map: the class of every pixel, scenery ("stuff") and labeled objects ("things").

The classes are `simgen.catalog.classes` (Cityscapes label ids). Where the label comes from,
per pixel, exactly (no blended pass):
    * things: the object-index pass (first sample) -> the instance's category -> its class;
    * scenery: the Material Index pass (first sample, like the object index; bpy 5.0.1): every
      scenery material carries its object's class id as `pass_index` (`scenery_class_id`);
    * sky: what hits no surface (material index 0 and an infinite depth).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from simgen.catalog.classes import SKY, STUFF_CLASSES, thing_class
from simgen.errors import RenderError
from simgen.specs import FrameSpec


def _stuff_lookup() -> np.ndarray:
    """(65536,) uint16 material index -> stuff class id (unknown ids -> 0), read-only."""
    stuff = np.zeros(1 << 16, dtype=np.uint16)
    stuff[[c.id for c in STUFF_CLASSES]] = [c.id for c in STUFF_CLASSES]
    stuff[0] = SKY.id  # no surface hit: Cycles writes material index 0
    stuff.setflags(write=False)
    return stuff


_STUFF = _stuff_lookup()


def semantic_map(object_index: np.ndarray, material_index: np.ndarray, depth_planar_m: np.ndarray,
                 spec: FrameSpec, categories: Mapping[str, int]) -> np.ndarray:
    """(H, W) uint16 class id of every pixel (see the module docstring).

    Args:
        object_index: (H, W) int32 object-index pass of the output image.
        material_index: (H, W) int32 material-index pass of the same image (scenery classes).
        depth_planar_m: (H, W) float32 planar depth, +inf where no surface (sky).
        spec: the frame (the labeled objects' categories).
        categories: COCO category name -> id.

    Raises:
        RenderError: a scenery pixel with a surface but no class (material index 0 with a finite
            depth, or an id no class has): the passes and the scene disagree.
    """
    lookup = np.zeros(int(object_index.max(initial=0)) + 1, dtype=np.uint16)
    for prop in spec.labeled_objects:
        if 0 < prop.instance_index < len(lookup):
            lookup[prop.instance_index] = thing_class(prop.category, categories[prop.category]).id
    scenery = object_index == 0
    classes = np.where(scenery, _STUFF[material_index], lookup[object_index])
    known = classes != 0
    surfaceless = scenery & (material_index == 0)
    known[surfaceless] = ~np.isfinite(depth_planar_m[surfaceless])  # a surface without a class is not sky
    if not known.all():
        rows, cols = np.nonzero(~known)
        raise RenderError(f"frame {spec.frame_index}: {len(rows)} pixels have no semantic class (first at row "
                          f"{rows[0]}, column {cols[0]}: id {int(classes[rows[0], cols[0]])})")
    return classes
