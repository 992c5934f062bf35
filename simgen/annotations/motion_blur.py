"""How far each object smears across the image during the exposure (pure geometry).

The recorded poses are those at mid-exposure (`simgen.specs.MotionSpec`); over the shutter
the object moves at its velocity and the camera at the ego velocity, both without rotating.
The camera's view of a point moves by the relative velocity, so the smear of an object is the
image-space path of its 3D box centre from t = -shutter/2 to +shutter/2 (pinhole projection
with the frame's K, lens distortion ignored: it changes the length by a few percent at most
for the dashcam lens).
"""

from __future__ import annotations

import numpy as np

from simgen.annotations.box3d import object_box3d_cam
from simgen.geometry.camera import extrinsics_cam_world, intrinsics_matrix
from simgen.specs import FrameSpec, PropSpec


def motion_blur_px(prop: PropSpec, spec: FrameSpec) -> float | None:
    """Length in pixels of the path the object's box centre sweeps in the image during the
    exposure; 0.0 without motion blur, None if the centre is behind the camera at either end
    of the exposure."""
    if not spec.has_motion_blur:
        return 0.0
    relative_world = np.subtract(spec.motion.velocity_of(prop.name), spec.motion.ego_velocity_m_s)
    if not relative_world.any():
        return 0.0
    center_cam = np.asarray(object_box3d_cam(prop, spec.camera).center_m)
    velocity_cam = extrinsics_cam_world(spec.camera)[:3, :3] @ relative_world
    half = spec.sensor.shutter_s / 2.0
    ends = np.stack([center_cam - half * velocity_cam, center_cam + half * velocity_cam])
    if np.any(ends[:, 2] <= 0.0):
        return None
    pixels = (intrinsics_matrix(spec.camera) @ ends.T).T
    pixels = pixels[:, :2] / pixels[:, 2:]
    return float(np.linalg.norm(pixels[1] - pixels[0]))
