"""How Cycles samples the world as a light (`render.sky_importance_map_px`): the procedural sky
gets no importance map by default or a map of the configured side, and the label passes do not
depend on the choice (it only changes which directions light rays try)."""

from __future__ import annotations

import numpy as np
import pytest

from simgen.catalog.entries import load_catalog
from simgen.config.compose import compose_config
from simgen.sampling.frame import sample_frame

pytestmark = pytest.mark.blender

TINY = ["seed=2", "frames=1", "render.resolution=[64,48]", "render.samples=2", "render.denoise=false",
        "render.device=cpu"]


def _render(*overrides: str):
    import bpy

    from simgen.blender.renderer import CyclesRenderer

    cfg = compose_config([*TINY, *overrides])
    renderer = CyclesRenderer(cfg.render)
    passes, _ = renderer.render(sample_frame(cfg, load_catalog(), 0))
    world = bpy.context.scene.world.cycles
    return passes, world.sampling_method, world.sample_map_resolution


def test_the_sky_has_no_importance_map_by_default_and_the_configured_one_otherwise():
    default, method, _ = _render()
    assert method == "NONE"
    mapped, method, side = _render("render.sky_importance_map_px=128")
    assert (method, side) == ("MANUAL", 128)
    assert np.array_equal(default.object_index, mapped.object_index)
    assert np.array_equal(default.material_index, mapped.material_index)
    assert np.array_equal(default.depth_planar_m, mapped.depth_planar_m)
    assert default.rgb.shape == mapped.rgb.shape and default.rgb.mean() > 0.0


def test_an_hdri_world_keeps_cycles_automatic_map():
    import bpy

    from simgen.blender.build import set_world_sampling

    world = bpy.data.worlds.new("probe")
    set_world_sampling(world, hdri=True, sky_map_px=0)
    assert world.cycles.sampling_method == "AUTOMATIC"
    set_world_sampling(world, hdri=False, sky_map_px=64)
    assert (world.cycles.sampling_method, world.cycles.sample_map_resolution) == ("MANUAL", 64)
