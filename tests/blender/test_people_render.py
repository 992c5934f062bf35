"""Posed pedestrians and cyclists render as one exact instance; vehicle head and tail lights glow
at night (real Cycles renders, tiny)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from simgen.annotations.amodal import measure_coverage
from simgen.catalog.prop_mesh import get_recipe
from simgen.sampling.materials import sample_materials
from simgen.specs import LightingSpec, PropSpec
from tests.blender.scenes import camera, frame

pytestmark = pytest.mark.blender

THIN_TUBE_EDGE_PIXELS = 2  # a bicycle's spokes and frame tubes, millimetres wide, graze a few pixel centres
NIGHT = LightingSpec(sun_elevation_deg=-15.0, sun_azimuth_deg=200.0, sun_strength_w_m2=0.0, sun_angle_deg=0.5,
                     sky_strength=0.5, sky_turbidity=3.0, exposure_ev=1.0, time_of_day="night", lights_on=True,
                     vehicle_light_strength=50.0)


def _prop(recipe: str, params: dict[str, float], location_m, yaw_deg: float, category: str) -> PropSpec:
    slots = get_recipe(recipe).build_mesh(params).materials
    return PropSpec(name=f"{recipe}_000", asset=recipe, recipe=recipe, params=params, location_m=location_m,
                    yaw_deg=yaw_deg, materials=sample_materials(slots, np.random.default_rng(0)), category=category,
                    instance_index=1)


@pytest.mark.parametrize(("recipe", "params", "yaw_deg", "edge_pixels"), [
    ("pedestrian", {"speed_m_s": 4.0, "gait_phase": 0.4}, 10.0, 0),
    ("pedestrian", {"height_m": 1.15, "shoulder_width_m": 0.3, "speed_m_s": 1.2, "gait_phase": 0.8}, -30.0, 0),
    ("pedestrian", {"speed_m_s": 1.3, "bottom_style": 0.9, "coat": 0.9, "hair_style": 0.5, "bag": 0.7}, 60.0, 0),
    ("pedestrian", {"speed_m_s": 0.0, "bottom_style": 0.6, "sleeves": 0.9, "hair_style": 0.8, "bag": 0.95}, -120.0, 0),
    ("cyclist", {"crank_phase": 0.3}, 20.0, THIN_TUBE_EDGE_PIXELS),
])
def test_posed_person_is_one_instance_whose_mask_equals_the_mesh_raster(renderer, recipe, params, yaw_deg,
                                                                         edge_pixels):
    cam = camera(width_px=96, height_px=72, location_m=(0.0, 0.0, 1.0), pitch_deg=-5.0)
    prop = _prop(recipe, params, (0.2, 3.2, 0.0), yaw_deg, recipe)
    passes, _ = renderer.render(frame(cam, objects=[prop]))
    assert set(np.unique(passes.object_index)) == {0, 1}  # the whole person (and bike) is instance 1
    mask = passes.object_index == 1
    raster = measure_coverage(prop, cam).unoccluded_mask
    assert mask.sum() > 150
    assert np.count_nonzero(mask != raster) <= edge_pixels


def _light_pixels(rgb: np.ndarray, mask: np.ndarray) -> tuple[int, int]:
    """(near-saturated pixels, red pixels) inside `mask`. The view transform desaturates strong
    emission towards white, so a glowing light's core is near white whatever its colour; a tail
    light shows a red rim around it."""
    red, green, blue = (rgb[..., channel].astype(int) for channel in range(3))
    glowing = (red > 240) & (green > 180)
    reddish = (red > 120) & (green < red // 2) & (blue < red // 2)
    return int(np.count_nonzero(glowing & mask)), int(np.count_nonzero(reddish & mask))


@pytest.mark.parametrize("recipe", ["truck", "bus", "motorcycle"])
def test_head_and_tail_lights_glow_at_night(renderer, recipe):
    cam = camera(width_px=80, height_px=60, location_m=(0.0, 0.0, 1.2), pitch_deg=-4.0)
    distance = {"truck": 14.0, "bus": 16.0, "motorcycle": 3.5}[recipe]  # its small tail light needs a few pixels
    counts = {}
    for facing, yaw_deg in (("front", -80.0), ("rear", 100.0)):  # +x towards the camera, then away
        prop = _prop(recipe, {}, (0.0, distance, 0.0), yaw_deg, "car")
        for lights_on in (True, False):
            lighting = NIGHT if lights_on else dataclasses.replace(NIGHT, lights_on=False, vehicle_light_strength=0.0)
            passes, _ = renderer.render(dataclasses.replace(frame(cam, objects=[prop]), lighting=lighting))
            mask = passes.object_index == 1
            assert mask.sum() > 50
            counts[facing, lights_on] = _light_pixels(passes.rgb, mask)
    assert counts["front", True][0] >= 2 and counts["rear", True][0] >= 2
    assert counts["rear", True][1] >= 2  # the tail lights are red
    assert counts["front", False] == (0, 0) and counts["rear", False] == (0, 0)
