"""Depth-based fog (Koschmieder) and rain streaks on the RGB: analytic checks, no rendering."""

from __future__ import annotations

import numpy as np
import pytest

from simgen.geometry.camera import intrinsics_matrix
from simgen.imaging.atmosphere import (
    apply_fog,
    apply_weather,
    fog_transmittance,
    mean_per_instance,
)
from simgen.imaging.srgb import linear_to_srgb, srgb_to_linear
from simgen.sampling.weather import KOSCHMIEDER_CONTRAST
from simgen.specs import CameraSpec, WeatherSpec

CAMERA = CameraSpec(64, 48, 36.0, 36.0, (0.0, 0.0, 1.5), 0.0, 0.0, 0.0)
K = intrinsics_matrix(CAMERA)


def _fog(visibility_m: float, start_m: float = 0.0) -> WeatherSpec:
    return WeatherSpec(condition="fog", fog=True, fog_visibility_m=visibility_m,
                       fog_density_per_m=KOSCHMIEDER_CONTRAST / visibility_m, fog_start_m=start_m, fog_brightness=0.7)


def test_transmittance_is_two_percent_at_the_visibility_distance():
    depth = np.full((48, 64), 100.0, dtype=np.float32)
    t = fog_transmittance(depth, K, _fog(100.0))
    centre = t[23:25, 31:33]  # ray distance ~= planar depth at the image centre
    assert centre == pytest.approx(0.02, rel=1e-3)
    assert (t[0, 0] < centre.min())  # corner rays travel farther


def test_fog_start_and_sky():
    depth = np.full((48, 64), 10.0, dtype=np.float32)
    depth[:5] = np.inf
    t = fog_transmittance(depth, K, _fog(50.0, start_m=20.0))
    assert np.all(t[5:] == 1.0) and np.all(t[:5] == 0.0)
    assert np.all(fog_transmittance(depth, K, WeatherSpec()) == 1.0)


def test_fog_blends_towards_the_fog_colour_in_display_linear_light():
    rgb = np.full((2, 2, 3), 40, dtype=np.uint8)
    t = np.array([[1.0, 0.0], [0.5, 0.25]], dtype=np.float32)
    out = apply_fog(rgb, t, 0.7)
    assert np.all(out[0, 0] == 40) and np.all(out[0, 1] == np.rint(linear_to_srgb(np.array(0.7)) * 255))
    expected = linear_to_srgb(srgb_to_linear(np.array(40 / 255)) * 0.5 + 0.7 * 0.5) * 255
    assert out[1, 0, 0] == np.rint(expected)


def test_rain_streaks_are_deterministic_and_only_with_a_seed():
    rgb = np.full((48, 64, 3), 60, dtype=np.uint8)
    depth = np.full((48, 64), 10.0, dtype=np.float32)
    rain = WeatherSpec(condition="rain", rain=True, rain_intensity=1.0, rain_streak_seed=123)
    a, _ = apply_weather(rgb, depth, K, rain)
    b, _ = apply_weather(rgb, depth, K, rain)
    assert np.array_equal(a, b) and not np.array_equal(a, rgb) and a.mean() > rgb.mean()
    unchanged, _ = apply_weather(rgb, depth, K, WeatherSpec(condition="rain", rain=True, rain_intensity=1.0))
    assert np.array_equal(unchanged, rgb)


def test_mean_per_instance():
    index = np.array([[0, 1], [1, 2]], dtype=np.int32)
    values = np.array([[0.0, 0.2], [0.4, 1.0]], dtype=np.float32)
    assert mean_per_instance(index, values) == {0: 0.0, 1: 0.3, 2: 1.0}


def test_snowflakes_are_deterministic_and_only_with_a_seed():
    rgb = np.full((48, 64, 3), 60, dtype=np.uint8)
    depth = np.full((48, 64), 10.0, dtype=np.float32)
    snow = WeatherSpec(condition="snow", snow=True, snow_cover=1.0, snowfall=1.0, snowflake_seed=5)
    a, _ = apply_weather(rgb, depth, K, snow)
    assert np.array_equal(a, apply_weather(rgb, depth, K, snow)[0]) and a.mean() > rgb.mean() + 2
    no_flakes = WeatherSpec(condition="snow", snow=True, snow_cover=1.0)
    assert np.array_equal(apply_weather(rgb, depth, K, no_flakes)[0], rgb)


def test_fog_is_dim_at_night():
    from simgen.imaging.atmosphere import fog_ambient
    from simgen.specs import LightingSpec

    def light(elevation):
        return LightingSpec(elevation, 0.0, 0.0, 0.5, 1.0, 3.0, 0.0)

    assert fog_ambient(light(30.0)) == 1.0 and fog_ambient(light(-20.0)) == pytest.approx(0.03)
    rgb = np.full((48, 64, 3), 10, dtype=np.uint8)
    sky = np.full((48, 64), np.inf, dtype=np.float32)
    day, _ = apply_weather(rgb, sky, K, _fog(100.0), light(30.0))
    night, _ = apply_weather(rgb, sky, K, _fog(100.0), light(-20.0))
    assert day.mean() > 200 and night.mean() < 60
