"""Street furniture and parked cars: where the layouts put them, what they keep clear of,
and how the config drives them (pure sampling, no Blender)."""

from __future__ import annotations

import numpy as np
import pytest
import yaml

from simgen.catalog.entries import build_asset_mesh, load_catalog
from simgen.config.load import load_config
from simgen.errors import ConfigError
from simgen.geometry.camera import project_points
from simgen.geometry.footprint import footprint_corners, footprints_overlap
from simgen.geometry.silhouette import pose_prop
from simgen.sampling.frame import sample_frame
from simgen.sampling.furniture import footprint_of

CATALOG = load_catalog()
FURNITURE = ("sign_", "bin_", "hydrant_", "bollard_", "bench_", "delineator_", "traffic_light_", "stop_sign_")
PRESETS = {"urban_street": "urban", "intersection": "urban", "rural_road": "rural", "highway": "highway"}


def _config(layout: str, seed: int = 5, **layout_overrides):
    layout_cfg = yaml.safe_load(open(f"configs/layout/{layout}.yaml"))
    traffic_cfg = yaml.safe_load(open(f"configs/traffic/{PRESETS[layout]}.yaml"))
    return load_config({"seed": seed, "layout": {**layout_cfg, **layout_overrides}, "traffic": traffic_cfg})


def _furniture(spec):
    return [p for p in spec.layout.scenery if p.name.startswith(FURNITURE)]


def _footprint(prop):
    return footprint_of(build_asset_mesh(CATALOG.get(prop.asset), prop.params), prop.location_m[0],
                        prop.location_m[1], prop.yaw_deg)


@pytest.mark.parametrize("layout, expected", [
    ("urban_street", {"sign_", "bin_", "hydrant_", "bollard_", "bench_"}),
    ("intersection", {"traffic_light_", "sign_", "bin_", "bollard_", "bench_"}),
    ("rural_road", {"sign_", "delineator_"}), ("highway", {"sign_"})])
def test_every_layout_places_its_furniture(layout, expected):
    cfg = _config(layout)
    seen = {prefix for i in range(6) for p in _furniture(sample_frame(cfg, CATALOG, i)) for prefix in FURNITURE
            if p.name.startswith(prefix)}
    assert expected <= seen
    assert layout in ("urban_street", "intersection") or not seen & {"bin_", "bench_", "bollard_", "hydrant_"}


@pytest.mark.parametrize("layout", sorted(PRESETS))
def test_furniture_stays_off_the_road_is_blocked_and_overlaps_nothing(layout):
    cfg = _config(layout)
    for index in range(4):
        spec = sample_frame(cfg, CATALOG, index)
        items = _furniture(spec)
        assert items and all(p.instance_index == 0 and p.category is None for p in items)
        blocked = list(spec.layout.blocked_footprints)
        feet = [_footprint(p) for p in items]
        for prop, foot in zip(items, feet, strict=True):
            assert np.abs(footprint_corners(foot)[:, 0]).min() >= spec.layout.road_half_width_m, prop.name
            assert foot in blocked, prop.name
            others = [b for b in blocked if b != foot]
            assert not any(footprints_overlap(foot, other) for other in others), prop.name
        if spec.layout.curb_height_m > 0:  # city furniture stands on the sidewalks
            outer = max(x1 for _, x1 in spec.layout.sidewalks_x_m)
            for prop, foot in zip(items, feet, strict=True):
                assert np.abs(footprint_corners(foot)[:, 0]).max() <= outer
                assert prop.location_m[2] == spec.layout.curb_height_m


def test_traffic_avoids_the_furniture():
    cfg = _config("urban_street")
    for index in range(3):
        spec = sample_frame(cfg, CATALOG, index)
        feet = [_footprint(p) for p in _furniture(spec)]
        for obj in spec.objects:
            assert not any(footprints_overlap(pose_prop(obj).footprint, f) for f in feet), obj.name


def test_signs_face_the_traffic_of_their_side_and_bins_hydrants_benches_face_the_road():
    scenery = [p for index in range(4) for p in sample_frame(_config("urban_street"), CATALOG, index).layout.scenery]
    signs = [p for p in scenery if p.name.startswith("sign_")]
    assert signs
    for sign in signs:  # the plate faces +x in its object frame: towards -y on the right, +y on the left
        facing_y = np.sin(np.deg2rad(sign.yaw_deg))
        assert facing_y == pytest.approx(-np.sign(sign.location_m[0]))
    fronts = {"bin_": 0.0, "hydrant_": 0.0, "bench_": 90.0}  # the front's direction in the object frame, degrees
    items = [p for p in scenery if p.name.startswith(tuple(fronts))]
    assert {prefix for prefix in fronts for p in items if p.name.startswith(prefix)} == set(fronts)
    for item in items:
        front_deg = item.yaw_deg + next(v for k, v in fronts.items() if item.name.startswith(k))
        assert np.cos(np.deg2rad(front_deg)) * np.sign(item.location_m[0]) < -0.9, item.name


def test_densities_of_zero_place_no_furniture_and_one_fills_the_junction():
    off = {name: 0.0 for name in ("sign_probability", "bin_probability", "bench_probability", "bollard_probability",
                                  "hydrant_probability", "traffic_light_probability", "stop_sign_probability")}
    for layout in ("urban_street", "intersection"):
        for index in range(3):
            assert not _furniture(sample_frame(_config(layout, **off), CATALOG, index))
    lights = _config("intersection", traffic_light_probability=1.0)
    stops = _config("intersection", traffic_light_probability=0.0, stop_sign_probability=1.0)
    for index in range(3):
        assert sorted(p.name for p in sample_frame(lights, CATALOG, index).layout.scenery
                      if p.name.startswith(("traffic_light", "stop_sign"))) == [
            "traffic_light_e", "traffic_light_n", "traffic_light_s", "traffic_light_w"]
        assert sorted(p.name for p in sample_frame(stops, CATALOG, index).layout.scenery
                      if p.name.startswith(("traffic_light", "stop_sign"))) == [
            "stop_sign_e", "stop_sign_n", "stop_sign_s", "stop_sign_w"]


def test_furniture_is_deterministic_and_varies_between_frames():
    cfg = _config("intersection")
    assert sample_frame(cfg, CATALOG, 2).layout == sample_frame(cfg, CATALOG, 2).layout
    assert _furniture(sample_frame(cfg, CATALOG, 2)) != _furniture(sample_frame(cfg, CATALOG, 3))


def test_the_ego_camera_sees_a_traffic_light_in_most_intersection_frames():
    cfg = _config("intersection", seed=11)
    seen = 0
    for index in range(20):
        spec = sample_frame(cfg, CATALOG, index)
        light = next((p for p in spec.layout.scenery if p.name == "traffic_light_s"), None)
        if light is None:
            continue
        to_camera = np.subtract(spec.camera.location_m[:2], light.location_m[:2])
        facing = np.array([np.cos(np.deg2rad(light.yaw_deg)), np.sin(np.deg2rad(light.yaw_deg))])
        assert facing @ to_camera > 0  # the signal head faces the approaching camera
        head = np.array([[light.location_m[0], light.location_m[1], light.location_m[2] + light.params["height_m"]
                          - 0.3]])
        pixels, z_m = project_points(spec.camera, head)
        u, v = pixels[0]
        seen += bool(z_m[0] > 0 and 0 <= u < spec.camera.width_px and 0 <= v < spec.camera.height_px)
    assert seen >= 14


def _parked(spec):
    return [o for o in spec.objects if o.name.startswith("parked_car_")]


def test_parked_cars_stand_in_the_parking_strips_parallel_to_the_curb():
    for layout in ("urban_street", "intersection"):
        cfg = _config(layout)
        for index in range(4):
            spec = sample_frame(cfg, CATALOG, index)
            parked = _parked(spec)
            assert 1 <= len(parked) <= 6 and spec.layout.parking_strips
            lanes_half = max(lane.center_x_m + lane.width_m / 2 for lane in spec.layout.lanes)
            others = [pose_prop(o).footprint for o in spec.objects if o not in parked]
            for car in parked:
                assert car.category == "car" and car.instance_index > 0 and car.location_m[2] == 0.0
                foot = pose_prop(car).footprint
                corners = footprint_corners(foot)
                strip = next(s for s in spec.layout.parking_strips
                             if s.x_range_m[0] <= car.location_m[0] <= s.x_range_m[1]
                             and s.y_range_m[0] <= car.location_m[1] <= s.y_range_m[1])
                assert strip.x_range_m[0] - 0.1 <= corners[:, 0].min()
                assert corners[:, 0].max() <= strip.x_range_m[1] + 0.1
                assert corners[:, 1].min() >= strip.y_range_m[0] and corners[:, 1].max() <= strip.y_range_m[1]
                assert np.abs(corners[:, 0]).min() >= lanes_half - 0.1  # not in a driving lane
                assert abs(np.sin(np.deg2rad(car.yaw_deg)) - strip.direction) < 0.01  # parallel, facing traffic
                assert not any(footprints_overlap(foot, other) for other in others)
                assert not any(footprints_overlap(foot, b) for b in spec.layout.blocked_footprints)


def test_parked_cars_keep_clear_of_the_junction():
    spec = sample_frame(_config("intersection"), CATALOG, 0)
    cross = next(p for p in spec.layout.scenery if p.name == "cross_road")
    for car in _parked(spec):
        assert abs(car.location_m[1] - cross.location_m[1]) > cross.params["width_m"] / 2 + 6.0


def test_parked_car_count_follows_the_config_and_leaves_the_other_traffic_unchanged():
    base = _config("urban_street")
    none = load_config({"seed": 5, "layout": yaml.safe_load(open("configs/layout/urban_street.yaml")),
                        "traffic": {**yaml.safe_load(open("configs/traffic/urban.yaml")), "parked_cars": 0}})
    for index in range(3):
        with_parked, without = sample_frame(base, CATALOG, index), sample_frame(none, CATALOG, index)
        assert not _parked(without)
        assert [o for o in with_parked.objects if o not in _parked(with_parked)] == list(without.objects)
        assert len({o.instance_index for o in with_parked.objects}) == len(with_parked.objects)


def test_parked_cars_need_a_parking_strip():
    cfg = load_config({"seed": 1, "layout": yaml.safe_load(open("configs/layout/highway.yaml")),
                       "traffic": {"parked_cars": 2}})
    with pytest.raises(ConfigError, match="traffic.parked_cars"):
        sample_frame(cfg, CATALOG, 0)


def test_plan_rows_count_furniture_and_parked_cars_apart_from_driving_cars():
    from simgen.plan.planner import flatten_frame

    spec = sample_frame(_config("intersection", traffic_light_probability=1.0), CATALOG, 0)
    row = flatten_frame(spec)
    assert row["traffic.parked_car"] == len(_parked(spec)) >= 2
    assert row["traffic.car"] == sum(o.name.startswith("car_") for o in spec.objects)
    assert row["layout.traffic_lights"] == 4 and row["layout.signs"] >= 0
    assert row["layout.sidewalk_furniture"] == sum(p.name.startswith(("bin_", "bench_", "bollard_", "hydrant_"))
                                                   for p in spec.layout.scenery) > 0
    assert 2.2 <= row["layout.parking_width_m"] <= 2.6


def test_parked_cars_that_find_no_curb_space_are_left_out():
    cfg = load_config({"seed": 2, "layout": yaml.safe_load(open("configs/layout/intersection.yaml")),
                       "traffic": {**yaml.safe_load(open("configs/traffic/urban.yaml")), "parked_cars": 200}})
    for index in range(2):
        spec = sample_frame(cfg, CATALOG, index)
        parked = _parked(spec)
        assert 4 <= len(parked) < 200
        assert [o.name for o in parked] == [f"parked_car_{k:03d}" for k in range(len(parked))]
