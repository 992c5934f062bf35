"""Grass verges (`simgen.sampling.verge`): between kerb and footpath, in range, their own stream."""

from __future__ import annotations

import numpy as np
import pytest
import yaml

from simgen.catalog.classes import STUFF_CLASSES, scenery_class_id
from simgen.catalog.entries import load_catalog
from simgen.config.load import load_config
from simgen.errors import ConfigError
from simgen.sampling.layouts import get_layout
from simgen.sampling.materials import TEXTURE_RANGES
from simgen.sampling.verge import MIN_FOOTPATH_M, VERGE_PREFIX
from simgen.seeds import concern_rng
from simgen.specs import LayoutSpec

CATALOG = load_catalog()
TERRAIN = next(c.id for c in STUFF_CLASSES if c.name == "terrain")
LAYOUTS = ["urban_street", "intersection"]


def _layout(name: str, seed: int, **layout) -> LayoutSpec:
    data = {**yaml.safe_load(open(f"configs/layout/{name}.yaml")), **layout}
    cfg = load_config({"seed": seed, "layout": data})
    return get_layout(name)(cfg.layout, CATALOG, concern_rng(seed, 0, "layout"))


def _x_range(prop) -> tuple[float, float]:
    x, half = prop.location_m[0], prop.params["width_m"] / 2
    return x - half, x + half


def _verges(layout: LayoutSpec) -> list:
    return [p for p in layout.scenery if p.name.startswith(VERGE_PREFIX)]


@pytest.mark.parametrize("name", LAYOUTS)
def test_probability_zero_gives_none_and_one_gives_a_verge_on_every_sidewalk(name):
    for seed in range(4):
        assert not _verges(_layout(name, seed, verge_probability=0.0))
        layout = _layout(name, seed, verge_probability=1.0, sidewalk_width_m=3.5)
        sidewalks = [p for p in layout.scenery if p.name.startswith("sidewalk_") and "kerb" not in p.name]
        assert {VERGE_PREFIX + p.name[len("sidewalk_"):] for p in sidewalks} == {p.name for p in _verges(layout)}


@pytest.mark.parametrize("name", LAYOUTS)
def test_verges_lie_between_kerb_and_footpath_in_range_without_overlap(name):
    for seed in range(6):
        layout = _layout(name, seed, verge_probability=1.0, verge_width_m={"uniform": [0.6, 1.8]})
        props = {p.name: p for p in layout.scenery}
        verges = _verges(layout)
        assert verges
        for verge in verges:
            rest = verge.name[len(VERGE_PREFIX):]
            kerb, footpath = props["sidewalk_kerb_" + rest], props["sidewalk_" + rest]
            (k0, k1), (v0, v1), (f0, f1) = _x_range(kerb), _x_range(verge), _x_range(footpath)
            width = verge.params["width_m"]
            assert 0.2 <= width <= 1.8 and footpath.params["width_m"] >= MIN_FOOTPATH_M - 1e-9
            if verge.location_m[0] > 0:  # kerb | verge | footpath, abutting
                assert v0 == pytest.approx(k1) and f0 == pytest.approx(v1) and k0 < v0 < f0
            else:
                assert v1 == pytest.approx(k0) and f1 == pytest.approx(v0) and f0 < v0 < k0
            assert verge.location_m[1:] == footpath.location_m[1:]
            assert verge.params["height_m"] == kerb.params["height_m"]
            assert verge.params["length_m"] == footpath.params["length_m"] and verge.recipe == "slab"
            assert scenery_class_id(verge) == TERRAIN and verge.instance_index == 0
            (material,) = verge.materials.values()
            assert material.texture == "verge" and material.texture_param("half_width_m") == pytest.approx(width / 2)
            for param, (low, high) in TEXTURE_RANGES["verge"].items():
                assert low <= material.texture_param(param) <= high
            # pedestrians keep to the footpath
            strip = next(s for s in layout.sidewalks_x_m if np.sign(s[0]) == np.sign(verge.location_m[0]))
            assert strip == pytest.approx((f0, f1))


@pytest.mark.parametrize("name", LAYOUTS)
def test_verges_are_deterministic_and_leave_every_other_prop_as_it_was(name):
    for seed in range(6):
        plain = _layout(name, seed, verge_probability=0.0)
        green = _layout(name, seed, verge_probability=1.0)
        assert green == _layout(name, seed, verge_probability=1.0)

        def others(layout):
            return [p for p in layout.scenery if not p.name.startswith(VERGE_PREFIX)
                    and not (p.name.startswith("sidewalk_") and "kerb" not in p.name)]
        assert others(plain) == others(green)
        assert (plain.lanes, plain.blocked_footprints, plain.parking_strips) == \
               (green.lanes, green.blocked_footprints, green.parking_strips)
        # each sidewalk is exactly its footpath plus its verge
        split = {p.name: p for p in green.scenery}
        for sidewalk in (p for p in plain.scenery if p.name.startswith("sidewalk_") and "kerb" not in p.name):
            verge = split.get(VERGE_PREFIX + sidewalk.name[len("sidewalk_"):])
            parts = [split[sidewalk.name]] + ([verge] if verge else [])
            lows, highs = zip(*map(_x_range, parts), strict=True)
            assert (min(lows), max(highs)) == pytest.approx(_x_range(sidewalk))


def test_narrow_sidewalks_keep_their_footpath():
    layout = _layout("urban_street", 3, verge_probability=1.0, sidewalk_width_m=1.3, verge_width_m=1.8)
    assert not _verges(layout)  # 1.3 m less the kerb leaves under 1.2 m + 0.2 m
    layout = _layout("urban_street", 3, verge_probability=1.0, sidewalk_width_m=2.5, verge_width_m=1.8)
    for verge in _verges(layout):
        assert 0.2 <= verge.params["width_m"] < 1.8


def test_about_the_configured_share_of_sides_get_a_verge():
    sides = [bool(_verges(_layout("urban_street", seed))) for seed in range(60)]
    assert 0.45 < np.mean(sides) < 0.9  # P(at least one of two sides) = 1 - 0.6^2 = 0.64


@pytest.mark.parametrize("data, field", [
    ({"verge_probability": 1.5}, "layout.verge_probability"),
    ({"verge_width_m": 0.1}, "layout.verge_width_m"),
    ({"verge_width_m": {"uniform": [0.5, 12.0]}}, "layout.verge_width_m"),
])
def test_bad_verge_values_name_field_value_and_allowed(data, field):
    with pytest.raises(ConfigError) as info:
        load_config({"layout": data})
    assert info.value.field.startswith(field) and "allowed" in str(info.value)
