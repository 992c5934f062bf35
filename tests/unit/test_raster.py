"""The one silhouette rasterizer (`simgen.geometry.raster.rasterize`) covers exactly the samples
the scanline rasterizer it replaced covered, on many random triangle sets of every kind the
labels meet: sub-pixel triangles (detailed meshes far away), vertices on sample centres,
horizontal and vertical edges, degenerate triangles, triangles far outside the grid, strides.

`_reference_rasterize` is that earlier implementation, kept verbatim as the oracle (the rule the
Cycles-checked labels were validated with: tests/blender/test_labels.py, test_heavy_assets.py).
"""

from __future__ import annotations

import numpy as np
import pytest

from simgen.geometry.raster import clip_near, project_triangles, rasterize

_EPS = 1e-9


def _reference_row_spans(triangles: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
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
        x_lo = np.where(flat, np.minimum(p[:, 0], q[:, 0]), x)
        x_hi = np.where(flat, np.maximum(p[:, 0], q[:, 0]), x)
        x_min = np.where(crosses, np.minimum(x_min, x_lo), x_min)
        x_max = np.where(crosses, np.maximum(x_max, x_hi), x_max)
    return x_min, x_max


def _reference_rasterize(triangles_px, origin_px, shape, stride=1):
    rows, cols = shape
    grid = (np.asarray(triangles_px, dtype=np.float64) - np.asarray(origin_px, dtype=np.float64)) / stride
    signed_area = ((grid[:, 1, 0] - grid[:, 0, 0]) * (grid[:, 2, 1] - grid[:, 0, 1])
                   - (grid[:, 2, 0] - grid[:, 0, 0]) * (grid[:, 1, 1] - grid[:, 0, 1]))
    grid = grid[np.abs(signed_area) > 1e-12]
    row0 = np.clip(np.ceil(grid[..., 1].min(axis=1) - _EPS), 0, rows).astype(np.int64)
    row1 = np.clip(np.floor(grid[..., 1].max(axis=1) + _EPS) + 1, 0, rows).astype(np.int64)
    heights = np.maximum(row1 - row0, 0)
    owner = np.repeat(np.arange(len(grid)), heights)
    y = (row0[owner] + np.arange(int(heights.sum())) - np.repeat(np.cumsum(heights) - heights, heights))
    x_min, x_max = _reference_row_spans(grid[owner], y.astype(np.float64))
    col0 = np.clip(np.ceil(x_min - _EPS), 0, cols).astype(np.int64)
    col1 = np.clip(np.floor(x_max + _EPS) + 1, 0, cols).astype(np.int64)
    valid = col1 > col0
    y, col0, col1 = y[valid], col0[valid], col1[valid]
    width = cols + 1
    delta = (np.bincount(y * width + col0, minlength=rows * width)
             - np.bincount(y * width + col1, minlength=rows * width))
    return np.cumsum(delta.reshape(rows, width)[:, :cols], axis=1) > 0


def _random_triangles(rng: np.random.Generator, kind: int) -> np.ndarray:
    """(T, 3, 2) pixel triangles of one of several kinds (see the module docstring)."""
    count = int(rng.integers(1, 400))
    if kind == 0:  # a detailed mesh: many sub-pixel triangles around a centre
        centres = rng.uniform(-5, 45, (count, 1, 2))
        return centres + rng.normal(0, rng.choice([0.05, 0.3, 1.5]), (count, 3, 2))
    triangles = rng.uniform(-30, 70, (count, 3, 2))
    if kind == 1:
        return np.round(triangles)  # vertices on sample centres
    if kind == 2:
        return np.round(triangles * 2) / 2  # vertices on sample centres and pixel edges
    if kind == 3:
        triangles[:, 1, 1] = triangles[:, 0, 1]  # horizontal edges
        triangles[:, 2, 0] = triangles[:, 0, 0]  # vertical edges
        return triangles
    if kind == 4:
        triangles[: count // 2, 2] = triangles[: count // 2, 0]  # degenerate: zero area
        return triangles
    return triangles * rng.choice([1.0, 1e3, 1e6])  # far outside the grid too


@pytest.mark.parametrize("kind", range(6))
def test_rasterize_covers_exactly_what_the_earlier_rasterizer_covered(kind):
    rng = np.random.default_rng(kind)
    for _ in range(150):
        triangles = _random_triangles(rng, kind)
        shape = (int(rng.integers(1, 50)), int(rng.integers(1, 60)))
        origin = tuple(float(o) for o in rng.choice([0.0, -3.0, 2.5, 7.0], 2))
        stride = float(rng.choice([1.0, 1.0, 2.0, 3.0, 1 / 0.3]))
        expected = _reference_rasterize(triangles, origin, shape, stride)
        assert np.array_equal(rasterize(triangles, origin, shape, stride), expected)


def test_rasterize_of_real_mesh_projections_matches_the_earlier_rasterizer():
    # Camera-frame triangles of a fine mesh at several distances, clipped and projected like the labels.
    rng = np.random.default_rng(7)
    intrinsics = np.array([[213.3, 0.0, 79.5], [0.0, 213.3, 59.5], [0.0, 0.0, 1.0]])
    for distance_m in (0.3, 2.0, 15.0, 60.0):
        points = rng.normal(0, 0.5, (2000, 3)) + [0.0, 0.5, distance_m]
        triangles = clip_near(points[rng.integers(0, 2000, (1500, 3))], 0.1)
        pixels = project_triangles(triangles, intrinsics)
        expected = _reference_rasterize(pixels, (-40.0, -30.0), (180, 240))
        assert np.array_equal(rasterize(pixels, (-40.0, -30.0), (180, 240)), expected)
        assert expected.any()


def test_project_triangles_is_the_batched_pinhole_projection():
    rng = np.random.default_rng(3)
    triangles = rng.uniform(-20, 20, (5000, 3, 3))
    triangles[..., 2] = rng.uniform(0.05, 80, (5000, 3))
    intrinsics = np.array([[640.2, 0.0, 319.5], [0.0, 641.7, 239.5], [0.0, 0.0, 1.0]])
    uvw = triangles @ intrinsics.T
    assert np.array_equal(project_triangles(triangles, intrinsics), uvw[..., :2] / uvw[..., 2:3])


def test_rasterizing_several_grids_at_once_gives_each_grid_its_own_coverage():
    from simgen.geometry.raster import rasterize_grids

    rng = np.random.default_rng(11)
    for trial in range(40):
        sets = [_random_triangles(rng, int(rng.integers(0, 6))) for _ in range(int(rng.integers(1, 6)))]
        origins = [tuple(float(o) for o in rng.uniform(-10, 30, 2)) for _ in sets]
        shapes = [(int(rng.integers(1, 40)), int(rng.integers(1, 40))) for _ in sets]
        stride = 1.0 if trial % 2 else 2.0
        grid_index = np.concatenate([np.full(len(t), g) for g, t in enumerate(sets)])
        together = rasterize_grids(np.concatenate(sets), grid_index, origins, shapes, stride)
        for triangles, origin, shape, coverage in zip(sets, origins, shapes, together, strict=True):
            assert np.array_equal(coverage, _reference_rasterize(triangles, origin, shape, stride))
