"""The Blender boundary: the only package that imports `bpy`, `mathutils` and `bmesh`.

`build_*` functions turn specs into Blender data; `CyclesRenderer` renders a `FrameSpec` and
returns plain numpy arrays. Nothing here draws random numbers.

This module itself imports no Blender: its two factories are how the rest of simgen reaches
Blender, lazily, so that the pure commands (plan, check, merge, validate, report, preview,
export, lineage) run where `bpy` is not installed (it is the optional `render` extra).
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import TYPE_CHECKING

from simgen.errors import RenderError

if TYPE_CHECKING:
    from simgen.config.schema import RenderConfig
    from simgen.geometry.mesh import MeshData
    from simgen.render.protocol import Renderer


def make_cycles_renderer(cfg: RenderConfig) -> Renderer:
    """The real renderer (`simgen.blender.renderer.CyclesRenderer`).

    Raises:
        RenderError: Blender's `bpy` is not installed.
    """
    return _blender_module("renderer").CyclesRenderer(cfg)


def import_asset_mesh(path: str, unit_scale_m: float, up_axis: str, where: str) -> MeshData:
    """A user asset file's mesh read by Blender's importers (glTF/GLB, OBJ, FBX, .blend), in the
    object frame (metres, z up): the `MeshImporter` the entry points give `load_catalog`.

    Raises:
        RenderError: Blender's `bpy` is not installed. AssetError: the file does not import.
    """
    return _blender_module("asset_import").import_mesh_file(path, unit_scale_m, up_axis, where)


def _blender_module(name: str) -> ModuleType:
    try:
        return importlib.import_module(f"simgen.blender.{name}")
    except ModuleNotFoundError as error:
        if (error.name or "").split(".")[0] not in ("bpy", "mathutils", "bmesh"):
            raise
        raise RenderError("Blender's Python module `bpy` is not installed; rendering (and reading asset "
                          "files) needs it: pip install 'simgen[render]' (bpy==5.0.1, Python 3.11)") from error
