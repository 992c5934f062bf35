"""Motion sampler: the ego vehicle's and every road user's velocity at mid-exposure.

Pure: draws from the frame's "motion" stream only, one speed per moving object in the order
of `objects`, so the placement and materials streams never shift. Everything moves along its
own +x axis (every recipe faces +x, see `assets/recipes`), which the prop's yaw turns into the
world frame; the ego vehicle drives along the road (+y), whatever the camera's mounting yaw.
"""

from __future__ import annotations

import math

import numpy as np

from simgen.config.schema import MotionConfig
from simgen.specs import MotionSpec, PropSpec

VEHICLE_CATEGORIES = ("car", "truck", "bus", "motorcycle")
ANIMAL_CATEGORIES = ("deer", "dog")
PARKED_PREFIX = "parked_"
"""Props whose name starts with this (parked cars) stand still."""
PEDESTRIAN_SPEED_PARAM = "speed_m_s"
"""The pedestrian recipe parameter that sets its gait, and so its walking speed."""


def _speed_of(prop: PropSpec, cfg: MotionConfig, rng: np.random.Generator) -> float:
    """Speed along the prop's +x, m/s; draws from `rng` only for vehicles, cyclists and animals."""
    category = prop.category
    if category is None or prop.name.startswith(PARKED_PREFIX):
        return 0.0
    if category in VEHICLE_CATEGORIES:
        return float(cfg.vehicle_speed_m_s.sample(rng))
    if category == "cyclist":
        return float(cfg.cyclist_speed_m_s.sample(rng))
    if category in ANIMAL_CATEGORIES:
        return float(cfg.animal_speed_m_s.sample(rng))
    if category == "pedestrian":
        return float(prop.params.get(PEDESTRIAN_SPEED_PARAM, 0.0))
    return 0.0


def sample_motion(cfg: MotionConfig, objects: tuple[PropSpec, ...], rng: np.random.Generator) -> MotionSpec:
    """Velocities (world frame, m/s) of the ego vehicle and of the objects that move.

    Args:
        cfg: speed distributions.
        objects: the frame's placed props (traffic and obstacles), in spec order.
        rng: the frame's motion stream.
    """
    ego = (0.0, float(cfg.ego_speed_m_s.sample(rng)), 0.0)
    velocities: dict[str, tuple[float, float, float]] = {}
    for prop in objects:
        speed = _speed_of(prop, cfg, rng)
        if speed:
            yaw = math.radians(prop.yaw_deg)
            velocities[prop.name] = (speed * math.cos(yaw), speed * math.sin(yaw), 0.0)
    return MotionSpec(ego_velocity_m_s=ego, object_velocities_m_s=velocities)
