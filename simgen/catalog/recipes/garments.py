"""Garments that hang over the pedestrian's legs (skirt, coat skirt) and bags (pure numpy).

Object frame as in `people`: metres, z up, +x the facing direction, +y the person's left.
They hang vertically from the hips (they do not lean with the torso) and flare towards the hem,
so a striding leg may show through the front or back, as with a real open coat.
"""

from __future__ import annotations

import numpy as np

from simgen.geometry.mesh import MeshData, rotation_matrix_xyz, transform_mesh
from simgen.geometry.primitives import sweep_mesh

from .body import Body
from .figure import Outfit, torso_rings


def hanging_garment(body: Body, hip_center_m: np.ndarray, lean_deg: float, hem_drop_m: float, flare: float,
                    material: str, thickness_m: float = 0.0) -> MeshData:
    """A flared tube from the waist down to `hem_drop_m` below the hip joints, metres.

    It starts just outside the torso's waist ring (leaning with the torso; a coat's ring is
    `thickness_m` thicker, as `figure.torso_rings` makes it), stands `thickness_m` further off
    the hips and widens by the factor `flare` at the hem.
    """
    centres, radii = torso_rings(body, thickness_m)
    waist = hip_center_m + rotation_matrix_xyz(0.0, lean_deg, 0.0) @ centres[3]  # the waist ring leans with the torso
    hips = hip_center_m + [centres[1][0], 0.0, -0.08 * body.torso_length_m]
    hem = hip_center_m + [centres[1][0], 0.0, -hem_drop_m]
    hip_radii = 1.12 * radii[1] + thickness_m
    points = [waist, hips, 0.5 * (hips + hem), hem]
    ring_radii = [1.06 * radii[3], hip_radii, hip_radii * (1.0 + 0.5 * (flare - 1.0)), hip_radii * flare]
    return sweep_mesh(points, ring_radii, (material,) * 3, segments=14, exponent=2.3)


def outer_garments(body: Body, hip_center_m: np.ndarray, lean_deg: float, outfit: Outfit) -> list[MeshData]:
    """The skirt (clothing_bottom, to just above the knee) and/or the coat skirt (clothing_top,
    to mid-thigh) of `outfit`."""
    parts = []
    if outfit.bottom == "skirt":
        parts.append(hanging_garment(body, hip_center_m, lean_deg, 0.82 * body.thigh_length_m, 1.3,
                                     "clothing_bottom"))
    if outfit.coat:
        parts.append(hanging_garment(body, hip_center_m, lean_deg, 0.55 * body.thigh_length_m, 1.18, "clothing_top",
                                     outfit.coat_thickness_m(body.stature_m)))
    return parts


def bag_parts(body: Body, hip_center_m: np.ndarray, lean_deg: float, outfit: Outfit) -> list[MeshData]:
    """A backpack on the back, or a shoulder bag at the right hip with its strap over the left
    shoulder (fabric), worn over the coat if there is one; nothing for 'none'. Built in the
    torso's frame and leaned with it."""
    bag = outfit.bag
    if bag == "none":
        return []
    length = body.torso_length_m
    thickness = outfit.coat_thickness_m(body.stature_m)
    half_depth = 0.5 * body.torso_depth_m + thickness
    if bag == "backpack":
        depth, width, height = 0.45 * body.torso_depth_m, 0.78 * body.hip_width_m, 0.62 * length
        back = -(half_depth + 0.45 * depth)
        pack = sweep_mesh([[back, 0.0, 0.3 * length], [back - 0.1 * depth, 0.0, 0.3 * length + height]],
                          [[0.5 * depth, 0.5 * width], [0.42 * depth, 0.46 * width]], ("fabric",), segments=12,
                          exponent=3.5)
        straps = [sweep_mesh([[back + 0.3 * depth, side * 0.3 * width, 0.95 * length],
                              [0.6 * half_depth, side * 0.3 * width, 0.85 * length],
                              [0.8 * half_depth, side * 0.32 * width, 0.55 * length]],
                             [[0.012 * length, 0.06 * length]] * 3, ("fabric", "fabric"), segments=6)
                  for side in (1.0, -1.0)]
        parts = [pack, *straps]
    else:
        side_y = -(0.5 * body.hip_width_m + 0.03 * length + thickness)
        bag_mesh = sweep_mesh([[0.0, side_y, -0.15 * length], [0.0, side_y, 0.12 * length]],
                              [[0.2 * length, 0.06 * length], [0.19 * length, 0.05 * length]], ("fabric",),
                              segments=10, exponent=3.5)
        strap = sweep_mesh([[0.0, side_y, 0.12 * length], [0.7 * half_depth, -0.1 * body.hip_width_m, 0.6 * length],
                            [0.0, 0.35 * body.shoulder_width_m, 1.02 * length + thickness]],
                           [[0.012 * length, 0.05 * length]] * 3, ("fabric", "fabric"), segments=6,
                           side_m=(1.0, 0.0, 0.0))
        parts = [bag_mesh, strap]
    return [transform_mesh(part, hip_center_m, pitch_deg=lean_deg) for part in parts]
