"""Unit tests for the procedural asset recipes in `simgen.catalog.recipes` (pure numpy, no Blender).

All geometry is in each recipe's object frame: metres, z up, origin at the centre of the ground
footprint, +x forward.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from simgen.catalog.prop_mesh import get_recipe
from simgen.catalog.recipes import MATERIAL_SLOTS, RECIPES
from simgen.geometry.mesh import MeshData
from tests.unit.mesh_topology import vertex_components

NAMES = sorted(RECIPES)

# parameter -> (axes whose extent it sets, extent per unit of the parameter); height_m is checked as max z.
EXTENT_PARAMS: dict[str, tuple[tuple[int, ...], float]] = {
    "length_m": ((0,), 1.0), "width_m": ((1,), 1.0), "base_width_m": ((0, 1), 1.0),
    "bike_length_m": ((0,), 1.0), "crown_radius_m": ((0, 1), 2.0), "shoulder_width_m": ((1,), 1.0),
}
FOOTPRINT_TOLERANCE = 0.05
HEIGHT_TOLERANCE = 0.02
FACE_BUDGETS = {"car": 2200, "van": 2200, "pedestrian": 1100, "cyclist": 1200, "bicycle": 400, "traffic_cone": 100,
                "pole": 100, "tree": 3000, "building": 10000, "slab": 10, "dashed_line": 2000,
                "manhole": 100, "drain_grate": 200,
                "deer": 600, "dog": 600, "tree_trunk": 200, "tire": 200, "cardboard_box": 20, "mattress": 20,
                "rock": 200, "stroller": 600, "construction_barrier": 200, "cone_cluster": 600,
                "truck": 600, "bus": 600, "motorcycle": 400, "traffic_sign": 100, "traffic_light": 200,
                "wheelie_bin": 120, "litter_bin": 80, "bench": 60, "bollard": 80, "fire_hydrant": 160,
                "delineator": 40, "bush": 700, "hedge": 1000}


def _build(name: str, **params: float) -> MeshData:
    return get_recipe(name).build_mesh(params)


def _scaled_sizes(name: str, factor: float) -> dict[str, float]:
    """The recipe's defaults with every metre-valued parameter multiplied by `factor`."""
    defaults = RECIPES[name].param_defaults
    return {key: value * factor if key.endswith("_m") else value for key, value in defaults.items()}


def _signed_volumes(mesh: MeshData) -> list[float]:
    """Signed volume (m^3) of every connected component; positive when its faces point outwards."""
    roots = vertex_components(mesh)
    volumes: dict[int, float] = {}
    vertices = mesh.vertices_m
    for face in mesh.faces:
        for k in range(1, len(face) - 1):
            a, b, c = vertices[face[0]], vertices[face[k]], vertices[face[k + 1]]
            root = int(roots[face[0]])
            volumes[root] = volumes.get(root, 0.0) + float(np.dot(a, np.cross(b, c))) / 6
    return list(volumes.values())


@pytest.mark.parametrize("name", NAMES)
def test_vertices_are_finite_float64(name: str) -> None:
    mesh = _build(name)
    assert mesh.vertices_m.dtype == np.float64
    assert np.isfinite(mesh.vertices_m).all()


@pytest.mark.parametrize("name", NAMES)
def test_faces_index_valid_vertices_with_three_distinct_corners(name: str) -> None:
    mesh = _build(name)
    count = len(mesh.vertices_m)
    for face in mesh.faces:
        assert all(0 <= index < count for index in face)
        assert len(set(face)) >= 3
    assert all(0 <= slot < len(mesh.materials) for slot in mesh.face_material)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("factor", [1.0, 1.15])
def test_sits_on_the_ground(name: str, factor: float) -> None:
    mesh = _build(name, **_scaled_sizes(name, factor))
    assert mesh.vertices_m[:, 2].min() == pytest.approx(0.0, abs=1e-6)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("factor", [1.0, 1.15])
def test_bounds_match_declared_size_params(name: str, factor: float) -> None:
    params = _scaled_sizes(name, factor)
    if name == "dashed_line":
        params["solid"] = 1.0  # a dashed line ends wherever its last dash does
    low, high = _build(name, **params).bounds_m
    if "height_m" in params:
        assert high[2] == pytest.approx(params["height_m"], rel=HEIGHT_TOLERANCE)
    for key, (axes, per_unit) in EXTENT_PARAMS.items():
        if key in params:
            for axis in axes:
                assert high[axis] - low[axis] == pytest.approx(per_unit * params[key], rel=FOOTPRINT_TOLERANCE), key


@pytest.mark.parametrize("name", NAMES)
def test_footprint_is_centred_on_the_origin(name: str) -> None:
    low, high = _build(name).bounds_m
    if name != "pole":  # a pole's origin is its shaft; the lamp arm reaches out along +x
        assert np.abs((low[:2] + high[:2]) / 2).max() < 0.05 * np.abs(high[:2] - low[:2]).max()


@pytest.mark.parametrize("name", NAMES)
def test_material_slots_come_from_the_fixed_list(name: str) -> None:
    mesh = _build(name)
    assert set(mesh.materials) <= set(MATERIAL_SLOTS)
    assert set(mesh.face_material) == set(range(len(mesh.materials)))


@pytest.mark.parametrize("name", NAMES)
def test_is_deterministic(name: str) -> None:
    first, second = _build(name), _build(name)
    np.testing.assert_array_equal(first.vertices_m, second.vertices_m)
    assert first.faces == second.faces
    assert first.face_material == second.face_material
    assert first.materials == second.materials


@pytest.mark.parametrize("name", NAMES)
def test_omitted_params_take_defaults(name: str) -> None:
    recipe = get_recipe(name)
    explicit = recipe.build_mesh(dict(recipe.param_defaults))
    np.testing.assert_array_equal(recipe.build_mesh({}).vertices_m, explicit.vertices_m)


@pytest.mark.parametrize("name", NAMES)
def test_unknown_param_raises_naming_it(name: str) -> None:
    with pytest.raises(ValueError, match="colour_m"):
        get_recipe(name).build_mesh({"colour_m": 1.0})


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("value", [0.0, -1.0, float("nan")])
def test_non_positive_sizes_raise_naming_the_param(name: str, value: float) -> None:
    sizes = [key for key in RECIPES[name].param_defaults if key.endswith("_m") or key == "floors"]
    assert sizes
    for key in sizes:
        with pytest.raises(ValueError, match=key):
            get_recipe(name).build_mesh({key: value})


@pytest.mark.parametrize("name", NAMES)
def test_primitives_are_closed_and_point_outwards(name: str) -> None:
    mesh = _build(name)
    edges = Counter((face[i], face[(i + 1) % len(face)]) for face in mesh.faces for i in range(len(face)))
    assert all(count == 1 and edges[(b, a)] == 1 for (a, b), count in edges.items())
    assert min(_signed_volumes(mesh)) > 0


@pytest.mark.parametrize("name", NAMES)
def test_face_count_within_budget(name: str) -> None:
    assert len(_build(name).faces) < FACE_BUDGETS[name]


def test_every_recipe_is_described_and_keyed_by_name() -> None:
    for name, recipe in RECIPES.items():
        assert recipe.name == name
        assert recipe.description
        assert recipe.param_defaults


def test_get_recipe_suggests_the_closest_name() -> None:
    with pytest.raises(KeyError, match="'car'"):
        get_recipe("cra")
    assert get_recipe("car") is RECIPES["car"]


@pytest.mark.parametrize("name", ["car", "van"])
def test_vehicle_wheels_touch_the_ground_and_lights_face_front_and_back(name: str) -> None:
    mesh = _build(name)
    slots = np.asarray(mesh.face_material)

    def vertices_of(slot: str) -> np.ndarray:
        indices = {i for f, face in enumerate(mesh.faces) if slots[f] == mesh.materials.index(slot) for i in face}
        return mesh.vertices_m[sorted(indices)]

    assert vertices_of("tire")[:, 2].min() == pytest.approx(0.0, abs=1e-6)
    assert vertices_of("headlight")[:, 0].min() > 0.4 * RECIPES[name].param_defaults["length_m"]
    assert vertices_of("taillight")[:, 0].max() < -0.4 * RECIPES[name].param_defaults["length_m"]
    assert {"paint", "glass"} <= set(mesh.materials)


def test_pedestrian_walking_opens_the_legs() -> None:
    standing, walking = _build("pedestrian", speed_m_s=0.0), _build("pedestrian", speed_m_s=1.5, gait_phase=0.0)
    extent = [float(np.ptp(mesh.vertices_m[:, 0])) for mesh in (standing, walking)]
    assert extent[1] > extent[0] + 0.3
    assert walking.bounds_m[1][2] == pytest.approx(1.75, rel=1e-9)


@pytest.mark.parametrize(("name", "params"), [
    ("pedestrian", {"speed_m_s": 12.0}), ("pedestrian", {"gait_phase": 1.5}), ("pedestrian", {"shoulder_width_m": 1.5}),
    ("cyclist", {"crank_phase": -0.2}),
    ("car", {"wheel_radius_m": 1.2}), ("van", {"wheel_radius_m": 1.5}), ("bicycle", {"wheel_radius_m": 0.6}),
    ("cyclist", {"height_m": 3.5}), ("cyclist", {"bike_length_m": 3.0}), ("tree", {"crown_radius_m": 0.2}),
])
def test_inconsistent_params_raise_naming_the_param(name: str, params: dict[str, float]) -> None:
    with pytest.raises(ValueError, match=next(iter(params))):
        get_recipe(name).build_mesh(params)


def test_pole_without_arm_is_a_bare_shaft() -> None:
    low, high = _build("pole", has_arm=0.0).bounds_m
    assert high[0] - low[0] == pytest.approx(2 * RECIPES["pole"].param_defaults["radius_m"], rel=1e-6)


def test_building_rounds_fractional_floors() -> None:
    rounded, drawn = _build("building", floors=4.0), _build("building", floors=4.4)
    np.testing.assert_array_equal(rounded.vertices_m, drawn.vertices_m)
    assert len(_build("building", floors=6.0).faces) > len(rounded.faces)


@pytest.mark.parametrize(("height_m", "bike_length_m"), [(1.2, 1.3), (1.6, 1.85), (1.9, 1.6), (2.0, 1.9)])
def test_cyclist_height_and_bike_length_are_independent(height_m: float, bike_length_m: float) -> None:
    low, high = _build("cyclist", height_m=height_m, bike_length_m=bike_length_m).bounds_m
    assert high[2] == pytest.approx(height_m, rel=1e-9)
    assert high[0] - low[0] == pytest.approx(bike_length_m, rel=FOOTPRINT_TOLERANCE)
