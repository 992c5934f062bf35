"""Texture coordinates for meshes that have none: box projection in metres.

The recipe meshes carry no UVs (`simgen.geometry.mesh.MeshData`); image textures (user PBR
sets, `simgen.blender.pbr`) need a 2D coordinate and, for tangent-space normal maps, a UV map
that Cycles derives tangents from. Each face is projected onto the object-frame plane its
normal faces most (Newell's normal of its corners), so every face keeps its metric size:
+z faces (roads, roofs) get (u, v) = (x, y), -z (x, -y); +x faces (y, z) and -x (-y, z); +y faces
(-x, z) and -y (x, z): u runs to the right and v up when looking at the face from outside.
"""

from __future__ import annotations

import numpy as np

from simgen.geometry.mesh import MeshData


def face_normals(mesh: MeshData) -> np.ndarray:
    """(F, 3) float64 unnormalized face normals (Newell's method), object frame."""
    corners = mesh.vertices_m[mesh.loop_vertices].astype(np.float64)
    starts = np.asarray(mesh.loop_starts, dtype=np.int64)
    ends = np.append(starts[1:], len(mesh.loop_vertices))
    following = np.arange(len(corners)) + 1
    following[ends - 1] = starts  # the last corner of each face wraps to its first
    return np.add.reduceat(np.cross(corners, corners[following]), starts, axis=0)


def box_uv_m(mesh: MeshData) -> np.ndarray:
    """(L, 2) float32 per-corner (u, v) in metres by box projection (module docstring), one row
    per entry of `mesh.loop_vertices`."""
    normals = face_normals(mesh)
    axis = np.argmax(np.abs(normals), axis=1)
    sign = np.sign(normals[np.arange(len(normals)), axis])
    sign[sign == 0] = 1.0
    corner_axis, corner_sign = np.repeat(axis, mesh.loop_counts), np.repeat(sign, mesh.loop_counts)
    x, y, z = mesh.vertices_m[mesh.loop_vertices].astype(np.float64).T
    u = np.select([corner_axis == 0, corner_axis == 1], [corner_sign * y, -corner_sign * x], x)
    v = np.select([corner_axis == 2], [corner_sign * y], z)
    return np.stack([u, v], axis=1).astype(np.float32)
