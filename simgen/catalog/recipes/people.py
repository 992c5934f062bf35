"""Person recipes: an articulated `pedestrian` posed by a gait model, and a `cyclist` riding.

Object frame: metres, z up, origin at the centre of the ground footprint (z = 0 is where the
lowest foot, or the bicycle's tyres, touch the ground), +x is the direction the person faces /
rides. Body parts are sized as fractions of the standing height (`body.Body`); joint angles come
from `gait.gait_pose`. Builders take a complete, validated parameter mapping (see
`simgen.catalog.prop_mesh.get_recipe`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from simgen.geometry.mesh import MeshData, merge_meshes
from simgen.geometry.primitives import sphere_mesh

from .body import (
    Body,
    face_points,
    hand_part,
    head_center,
    segment_direction,
    shoe_part,
    shoulder_center,
    two_bone_joint,
)
from .figure import Outfit, arm_part, head_parts, leg_part, torso_part
from .gait import GaitPose, gait_pose, stride_length_m
from .garments import bag_parts, outer_garments
from .vehicles import SADDLE_HEIGHT_FRACTION, BicycleRig, bicycle_rig

PEDESTRIAN_DEFAULTS: Mapping[str, float] = {"height_m": 1.75, "shoulder_width_m": 0.45, "speed_m_s": 1.3,
                                            "gait_phase": 0.25, "bottom_style": 0.0, "coat": 0.0, "sleeves": 0.0,
                                            "hair_style": 0.0, "bag": 0.0}
CYCLIST_DEFAULTS: Mapping[str, float] = {"height_m": 1.75, "bike_length_m": 1.75, "crank_phase": 0.0}

_CYCLIST_LEAN_DEG = 40.0
_BAR_PER_STATURE = 0.6  # handlebar height / rider stature: the bike's frame is sized to its rider
_STATURE_RANGE_M = (0.9, 2.3)
CYCLIST_GEAR_RATIO = 2.5
"""Wheel turns per crank turn: a crank turn moves the bicycle 2 pi r x this (r the wheel radius)."""
_SIDES = (1.0, -1.0)  # left (+y), right (-y), the order of every (left, right) pair


def _leg_joints(body: Body, hip_m: np.ndarray, hip_deg: float, knee_deg: float) -> tuple[np.ndarray, np.ndarray]:
    """(knee, ankle) of a leg posed by thigh angle and knee flexion, metres."""
    knee = hip_m + body.thigh_length_m * segment_direction(hip_deg)
    return knee, knee + body.shin_length_m * segment_direction(hip_deg - knee_deg)


def _arm_joints(body: Body, shoulder_m: np.ndarray, shoulder_deg: float,
                elbow_deg: float) -> tuple[np.ndarray, np.ndarray]:
    """(elbow, wrist) of an arm posed by upper-arm angle and elbow flexion, metres."""
    elbow = shoulder_m + body.upper_arm_length_m * segment_direction(shoulder_deg)
    return elbow, elbow + body.forearm_length_m * segment_direction(shoulder_deg + elbow_deg)


def _pose_joints(body: Body, pose: GaitPose) -> dict[str, np.ndarray]:
    """The posed joints (names like 'left_knee'), before grounding; hips at x = 0."""
    hip = np.array([0.0, 0.0, body.shoe_height_m + body.leg_length_m])
    neck_base = shoulder_center(body, hip, pose.torso_lean_deg)
    shoulder = neck_base - [0.0, 0.0, 0.6 * body.arm_radius_m]
    joints = {"pelvis": hip, "neck": neck_base, "head": head_center(body, neck_base, 0.5 * pose.torso_lean_deg)}
    for index, (side, name) in enumerate(zip(_SIDES, ("left", "right"), strict=True)):
        hip_joint = hip + [0.0, side * body.hip_y_m, 0.0]
        knee, ankle = _leg_joints(body, hip_joint, pose.hip_deg[index], pose.knee_deg[index])
        shoulder_joint = shoulder + [0.0, side * body.shoulder_y_m, 0.0]
        elbow, wrist = _arm_joints(body, shoulder_joint, pose.shoulder_deg[index], pose.elbow_deg[index])
        joints.update({f"{name}_hip": hip_joint, f"{name}_knee": knee, f"{name}_ankle": ankle,
                       f"{name}_shoulder": shoulder_joint, f"{name}_elbow": elbow, f"{name}_wrist": wrist})
    return joints


def _pose_body(body: Body, pose: GaitPose, outfit: Outfit) -> tuple[list[MeshData], dict[str, np.ndarray]]:
    """The posed mesh's parts (merged in this order) and its joints, before grounding."""
    joints = _pose_joints(body, pose)
    hip, neck_base, lean = joints["pelvis"], joints["neck"], pose.torso_lean_deg
    parts = [torso_part(body, hip, lean, outfit), *head_parts(body, neck_base, 0.5 * lean, outfit.hair),
             *outer_garments(body, hip, lean, outfit), *bag_parts(body, hip, lean, outfit)]
    for index, name in enumerate(("left", "right")):
        j = {part: joints[f"{name}_{part}"] for part in ("hip", "knee", "ankle", "shoulder", "elbow", "wrist")}
        parts += [leg_part(body, j["hip"], j["knee"], j["ankle"], outfit),
                  shoe_part(body, j["ankle"], pose.foot_pitch_deg[index]),
                  arm_part(body, j["shoulder"], j["elbow"], j["wrist"], outfit),
                  hand_part(body, j["wrist"], pose.shoulder_deg[index] + pose.elbow_deg[index])]
    return parts, joints


def _posed_height_m(body: Body, pose: GaitPose, outfit: Outfit) -> float:
    """Height of the posed body, lowest to highest point, metres: of its hair (the highest part of
    every pose) and its shoes (the lowest), so only those are built. tests/unit/test_people.py
    checks against every part over the sampled gaits and outfits."""
    joints = _pose_joints(body, pose)
    ends = [*head_parts(body, joints["neck"], 0.5 * pose.torso_lean_deg, outfit.hair),
            *(shoe_part(body, joints[f"{name}_ankle"], pose.foot_pitch_deg[index])
              for index, name in enumerate(("left", "right")))]
    z = np.concatenate([part.vertices_m[:, 2] for part in ends])
    return float(z.max() - z.min())


def _grounded(mesh: MeshData, joints: dict[str, np.ndarray]) -> tuple[MeshData, dict[str, np.ndarray]]:
    """Shifts mesh and joints so the footprint is centred on the origin and the lowest point is z = 0."""
    low, high = mesh.bounds_m
    shift = np.array([-(low[0] + high[0]) / 2, -(low[1] + high[1]) / 2, -low[2]])
    moved = mesh.with_vertices(mesh.vertices_m + shift)
    return moved, {name: point + shift for name, point in joints.items()}


@dataclass(frozen=True)
class Skeleton:
    """The joints of a posed person and the body they belong to (object frame, metres).

    Attributes:
        joints_m: name -> (3,) position: pelvis, neck, head (the head ellipsoid's centre), the
            face points nose, left_/right_ eye and ear (`body.face_points`), and left_/right_
            hip, knee, ankle, shoulder, elbow, wrist.
        body: the part sizes of the posed body.
    """

    joints_m: Mapping[str, np.ndarray]
    body: Body


def _with_face(joints: dict[str, np.ndarray], body: Body) -> dict[str, np.ndarray]:
    return {**joints, **face_points(body, joints["head"])}


def _posed_pedestrian(params: Mapping[str, float]) -> tuple[MeshData, dict[str, np.ndarray], Body]:
    """`posed_pedestrian`, plus the body it posed."""
    height, shoulders = params["height_m"], params["shoulder_width_m"]
    if not 0.15 * height <= shoulders <= 0.45 * height:
        raise ValueError(f"shoulder_width_m={shoulders} must lie within [0.15, 0.45] x height_m={height}")
    outfit = Outfit.of(params["bottom_style"], params["coat"], params["sleeves"], params["hair_style"], params["bag"])
    nominal = Body.of(height, shoulders)
    pose = gait_pose(params["speed_m_s"], params["gait_phase"], nominal.shoe_height_m + nominal.leg_length_m)
    stature = height * height / _posed_height_m(nominal, pose, outfit)  # the grounded probe's top
    body = Body.of(stature, shoulders, proportions_stature_m=height)
    parts, joints = _pose_body(body, pose, outfit)
    return (*_grounded(merge_meshes(parts), joints), body)


def posed_pedestrian(params: Mapping[str, float]) -> tuple[MeshData, dict[str, np.ndarray]]:
    """The pedestrian's mesh and skeleton: joint name -> (3,) position, object frame, metres.

    Joints: pelvis, neck, head (centre) and left_/right_ hip, knee, ankle, shoulder, elbow,
    wrist. The stature is solved so that the posed body's top (hair) is exactly at `height_m`;
    the posed geometry's height is linear in the stature for fixed angles and proportions.
    """
    mesh, joints, _ = _posed_pedestrian(params)
    return mesh, joints


def pedestrian_skeleton(params: Mapping[str, float]) -> Skeleton:
    """The skeleton of `build_pedestrian(params)`, face points included (same params)."""
    _, joints, body = _posed_pedestrian(params)
    return Skeleton(_with_face(joints, body), body)


def pedestrian_mesh_and_skeleton(params: Mapping[str, float]) -> tuple[MeshData, Skeleton]:
    """`build_pedestrian(params)` and `pedestrian_skeleton(params)` from one posing (same params)."""
    mesh, joints, body = _posed_pedestrian(params)
    return mesh, Skeleton(_with_face(joints, body), body)


def pedestrian_stride_m(params: Mapping[str, float]) -> float:
    """Distance a pedestrian covers per gait cycle (`gait_phase` 0 -> 1), metres; 0 standing.
    Takes complete params (as the builders do)."""
    nominal = Body.of(params["height_m"], params["shoulder_width_m"])
    return stride_length_m(params["speed_m_s"], nominal.shoe_height_m + nominal.leg_length_m)


def cyclist_development_m(params: Mapping[str, float]) -> float:
    """Distance a cyclist rides per crank turn (`crank_phase` 0 -> 1), metres."""
    return 2.0 * np.pi * 0.194 * params["bike_length_m"] * CYCLIST_GEAR_RATIO


def build_pedestrian(params: Mapping[str, float]) -> MeshData:
    """Articulated pedestrian standing, walking or running: knees, elbows and feet posed by a gait model.

    Params: height_m (top of the hair, metres), shoulder_width_m (y extent incl. arms, metres),
    speed_m_s (along +x, m/s: 0 stands, about 0.8-2 walks, above about 2.5 runs; at most 8),
    gait_phase (0..1 in the gait cycle, 0 = left heel strike; when standing it varies the weight
    shift and arm bend). Children (height under 1.6 m) get a larger head relative to their height.
    Style selectors in [0, 1] (`figure`): bottom_style (trousers, shorts, skirt), coat (a coat to
    mid-thigh from 0.72, light to padded towards 1: it stands 1.4-3.5 cm off the body at 1.75 m,
    so shoulder_width_m is the body's), sleeves (short from 0.65; a coat's are long), hair_style
    (short, long, bun, cropped), bag (none, backpack, shoulder bag). The body is lofted and
    swept: no visible primitive joints.
    Slots: skin, hair, clothing_top, clothing_bottom, shoes, and fabric with a bag.
    """
    return posed_pedestrian(params)[0]


_RIDER_OUTFIT = Outfit("trousers", False, False, "short", "none")


def _pedalling_leg(body: Body, hip_m: np.ndarray, pedal_m: np.ndarray) -> tuple[list[MeshData], dict[str, np.ndarray]]:
    """A swept leg (clothing_bottom) from the hip to a shoe (shoes) standing on `pedal_m`;
    returns the parts and the joints (hip, knee, ankle)."""
    ankle = pedal_m + [0.0, 0.0, 0.9 * body.shoe_height_m]
    knee = two_bone_joint(hip_m, ankle, body.thigh_length_m, body.shin_length_m, np.array([1.0, 0.0, 0.0]))
    parts = [leg_part(body, hip_m, knee, ankle, _RIDER_OUTFIT), shoe_part(body, ankle, 0.0)]
    return parts, {"hip": hip_m, "knee": knee, "ankle": ankle}


def _reaching_arm(body: Body, shoulder_m: np.ndarray, grip_m: np.ndarray) -> tuple[list[MeshData],
                                                                                   dict[str, np.ndarray]]:
    """A swept arm (clothing_top), elbow bent slightly down and back, to a hand (skin) on the
    grip; returns the parts and the joints (shoulder, elbow, wrist: the grip)."""
    elbow = two_bone_joint(shoulder_m, grip_m, body.upper_arm_length_m, body.forearm_length_m,
                           np.array([-0.3, 0.0, -1.0]))
    parts = [arm_part(body, shoulder_m, elbow, grip_m, _RIDER_OUTFIT),
             sphere_mesh(body.hand_radius_m, grip_m, 4, 8, "skin", scale=(1.4, 0.8, 1.0))]
    return parts, {"shoulder": shoulder_m, "elbow": elbow, "wrist": grip_m}


def _rider(body: Body, rig: BicycleRig) -> tuple[list[MeshData], dict[str, np.ndarray]]:
    """A rider sitting on the saddle, leaning forward, hands on the grips and feet on the pedals;
    returns the parts and the joints (as `posed_pedestrian` names them)."""
    hip = rig.saddle_top_m + [0.0, 0.0, 0.03 * body.stature_m]
    neck_base = shoulder_center(body, hip, _CYCLIST_LEAN_DEG)
    parts = [torso_part(body, hip, _CYCLIST_LEAN_DEG, _RIDER_OUTFIT),
             *head_parts(body, neck_base, 0.5 * _CYCLIST_LEAN_DEG, _RIDER_OUTFIT.hair)]
    joints = {"pelvis": hip, "neck": neck_base, "head": head_center(body, neck_base, 0.5 * _CYCLIST_LEAN_DEG)}
    shoulder = neck_base - [0.0, 0.0, 0.6 * body.arm_radius_m]
    for side, name, grip, pedal in zip(_SIDES, ("left", "right"), rig.grips_m, rig.pedals_m, strict=True):
        leg, leg_joints = _pedalling_leg(body, hip + [0.0, side * body.hip_y_m, 0.0], pedal)
        arm, arm_joints = _reaching_arm(body, shoulder + [0.0, side * body.shoulder_y_m, 0.0], grip)
        parts += leg + arm
        joints.update({f"{name}_{joint}": point for joint, point in (leg_joints | arm_joints).items()})
    return parts, joints


def _rider_top_per_stature(proportions_stature_m: float) -> float:
    """Height of the rider's top above the saddle per metre of stature, for fixed proportions
    (the geometry is then linear in the stature)."""
    return _unit_rider_top(Body.of(1.0, 0.26, proportions_stature_m))


@lru_cache(maxsize=256)
def _unit_rider_top(unit: Body) -> float:
    """`_rider_top_per_stature` of a body of stature 1 m (cached: all adults share one body)."""
    hip = np.array([0.0, 0.0, 0.03])
    neck_base = shoulder_center(unit, hip, _CYCLIST_LEAN_DEG)
    head = head_parts(unit, neck_base, 0.5 * _CYCLIST_LEAN_DEG, _RIDER_OUTFIT.hair)
    return max(float(part.vertices_m[:, 2].max()) for part in head)


def _rider_stature_m(height_m: float) -> tuple[float, float]:
    """(stature, proportions stature) of a rider whose seated top is at `height_m`.

    Proportions depend on the stature, so a few fixed-point steps find it; the returned
    stature is exact for the returned proportions.
    """
    stature = proportions = height_m
    for _ in range(4):
        proportions = stature
        stature = height_m / (SADDLE_HEIGHT_FRACTION * _BAR_PER_STATURE + _rider_top_per_stature(proportions))
    return stature, proportions


def build_cyclist(params: Mapping[str, float]) -> MeshData:
    """Cyclist: a bicycle with a seated, forward-leaning rider pedalling, merged into one mesh (one instance).

    Params: height_m (overall height: top of the rider's hair, metres), bike_length_m (tyre to
    tyre, metres; wheel size and handlebar width scale with it), crank_phase (0..1 turn of the
    cranks from the left pedal at the front; the knees follow the pedals). The rider's stature is
    solved so the overall height matches; saddle and handlebar heights follow the stature.
    Slots: tire, metal, skin, hair, clothing_top, clothing_bottom, shoes.
    """
    mesh, _ = _posed_cyclist(params)
    return mesh


def cyclist_skeleton(params: Mapping[str, float]) -> Skeleton:
    """The rider's skeleton in `build_cyclist(params)`, face points included (same params)."""
    _, skeleton = _posed_cyclist(params)
    return skeleton


def cyclist_mesh_and_skeleton(params: Mapping[str, float]) -> tuple[MeshData, Skeleton]:
    """`build_cyclist(params)` and `cyclist_skeleton(params)` from one posing (same params)."""
    return _posed_cyclist(params)


def _posed_cyclist(params: Mapping[str, float]) -> tuple[MeshData, Skeleton]:
    """The cyclist's mesh and its rider's skeleton (object frame, metres)."""
    height, bike_length, crank_phase = params["height_m"], params["bike_length_m"], params["crank_phase"]
    if not 0.0 <= crank_phase <= 1.0:
        raise ValueError(f"crank_phase={crank_phase} must lie within [0, 1]")
    stature, proportions = _rider_stature_m(height)
    if not _STATURE_RANGE_M[0] <= stature <= _STATURE_RANGE_M[1]:
        raise ValueError(f"height_m={height} needs a rider of stature {stature:.2f} m; expected "
                         f"{_STATURE_RANGE_M[0]}..{_STATURE_RANGE_M[1]} m")
    bar_height, wheel_radius = _BAR_PER_STATURE * stature, 0.194 * bike_length  # see cyclist_development_m
    if bar_height < 2.2 * wheel_radius:
        raise ValueError(f"bike_length_m={bike_length} is too large a bicycle for a cyclist of height_m={height}")
    rig = bicycle_rig(bike_length, 0.34 * bike_length, bar_height, wheel_radius, crank_turns=crank_phase)
    body = Body.of(stature, 0.26 * stature, proportions)
    rider, joints = _rider(body, rig)
    return merge_meshes([rig.mesh, *rider]), Skeleton(_with_face(joints, body), body)
