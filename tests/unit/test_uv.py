"""Box-projected UVs (`simgen.geometry.uv`) for meshes wearing a texture set: metric, per face."""

from __future__ import annotations

import numpy as np

from simgen.geometry.primitives import box_mesh
from simgen.geometry.uv import box_uv_m, face_normals


def _polygon_area(points: np.ndarray) -> float:
    x, y = points[:, 0], points[:, 1]
    return 0.5 * float(x @ np.roll(y, -1) - y @ np.roll(x, -1))


def test_a_box_face_keeps_its_size_and_faces_outwards_in_uv():
    mesh = box_mesh((4.0, 2.0, 3.0), (10.0, -5.0, 1.5))
    uv = box_uv_m(mesh)
    assert uv.shape == (len(mesh.loop_vertices), 2) and uv.dtype == np.float32
    normals = face_normals(mesh)
    starts = list(mesh.loop_starts) + [len(mesh.loop_vertices)]
    expected = {0: 2.0 * 3.0, 1: 4.0 * 3.0, 2: 4.0 * 2.0}  # area by the axis a face looks along
    for face, (start, end) in enumerate(zip(starts[:-1], starts[1:], strict=True)):
        axis = int(np.argmax(np.abs(normals[face])))
        area = _polygon_area(uv[start:end].astype(np.float64))
        assert abs(area - expected[axis]) < 1e-4
        assert area > 0  # counter-clockwise seen from outside: u right, v up
        corners = mesh.vertices_m[mesh.loop_vertices[start:end]]
        if axis != 2:
            assert np.allclose(uv[start:end, 1], corners[:, 2])  # v is height on walls
