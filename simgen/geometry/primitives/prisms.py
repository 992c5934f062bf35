"""Boxes (one or many) and cylinders along x, y or z, as `MeshData`.

Frames and units as in `simgen.geometry.mesh`: object frame, metres, z up.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from simgen.geometry.mesh import MeshData
from simgen.geometry.primitives.topology import frozen_topology, unit_ring

_BOX_SIGNS = np.array([[[-1, -1, -1], [1, -1, -1], [1, 1, -1], [-1, 1, -1]],
                       [[-1, -1, 1], [1, -1, 1], [1, 1, 1], [-1, 1, 1]]], dtype=np.float64)


_BOX_TOPOLOGY = frozen_topology(np.array([0, 3, 2, 1, 4, 5, 6, 7, 0, 1, 5, 4, 1, 2, 6, 5, 2, 3, 7, 6, 3, 0, 4, 7]),
                        np.full(6, 4), np.zeros(6))


def box_mesh(size_m, center_m=(0.0, 0.0, 0.0), material: str = "default",
             top_scale: tuple[float, float] = (1.0, 1.0)) -> MeshData:
    """An axis-aligned box (or a frustum, when `top_scale` < 1 shrinks the top face).

    Args:
        size_m: (length x, width y, height z) in metres.
        center_m: centre of the box in the object frame, metres.
        material: material slot name for all six faces.
        top_scale: (x, y) scale of the top face relative to the bottom, for tapered shapes.
    """
    sx, sy, sz = (float(v) / 2 for v in size_m)
    tx, ty = top_scale
    # corners (+-sx, +-sy, -sz) then (+-sx tx, +-sy ty, sz): a sign times a half extent is exact
    vertices = _BOX_SIGNS * np.array([sx, sy, sz, sx * tx, sy * ty, sz]).reshape(2, 1, 3)
    vertices = vertices.reshape(8, 3)
    vertices += np.asarray(center_m, dtype=np.float64)
    return MeshData(vertices, *_BOX_TOPOLOGY, (material,))


def boxes_mesh(size_m, centers_m: np.ndarray, material: str = "default") -> MeshData:
    """N axis-aligned boxes in one mesh: exactly `merge_meshes` of the N
    `box_mesh(size_m[i], centers_m[i], material)`, built at once.

    Args:
        size_m: (length x, width y, height z) of every box, or (N, 3) one size per box, metres.
        centers_m: (N, 3) box centres in the object frame, metres; N >= 1.
        material: material slot name for every face.
    """
    centers = np.asarray(centers_m, dtype=np.float64).reshape(-1, 3)
    count = len(centers)
    sizes = np.asarray(size_m, dtype=np.float64)
    if sizes.ndim == 1:
        unit = box_mesh(size_m).vertices_m[None, :, :]  # centred at the origin: + 0.0 leaves it exact
    else:  # the same products as `box_mesh` (a sign times a half extent), one box per row
        unit = _BOX_SIGNS.reshape(1, 8, 3) * (sizes.reshape(count, 1, 3) / 2)
    loops, counts, slots = _BOX_TOPOLOGY
    loops = (loops[None, :] + 8 * np.arange(count, dtype=np.int32)[:, None]).ravel()
    return MeshData((unit + centers[:, None, :]).reshape(-1, 3), loops, np.tile(counts, count),
                    np.tile(slots, count), (material,))


@lru_cache(maxsize=64)
def _cylinder_topology(segments: int) -> tuple[np.ndarray, ...]:
    """(loops, counts, slots) of `cylinder_mesh`: bottom cap, top cap, then the side quads."""
    ring = np.arange(segments)
    following = (ring + 1) % segments
    sides = np.stack([ring, following, segments + following, segments + ring], axis=1)
    loops = np.concatenate([ring[::-1], segments + ring, sides.ravel()])
    return frozen_topology(loops, np.array([segments, segments] + [4] * segments), np.zeros(segments + 2))


def cylinder_mesh(radius_m: float, height_m: float, center_m=(0.0, 0.0, 0.0), axis: str = "z",
                  segments: int = 16, material: str = "default", top_radius_m: float | None = None) -> MeshData:
    """A closed cylinder (or truncated cone with `top_radius_m`) along `axis` ('x', 'y' or 'z')."""
    top = radius_m if top_radius_m is None else top_radius_m
    ring = unit_ring(segments)
    half = height_m / 2
    if axis not in ("x", "y", "z"):
        raise ValueError(f"axis must be 'x', 'y' or 'z', got {axis!r}")
    vertices = np.empty((2 * segments, 3))
    np.multiply(ring, radius_m, out=vertices[:segments, :2])
    np.multiply(ring, top, out=vertices[segments:, :2])
    vertices[:segments, 2] = -half
    vertices[segments:, 2] = half
    if axis != "z":
        vertices = vertices[:, _AXIS_COLUMNS[axis]]
    vertices += np.asarray(center_m, dtype=np.float64)
    return MeshData(vertices, *_cylinder_topology(segments), (material,))


_AXIS_COLUMNS = {"x": [2, 0, 1], "y": [1, 2, 0]}
"""Cylinder axis -> the columns of a z-axis cylinder that become x, y, z."""
