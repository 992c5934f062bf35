"""Shared topology helpers of the primitives: read-only int32 templates, the unit ring of a
round cross-section, and one topology tiled over consecutive vertex blocks.

Frames and units as in `simgen.geometry.mesh`: object frame, metres, z up.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from simgen.geometry.mesh import MeshData


def frozen_topology(*arrays: np.ndarray) -> tuple[np.ndarray, ...]:
    """The int32 arrays, read-only (topology templates are shared by every mesh built from them)."""
    out = []
    for array in arrays:
        array = np.ascontiguousarray(array, dtype=np.int32).reshape(-1)
        array.flags.writeable = False
        out.append(array)
    return tuple(out)


@lru_cache(maxsize=64)
def unit_ring(segments: int) -> np.ndarray:
    """(segments, 2) read-only (cos, sin) of `segments` angles evenly spaced from 0, counter-clockwise."""
    angles = np.linspace(0.0, 2 * np.pi, segments, endpoint=False)
    ring = np.stack([np.cos(angles), np.sin(angles)], axis=1)
    ring.flags.writeable = False
    return ring


def tiled_mesh(vertices_m: np.ndarray, loops: np.ndarray, counts: np.ndarray, copies: int, per_copy: int,
           material: str) -> MeshData:
    """`copies` copies of one topology (`per_copy` vertices each) over consecutive vertex blocks."""
    offsets = per_copy * np.arange(copies, dtype=np.int32)
    tiled = (loops[None, :] + offsets[:, None]).ravel()
    return MeshData(vertices_m, tiled, np.tile(counts, copies), np.zeros(copies * len(counts), dtype=np.int32),
                    (material,))
