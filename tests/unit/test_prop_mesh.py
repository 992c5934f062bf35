"""The mesh of a prop has one home (`simgen.catalog.prop_mesh`): one registry lookup, one cache."""

from __future__ import annotations

import numpy as np
import pytest

from simgen.catalog.prop_mesh import (
    get_recipe,
    known_recipes,
    prop_mesh,
    prop_mesh_world,
    prop_triangles,
    recipe_mesh,
    register_file_recipe,
    resolved_params,
)
from simgen.catalog.recipes import RECIPES, Recipe


def test_the_packaged_registry_is_read_only():
    with pytest.raises(TypeError):
        RECIPES["car"] = RECIPES["van"]  # type: ignore[index]


def test_the_same_recipe_and_params_give_the_same_cached_mesh_in_any_key_order():
    a = recipe_mesh("car", {"length_m": 4.4, "width_m": 1.8})
    b = recipe_mesh("car", {"width_m": 1.8, "length_m": 4.4})
    assert a is b
    assert not np.array_equal(a.vertices_m, recipe_mesh("car", {"length_m": 4.0}).vertices_m)


def test_a_record_dict_and_a_spec_object_name_the_same_mesh():
    record = {"recipe": "traffic_cone", "params": {"height_m": 0.7}, "location_m": [3.0, -1.0, 0.0], "yaw_deg": 30.0}
    assert prop_mesh(record) is recipe_mesh("traffic_cone", {"height_m": 0.7})
    world = prop_mesh_world(record).vertices_m
    c, s = np.cos(np.deg2rad(30.0)), np.sin(np.deg2rad(30.0))
    local = prop_mesh(record).vertices_m
    expected = local @ np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]]).T + [3.0, -1.0, 0.0]
    np.testing.assert_allclose(world, expected, atol=1e-12)
    assert prop_triangles(record).shape[1] == 3 and prop_triangles(record).max() < len(local)


def test_resolved_params_fill_the_recipe_defaults():
    params = resolved_params({"recipe": "pole", "params": {"height_m": 9.0}})
    assert params["height_m"] == 9.0 and set(params) == set(RECIPES["pole"].param_defaults)


def test_file_recipes_register_by_name_and_replace_cleanly():
    def cube(scale: float):
        from simgen.geometry.mesh import MeshData

        v = np.array([[x, y, z] for x in (0, scale) for y in (0, scale) for z in (0, scale)], dtype=np.float64)
        faces = ((0, 1, 3, 2), (4, 6, 7, 5), (0, 4, 5, 1), (2, 3, 7, 6), (0, 2, 6, 4), (1, 5, 7, 3))
        return lambda params: MeshData.from_faces(v * params.get("scale", 1.0), faces, (0,) * 6, ("surface",))

    register_file_recipe(Recipe("file:test_cube", cube(1.0), {"scale": 1.0}, "a test cube"))
    assert "file:test_cube" in known_recipes()
    assert recipe_mesh("file:test_cube", {}).bounds_m[1].max() == 1.0
    register_file_recipe(Recipe("file:test_cube", cube(2.0), {"scale": 1.0}, "a bigger test cube"))
    assert recipe_mesh("file:test_cube", {}).bounds_m[1].max() == 2.0  # the cache forgot the old file
    with pytest.raises(ValueError, match="file:<entry>"):
        register_file_recipe(Recipe("cube", cube(1.0), {}, "not a file recipe"))


def test_unknown_recipes_name_the_closest_one():
    with pytest.raises(KeyError, match="'car'"):
        get_recipe("cra")


@pytest.mark.parametrize(("recipe", "params"), [("pedestrian", {"gait_phase": 0.3}), ("cyclist", {"crank_phase": 0.7})])
def test_a_persons_skeleton_is_posed_with_its_mesh_and_cached_beside_it(recipe, params):
    from simgen.catalog.prop_mesh import prop_skeleton

    prop = {"recipe": recipe, "params": params}
    skeleton, again = prop_skeleton(prop), prop_skeleton(prop)
    assert skeleton is again  # one posing, cached with the mesh
    fresh_mesh, fresh_skeleton = RECIPES[recipe].build_mesh(params), RECIPES[recipe].build_skeleton(params)
    np.testing.assert_array_equal(prop_mesh(prop).vertices_m, fresh_mesh.vertices_m)
    assert prop_mesh(prop).faces == fresh_mesh.faces
    assert skeleton.body == fresh_skeleton.body and skeleton.joints_m.keys() == fresh_skeleton.joints_m.keys()
    for name, point in fresh_skeleton.joints_m.items():
        np.testing.assert_array_equal(skeleton.joints_m[name], point)


def test_props_that_are_not_people_have_no_skeleton():
    from simgen.catalog.prop_mesh import prop_skeleton

    assert prop_skeleton({"recipe": "car", "params": {}}) is None
