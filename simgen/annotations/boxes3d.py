"""3D boxes and amodal silhouettes of labeled objects, from the frame spec (pure numpy/OpenCV).

An object's mesh is rebuilt from its recipe and resolved parameters (exactly what Blender
built), placed with its yaw and location, and seen through the frame's camera (`K`,
`T_cam_world`, OpenCV convention). This gives KITTI-style 3D boxes and, by rasterising every
mesh face, the object's amodal (unoccluded) silhouette inside the image, from which
truncation and visible fraction follow without another render.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import cv2
import numpy as np

from simgen.meshes import MeshData

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


@lru_cache(maxsize=256)
def _mesh(recipe: str, params: tuple[tuple[str, float], ...]) -> MeshData:
    from simgen.assets.recipes import RECIPES

    return RECIPES[recipe].build_mesh(dict(params))


def object_mesh(prop: Mapping[str, Any]) -> MeshData:
    """The mesh of a spec object (a `PropSpec` as a dict), in its object frame."""
    return _mesh(prop["recipe"], tuple(sorted((k, float(v)) for k, v in prop["params"].items())))


def _world_from_object(prop: Mapping[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    yaw = math.radians(prop["yaw_deg"])
    rotation = np.array([[math.cos(yaw), -math.sin(yaw), 0.0], [math.sin(yaw), math.cos(yaw), 0.0], [0, 0, 1.0]])
    return rotation, np.asarray(prop["location_m"], dtype=np.float64)


def object_box_3d(prop: Mapping[str, Any], T_cam_world: np.ndarray) -> Box3D:
    """The object's box (mesh bounds in its own frame) in the camera frame."""
    low, high = object_mesh(prop).bounds_m
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


def amodal_silhouette(prop: Mapping[str, Any], K: np.ndarray, T_cam_world: np.ndarray,
                      width_px: int, height_px: int) -> tuple[np.ndarray, tuple[float, float, float, float] | None]:
    """The object's unoccluded silhouette and its full (unclipped) projected box.

    Returns:
        mask: (H, W) bool, pixels whose centre the projected mesh covers (inside the image only).
        box_xyxy: (x0, y0, x1, y1) pixel-edge bounds of all projected vertices, possibly beyond
            the image; None when some vertex is behind the camera (the projection is unbounded).
    """
    mesh = object_mesh(prop)
    rotation, location = _world_from_object(prop)
    points_cam = (T_cam_world[:3, :3] @ (rotation @ mesh.vertices_m.T + location[:, None])
                  + T_cam_world[:3, 3:4]).T
    in_front = points_cam[:, 2] > NEAR_M
    pixels = (K @ points_cam.T).T
    pixels = pixels[:, :2] / np.where(in_front, points_cam[:, 2], 1.0)[:, None]
    mask = np.zeros((height_px, width_px), np.uint8)
    for face in mesh.faces:
        if in_front[list(face)].all():  # one call per face: fillPoly treats several contours even-odd
            cv2.fillPoly(mask, [np.round(pixels[list(face)] * 16).astype(np.int32)], 1, lineType=cv2.LINE_8, shift=4)
    box = None
    if in_front.all():
        # K maps to pixel centres; the pixel-edge bounds are half a pixel further out.
        box = (float(pixels[:, 0].min() + 0.5), float(pixels[:, 1].min() + 0.5),
               float(pixels[:, 0].max() + 0.5), float(pixels[:, 1].max() + 0.5))
    return mask.astype(bool), box
