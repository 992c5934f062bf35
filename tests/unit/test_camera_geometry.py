from __future__ import annotations

import numpy as np
import pytest

from simgen.geometry.camera import (
    blender_matrix_world,
    extrinsics_cam_world,
    intrinsics_matrix,
    pose_world_cam,
    project_points,
    ray_depth_from_planar,
)
from simgen.specs import CameraSpec


def camera(**kw) -> CameraSpec:
    base = dict(width_px=640, height_px=480, focal_length_mm=36.0, sensor_width_mm=36.0,
                location_m=(1.0, 2.0, 1.5), yaw_deg=0.0, pitch_deg=0.0, roll_deg=0.0)
    base.update(kw)
    return CameraSpec(**base)


def test_intrinsics_pixel_centre_convention():
    k = intrinsics_matrix(camera())
    assert k[0, 0] == pytest.approx(640.0) and k[1, 1] == pytest.approx(640.0)
    assert k[0, 2] == pytest.approx(319.5) and k[1, 2] == pytest.approx(239.5)


def test_rest_pose_looks_along_plus_y():
    cam = camera()
    uv, z = project_points(cam, np.array([[1.0, 12.0, 1.5], [2.0, 12.0, 1.5], [1.0, 12.0, 2.5]]))
    assert z[0] == pytest.approx(10.0)
    assert uv[0] == pytest.approx([319.5, 239.5])
    assert uv[1][0] > uv[0][0]  # world +x is image right
    assert uv[2][1] < uv[0][1]  # world +z is image up


def test_pitch_yaw_roll_signs():
    ahead = np.array([[1.0, 12.0, 1.5]])
    assert project_points(camera(pitch_deg=10), ahead)[0][0][1] > 239.5  # looking up: target moves down
    assert project_points(camera(yaw_deg=10), ahead)[0][0][0] > 319.5  # turning left: target moves right


def test_extrinsics_invert_pose():
    cam = camera(yaw_deg=13, pitch_deg=-4, roll_deg=1.5)
    assert np.allclose(extrinsics_cam_world(cam) @ pose_world_cam(cam), np.eye(4))
    rotation = pose_world_cam(cam)[:3, :3]
    assert np.allclose(rotation.T @ rotation, np.eye(3)) and np.linalg.det(rotation) == pytest.approx(1.0)


def test_blender_matrix_flips_y_and_z():
    cam = camera(yaw_deg=5)
    cv, bl = pose_world_cam(cam), blender_matrix_world(cam)
    assert np.allclose(bl[:3, 0], cv[:3, 0]) and np.allclose(bl[:3, 1], -cv[:3, 1])
    assert np.allclose(bl[:3, 2], -cv[:3, 2]) and np.allclose(bl[:3, 3], cv[:3, 3])


def test_ray_depth_from_planar():
    k = intrinsics_matrix(camera(width_px=8, height_px=6))
    planar = np.full((6, 8), 10.0, np.float32)
    ray = ray_depth_from_planar(planar, k)
    u, v = 7 - k[0, 2], 0 - k[1, 2]
    assert ray[0, 7] == pytest.approx(10.0 * np.sqrt(1 + (u / k[0, 0]) ** 2 + (v / k[1, 1]) ** 2), rel=1e-6)
    assert ray.min() >= 10.0
