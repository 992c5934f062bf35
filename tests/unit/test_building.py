"""Building facades (framed windows, doors, shop fronts, balconies, cornice, parapet) and the
road fixtures (manhole covers, drain grates) of issue 15."""

from __future__ import annotations

import numpy as np
import pytest
import yaml

from simgen.catalog.classes import STUFF_CLASSES, scenery_class_id
from simgen.catalog.entries import load_catalog
from simgen.catalog.prop_mesh import get_recipe, prop_mesh
from simgen.catalog.recipes.building import FEATURE_THRESHOLD, PROTRUSION_M
from simgen.config.load import load_config
from simgen.geometry.mesh import merge_meshes
from simgen.geometry.primitives import box_mesh, boxes_mesh
from simgen.sampling.frame import sample_frame

CATALOG = load_catalog()
ROAD_ID = next(c.id for c in STUFF_CLASSES if c.name == "road")


def _building(**params):
    return get_recipe("building").build_mesh(params)


def _slot_faces(mesh, slot: str) -> np.ndarray:
    """(F_slot, 4, 3) corners of the polygons of one slot (every building polygon is a quad)."""
    faces = np.array(mesh.faces)[np.array(mesh.face_material) == mesh.materials.index(slot)]
    return mesh.vertices_m[faces]


def test_boxes_mesh_with_one_size_per_box_is_the_merged_box_meshes():
    sizes = np.array([[1.0, 2.0, 0.3], [0.07, 0.5, 1.9], [3.0, 0.01, 0.2]])
    centers = np.array([[0.0, 1.0, 2.0], [-4.5, 6.01, 0.35], [1e-3, -2.0, 7.0]])
    batched = boxes_mesh(sizes, centers, "trim")
    merged = merge_meshes([box_mesh(s, c, "trim") for s, c in zip(sizes, centers, strict=True)])
    np.testing.assert_array_equal(batched.vertices_m, merged.vertices_m)
    assert batched.faces == merged.faces and batched.face_material == merged.face_material


@pytest.mark.parametrize("params", [{}, {"shop_front": 1.0, "balconies": 1.0},
                                    {"length_m": 8.0, "width_m": 14.0, "floors": 3.0, "balconies": 0.9},
                                    {"length_m": 30.0, "height_m": 30.0, "floors": 8.0, "shop_front": 0.7}])
def test_nothing_stands_out_more_than_the_protrusion_and_the_top_is_height(params):
    mesh = _building(**params)
    full = {**get_recipe("building").param_defaults, **params}
    low, high = mesh.bounds_m
    half = np.array([full["length_m"], full["width_m"]]) / 2 + PROTRUSION_M
    np.testing.assert_allclose(high[:2], half, atol=1e-12)
    np.testing.assert_allclose(low[:2], -half, atol=1e-12)
    assert low[2] == 0.0 and high[2] == pytest.approx(full["height_m"], abs=1e-12)
    assert set(mesh.materials) == {"facade", "roof", "trim", "window"}


def test_shop_front_glazes_the_ground_floor_and_drops_the_door():
    plain, shop = _building(shop_front=FEATURE_THRESHOLD - 0.01), _building(shop_front=FEATURE_THRESHOLD)
    floor_height = (15.0 - min(0.7, 0.08 * 15.0) - min(0.3, 0.05 * 15.0)) / 5

    def ground_glass_area(mesh) -> float:
        corners = _slot_faces(mesh, "window")
        front = corners[(np.ptp(corners[:, :, 1], axis=1) == 0) & (corners[:, :, 2].max(axis=1) < floor_height)]
        return float(np.sum(np.ptp(front[:, :, 0], axis=1) * np.ptp(front[:, :, 2], axis=1)))

    assert ground_glass_area(shop) > 2 * ground_glass_area(plain) > 0
    # the door: a dark panel standing on the ground frame (roof slot below the first floor) only without the shop
    assert _slot_faces(plain, "roof")[:, :, 2].min() < floor_height
    assert _slot_faces(shop, "roof")[:, :, 2].min() > floor_height


def test_balconies_add_railings_in_front_of_upper_floors_only():
    def railings(mesh) -> np.ndarray:  # roof-slot parts in front of the frames: not the roof slab, not the doors
        corners = _slot_faces(mesh, "roof")
        return corners[np.abs(corners[:, :, 1]).min(axis=1) > 6.0 + 0.05]

    assert len(railings(_building())) == 0
    rails = railings(_building(balconies=1.0))
    assert len(rails) > 0 and rails[:, :, 2].min() > 2.5  # above the ground floor
    assert np.abs(rails[:, :, 1]).max() <= 6.0 + PROTRUSION_M


@pytest.mark.parametrize("params", [{"length_m": 8.0, "width_m": 14.0}, {"length_m": 14.0, "width_m": 8.0}])
def test_openings_are_on_the_long_facades(params):
    mesh = _building(**params)
    glass = _slot_faces(mesh, "window")
    long_axis = 0 if params["length_m"] > params["width_m"] else 1
    half_across = min(params.values()) / 2
    assert np.abs(glass[:, :, 1 - long_axis]).max() == pytest.approx(half_across + 0.01)


def _urban(**layout):
    return load_config({"seed": 3, "layout": {**yaml.safe_load(open("configs/layout/urban_street.yaml")), **layout}})


def test_manholes_lie_in_lanes_and_drains_in_the_gutters_as_road():
    spec = sample_frame(_urban(), CATALOG, 0)
    layout = spec.layout
    manholes = [p for p in layout.scenery if p.recipe == "manhole"]
    drains = [p for p in layout.scenery if p.recipe == "drain_grate"]
    assert manholes and {p.name[:7] for p in drains} == {"drain_r", "drain_l"}
    for prop in manholes:
        lane = min(layout.lanes, key=lambda lane: abs(lane.center_x_m - prop.location_m[0]))
        assert abs(lane.center_x_m - prop.location_m[0]) <= 0.5
    for prop in drains:
        assert abs(prop.location_m[0]) == pytest.approx(layout.road_half_width_m - 0.25)
    for prop in manholes + drains:
        low, high = prop_mesh(prop).bounds_m
        assert low[2] == 0.0 and high[2] <= 0.016 and prop.location_m[2] == 0.0
        assert scenery_class_id(prop) == ROAD_ID
        assert layout.y_range_m[0] <= prop.location_m[1] < layout.y_range_m[1]


def test_fixtures_are_drawn_last_and_follow_the_spacing():
    dense, sparse = (sample_frame(_urban(manhole_spacing_m=s, drain_spacing_m=s), CATALOG, 0) for s in (5.0, 60.0))
    fixtures = ("manhole", "drain_grate")
    rest = [[p for p in spec.layout.scenery if p.recipe not in fixtures] for spec in (dense, sparse)]
    assert rest[0] == rest[1]
    counts = [sum(p.recipe in fixtures for p in spec.layout.scenery) for spec in (dense, sparse)]
    assert counts[0] > 5 * counts[1] > 0
