"""Smooth, connected body parts of the pedestrian: a lofted torso, swept limbs that bend without
visible joints, a head with nose and ears, and hair styles (pure numpy).

Object frame as in `people`: metres, z up, +x the facing direction, +y the person's left. Sizes
come from `body.Body`; a garment (`Outfit`) decides which bands of the swept parts are cloth and
which are skin. Selectors are floats in [0, 1] so a recipe stays a pure function of float
parameters; each maps to one of a few discrete styles by fixed thresholds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simgen.geometry.mesh import MeshData, transform_mesh
from simgen.geometry.primitives import sphere_mesh, sweep_mesh

from .body import HEAD_SCALE, Body
from .gait import clamp

BOTTOMS: tuple[tuple[str, float], ...] = (("trousers", 0.55), ("shorts", 0.72), ("skirt", 1.0))
"""(style, upper threshold of the `bottom_style` selector)."""
HAIR_STYLES: tuple[tuple[str, float], ...] = (("short", 0.4), ("long", 0.65), ("bun", 0.85), ("cropped", 1.0))
BAGS: tuple[tuple[str, float], ...] = (("none", 0.55), ("backpack", 0.8), ("shoulder_bag", 1.0))
COAT_FROM = 0.72  # `coat` selector at or above this: a coat over the top, down to mid-thigh
COAT_THICKNESS_PER_STATURE = (0.008, 0.02)
"""How far a coat stands off the body on each side (cloth and the air under it), over the
stature: from a light jacket at `COAT_FROM` (1.4 cm at 1.75 m) to a padded coat at a `coat`
selector of 1 (3.5 cm). It thickens the torso from the waist up and the sleeves, so a coat makes
the figure wider and deeper than the body under it."""
SHORT_SLEEVES_FROM = 0.65  # `sleeves` selector at or above this: short sleeves (never under a coat)

_TORSO_RINGS = (  # (height along the torso / torso length, depth / torso depth, width / hip width,
    #                 forward offset of the ring's centre / torso depth)
    (-0.24, 0.62, 0.55, -0.04), (-0.12, 0.95, 0.98, -0.12), (0.05, 1.0, 1.0, -0.05), (0.36, 0.9, 0.86, 0.06),
    (0.62, 1.05, None, 0.05), (0.86, 0.95, None, 0.0), (0.97, 0.7, None, 0.0), (1.04, 0.42, 0.36, 0.0),
)
"""The torso's side profile is the standing one: the buttocks reach further behind the hip
joints (0.14 m at 1.75 m) than the lower belly does in front (0.08 m), the lumbar curve hollows
the back at the waist and the chest stands forward of the shoulders."""
_WAIST_RING = 3  # bands below this ring belong to the bottom garment


def style_of(selector: float, table: tuple[tuple[str, float], ...]) -> str:
    """The style whose threshold band holds `selector` (clipped to [0, 1])."""
    value = clamp(selector, 0.0, 1.0)
    return next(name for name, upper in table if value <= upper)


@dataclass(frozen=True)
class Outfit:
    """The discrete style choices of one pedestrian (see the module doc for the selectors)."""

    bottom: str
    coat: bool
    short_sleeves: bool
    hair: str
    bag: str
    coat_weight: float = 0.0
    """0 (a light jacket) to 1 (a padded coat); meaningless without a coat."""

    @classmethod
    def of(cls, bottom_style: float, coat: float, sleeves: float, hair_style: float, bag: float) -> Outfit:
        """The styles the selectors pick; a coat has long sleeves, and the part of the `coat`
        selector above `COAT_FROM` sets its weight."""
        wears_coat = coat >= COAT_FROM
        weight = clamp((coat - COAT_FROM) / (1.0 - COAT_FROM), 0.0, 1.0) if wears_coat else 0.0
        return cls(style_of(bottom_style, BOTTOMS), wears_coat, sleeves >= SHORT_SLEEVES_FROM and not wears_coat,
                   style_of(hair_style, HAIR_STYLES), style_of(bag, BAGS), weight)

    def coat_thickness_m(self, stature_m: float) -> float:
        """The coat's stand-off from the body on each side, metres (0 without a coat)."""
        if not self.coat:
            return 0.0
        light, padded = COAT_THICKNESS_PER_STATURE
        return stature_m * (light + (padded - light) * self.coat_weight)


def torso_rings(body: Body, coat_thickness_m: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """(K, 3) ring centres and (K, 2) half-axes (depth, width) of the upright torso, hips at the
    origin, metres; shoulders as wide as the arms' inner sides so the arms join smoothly. A coat
    `coat_thickness_m` thick widens the rings from the waist to the shoulders by that much (the
    collar ring at the neck by half)."""
    top_half_width = 0.5 * body.shoulder_width_m - 0.9 * body.arm_radius_m
    centres, radii = [], []
    for height, depth, width, forward in _TORSO_RINGS:
        centres.append([forward * body.torso_depth_m, 0.0, height * body.torso_length_m])
        half_width = 0.5 * body.hip_width_m * width if width is not None else top_half_width
        if height > 1.0:
            half_width = max(half_width, 1.25 * body.neck_radius_m)
        radii.append([0.5 * body.torso_depth_m * depth, half_width])
    radii[4][1] = 0.94 * top_half_width
    radii[6][1] = 0.86 * top_half_width
    ease = np.zeros((len(radii), 1))
    ease[_WAIST_RING:] = coat_thickness_m
    ease[-1] = 0.5 * coat_thickness_m
    return np.array(centres), np.array(radii) + ease


def torso_part(body: Body, hip_center_m: np.ndarray, lean_deg: float, outfit: Outfit) -> MeshData:
    """The lofted torso (crotch to neck), leaning `lean_deg` forward about the hips; bands below
    the waist are the bottom garment's (clothing_bottom) unless a coat covers them."""
    centres, radii = torso_rings(body, outfit.coat_thickness_m(body.stature_m))
    below = "clothing_top" if outfit.coat else "clothing_bottom"
    bands = tuple(below if k < _WAIST_RING else "clothing_top" for k in range(len(centres) - 1))
    torso = sweep_mesh(centres, radii, bands, segments=14, side_m=(0.0, 1.0, 0.0), exponent=2.6)
    return transform_mesh(torso, hip_center_m, pitch_deg=lean_deg)


def leg_part(body: Body, hip_m: np.ndarray, knee_m: np.ndarray, ankle_m: np.ndarray, outfit: Outfit) -> MeshData:
    """One swept leg from inside the pelvis to the ankle: thigh, knee, calf bulge; cloth down to
    the hem of the bottom garment (trousers: the ankle; shorts: above the knee), skin below."""
    thigh, shin = knee_m - hip_m, ankle_m - knee_m
    points = [hip_m + [0.0, 0.0, 0.35 * body.thigh_radius_m], hip_m + 0.45 * thigh, knee_m - 0.12 * thigh,
              knee_m + 0.1 * shin, knee_m + 0.38 * shin, ankle_m - 0.1 * shin, ankle_m]
    r_thigh, r_knee, r_ankle = body.thigh_radius_m, body.knee_radius_m, body.ankle_radius_m
    radii = [[1.05 * r_thigh, 1.1 * r_thigh], [0.95 * r_thigh, 0.92 * r_thigh], [r_knee, r_knee],
             [r_knee, 0.95 * r_knee], [1.12 * r_knee, r_knee], [1.05 * r_ankle, r_ankle], [r_ankle, r_ankle]]
    if outfit.bottom == "trousers":
        bands = ("clothing_bottom",) * 6
        radii = [[1.08 * a, 1.08 * b] for a, b in radii]
    elif outfit.bottom == "shorts":
        bands = ("clothing_bottom", "clothing_bottom", "skin", "skin", "skin", "skin")
    else:  # a skirt hangs over bare legs (or tights: the skin slot's colour)
        bands = ("skin",) * 6
    return sweep_mesh(points, radii, bands, segments=10, side_m=(0.0, 1.0, 0.0))


def arm_part(body: Body, shoulder_m: np.ndarray, elbow_m: np.ndarray, wrist_m: np.ndarray,
             outfit: Outfit) -> MeshData:
    """One swept arm from inside the shoulder to the wrist; sleeves (clothing_top) to the wrist,
    or to mid upper arm with `short_sleeves`, skin below. A coat's sleeve stands off the arm by
    the coat's thickness (at the cuff by half)."""
    upper, fore = elbow_m - shoulder_m, wrist_m - elbow_m
    r = body.arm_radius_m
    points = [shoulder_m + [0.0, 0.0, 0.5 * r], shoulder_m + 0.5 * upper, elbow_m, elbow_m + 0.45 * fore, wrist_m]
    radii = np.array([[1.15 * r, 1.1 * r], [r, 0.95 * r], [0.9 * r, 0.85 * r], [0.88 * r, 0.8 * r],
                      [0.72 * r, 0.65 * r]])
    radii += outfit.coat_thickness_m(body.stature_m) * np.array([[1.0], [1.0], [1.0], [1.0], [0.5]])
    bands = ("clothing_top", "skin", "skin", "skin") if outfit.short_sleeves else ("clothing_top",) * 4
    return sweep_mesh(points, radii, bands, segments=8, side_m=(0.0, 1.0, 0.0))


def head_parts(body: Body, neck_base_m: np.ndarray, neck_tilt_deg: float, hair: str) -> list[MeshData]:
    """Neck, head ellipsoid with nose and ears (skin) and hair in one of `HAIR_STYLES` (hair).

    The hair's top is `_HEAD_TOP_PER_RADIUS` head radii above the neck top in every style, which
    `Body.of` relies on for children's proportions.
    """
    tilt = np.deg2rad(neck_tilt_deg)
    neck_top = neck_base_m + body.neck_length_m * np.array([np.sin(tilt), 0.0, np.cos(tilt)])
    r = body.head_radius_m
    centre = neck_top + [0.0, 0.0, 0.85 * r]
    neck = sweep_mesh([neck_base_m - [0.0, 0.0, 0.03 * body.stature_m], neck_top + [0.0, 0.0, 0.3 * r]],
                      [[body.neck_radius_m] * 2, [0.95 * body.neck_radius_m] * 2], ("skin",), segments=8)
    sx, sy, _ = HEAD_SCALE
    parts = [neck, sphere_mesh(r, centre, 8, 12, "skin", scale=HEAD_SCALE),
             sphere_mesh(0.2 * r, centre + [(sx - 0.07) * r, 0.0, -0.12 * r], 4, 6, "skin", scale=(0.9, 0.75, 1.3))]
    parts += [sphere_mesh(0.2 * r, centre + [-0.05 * r, side * (sy - 0.02) * r, -0.05 * r], 4, 6, "skin",
                          scale=(0.8, 0.5, 1.2)) for side in (1.0, -1.0)]
    cap_centre = centre + [-0.14 * r, 0.0, 0.14 * r]  # the hairline falls at about 0.8 r above the centre
    cx, cy = sx + 0.02, sy + 0.06  # the cap's semi-axes / r: about 1 cm of hair at the sides and back
    cap = sphere_mesh(r, cap_centre, 8, 12, "hair", scale=(cx, cy, 1.0))
    if hair == "cropped":
        cap = sphere_mesh(0.97 * r, cap_centre + [0.0, 0.0, 0.03 * r], 8, 12, "hair", scale=(cx + 0.01, cy + 0.01, 1.0))
    parts.append(cap)
    if hair == "long":  # a curtain down the back to the shoulders, a little wider than the cap
        parts.append(sweep_mesh([centre + [-0.45 * cx * r, 0.0, 0.3 * r], centre + [-0.55 * cx * r, 0.0, -0.9 * r],
                                 centre + [-0.5 * cx * r, 0.0, -1.9 * r]],
                                [[0.6 * cx * r, 1.01 * cy * r], [0.55 * cx * r, 1.07 * cy * r],
                                 [0.3 * cx * r, 0.95 * cy * r]], ("hair", "hair"), segments=8, exponent=2.4))
    elif hair == "bun":
        parts.append(sphere_mesh(0.42 * r, centre + [-1.05 * cx * r, 0.0, 0.3 * r], 4, 8, "hair"))
    return parts
