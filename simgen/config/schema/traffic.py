"""The `traffic` group: cars, pedestrians, cyclists and cones on the street (`simgen/sampling/traffic.py`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from simgen.config.fields import bounded, dist


@dataclass
class TrafficConfig:
    """How many road users of each kind, and where in front of the camera they may stand."""

    cars: Any = dist({"int_range": [3, 8]}, 0, 10000, integer=True)
    pedestrians: Any = dist({"int_range": [2, 6]}, 0, 10000, integer=True)
    cyclists: Any = dist({"int_range": [0, 2]}, 0, 10000, integer=True)
    traffic_cones: Any = dist({"int_range": [0, 4]}, 0, 10000, integer=True)
    trucks: Any = dist(0, 0, 10000, integer=True)
    buses: Any = dist(0, 0, 10000, integer=True)
    motorcycles: Any = dist(0, 0, 10000, integer=True)
    parked_cars: Any = dist(0, 0, 10000, integer=True)
    """Cars parked along the curb in the layout's parking strips (named parked_car_NNN,
    category car), placed after every other kind. An upper bound: when the curb is full, the
    rest are left out (no PlacementError)."""
    min_distance_m: float = bounded(6.0, 0.0, 1000.0)
    max_distance_m: float = bounded(60.0, 1.0, 2000.0)
    clearance_m: float = bounded(0.3, 0.0, 10.0)
    attempts_per_object: int = bounded(50, 1, 10000)
