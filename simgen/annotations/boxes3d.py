"""KITTI-style 3D boxes of labeled objects, from the frame spec (pure numpy).

An object's mesh is rebuilt from its recipe and resolved parameters (exactly what Blender
built), placed with its yaw and location, and seen through the frame's camera (`T_cam_world`,
OpenCV convention). Visibility and truncation are not computed here: they are labels
(`simgen.annotations.amodal`) that every annotation carries.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from simgen.catalog.prop_mesh import prop_mesh

NEAR_M = 0.05
"""Vertices closer than this (camera z, metres) are not projected."""


@dataclass(frozen=True)
class Box3D:
    """An object's box in the camera frame (KITTI convention).

    Attributes:
        dims_hwl_m: height (world z), width (object y) and length (object x, its forward axis).
        bottom_center_cam_m: centre of the box's bottom face in camera coordinates, metres.
        rotation_y_rad: heading about the camera y axis; 0 = forward axis along camera +x.
        corners_cam_m: (8, 3) float64 corners in camera coordinates.
    """

    dims_hwl_m: tuple[float, float, float]
    bottom_center_cam_m: tuple[float, float, float]
    rotation_y_rad: float
    corners_cam_m: np.ndarray


def _world_from_object(prop: Mapping[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    yaw = math.radians(prop["yaw_deg"])
    rotation = np.array([[math.cos(yaw), -math.sin(yaw), 0.0], [math.sin(yaw), math.cos(yaw), 0.0], [0, 0, 1.0]])
    return rotation, np.asarray(prop["location_m"], dtype=np.float64)


def object_box_3d(prop: Mapping[str, Any], T_cam_world: np.ndarray) -> Box3D:
    """The object's box (mesh bounds in its own frame) in the camera frame."""
    low, high = prop_mesh(prop).bounds_m
    rotation, location = _world_from_object(prop)
    cam_rotation, cam_translation = T_cam_world[:3, :3], T_cam_world[:3, 3]
    xs, ys, zs = (low[0], high[0]), (low[1], high[1]), (low[2], high[2])
    corners_obj = np.array([[x, y, z] for x in xs for y in ys for z in zs])
    corners_cam = (cam_rotation @ (rotation @ corners_obj.T + location[:, None]) + cam_translation[:, None]).T
    bottom_obj = np.array([(low[0] + high[0]) / 2, (low[1] + high[1]) / 2, low[2]])
    bottom_cam = cam_rotation @ (rotation @ bottom_obj + location) + cam_translation
    forward_cam = cam_rotation @ rotation @ np.array([1.0, 0.0, 0.0])
    size = high - low
    return Box3D(dims_hwl_m=(float(size[2]), float(size[1]), float(size[0])),
                 bottom_center_cam_m=tuple(float(v) for v in bottom_cam),
                 rotation_y_rad=float(math.atan2(-forward_cam[2], forward_cam[0])), corners_cam_m=corners_cam)


def observation_angle_rad(rotation_y_rad: float, location_cam_m: tuple[float, float, float]) -> float:
    """KITTI alpha = rotation_y - atan2(x, z), wrapped to [-pi, pi]."""
    alpha = rotation_y_rad - math.atan2(location_cam_m[0], location_cam_m[2])
    return math.atan2(math.sin(alpha), math.cos(alpha))
