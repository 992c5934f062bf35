"""Lighting sampler: sun and sky."""

from __future__ import annotations

import numpy as np

from simgen.config.schema import LightingConfig
from simgen.specs import LightingSpec


def sample_lighting(cfg: LightingConfig, rng: np.random.Generator) -> LightingSpec:
    """Draw sun direction and strength, sky strength and turbidity, exposure."""
    return LightingSpec(
        sun_elevation_deg=float(cfg.sun_elevation_deg.sample(rng)),
        sun_azimuth_deg=float(cfg.sun_azimuth_deg.sample(rng)) % 360.0,
        sun_strength_w_m2=float(cfg.sun_strength_w_m2.sample(rng)),
        sun_angle_deg=float(cfg.sun_angle_deg.sample(rng)),
        sky_strength=float(cfg.sky_strength.sample(rng)),
        sky_turbidity=float(cfg.sky_turbidity.sample(rng)),
        exposure_ev=float(cfg.exposure_ev.sample(rng)),
    )
