"""`simgen.blender.irradiance` (behind bench/sky_irradiance.py): the sun render gives the analytic
horizontal irradiance strength x sin(elevation), and the sky's irradiance is proportional to
`sky_strength`, which the docs' sun/sky table rests on."""

from __future__ import annotations

import math

import pytest

pytestmark = pytest.mark.blender


def test_sun_is_analytic_and_sky_scales_with_its_strength(tmp_path):
    from simgen.blender.irradiance import horizontal_irradiance

    e_sun, e_sky_1 = horizontal_irradiance(30.0, 3.0, 1.0, size_px=6, samples=64, work=tmp_path)
    _, e_sky_2 = horizontal_irradiance(30.0, 3.0, 2.0, size_px=6, samples=64, work=tmp_path)
    assert e_sun == pytest.approx(math.sin(math.radians(30.0)), rel=0.02)
    assert e_sky_1 > 0.0
    assert e_sky_2 / e_sky_1 == pytest.approx(2.0, rel=0.05)
