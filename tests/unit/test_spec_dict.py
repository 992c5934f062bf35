"""`simgen.specs.spec_dict` is `dataclasses.asdict` (the frame record's "spec"), only faster."""

from __future__ import annotations

import dataclasses

import pytest

from simgen.catalog.entries import load_catalog
from simgen.config.compose import compose_config
from simgen.sampling.frame import sample_frame
from simgen.specs import MaterialSpec, spec_dict


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
        assert same_structure(plain, dataclasses.asdict(spec))
        assert plain["objects"] and isinstance(plain["objects"], tuple | list)


def test_spec_dict_copies_mutable_containers():
    material = MaterialSpec((0.1, 0.2, 0.3), 0.5, texture_params=(("crack_cell_m", 0.2),))
    plain = spec_dict({"a": [material]})
    assert same_structure(plain, {"a": [dataclasses.asdict(material)]})
    source = {"a": [1.0]}
    assert spec_dict(source)["a"] is not source["a"]
