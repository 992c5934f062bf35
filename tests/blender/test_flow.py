"""Optical flow of a sequence on real Cycles renders (issue 16): a static scene seen by a moving
camera, whose flow is the reprojection of each pixel's depth-pass point through the two camera
poses (checked with OpenCV, pinhole and distorted), and a box moving at a known speed, whose
flow is its analytic displacement; both within 0.05 px."""

from __future__ import annotations

import dataclasses

import cv2
import numpy as np
import pytest

from simgen.annotations.flow import frame_flow
from simgen.contract import FLOW_OCCLUDED, FLOW_SKY, FLOW_VALID
from simgen.geometry.camera import extrinsics_cam_world, intrinsics_matrix
from simgen.imaging.sensor import apply_sensor
from simgen.specs import SensorSpec
from tests.blender.scenes import box, camera, frame

pytestmark = pytest.mark.blender

TOLERANCE_PX = 0.05
DISTORTION = (-0.18, 0.03, 0.0005, -0.0005, 0.0)


def _render(renderer, spec):
    passes, _ = renderer.render(spec)
    return apply_sensor(passes, spec, "planar")[0]


def _street(cam, dist=(0.0,) * 5, frame_index=0):
    scenery = [box("ground", (40.0, 60.0, 0.1), (0.0, 20.0, -0.1)),
               box("wall", (20.0, 0.5, 6.0), (2.0, 24.0, 0.0), yaw_deg=10.0)]
    objects = [box("crate_a", (1.2, 1.0, 1.4), (-1.5, 7.0, 0.0), 25.0, "car", 1),
               box("crate_b", (0.8, 0.8, 2.0), (1.8, 10.0, 0.0), -15.0, "car", 2)]
    return dataclasses.replace(frame(cam, scenery, objects, frame_index), sensor=SensorSpec(dist_coeffs=dist))


def _cv2_reprojection(spec_a, depth_a, spec_b) -> np.ndarray:
    """(H, W, 2) where each pixel's depth-pass point lands in frame b, by OpenCV alone."""
    height, width = depth_a.shape
    k_a, k_b = intrinsics_matrix(spec_a.camera), intrinsics_matrix(spec_b.camera)
    grid = np.stack(np.meshgrid(np.arange(width, dtype=np.float64), np.arange(height, dtype=np.float64)), -1)
    criteria = (cv2.TERM_CRITERIA_COUNT | cv2.TERM_CRITERIA_EPS, 200, 1e-14)
    normalized = cv2.undistortPointsIter(grid.reshape(-1, 1, 2), k_a, np.array(spec_a.sensor.dist_coeffs), None,
                                         None, criteria).reshape(height, width, 2)
    z = np.where(np.isfinite(depth_a), depth_a, np.nan).astype(np.float64)
    cam_a = np.concatenate([normalized * z[..., None], z[..., None]], axis=-1).reshape(-1, 3)
    t_a, t_b = extrinsics_cam_world(spec_a.camera), extrinsics_cam_world(spec_b.camera)
    world = (cam_a - t_a[:3, 3]) @ t_a[:3, :3]  # inverse of a rigid transform
    rvec, _ = cv2.Rodrigues(t_b[:3, :3])
    finite = np.isfinite(world).all(axis=1)
    out = np.full((height * width, 2), np.nan)
    projected, _ = cv2.projectPoints(world[finite], rvec, t_b[:3, 3], k_b, np.array(spec_b.sensor.dist_coeffs))
    out[finite] = projected.reshape(-1, 2)
    return out.reshape(height, width, 2)


@pytest.mark.parametrize("dist", [(0.0,) * 5, DISTORTION], ids=["pinhole", "distorted"])
def test_static_scene_moving_camera_flow_is_the_depth_point_reprojection(renderer, dist):
    cam_a = camera(width_px=96, height_px=72, location_m=(0.0, 0.0, 1.5), pitch_deg=-8.0)
    cam_b = dataclasses.replace(cam_a, location_m=(0.15, 0.8, 1.5), yaw_deg=3.0, pitch_deg=-7.0)
    spec_a, spec_b = _street(cam_a, dist), _street(cam_b, dist, frame_index=1)
    a, b = _render(renderer, spec_a), _render(renderer, spec_b)
    flow, status = frame_flow(spec_a, a.depth_planar_m, a.object_index, spec_b, b.depth_planar_m, b.object_index)
    assert flow.dtype == np.float32 and flow.shape == (72, 96, 2)
    valid = status == FLOW_VALID
    assert valid.mean() > 0.5 and (status == FLOW_SKY).any()
    grid = np.stack(np.meshgrid(np.arange(96.0), np.arange(72.0)), -1)
    reference = _cv2_reprojection(spec_a, a.depth_planar_m, spec_b)
    error = np.abs(grid + flow - reference)[valid]
    assert error.max() < TOLERANCE_PX, error.max()
    # The flow agrees with the second render: where a valid pixel lands, frame b sees the same thing.
    target = np.floor(grid + flow + 0.5).astype(int)[valid]
    assert np.array_equal(b.object_index[target[:, 1], target[:, 0]], a.object_index[valid])


def test_a_box_moving_at_a_known_speed_has_its_analytic_flow(renderer):
    cam = camera(width_px=96, height_px=72, location_m=(0.0, 0.0, 1.0))  # level: image x = world x
    velocity_m_s, fps = 4.0, 10.0
    step = velocity_m_s / fps
    crate = box("crate", (1.0, 1.0, 1.2), (-0.8, 6.0, 0.4), 30.0, "car", 1)
    spec_a = frame(cam, [box("ground", (40.0, 60.0, 0.1), (0.0, 20.0, -0.1))], [crate])
    moved = dataclasses.replace(crate, location_m=(-0.8 + step, 6.0, 0.4))
    spec_b = dataclasses.replace(spec_a, frame_index=1, objects=(moved,))
    a, b = _render(renderer, spec_a), _render(renderer, spec_b)
    flow, status = frame_flow(spec_a, a.depth_planar_m, a.object_index, spec_b, b.depth_planar_m, b.object_index)
    on_box = a.object_index == 1
    assert on_box.sum() > 200
    focal_px = intrinsics_matrix(cam)[0, 0]
    analytic = focal_px * step / a.depth_planar_m[on_box]  # translation parallel to the image plane
    assert np.abs(flow[on_box, 0] - analytic).max() < TOLERANCE_PX
    assert np.abs(flow[on_box, 1]).max() < TOLERANCE_PX
    assert np.abs(flow[a.object_index == 0]).max() < 1e-3  # the ground (and the sky) stay
    backward, back_status = frame_flow(spec_b, b.depth_planar_m, b.object_index, spec_a, a.depth_planar_m,
                                       a.object_index)
    assert np.abs(backward[b.object_index == 1, 0] + focal_px * step / b.depth_planar_m[b.object_index == 1]).max() \
        < TOLERANCE_PX
    # Ground the box uncovers in frame b was behind it in frame a: occluded in the backward flow.
    uncovered = (b.object_index == 0) & (a.object_index == 1) & np.isfinite(b.depth_planar_m)
    assert uncovered.any() and np.all(back_status[uncovered] == FLOW_OCCLUDED)


def test_a_walking_pedestrian_flow_follows_its_skeleton(renderer):
    from simgen.annotations.keypoints import frame_keypoints
    from simgen.contract import KEYPOINT_NAMES
    from simgen.sampling.sequence import _advanced
    from tests.blender.test_people_render import _prop

    cam = camera(width_px=96, height_px=72, location_m=(0.0, 0.0, 1.1), pitch_deg=-6.0)
    walker = _prop("pedestrian", {"speed_m_s": 1.5, "gait_phase": 0.1}, (-0.6, 4.0, 0.0), 0.0, "pedestrian")
    velocity = (1.5, 0.0, 0.0)
    spec_a = frame(cam, objects=[walker])
    spec_b = dataclasses.replace(spec_a, frame_index=1, objects=(_advanced(walker, velocity, 0.1),))
    assert spec_b.objects[0].params["gait_phase"] != walker.params["gait_phase"]  # the legs moved on
    a, b = _render(renderer, spec_a), _render(renderer, spec_b)
    flow, status = frame_flow(spec_a, a.depth_planar_m, a.object_index, spec_b, b.depth_planar_m, b.object_index)
    person = (a.object_index == 1) & (status == FLOW_VALID)
    assert person.sum() > 100
    grid = np.stack(np.meshgrid(np.arange(96.0), np.arange(72.0)), -1)
    target = np.floor(grid + flow + 0.5).astype(int)[person]
    assert np.mean(b.object_index[target[:, 1], target[:, 0]] == 1) > 0.97  # lands on the person again
    kp_a = frame_keypoints(spec_a, a.depth_planar_m, a.object_index)[1].xyv
    kp_b = frame_keypoints(spec_b, b.depth_planar_m, b.object_index)[1].xyv
    checked = 0
    for name in ("left_hip", "right_hip", "left_knee", "right_knee", "left_shoulder", "nose"):
        k = KEYPOINT_NAMES.index(name)
        col, row = np.floor(kp_a[k, :2]).astype(int)
        if kp_a[k, 2] == 2 and a.object_index[row, col] == 1:  # the joint's pixel shows its body part
            np.testing.assert_allclose(kp_a[k, :2] + flow[row, col], kp_b[k, :2], atol=1.0, err_msg=name)
            checked += 1
    assert checked >= 3
