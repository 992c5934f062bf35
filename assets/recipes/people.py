"""Person recipes: a walking `pedestrian` and a `cyclist` (rider seated on a bicycle), pure numpy.

Object frame: metres, z up, origin at the centre of the ground footprint (z = 0 is where the feet,
or the bicycle's tyres, touch the ground), +x is the direction the person faces / rides.
Body parts are sized as fractions of the standing height (stature). Builders take a complete,
validated parameter mapping (see `assets.recipes.get_recipe`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from simgen.meshes import MeshData, box_mesh, cylinder_mesh, merge_meshes, sphere_mesh, transform_mesh, tube_mesh

from .vehicles import SADDLE_HEIGHT_FRACTION, BicycleRig, bicycle_rig

PEDESTRIAN_DEFAULTS: Mapping[str, float] = {"height_m": 1.75, "shoulder_width_m": 0.45, "stride_deg": 20.0}
CYCLIST_DEFAULTS: Mapping[str, float] = {"height_m": 1.75, "bike_length_m": 1.75}

_MAX_STRIDE_DEG = 45.0
_CYCLIST_LEAN_DEG = 40.0
_BAR_PER_STATURE = 0.6  # handlebar height / rider stature: the bike's frame is sized to its rider
_STATURE_RANGE_M = (0.9, 2.3)


_BODY_FRACTIONS: Mapping[str, float] = {
    "head_radius_m": 0.065, "neck_length_m": 0.035, "neck_radius_m": 0.028, "torso_length_m": 0.30,
    "torso_depth_m": 0.12, "hip_width_m": 0.17, "arm_radius_m": 0.026, "arm_length_m": 0.33,
    "hand_radius_m": 0.024, "thigh_radius_m": 0.042, "ankle_radius_m": 0.024, "hip_y_m": 0.045,
    "thigh_length_m": 0.245, "shin_length_m": 0.235, "shoe_length_m": 0.15, "shoe_width_m": 0.058,
    "shoe_height_m": 0.04,
}


@dataclass(frozen=True)
class _Body:
    """Body-part sizes in metres; build with `_Body.of` (fractions of the standing height)."""

    stature_m: float
    shoulder_width_m: float
    head_radius_m: float
    neck_length_m: float
    neck_radius_m: float
    torso_length_m: float
    torso_depth_m: float
    hip_width_m: float
    arm_radius_m: float
    arm_length_m: float
    hand_radius_m: float
    thigh_radius_m: float
    ankle_radius_m: float
    hip_y_m: float
    thigh_length_m: float
    shin_length_m: float
    shoe_length_m: float
    shoe_width_m: float
    shoe_height_m: float

    @classmethod
    def of(cls, stature_m: float, shoulder_width_m: float) -> _Body:
        """A body of standing height `stature_m` and shoulder width (arms included) `shoulder_width_m`."""
        sizes = {name: fraction * stature_m for name, fraction in _BODY_FRACTIONS.items()}
        return cls(stature_m=stature_m, shoulder_width_m=shoulder_width_m, **sizes)

    @property
    def leg_length_m(self) -> float:
        """Hip joint to ankle, metres."""
        return self.thigh_length_m + self.shin_length_m

    @property
    def shoulder_y_m(self) -> float:
        """|y| of each shoulder joint, so the hanging arms' outer sides are at +-shoulder_width/2."""
        return 0.5 * self.shoulder_width_m - self.arm_radius_m


def _head(body: _Body, neck_base_m: np.ndarray, neck_tilt_deg: float) -> list[MeshData]:
    """Neck (skin, tilted forward by `neck_tilt_deg`), head ellipsoid (skin) and hair cap (hair)."""
    tilt = np.deg2rad(neck_tilt_deg)
    neck_top = neck_base_m + body.neck_length_m * np.array([np.sin(tilt), 0.0, np.cos(tilt)])
    radius = body.head_radius_m
    center = neck_top + [0.0, 0.0, 0.85 * radius]
    return [tube_mesh(neck_base_m - [0.0, 0.0, 0.02 * body.stature_m], neck_top, body.neck_radius_m, 8, "skin"),
            sphere_mesh(radius, center, 6, 10, "skin", scale=(1.0, 0.85, 1.0)),
            sphere_mesh(radius, center + [-0.2 * radius, 0.0, 0.14 * radius], 6, 10, "hair", scale=(1.0, 0.89, 1.0))]


def _torso(body: _Body, hip_center_m: np.ndarray, lean_deg: float) -> MeshData:
    """Torso box (clothing_top) from the hips up, wider at the shoulders, leaning forward by `lean_deg`."""
    top_width = body.shoulder_width_m - 3.2 * body.arm_radius_m
    torso = box_mesh((body.torso_depth_m, body.hip_width_m, body.torso_length_m), (0.0, 0.0, body.torso_length_m / 2),
                     "clothing_top", top_scale=(1.0, top_width / body.hip_width_m))
    return transform_mesh(torso, hip_center_m, pitch_deg=lean_deg)


def _shoulder_center(body: _Body, hip_center_m: np.ndarray, lean_deg: float) -> np.ndarray:
    lean = np.deg2rad(lean_deg)
    return hip_center_m + body.torso_length_m * np.array([np.sin(lean), 0.0, np.cos(lean)])


def _hanging_arm(body: _Body, shoulder_m: np.ndarray, swing_deg: float) -> list[MeshData]:
    """Straight arm (clothing_top) and hand (skin) hanging from `shoulder_m`, swung about y."""
    length = body.arm_length_m
    arm = cylinder_mesh(0.8 * body.arm_radius_m, length, (0.0, 0.0, -length / 2), "z", 8, "clothing_top",
                        top_radius_m=body.arm_radius_m)
    hand = sphere_mesh(body.hand_radius_m, (0.0, 0.0, -length - 0.6 * body.hand_radius_m), 4, 8, "skin",
                       scale=(1.0, 0.8, 1.4))
    return [transform_mesh(part, shoulder_m, pitch_deg=swing_deg) for part in (arm, hand)]


def _swung_leg(body: _Body, hip_m: np.ndarray, swing_deg: float) -> list[MeshData]:
    """Straight leg (clothing_bottom) with its shoe (shoes) hanging from `hip_m`, swung about y.

    A negative `swing_deg` moves the foot forward (+x).
    """
    length = body.leg_length_m
    leg = cylinder_mesh(body.ankle_radius_m, length, (0.0, 0.0, -length / 2), "z", 8, "clothing_bottom",
                        top_radius_m=body.thigh_radius_m)
    shoe_size = (body.shoe_length_m, body.shoe_width_m, body.shoe_height_m)
    shoe = box_mesh(shoe_size, (0.3 * body.shoe_length_m, 0.0, -length - body.shoe_height_m / 2), "shoes")
    return [transform_mesh(part, hip_m, pitch_deg=swing_deg) for part in (leg, shoe)]


def _fit_height(mesh: MeshData, height_m: float) -> MeshData:
    """Centres the footprint on the origin, shifts the mesh onto z = 0 and rescales z alone so
    that its top is at `height_m` (a posed person is slightly shorter than when standing)."""
    vertices = mesh.vertices_m.copy()
    vertices[:, :2] -= (vertices[:, :2].min(axis=0) + vertices[:, :2].max(axis=0)) / 2
    vertices[:, 2] -= vertices[:, 2].min()
    vertices[:, 2] *= height_m / vertices[:, 2].max()
    return MeshData(vertices, mesh.faces, mesh.face_material, mesh.materials)


def build_pedestrian(params: Mapping[str, float]) -> MeshData:
    """Walking pedestrian: legs swung +-stride_deg about y, arms swinging opposite.

    Params: height_m (top of the hair, metres), shoulder_width_m (y extent incl. arms, metres),
    stride_deg (leg swing, degrees; 0 stands still). Slots: skin, hair, clothing_top,
    clothing_bottom, shoes.
    """
    height, shoulders, stride = params["height_m"], params["shoulder_width_m"], params["stride_deg"]
    if not 0.15 * height <= shoulders <= 0.45 * height:
        raise ValueError(f"shoulder_width_m={shoulders} must lie within [0.15, 0.45] x height_m={height}")
    if abs(stride) > _MAX_STRIDE_DEG:
        raise ValueError(f"stride_deg={stride} exceeds +-{_MAX_STRIDE_DEG}")
    body = _Body.of(height, shoulders)
    hip = np.array([0.0, 0.0, body.shoe_height_m + body.leg_length_m])
    shoulder = _shoulder_center(body, hip, 0.0) - [0.0, 0.0, 0.6 * body.arm_radius_m]
    parts = [_torso(body, hip, 0.0), *_head(body, _shoulder_center(body, hip, 0.0), 0.0)]
    for side in (1.0, -1.0):
        parts += _swung_leg(body, hip + [0.0, side * body.hip_y_m, 0.0], -side * stride)
        parts += _hanging_arm(body, shoulder + [0.0, side * body.shoulder_y_m, 0.0], 0.6 * side * stride)
    return _fit_height(merge_meshes(parts), height)


def _knee(hip_m: np.ndarray, ankle_m: np.ndarray, thigh_m: float, shin_m: float) -> np.ndarray:
    """Knee position of a two-segment leg from hip to ankle, bending forward (+x); clamps reach."""
    offset = ankle_m - hip_m
    distance = float(np.linalg.norm(offset))
    axis = offset / distance
    reach = float(np.clip(distance, abs(thigh_m - shin_m) + 1e-6, thigh_m + shin_m - 1e-6))
    along = (thigh_m**2 - shin_m**2 + reach**2) / (2 * reach)
    bend = np.array([1.0, 0.0, 0.0]) - axis * axis[0]
    bend /= np.linalg.norm(bend)
    return hip_m + along * axis + np.sqrt(max(thigh_m**2 - along**2, 0.0)) * bend


def _pedalling_leg(body: _Body, hip_m: np.ndarray, pedal_m: np.ndarray) -> list[MeshData]:
    """Thigh and shin (clothing_bottom) from the hip to a shoe (shoes) standing on `pedal_m`."""
    ankle = pedal_m + [0.0, 0.0, body.shoe_height_m]
    knee = _knee(hip_m, ankle, body.thigh_length_m, body.shin_length_m)
    shoe_size = (body.shoe_length_m, body.shoe_width_m, body.shoe_height_m)
    return [tube_mesh(hip_m, knee, body.thigh_radius_m, 8, "clothing_bottom", 0.8 * body.thigh_radius_m),
            tube_mesh(knee, ankle, 0.8 * body.thigh_radius_m, 8, "clothing_bottom", body.ankle_radius_m),
            box_mesh(shoe_size, pedal_m + [0.2 * body.shoe_length_m, 0.0, body.shoe_height_m / 2], "shoes")]


def _reaching_arm(body: _Body, shoulder_m: np.ndarray, grip_m: np.ndarray) -> list[MeshData]:
    """Straight arm (clothing_top) from the shoulder to a hand (skin) on the grip."""
    return [tube_mesh(shoulder_m, grip_m, body.arm_radius_m, 8, "clothing_top", 0.8 * body.arm_radius_m),
            sphere_mesh(body.hand_radius_m, grip_m, 4, 8, "skin", scale=(1.4, 0.8, 1.0))]


def _rider(body: _Body, rig: BicycleRig) -> list[MeshData]:
    """A rider sitting on the saddle, leaning forward, hands on the grips and feet on the pedals."""
    hip = rig.saddle_top_m + [0.0, 0.0, 0.03 * body.stature_m]
    shoulder = _shoulder_center(body, hip, _CYCLIST_LEAN_DEG)
    parts = [_torso(body, hip, _CYCLIST_LEAN_DEG), *_head(body, shoulder, 0.5 * _CYCLIST_LEAN_DEG)]
    for side, grip, pedal in zip((1.0, -1.0), rig.grips_m, rig.pedals_m, strict=True):
        parts += _pedalling_leg(body, hip + [0.0, side * body.hip_y_m, 0.0], pedal)
        parts += _reaching_arm(body, shoulder + [0.0, side * body.shoulder_y_m, 0.0], grip)
    return parts


def _rider_top_per_stature() -> float:
    """Height of the rider's top above the saddle per metre of stature (the geometry is linear in it)."""
    unit = _Body.of(1.0, 0.26)
    hip = np.array([0.0, 0.0, 0.03])
    top = merge_meshes(_head(unit, _shoulder_center(unit, hip, _CYCLIST_LEAN_DEG), 0.5 * _CYCLIST_LEAN_DEG))
    return float(top.vertices_m[:, 2].max())


def build_cyclist(params: Mapping[str, float]) -> MeshData:
    """Cyclist: a bicycle with a seated, forward-leaning rider, merged into one mesh (one instance).

    Params (metres): height_m (overall height: top of the rider's hair), bike_length_m (tyre to
    tyre; wheel size and handlebar width scale with it). The rider's stature is solved so the
    overall height matches; saddle and handlebar heights follow the stature.
    Slots: tire, metal, skin, hair, clothing_top, clothing_bottom, shoes.
    """
    height, bike_length = params["height_m"], params["bike_length_m"]
    stature = height / (SADDLE_HEIGHT_FRACTION * _BAR_PER_STATURE + _rider_top_per_stature())
    if not _STATURE_RANGE_M[0] <= stature <= _STATURE_RANGE_M[1]:
        raise ValueError(f"height_m={height} needs a rider of stature {stature:.2f} m; expected "
                         f"{_STATURE_RANGE_M[0]}..{_STATURE_RANGE_M[1]} m")
    bar_height, wheel_radius = _BAR_PER_STATURE * stature, 0.194 * bike_length
    if bar_height < 2.2 * wheel_radius:
        raise ValueError(f"bike_length_m={bike_length} is too large a bicycle for a cyclist of height_m={height}")
    rig = bicycle_rig(bike_length, 0.34 * bike_length, bar_height, wheel_radius)
    return merge_meshes([rig.mesh, *_rider(_Body.of(stature, 0.26 * stature), rig)])
