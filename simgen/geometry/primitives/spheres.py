"""UV spheres, the unit icosphere, and blobs (many bumpy icospheres in one mesh), as `MeshData`.

Frames and units as in `simgen.geometry.mesh`: object frame, metres, z up.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from simgen.geometry.mesh import MeshData
from simgen.geometry.primitives.topology import frozen_topology, tiled_mesh


@lru_cache(maxsize=64)
def _sphere_template(rings: int, segments: int) -> tuple[tuple[np.ndarray, ...], tuple[np.ndarray, ...]]:
    """((cos theta, sin theta) per inner ring, (cos phi, sin phi) per segment), and the topology
    (loops, counts, slots) of `sphere_mesh`: the bottom fan, the ring quads, the top fan."""
    theta = [np.pi * r / rings - np.pi / 2 for r in range(1, rings)]
    phi = [2 * np.pi * s / segments for s in range(segments)]
    # Scalar np.cos / np.sin, as the per-vertex loop of the original builder evaluated them, so the
    # vertices stay bit-identical (vectorized ufuncs may round differently in the last place).
    angles = tuple(np.array([function(value) for value in values])
                   for values in (theta, phi) for function in (np.cos, np.sin))
    ring = np.arange(segments)
    following = (ring + 1) % segments
    top = 1 + (rings - 1) * segments
    bottom = np.stack([np.zeros(segments, dtype=np.int64), 1 + following, 1 + ring], axis=1)
    bases = 1 + segments * np.arange(rings - 2)[:, None]
    quads = np.stack([bases + ring, bases + following, bases + following + segments, bases + ring + segments], axis=2)
    last = 1 + (rings - 2) * segments
    cap = np.stack([last + ring, last + following, np.full(segments, top)], axis=1)
    loops = np.concatenate([bottom.ravel(), quads.ravel(), cap.ravel()])
    counts = np.array([3] * segments + [4] * (segments * (rings - 2)) + [3] * segments)
    return angles, frozen_topology(loops, counts, np.zeros(len(counts)))


def sphere_mesh(radius_m: float, center_m=(0.0, 0.0, 0.0), rings: int = 8, segments: int = 12,
                material: str = "default", scale=(1.0, 1.0, 1.0)) -> MeshData:
    """A UV sphere (an ellipsoid with `scale`), poles on the z axis.

    Vertices: the bottom pole, `rings` - 1 rings of `segments` (bottom to top, counter-clockwise
    about +z from +x), the top pole.
    """
    (cos_theta, sin_theta, cos_phi, sin_phi), topology = _sphere_template(rings, segments)
    vertices = np.empty((2 + (rings - 1) * segments, 3))
    vertices[0] = (0.0, 0.0, -radius_m)
    vertices[-1] = (0.0, 0.0, radius_m)
    ring_radius = radius_m * cos_theta
    inner = vertices[1:-1].reshape(rings - 1, segments, 3)
    inner[:, :, 0] = ring_radius[:, None] * cos_phi
    inner[:, :, 1] = ring_radius[:, None] * sin_phi
    inner[:, :, 2] = (radius_m * sin_theta)[:, None]
    vertices = vertices * np.asarray(scale, dtype=np.float64) + np.asarray(center_m, dtype=np.float64)
    return MeshData(vertices, *topology, (material,))


@lru_cache(maxsize=4)
def unit_icosphere(subdivisions: int) -> tuple[np.ndarray, np.ndarray]:
    """((V, 3) read-only unit vertices, (T * 3,) read-only int32 corners of T outward triangles)
    of an icosahedron whose triangles are split `subdivisions` times into four (V = 12, 42, 162)."""
    golden = (1.0 + 5.0 ** 0.5) / 2
    points = [(-1, golden, 0), (1, golden, 0), (-1, -golden, 0), (1, -golden, 0), (0, -1, golden), (0, 1, golden),
              (0, -1, -golden), (0, 1, -golden), (golden, 0, -1), (golden, 0, 1), (-golden, 0, -1), (-golden, 0, 1)]
    vertices = [np.array(p, dtype=np.float64) / np.linalg.norm(p) for p in points]
    triangles = [(0, 11, 5), (0, 5, 1), (0, 1, 7), (0, 7, 10), (0, 10, 11), (1, 5, 9), (5, 11, 4), (11, 10, 2),
                 (10, 7, 6), (7, 1, 8), (3, 9, 4), (3, 4, 2), (3, 2, 6), (3, 6, 8), (3, 8, 9), (4, 9, 5),
                 (2, 4, 11), (6, 2, 10), (8, 6, 7), (9, 8, 1)]
    for _ in range(subdivisions):
        midpoints: dict[tuple[int, int], int] = {}
        split = []
        for corners in triangles:
            middle = []
            for a, b in zip(corners, corners[1:] + corners[:1], strict=True):
                key = (min(a, b), max(a, b))
                if key not in midpoints:
                    point = vertices[a] + vertices[b]
                    vertices.append(point / np.linalg.norm(point))
                    midpoints[key] = len(vertices) - 1
                middle.append(midpoints[key])
            (a, b, c), (ab, bc, ca) = corners, middle
            split += [(a, ab, ca), (b, bc, ab), (c, ca, bc), (ab, bc, ca)]
        triangles = split
    unit = np.array(vertices)
    unit.flags.writeable = False
    return unit, frozen_topology(np.array(triangles))[0]


def blobs_mesh(centers_m: np.ndarray, radii_m: np.ndarray, bumps: np.ndarray | None = None,
               material: str = "default", subdivisions: int = 1) -> MeshData:
    """N closed, lumpy ellipsoids (leaf clusters, bushes) in one mesh, one `unit_icosphere`
    each: vertex v of blob n is centers_m[n] + radii_m[n] * unit[v] * (1 + bumps[n, v]).

    Args:
        centers_m: (N, 3) blob centres, object frame, metres.
        radii_m: (N, 3) semi-axes along x, y, z, metres (> 0).
        bumps: (N, V) relative radial displacement of every vertex (> -1; None: smooth).
        material: the slot of every triangle.
        subdivisions: of the icosphere (V = 12, 42, 162 for 0, 1, 2).
    """
    unit, loops = unit_icosphere(subdivisions)
    centers = np.asarray(centers_m, dtype=np.float64).reshape(-1, 3)
    count = len(centers)
    shape = unit[None, :, :] * np.asarray(radii_m, dtype=np.float64).reshape(-1, 1, 3)
    if bumps is not None:
        shape *= 1.0 + np.asarray(bumps, dtype=np.float64)[:, :, None]
    vertices = (shape + centers[:, None, :]).reshape(-1, 3)
    return tiled_mesh(vertices, loops, np.full(len(loops) // 3, 3, dtype=np.int32), count, len(unit), material)
