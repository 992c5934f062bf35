"""What the pipeline asks of a renderer: `render(spec) -> (passes, stage seconds)` and `close()`.

`simgen.blender.renderer.CyclesRenderer` is the real one (`simgen.blender.make_cycles_renderer`);
unit tests drive the pipeline with fakes that honour the same contract
(`simgen.render.passes.RenderPasses` out, exact ids).
"""

from __future__ import annotations

from typing import Protocol

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
