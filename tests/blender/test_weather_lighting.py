"""Weather and night lighting on real Cycles renders: the image changes, the labels do not."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from simgen.catalog.entries import load_catalog
from simgen.config.load import load_config
from simgen.geometry.camera import intrinsics_matrix
from simgen.imaging.atmosphere import apply_weather
from simgen.sampling.frame import sample_frame
from simgen.sampling.weather import KOSCHMIEDER_CONTRAST
from simgen.specs import WeatherSpec

pytestmark = pytest.mark.blender

TINY = {"render": {"resolution": [96, 72]}, "seed": 5,
        "traffic": {"cars": 3, "pedestrians": 1, "cyclists": 0, "traffic_cones": 1}}
FOG = WeatherSpec(condition="fog", cloudiness=0.8, fog=True, fog_visibility_m=60.0,
                  fog_density_per_m=KOSCHMIEDER_CONTRAST / 60.0, fog_brightness=0.7)
RAIN = WeatherSpec(condition="rain", cloudiness=0.9, rain=True, rain_intensity=1.0, road_wetness=1.0,
                   puddle_coverage=0.5, puddle_offset=3.0, rain_streak_seed=7)
SNOW = WeatherSpec(condition="snow", cloudiness=0.8, snow=True, snow_cover=1.0)


@pytest.fixture(scope="module")
def day(renderer):
    spec = sample_frame(load_config(TINY), load_catalog(), 0)
    passes, _ = renderer.render(spec)
    return spec, passes


@pytest.mark.parametrize("weather", [RAIN, SNOW, dataclasses.replace(FOG, fog_mode="volumetric")],
                         ids=["rain", "snow", "volumetric_fog"])
def test_weather_changes_the_image_but_not_the_labels(renderer, day, weather):
    spec, clear = day
    passes, _ = renderer.render(dataclasses.replace(spec, weather=weather))
    assert np.array_equal(passes.object_index, clear.object_index)
    assert np.array_equal(passes.depth_planar_m, clear.depth_planar_m)
    changed = np.abs(passes.rgb.astype(int) - clear.rgb.astype(int)).mean()
    assert changed > 3.0, changed


def test_depth_fog_fades_far_pixels_towards_the_fog_colour(day):
    spec, clear = day
    rgb, transmittance = apply_weather(clear.rgb, clear.depth_planar_m, intrinsics_matrix(spec.camera), FOG)
    far = ~np.isfinite(clear.depth_planar_m) | (clear.depth_planar_m > 80)
    near = clear.depth_planar_m < 8
    assert transmittance[far].max() < 0.01 and transmittance[near].min() > 0.5
    fog_level = rgb[far].astype(float).mean(axis=0)
    assert np.all(np.abs(fog_level - fog_level.mean()) < 3)  # grey
    assert np.abs(rgb[near].astype(int) - clear.rgb[near].astype(int)).mean() < \
        np.abs(rgb[far].astype(int) - clear.rgb[far].astype(int)).mean() + 60


def test_night_lamps_windows_and_vehicle_lights_light_the_scene(renderer):
    cfg = load_config({**TINY, "lighting": {"sun_elevation_deg": -15.0, "sun_strength_w_m2": 0.0,
                                            "window_lit_probability": 1.0, "exposure_ev": 1.0}})
    spec = sample_frame(cfg, load_catalog(), 0)
    lighting = spec.lighting
    assert lighting.time_of_day == "night" and lighting.lights_on and lighting.lamp_locations_m
    assert lighting.lit_windows and lighting.vehicle_light_strength > 0 and lighting.sun_strength_w_m2 == 0
    lit, _ = renderer.render(spec)
    dark_lighting = dataclasses.replace(lighting, lights_on=False, lamp_locations_m=(), lit_windows=(),
                                        vehicle_light_strength=0.0, window_emission_strength=0.0)
    dark, _ = renderer.render(dataclasses.replace(spec, lighting=dark_lighting))
    assert np.array_equal(lit.object_index, dark.object_index)
    assert lit.rgb.mean() > dark.rgb.mean() + 10, (lit.rgb.mean(), dark.rgb.mean())
