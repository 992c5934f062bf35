"""Pinhole camera maths in the OpenCV convention (see `simgen.contract`).

Frames: world (metres, z up, road along +y); OpenCV camera (x right, y down, z forward);
Blender camera (x right, y up, -z forward). Pixel coordinates have integer values at pixel
centres.
"""

from __future__ import annotations

import numpy as np

from simgen.specs import CameraSpec

# Columns: the OpenCV camera axes (x right, y down, z forward) in world coordinates for the
# rest pose, which looks along world +y with image right along world +x.
_R_WORLD_CAM_REST = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, -1.0, 0.0]])
_CV_TO_BLENDER = np.diag([1.0, -1.0, -1.0])


def _rot_x(angle_deg: float) -> np.ndarray:
    c, s = np.cos(np.deg2rad(angle_deg)), np.sin(np.deg2rad(angle_deg))
    return np.array([[1.0, 0.0, 0.0], [0.0, c, -s], [0.0, s, c]])


def _rot_z(angle_deg: float) -> np.ndarray:
    c, s = np.cos(np.deg2rad(angle_deg)), np.sin(np.deg2rad(angle_deg))
    return np.array([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]])


def intrinsics_matrix(camera: CameraSpec) -> np.ndarray:
    """(3, 3) float64 K: fx = fy = focal / sensor width * image width (horizontal sensor fit,
    square pixels), principal point at the image centre, (W/2 - 0.5, H/2 - 0.5)."""
    focal_px = camera.focal_length_mm / camera.sensor_width_mm * camera.width_px
    return np.array([
        [focal_px, 0.0, camera.width_px / 2.0 - 0.5],
        [0.0, focal_px, camera.height_px / 2.0 - 0.5],
        [0.0, 0.0, 1.0],
    ])


def rotation_world_cam(camera: CameraSpec) -> np.ndarray:
    """(3, 3) rotation whose columns are the OpenCV camera axes in world coordinates.

    Yaw turns left about world z (positive = towards -x), pitch tilts up about the camera x
    axis (positive = looks up), roll turns about the optical axis.
    """
    # Pitch up: the optical axis (camera +z) turns towards camera -y (image up); that is a
    # rotation of +pitch about camera x in OpenCV's right-handed frame.
    return _rot_z(camera.yaw_deg) @ _R_WORLD_CAM_REST @ _rot_x(camera.pitch_deg) @ _rot_z(camera.roll_deg)


def pose_world_cam(camera: CameraSpec) -> np.ndarray:
    """(4, 4) float64 T_world_cam: maps OpenCV camera coordinates to world coordinates."""
    pose = np.eye(4)
    pose[:3, :3] = rotation_world_cam(camera)
    pose[:3, 3] = camera.location_m
    return pose


def extrinsics_cam_world(camera: CameraSpec) -> np.ndarray:
    """(4, 4) float64 T_cam_world: world points (metres) to OpenCV camera coordinates."""
    rotation = rotation_world_cam(camera)
    extrinsics = np.eye(4)
    extrinsics[:3, :3] = rotation.T
    extrinsics[:3, 3] = -rotation.T @ np.asarray(camera.location_m, dtype=np.float64)
    return extrinsics


def blender_matrix_world(camera: CameraSpec) -> np.ndarray:
    """(4, 4) float64 matrix_world for a Blender camera object (x right, y up, -z forward)."""
    pose = pose_world_cam(camera)
    pose[:3, :3] = pose[:3, :3] @ _CV_TO_BLENDER
    return pose


def project_points(camera: CameraSpec, points_world_m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Project world points into the image.

    Args:
        camera: the camera.
        points_world_m: (N, 3) float64 world points, metres.

    Returns:
        pixels: (N, 2) float64 (u, v), integer values at pixel centres; meaningless where z <= 0.
        z_m: (N,) float64 planar depth (camera z), metres; <= 0 means behind the camera.
    """
    points = np.asarray(points_world_m, dtype=np.float64).reshape(-1, 3)
    extrinsics = extrinsics_cam_world(camera)
    cam = points @ extrinsics[:3, :3].T + extrinsics[:3, 3]
    z = cam[:, 2]
    safe_z = np.where(np.abs(z) < 1e-12, 1e-12, z)
    uvw = cam @ intrinsics_matrix(camera).T
    return uvw[:, :2] / safe_z[:, None], z


def ray_depth_from_planar(planar_m: np.ndarray, intrinsics: np.ndarray) -> np.ndarray:
    """Convert planar depth (camera z) to ray distance (to the camera centre).

    Args:
        planar_m: (H, W) float32 planar depth in metres; non-finite values stay non-finite.
        intrinsics: (3, 3) K in the OpenCV pixel-centre convention.

    Returns:
        (H, W) float32 ray distance in metres: z * sqrt(1 + ((u-cx)/fx)^2 + ((v-cy)/fy)^2).
    """
    height, width = planar_m.shape
    fx, fy, cx, cy = intrinsics[0, 0], intrinsics[1, 1], intrinsics[0, 2], intrinsics[1, 2]
    u = (np.arange(width, dtype=np.float64) - cx) / fx
    v = (np.arange(height, dtype=np.float64) - cy) / fy
    scale = np.sqrt(1.0 + u[None, :] ** 2 + v[:, None] ** 2)
    return (planar_m.astype(np.float64) * scale).astype(np.float32)
