"""An object's 3D box and distance in the OpenCV camera frame (pure geometry, no Blender).

The box is the axis-aligned bounding box of the object's mesh in its own frame (x forward,
y left, z up; see `simgen.geometry.mesh`), rotated by the object's yaw and placed at its location as
the builder does, then expressed in the camera frame of `simgen.contract` (x right, y down,
z forward, metres).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simgen.catalog.prop_mesh import prop_mesh
from simgen.geometry.camera import extrinsics_cam_world
from simgen.geometry.mesh import rotation_matrix_xyz
from simgen.specs import CameraSpec, PropSpec


@dataclass(frozen=True)
class Box3D:
    """A 3D box in camera coordinates.

    Attributes:
        center_m: (x, y, z) of the box centre, OpenCV camera frame, metres.
        size_m: (length, width, height) along the object's own x, y, z axes, metres.
        yaw_deg: heading of the object's +x axis relative to the camera's, about the world up
            axis: object yaw minus camera yaw, wrapped to (-180, 180]. 0 = the object's
            forward axis points along the camera's image-right direction (projected onto the
            ground), 90 = away from the camera along its optical axis (for a level camera).
        rotation_cam_obj: (3, 3) rotation taking object axes to camera axes (exact also when
            the camera pitches or rolls).
        distance_m: Euclidean distance from the camera centre to `center_m`, metres.
    """

    center_m: tuple[float, float, float]
    size_m: tuple[float, float, float]
    yaw_deg: float
    rotation_cam_obj: tuple[tuple[float, float, float], ...]
    distance_m: float

    def to_json(self, digits: int = 4) -> dict:
        """JSON-ready dict with values rounded to `digits` decimals (0.1 mm at 4)."""
        return {"center_m": [round(v, digits) for v in self.center_m],
                "size_m": [round(v, digits) for v in self.size_m],
                "yaw_deg": round(self.yaw_deg, digits),
                "R_cam_obj": [[round(v, 6) for v in row] for row in self.rotation_cam_obj]}


def wrap_deg(angle_deg: float) -> float:
    """Angle wrapped to (-180, 180] degrees."""
    wrapped = (angle_deg + 180.0) % 360.0 - 180.0
    return 180.0 if wrapped == -180.0 else wrapped


def object_box3d_cam(prop: PropSpec, camera: CameraSpec) -> Box3D:
    """The object's 3D box and centre distance in the camera frame."""
    low, high = prop_mesh(prop).bounds_m
    rotation_world_obj = rotation_matrix_xyz(0.0, 0.0, prop.yaw_deg)
    center_world = rotation_world_obj @ ((low + high) / 2) + np.asarray(prop.location_m, dtype=np.float64)
    extrinsics = extrinsics_cam_world(camera)
    center_cam = extrinsics[:3, :3] @ center_world + extrinsics[:3, 3]
    rotation_cam_obj = extrinsics[:3, :3] @ rotation_world_obj
    return Box3D(center_m=tuple(float(v) for v in center_cam), size_m=tuple(float(v) for v in high - low),
                 yaw_deg=wrap_deg(prop.yaw_deg - camera.yaw_deg),
                 rotation_cam_obj=tuple(tuple(float(v) for v in row) for row in rotation_cam_obj),
                 distance_m=float(np.linalg.norm(center_cam)))
