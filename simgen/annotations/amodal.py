"""Amodal geometry of a labeled object: its whole projected extent, without Blender.

Every object's mesh is pure numpy (`RECIPES[prop.recipe].build_mesh(prop.params)`, object
frame) placed as `simgen.blender.build` places it: rotation about world z by `yaw_deg`, then
translation by `location_m`. This module projects that mesh into the camera of a frame:

* Triangles are clipped against the camera's near plane (`clip_start_m`, OpenCV camera z),
  as Cycles clips them, before projecting, so vertices behind the camera never produce boxes.
* `bbox_amodal_unclipped` is the extent of the projected, near-clipped triangles; `bbox_amodal`
  is that box clipped to the image. Both use the pixel-edge convention of `bbox`
  (`simgen.contract`): edge coordinate = pixel-centre coordinate + 0.5.
* Unoccluded coverage is measured by rasterizing the object's triangles alone (no z-buffer is
  needed: the union of its triangles is its silhouette) at pixel centres, the points where the
  object-index pass is sampled. The canvas extends beyond the image to hold the whole
  projected object, so in-image versus total coverage gives the truncation.

Precision: coverage is exact at pixel centres for the polygonal mesh Cycles renders, so it
agrees with an unoccluded object-index mask up to pixels whose centre lies within a fraction
of a pixel of the silhouette (measured in tests/blender/test_labels.py). When an object's
projected extent is larger than `max_samples` pixels (an object very close to the camera),
the part of it outside the image is sampled on a coarser grid (every `stride`-th pixel, each
sample standing for stride^2 pixels); the in-image coverage is always at full resolution.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from simgen.assets.recipes import RECIPES
from simgen.geometry.camera import extrinsics_cam_world, intrinsics_matrix
from simgen.meshes import MeshData, transform_mesh
from simgen.specs import CameraSpec, PropSpec

DEFAULT_MAX_SAMPLES = 4_000_000
"""Largest number of pixel samples the whole-extent raster may use before it is strided."""



@dataclass(frozen=True)
class Coverage:
    """What the projected, unoccluded object covers.

    Attributes:
        bbox_amodal_unclipped: COCO XYWH float pixels (edge convention) of the whole projected,
            near-clipped mesh; may extend beyond the image. None if nothing is in front of
            the near plane.
        bbox_amodal: that box clipped to the image [0, W] x [0, H]; None if it misses the image.
        unoccluded_px: pixels of the image whose centre the object covers, ignoring occluders.
        unoccluded_mask: (H, W) bool, those pixels.
        projected_px: pixels the whole projection covers, inside and outside the image (exact
            when `stride` is 1, an estimate from a stride^2 sample grid otherwise).
        stride: sample spacing used outside the image, pixels (1 = full resolution).
    """

    bbox_amodal_unclipped: tuple[float, float, float, float] | None
    bbox_amodal: tuple[float, float, float, float] | None
    unoccluded_px: int
    unoccluded_mask: np.ndarray
    projected_px: float
    stride: int

    @property
    def truncation(self) -> float:
        """Fraction of the projected coverage outside the image, in [0, 1] (0 if empty)."""
        if self.projected_px <= 0:
            return 0.0
        return float(min(1.0, max(0.0, 1.0 - self.unoccluded_px / self.projected_px)))


@lru_cache(maxsize=4096)
def _cached_mesh(recipe: str, params_key: tuple[tuple[str, float], ...]) -> tuple[MeshData, np.ndarray]:
    mesh = RECIPES[recipe].build_mesh(dict(params_key))
    return mesh, triangle_indices(mesh.faces)


def object_mesh(prop: PropSpec) -> MeshData:
    """The prop's mesh in its object frame (metres), as its recipe builds it (cached)."""
    return _cached_mesh(prop.recipe, tuple(sorted(prop.params.items())))[0]


def object_mesh_world(prop: PropSpec) -> MeshData:
    """The prop's mesh in world coordinates (metres), placed exactly as the builder places it:
    rotation about world z by yaw_deg, then translation by location_m."""
    return transform_mesh(object_mesh(prop), prop.location_m, yaw_deg=prop.yaw_deg)


def triangle_indices(faces: tuple[tuple[int, ...], ...]) -> np.ndarray:
    """(T, 3) int64 vertex indices: each polygon split into a fan of triangles (exact for the
    convex polygons the recipes build; tests/unit checks that every recipe's faces are)."""
    triangles = [(face[0], face[i], face[i + 1]) for face in faces for i in range(1, len(face) - 1)]
    return np.asarray(triangles, dtype=np.int64).reshape(-1, 3)


def triangles_camera(prop: PropSpec, camera: CameraSpec) -> np.ndarray:
    """(T, 3, 3) float64 triangles of the prop in OpenCV camera coordinates, metres."""
    mesh, triangles = _cached_mesh(prop.recipe, tuple(sorted(prop.params.items())))
    world = transform_mesh(mesh, prop.location_m, yaw_deg=prop.yaw_deg).vertices_m
    extrinsics = extrinsics_cam_world(camera)
    return (world @ extrinsics[:3, :3].T + extrinsics[:3, 3])[triangles]


def clip_near(triangles_cam: np.ndarray, near_m: float) -> np.ndarray:
    """Clip triangles against the plane z = near_m, keeping the part with z >= near_m.

    A triangle with one vertex in front stays one triangle; with two in front it becomes a
    quad, returned as two triangles (Sutherland-Hodgman against a single plane).

    Args:
        triangles_cam: (T, 3, 3) float64, camera coordinates, metres.
        near_m: near plane distance along the optical axis, metres (> 0).

    Returns:
        (T', 3, 3) float64 triangles entirely at z >= near_m.
    """
    z = triangles_cam[..., 2]
    inside = z >= near_m
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
    """(T, 3, 2) float64 pixel-centre coordinates (u, v) of triangles with z > 0."""
    uvw = triangles_cam @ intrinsics.T
    return uvw[..., :2] / uvw[..., 2:3]


def rasterize(triangles_px: np.ndarray, origin_px: tuple[float, float], shape: tuple[int, int],
              stride: int = 1) -> np.ndarray:
    """Coverage of a union of triangles at the points of a regular sample grid.

    Sample (i, j) sits at pixel-centre coordinates (origin_u + stride * j, origin_v + stride * i).
    A sample is covered when it lies inside or on the boundary of any triangle; degenerate
    (zero-area) triangles cover nothing. Scanline method: for every (triangle, sample row)
    the covered columns form one span, found from the triangle's edges; spans are summed into
    a per-row difference array, so the cost grows with the triangles' heights in rows, not
    with their areas.

    Args:
        triangles_px: (T, 3, 2) float64 (u, v) pixel-centre coordinates.
        origin_px: (u, v) of sample (0, 0).
        shape: (rows, cols) of the grid.
        stride: grid spacing in pixels.

    Returns:
        (rows, cols) bool coverage.
    """
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
    x_min, x_max = _row_spans(grid[owner], y.astype(np.float64))
    col0 = np.clip(np.ceil(x_min - _EPS), 0, cols).astype(np.int64)
    col1 = np.clip(np.floor(x_max + _EPS) + 1, 0, cols).astype(np.int64)
    valid = col1 > col0
    y, col0, col1 = y[valid], col0[valid], col1[valid]
    width = cols + 1
    delta = (np.bincount(y * width + col0, minlength=rows * width)
             - np.bincount(y * width + col1, minlength=rows * width))
    return np.cumsum(delta.reshape(rows, width)[:, :cols], axis=1) > 0


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


def _bbox_edges(triangles_px: np.ndarray) -> tuple[float, float, float, float]:
    """Extent (x0, y0, x1, y1) in pixel-edge coordinates of projected triangles."""
    low = triangles_px.reshape(-1, 2).min(axis=0) + 0.5
    high = triangles_px.reshape(-1, 2).max(axis=0) + 0.5
    return float(low[0]), float(low[1]), float(high[0]), float(high[1])


def measure_coverage(prop: PropSpec, camera: CameraSpec, max_samples: int = DEFAULT_MAX_SAMPLES) -> Coverage:
    """Amodal boxes, unoccluded in-image coverage and truncation of one object.

    Args:
        prop: the object (its mesh comes from its recipe).
        camera: the frame's camera; `clip_start_m` is the near plane.
        max_samples: largest whole-extent sample grid before the outside part is strided.
    """
    width, height = camera.width_px, camera.height_px
    triangles = clip_near(triangles_camera(prop, camera), camera.clip_start_m)
    empty = np.zeros((height, width), dtype=bool)
    if not len(triangles):
        return Coverage(None, None, 0, empty, 0.0, 1)
    triangles_px = project_triangles(triangles, intrinsics_matrix(camera))
    x0, y0, x1, y1 = _bbox_edges(triangles_px)
    unclipped = (x0, y0, x1 - x0, y1 - y0)
    cx0, cy0, cx1, cy1 = max(x0, 0.0), max(y0, 0.0), min(x1, float(width)), min(y1, float(height))
    clipped = (cx0, cy0, cx1 - cx0, cy1 - cy0) if cx1 > cx0 and cy1 > cy0 else None
    # Sample columns/rows whose centres can be covered: centre c lies in [x0 - 0.5, x1 - 0.5].
    col0, col1 = math.ceil(x0 - 0.5), math.floor(x1 - 0.5)
    row0, row1 = math.ceil(y0 - 0.5), math.floor(y1 - 0.5)
    extent_px = max(0, col1 - col0 + 1) * max(0, row1 - row0 + 1)
    stride = max(1, math.ceil(math.sqrt(extent_px / max_samples)))
    if stride == 1 and extent_px:
        whole = rasterize(triangles_px, (col0, row0), (row1 - row0 + 1, col1 - col0 + 1))
        mask = empty.copy()
        r0, c0 = max(row0, 0), max(col0, 0)
        r1, c1 = min(row1 + 1, height), min(col1 + 1, width)
        if r1 > r0 and c1 > c0:
            mask[r0:r1, c0:c1] = whole[r0 - row0:r1 - row0, c0 - col0:c1 - col0]
        projected = float(whole.sum())
    else:
        mask = rasterize(triangles_px, (0.0, 0.0), (height, width)) if clipped else empty
        shape = ((row1 - row0) // stride + 1, (col1 - col0) // stride + 1)
        projected = float(rasterize(triangles_px, (col0, row0), shape, stride).sum()) * stride * stride
        projected = max(projected, float(mask.sum()))
    return Coverage(unclipped, clipped, int(mask.sum()), mask, projected, stride)
