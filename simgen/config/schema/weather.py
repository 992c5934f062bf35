"""The `weather` group: fog, rain, snow and cloudiness (`simgen/sampling/weather.py`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from simgen.config.fields import dist, one_of


@dataclass
class WeatherConfig:
    """CARLA-like weather knobs (`simgen/sampling/weather.py`). Each phenomenon (fog, rain,
    snow) is present in a frame with its probability; its knobs are drawn every frame anyway."""

    cloudiness: Any = dist({"uniform": [0.0, 0.3]}, 0.0, 1.0)
    fog_probability: Any = dist(0.0, 0.0, 1.0)
    fog_mode: str = one_of("depth", "depth", "volumetric")
    fog_visibility_m: Any = dist({"uniform": [60.0, 300.0]}, 5.0, 100000.0)
    """Meteorological visibility (contrast falls to 2 %): extinction beta = 3.912 / visibility."""
    fog_start_m: Any = dist(0.0, 0.0, 1000.0)
    fog_brightness: Any = dist({"uniform": [0.55, 0.8]}, 0.0, 1.0)
    """Display-linear grey level of the fog (airlight) colour."""
    rain_probability: Any = dist(0.0, 0.0, 1.0)
    rain_intensity: Any = dist({"uniform": [0.3, 1.0]}, 0.0, 1.0)
    puddle_coverage: Any = dist({"uniform": [0.1, 0.5]}, 0.0, 1.0)
    rain_streaks: bool = True
    snow_probability: Any = dist(0.0, 0.0, 1.0)
    snow_cover: Any = dist({"uniform": [0.4, 1.0]}, 0.0, 1.0)
    snowfall: Any = dist({"uniform": [0.2, 1.0]}, 0.0, 1.0)
    """Density of falling flakes drawn on the RGB (0 = none)."""
