"""The Blender mesh of every recipe is its `MeshData`, polygon for polygon, and needs no repair.

`simgen.blender.scene_pool.build_mesh` writes the arrays straight into the mesh attributes and
skips `Mesh.validate()`; here, on real Blender meshes of every recipe (three parameter sets each,
from the recorded regression sets), validate() finds nothing to fix and the polygons, their
corner order, the material indices and the vertex positions read back equal the pure mesh.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from tests.unit.recipe_mesh_hashes import DATA_PATH

pytestmark = pytest.mark.blender

RECORDED: dict[str, list[list]] = json.loads(DATA_PATH.read_text())


@pytest.mark.parametrize("name", sorted(RECORDED))
def test_built_meshes_equal_the_recipe_mesh_and_are_valid(name: str) -> None:
    import bpy

    from simgen.blender.scene_pool import build_mesh
    from simgen.catalog.recipes import RECIPES

    for params, _ in RECORDED[name][:3]:
        data = RECIPES[name].build_mesh(params)
        materials = [bpy.data.materials.new(f"test_{slot}") for slot in data.materials]
        mesh = build_mesh(f"test_{name}", data, materials)
        try:
            polygons = tuple(tuple(polygon.vertices) for polygon in mesh.polygons)
            slots = tuple(polygon.material_index for polygon in mesh.polygons)
            coords = np.empty(len(mesh.vertices) * 3, dtype=np.float32)
            mesh.vertices.foreach_get("co", coords)
            assert polygons == data.faces
            assert slots == data.face_material
            assert [m.name for m in mesh.materials] == [m.name for m in materials]
            np.testing.assert_array_equal(coords.reshape(-1, 3), data.vertices_m.astype(np.float32))
            assert len(mesh.edges) > 0
            assert mesh.validate(verbose=False) is False  # nothing to fix
        finally:
            bpy.data.meshes.remove(mesh)
            bpy.data.batch_remove(materials)
