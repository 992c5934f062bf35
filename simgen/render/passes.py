"""Render passes: what one Cycles render gives, decoded into numpy arrays.

One render writes a multi-part OpenEXR (`OPEN_EXR_MULTILAYER`): parts `ViewLayer.Combined`,
`ViewLayer.Depth` (channel `.Z`), `ViewLayer.Object Index` (channel `.X`), `ViewLayer.Material
Index` (channel `.X`), and more. Depth, Object Index and Material Index are written from the
first sample only (bpy 5.0.1, measured: exact integers at 16 spp across overlapping edges):
ids are exact integers and depth is the planar camera z; where no surface is hit, Cycles
writes 1e10 (depth) and 0 (indices).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import OpenEXR

from simgen.contract import CYCLES_BACKGROUND_DEPTH_M
from simgen.errors import RenderError
from simgen.render.exposure import MeteredExposure
from simgen.specs import CameraSpec

DEPTH_PART = "ViewLayer.Depth"
INDEX_PART = "ViewLayer.Object Index"
MATERIAL_PART = "ViewLayer.Material Index"
# Anything at or beyond this is Cycles' "no surface" value (1e10), not geometry.
_BACKGROUND_THRESHOLD_M = CYCLES_BACKGROUND_DEPTH_M * 0.5


@dataclass(frozen=True)
class RenderPasses:
    """The arrays of one rendered frame (row 0 is the top image row), on the pixel grid of `camera`.

    Attributes:
        rgb: (H, W, 3) uint8 sRGB, after the scene's view transform.
        depth_planar_m: (H, W) float32 camera-z depth in metres; +inf where no surface.
        object_index: (H, W) int32 instance index per pixel; 0 = background/scenery.
        material_index: (H, W) int32 `Material.pass_index` of the first surface hit, which
            simgen sets to the scenery's semantic class id (`simgen.catalog.classes`);
            0 = no surface. None when the render did not write the pass.
        camera: the camera whose (height_px, width_px) grid and K the arrays are on. From a
            renderer: the render camera of the frame (`simgen.render.camera.render_camera`,
            pinhole, lens overscan included); after the sensor model: the frame's output camera
            (`spec.camera`, whose image the lens then distorts). Keyword-only.
        exposure: what the metering decided when the frame's `lighting.exposure_mode` is
            'metered' (`simgen.render.exposure`); None with a fixed exposure. Keyword-only.
    """

    rgb: np.ndarray
    depth_planar_m: np.ndarray
    object_index: np.ndarray
    material_index: np.ndarray | None = None
    camera: CameraSpec = field(kw_only=True)
    exposure: MeteredExposure | None = field(default=None, kw_only=True)


ExrParts = dict[str, dict[str, np.ndarray]]
"""A multi-part EXR read into memory: part name -> channel name -> (H, W) float32 pixels."""


def read_exr_parts(exr_path: Path) -> ExrParts:
    """Every part and channel of a multi-part EXR written by a Cycles render, read once (the
    label passes and the Combined pass come from the same file; each decoder below takes these)."""
    with OpenEXR.File(str(exr_path), separate_channels=True) as exr:
        return {part.name(): {name: np.array(channel.pixels) for name, channel in part.channels.items()}
                for part in exr.parts}


def _single_channel(parts: ExrParts, part_name: str, path: Path) -> np.ndarray:
    if part_name not in parts:
        raise RenderError(f"{path}: the render has no {part_name!r} pass; found {sorted(parts)}")
    channels = parts[part_name]
    if len(channels) != 1:
        raise RenderError(f"{path}: pass {part_name!r} has channels {sorted(channels)}, expected one")
    return next(iter(channels.values()))


def _exact_ids(values: np.ndarray, exr_path: Path, part_name: str) -> np.ndarray:
    ids = np.rint(values).astype(np.int32)
    if not np.array_equal(ids.astype(np.float32), values):
        raise RenderError(f"{exr_path}: {part_name!r} pass holds non-integer values; ids would be blended")
    return ids


def label_passes(parts: ExrParts, exr_path: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Planar depth, object index and material index of a read EXR (`read_exr_parts`).

    Returns:
        depth_planar_m: (H, W) float32 metres, +inf where Cycles hit nothing.
        object_index: (H, W) int32.
        material_index: (H, W) int32, or None if the render has no Material Index pass.

    Raises:
        RenderError: the file is missing a pass, or an index is not an exact integer.
    """
    depth = np.array(_single_channel(parts, DEPTH_PART, exr_path), dtype=np.float32)
    index_float = np.array(_single_channel(parts, INDEX_PART, exr_path), dtype=np.float32)
    depth[~(depth < _BACKGROUND_THRESHOLD_M)] = np.inf
    object_index = np.rint(index_float).astype(np.int32)
    if not np.array_equal(object_index.astype(np.float32), index_float):
        raise RenderError(f"{exr_path}: Object Index pass holds non-integer values; ids would be blended")
    material = (np.array(_single_channel(parts, MATERIAL_PART, exr_path), dtype=np.float32)
                if MATERIAL_PART in parts else None)
    return depth, object_index, None if material is None else _exact_ids(material, exr_path, MATERIAL_PART)


def decode_label_passes(exr_path: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """`label_passes` of the EXR at `exr_path`."""
    return label_passes(read_exr_parts(exr_path), exr_path)


COMBINED_PART = "ViewLayer.Combined"


def combined_rgb(parts: ExrParts, exr_path: Path) -> np.ndarray:
    """(H, W, 3) float32 scene-linear RGB of the Combined pass of a read EXR (before the view
    transform and its exposure: Cycles writes the render result's linear data to EXR).

    Raises:
        RenderError: the file has no Combined pass with R, G and B channels.
    """
    if COMBINED_PART not in parts:
        raise RenderError(f"{exr_path}: the render has no {COMBINED_PART!r} pass; found {sorted(parts)}")
    channels = {name.rsplit(".", 1)[-1]: pixels for name, pixels in parts[COMBINED_PART].items()}
    if not {"R", "G", "B"} <= set(channels):
        raise RenderError(f"{exr_path}: pass {COMBINED_PART!r} has channels {sorted(channels)}, expected R, G, B")
    return np.stack([np.asarray(channels[c], dtype=np.float32) for c in "RGB"], axis=-1)
