"""Procedural materials on real Cycles renders: the surfaces really vary, the labels do not."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from simgen.catalog.entries import load_catalog
from simgen.config.load import load_config
from simgen.sampling.frame import sample_frame
from simgen.specs import FrameSpec, MaterialSpec, WeatherSpec
from tests.blender.scenes import GREY

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


def _with_params(spec: FrameSpec, texture: str, **params) -> FrameSpec:
    """The frame with `params` set in every material of that texture."""
    def change(_name: str, material: MaterialSpec) -> MaterialSpec:
        if material.texture != texture:
            return material
        return dataclasses.replace(material, texture_params=tuple(sorted({**dict(material.texture_params),
                                                                           **params}.items())))
    return _map_materials(spec, change)


def _worn_road(spec: FrameSpec) -> FrameSpec:
    """Cracks and patches everywhere; no wheel paths (their darkening would move the median)."""
    return _with_params(spec, "asphalt", crack_density=1.0, crack_cell_m=1.5, crack_width_m=0.03,
                        patch_coverage=0.3, patch_tone=0.55, lanes_per_direction=0.0)


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


def test_wheel_paths_darken_the_worn_road_and_worn_paint_the_lines_not_the_labels(renderer, textured):
    close = dataclasses.replace(textured, camera=dataclasses.replace(textured.camera, **DOWN_AT_ROAD))
    close = _with_params(close, "asphalt", crack_density=0.0, patch_coverage=0.0)
    road_rows = slice(20, 72)
    lanes = _with_params(close, "asphalt", wear=1.0)
    plain, _ = renderer.render(_with_params(lanes, "asphalt", lanes_per_direction=0.0))
    tracks, _ = renderer.render(lanes)
    assert np.array_equal(tracks.object_index, plain.object_index)
    assert np.array_equal(tracks.depth_planar_m, plain.depth_planar_m)
    darker = _blocks(_luminance(plain.rgb[road_rows])) - _blocks(_luminance(tracks.rgb[road_rows]))
    # wheel-path columns darken (up to 25 %), the rest of the road does not
    columns = darker.mean(axis=0)
    assert columns.max() > 4.0 and np.percentile(columns, 10) < 1.5, np.round(columns, 1)
    fresh, _ = renderer.render(_with_params(close, "worn_paint", paint_wear=0.0))
    worn, _ = renderer.render(_with_params(close, "worn_paint", paint_wear=0.6))
    assert np.array_equal(fresh.object_index, worn.object_index)
    fresh_lum, worn_lum = _luminance(fresh.rgb[road_rows]), _luminance(worn.rgb[road_rows])
    paint = fresh_lum > np.median(fresh_lum) + 40  # the lane line
    assert paint.sum() > 20 and worn_lum[paint].mean() < fresh_lum[paint].mean() - 10.0
    assert np.abs(worn_lum - fresh_lum)[~paint].mean() < 1.0


def test_kerb_stones_have_transverse_joints_and_none_along_the_strip(renderer):
    from simgen.sampling.materials import sample_kerb
    from tests.blender.scenes import box, camera, frame

    kerb = sample_kerb(np.random.default_rng(3))
    params = {**dict(kerb.texture_params), "stone_length_m": 0.8, "joint_width_m": 0.012, "stain_coverage": 0.0}
    kerb = dataclasses.replace(kerb, texture_params=tuple(sorted(params.items())))
    strip = dataclasses.replace(box("sidewalk_kerb_right", (3.0, 0.3, 0.15), (0.0, 0.0, 0.0)),
                                materials={"surface": kerb})
    ground = dataclasses.replace(box("ground", (8.0, 8.0, 0.01), (0.0, 0.0, -0.02)), materials={"surface": GREY})
    top_down = camera(192, 144, location_m=(0.0, 0.0, 1.6), pitch_deg=-90.0)
    passes, _ = renderer.render(frame(top_down, scenery=(strip, ground)))
    lum = _luminance(passes.rgb)
    on_top = np.abs(passes.depth_planar_m - 1.45) < 0.005  # the kerb's top face, 1.45 m below
    rows = np.flatnonzero(on_top.mean(axis=1) > 0.9)
    assert len(rows) > 20
    inner = lum[rows[2]:rows[-2]]  # the top face, its edges left out
    across, along = inner.mean(axis=0), inner.mean(axis=1)  # profile along the strip, across it

    def dip(profile):  # the deepest narrow dip: below the mean of the values 3 px either side
        return float(np.max((profile[:-6] + profile[6:]) / 2 - profile[3:-3]))
    # joints every 0.8 m: narrow dark columns across the stone; no such row along the strip
    # (the light varies smoothly across it)
    assert dip(across) > 8.0, np.round(across, 1)
    assert dip(along) < 2.0, np.round(along, 1)
