"""Samplers: deterministic, concern-isolated, and producing placeable scenes."""

from __future__ import annotations

import dataclasses

import pytest

from simgen.catalog.entries import load_catalog
from simgen.config.load import load_config
from simgen.errors import PlacementError
from simgen.geometry.footprint import footprints_overlap
from simgen.sampling.frame import sample_frame
from simgen.specs import Footprint, FrameSpec

CATALOG = load_catalog()


def test_same_seed_same_spec_and_different_frames_differ():
    cfg = load_config({"seed": 5})
    a, b = sample_frame(cfg, CATALOG, 4), sample_frame(cfg, CATALOG, 4)
    assert a == b
    assert sample_frame(cfg, CATALOG, 5) != a


def test_adding_a_lighting_draw_leaves_placement_unchanged():
    base = load_config({"seed": 1})
    varied = load_config({"seed": 1, "lighting": {"exposure_ev": {"uniform": [-1, 1]}}})
    a, b = sample_frame(base, CATALOG, 0), sample_frame(varied, CATALOG, 0)
    assert a.lighting != b.lighting
    assert a.objects == b.objects and a.camera == b.camera and a.layout == b.layout


def test_objects_do_not_overlap_and_have_unique_instance_indices():
    cfg = load_config({"seed": 2})
    for frame in range(5):
        spec = sample_frame(cfg, CATALOG, frame)
        indices = [o.instance_index for o in spec.objects]
        assert indices == list(range(1, len(indices) + 1))
        assert len({o.name for o in spec.layout.scenery + spec.objects}) == len(spec.layout.scenery + spec.objects)
        for o in spec.objects:
            assert cfg.traffic.min_distance_m <= o.location_m[1] <= cfg.traffic.max_distance_m


def test_counts_follow_the_config():
    cfg = load_config({"traffic": {"cars": 4, "pedestrians": 0, "cyclists": 1, "traffic_cones": 2}})
    spec = sample_frame(cfg, CATALOG, 0)
    cats = [o.category for o in spec.objects]
    assert cats.count("car") == 4 and cats.count("pedestrian") == 0
    assert cats.count("cyclist") == 1 and cats.count("traffic_cone") == 2


def test_impossible_placement_raises_with_counts():
    cfg = load_config({"traffic": {"cars": 200, "min_distance_m": 6, "max_distance_m": 20}})
    with pytest.raises(PlacementError, match=r"placed \d+ of 200 car"):
        sample_frame(cfg, CATALOG, 0)


def _as_json_values(value):
    """What JSON makes of a value: tuples become lists, everything else stays."""
    if isinstance(value, dict):
        return {k: _as_json_values(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_as_json_values(v) for v in value]
    return value


FOG_AND_QUOTA = {"weather": {"fog_probability": 1.0}, "obstacles": {"rates": {"deer": 0.5}, "quota_fraction": 1.0}}


@pytest.mark.parametrize("overrides", [{}, FOG_AND_QUOTA], ids=["default", "fog+quota"])
def test_the_recorded_spec_survives_json_with_every_value(overrides):
    """The frame record stores `dataclasses.asdict(spec)`: it must be strict JSON (no NaN, no
    infinity, no numpy scalars) and load back to exactly the sampled values."""
    import json

    for index in range(3):
        record = dataclasses.asdict(sample_frame(load_config({"seed": 8, **overrides}), CATALOG, index))
        assert json.loads(json.dumps(record, allow_nan=False)) == _as_json_values(record)
        assert set(record) == {f.name for f in dataclasses.fields(FrameSpec)}


def test_footprint_helper_is_used_consistently():
    assert not footprints_overlap(Footprint(0, 0, 1, 1, 0), Footprint(5, 5, 1, 1, 0))


@pytest.mark.parametrize("varied", [
    {"weather": {"fog_probability": 1.0, "rain_probability": 0.5, "cloudiness": {"uniform": [0.2, 0.9]}}},
    {"lighting": {"sun_elevation_deg": -15.0, "lamp_power_w": {"uniform": [10.0, 20.0]}}},
    {"obstacles": {"rates": {"deer": 1.0, "tire": 0.5}, "quota_fraction": 0.5}},
], ids=["weather", "lighting", "obstacles"])
def test_changing_one_concern_leaves_the_others_unchanged(varied):
    concern = next(iter(varied))
    base, changed = load_config({"seed": 3}), load_config({"seed": 3, **varied})
    for index in range(3):
        a, b = sample_frame(base, CATALOG, index), sample_frame(changed, CATALOG, index)
        fields = {"camera", "layout", "lighting", "weather"} - {concern}
        assert all(getattr(a, f) == getattr(b, f) for f in fields)
        traffic = len(a.objects) - len(a.obstacles)
        assert a.objects[:traffic] == b.objects[:traffic]
        assert getattr(a, concern) != getattr(b, concern)


def test_time_of_day_follows_the_sun_and_lights_switch_on():
    for elevation, expected in ((30.0, "day"), (2.0, "dusk"), (-12.0, "night")):
        spec = sample_frame(load_config({"lighting": {"sun_elevation_deg": elevation}}), CATALOG, 0)
        assert spec.lighting.time_of_day == expected
        assert spec.lighting.lights_on == (elevation < 3.0)
        assert bool(spec.lighting.lamp_locations_m) == (elevation < 3.0)
    night = sample_frame(load_config({"lighting": {"sun_elevation_deg": -12.0}}), CATALOG, 0)
    poles = [p for p in night.layout.scenery if p.recipe == "pole"]
    assert len(night.lighting.lamp_locations_m) == len(poles) and night.lighting.sun_strength_w_m2 == 0.0


@pytest.mark.parametrize("layout, traffic", [("urban_street", "urban"), ("intersection", "urban"),
                                             ("highway", "highway"), ("rural_road", "rural")])
def test_every_layout_places_traffic_without_overlaps(layout, traffic):
    import yaml

    layout_cfg = yaml.safe_load(open(f"configs/layout/{layout}.yaml"))
    traffic_cfg = yaml.safe_load(open(f"configs/traffic/{traffic}.yaml"))
    cfg = load_config({"seed": 8, "layout": layout_cfg, "traffic": traffic_cfg,
                       "obstacles": {"rates": {"tire": 1.0, "rock": 1.0, "mattress": 1.0}}})
    from simgen.geometry.silhouette import pose_prop

    for index in range(3):
        spec = sample_frame(cfg, CATALOG, index)
        assert spec.layout.name == layout and spec.layout.lanes[spec.layout.ego_lane].direction == 1
        feet = [pose_prop(o).footprint for o in spec.objects]
        for i, a in enumerate(feet):
            assert not any(footprints_overlap(a, b) for b in feet[i + 1:] + list(spec.layout.blocked_footprints))
        names = [p.name for p in spec.layout.scenery]
        assert len(set(names)) == len(names) and "road" in names
