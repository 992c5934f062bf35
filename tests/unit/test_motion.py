"""Motion sampling (pure): who moves, how fast, in which direction, from which stream."""

from __future__ import annotations

import dataclasses
import json
import math

import numpy as np
import pytest

from simgen.catalog.entries import load_catalog
from simgen.config.load import load_config
from simgen.errors import ConfigError
from simgen.sampling.frame import sample_frame
from simgen.sampling.motion import sample_motion
from simgen.specs import MaterialSpec, PropSpec, SensorSpec

CATALOG = load_catalog()
GREY = MaterialSpec((0.5, 0.5, 0.5), 0.5)


def _prop(name: str, category: str | None, yaw_deg: float = 90.0, **params) -> PropSpec:
    return PropSpec(name=name, asset="a", recipe="slab", params=params, location_m=(0.0, 10.0, 0.0),
                    yaw_deg=yaw_deg, materials={"surface": GREY}, category=category, instance_index=1)


def test_each_kind_of_object_moves_along_its_heading_at_its_speed():
    cfg = load_config({"motion": {"ego_speed_m_s": 10.0, "vehicle_speed_m_s": 12.0, "cyclist_speed_m_s": 5.0,
                                  "animal_speed_m_s": 3.0}}).motion
    objects = (_prop("car_000", "car", 90.0), _prop("car_001", "car", -90.0), _prop("parked_car_000", "car"),
               _prop("cyclist_000", "cyclist", 0.0), _prop("pedestrian_000", "pedestrian", 180.0, speed_m_s=1.4),
               _prop("pedestrian_001", "pedestrian"), _prop("traffic_cone_000", "traffic_cone"),
               _prop("obstacle_00", "deer", 0.0), _prop("obstacle_01", "rock"), _prop("building_r00", None))
    motion = sample_motion(cfg, objects, np.random.default_rng(0))
    assert motion.ego_velocity_m_s == (0.0, 10.0, 0.0)
    v = motion.object_velocities_m_s
    assert set(v) == {"car_000", "car_001", "cyclist_000", "pedestrian_000", "obstacle_00"}
    assert np.allclose(v["car_000"], (0.0, 12.0, 0.0)) and np.allclose(v["car_001"], (0.0, -12.0, 0.0))
    assert np.allclose(v["cyclist_000"], (5.0, 0.0, 0.0)) and np.allclose(v["obstacle_00"], (3.0, 0.0, 0.0))
    assert np.allclose(v["pedestrian_000"], (-1.4, 0.0, 0.0))  # its gait's speed, facing -x
    assert motion.velocity_of("parked_car_000") == (0.0, 0.0, 0.0)


def test_motion_is_recorded_deterministic_and_drawn_from_its_own_stream():
    base = load_config({"seed": 4})
    fast = load_config({"seed": 4, "motion": {"vehicle_speed_m_s": {"uniform": [20.0, 30.0]}}})
    for index in range(3):
        a, b = sample_frame(base, CATALOG, index), sample_frame(fast, CATALOG, index)
        assert a == sample_frame(base, CATALOG, index)
        assert dataclasses.replace(a, motion=b.motion) == b  # nothing else changed
        cars = [n for n in b.motion.object_velocities_m_s if n.startswith("car_")]
        assert cars and all(20.0 <= math.hypot(*b.motion.velocity_of(n)) <= 30.0 for n in cars)
        json.dumps(dataclasses.asdict(a))


def test_blur_needs_an_open_shutter_and_something_moving():
    spec = sample_frame(load_config({"seed": 1}), CATALOG, 0)
    assert spec.sensor.shutter_s == 0.0 and not spec.has_motion_blur  # the default sensor: no blur
    assert dataclasses.replace(spec, sensor=SensorSpec(shutter_s=0.01)).has_motion_blur
    still = sample_frame(load_config({"seed": 1, "motion": {"ego_speed_m_s": 0.0, "vehicle_speed_m_s": 0.0,
                                                              "cyclist_speed_m_s": 0.0, "animal_speed_m_s": 0.0},
                                      "traffic": {"pedestrians": 0}}), CATALOG, 0)
    assert not dataclasses.replace(still, sensor=SensorSpec(shutter_s=0.01)).has_motion_blur
    # The sensor model's image pipeline ignores the shutter: it is Cycles' business.
    assert SensorSpec(shutter_s=0.02).is_identity


@pytest.mark.parametrize("field, value", [("motion.ego_speed_m_s", -1.0), ("motion.vehicle_speed_m_s", 200.0),
                                          ("sensor.shutter_s", 0.5)])
def test_out_of_range_speeds_and_shutters_name_the_field(field, value):
    group, name = field.split(".")
    with pytest.raises(ConfigError, match=field.replace(".", r"\.")):
        load_config({group: {name: value}})


def test_motion_blur_length_is_the_relative_sweep_of_the_box_centre_in_pixels():
    from simgen.annotations.motion_blur import motion_blur_px
    from simgen.specs import CameraSpec, FrameSpec, LayoutSpec, LightingSpec, MotionSpec

    cam = CameraSpec(width_px=128, height_px=96, focal_length_mm=36.0, sensor_width_mm=36.0,
                     location_m=(0.0, 0.0, 1.0), yaw_deg=0.0, pitch_deg=0.0, roll_deg=0.0)
    layout = LayoutSpec(name="t", lanes=(), y_range_m=(0.0, 1.0), road_half_width_m=0.0, sidewalks_x_m=(),
                        curb_height_m=0.0, ego_lane=0, scenery=())
    cube = PropSpec(name="mover", asset="a", recipe="slab", params={"length_m": 2.0, "width_m": 2.0, "height_m": 2.0},
                    location_m=(0.0, 10.0, 0.0), yaw_deg=0.0, materials={"surface": GREY}, category="car",
                    instance_index=1)
    lighting = LightingSpec(sun_elevation_deg=45.0, sun_azimuth_deg=0.0, sun_strength_w_m2=3.0, sun_angle_deg=0.5,
                            sky_strength=1.0, sky_turbidity=3.0, exposure_ev=0.0)

    def blur(shutter_s, ego=(0.0, 0.0, 0.0), velocity=(20.0, 0.0, 0.0)):
        spec = FrameSpec(frame_index=0, run_seed=0, cycles_seed=0, scenario="t", camera=cam, lighting=lighting,
                         layout=layout, objects=(cube,), sensor=SensorSpec(shutter_s=shutter_s),
                         motion=MotionSpec(ego_velocity_m_s=ego, object_velocities_m_s={"mover": velocity}))
        return motion_blur_px(cube, spec)

    # 20 m/s x 0.05 s = 1 m across the view at 10 m, fx = 128 px: 12.8 px.
    assert blur(0.05) == pytest.approx(12.8, abs=1e-6)
    assert blur(0.0) == 0.0
    assert blur(0.05, ego=(20.0, 0.0, 0.0)) == 0.0  # driving alongside: no relative motion
    assert blur(0.05, velocity=(0.0, 0.0, 0.0), ego=(-20.0, 0.0, 0.0)) == pytest.approx(12.8, abs=1e-6)
    assert blur(0.05, velocity=(0.0, -400.0, 0.0)) is None  # the centre passes behind the camera
