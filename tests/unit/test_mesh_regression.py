"""Every recipe builds exactly the mesh it built before vectorization, and a valid one.

The hashes in `recipe_mesh_hashes.json` (see `tests/unit/recipe_mesh_hashes.py`) cover vertices
rounded to 1e-9 m, polygons in order, the slot of every polygon and the slot names, over 20
parameter sets per recipe. Validity is what lets the Blender builder skip `Mesh.validate()`:
polygons of >= 3 distinct in-range vertices, no polygon repeated, slots in range, finite vertices.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from simgen.catalog.recipes import RECIPES
from simgen.geometry.mesh import MeshData, triangle_indices
from tests.unit.recipe_mesh_hashes import DATA_PATH, mesh_hash

RECORDED: dict[str, list[list]] = json.loads(DATA_PATH.read_text())


def test_every_recipe_is_recorded() -> None:
    assert sorted(RECORDED) == sorted(RECIPES)


@pytest.mark.parametrize("name", sorted(RECORDED))
def test_recipe_meshes_match_recorded_hashes(name: str) -> None:
    for params, expected in RECORDED[name]:
        assert mesh_hash(RECIPES[name].build_mesh(params)) == expected, (name, params)


def _check_valid(mesh: MeshData) -> None:
    vertex_count = len(mesh.vertices_m)
    assert np.isfinite(mesh.vertices_m).all()
    assert len(mesh.faces) == len(mesh.face_material) > 0
    seen: set[tuple[int, ...]] = set()
    for face in mesh.faces:
        assert len(face) >= 3 and len(set(face)) == len(face), face
        assert all(0 <= index < vertex_count for index in face), face
        key = tuple(sorted(face))
        assert key not in seen, face
        seen.add(key)
    assert all(0 <= slot < len(mesh.materials) for slot in mesh.face_material)
    assert len(set(mesh.materials)) == len(mesh.materials)


@pytest.mark.parametrize("name", sorted(RECORDED))
def test_recipe_meshes_are_valid_by_construction(name: str) -> None:
    for params, _ in RECORDED[name]:
        _check_valid(RECIPES[name].build_mesh(params))


@pytest.mark.parametrize("name", sorted(RECORDED))
def test_triangle_fans_fan_every_polygon_from_its_first_corner(name: str) -> None:
    mesh = RECIPES[name].build_mesh(RECORDED[name][1][0])
    expected = [(face[0], face[i], face[i + 1]) for face in mesh.faces for i in range(1, len(face) - 1)]
    triangles = triangle_indices(mesh)
    assert triangles.dtype == np.int64
    assert triangles.tolist() == [list(t) for t in expected]
