"""COCO keypoints from the posed skeleton: projection, visibility rule, COCO fields (pure)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from simgen.annotations.keypoints import Keypoints, coco_lists, frame_keypoints, person_keypoints, skeleton_world
from simgen.catalog.prop_mesh import prop_skeleton
from simgen.catalog.recipes import RECIPES
from simgen.catalog.recipes.body import face_points
from simgen.catalog.recipes.people import PEDESTRIAN_DEFAULTS, posed_pedestrian
from simgen.contract import KEYPOINT_NAMES, KEYPOINT_SKELETON
from simgen.geometry.camera import extrinsics_cam_world, intrinsics_matrix
from simgen.geometry.mesh import rotation_matrix_xyz
from simgen.specs import CameraSpec, MaterialSpec, PropSpec, SensorSpec
from simgen.writers.coco import categories_entry
from tests.blender.scenes import frame

CAMERA = CameraSpec(width_px=160, height_px=120, focal_length_mm=30.0, sensor_width_mm=36.0,
                    location_m=(0.0, 0.0, 1.3), yaw_deg=0.0, pitch_deg=-4.0, roll_deg=0.0)
GREY = MaterialSpec((0.5, 0.5, 0.5), 0.5)
PARAMS = {"height_m": 1.7, "shoulder_width_m": 0.44, "speed_m_s": 1.4, "gait_phase": 0.3}


def _pedestrian(yaw_deg: float = 30.0, location_m=(0.4, 6.0, 0.0), index: int = 1) -> PropSpec:
    return PropSpec(name=f"pedestrian_{index:03d}", asset="adult", recipe="pedestrian", params=PARAMS,
                    location_m=location_m, yaw_deg=yaw_deg, materials={"skin": GREY}, category="pedestrian",
                    instance_index=index)


def _cv2_keypoints(prop: PropSpec, camera: CameraSpec, dist: tuple[float, ...]) -> np.ndarray:
    """The skeleton joints from the recipe, posed and projected by OpenCV: an independent path."""
    mesh, joints = posed_pedestrian({**PEDESTRIAN_DEFAULTS, **PARAMS})  # the builder takes complete params
    del mesh
    skeleton = RECIPES["pedestrian"].build_skeleton(PARAMS)
    joints = {**joints, **face_points(skeleton.body, joints["head"])}
    yaw = np.deg2rad(prop.yaw_deg)
    rotation = np.array([[np.cos(yaw), -np.sin(yaw), 0.0], [np.sin(yaw), np.cos(yaw), 0.0], [0.0, 0.0, 1.0]])
    world = np.array([rotation @ joints[name] + prop.location_m for name in KEYPOINT_NAMES])
    extrinsics = extrinsics_cam_world(camera)
    rvec, _ = cv2.Rodrigues(extrinsics[:3, :3])
    pixels, _ = cv2.projectPoints(world, rvec, extrinsics[:3, 3], intrinsics_matrix(camera), np.array(dist))
    return pixels.reshape(-1, 2) + 0.5  # pixel-edge coordinates, as COCO boxes


@pytest.mark.parametrize("dist", [(0.0,) * 5, (-0.25, 0.06, 0.001, -0.0015, 0.0)])
def test_keypoints_are_the_skeleton_projected_through_the_lens(dist):
    prop, sensor = _pedestrian(), SensorSpec(dist_coeffs=dist)
    depth = np.full((CAMERA.height_px, CAMERA.width_px), np.inf, dtype=np.float32)
    kp = person_keypoints(prop, CAMERA, sensor, depth, np.zeros(depth.shape, dtype=np.int32))
    assert kp is not None and kp.num_keypoints == 17
    assert np.all(kp.xyv[:, 2] == 2)  # nothing in front: all visible
    np.testing.assert_allclose(kp.xyv[:, :2], _cv2_keypoints(prop, CAMERA, dist), atol=1e-6)


def test_a_surface_in_front_of_a_part_occludes_it_and_outside_the_image_is_zero():
    prop = _pedestrian(yaw_deg=0.0)
    points, radii = skeleton_world(prop)
    depth = np.full((CAMERA.height_px, CAMERA.width_px), np.inf, dtype=np.float32)
    index = np.zeros(depth.shape, dtype=np.int32)
    knee = KEYPOINT_NAMES.index("left_knee")
    probe = person_keypoints(prop, CAMERA, SensorSpec(), depth, index)
    col, row = np.floor(probe.xyv[knee, :2]).astype(int)
    planar = (extrinsics_cam_world(CAMERA)[:3, :3] @ points[knee] + extrinsics_cam_world(CAMERA)[:3, 3])[2]
    depth[row, col] = planar - 1.0  # an object 1 m in front of the knee
    kp = person_keypoints(prop, CAMERA, SensorSpec(), depth, index)
    assert kp.xyv[knee, 2] == 1 and not kp.occluded_by_self[knee]
    depth[row, col], index[row, col] = planar - 0.3 * radii[knee], 1  # the person's own knee surface
    assert person_keypoints(prop, CAMERA, SensorSpec(), depth, index).xyv[knee, 2] == 2
    depth[row, col] = planar - 0.5  # its own body, far in front: self-occluded
    kp = person_keypoints(prop, CAMERA, SensorSpec(), depth, index)
    assert kp.xyv[knee, 2] == 1 and kp.occluded_by_self[knee]
    half_out = _pedestrian(location_m=(3.6, 6.0, 0.0))  # the right edge of the image cuts the body
    kp = person_keypoints(half_out, CAMERA, SensorSpec(), np.full_like(depth, np.inf), index)
    outside = kp.xyv[:, 2] == 0
    assert 0 < outside.sum() < 17 and np.all(kp.xyv[outside] == 0)
    behind = _pedestrian(location_m=(0.0, -3.0, 0.0))
    assert person_keypoints(behind, CAMERA, SensorSpec(), depth, index).num_keypoints == 0


def test_people_without_a_skeleton_get_zero_keypoints_and_other_categories_none():
    from tests.blender.scenes import frame

    mannequin = PropSpec(name="pedestrian_002", asset="statue", recipe="slab", params={}, location_m=(0.0, 5.0, 0.0),
                         yaw_deg=0.0, materials={}, category="pedestrian", instance_index=2)
    car = PropSpec(name="car_003", asset="car", recipe="car", params={}, location_m=(2.0, 9.0, 0.0), yaw_deg=0.0,
                   materials={}, category="car", instance_index=3)
    spec = frame(CAMERA, objects=[_pedestrian(), mannequin, car])
    depth = np.full((CAMERA.height_px, CAMERA.width_px), np.inf, dtype=np.float32)
    people = frame_keypoints(spec, depth, np.zeros(depth.shape, dtype=np.int32))
    assert sorted(people) == [1, 2]
    assert people[2].num_keypoints == 0 and people[2].to_coco() == [0.0, 0.0, 0] * 17
    assert people[1].num_keypoints == 17 and len(people[1].to_coco()) == 51


def test_the_cyclist_skeleton_is_the_rider_on_the_bicycle():
    skeleton = RECIPES["cyclist"].build_skeleton({})
    joints = skeleton.joints_m
    mesh = RECIPES["cyclist"].build_mesh({})
    assert joints["nose"][2] > joints["left_shoulder"][2] > joints["left_hip"][2] > 0.5
    assert joints["nose"][0] > joints["left_hip"][0]  # leaning forward over the bars
    low, high = mesh.bounds_m
    for name in KEYPOINT_NAMES:
        assert np.all(joints[name] >= low - 1e-9) and np.all(joints[name] <= high + 1e-9), name


def test_keypoint_categories_carry_names_and_skeleton():
    entries = {c["name"]: c for c in categories_entry({"car": 1, "pedestrian": 2, "cyclist": 3})}
    assert "keypoints" not in entries["car"]
    for name in ("pedestrian", "cyclist"):
        assert entries[name]["keypoints"] == list(KEYPOINT_NAMES)
        assert entries[name]["skeleton"] == [list(pair) for pair in KEYPOINT_SKELETON]
        assert all(1 <= a <= 17 and 1 <= b <= 17 for a, b in entries[name]["skeleton"])



def test_people_posed_together_are_bit_for_bit_the_rotation_matrix_pose():
    """The stacked pose of every person equals the single-person pose through
    rotation_matrix_xyz (what the label code computed before), byte for byte."""
    people = [_pedestrian(yaw, (0.3 * k, 5.0 + k, 0.0), k + 1) for k, yaw in enumerate((-170.0, -33.3, 0.0, 91.7))]
    sky, nothing = np.full((120, 160), np.inf, np.float32), np.zeros((120, 160), np.int32)
    together = frame_keypoints(frame(CAMERA, objects=people), sky, nothing)
    for prop in people:
        joints = prop_skeleton(prop).joints_m
        object_points = np.array([joints[name] for name in KEYPOINT_NAMES], dtype=np.float64)
        before = object_points @ rotation_matrix_xyz(0.0, 0.0, prop.yaw_deg).T + np.asarray(prop.location_m)
        assert skeleton_world(prop)[0].tobytes() == before.tobytes()
        alone = person_keypoints(prop, CAMERA, SensorSpec(), sky, nothing)
        assert alone.xyv.tobytes() == together[prop.instance_index].xyv.tobytes()
        assert alone.num_keypoints > 0


def test_coco_lists_equal_python_round_bit_for_bit():
    """The batched COCO lists against `round(x, 3)` per value: random coordinates, exact and
    near ties of the third decimal, negative zero, large values (repr compares sign and type)."""
    rng = np.random.default_rng(5)
    ties = np.round(rng.uniform(0, 700, 20000), 3) + 0.0005
    x = np.concatenate([rng.uniform(-50, 700, 50000), ties, np.nextafter(ties, 0), np.nextafter(ties, 1e9),
                        np.arange(0, 20, 0.0005), [-0.0001, -0.0, 0.0, 1e5 + 0.0005, 123456.7895, 2.0675]])
    xyv = np.stack([x, x[::-1], rng.integers(0, 3, len(x)).astype(float)], axis=1)
    expected = [v for a, b, c in xyv.tolist() for v in (round(a, 3), round(b, 3), int(c))]
    assert repr(coco_lists(xyv)) == repr(expected)
    person = Keypoints(xyv[:17], np.zeros(17, dtype=bool))
    assert repr(person.to_coco()) == repr(expected[:51])
