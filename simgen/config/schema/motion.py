"""The `motion` group: ego and object velocities and the shutter (`simgen/sampling/motion.py`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from simgen.config.fields import dist


@dataclass
class MotionConfig:
    """Speeds of the ego vehicle and of the road users (`simgen/sampling/motion.py`).

    Every object moves along its own +x (its facing direction) at its speed; parked cars,
    cones and inanimate obstacles stand still; pedestrians move at their asset's `speed_m_s`
    parameter (their gait follows it). Velocities are recorded per frame and blur the image
    when `sensor.shutter_s` > 0.
    """

    ego_speed_m_s: Any = dist({"uniform": [0.0, 14.0]}, 0.0, 90.0)
    vehicle_speed_m_s: Any = dist({"uniform": [0.0, 14.0]}, 0.0, 90.0)
    """cars, trucks, buses and motorcycles in the lanes, each drawn independently."""
    cyclist_speed_m_s: Any = dist({"uniform": [2.0, 7.0]}, 0.0, 30.0)
    animal_speed_m_s: Any = dist({"uniform": [0.0, 3.0]}, 0.0, 30.0)
    """deer and dogs among the rare obstacles."""
