"""Metered auto-exposure on real Cycles renders: the displayed median reaches mid-grey, the
labels stay bit-identical, and the same seed gives the same bytes and the same metered EV."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from simgen.catalog.entries import load_catalog
from simgen.config.load import load_config
from simgen.errors import RenderError
from simgen.imaging.srgb import decode_srgb_u8
from simgen.render.exposure import luminance
from simgen.sampling.frame import sample_frame
from simgen.sampling.weather import KOSCHMIEDER_CONTRAST
from simgen.specs import WeatherSpec

pytestmark = pytest.mark.blender

TINY = {"render": {"resolution": [96, 72]}, "seed": 11,
        "traffic": {"cars": 2, "pedestrians": 1, "cyclists": 0, "traffic_cones": 0}}
METERED = {"exposure_mode": "metered", "exposure_ev": 0.0, "metering_max_ev": 8.0}


def frame(overrides: dict):
    lighting = {"sun_elevation_deg": 30.0, "exposure_ev": 0.0, **overrides}
    return sample_frame(load_config({**TINY, "lighting": lighting}), load_catalog(), 0)


def displayed_median(rgb: np.ndarray) -> float:
    """Median display-linear luminance of a uint8 sRGB image."""
    return float(np.median(luminance(decode_srgb_u8(rgb))))


@pytest.fixture(scope="module")
def fixed_and_metered(renderer):
    fixed_spec, metered_spec = frame({"exposure_mode": "fixed"}), frame(METERED)
    return renderer.render(fixed_spec)[0], renderer.render(metered_spec)[0], metered_spec


def test_a_metered_frame_is_exposed_to_mid_grey_and_the_labels_do_not_change(fixed_and_metered):
    fixed, metered, _ = fixed_and_metered
    assert fixed.exposure is None and metered.exposure is not None
    assert np.array_equal(fixed.object_index, metered.object_index)
    assert np.array_equal(fixed.depth_planar_m, metered.depth_planar_m)
    assert np.array_equal(fixed.material_index, metered.material_index)
    shown = displayed_median(metered.rgb)
    # AgX maps scene-linear 0.18 to about 0.18 display-linear (measured); the fixed frame is darker.
    assert 0.11 < shown < 0.27, shown
    assert displayed_median(fixed.rgb) < shown
    assert metered.exposure.metered_ev > 0.5, metered.exposure  # the fixed day exposure is dark


def test_the_fixed_image_is_the_metered_render_resaved_at_the_fixed_exposure(renderer, fixed_and_metered):
    fixed, metered, spec = fixed_and_metered
    renderer.render(spec)
    assert renderer.display_rgb_at(spec.lighting.exposure_ev).tobytes() == fixed.rgb.tobytes()


def test_the_metered_ev_is_the_log_ratio_of_the_target_to_the_linear_median(fixed_and_metered):
    _, metered, spec = fixed_and_metered
    exposure = metered.exposure
    assert exposure.metered_ev == pytest.approx(np.log2(spec.lighting.metering_target / exposure.median_luminance))
    assert exposure.view_exposure_ev == exposure.metered_ev + spec.lighting.exposure_ev


def test_compensation_and_the_gain_clamp_apply(renderer, fixed_and_metered):
    _, metered, _ = fixed_and_metered
    darker, _ = renderer.render(frame({**METERED, "exposure_ev": -1.0}))
    assert darker.exposure.metered_ev == metered.exposure.metered_ev
    assert displayed_median(darker.rgb) < displayed_median(metered.rgb)
    clamped, _ = renderer.render(frame({**METERED, "metering_max_ev": 0.25}))
    assert clamped.exposure.clamped and clamped.exposure.metered_ev == 0.25


def test_the_same_seed_meters_and_renders_the_same_bytes(renderer, fixed_and_metered):
    _, metered, spec = fixed_and_metered
    again, _ = renderer.render(dataclasses.replace(spec))
    assert again.exposure == metered.exposure
    assert again.rgb.tobytes() == metered.rgb.tobytes()


def test_under_volumetric_fog_the_beauty_render_is_metered_and_cannot_be_resaved(renderer, fixed_and_metered):
    _, clear, spec = fixed_and_metered
    fog = WeatherSpec(condition="fog", cloudiness=0.8, fog=True, fog_mode="volumetric", fog_visibility_m=60.0,
                      fog_density_per_m=KOSCHMIEDER_CONTRAST / 60.0, fog_brightness=0.7)
    foggy, _ = renderer.render(dataclasses.replace(spec, weather=fog))
    assert foggy.exposure is not None and foggy.exposure.median_luminance != clear.exposure.median_luminance
    assert np.array_equal(foggy.object_index, clear.object_index)  # the labels' own one-sample render
    with pytest.raises(RenderError, match="fog or motion blur"):
        renderer.display_rgb_at(0.0)
