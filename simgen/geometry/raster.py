"""Triangle rasterization at pixel centres (pure numpy): the one rasterizer simgen uses.

Labels (`simgen.annotations.amodal`: amodal boxes, visible fraction, truncation) and obstacle
visibility planning (`simgen.geometry.silhouette`) both count which sample points a mesh covers.
Pixel coordinates follow `simgen.contract`: integer values at pixel centres, the points the
Cycles object-index pass samples.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def clip_near(triangles_cam: np.ndarray, near_m: float) -> np.ndarray:
    """Clip triangles against the plane z = near_m, keeping the part with z >= near_m.

    A triangle with one vertex in front stays one triangle; with two in front it becomes a
    quad, returned as two triangles (Sutherland-Hodgman against a single plane).

    Args:
        triangles_cam: (T, 3, 3) float64, camera coordinates, metres.
        near_m: near plane distance along the optical axis, metres (> 0).

    Returns:
        (T', 3, 3) float64 triangles entirely at z >= near_m (`triangles_cam` itself when
        every vertex is already there).
    """
    z = triangles_cam[..., 2]
    inside = z >= near_m
    if inside.all():  # the usual case: nothing reaches the near plane
        return triangles_cam
    count = inside.sum(axis=1)
    kept = [triangles_cam[count == 3]]
    for n_in in (1, 2):
        tris = triangles_cam[count == n_in]
        if not len(tris):
            continue
        flags = inside[count == n_in]
        # Rotate each triangle so the odd vertex out (the lone inside one for n_in == 1, the
        # lone outside one for n_in == 2) comes first; rotation keeps the winding.
        lone = np.argmax(flags if n_in == 1 else ~flags, axis=1)
        order = (lone[:, None] + np.arange(3)[None, :]) % 3
        tris = np.take_along_axis(tris, order[:, :, None], axis=1)
        a, b, c = tris[:, 0], tris[:, 1], tris[:, 2]
        ab = a + (b - a) * ((near_m - a[:, 2]) / (b[:, 2] - a[:, 2]))[:, None]
        ac = a + (c - a) * ((near_m - a[:, 2]) / (c[:, 2] - a[:, 2]))[:, None]
        if n_in == 1:
            kept.append(np.stack([a, ab, ac], axis=1))
        else:
            kept.append(np.stack([ab, b, c], axis=1))
            kept.append(np.stack([ab, c, ac], axis=1))
    return np.concatenate(kept, axis=0)


def project_triangles(triangles_cam: np.ndarray, intrinsics: np.ndarray) -> np.ndarray:
    """(T, 3, 2) float64 pixel-centre coordinates (u, v) of triangles with z > 0.

    One (3T, 3) matrix product: the same values as the batched (T, 3, 3) @ K^T product
    (tests/unit/test_raster.py), without its per-triangle dispatch."""
    uvw = (triangles_cam.reshape(-1, 3) @ intrinsics.T).reshape(triangles_cam.shape)
    return uvw[..., :2] / uvw[..., 2:3]


def rasterize(triangles_px: np.ndarray, origin_px: tuple[float, float], shape: tuple[int, int],
              stride: float = 1) -> np.ndarray:
    """Coverage of a union of triangles at the points of a regular sample grid.

    Sample (i, j) sits at pixel-centre coordinates (origin_u + stride * j, origin_v + stride * i).
    A sample is covered when it lies inside or on the boundary of any triangle (within _EPS
    samples); degenerate (zero-area) triangles cover nothing. Scanline method: for every
    (triangle, sample row) the covered columns form one span, found from the triangle's edges;
    spans are summed into a per-row difference array, so the cost grows with the triangles'
    heights in rows, not with their areas. Triangles whose bounding box holds no sample row or
    no sample column of the grid (most triangles of a detailed mesh seen from afar, and those
    outside the grid) are dropped first, from per-triangle bounds computed in one pass.

    Args:
        triangles_px: (T, 3, 2) float64 (u, v) pixel-centre coordinates.
        origin_px: (u, v) of sample (0, 0).
        shape: (rows, cols) of the grid.
        stride: grid spacing in pixels.

    Returns:
        (rows, cols) bool coverage.
    """
    triangles_px = np.asarray(triangles_px, dtype=np.float64)
    return rasterize_grids(triangles_px, np.zeros(len(triangles_px), dtype=np.int64), [origin_px], [shape],
                           stride)[0]


def rasterize_grids(triangles_px: np.ndarray, grid_index: np.ndarray, origins_px: Sequence[tuple[float, float]],
                    shapes: Sequence[tuple[int, int]], stride: float = 1) -> list[np.ndarray]:
    """`rasterize` of several triangle sets, each on its own grid, in one pass (one object per
    grid: the numpy work is shared, the coverage of each grid is exactly its own `rasterize`).

    Args:
        triangles_px: (T, 3, 2) float64 (u, v) pixel-centre coordinates.
        grid_index: (T,) int, the grid of each triangle (0..G-1).
        origins_px: G (u, v) origins; shapes: G (rows, cols); stride: the spacing of every grid.

    Returns:
        G (rows, cols) bool coverages.
    """
    shapes_array = np.asarray(shapes, dtype=np.int64).reshape(-1, 2)
    origins = np.asarray(origins_px, dtype=np.float64).reshape(-1, 2)
    grid = (np.asarray(triangles_px, dtype=np.float64) - origins[grid_index][:, None, :]) / stride
    keep = _holds_a_sample(grid, shapes_array[grid_index, 0], shapes_array[grid_index, 1])
    grid, grid_index = grid[keep], grid_index[keep]
    signed_area = ((grid[:, 1, 0] - grid[:, 0, 0]) * (grid[:, 2, 1] - grid[:, 0, 1])
                   - (grid[:, 2, 0] - grid[:, 0, 0]) * (grid[:, 1, 1] - grid[:, 0, 1]))
    nondegenerate = np.abs(signed_area) > 1e-12
    grid, grid_index = grid[nondegenerate], grid_index[nondegenerate]
    rows, cols = shapes_array[grid_index, 0], shapes_array[grid_index, 1]
    v = grid[..., 1]
    row0 = np.clip(np.ceil(np.minimum(np.minimum(v[:, 0], v[:, 1]), v[:, 2]) - _EPS), 0, rows).astype(np.int64)
    row1 = np.clip(np.floor(np.maximum(np.maximum(v[:, 0], v[:, 1]), v[:, 2]) + _EPS) + 1, 0, rows).astype(np.int64)
    heights = np.maximum(row1 - row0, 0)
    owner = np.repeat(np.arange(len(grid)), heights)
    y = (row0[owner] + np.arange(int(heights.sum())) - np.repeat(np.cumsum(heights) - heights, heights))
    x_min, x_max = _row_spans(grid[owner], y.astype(np.float64))
    cols = cols[owner]
    col0 = np.clip(np.ceil(x_min - _EPS), 0, cols).astype(np.int64)
    col1 = np.clip(np.floor(x_max + _EPS) + 1, 0, cols).astype(np.int64)
    valid = col1 > col0
    # Grid g's difference array is rows_g x (cols_g + 1), stored at offset base[g] of one buffer.
    sizes = shapes_array[:, 0] * (shapes_array[:, 1] + 1)
    base = np.cumsum(sizes) - sizes
    start = base[grid_index[owner]] + y * (cols + 1)
    start, col0, col1 = start[valid], col0[valid], col1[valid]
    total = int(sizes.sum())
    delta = np.bincount(start + col0, minlength=total) - np.bincount(start + col1, minlength=total)
    return [np.cumsum(delta[b:b + n].reshape(r, c + 1)[:, :c], axis=1) > 0
            for b, n, (r, c) in zip(base.tolist(), sizes.tolist(), shapes_array.tolist(), strict=True)]


def _holds_a_sample(grid: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """(T,) bool: the triangle's bounding box, grown by a margin, holds a sample of its
    (rows, cols) grid (triangles in sample units, (T, 3, 2); rows, cols (T,) int).

    Conservative: a triangle it rejects has no covered sample under the scanline rule, whose
    spans lie within the vertex bounds up to rounding. The margin (1e-6 samples plus 1e-9 of
    the coordinate) is far above that rounding and above _EPS.
    """
    u, v = grid[..., 0], grid[..., 1]
    keep = np.ones(len(grid), dtype=bool)
    for values, count in ((v, rows), (u, cols)):
        low = np.minimum(np.minimum(values[:, 0], values[:, 1]), values[:, 2])
        high = np.maximum(np.maximum(values[:, 0], values[:, 1]), values[:, 2])
        margin = 1e-6 + 1e-9 * np.maximum(np.abs(low), np.abs(high))
        first = np.maximum(np.ceil(low - margin), 0.0)
        last = np.minimum(np.floor(high + margin), count - 1)
        keep &= first <= last
    return keep


_EPS = 1e-9
"""Tolerance (in samples) that makes boundary samples count as covered despite rounding."""


def _row_spans(triangles: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(x_min, x_max) where the line v = y crosses each triangle (N, 3, 2); NaN-free where the
    row lies within the triangle's v range (guaranteed by the caller up to _EPS)."""
    x_min = np.full(len(y), np.inf)
    x_max = np.full(len(y), -np.inf)
    for i in range(3):
        p, q = triangles[:, i], triangles[:, (i + 1) % 3]
        dv = q[:, 1] - p[:, 1]
        low, high = np.minimum(p[:, 1], q[:, 1]), np.maximum(p[:, 1], q[:, 1])
        crosses = (y >= low - _EPS) & (y <= high + _EPS)
        flat = np.abs(dv) < 1e-12
        t = np.clip((y - p[:, 1]) / np.where(flat, 1.0, dv), 0.0, 1.0)
        x = p[:, 0] + t * (q[:, 0] - p[:, 0])
        # A horizontal edge on the row contributes both of its end points.
        x_lo = np.where(flat, np.minimum(p[:, 0], q[:, 0]), x)
        x_hi = np.where(flat, np.maximum(p[:, 0], q[:, 0]), x)
        x_min = np.where(crosses, np.minimum(x_min, x_lo), x_min)
        x_max = np.where(crosses, np.maximum(x_max, x_hi), x_max)
    return x_min, x_max
