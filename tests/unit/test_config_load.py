from __future__ import annotations

import pytest

from simgen.config.dump import config_to_plain
from simgen.config.load import load_config
from simgen.errors import ConfigError


def test_defaults_load():
    cfg = load_config({})
    assert cfg.frames == 8 and cfg.render.resolution == [640, 480]
    assert cfg.labels.categories["car"] == 1


@pytest.mark.parametrize("data, field", [
    ({"frames": 0}, "frames"),
    ({"frames": "many"}, "frames"),
    ({"seed": -1}, "seed"),
    ({"render": {"resolution": [-64, 48]}}, "render.resolution"),
    ({"render": {"resolution": [64]}}, "render.resolution"),
    ({"render": {"samples": 0}}, "render.samples"),
    ({"render": {"device": "metal"}}, "render.device"),
    ({"render": {"denoise": "yes"}}, "render.denoise"),
    ({"camera": {"height_m": {"uniform": [2, 1]}}}, "camera.height_m.uniform"),
    ({"camera": {"heigth_m": 1.0}}, "camera.heigth_m"),
    ({"camera": {"pitch_deg": 120}}, "camera.pitch_deg"),
    ({"traffic": {"cars": {"uniform": [1, 3]}}}, "traffic.cars"),
    ({"traffic": {"cars": -1}}, "traffic.cars"),
    ({"traffic": {"min_distance_m": 50, "max_distance_m": 20}}, "traffic.max_distance_m"),
    ({"layout": {"tree_probability": 1.5}}, "layout.tree_probability"),
    ({"layout": {"verge_probability": -0.2}}, "layout.verge_probability"),
    ({"layout": {"verge_width_m": 12.0}}, "layout.verge_width_m"),
    ({"labels": {"categories": {"car": 1, "pedestrian": 1}}}, "labels.categories"),
    ({"labels": {"depth_kind": "mist"}}, "labels.depth_kind"),
    ({"traffic": {"cars": 40000}}, "traffic.cars"),
    ({"traffic": {"parked_cars": -2}}, "traffic.parked_cars"),
    ({"traffic": {"parked_cars": {"uniform": [1, 3]}}}, "traffic.parked_cars"),
    ({"layout": {"bin_probability": 1.5}}, "layout.bin_probability"),
    ({"layout": {"traffic_light_probability": -0.1}}, "layout.traffic_light_probability"),
    ({"layout": {"parking_width_m": 9.0}}, "layout.parking_width_m"),
    ({"layout": {"sign_spacing_m": {"uniform": [0.5, 10.0]}}}, "layout.sign_spacing_m"),
])
def test_bad_values_name_field_value_and_allowed(data, field):
    with pytest.raises(ConfigError) as info:
        load_config(data)
    assert info.value.field == field
    assert "allowed" in str(info.value)


def test_typo_suggests_the_field():
    with pytest.raises(ConfigError, match="did you mean 'height_m'"):
        load_config({"camera": {"heigth_m": 1.0}})


def test_too_many_objects_is_caught():
    with pytest.raises(ConfigError, match="32767"):
        load_config({"traffic": {"cars": 10000, "pedestrians": 10000, "cyclists": 10000, "traffic_cones": 10000}})


def test_dump_round_trips():
    cfg = load_config({"camera": {"height_m": {"normal": [1.5, 0.1], "clip": [1.2, 1.8]}}})
    plain = config_to_plain(cfg)
    assert plain["camera"]["height_m"] == {"normal": [1.5, 0.1], "clip": [1.2, 1.8]}
    assert load_config(plain) == cfg
