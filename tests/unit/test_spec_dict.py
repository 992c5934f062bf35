"""`simgen.specs.spec_dict` is `dataclasses.asdict` (the frame record's "spec"), only faster, and
without the fields marked `RECORDED_WHEN_SET` while they hold their defaults."""

from __future__ import annotations

import dataclasses

import pytest

from simgen.catalog.entries import load_catalog
from simgen.config.compose import compose_config
from simgen.sampling.frame import sample_frame
from simgen.specs import CloudSpec, LightingSpec, MaterialSpec, spec_dict

UNSET = {"pbr": None, "sky_model": "hosek_wilkie", "clouds": None, "exposure_mode": "fixed", "metering_target": 0.18,
         "metering_min_ev": -4.0, "metering_max_ev": 4.0}
"""The fields recorded only when set, and their defaults."""


def asdict_recorded(value: object) -> object:
    """`dataclasses.asdict` without the unset `RECORDED_WHEN_SET` fields, at every level."""
    if isinstance(value, dict):
        return {k: asdict_recorded(v) for k, v in value.items() if not (k in UNSET and v == UNSET[k])}
    if isinstance(value, tuple | list):
        return type(value)(asdict_recorded(v) for v in value)
    return value


def same_structure(a: object, b: object) -> bool:
    """Equal values with the same container type at every level (a tuple is not a list)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same_structure(a[key], b[key]) for key in a)
    if isinstance(a, tuple | list):
        return len(a) == len(b) and all(same_structure(x, y) for x, y in zip(a, b, strict=True))
    return a == b


@pytest.mark.parametrize("scenario", ["urban_day", "rare_obstacles", "urban_night_rain", "highway_fog"])
def test_spec_dict_equals_asdict_for_sampled_frames(scenario):
    cfg = compose_config([f"scenario={scenario}", "frames=2", "render.resolution=[160,120]"])
    catalog = load_catalog()
    for index in range(2):
        spec = sample_frame(cfg, catalog, index)
        plain = spec_dict(spec)
        assert same_structure(plain, asdict_recorded(dataclasses.asdict(spec)))
        assert plain["objects"] and isinstance(plain["objects"], tuple | list)


def test_spec_dict_copies_mutable_containers():
    material = MaterialSpec((0.1, 0.2, 0.3), 0.5, texture_params=(("crack_cell_m", 0.2),))
    plain = spec_dict({"a": [material]})
    assert same_structure(plain, {"a": [asdict_recorded(dataclasses.asdict(material))]})
    source = {"a": [1.0]}
    assert spec_dict(source)["a"] is not source["a"]


def test_fields_recorded_when_set_appear_once_set():
    lighting = LightingSpec(40.0, 90.0, 4.0, 0.5, 1.0, 3.0, 0.0)
    assert "clouds" not in spec_dict(lighting) and "sky_model" not in spec_dict(lighting)
    clouds = CloudSpec("stratus", 0.5, 0.6, 2.0, 10.0, 0.2, 1.0, 0.9, (1.0, 2.0))
    cloudy = dataclasses.replace(lighting, sky_model="preetham", clouds=clouds)
    assert spec_dict(cloudy)["sky_model"] == "preetham"
    assert spec_dict(cloudy)["clouds"] == dataclasses.asdict(clouds)
