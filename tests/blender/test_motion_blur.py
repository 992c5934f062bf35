"""Motion blur on real Cycles renders: the image is integrated over the shutter, the labels
are the sharp scene at mid-exposure (the recorded poses), pixel for pixel."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from simgen.catalog.entries import load_catalog
from simgen.config.load import load_config
from simgen.sampling.frame import sample_frame
from simgen.specs import MaterialSpec, MotionSpec, SensorSpec
from tests.blender.scenes import box, camera, frame

pytestmark = pytest.mark.blender

WHITE = MaterialSpec((0.9, 0.9, 0.9), 0.5, 0.0, 4.0, (1.0, 1.0, 1.0))
"""Emissive white: the box is far brighter than the sky behind it, so the smear is easy to see."""
WIDTH_PX, HEIGHT_PX = 128, 96
DISTANCE_M, SPEED_M_S, SHUTTER_S = 9.0, 20.0, 0.05
"""Distance of the box's front face from the camera, its speed and the exposure time."""


def _crossing_box(shutter_s: float):
    """A 2 m cube 9 m ahead (its front face), crossing the view along world +x at 20 m/s."""
    cube = dataclasses.replace(box("mover", (2.0, 2.0, 2.0), (0.0, DISTANCE_M + 1.0, 4.0), category="car",
                                   instance_index=1), materials={"surface": WHITE})
    spec = frame(camera(WIDTH_PX, HEIGHT_PX), objects=[cube])
    return dataclasses.replace(spec, sensor=SensorSpec(shutter_s=shutter_s),
                               motion=MotionSpec(object_velocities_m_s={"mover": (SPEED_M_S, 0.0, 0.0)}))


def _lit_columns(passes, rows: np.ndarray) -> np.ndarray:
    """Columns whose mean over `rows` is brighter than the sky by more than 5 levels (4 samples
    per pixel are few; the mean over the box's rows shows the faint ends of the smear). The sky
    brightens from left to right: its level is interpolated between the image's two ends."""
    profile = passes.rgb[rows].mean(axis=-1).mean(axis=0)
    sky = np.linspace(np.median(profile[:10]), np.median(profile[-10:]), profile.size)
    return np.flatnonzero(profile > sky + 5)


def test_a_crossing_box_smears_by_its_motion_but_its_labels_stay_sharp(renderer):
    sharp, _ = renderer.render(_crossing_box(0.0))
    blurred, _ = renderer.render(_crossing_box(SHUTTER_S))
    assert np.array_equal(blurred.object_index, sharp.object_index)
    assert np.array_equal(blurred.depth_planar_m, sharp.depth_planar_m)
    # The mask is the box at mid-exposure: its 2 m front face at 9 m with fx = 128 px is 28.4 px wide.
    columns = np.flatnonzero((sharp.object_index == 1).any(axis=0))
    assert abs(len(columns) - 2.0 / DISTANCE_M * WIDTH_PX) <= 1.5, len(columns)
    rows = np.flatnonzero((sharp.object_index == 1).any(axis=1))
    sharp_lit, blurred_lit = _lit_columns(sharp, rows), _lit_columns(blurred, rows)
    assert sharp_lit[0] >= columns[0] - 1 and sharp_lit[-1] <= columns[-1] + 1
    # Each edge sweeps v * shutter = 1 m at 9 m: 14.2 px, half before and half after the
    # mid-exposure pose (the shutter is centred on the recorded pose).
    sweep_px = SPEED_M_S * SHUTTER_S / DISTANCE_M * WIDTH_PX
    left, right = columns[0] - blurred_lit[0], blurred_lit[-1] - columns[-1]
    assert abs(left - sweep_px / 2) <= 2 and abs(right - sweep_px / 2) <= 2, (left, right, sweep_px)
    # There the labels say background: a blurred edge is labelled by the mid-exposure pose.
    assert np.all(sharp.object_index[rows][:, blurred_lit[0]:columns[0]] == 0)


def test_ego_motion_blurs_a_sampled_street_and_leaves_its_labels(renderer):
    cfg = load_config({"render": {"resolution": [96, 72]}, "seed": 3, "sensor": {"shutter_s": 0.05},
                       "motion": {"ego_speed_m_s": 14.0, "vehicle_speed_m_s": 14.0},
                       "traffic": {"cars": 3, "pedestrians": 1, "cyclists": 0, "traffic_cones": 0}})
    spec = sample_frame(cfg, load_catalog(), 0)
    assert spec.has_motion_blur and spec.motion.ego_velocity_m_s == (0.0, 14.0, 0.0)
    velocities = spec.motion.object_velocities_m_s
    assert {n for n in velocities if n.startswith("car_")} == {"car_000", "car_001", "car_002"}
    walker = next(o for o in spec.objects if o.category == "pedestrian")
    # A pedestrian moves at the speed its gait was built for.
    assert math.hypot(*spec.motion.velocity_of(walker.name)) == pytest.approx(walker.params["speed_m_s"])
    still = dataclasses.replace(spec, sensor=SensorSpec(shutter_s=0.0))
    sharp, _ = renderer.render(still)
    blurred, _ = renderer.render(spec)
    assert np.array_equal(blurred.object_index, sharp.object_index)
    assert np.array_equal(blurred.depth_planar_m, sharp.depth_planar_m)
    assert np.abs(blurred.rgb.astype(int) - sharp.rgb.astype(int)).mean() > 1.0
    # The next frame of the same session renders without blur again: the scene is reused.
    again, _ = renderer.render(still)
    assert np.array_equal(again.rgb, sharp.rgb)
