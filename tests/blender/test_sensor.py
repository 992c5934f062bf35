"""Acceptance of the sensor model (issue 9) on real Cycles renders of a known-geometry scene.

A camera 5 m above a ground plane looks along +y at a wall 15 m away; two boxes float in the
upper-left and lower-right corners, where barrel distortion
bends them most. The frame goes through the renderer and the pipeline's own `write_frame`, so
what is checked is what a dataset contains. Expected values come from OpenCV's own
`cv2.projectPoints` / `cv2.undistortPointsIter`, not from simgen's distortion code.
"""

from __future__ import annotations

import dataclasses
import json

import cv2
import numpy as np
import pytest
from pycocotools import mask as mask_utils

from simgen.config.dump import config_to_plain
from simgen.dataset.directory import DatasetDir
from simgen.dataset.finalize import finalize_dataset
from simgen.geometry.camera import extrinsics_cam_world, intrinsics_matrix, project_points
from simgen.geometry.mesh import transform_mesh
from simgen.geometry.primitives import box_mesh
from simgen.pipeline import write_frame
from simgen.specs import SensorSpec
from tests.blender.scenes import box, camera, frame
from tests.conftest import tiny_config

pytestmark = pytest.mark.blender

COEFFS = (-0.3, 0.08, 0.002, -0.001, 0.0)
BOXES = {1: ((1.2, 0.8, 1.0), (-2.0, 7.0, 6.0)), 2: ((1.5, 1.0, 1.0), (2.2, 8.0, 2.8))}
WALL_Y_M, CAMERA_Z_M = 15.0, 5.0


def distorted_box_edges_px(cam, size_m, location_m) -> np.ndarray:
    """(x0, y0, x1, y1) pixel-edge extent of the box's 12 edges, sampled every ~0.01 px and
    distorted by cv2.projectPoints."""
    corners = transform_mesh(box_mesh(size_m, (0, 0, size_m[2] / 2)), location_m).vertices_m
    t = np.linspace(0.0, 1.0, 2001)[:, None]
    points = np.concatenate([corners[i] + (corners[j] - corners[i]) * t
                             for i in range(8) for j in range(i + 1, 8)])
    extrinsics = extrinsics_cam_world(cam)
    rvec, _ = cv2.Rodrigues(extrinsics[:3, :3])
    uv, _ = cv2.projectPoints(points, rvec, extrinsics[:3, 3], intrinsics_matrix(cam), np.array(COEFFS))
    uv = uv.reshape(-1, 2)
    return np.concatenate([uv.min(axis=0), uv.max(axis=0)]) + 0.5


def test_distorted_masks_boxes_and_depth_follow_the_lens(renderer, tmp_path):
    cam = camera(width_px=96, height_px=72)
    ground = box("ground", (60.0, 60.0, 0.2), (0.0, 20.0, -0.2))
    wall = box("wall", (60.0, 0.2, 9.0), (0.0, WALL_Y_M + 0.1, 0.0))
    objects = [box(f"box{i}", size, loc, category="car", instance_index=i) for i, (size, loc) in BOXES.items()]
    spec = dataclasses.replace(frame(cam, scenery=[ground, wall], objects=objects), sensor=SensorSpec(COEFFS))
    passes, timing = renderer.render(spec)
    # The renderer applied the render camera itself: barrel distortion needs an overscan render.
    assert passes.camera.width_px > 96 and passes.camera.height_px > 72
    assert passes.object_index.shape == (passes.camera.height_px, passes.camera.width_px)
    cfg = tiny_config(tmp_path, frames=1, **{"output.depth_float": "npy", "output.instance_maps": True})
    dataset = DatasetDir(tmp_path / "out")
    write_frame(cfg, spec, passes, timing, dataset, 0.0)
    finalize_dataset(cfg, dataset, {}, config_to_plain(cfg))
    coco = json.loads((dataset.root / "annotations.json").read_text())
    (image,) = coco["images"]
    assert image["dist_coeffs"] == list(COEFFS) and (image["width"], image["height"]) == (96, 72)
    assert {a["instance_index"] for a in coco["annotations"]} == set(BOXES)
    k = intrinsics_matrix(cam)
    for ann in coco["annotations"]:
        expected = distorted_box_edges_px(cam, *BOXES[ann["instance_index"]])
        x, y, w, h = ann["bbox"]
        assert np.all(np.abs(np.array([x, y, x + w, y + h]) - expected) <= 1.0), (ann["bbox"], expected)
        ax, ay, aw, ah = ann["bbox_amodal_unclipped"]
        assert np.all(np.abs(np.array([ax, ay, ax + aw, ay + ah]) - expected) <= 0.01)
        # The pinhole box differs: distortion really moved the labels.
        corners = transform_mesh(box_mesh(BOXES[ann["instance_index"]][0], (0, 0, 0.5)),
                                 BOXES[ann["instance_index"]][1]).vertices_m
        pinhole = project_points(cam, corners)[0]
        pinhole_edges = np.concatenate([pinhole.min(axis=0), pinhole.max(axis=0)]) + 0.5
        assert np.abs(pinhole_edges - expected).max() > 1.5  # more than the 1 px tolerance
        mask = mask_utils.decode(ann["segmentation"]).astype(bool)
        assert mask.sum() == ann["area"]
        assert ann["visible_fraction"] > 0.97 and ann["truncation"] == 0.0
    depth = np.load(dataset.root / "depth" / "000000.npy")
    index = cv2.imread(str(dataset.root / "instance" / "000000.png"), cv2.IMREAD_UNCHANGED)
    assert depth.shape == (72, 96) and index.shape == (72, 96)
    # Wall pixels: planar depth 15 m. Ground pixels: planar depth h / y_n, y_n from the
    # undistorted ray of the pixel; the value must come from the pinhole pixel nearest to it.
    u, v = np.meshgrid(np.arange(96.0), np.arange(72.0))
    undistorted = cv2.undistortPointsIter(np.stack([u, v], -1).reshape(-1, 1, 2), k, np.array(COEFFS), None, k,
                                          (cv2.TERM_CRITERIA_COUNT | cv2.TERM_CRITERIA_EPS, 100, 1e-12))
    v_source = undistorted.reshape(72, 96, 2)[..., 1]
    ground_px = (index == 0) & (depth < WALL_Y_M - 0.05)
    wall_px = (index == 0) & np.isfinite(depth) & ~ground_px
    assert ground_px.sum() > 500 and wall_px.sum() > 500
    assert np.all(np.abs(depth[wall_px] - WALL_Y_M) < 0.01)
    v_implied = k[1, 2] + k[1, 1] * CAMERA_Z_M / depth[ground_px].astype(np.float64)
    assert np.all(np.abs(v_implied - v_source[ground_px]) <= 0.5 + 0.02), "ground depth follows the warp"
    # Mask and depth move together: inside each mask, depth lies within that box's depth range.
    for i, (size, loc) in BOXES.items():
        ys = (loc[1] - size[1] / 2, loc[1] + size[1] / 2)
        assert np.all((depth[index == i] > ys[0] - 0.01) & (depth[index == i] < ys[1] + 0.01))


def test_dashcam_sensor_through_the_real_pipeline(tmp_path):
    """The `dashcam` sensor option end to end: sampled, recorded, applied, byte-deterministic."""
    from simgen.pipeline import render_dataset

    dashcam = {"k1": {"uniform": [-0.1, -0.02]}, "k2": {"uniform": [0.0, 0.02]}, "vignetting": 0.3,
               "chromatic_aberration_px": 0.8, "shot_noise": 0.02, "read_noise": 0.005, "jpeg_quality": 75,
               "exposure_ev": 0.3, "white_balance_r": 1.05}
    outputs = []
    for run in ("a", "b"):
        cfg = tiny_config(tmp_path / run, frames=1, sensor=dashcam,
                          render={"resolution": [48, 36], "samples": 1, "denoise": False, "device": "cpu",
                                  "threads": 2})
        render_dataset(cfg)
        outputs.append(tmp_path / run / "out")
    coco = json.loads((outputs[0] / "annotations.json").read_text())
    manifest = json.loads((outputs[0] / "manifest.jsonl").read_text().splitlines()[0])
    sensor = manifest["spec"]["sensor"]
    assert coco["images"][0]["dist_coeffs"] == sensor["dist_coeffs"] and -0.1 <= sensor["dist_coeffs"][0] <= -0.02
    assert sensor["jpeg_quality"] == 75 and sensor["vignetting"] == 0.3
    for ann in coco["annotations"]:
        mask = mask_utils.decode(ann["segmentation"]).astype(bool)
        rows, cols = np.nonzero(mask)
        assert ann["area"] == mask.sum()
        assert ann["bbox"] == [cols.min(), rows.min(), cols.max() - cols.min() + 1, rows.max() - rows.min() + 1]
    for name in ("images/000000.png", "depth/000000.png", "annotations.json"):
        assert (outputs[0] / name).read_bytes() == (outputs[1] / name).read_bytes(), name
