"""Human body proportions and body-part meshes shared by the person recipes (pure numpy).

Object frame as in `people`: metres, z up, +x the facing direction, +y the person's left.
Sizes are fractions of the standing height (stature); children (stature under about 1.6 m) get a
larger head relative to their height, paid for by shorter legs and torso.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from simgen.geometry.mesh import MeshData, transform_mesh
from simgen.geometry.primitives import box_mesh, sphere_mesh

from .gait import clamp

_ADULT_FRACTIONS: Mapping[str, float] = {
    "head_radius_m": 0.065, "neck_length_m": 0.035, "neck_radius_m": 0.028, "torso_length_m": 0.30,
    "torso_depth_m": 0.135, "hip_width_m": 0.17, "arm_radius_m": 0.026, "upper_arm_length_m": 0.18,
    "forearm_length_m": 0.15, "hand_radius_m": 0.024, "thigh_radius_m": 0.042, "knee_radius_m": 0.032,
    "ankle_radius_m": 0.024, "hip_y_m": 0.045, "thigh_length_m": 0.245, "shin_length_m": 0.235,
    "shoe_length_m": 0.15, "shoe_width_m": 0.058, "shoe_height_m": 0.04,
}
# torso_depth_m: the chest ring (1.05x, `figure._TORSO_RINGS`) of a 1.75 m adult is 0.25 m deep,
# as measured chest depths are (adult means about 0.23-0.25 m).
_ADULT_STATURE_M = 1.6  # from here up the proportions are the adult ones
_CHILD_STATURE_M = 1.0  # ... and from here down the child's (head 1.35x the adult fraction)
_CHILD_HEAD_GAIN = 0.35
_HEAD_TOP_PER_RADIUS = 1.99  # neck top to hair top, in head radii (see `figure.head_parts`)


@dataclass(frozen=True)
class Body:
    """Body-part sizes in metres; build with `Body.of`."""

    stature_m: float
    shoulder_width_m: float
    head_radius_m: float
    neck_length_m: float
    neck_radius_m: float
    torso_length_m: float
    torso_depth_m: float
    hip_width_m: float
    arm_radius_m: float
    upper_arm_length_m: float
    forearm_length_m: float
    hand_radius_m: float
    thigh_radius_m: float
    knee_radius_m: float
    ankle_radius_m: float
    hip_y_m: float
    thigh_length_m: float
    shin_length_m: float
    shoe_length_m: float
    shoe_width_m: float
    shoe_height_m: float

    @classmethod
    def of(cls, stature_m: float, shoulder_width_m: float, proportions_stature_m: float | None = None) -> Body:
        """A body of standing height `stature_m` and shoulder width (arms included) `shoulder_width_m`.

        Proportions follow `proportions_stature_m` (default `stature_m`): below 1.6 m the head
        grows relative to the height (1.35x at 1.0 m) and legs and torso shorten to make room.
        """
        youth = clamp((_ADULT_STATURE_M - (proportions_stature_m or stature_m))
                      / (_ADULT_STATURE_M - _CHILD_STATURE_M), 0.0, 1.0)
        fractions = dict(_ADULT_FRACTIONS)
        head_gain = _CHILD_HEAD_GAIN * youth
        extra = _HEAD_TOP_PER_RADIUS * fractions["head_radius_m"] * head_gain
        fractions["head_radius_m"] *= 1.0 + head_gain
        legs = fractions["thigh_length_m"] + fractions["shin_length_m"]
        for key in ("thigh_length_m", "shin_length_m"):
            fractions[key] *= 1.0 - 0.6 * extra / legs
        fractions["torso_length_m"] -= 0.4 * extra
        sizes = {name: fraction * stature_m for name, fraction in fractions.items()}
        return cls(stature_m=stature_m, shoulder_width_m=shoulder_width_m, **sizes)

    @property
    def leg_length_m(self) -> float:
        """Hip joint to ankle, metres."""
        return self.thigh_length_m + self.shin_length_m

    @property
    def shoulder_y_m(self) -> float:
        """|y| of each shoulder joint, so the arms' outer sides are at +-shoulder_width/2."""
        return 0.5 * self.shoulder_width_m - self.arm_radius_m


def segment_direction(angle_deg: float) -> np.ndarray:
    """(3,) unit vector of a limb segment hanging `angle_deg` from straight down, + towards +x."""
    angle = np.deg2rad(angle_deg)
    return np.array([np.sin(angle), 0.0, -np.cos(angle)])


def _neck_top(body: Body, neck_base_m: np.ndarray, neck_tilt_deg: float) -> np.ndarray:
    tilt = np.deg2rad(neck_tilt_deg)
    return neck_base_m + body.neck_length_m * np.array([np.sin(tilt), 0.0, np.cos(tilt)])


def head_center(body: Body, neck_base_m: np.ndarray, neck_tilt_deg: float) -> np.ndarray:
    """(3,) centre of the head ellipsoid of `head_parts`, metres."""
    return _neck_top(body, neck_base_m, neck_tilt_deg) + [0.0, 0.0, 0.85 * body.head_radius_m]


HEAD_SCALE = (0.86, 0.70, 1.0)
"""The head ellipsoid's semi-axes over the head radius r: (front-back, side-side, up-down).

With r = 0.065 x stature a 1.75 m adult's skull is 0.23 m tall (vertex to below the chin),
0.196 m front to back and 0.159 m wide, as measured heads are (adult means: head length about
0.19-0.20 m, breadth 0.145-0.155 m); the hair adds about 1 cm at the sides and back."""
_FACE_DIRECTIONS_DEG = {"nose": (0.0, -8.0), "left_eye": (28.0, 14.0), "right_eye": (-28.0, 14.0),
                        "left_ear": (95.0, 2.0), "right_ear": (-95.0, 2.0)}
"""(azimuth from +x towards +y, elevation) of each face point, degrees, seen from the head centre."""


def face_points(body: Body, center_m: np.ndarray) -> dict[str, np.ndarray]:
    """Nose, eyes and ears on the head ellipsoid centred at `center_m`: name -> (3,) metres.

    Each point is where the direction in `_FACE_DIRECTIONS_DEG` leaves the analytic ellipsoid
    (the mesh is a low-poly sphere inscribed in it, so a point lies at most a few millimetres
    in front of the rendered surface).
    """
    points = {}
    for name, (azimuth_deg, elevation_deg) in _FACE_DIRECTIONS_DEG.items():
        az, el = np.deg2rad(azimuth_deg), np.deg2rad(elevation_deg)
        direction = np.array([np.cos(el) * np.cos(az), np.cos(el) * np.sin(az), np.sin(el)])
        # The ray centre + t d meets (x / sx)^2 + (y / sy)^2 + (z / sz)^2 = r^2 at t = r / |d / s|.
        reach = body.head_radius_m / np.linalg.norm(direction / np.array(HEAD_SCALE))
        points[name] = center_m + reach * direction
    return points


def shoulder_center(body: Body, hip_center_m: np.ndarray, lean_deg: float) -> np.ndarray:
    """(3,) top centre of the torso leaning `lean_deg` forward about `hip_center_m`, metres."""
    lean = np.deg2rad(lean_deg)
    return hip_center_m + body.torso_length_m * np.array([np.sin(lean), 0.0, np.cos(lean)])


def shoe_part(body: Body, ankle_m: np.ndarray, pitch_up_deg: float) -> MeshData:
    """Shoe box (shoes) under the ankle, toes forward, tipped `pitch_up_deg` toes up about the ankle.

    Its top reaches 10% of its height above the ankle so it overlaps the shin's end.
    """
    size = (body.shoe_length_m, body.shoe_width_m, body.shoe_height_m)
    shoe = box_mesh(size, (0.3 * body.shoe_length_m, 0.0, -0.4 * body.shoe_height_m), "shoes")
    return transform_mesh(shoe, ankle_m, pitch_deg=-pitch_up_deg)  # a positive pitch tips +x down


def hand_part(body: Body, wrist_m: np.ndarray, forearm_angle_deg: float) -> MeshData:
    """Hand ellipsoid (skin) continuing the forearm beyond `wrist_m`."""
    hand = sphere_mesh(body.hand_radius_m, (0.0, 0.0, -0.6 * body.hand_radius_m), 4, 8, "skin",
                       scale=(1.0, 0.8, 1.4))
    return transform_mesh(hand, wrist_m, pitch_deg=-forearm_angle_deg)  # takes -z onto the forearm's direction


def two_bone_joint(root_m: np.ndarray, end_m: np.ndarray, first_m: float, second_m: float,
                   bend_direction: np.ndarray) -> np.ndarray:
    """Middle joint (knee, elbow) of a two-segment limb from root to end, bending towards
    `bend_direction` ((3,) vector, need not be unit); clamps the reach to what the segments allow."""
    offset = end_m - root_m
    distance = float(np.linalg.norm(offset))
    axis = offset / distance
    reach = clamp(distance, abs(first_m - second_m) + 1e-6, first_m + second_m - 1e-6)
    along = (first_m**2 - second_m**2 + reach**2) / (2 * reach)
    bend = bend_direction - axis * float(np.dot(bend_direction, axis))
    bend /= np.linalg.norm(bend)
    return root_m + along * axis + np.sqrt(max(first_m**2 - along**2, 0.0)) * bend
