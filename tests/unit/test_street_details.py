"""Street details drawn last by the layouts: kerb stones, worn lane paint, the asphalt's lanes."""

from __future__ import annotations

import numpy as np
import pytest
import yaml

from simgen.catalog.classes import STUFF_CLASSES, scenery_class_id
from simgen.catalog.entries import load_catalog
from simgen.config.load import load_config
from simgen.sampling.layouts import get_layout
from simgen.sampling.materials import TEXTURE_RANGES
from simgen.sampling.street_details import KERB_WIDTH_M
from simgen.specs import LayoutSpec

CATALOG = load_catalog()
SIDEWALK_ID = next(c.id for c in STUFF_CLASSES if c.name == "sidewalk")


def _layout(name: str, seed: int) -> LayoutSpec:
    # no grass verges: the kerb and the sidewalk make up the whole walkable strip (tests/unit/test_verge.py)
    data = {**yaml.safe_load(open(f"configs/layout/{name}.yaml")), "verge_probability": 0.0}
    cfg = load_config({"seed": seed, "layout": data})
    return get_layout(name)(cfg.layout, CATALOG, np.random.default_rng(seed))


def _x_range(prop) -> tuple[float, float]:
    x, half = prop.location_m[0], prop.params["width_m"] / 2
    return x - half, x + half


@pytest.mark.parametrize("name", ["urban_street", "intersection"])
def test_every_sidewalk_has_a_kerb_along_its_road_edge(name):
    for seed in range(5):
        layout = _layout(name, seed)
        props = {p.name: p for p in layout.scenery}
        sidewalks = [p for p in layout.scenery if p.name.startswith("sidewalk_") and "kerb" not in p.name]
        assert len(sidewalks) in (2, 4)
        for sidewalk in sidewalks:
            kerb = props["sidewalk_kerb_" + sidewalk.name[len("sidewalk_"):]]
            width = kerb.params["width_m"]
            assert KERB_WIDTH_M[0] <= width <= KERB_WIDTH_M[1]
            (k0, k1), (s0, s1) = _x_range(kerb), _x_range(sidewalk)
            strip = next(s for s in layout.sidewalks_x_m if s[0] <= (k0 + k1) / 2 <= s[1])
            # abutting, not overlapping, and together exactly the walkable strip of sidewalks_x_m
            if kerb.location_m[0] > 0:
                assert k0 == pytest.approx(layout.road_half_width_m) and k1 == pytest.approx(s0)
                assert (k0, s1) == pytest.approx(strip)
            else:
                assert k1 == pytest.approx(-layout.road_half_width_m) and k0 == pytest.approx(s1)
                assert (s0, k1) == pytest.approx(strip)
            assert kerb.params["height_m"] == sidewalk.params["height_m"]
            assert kerb.location_m[1:] == sidewalk.location_m[1:]
            assert kerb.params["length_m"] == sidewalk.params["length_m"]
            assert scenery_class_id(kerb) == SIDEWALK_ID and kerb.instance_index == 0
            (material,) = kerb.materials.values()
            assert material.texture == "kerb" and 0.38 <= material.base_color_rgb[1] <= 0.62
            for param, (low, high) in TEXTURE_RANGES["kerb"].items():
                assert low <= material.texture_param(param) <= high


@pytest.mark.parametrize("name", ["highway", "rural_road"])
def test_roads_without_curbs_have_no_kerbs(name):
    layout = _layout(name, 1)
    assert not any("kerb" in p.name for p in layout.scenery)


@pytest.mark.parametrize("name", ["urban_street", "intersection", "highway", "rural_road"])
def test_lane_paint_is_worn_and_the_road_knows_its_lanes(name):
    layout = _layout(name, 2)
    paints = {m for p in layout.scenery if p.asset == "lane_line" for m in p.materials.values()}
    assert paints and all(m.texture == "worn_paint" for m in paints)
    for paint in paints:
        assert 0.0 <= paint.texture_param("paint_wear") <= 0.6
    # one wear per paint: the lines of a stretch of road share one, the cross street's zebras another
    assert len(paints) == (3 if name == "intersection" else 1)
    road = next(p for p in layout.scenery if p.name == "road").materials["surface"]
    assert road.texture_param("lane_width_m") == layout.lanes[0].width_m
    assert road.texture_param("lanes_per_direction") == sum(lane.direction == 1 for lane in layout.lanes)
    cross = [p for p in layout.scenery if p.name == "cross_road"]
    for prop in cross:
        assert prop.materials["surface"].texture_param("lanes_per_direction") == 1.0
        assert prop.materials["surface"].texture_param("lane_width_m") == prop.params["width_m"] / 2


def test_unplaced_asphalt_has_no_wheel_paths():
    from simgen.sampling.materials import sample_material

    spec = sample_material("asphalt", np.random.default_rng(0))
    assert spec.texture_param("lanes_per_direction") == 0.0
