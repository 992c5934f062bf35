"""Street-furniture recipes: `traffic_cone` and `pole` (pure numpy; buildings are in `building`,
trees in `vegetation`).

Object frame: metres, z up, origin at the centre of the ground footprint (z = 0 is the ground
contact), +x forward (a pole's lamp arm points along +x).
Builders take a complete, validated parameter mapping (see `simgen.catalog.prop_mesh.get_recipe`).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from simgen.geometry.mesh import MeshData, merge_meshes
from simgen.geometry.primitives import box_mesh, cylinder_mesh, tube_mesh

TRAFFIC_CONE_DEFAULTS: Mapping[str, float] = {"height_m": 0.7, "base_width_m": 0.38}
POLE_DEFAULTS: Mapping[str, float] = {"height_m": 8.0, "radius_m": 0.1, "has_arm": 1.0, "arm_length_m": 1.8}

_CONE_SEGMENTS = 16


def build_traffic_cone(params: Mapping[str, float]) -> MeshData:
    """Traffic cone: square base plate, orange cone body and a white reflective band.

    Params (metres): height_m (tip), base_width_m (square base side; x and y extent).
    Slots: cone_base, cone_orange, reflective_white.
    """
    height, base_width = params["height_m"], params["base_width_m"]
    base_height = min(0.04 * height, 0.03)
    if height <= 4 * base_height:
        raise ValueError(f"height_m={height} is too small for a traffic cone")
    bottom_radius, top_radius = 0.4 * base_width, 0.035 * base_width
    body_height = height - base_height

    def radius_at(z_m: float) -> float:
        return bottom_radius + (top_radius - bottom_radius) * (z_m - base_height) / body_height

    band_z = (base_height + 0.45 * body_height, base_height + 0.65 * body_height)
    band_center = (0.0, 0.0, sum(band_z) / 2)
    return merge_meshes([
        box_mesh((base_width, base_width, base_height), (0.0, 0.0, base_height / 2), "cone_base"),
        cylinder_mesh(bottom_radius, body_height, (0.0, 0.0, base_height + body_height / 2), "z",
                      _CONE_SEGMENTS, "cone_orange", top_radius_m=top_radius),
        cylinder_mesh(radius_at(band_z[0]) + 0.003, band_z[1] - band_z[0], band_center, "z", _CONE_SEGMENTS,
                      "reflective_white", top_radius_m=radius_at(band_z[1]) + 0.003),
    ])


def _lamp_arm(height_m: float, radius_m: float, arm_length_m: float) -> list[MeshData]:
    """Horizontal arm along +x near the pole top with a lamp housing under its end (metal)."""
    arm_z = height_m - 2.5 * radius_m
    arm_end = np.array([arm_length_m, 0.0, arm_z])
    housing = (min(0.6, 0.35 * arm_length_m), min(0.3, 0.18 * arm_length_m), min(0.12, 0.07 * arm_length_m))
    housing_center = arm_end - [housing[0] / 2, 0.0, 0.5 * radius_m + housing[2] / 2]
    return [tube_mesh((0.0, 0.0, arm_z), arm_end, 0.5 * radius_m, 8, "metal"),
            box_mesh(housing, housing_center, "metal")]


def build_pole(params: Mapping[str, float]) -> MeshData:
    """Street lamp / utility pole: slightly tapered metal shaft, optional lamp arm along +x.

    Params: height_m (top, metres), radius_m (shaft radius at the ground, metres), has_arm
    (>= 0.5: lamp arm, below: bare pole), arm_length_m (metres, from the pole axis). Slot: metal.
    """
    height, radius = params["height_m"], params["radius_m"]
    if height <= 10 * radius:
        raise ValueError(f"height_m={height} must exceed 10 x radius_m={radius}")
    parts = [cylinder_mesh(radius, height, (0.0, 0.0, height / 2), "z", 12, "metal", top_radius_m=0.7 * radius)]
    if params["has_arm"] >= 0.5:
        parts += _lamp_arm(height, radius, params["arm_length_m"])
    return merge_meshes(parts)
