"""Optical flow between two frames of a sequence, from the known motion of every surface point.

For each pixel p of frame a (pixel-centre coordinates, the output image: distorted if the lens
distorts), the depth pass gives the planar depth z of its surface point, which is back-projected
through p's own ray (the lens inverted exactly, `simgen.geometry.lens.source_map`) to a world
point X. The object-index pass says what X belongs to:

    * scenery (index 0): static, X' = X;
    * a rigid labeled object: X' = X + (its location in frame b - its location in frame a);
    * a person (a recipe with a skeleton): X moves with the nearest bone of its skeleton from the
      pose of frame a to the pose of frame b (`PERSON_BONES`; the bone's translation plus the
      smallest rotation taking its direction in a to its direction in b), which also moves the
      limbs as the gait advances.

X' is projected into frame b's camera (pinhole K, then the lens) at p', and flow = p' - p
(float32 pixels, x right, y down). Sky pixels (no surface) get the flow of their direction at
infinity (the camera's rotation alone). `status` says how far to trust each pixel:
FLOW_VALID, FLOW_OCCLUDED (p' is inside frame b but something else is in front there: frame
b's object index at p' is another object, or its depth is nearer than X' by more than
OCCLUSION_TOLERANCE), FLOW_OUT_OF_VIEW (p' outside frame b or X' behind its camera), FLOW_SKY.
"""

from __future__ import annotations

import numpy as np

from simgen.annotations.keypoints import skeleton_world
from simgen.contract import FLOW_OCCLUDED, FLOW_OUT_OF_VIEW, FLOW_SKY, FLOW_VALID, KEYPOINT_NAMES
from simgen.geometry.camera import extrinsics_cam_world, intrinsics_matrix, pose_world_cam
from simgen.geometry.lens import distort_pixels, pixel_grid, source_map
from simgen.specs import CameraSpec, FrameSpec, PropSpec, SensorSpec

OCCLUSION_TOLERANCE = (0.05, 0.05)
"""(relative, metres): frame b's depth at p' may be nearer than X' by 5 % + 5 cm (the pixel
rounding of p' on slanted surfaces) before the pixel counts as occluded."""
PERSON_BONES = tuple((KEYPOINT_NAMES.index(a), KEYPOINT_NAMES.index(b)) for a, b in (
    ("left_hip", "left_knee"), ("left_knee", "left_ankle"), ("right_hip", "right_knee"),
    ("right_knee", "right_ankle"), ("left_shoulder", "left_elbow"), ("left_elbow", "left_wrist"),
    ("right_shoulder", "right_elbow"), ("right_elbow", "right_wrist"), ("left_hip", "left_shoulder"),
    ("right_hip", "right_shoulder"), ("left_ear", "right_ear"), ("nose", "left_ear"), ("nose", "right_ear")))
"""Skeleton segments (KEYPOINT_NAMES indices) a person's surface points ride on: legs, arms, the
two sides of the torso, and the head."""


def backproject(depth_planar_m: np.ndarray, camera: CameraSpec, sensor: SensorSpec) -> np.ndarray:
    """(H, W, 3) float64 OpenCV camera coordinates (metres) of each pixel's surface point; for
    pixels without a surface (+inf depth) the unit-z ray direction (x/z, y/z, 1) instead."""
    height, width = depth_planar_m.shape
    intrinsics = intrinsics_matrix(camera)
    pinhole = (source_map(width, height, intrinsics, sensor.dist_coeffs) if sensor.distorts
               else pixel_grid(width, height))
    x = (pinhole[..., 0] - intrinsics[0, 2]) / intrinsics[0, 0]
    y = (pinhole[..., 1] - intrinsics[1, 2]) / intrinsics[1, 1]
    z = np.where(np.isfinite(depth_planar_m), depth_planar_m, 1.0).astype(np.float64)
    return np.stack([x * z, y * z, z], axis=-1)


def project(points_cam: np.ndarray, camera: CameraSpec, sensor: SensorSpec) -> np.ndarray:
    """(..., 2) pixel-centre coordinates of (..., 3) camera points through K and the lens."""
    intrinsics = intrinsics_matrix(camera)
    z = np.where(points_cam[..., 2] > 1e-9, points_cam[..., 2], 1e-9)
    pixels = np.stack([points_cam[..., 0] / z * intrinsics[0, 0] + intrinsics[0, 2],
                       points_cam[..., 1] / z * intrinsics[1, 1] + intrinsics[1, 2]], axis=-1)
    return distort_pixels(pixels, intrinsics, sensor.dist_coeffs) if sensor.distorts else pixels


def _rotation_between(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(3, 3) smallest rotation taking direction a to direction b (Rodrigues)."""
    a, b = a / np.linalg.norm(a), b / np.linalg.norm(b)
    axis, cos = np.cross(a, b), float(np.dot(a, b))
    if np.linalg.norm(axis) < 1e-12:
        return np.eye(3) if cos > 0 else -np.eye(3)
    k = np.array([[0.0, -axis[2], axis[1]], [axis[2], 0.0, -axis[0]], [-axis[1], axis[0], 0.0]])
    return np.eye(3) + k + k @ k / (1.0 + cos)


def _person_motion(points: np.ndarray, before: PropSpec, after: PropSpec) -> np.ndarray:
    """(N, 3) world points of a person in frame a carried by their nearest bone to frame b."""
    joints_a, _ = skeleton_world(before)
    joints_b, _ = skeleton_world(after)
    starts = joints_a[[i for i, _ in PERSON_BONES]][None]
    ends = joints_a[[j for _, j in PERSON_BONES]][None]
    segment = ends - starts  # (1, B, 3)
    t = np.clip(np.einsum("nbk,nbk->nb", points[:, None, :] - starts, segment) / np.einsum(
        "nbk,nbk->nb", segment, segment), 0.0, 1.0)
    nearest = np.argmin(np.linalg.norm(points[:, None, :] - (starts + t[..., None] * segment), axis=-1), axis=1)
    moved = np.empty_like(points)
    for bone, (i, j) in enumerate(PERSON_BONES):
        chosen = nearest == bone
        if chosen.any():
            rotation = _rotation_between(joints_a[j] - joints_a[i], joints_b[j] - joints_b[i])
            moved[chosen] = (points[chosen] - joints_a[i]) @ rotation.T + joints_b[i]
    return moved


def scene_flow_world(points_world: np.ndarray, object_index: np.ndarray, spec_a: FrameSpec,
                     spec_b: FrameSpec) -> np.ndarray:
    """(H, W, 3) world positions in frame b of the (H, W, 3) surface points of frame a."""
    moved = points_world.copy()
    after = {p.name: p for p in spec_b.objects}
    for prop in spec_a.labeled_objects:
        mask = object_index == prop.instance_index
        if not mask.any() or prop.name not in after:
            continue
        other = after[prop.name]
        if skeleton_world(prop) is not None:
            moved[mask] = _person_motion(points_world[mask], prop, other)
        else:
            moved[mask] += np.subtract(other.location_m, prop.location_m)
    return moved


def frame_flow(spec_a: FrameSpec, depth_a: np.ndarray, index_a: np.ndarray, spec_b: FrameSpec,
               depth_b: np.ndarray, index_b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Flow from frame a to frame b of one sequence (see the module docstring).

    Args:
        depth_a, depth_b: (H, W) float32 planar depth of the output images, metres, +inf = sky.
        index_a, index_b: (H, W) int32 object-index passes of the output images.

    Returns:
        flow: (H, W, 2) float32 pixel displacement (dx, dy) from a to b.
        status: (H, W) uint8 FLOW_VALID / FLOW_OCCLUDED / FLOW_OUT_OF_VIEW / FLOW_SKY.
    """
    height, width = depth_a.shape
    cam_a, cam_b = spec_a.camera, spec_b.camera
    rays = backproject(depth_a, cam_a, spec_a.sensor)
    sky = ~np.isfinite(depth_a)
    pose_a, extrinsics_b = pose_world_cam(cam_a), extrinsics_cam_world(cam_b)
    world = rays @ pose_a[:3, :3].T + pose_a[:3, 3]
    world_b = scene_flow_world(world, index_a, spec_a, spec_b)
    in_b = world_b @ extrinsics_b[:3, :3].T + extrinsics_b[:3, 3]
    in_b[sky] = rays[sky] @ (extrinsics_b[:3, :3] @ pose_a[:3, :3]).T  # directions: rotation only
    target = project(in_b, cam_b, spec_b.sensor)
    flow = (target - pixel_grid(width, height)).astype(np.float32)
    cols, rows = np.floor(target[..., 0] + 0.5).astype(np.int64), np.floor(target[..., 1] + 0.5).astype(np.int64)
    inside = (in_b[..., 2] > cam_b.clip_start_m) & (cols >= 0) & (cols < width) & (rows >= 0) & (rows < height)
    rows, cols = np.where(inside, rows, 0), np.where(inside, cols, 0)
    relative, absolute = OCCLUSION_TOLERANCE
    hidden = (depth_b[rows, cols] < in_b[..., 2] * (1.0 - relative) - absolute) | (index_b[rows, cols] != index_a)
    status = np.where(inside, np.where(hidden, FLOW_OCCLUDED, FLOW_VALID), FLOW_OUT_OF_VIEW).astype(np.uint8)
    status[sky] = FLOW_SKY
    return flow, status
