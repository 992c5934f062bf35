"""What the pipeline asks of a renderer: `render(spec) -> (passes, stage seconds)` and `close()`.

`simgen.blender.renderer.CyclesRenderer` is the real one; unit tests drive the pipeline with
fakes that honour the same contract (`simgen.render.passes.RenderPasses` out, exact ids).
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Protocol

from simgen.config.schema import RenderConfig
from simgen.errors import RenderError
from simgen.geometry.mesh import MeshData
from simgen.render.passes import RenderPasses
from simgen.specs import FrameSpec


class Renderer(Protocol):
    """A frame renderer. `device` names what renders (``"cpu"``, ``"optix"``, ``"cuda"``)."""

    device: str

    def render(self, spec: FrameSpec) -> tuple[RenderPasses, dict[str, float]]:
        """Render one frame: its passes and the seconds of each stage (build_s, render_s, ...)."""
        ...

    def close(self) -> None:
        """Release the renderer (Blender session, device)."""
        ...


def make_cycles_renderer(cfg: RenderConfig) -> Renderer:
    """The real renderer; imports Blender only when called.

    Raises:
        RenderError: Blender's `bpy` is not installed (the `render` extra).
    """
    return _blender_module("renderer").CyclesRenderer(cfg)


def import_mesh_file(path: str, unit_scale_m: float, up_axis: str, where: str) -> MeshData:
    """A user asset file's mesh read by Blender's importers (glTF/GLB, OBJ, FBX, .blend), in the
    object frame (metres, z up); the `MeshImporter` the entry points give `load_catalog`.

    Raises:
        RenderError: Blender's `bpy` is not installed. AssetError: the file does not import.
    """
    return _blender_module("asset_import").import_mesh_file(path, unit_scale_m, up_axis, where)


def _blender_module(name: str) -> ModuleType:
    """`simgen.blender.<name>`. Blender's `bpy` is an optional dependency (`pip install
    'simgen[render]'`): the pure commands (plan, check, merge, validate, report, preview, export,
    lineage) run without it, and only rendering or reading asset files asks for it here."""
    try:
        return importlib.import_module(f"simgen.blender.{name}")
    except ModuleNotFoundError as error:
        if (error.name or "").split(".")[0] not in ("bpy", "mathutils", "bmesh"):
            raise
        raise RenderError("Blender's Python module `bpy` is not installed; rendering (and reading asset "
                          "files) needs it: pip install 'simgen[render]' (bpy==5.0.1, Python 3.11)") from error
