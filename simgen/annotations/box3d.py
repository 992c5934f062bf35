"""An object's 3D box in a camera frame, and its two conversions (pure geometry, no Blender).

The box is the axis-aligned bounding box of the object's mesh in its own frame (x forward,
y left, z up; see `simgen.geometry.mesh`), rotated by the object's yaw and placed at its location as
the builder does, then expressed in a camera frame with OpenCV axes (x right, y down, z forward,
metres; `simgen.contract`). Two conversions read the one `Box3D`:

* the label (`Box3D.to_json`, the annotation's `box3d_cam`): centre, size, yaw and rotation in
  the render camera's frame (`object_box3d_cam`);
* KITTI (`Box3D.kitti_dims_hwl_m`, `kitti_bottom_center_m`, `kitti_rotation_y_rad`,
  `kitti_alpha_rad`): the same box built in KITTI's level (rectified) camera frame by
  `simgen.export.kitti`, which passes that frame's `T_cam_world` to `object_box3d`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from simgen.catalog.prop_mesh import prop_mesh
from simgen.geometry.camera import extrinsics_cam_world
from simgen.geometry.mesh import rotation_matrix_xyz
from simgen.specs import CameraSpec, PropSpec


@dataclass(frozen=True)
class Box3D:
    """A 3D box in camera coordinates (OpenCV axes).

    Attributes:
        center_m: (x, y, z) of the box centre, camera frame, metres.
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
        """The label's `box3d_cam`: values rounded to `digits` decimals (0.1 mm at 4)."""
        return {"center_m": [round(v, digits) for v in self.center_m],
                "size_m": [round(v, digits) for v in self.size_m],
                "yaw_deg": round(self.yaw_deg, digits),
                "R_cam_obj": [[round(v, 6) for v in row] for row in self.rotation_cam_obj]}

    def kitti_dims_hwl_m(self) -> tuple[float, float, float]:
        """KITTI's dimensions: height (object z), width (object y), length (object x), metres."""
        length, width, height = self.size_m
        return height, width, length

    def kitti_bottom_center_m(self) -> tuple[float, float, float]:
        """KITTI's location: the centre of the box's bottom face in this camera frame, metres."""
        up_cam = np.asarray(self.rotation_cam_obj)[:, 2]
        bottom = np.asarray(self.center_m) - up_cam * (self.size_m[2] / 2)
        return tuple(float(v) for v in bottom)

    def kitti_rotation_y_rad(self) -> float:
        """KITTI's rotation_y: heading about the camera y axis; 0 = forward axis along camera +x."""
        forward_cam = np.asarray(self.rotation_cam_obj)[:, 0]
        return float(math.atan2(-forward_cam[2], forward_cam[0]))

    def kitti_alpha_rad(self) -> float:
        """KITTI's observation angle alpha = rotation_y - atan2(x, z) of the location, in [-pi, pi]."""
        x, _, z = self.kitti_bottom_center_m()
        alpha = self.kitti_rotation_y_rad() - math.atan2(x, z)
        return math.atan2(math.sin(alpha), math.cos(alpha))


def wrap_deg(angle_deg: float) -> float:
    """Angle wrapped to (-180, 180] degrees."""
    wrapped = (angle_deg + 180.0) % 360.0 - 180.0
    return 180.0 if wrapped == -180.0 else wrapped


def object_box3d(prop: PropSpec | Mapping[str, Any], T_cam_world: np.ndarray, camera_yaw_deg: float) -> Box3D:
    """An object's 3D box and centre distance in the camera frame of `T_cam_world`.

    Args:
        prop: a `PropSpec`, or its dict read back from a frame record.
        T_cam_world: (4, 4) float64 world (z up, metres) -> camera (OpenCV axes) transform.
        camera_yaw_deg: the camera's yaw about world z (`CameraSpec.yaw_deg`); the box's
            `yaw_deg` is the object's yaw minus it.
    """
    location, yaw = ((prop["location_m"], float(prop["yaw_deg"])) if isinstance(prop, Mapping)
                     else (prop.location_m, prop.yaw_deg))
    low, high = prop_mesh(prop).bounds_m
    rotation_world_obj = rotation_matrix_xyz(0.0, 0.0, yaw)
    center_world = rotation_world_obj @ ((low + high) / 2) + np.asarray(location, dtype=np.float64)
    center_cam = T_cam_world[:3, :3] @ center_world + T_cam_world[:3, 3]
    rotation_cam_obj = T_cam_world[:3, :3] @ rotation_world_obj
    return Box3D(center_m=tuple(float(v) for v in center_cam), size_m=tuple(float(v) for v in high - low),
                 yaw_deg=wrap_deg(yaw - camera_yaw_deg),
                 rotation_cam_obj=tuple(tuple(float(v) for v in row) for row in rotation_cam_obj),
                 distance_m=float(np.linalg.norm(center_cam)))


def object_box3d_cam(prop: PropSpec, camera: CameraSpec) -> Box3D:
    """The object's 3D box and centre distance in the render camera's frame (the label)."""
    return object_box3d(prop, extrinsics_cam_world(camera), camera.yaw_deg)
