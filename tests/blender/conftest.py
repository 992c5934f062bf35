from __future__ import annotations

import pytest

from simgen.config.schema import RenderConfig


@pytest.fixture(scope="session")
def renderer():
    """One Cycles session for the analytic tests (CPU, few samples, no denoising)."""
    from simgen.blender.renderer import CyclesRenderer

    r = CyclesRenderer(RenderConfig(samples=4, device="cpu", denoise=False, threads=2))
    yield r
    r.close()
