"""A small kinematic gait model: joint angles of a standing, walking or running person (pure numpy).

Angles are in degrees in the sagittal (x-z) plane of the person's object frame (+x is the facing
direction, z up). Segment angles are measured from straight down, positive when the segment's
distal end swings forward (+x):

- hip: thigh angle; knee: flexion (>= 0) that swings the shin back, so the knee points forward;
- shoulder: upper-arm angle; elbow: flexion (>= 0) that lifts the forearm forward;
- foot pitch: the sole against the ground, positive toes up; torso lean: forward pitch.

The cycle starts (`gait_phase` = 0) at the left heel strike; the right leg runs half a cycle
behind. Stride length follows Alexander's relation for humans, stride / leg = 2.3 Fr^0.3 with the
Froude number Fr = v^2 / (g * leg) (R. McN. Alexander, "Estimates of speeds of dinosaurs",
Nature 261, 1976), which holds for walking and running. Angle curves are smooth periodic
approximations of published sagittal joint-angle curves (hip about +25/-10 deg when walking,
knee swing peak about 60 deg walking and 100+ deg running, bent elbows when running). The hip
is not a plain cosine: as gait labs measure it (J. Perry and J. M. Burnfield, "Gait Analysis",
2010; D. A. Winter's normative walking data), it extends slowly through the stance, most
extended near half the cycle, then flexes quickly in the swing and stays flexed from about 80 %
until the heel strikes, so at the knee's swing peak (about 72 %) the thigh already points
forward and the foot trails less than a cosine hip would leave it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def clamp(value: float, low: float, high: float) -> float:
    """`value` limited to [low, high]: `float(np.clip(value, low, high))` for a scalar, without
    numpy's per-call cost (the same comparisons, so the same result)."""
    return min(max(float(value), low), high)

GRAVITY_M_S2 = 9.81
MAX_SPEED_M_S = 8.0
WALK_TO_RUN_M_S = (2.0, 2.8)  # the gait blends from walking to running across this speed range
STAND_TO_WALK_M_S = 0.7  # below this speed the pose blends towards relaxed standing
RUNNING_STANCE_FRACTION = 0.35  # fraction of the cycle each foot is on the ground when running
_MAX_HIP_SWING_DEG = 34.0


@dataclass(frozen=True)
class GaitPose:
    """Joint angles of one instant of the gait; pairs are (left +y, right -y), degrees.

    Attributes:
        hip_deg: thigh angle from straight down, + forward.
        knee_deg: knee flexion, >= 0 (the shin swings back, the knee points forward).
        foot_pitch_deg: sole angle to the ground, + toes up.
        shoulder_deg: upper-arm angle from straight down, + forward.
        elbow_deg: elbow flexion, >= 0 (the forearm lifts forward).
        torso_lean_deg: forward pitch of the torso about the hips.
        stride_length_m: distance covered in one full cycle (two steps), metres; 0 when standing.
        running_weight: 0 for a walk, 1 for a run, in between across `WALK_TO_RUN_M_S`.
        airborne: a running flight phase, neither foot on the ground (the recipe still rests the
            lowest foot on z = 0, its object-frame convention).
    """

    hip_deg: tuple[float, float]
    knee_deg: tuple[float, float]
    foot_pitch_deg: tuple[float, float]
    shoulder_deg: tuple[float, float]
    elbow_deg: tuple[float, float]
    torso_lean_deg: float
    stride_length_m: float
    running_weight: float
    airborne: bool


def stride_length_m(speed_m_s: float, leg_length_m: float) -> float:
    """Stride (two steps) at `speed_m_s` for a hip height `leg_length_m` (Alexander 1976), metres."""
    froude = speed_m_s**2 / (GRAVITY_M_S2 * leg_length_m)
    return float(2.3 * froude**0.3 * leg_length_m)


def _smoothstep(value: float, low: float, high: float) -> float:
    t = clamp((value - low) / (high - low), 0.0, 1.0)
    return t * t * (3.0 - 2.0 * t)


def _bump(phase: float, center: float, width: float) -> float:
    """A periodic Gaussian bump over the unit cycle: 1 at `center`, about 0 beyond 3 `width`."""
    distance = (phase - center + 0.5) % 1.0 - 0.5
    return float(np.exp(-0.5 * (distance / width) ** 2))


_HIP_EXTENDED_AT = 0.5  # the hip is most extended at the end of stance ...
_HIP_FLEXED_AT = 0.8  # ... and flexes through the swing, most flexed well before the next heel strike


def _hip_wave(phase: float) -> float:
    """The hip's flexion curve over one leg's cycle, 1 flexed .. -1 extended: slow extension
    through the stance, fast flexion through the swing, held flexed until the heel strikes."""
    if phase <= _HIP_EXTENDED_AT:
        w = 0.5 * phase / _HIP_EXTENDED_AT
    elif phase <= _HIP_FLEXED_AT:
        w = 0.5 + 0.5 * (phase - _HIP_EXTENDED_AT) / (_HIP_FLEXED_AT - _HIP_EXTENDED_AT)
    else:
        w = 1.0
    return float(np.cos(2 * np.pi * w))


def _leg_angles(phase: float, swing_deg: float, run: float) -> tuple[float, float]:
    """(hip, knee) of one leg at its own phase (0 = its heel strike) for a hip swing amplitude."""
    wave = _hip_wave(phase)
    hip = (0.2 + 0.05 * run) * swing_deg + swing_deg * wave
    scale = min(swing_deg / 22.0, 1.0)  # slow walks bend the knees less
    walk_knee = scale * (18.0 * _bump(phase, 0.12, 0.07) + 62.0 * _bump(phase, 0.72, 0.11))
    run_knee = 40.0 * _bump(phase, 0.15, 0.08) + 105.0 * _bump(phase, 0.65, 0.13)
    return float(hip), float((1 - run) * walk_knee + run * run_knee)


def _arm_angles(leg_phase: float, swing_deg: float, run: float) -> tuple[float, float]:
    """(shoulder, elbow) of the arm on the side of the leg at `leg_phase`; it swings against it."""
    wave = -np.cos(2 * np.pi * leg_phase)  # forward while the same-side leg is back
    amplitude = (0.75 + 0.15 * run) * swing_deg
    shoulder = amplitude * wave - 5.0 * run
    walk_elbow = 12.0 + 0.6 * amplitude * (1 + wave) / 2
    run_elbow = 85.0 + 15.0 * wave
    return float(shoulder), float((1 - run) * walk_elbow + run * run_elbow)


def _standing_pose(phase: float) -> GaitPose:
    """Relaxed standing; `phase` picks the weight shift (one knee eased) and how bent the arms are."""
    shift = np.sin(2 * np.pi * phase)  # > 0: weight on the right leg, the left one relaxed
    relaxed = (max(shift, 0.0), max(-shift, 0.0))
    hips = tuple(6.0 * r - 2.0 * (1 - r) * abs(shift) for r in relaxed)
    knees = tuple(14.0 * r for r in relaxed)
    arm = np.cos(2 * np.pi * phase)
    return GaitPose(
        hip_deg=(float(hips[0]), float(hips[1])), knee_deg=(float(knees[0]), float(knees[1])),
        foot_pitch_deg=tuple(float(0.5 * (h - k)) for h, k in zip(hips, knees, strict=True)),  # type: ignore[arg-type]
        shoulder_deg=(float(3.0 * arm), float(-2.0 - 2.0 * arm)),
        elbow_deg=(float(10.0 + 8.0 * (1 + arm)), float(12.0 + 6.0 * (1 - arm))),
        torso_lean_deg=float(1.0 + 0.5 * arm), stride_length_m=0.0, running_weight=0.0, airborne=False)


def _blend(a: float | tuple[float, float], b: float | tuple[float, float], weight: float):
    """(1 - weight) * a + weight * b, for numbers or (left, right) pairs."""
    if isinstance(a, tuple) and isinstance(b, tuple):
        return tuple(float((1 - weight) * x + weight * y) for x, y in zip(a, b, strict=True))
    return float((1 - weight) * a + weight * b)  # type: ignore[operator]


def gait_pose(speed_m_s: float, gait_phase: float, leg_length_m: float) -> GaitPose:
    """Joint angles of a person moving at `speed_m_s` at `gait_phase` of the cycle.

    Args:
        speed_m_s: speed along the facing direction, m/s: 0 stands, about 0.8-2 walks, above
            about 2.5 runs (blending across `WALK_TO_RUN_M_S`).
        gait_phase: position in the cycle, [0, 1]; 0 is the left heel strike. When standing it
            selects the weight shift and arm bend instead.
        leg_length_m: hip joint height when standing straight, metres (sets the stride).

    Raises:
        ValueError: speed outside [0, MAX_SPEED_M_S] or phase outside [0, 1].
    """
    if not 0.0 <= speed_m_s <= MAX_SPEED_M_S:
        raise ValueError(f"speed_m_s={speed_m_s} must lie within [0, {MAX_SPEED_M_S}]")
    if not 0.0 <= gait_phase <= 1.0:
        raise ValueError(f"gait_phase={gait_phase} must lie within [0, 1]")
    run = _smoothstep(speed_m_s, *WALK_TO_RUN_M_S)
    stride = stride_length_m(speed_m_s, leg_length_m)
    swing = min(float(np.rad2deg(np.arcsin(min(stride / (4 * leg_length_m), 0.95)))), _MAX_HIP_SWING_DEG)
    phases = (gait_phase % 1.0, (gait_phase + 0.5) % 1.0)
    legs = [_leg_angles(p, swing, run) for p in phases]
    arms = [_arm_angles(p, swing, run) for p in phases]
    hips = (legs[0][0], legs[1][0])
    knees = (legs[0][1], legs[1][1])
    feet = tuple(clamp(0.5 * (h - k) + 10.0 * run * _bump(p, 0.0, 0.06), -40.0, 20.0)
                 for h, k, p in zip(hips, knees, phases, strict=True))
    stance = ((1 - run) * 0.6 + run * RUNNING_STANCE_FRACTION)
    airborne = run > 0.5 and all(p >= stance for p in phases)
    moving = GaitPose(hip_deg=hips, knee_deg=knees, foot_pitch_deg=feet,  # type: ignore[arg-type]
                      shoulder_deg=(arms[0][0], arms[1][0]), elbow_deg=(arms[0][1], arms[1][1]),
                      torso_lean_deg=(1 - run) * (1.0 + 1.0 * min(speed_m_s, 2.0)) + run * min(
                          6.0 + 1.5 * (speed_m_s - WALK_TO_RUN_M_S[1]), 12.0),
                      stride_length_m=stride, running_weight=run, airborne=airborne)
    standing_weight = 1.0 - _smoothstep(speed_m_s, 0.0, STAND_TO_WALK_M_S)
    if standing_weight == 0.0:
        return moving
    still = _standing_pose(gait_phase)
    return GaitPose(**{field: _blend(getattr(still, field), getattr(moving, field), 1.0 - standing_weight)
                       for field in ("hip_deg", "knee_deg", "foot_pitch_deg", "shoulder_deg", "elbow_deg",
                                     "torso_lean_deg")},
                    stride_length_m=stride, running_weight=run, airborne=airborne)
