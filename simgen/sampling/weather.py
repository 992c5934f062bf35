"""Weather sampler: cloudiness, fog, rain and snow, CARLA-like knobs recorded per frame.

All knobs are drawn every frame in a fixed order from the frame's weather stream, whether or
not their phenomenon is present, so one knob's distribution never shifts another's samples.
"""

from __future__ import annotations

import numpy as np

from simgen.config.schema import WeatherConfig
from simgen.specs import WeatherSpec

KOSCHMIEDER_CONTRAST = 3.912
"""-ln(0.02): meteorological visibility V is where contrast falls to 2 %, so beta = 3.912 / V."""


def sample_weather(cfg: WeatherConfig, rng: np.random.Generator) -> WeatherSpec:
    """Draw every weather knob of a frame."""
    cloudiness = float(cfg.cloudiness.sample(rng))
    fog = bool(rng.uniform() < float(cfg.fog_probability.sample(rng)))
    visibility = float(cfg.fog_visibility_m.sample(rng))
    fog_start = float(cfg.fog_start_m.sample(rng))
    fog_brightness = float(cfg.fog_brightness.sample(rng))
    rain = bool(rng.uniform() < float(cfg.rain_probability.sample(rng)))
    intensity = float(cfg.rain_intensity.sample(rng))
    puddles = float(cfg.puddle_coverage.sample(rng))
    puddle_offset = float(rng.uniform(0.0, 1000.0))
    streak_seed = int(rng.integers(1, 2**31 - 1))
    snow = bool(rng.uniform() < float(cfg.snow_probability.sample(rng)))
    snow_cover = float(cfg.snow_cover.sample(rng))
    snowfall = float(cfg.snowfall.sample(rng))
    flake_seed = int(rng.integers(1, 2**31 - 1))
    present = [name for name, on in (("rain", rain), ("snow", snow), ("fog", fog)) if on]
    return WeatherSpec(
        condition="+".join(present) or "clear",
        cloudiness=max(cloudiness, 0.7) if (rain or snow) else cloudiness,
        fog=fog, fog_mode=cfg.fog_mode, fog_visibility_m=visibility if fog else 0.0,
        fog_density_per_m=KOSCHMIEDER_CONTRAST / visibility if fog else 0.0,
        fog_start_m=fog_start if fog else 0.0, fog_brightness=fog_brightness if fog else 0.0,
        rain=rain, rain_intensity=intensity if rain else 0.0,
        road_wetness=min(1.0, 0.4 + 0.6 * intensity) if rain else 0.0,
        puddle_coverage=puddles if rain else 0.0, puddle_offset=puddle_offset if rain else 0.0,
        rain_streak_seed=streak_seed if rain and cfg.rain_streaks else 0,
        snow=snow, snow_cover=snow_cover if snow else 0.0, snowfall=snowfall if snow else 0.0,
        snowflake_seed=flake_seed if snow and snowfall > 0 else 0,
    )
