"""Pure label geometry: near-plane clipping, rasterization, amodal boxes, 3D boxes, ids, policy."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from simgen.annotations.amodal import measure_coverage
from simgen.annotations.box3d import object_box3d_cam, wrap_deg
from simgen.annotations.identity import assign_track_ids, instance_ids
from simgen.annotations.policy import LabelPolicy, ignore_reasons, label_counts, policy_for
from simgen.catalog.recipes import RECIPES
from simgen.config.load import load_config
from simgen.errors import ConfigError
from simgen.geometry.camera import project_points
from simgen.geometry.mesh import transform_mesh
from simgen.geometry.primitives import box_mesh
from simgen.geometry.raster import clip_near, rasterize
from tests.blender.scenes import box, camera


def test_rasterize_counts_pixel_centres_of_a_square():
    square = np.array([[[0.2, 0.2], [9.8, 0.2], [9.8, 9.8]], [[0.2, 0.2], [9.8, 9.8], [0.2, 9.8]]])
    coverage = rasterize(square, (0.0, 0.0), (12, 12))
    assert coverage.sum() == 9 * 9 and coverage[1:10, 1:10].all()  # centres 1..9 lie inside
    strided = rasterize(square, (0.0, 0.0), (6, 6), stride=2)
    assert strided.sum() == 4 * 4  # centres 2, 4, 6, 8 per axis


def test_clip_near_keeps_only_the_part_in_front():
    triangle = np.array([[[0.0, 0.0, -1.0], [1.0, 0.0, 3.0], [0.0, 1.0, 3.0]]])  # one vertex behind
    clipped = clip_near(triangle, 0.5)
    assert clipped.shape == (2, 3, 3) and np.all(clipped[..., 2] >= 0.5 - 1e-12)
    area = sum(0.5 * np.linalg.norm(np.cross(t[1] - t[0], t[2] - t[0])) for t in clipped)
    full = 0.5 * np.linalg.norm(np.cross(triangle[0, 1] - triangle[0, 0], triangle[0, 2] - triangle[0, 0]))
    assert area == pytest.approx(full * (1 - (1.5 / 4) ** 2))  # similar triangle cut off at the apex
    one_in = np.array([[[0.0, 0.0, 3.0], [1.0, 0.0, -1.0], [0.0, 1.0, -1.0]]])
    assert clip_near(one_in, 0.5).shape == (1, 3, 3)
    assert clip_near(-np.abs(triangle), 0.5).shape == (0, 3, 3)


def test_amodal_box_of_an_object_reaching_behind_the_camera():
    # A long box from behind the camera to 10 m ahead, below the camera: naive projection of
    # its rear corners (z < 0) would flip them to the other side of the image.
    cam = camera(width_px=96, height_px=72)
    prop = box("long", (1.0, 20.0, 4.5), (2.0, 0.0, 0.0), category="car", instance_index=1)
    coverage = measure_coverage(prop, cam)
    x0, y0, w, h = coverage.bbox_amodal_unclipped
    assert x0 > 47.5, "right of the image centre, like the box"
    assert y0 + h > 72 and coverage.truncation > 0.5
    assert coverage.bbox_amodal[0] == pytest.approx(x0) and coverage.bbox_amodal[0] + coverage.bbox_amodal[2] <= 96
    assert coverage.stride >= 1 and coverage.unoccluded_px == coverage.unoccluded_mask.sum() > 0


def test_whole_object_behind_the_camera_has_no_box():
    coverage = measure_coverage(box("behind", (1, 1, 1), (0.0, -5.0, 4.5), category="car", instance_index=1),
                                camera())
    assert coverage.bbox_amodal is None and coverage.bbox_amodal_unclipped is None
    assert coverage.unoccluded_px == 0 and coverage.truncation == 0.0


def test_strided_extent_estimates_truncation():
    cam = camera(width_px=96, height_px=72)
    prop = box("plate", (8.0, 0.02, 8.0), (0.0, 2.0, 1.0), category="car", instance_index=1)
    exact = measure_coverage(prop, cam)
    coarse = measure_coverage(prop, cam, max_samples=5_000)
    assert exact.stride == 1 and coarse.stride > 1
    assert coarse.truncation == pytest.approx(exact.truncation, abs=0.01)
    assert np.array_equal(coarse.unoccluded_mask, exact.unoccluded_mask)


def test_amodal_box_matches_projected_corners():
    cam = camera(width_px=96, height_px=72, roll_deg=5.0)
    prop = box("cube", (1.2, 0.8, 1.0), (0.4, 8.0, 4.2), 30.0, category="car", instance_index=1)
    corners = transform_mesh(box_mesh((1.2, 0.8, 1.0), (0, 0, 0.5)), (0.4, 8.0, 4.2), yaw_deg=30.0).vertices_m
    uv, _ = project_points(cam, corners)
    x0, y0, w, h = measure_coverage(prop, cam).bbox_amodal_unclipped
    assert np.allclose([x0, y0, x0 + w, y0 + h], np.concatenate([uv.min(0), uv.max(0)]) + 0.5)


def test_box3d_in_camera_frame():
    cam = camera(yaw_deg=10.0)
    prop = box("car", (4.0, 2.0, 1.5), (0.0, 10.0, 0.0), 100.0, category="car", instance_index=1)
    box3d = object_box3d_cam(prop, cam)
    assert box3d.size_m == pytest.approx((4.0, 2.0, 1.5))
    assert box3d.yaw_deg == pytest.approx(90.0)
    assert box3d.distance_m == pytest.approx(np.linalg.norm(np.array([0.0, 10.0, 0.75]) - cam.location_m))
    rotation = np.array(box3d.rotation_cam_obj)
    assert np.allclose(rotation @ rotation.T, np.eye(3))
    assert wrap_deg(190.0) == pytest.approx(-170.0) and wrap_deg(-180.0) == 180.0


def test_instance_ids_are_stable_unique_and_ignore_pose_name_and_index():
    a = box("car_000", (4.0, 2.0, 1.5), (0.0, 10.0, 0.0), category="car", instance_index=1)
    moved = dataclasses.replace(a, name="car_007", instance_index=5, location_m=(3.0, 20.0, 0.0), yaw_deg=45.0)
    twin = dataclasses.replace(a, name="car_001", instance_index=2)
    bigger = dataclasses.replace(a, name="car_002", instance_index=3, params={**a.params, "length_m": 4.5})
    first = instance_ids([a, twin, bigger])
    assert instance_ids([moved])[5] == first[1]
    assert len(set(first.values())) == 3, "identical twins in one frame still get distinct ids"
    assert all(0 < v < 2**63 for v in first.values())
    assert instance_ids([a, twin, bigger]) == first


def test_track_ids_follow_consecutive_frames_within_a_shard():
    records = [{"frame_index": i, "annotations": [{"instance_id": iid} for iid in ids]}
               for i, ids in enumerate([[7, 8], [7], [7, 9], [9]])]
    tracks = [[a["track_id"] for a in r["annotations"]] for r in assign_track_ids(records, 0)]
    assert tracks == [[None, None], [7], [7, None], [9]]
    sharded = [[a["track_id"] for a in r["annotations"]] for r in assign_track_ids(records, 2)]
    assert sharded == [[None, None], [7], [None, None], [9]], "frame 2 starts shard 1"


def test_policy_reasons_and_per_category_overrides():
    cfg = load_config({"labels": {"min_visible_px": 10, "max_truncation": 0.8,
                                  "category_overrides": {"pedestrian": {"min_bbox_height_px": 25}}}})
    car, pedestrian = policy_for(cfg.labels, "car"), policy_for(cfg.labels, "pedestrian")
    # The fields not set keep the training defaults (configs/labels/training.yaml = the schema).
    assert car == LabelPolicy(min_visible_px=10, max_truncation=0.8, min_bbox_height_px=10, min_fog_transmittance=0.05)
    assert pedestrian.min_bbox_height_px == 25 and pedestrian.min_visible_px == 10
    assert ignore_reasons(car, 50, 0.9, 0.1, 20) == ()
    assert ignore_reasons(pedestrian, 50, 0.9, 0.1, 20) == ("min_bbox_height_px",)
    assert ignore_reasons(car, 5, 0.9, 0.9, 20) == ("min_visible_px", "max_truncation")
    assert ignore_reasons(car, 50, 0.9, 0.1, 20, fog_transmittance=0.01) == ("min_fog_transmittance",)
    counts = label_counts([("car", False), ("car", True), ("pedestrian", False)], cfg.labels.categories)
    assert list(counts)[:4] == ["car", "pedestrian", "cyclist", "traffic_cone"]
    assert len(counts) == len(cfg.labels.categories)
    assert counts["car"] == {"kept": 1, "ignored": 1}


@pytest.mark.parametrize("overrides, field", [
    ({"tram": {"min_visible_px": 1}}, "labels.category_overrides.tram"),
    ({"car": {"min_visble_px": 1}}, "labels.category_overrides.car.min_visble_px"),
    ({"car": {"max_truncation": 1.5}}, "labels.category_overrides.car.max_truncation"),
    ({"car": {"min_visible_px": 2.5}}, "labels.category_overrides.car.min_visible_px"),
    ({"car": 3}, "labels.category_overrides.car"),
])
def test_bad_category_overrides_name_the_field(overrides, field):
    with pytest.raises(ConfigError) as info:
        load_config({"labels": {"category_overrides": overrides}})
    assert info.value.field == field


@pytest.mark.parametrize("recipe", sorted(RECIPES))
def test_recipe_faces_are_convex_so_fan_triangulation_is_exact(recipe):
    mesh = RECIPES[recipe].build_mesh({})
    for face in mesh.faces:
        points = mesh.vertices_m[list(face)]
        normal = np.cross(points[1] - points[0], points[2] - points[0])
        turns = [np.dot(np.cross(points[(i + 1) % len(face)] - points[i],
                                 points[(i + 2) % len(face)] - points[(i + 1) % len(face)]), normal)
                 for i in range(len(face))]
        assert min(turns) >= -1e-9 or max(turns) <= 1e-9, f"{recipe}: non-convex face {face}"


def test_rasterize_matches_a_brute_force_point_in_triangle_test():
    rng = np.random.default_rng(0)
    for k in range(60):
        triangles = rng.uniform(-10, 50, (5, 3, 2))
        if k % 3 == 0:
            triangles = np.round(triangles)  # vertices on sample centres
        if k % 5 == 0:
            triangles[:, 1, 1] = triangles[:, 0, 1]  # horizontal edges
        stride = 1 + k % 3
        rows, cols = np.meshgrid(np.arange(30), np.arange(40), indexing="ij")
        u, v = -2.0 + stride * cols, 1.0 + stride * rows
        expected = np.zeros((30, 40), bool)
        for tri in triangles:
            area = (tri[1, 0] - tri[0, 0]) * (tri[2, 1] - tri[0, 1]) - (tri[2, 0] - tri[0, 0]) * (tri[1, 1] - tri[0, 1])
            if abs(area) < 1e-12:
                continue
            tri = tri if area > 0 else tri[::-1]
            inside = np.ones((30, 40), bool)
            for i in range(3):
                p, q = tri[i], tri[(i + 1) % 3]
                inside &= (q[0] - p[0]) * (v - p[1]) - (q[1] - p[1]) * (u - p[0]) >= -1e-9
            expected |= inside
        assert np.array_equal(rasterize(triangles, (-2.0, 1.0), (30, 40), stride), expected)
