"""Render passes: what one Cycles render gives, decoded into numpy arrays.

One render writes a multi-part OpenEXR (`OPEN_EXR_MULTILAYER`): parts `ViewLayer.Combined`,
`ViewLayer.Depth` (channel `.Z`), `ViewLayer.Object Index` (channel `.X`), and more. Depth and
Object Index are written from the first sample only (bpy 5.0.1): ids are exact integers and
depth is the planar camera z; where no surface is hit, Cycles writes 1e10.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import OpenEXR

from simgen.contract import CYCLES_BACKGROUND_DEPTH_M
from simgen.errors import RenderError

DEPTH_PART = "ViewLayer.Depth"
INDEX_PART = "ViewLayer.Object Index"
# Anything at or beyond this is Cycles' "no surface" value (1e10), not geometry.
_BACKGROUND_THRESHOLD_M = CYCLES_BACKGROUND_DEPTH_M * 0.5


@dataclass(frozen=True)
class RenderPasses:
    """The arrays of one rendered frame (row 0 is the top image row).

    Attributes:
        rgb: (H, W, 3) uint8 sRGB, after the scene's view transform.
        depth_planar_m: (H, W) float32 camera-z depth in metres; +inf where no surface.
        object_index: (H, W) int32 instance index per pixel; 0 = background/scenery.
    """

    rgb: np.ndarray
    depth_planar_m: np.ndarray
    object_index: np.ndarray


def _single_channel(parts: dict, part_name: str, path: Path) -> np.ndarray:
    if part_name not in parts:
        raise RenderError(f"{path}: the render has no {part_name!r} pass; found {sorted(parts)}")
    channels = parts[part_name].channels
    if len(channels) != 1:
        raise RenderError(f"{path}: pass {part_name!r} has channels {sorted(channels)}, expected one")
    return next(iter(channels.values())).pixels


def decode_depth_and_index(exr_path: Path) -> tuple[np.ndarray, np.ndarray]:
    """Read planar depth and object index from a multi-part EXR written by a Cycles render.

    Returns:
        depth_planar_m: (H, W) float32 metres, +inf where Cycles hit nothing.
        object_index: (H, W) int32.

    Raises:
        RenderError: the file is missing a pass, or an index is not an exact integer.
    """
    with OpenEXR.File(str(exr_path), separate_channels=True) as exr:
        parts = {part.name(): part for part in exr.parts}
        depth = np.array(_single_channel(parts, DEPTH_PART, exr_path), dtype=np.float32)
        index_float = np.array(_single_channel(parts, INDEX_PART, exr_path), dtype=np.float32)
    depth[~(depth < _BACKGROUND_THRESHOLD_M)] = np.inf
    object_index = np.rint(index_float).astype(np.int32)
    if not np.array_equal(object_index.astype(np.float32), index_float):
        raise RenderError(f"{exr_path}: Object Index pass holds non-integer values; ids would be blended")
    return depth, object_index
