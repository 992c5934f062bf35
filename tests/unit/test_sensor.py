"""The sensor model's pure parts: distortion against OpenCV, label warps, sampling, RGB effects."""

from __future__ import annotations

import dataclasses

import cv2
import numpy as np
import pytest
import yaml

from simgen.catalog.entries import load_catalog
from simgen.errors import ConfigError, RenderError
from simgen.geometry.camera import intrinsics_matrix
from simgen.geometry.lens import distort_pixels, source_map, undistort_pixels
from simgen.imaging.sensor import apply_sensor
from simgen.imaging.sensor_effects import nearest_remap
from simgen.render.camera import render_camera
from simgen.render.passes import RenderPasses
from simgen.sampling.frame import sample_frame
from simgen.sampling.sensor import check_distortion, sample_sensor
from simgen.specs import SensorSpec
from tests.blender.scenes import camera, frame

K = np.array([[80.0, 0.0, 47.5], [0.0, 80.0, 35.5], [0.0, 0.0, 1.0]])
COEFFS = (-0.25, 0.05, 0.002, -0.001, 0.01)
DASHCAM = {"k1": -0.2, "k2": 0.03, "p1": 0.001, "p2": -0.001, "exposure_ev": 0.3, "white_balance_r": 1.05,
           "white_balance_b": 0.95, "vignetting": 0.3, "chromatic_aberration_px": 0.8, "shot_noise": 0.02,
           "read_noise": 0.005, "jpeg_quality": 80}


def test_distortion_matches_opencv_both_ways():
    points = np.random.default_rng(0).uniform([-5, -5], [100, 76], (500, 2))
    normalized = np.c_[(points - K[:2, 2]) / 80.0, np.ones(len(points))]
    expected, _ = cv2.projectPoints(normalized, np.zeros(3), np.zeros(3), K, np.array(COEFFS))
    distorted = distort_pixels(points, K, COEFFS)
    assert np.abs(distorted - expected.reshape(-1, 2)).max() < 1e-9
    back = cv2.undistortPointsIter(distorted.reshape(-1, 1, 2), K, np.array(COEFFS), None, K,
                                   (cv2.TERM_CRITERIA_COUNT | cv2.TERM_CRITERIA_EPS, 200, 1e-14)).reshape(-1, 2)
    assert np.abs(undistort_pixels(distorted, K, COEFFS) - points).max() < 1e-6
    assert np.abs(back - points).max() < 1e-4


def test_nearest_remap_never_invents_ids_or_depths():
    ids = np.random.default_rng(1).integers(0, 5, (90, 110)).astype(np.int32)
    depth = np.random.default_rng(2).uniform(1, 50, (90, 110)).astype(np.float32)
    sources = source_map(96, 72, K, COEFFS)
    warped_ids = nearest_remap(ids, sources, (7, 9), 0)
    warped_depth = nearest_remap(depth, sources, (7, 9), np.inf)
    assert warped_ids.dtype == np.int32 and set(np.unique(warped_ids)) <= set(np.unique(ids))
    assert np.isin(warped_depth[np.isfinite(warped_depth)], depth).all()


def test_identity_sensor_leaves_the_render_untouched():
    spec = frame(camera(width_px=32, height_px=24))
    rgb = np.random.default_rng(3).integers(0, 256, (24, 32, 3)).astype(np.uint8)
    assert render_camera(spec) is spec.camera
    passes = RenderPasses(rgb, np.full((24, 32), 5.0, np.float32), np.zeros((24, 32), np.int32), camera=spec.camera)
    out, depth = apply_sensor(passes, spec, "planar")
    assert out is passes and depth is passes.depth_planar_m


def test_sensor_effects_are_deterministic_and_change_only_what_they_should():
    sensor = SensorSpec((-0.2, 0.03, 0.001, -0.001, 0.0), 0.3, (1.05, 1.0, 0.95), 0.3, 0.8, 0.02, 0.005, 80, 7)
    spec = dataclasses.replace(frame(camera(width_px=48, height_px=36)), sensor=sensor)
    big = render_camera(spec)
    assert big.width_px > 48 and big.height_px > 36
    shape = (big.height_px, big.width_px)
    rgb = np.random.default_rng(4).integers(0, 256, shape + (3,)).astype(np.uint8)
    ids = np.zeros(shape, np.int32)
    ids[10:20, 12:30] = 3
    passes = RenderPasses(rgb, np.full(shape, 8.0, np.float32), ids, camera=big)
    first, depth = apply_sensor(passes, spec, "ray")
    second, _ = apply_sensor(passes, spec, "ray")
    assert first.rgb.shape == (36, 48, 3) and np.array_equal(first.rgb, second.rgb)
    assert set(np.unique(first.object_index)) == {0, 3}
    assert np.all(first.depth_planar_m == 8.0) and np.all(depth >= 8.0) and depth.max() > 8.0
    other, _ = apply_sensor(passes, dataclasses.replace(spec, sensor=dataclasses.replace(sensor, noise_seed=8)),
                            "ray")
    assert not np.array_equal(first.rgb, other.rgb) and np.array_equal(first.object_index, other.object_index)
    assert first.camera == spec.camera  # the warped passes are on the output camera's grid


def test_passes_off_their_cameras_grid_are_refused():
    """The sensor model reads the render camera from the passes; arrays that are not on that
    camera's grid (or a camera smaller than the output) fail with a RenderError, not a bad warp."""
    sensor = SensorSpec((-0.2, 0.03, 0.001, -0.001, 0.0))
    spec = dataclasses.replace(frame(camera(width_px=48, height_px=36)), sensor=sensor)
    big = render_camera(spec)
    wrong = RenderPasses(np.zeros((36, 48, 3), np.uint8), np.ones((36, 48), np.float32), np.zeros((36, 48), np.int32),
                         camera=big)
    with pytest.raises(RenderError, match="render_camera"):
        apply_sensor(wrong, spec, "planar")
    small = dataclasses.replace(spec.camera, width_px=40, height_px=30)
    with pytest.raises(RenderError, match="render_camera"):
        apply_sensor(RenderPasses(np.zeros((30, 40, 3), np.uint8), np.ones((30, 40), np.float32),
                                  np.zeros((30, 40), np.int32), camera=small), spec, "planar")


def dashcam_yaml() -> dict:
    from importlib import resources

    return yaml.safe_load((resources.files("simgen.configs") / "sensor" / "dashcam.yaml").read_text())


def test_dashcam_sensor_is_sampled_per_frame_and_recorded(make_config):
    cfg = make_config(sensor=dashcam_yaml())
    catalog = load_catalog()
    a, b = sample_frame(cfg, catalog, 0), sample_frame(cfg, catalog, 1)
    assert a.sensor != b.sensor and a.sensor == sample_frame(cfg, catalog, 0).sensor
    assert -0.1 <= a.sensor.dist_coeffs[0] <= -0.02 and 60 <= a.sensor.jpeg_quality <= 90
    assert dataclasses.asdict(a)["sensor"]["dist_coeffs"] == a.sensor.dist_coeffs
    plain = sample_frame(make_config(), catalog, 0)
    assert plain.sensor.is_identity
    # The sensor stream is its own concern: the rest of the frame does not change.
    assert dataclasses.replace(a, sensor=plain.sensor) == plain


def test_dashcam_distortions_invert_inside_the_image_at_the_widest_lens(make_config):
    """Every distortion the dashcam option draws, at its widest lens (20 mm) and any resolution,
    is invertible over the whole image (each border pixel maps back to itself through the
    undistort/distort pair) and needs a pinhole render at most 50% larger per side."""
    cfg = make_config(sensor=dashcam_yaml())
    rng = np.random.default_rng(0)
    for width, height in ((64, 48), (320, 240), (640, 480), (1280, 720)):
        cam = camera(width, height, focal_length_mm=20.0)
        intrinsics = intrinsics_matrix(cam)
        u, v = np.linspace(-0.5, width - 0.5, 9), np.linspace(-0.5, height - 0.5, 7)
        border = np.concatenate([np.stack(np.broadcast_arrays(u[:, None], v[[0, -1]][None]), -1).reshape(-1, 2),
                                 np.stack(np.broadcast_arrays(u[[0, -1]][:, None], v[None]), -1).reshape(-1, 2)])
        for _ in range(50):
            sensor = sample_sensor(cfg.sensor, cam, rng)
            assert -0.1 <= sensor.dist_coeffs[0] <= -0.02
            pinhole = undistort_pixels(border, intrinsics, sensor.dist_coeffs)
            np.testing.assert_allclose(distort_pixels(pinhole, intrinsics, sensor.dist_coeffs), border, atol=1e-4)
            pad_x, pad_y = check_distortion(sensor, cam)
            assert 0 <= pad_x <= width / 2 and 0 <= pad_y <= height / 2


def test_bad_sensor_values_are_config_errors(make_config):
    with pytest.raises(ConfigError, match="sensor.k1"):
        make_config(sensor={"k1": 0.9})
    with pytest.raises(ConfigError, match="sensor.jpeg_quality"):
        make_config(sensor={"jpeg_quality": 101})
    folding = SensorSpec((-0.5, -0.3, 0.0, 0.0, -0.2))
    with pytest.raises(ConfigError, match="sensor.k1"):
        check_distortion(folding, camera(width_px=96, height_px=72, focal_length_mm=10.0))


def test_amodal_box_of_an_object_past_the_fold_stays_finite_and_bounded():
    from simgen.annotations.lens_coverage import measure_coverage_lens
    from simgen.geometry.lens import fold_radius
    from tests.blender.scenes import box

    sensor = SensorSpec((-0.1, 0.0, 0.0, 0.0, 0.0))
    assert fold_radius(sensor.dist_coeffs) == pytest.approx(np.sqrt(1 / 0.3), abs=1e-3)
    assert fold_radius((0.1, 0.0, 0.0, 0.0, 0.0)) == np.inf
    cam = camera(width_px=96, height_px=72, focal_length_mm=20.0)
    wall = box("wall", (40.0, 0.5, 10.0), (0.0, 0.6, 0.0), category="car", instance_index=1)  # grazes the camera
    coverage = measure_coverage_lens(wall, cam, sensor)
    x, y, w, h = coverage.bbox_amodal_unclipped
    assert all(np.isfinite([x, y, w, h])) and w < 20 * 96 and h < 20 * 72
    assert coverage.unoccluded_px > 0 and 0.0 <= coverage.truncation <= 1.0


def test_source_maps_of_a_fixed_lens_are_computed_once_and_read_only():
    K = np.array([[80.0, 0.0, 47.5], [0.0, 80.0, 35.5], [0.0, 0.0, 1.0]])
    first = source_map(96, 72, K, COEFFS)
    assert source_map(96, 72, K.copy(), tuple(COEFFS)) is first
    assert not first.flags.writeable
    assert source_map(96, 72, K, COEFFS, scale=0.99) is not first
