"""The `layout` group: the street's cross-section, buildings, furniture and vegetation (`simgen/sampling/layouts/`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from simgen.config.fields import dist, one_of


@dataclass
class LayoutConfig:
    """Which scene layout from `simgen/sampling/layouts/` builds the static street, and its dimensions."""

    name: str = one_of("urban_street", "urban_street", "intersection", "highway", "rural_road")
    lanes_per_direction: Any = dist({"int_range": [1, 2]}, 1, 6, integer=True)
    lane_width_m: Any = dist({"uniform": [3.0, 3.6]}, 2.0, 6.0)
    sidewalk_width_m: Any = dist({"uniform": [2.0, 4.0]}, 0.5, 15.0)
    curb_height_m: Any = dist(0.15, 0.0, 0.5)
    road_length_m: Any = dist(160.0, 30.0, 2000.0)
    building_height_m: Any = dist({"uniform": [6.0, 30.0]}, 2.0, 300.0)
    building_length_m: Any = dist({"uniform": [10.0, 30.0]}, 3.0, 200.0)
    building_setback_m: Any = dist({"uniform": [0.0, 2.0]}, 0.0, 50.0)
    pole_spacing_m: Any = dist({"uniform": [15.0, 30.0]}, 2.0, 500.0)
    tree_probability: Any = dist(0.5, 0.0, 1.0)
    intersection_distance_m: Any = dist({"uniform": [25.0, 45.0]}, 10.0, 500.0)
    """intersection only: distance from the camera to the cross street's centre line."""
    parking_width_m: Any = dist(0.0, 0.0, 5.0)
    """urban_street, intersection: a parking strip this wide between the outer lane and each
    curb (0 = none); `traffic.parked_cars` are placed in it."""
    sign_spacing_m: Any = dist({"uniform": [30.0, 60.0]}, 2.0, 1000.0)
    """Distance between roadside sign slots along each side (urban, rural, highway)."""
    sign_probability: Any = dist(0.6, 0.0, 1.0)
    """Chance that a sign slot holds a sign (round, warning, speed-limit or priority)."""
    furniture_spacing_m: Any = dist({"uniform": [8.0, 20.0]}, 1.0, 500.0)
    """Distance between slots of each kind of sidewalk or roadside furniture along each side."""
    bin_probability: Any = dist(0.4, 0.0, 1.0)
    """Chance that a slot holds a trash bin (wheelie or litter bin) at the kerb side of the sidewalk."""
    bench_probability: Any = dist(0.2, 0.0, 1.0)
    """Chance that a slot holds a bench at the building side of the sidewalk, facing the road."""
    bollard_probability: Any = dist(0.2, 0.0, 1.0)
    """Chance that a slot holds a run of 2-4 bollards along the kerb."""
    hydrant_probability: Any = dist(0.15, 0.0, 1.0)
    """Chance that a slot holds a fire hydrant near the kerb."""
    delineator_probability: Any = dist(0.0, 0.0, 1.0)
    """rural_road: chance that a slot holds a delineator post at the edge of the verge."""
    vegetation_spacing_m: Any = dist({"uniform": [10.0, 25.0]}, 1.0, 500.0)
    """Distance between the slots of the hedge row and of the bush row along each side."""
    hedge_probability: Any = dist(0.2, 0.0, 1.0)
    """Chance that a slot holds a hedge (2.5-8 m long) at the building or field side."""
    bush_probability: Any = dist(0.3, 0.0, 1.0)
    """Chance that a slot holds a group of 1-3 bushes at the building or field side."""
    verge_probability: Any = dist(0.4, 0.0, 1.0)
    """urban_street, intersection: chance that a side of the street has a grass verge between
    its kerb and its footpath (`simgen.sampling.verge`)."""
    verge_width_m: Any = dist({"uniform": [0.6, 1.8]}, 0.2, 10.0)
    """Width of a side's grass verge, metres; at most the sidewalk less its kerb and 1.2 m of footpath."""
    manhole_spacing_m: Any = dist({"uniform": [20.0, 50.0]}, 2.0, 1000.0)
    """urban_street: distance between manhole covers along the road (each in a random lane)."""
    drain_spacing_m: Any = dist({"uniform": [15.0, 35.0]}, 2.0, 1000.0)
    """urban_street: distance between drain grates in the gutter along each kerb."""
    traffic_light_probability: Any = dist(0.85, 0.0, 1.0)
    """intersection: chance that the junction is signalised (a traffic light on every corner)."""
    stop_sign_probability: Any = dist(1.0, 0.0, 1.0)
    """intersection, when not signalised: chance of a stop sign on each approach."""
