"""Motion blur: linear keyframes around the recorded poses, from the frame's `MotionSpec`.

The recorded poses are the mid-exposure poses. Each moving object (and the camera, for ego
motion) gets two linear keyframes, before and after the current frame, at pose -/+
velocity * time; Cycles then integrates the image over
[-shutter_s/2, +shutter_s/2] around the current frame (motion_blur_position CENTER). Draws
nothing.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import bpy

from simgen.specs import FrameSpec

MOTION_FPS = 100
"""Scene frame rate while a frame is animated: the shutter is shutter_s * MOTION_FPS frames
(a 1/50 s exposure is 2 frames); Cycles evaluates the linear keyframes at sub-frames."""
CENTER_FRAME = 100
"""The frame at mid-exposure; keyframes go on both sides of it, all at positive frames."""


def _half_shutter_frames(shutter_s: float) -> int:
    """Whole frames from the exposure centre to the keyframes: at least half the shutter, since
    an F-Curve is constant beyond its last keyframe (Blender's default extrapolation)."""
    return max(1, math.ceil(shutter_s * MOTION_FPS / 2))


def _animate_linear(obj: bpy.types.Object, velocity_m_s: tuple[float, float, float], half_frames: int) -> None:
    """Keyframe `obj`'s location at, and `half_frames` before and after, CENTER_FRAME, moving at
    `velocity_m_s` (world frame, m/s); the current location is the mid-exposure one."""
    center = tuple(obj.location)
    # A key at the centre too: evaluated on a key, an F-Curve returns it exactly, so the
    # label render (motion blur off, at CENTER_FRAME) sees the recorded pose to the bit.
    for step in (-half_frames, 0, half_frames):
        obj.location = tuple(c + step * v / MOTION_FPS for c, v in zip(center, velocity_m_s, strict=True))
        obj.keyframe_insert("location", frame=CENTER_FRAME + step)
    obj.location = center


def build_motion(spec: FrameSpec, scene: bpy.types.Scene, objects: Mapping[str, bpy.types.Object]) -> None:
    """Animate the camera and the moving props of `spec` (`objects`: the Blender object of each
    prop name) and turn Cycles motion blur on, or turn it off when the frame has none (the scene
    is reused between frames of a session)."""
    render = scene.render
    render.use_motion_blur = spec.has_motion_blur
    # Setting the frame, not frame_set(): frame_set evaluates the whole depsgraph now, which
    # the render does anyway (and each animated object is evaluated at its keys there).
    if scene.frame_current != CENTER_FRAME:
        scene.frame_current = CENTER_FRAME
    if not spec.has_motion_blur:
        return
    # Interpolation of new keyframes is a user preference (Bezier by default, which would
    # ease in and out); the factory reset of every session restores the default.
    bpy.context.preferences.edit.keyframe_new_interpolation_type = "LINEAR"
    render.fps, render.fps_base = MOTION_FPS, 1.0
    render.motion_blur_position = "CENTER"
    render.motion_blur_shutter = spec.sensor.shutter_s * MOTION_FPS
    motion, half_frames = spec.motion, _half_shutter_frames(spec.sensor.shutter_s)
    if any(motion.ego_velocity_m_s):
        _animate_linear(scene.camera, motion.ego_velocity_m_s, half_frames)
    for name, velocity in motion.object_velocities_m_s.items():
        _animate_linear(objects[name], velocity, half_frames)
