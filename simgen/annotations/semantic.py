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

import cv2
import numpy as np

from simgen.catalog.classes import SKY, STUFF_CLASSES, thing_class
from simgen.contract import MAX_INSTANCES
from simgen.errors import RenderError
from simgen.specs import FrameSpec

_STUFF_WIDTH = 33
"""Material indices per object index in a pixel key: every stuff class id is < 32, so index 32
stands for every id that names no class (larger or negative ones)."""


def _stuff_lookup() -> np.ndarray:
    """(_STUFF_WIDTH,) uint16 material index -> stuff class id (no class -> 0), read-only."""
    if max(c.id for c in STUFF_CLASSES) >= _STUFF_WIDTH - 1:
        raise ValueError(f"stuff class ids must be < {_STUFF_WIDTH - 1}")
    stuff = np.zeros(_STUFF_WIDTH, dtype=np.uint16)
    stuff[[c.id for c in STUFF_CLASSES]] = [c.id for c in STUFF_CLASSES]
    stuff[0] = SKY.id  # no surface hit: Cycles writes material index 0
    stuff.setflags(write=False)
    return stuff


STUFF_LOOKUP = _stuff_lookup()


def _pixel_keys(object_index: np.ndarray, material_index: np.ndarray) -> tuple[np.ndarray, int]:
    """(H, W) int32 key of each pixel's (object index, material index) pair, and the number of
    object indices (the largest + 1).

    key = object index * _STUFF_WIDTH + material index (clipped to _STUFF_WIDTH - 1), so one
    gather through a small table (`_class_lookup`) gives every pixel's class: no per-class
    mask, no second pass for the things.

    Raises:
        RenderError: an object index outside [0, MAX_INSTANCES].
    """
    top = int(np.asarray(object_index, dtype=np.int32).view(np.uint32).max(initial=0))  # negative -> huge
    if top > MAX_INSTANCES:
        raise RenderError(f"object-index pass holds ids outside [0, {MAX_INSTANCES}]")
    material = np.asarray(material_index, dtype=np.int32).view(np.uint32)  # negative ids -> above every class id
    if int(material.max(initial=0)) >= _STUFF_WIDTH - 1:
        material = np.minimum(material, np.uint32(_STUFF_WIDTH - 1))
    keys = object_index * np.int32(_STUFF_WIDTH)
    keys += material.view(np.int32)
    return keys, top + 1


def _class_lookup(spec: FrameSpec, categories: Mapping[str, int], objects: int) -> np.ndarray:
    """(objects * _STUFF_WIDTH,) uint16 pixel key (`_pixel_keys`) -> class id: the stuff class
    of the material index under object index 0, the thing class of the object elsewhere (its
    material index ignored); 0 = no class."""
    things = np.zeros(objects, dtype=np.uint16)
    for prop in spec.labeled_objects:
        if 0 < prop.instance_index < objects:
            things[prop.instance_index] = thing_class(prop.category, categories[prop.category]).id
    table = np.repeat(things, _STUFF_WIDTH)
    table[:_STUFF_WIDTH] = STUFF_LOOKUP
    return table


BYTE_SCENERY_KEY = 256 - _STUFF_WIDTH
"""Byte keys (`byte_classes`): a thing pixel's key is its object index - 1 (0 .. BYTE_SCENERY_KEY - 3),
a scenery pixel's BYTE_SCENERY_KEY + its material index (0 .. _STUFF_WIDTH - 2)."""


def _byte_table(spec: FrameSpec, categories: Mapping[str, int]) -> np.ndarray:
    """(256,) uint16 byte key (`BYTE_SCENERY_KEY`) -> class id (0 = no class), for `cv2.LUT`."""
    table = np.zeros(256, dtype=np.uint16)
    for prop in spec.labeled_objects:
        if 0 < prop.instance_index < BYTE_SCENERY_KEY - 1:
            table[prop.instance_index - 1] = thing_class(prop.category, categories[prop.category]).id
    table[BYTE_SCENERY_KEY:] = STUFF_LOOKUP
    return table


def byte_classes(object_index: np.ndarray, material_index: np.ndarray, depth_planar_m: np.ndarray,
                 spec: FrameSpec, categories: Mapping[str, int],
                 max_object_index: int | None = None) -> tuple[np.ndarray, np.ndarray] | None:
    """The semantic map of the common frame from byte keys: (H, W) uint8 keys
    (`BYTE_SCENERY_KEY`) and the (H, W) uint16 class ids, both C order; None where this shortcut
    does not apply (an object index above 221, a material index of 32 or more, or any pixel
    `semantic_map` rejects), so the caller takes the general path, which gives the same classes
    or the error.

    After one read of each int32 pass every pass is over bytes, and the gather is `cv2.LUT`
    (a 256-entry table, no index conversion, one thread): a fraction of the int32 keys and
    np.take. `max_object_index`: the largest index in `object_index`, when the caller has
    checked it (the label stage: `extract_instances` rejects negative and unlabeled indices, so
    it is the largest visible instance's); None: measured here.
    """
    if object_index.dtype != np.int32 or material_index.dtype != np.int32:
        return None
    # Negative indices are huge as uint32. A max and a cast read an array once from memory and
    # once from the cache: cheaper than np.minimum's casting output.
    if max_object_index is None:
        max_object_index = int(object_index.view(np.uint32).max(initial=0))
    top_material = int(material_index.view(np.uint32).max(initial=0))
    if max_object_index >= BYTE_SCENERY_KEY - 1 or top_material >= _STUFF_WIDTH - 1:
        return None
    keys = material_index.astype(np.uint8, order="C")
    keys += np.uint8(BYTE_SCENERY_KEY)
    things = object_index.astype(np.uint8, order="C")
    things -= np.uint8(1)  # scenery (0) wraps to 255, above every scenery key
    np.minimum(keys, things, out=keys)  # the object index - 1 at things, the scenery key elsewhere
    classes = cv2.LUT(keys, _byte_table(spec, categories))
    if not classes.all():
        return None  # a scenery pixel whose material index names no class
    surfaceless = keys == BYTE_SCENERY_KEY  # object index 0, material index 0: sky, if no depth there
    if not np.min(depth_planar_m, where=surfaceless, initial=np.inf) >= np.inf:  # a NaN min also fails
        return None
    return keys, classes


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
    fast = byte_classes(object_index, material_index, depth_planar_m, spec, categories)
    if fast is not None:
        return fast[1]
    return general_semantic_map(object_index, material_index, depth_planar_m, spec, categories)


def general_semantic_map(object_index: np.ndarray, material_index: np.ndarray, depth_planar_m: np.ndarray,
                         spec: FrameSpec, categories: Mapping[str, int]) -> np.ndarray:
    """`semantic_map` for any frame (int32 keys and one np.take; every object index up to
    MAX_INSTANCES); the function that raises on a pixel without a class."""
    keys, objects = _pixel_keys(object_index, material_index)
    classes = np.take(_class_lookup(spec, categories, objects), keys)
    surfaceless = keys == 0  # object index 0, material index 0: sky, unless the depth pass has a surface there
    if not classes.all() or (surfaceless & np.isfinite(depth_planar_m)).any():
        bad = (classes == 0) | (surfaceless & np.isfinite(depth_planar_m))
        rows, cols = np.nonzero(bad)
        raise RenderError(f"frame {spec.frame_index}: {len(rows)} pixels have no semantic class (first at row "
                          f"{rows[0]}, column {cols[0]}: object index {int(object_index[rows[0], cols[0]])}, "
                          f"material index {int(material_index[rows[0], cols[0]])})")
    return classes
