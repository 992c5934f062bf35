"""Grown trees, bushes and hedges (pure numpy) and where the layouts put them (issue 15)."""

from __future__ import annotations

import numpy as np
import pytest
import yaml

from simgen.catalog.classes import STUFF_CLASSES, scenery_class_id
from simgen.catalog.entries import build_asset_mesh, load_catalog
from simgen.catalog.prop_mesh import get_recipe
from simgen.catalog.recipes.vegetation import SPECIES, grown_tree
from simgen.config.load import load_config
from simgen.geometry.footprint import footprint_corners, footprints_overlap
from simgen.sampling.frame import sample_frame
from simgen.sampling.furniture import footprint_of
from simgen.sampling.street import TREE_ASSETS

CATALOG = load_catalog()
VEGETATION = next(c.id for c in STUFF_CLASSES if c.name == "vegetation")
PRESETS = {"urban_street": "urban", "intersection": "urban", "rural_road": "rural", "highway": "highway"}


def _tree(species: int, seed: float = 1.0, **params: float):
    return get_recipe("tree").build_mesh({"species": float(species), "growth_seed": seed, **params})


def _foliage_vertices(mesh) -> np.ndarray:
    slot = mesh.materials.index("foliage")
    corners = np.repeat(mesh.face_slots == slot, mesh.loop_counts)
    return mesh.vertices_m[np.unique(mesh.loop_vertices[corners])]


def _radius_by_height(mesh, bins: int = 5) -> np.ndarray:
    """Largest horizontal distance from the z axis of the foliage in `bins` height bands of the crown."""
    foliage = _foliage_vertices(mesh)
    z = foliage[:, 2]
    band = np.minimum(((z - z.min()) / np.ptp(z) * bins).astype(int), bins - 1)
    radius = np.hypot(foliage[:, 0], foliage[:, 1])
    return np.array([radius[band == k].max() for k in range(bins)])


@pytest.mark.parametrize("species", range(len(SPECIES)))
def test_every_species_fits_its_height_and_crown_exactly(species):
    mesh = _tree(species, 5.0, height_m=8.0, crown_radius_m=1.7)
    low, high = mesh.bounds_m
    assert high[2] == pytest.approx(8.0, abs=1e-9) and low[2] == pytest.approx(0.0, abs=1e-9)
    assert high[:2] - low[:2] == pytest.approx([3.4, 3.4], abs=1e-9)
    assert np.abs((low[:2] + high[:2]) / 2).max() < 0.2  # the crown stands over the trunk
    assert 600 < mesh.face_count < 3000


def test_species_shapes_differ_as_named():
    conical, columnar = _radius_by_height(_tree(1)), _radius_by_height(_tree(2))
    assert conical[0] > 1.4 * conical[-1]  # widest at the bottom, narrow at the top
    assert all(np.diff(conical[1:]) < 0)
    assert columnar[1:4].min() > 0.75 * columnar.max()  # a column: about as wide all the way up
    assert _tree(3).materials == ("bark",)  # a bare winter tree has no leaves
    assert _tree(0).materials == ("bark", "foliage")


def test_growth_is_a_deterministic_function_of_the_params():
    first, again, other = _tree(0, 4.0), _tree(0, 4.7), _tree(0, 5.0)
    np.testing.assert_array_equal(first.vertices_m, again.vertices_m)  # the seed's integer part
    assert first.face_count != other.face_count or not np.array_equal(first.vertices_m, other.vertices_m)
    grown_tree.cache_clear()
    np.testing.assert_array_equal(_tree(0, 4.0).vertices_m, first.vertices_m)  # not a cache artefact


@pytest.mark.parametrize("recipe", ["bush", "hedge"])
def test_bushes_and_hedges_fit_their_box_and_vary_with_the_seed(recipe):
    params = {"length_m": 3.0, "width_m": 0.9, "height_m": 1.1}
    meshes = [get_recipe(recipe).build_mesh({**params, "growth_seed": seed}) for seed in (0.0, 1.0)]
    for mesh in meshes:
        low, high = mesh.bounds_m
        np.testing.assert_allclose(high - low, [3.0, 0.9, 1.1], atol=1e-9)
        np.testing.assert_allclose((low[:2] + high[:2]) / 2, 0.0, atol=1e-9)
        assert mesh.materials == ("foliage",)
    assert not np.array_equal(meshes[0].vertices_m, meshes[1].vertices_m)


def _config(layout: str, **layout_overrides):
    layout_cfg = yaml.safe_load(open(f"configs/layout/{layout}.yaml"))
    traffic_cfg = yaml.safe_load(open(f"configs/traffic/{PRESETS[layout]}.yaml"))
    return load_config({"seed": 5, "layout": {**layout_cfg, **layout_overrides}, "traffic": traffic_cfg})


def _plants(spec):
    return [p for p in spec.layout.scenery if p.recipe in ("bush", "hedge")]


@pytest.mark.parametrize("layout", sorted(PRESETS))
def test_layouts_place_bushes_and_hedges_as_blocked_vegetation_on_free_ground(layout):
    cfg = _config(layout, bush_probability=0.8, hedge_probability=0.0 if layout == "highway" else 0.6)
    specs = [sample_frame(cfg, CATALOG, index) for index in range(3)]
    plants = [p for spec in specs for p in _plants(spec)]
    assert {p.recipe for p in plants} == ({"bush"} if layout == "highway" else {"bush", "hedge"})
    for spec in specs:
        blocked = list(spec.layout.blocked_footprints)
        half, = {spec.layout.road_half_width_m}
        for prop in _plants(spec):
            assert scenery_class_id(prop) == VEGETATION and prop.instance_index == 0
            foot = footprint_of(build_asset_mesh(CATALOG.get(prop.asset), prop.params), prop.location_m[0],
                                prop.location_m[1], prop.yaw_deg)
            assert foot in blocked and np.abs(footprint_corners(foot)[:, 0]).min() > half  # off the road
            others = [f for f in blocked if f != foot]
            assert not any(footprints_overlap(foot, other) for other in others), prop.name
        trees = [p for p in spec.layout.scenery if p.recipe == "tree"]
        assert {p.asset for p in trees} <= set(TREE_ASSETS)


def test_vegetation_densities_come_from_the_config():
    none = _config("urban_street", bush_probability=0.0, hedge_probability=0.0)
    assert not any(_plants(sample_frame(none, CATALOG, index)) for index in range(3))
    dense = _config("urban_street", bush_probability=1.0, hedge_probability=1.0)
    assert sum(len(_plants(sample_frame(dense, CATALOG, index))) for index in range(3)) > 20


def test_tree_rows_draw_every_species():
    cfg = _config("rural_road", tree_probability=1.0)
    assets = {p.asset for index in range(4) for p in sample_frame(cfg, CATALOG, index).layout.scenery
              if p.recipe == "tree"}
    assert assets == set(TREE_ASSETS)
