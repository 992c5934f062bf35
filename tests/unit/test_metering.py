"""Metered auto-exposure (`simgen.render.exposure`) and its config fields."""

from __future__ import annotations

import numpy as np
import pytest

from simgen.config.compose import compose_config
from simgen.config.load import load_config
from simgen.errors import ConfigError
from simgen.render.exposure import luminance, meter
from simgen.sampling.lighting import sample_lighting
from simgen.specs import spec_dict


def test_meter_brings_the_median_to_the_target_and_adds_the_compensation():
    lum = np.full((4, 6), 0.045)
    lum[0] = 50.0  # a bright sky row does not move the median
    exposure = meter(lum, 0.18, -4.0, 4.0, compensation_ev=-0.5)
    assert exposure.median_luminance == pytest.approx(0.045)
    assert exposure.metered_ev == pytest.approx(2.0) and not exposure.clamped
    assert exposure.view_exposure_ev == pytest.approx(1.5)


@pytest.mark.parametrize("level, clamp_ev", [(1e-5, 3.0), (0.0, 3.0), (40.0, -2.0)])
def test_the_gain_is_clamped(level, clamp_ev):
    exposure = meter(np.full((3, 3), level), 0.18, -2.0, 3.0)
    assert exposure.clamped and exposure.metered_ev == clamp_ev


def test_luminance_uses_rec709_weights():
    rgb = np.zeros((1, 3, 3))
    rgb[0, 0, 0] = rgb[0, 1, 1] = rgb[0, 2, 2] = 1.0
    assert luminance(rgb)[0].tolist() == pytest.approx([0.2126, 0.7152, 0.0722])


def test_the_record_entry_is_rounded_and_complete():
    entry = meter(np.full((2, 2), 0.09), 0.18, -4.0, 4.0, 0.25).record()
    assert entry == {"mode": "metered", "median_luminance": 0.09, "metered_ev": 1.0, "compensation_ev": 0.25,
                     "view_exposure_ev": 1.25, "clamped": False}


def test_the_schema_default_is_fixed_and_the_spec_records_nothing_new():
    cfg = load_config({})
    assert cfg.lighting.exposure_mode == "fixed" and cfg.lighting.metering_target == 0.18
    spec = sample_lighting(cfg.lighting, np.random.default_rng(0))
    assert spec.exposure_mode == "fixed"
    assert not {"exposure_mode", "metering_target", "metering_min_ev", "metering_max_ev"} & set(spec_dict(spec))


def test_metered_fields_reach_the_spec_without_changing_the_draws():
    fixed = load_config({}).lighting
    metered = load_config({"lighting": {"exposure_mode": "metered", "metering_max_ev": 5.0}}).lighting
    a, b = (sample_lighting(c, np.random.default_rng(4)) for c in (fixed, metered))
    assert b.exposure_mode == "metered" and b.metering_max_ev == 5.0
    assert a.exposure_ev == b.exposure_ev and a.sun_elevation_deg == b.sun_elevation_deg
    assert spec_dict(b)["exposure_mode"] == "metered"


@pytest.mark.parametrize("scenario, max_ev", [("urban_day", 6.0), ("intersection_dusk", 6.0),
                                              ("urban_night_rain", 3.0)])
def test_the_lighting_presets_meter(scenario, max_ev):
    lighting = compose_config([f"scenario={scenario}"]).lighting
    assert lighting.exposure_mode == "metered" and lighting.metering_max_ev == max_ev


@pytest.mark.parametrize("field, value", [("exposure_mode", "auto"), ("metering_target", 0.0),
                                          ("metering_min_ev", 0.5), ("metering_max_ev", -1.0),
                                          ("metering_max_ev", 20.0)])
def test_bad_metering_values_name_the_field(field, value):
    with pytest.raises(ConfigError, match=f"lighting.{field}"):
        load_config({"lighting": {field: value}})
