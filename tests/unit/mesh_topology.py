"""Test helper: the connected components of a `MeshData` (faces sharing vertices)."""

from __future__ import annotations

import numpy as np

from simgen.geometry.mesh import MeshData


def vertex_components(mesh: MeshData) -> np.ndarray:
    """(V,) int: for every vertex, a representative vertex of its face-connected component
    (unused vertices are their own component)."""
    parent = list(range(len(mesh.vertices_m)))

    def find(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    for face in mesh.faces:
        for index in face[1:]:
            parent[find(index)] = find(face[0])
    return np.array([find(i) for i in range(len(parent))], dtype=np.int64)
