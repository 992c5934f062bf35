"""Procedural materials on real Cycles renders: the surfaces really vary, the labels do not."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from simgen.catalog.entries import load_catalog
from simgen.config.load import load_config
from simgen.sampling.frame import sample_frame
from simgen.specs import FrameSpec, MaterialSpec, WeatherSpec

pytestmark = pytest.mark.blender

TINY = {"render": {"resolution": [96, 72]}, "seed": 5,
        "traffic": {"cars": 3, "pedestrians": 1, "cyclists": 0, "traffic_cones": 1}}
RAIN = WeatherSpec(condition="rain", cloudiness=0.9, rain=True, rain_intensity=1.0, road_wetness=1.0,
                   puddle_coverage=0.5, puddle_offset=3.0, rain_streak_seed=7)
SNOW = WeatherSpec(condition="snow", cloudiness=0.8, snow=True, snow_cover=1.0)
DOWN_AT_ROAD = dict(location_m=(0.5, 2.0, 1.4), yaw_deg=0.0, pitch_deg=-55.0)


def _map_materials(spec: FrameSpec, change) -> FrameSpec:
    def props(items):
        return tuple(dataclasses.replace(p, materials={k: change(p.name, m) for k, m in p.materials.items()})
                     for p in items)
    return dataclasses.replace(spec, layout=dataclasses.replace(spec.layout, scenery=props(spec.layout.scenery)),
                               objects=props(spec.objects))


def _flat(spec: FrameSpec) -> FrameSpec:
    return _map_materials(spec, lambda _, m: dataclasses.replace(m, texture="flat", texture_params=()))


def _worn_road(spec: FrameSpec) -> FrameSpec:
    def change(name: str, material: MaterialSpec) -> MaterialSpec:
        if name != "road":
            return material
        params = {**dict(material.texture_params), "crack_density": 1.0, "crack_cell_m": 1.5,
                  "crack_width_m": 0.03, "patch_coverage": 0.3, "patch_tone": 0.55}
        return dataclasses.replace(material, texture_params=tuple(sorted(params.items())))
    return _map_materials(spec, change)


@pytest.fixture(scope="module")
def textured():
    spec = sample_frame(load_config(TINY), load_catalog(), 0)
    textures = {m.texture for p in spec.layout.scenery + spec.objects for m in p.materials.values()}
    assert {"asphalt", "concrete", "painted_metal"} <= textures
    assert textures & {"brick", "plaster"}
    return spec


@pytest.mark.parametrize("weather", [WeatherSpec(), RAIN, SNOW], ids=["clear", "rain", "snow"])
def test_textures_change_the_image_but_not_the_labels(renderer, textured, weather):
    flat, _ = renderer.render(dataclasses.replace(_flat(textured), weather=weather))
    rich, _ = renderer.render(dataclasses.replace(textured, weather=weather))
    assert np.array_equal(rich.object_index, flat.object_index)
    assert np.array_equal(rich.depth_planar_m, flat.depth_planar_m)
    assert np.abs(rich.rgb.astype(int) - flat.rgb.astype(int)).mean() > 1.0


def _luminance(rgb: np.ndarray) -> np.ndarray:
    return rgb.astype(np.float64) @ np.array([0.2126, 0.7152, 0.0722])


def _blocks(lum: np.ndarray) -> np.ndarray:
    """(52, 96) luminance -> (13, 24) means of 4 x 4 pixel blocks."""
    return lum.reshape(13, 4, 24, 4).mean(axis=(1, 3))


def test_cracked_patched_road_varies_more_than_the_flat_one_and_wets_darker(renderer, textured):
    close = dataclasses.replace(_worn_road(textured), camera=dataclasses.replace(textured.camera, **DOWN_AT_ROAD))
    road_rows = slice(20, 72)  # below the horizon: road only in this view
    rich, _ = renderer.render(close)
    flat, _ = renderer.render(_flat(close))
    # 4 x 4 pixel block means: Monte Carlo noise (4 samples) averages out, cracks and patches stay.
    rich_lum, flat_lum = _blocks(_luminance(rich.rgb[road_rows])), _blocks(_luminance(flat.rgb[road_rows]))
    asphalt = np.abs(flat_lum - np.median(flat_lum)) < 8  # not the lane line
    rich_lum, flat_lum = rich_lum[asphalt], flat_lum[asphalt]
    assert rich_lum.std() > 1.4 * flat_lum.std(), (rich_lum.std(), flat_lum.std())

    def dark_tail(lum):
        return np.median(lum) - np.percentile(lum, 5)
    assert dark_tail(rich_lum) > dark_tail(flat_lum) + 3.0, (dark_tail(rich_lum), dark_tail(flat_lum))
    wet, _ = renderer.render(dataclasses.replace(close, weather=dataclasses.replace(RAIN, puddle_coverage=0.0)))
    assert _blocks(_luminance(wet.rgb[road_rows]))[asphalt].mean() < rich_lum.mean() - 2.0
    assert np.array_equal(wet.depth_planar_m, rich.depth_planar_m)
