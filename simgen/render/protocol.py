"""What the pipeline asks of a renderer: `render(spec) -> (passes, stage seconds)` and `close()`.

`simgen.blender.renderer.CyclesRenderer` is the real one (`simgen.blender.make_cycles_renderer`);
unit tests drive the pipeline with fakes that honour the same contract
(`simgen.render.passes.RenderPasses` out, exact ids, on the grid of the frame's render camera).
"""

from __future__ import annotations

import logging
from typing import Protocol

from simgen.errors import RenderError
from simgen.render.passes import RenderPasses
from simgen.specs import FrameSpec

log = logging.getLogger(__name__)


class Renderer(Protocol):
    """A frame renderer. `device` names what renders (``"cpu"``, ``"optix"``, ``"cuda"``)."""

    device: str

    def render(self, spec: FrameSpec) -> tuple[RenderPasses, dict[str, float]]:
        """Render one frame spec through its render camera (`simgen.render.camera.render_camera`:
        the pinhole camera grown by the lens overscan), which the renderer applies itself.

        Returns:
            the passes (`RenderPasses.camera` = that render camera), and the seconds of each
            stage (build_s, render_s, ...).
        """
        ...

    def close(self) -> None:
        """Release the renderer (Blender session, device)."""
        ...


def render_with_retry(renderer: Renderer, spec: FrameSpec) -> tuple[RenderPasses, dict[str, float]]:
    """Render once; on a RenderError retry once, then report the frame and how to reproduce it.

    Raises:
        RenderError: the frame failed twice; the message names its seeds and the override that
            renders it alone.
    """
    try:
        return renderer.render(spec)
    except RenderError as first:
        log.warning("frame %d failed to render (%s); retrying once", spec.frame_index, first)
        try:
            return renderer.render(spec)
        except RenderError as second:
            raise RenderError(f"frame {spec.frame_index} failed twice (run seed {spec.run_seed}, frame seed "
                              f"SeedSequence({spec.run_seed}, spawn_key=({spec.frame_index},)); reproduce with "
                              f"frames_per_shard=1 shard={spec.frame_index}): {second}") from second
