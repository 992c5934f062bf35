"""Amodal geometry through a distorting lens: boxes, visibility and truncation that match the
distorted image (`simgen.imaging.sensor`).

The distorted object-index map shows, at output pixel p, the pinhole render's pixel
round(undistort(p)). The object's unoccluded coverage in the distorted image is therefore the
pinhole rasterization (`simgen.geometry.raster.rasterize`, pixel centres) looked up at the
same rounded source pixels, so the unoccluded mask agrees with an unoccluded warped index map
pixel for pixel, as it does without distortion. The amodal box is the extent of the
distorted projection: every projected, near-clipped triangle edge is sampled densely (at most
0.25 px apart, up to 256 samples per edge) and distorted forward, because distortion bends
straight edges and the extreme of a curved edge is generally not at a vertex.

Limit: far outside the image a barrel polynomial folds back (the distorted radius stops
growing, `simgen.geometry.lens.fold_radius`); no lens images anything past that radius, so edge
samples beyond it are moved onto it before distorting, and `bbox_amodal_unclipped` of an
object that reaches past it ends at the fold's image. Inside the image the sensor sampler
guarantees an invertible map (`simgen.sampling.sensor.check_distortion`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from simgen.annotations.amodal import (
    DEFAULT_MAX_SAMPLES,
    Coverage,
    measure_coverage,
    measure_coverages,
    prop_triangles_px,
)
from simgen.geometry.camera import intrinsics_matrix
from simgen.geometry.lens import clamp_to_fold, distort_pixels, pixel_grid, undistort_pixels
from simgen.geometry.raster import rasterize
from simgen.specs import CameraSpec, FrameSpec, PropSpec, SensorSpec

_EDGE_SPACING_PX = 0.25
_MAX_EDGE_SAMPLES = 256


def distorted_extent(triangles_px: np.ndarray, intrinsics: np.ndarray,
                     coeffs: tuple[float, ...]) -> tuple[float, float, float, float]:
    """(x0, y0, x1, y1) pixel-edge extent of the distorted images of (T, 3, 2) pinhole triangles."""
    start = triangles_px
    end = np.roll(triangles_px, -1, axis=1)
    longest = float(np.hypot(*(end - start).reshape(-1, 2).T).max(initial=0.0))
    samples = int(min(_MAX_EDGE_SAMPLES, max(1, math.ceil(longest / _EDGE_SPACING_PX))))
    t = np.linspace(0.0, 1.0, samples + 1)[None, None, :, None]
    points = start[:, :, None, :] + (end - start)[:, :, None, :] * t
    distorted = distort_pixels(clamp_to_fold(points.reshape(-1, 2), intrinsics, coeffs), intrinsics, coeffs)
    low, high = distorted.min(axis=0) + 0.5, distorted.max(axis=0) + 0.5
    return float(low[0]), float(low[1]), float(high[0]), float(high[1])


def covered_at(triangles_px: np.ndarray, sources_px: np.ndarray, max_samples: int) -> np.ndarray:
    """Whether the pinhole pixel nearest each source point is covered by the triangles.

    Args:
        triangles_px: (T, 3, 2) pinhole pixel coordinates.
        sources_px: (N, 2) float pinhole coordinates (NaN: no source, not covered).
        max_samples: largest raster; beyond it the raster is strided (an estimate).

    Returns:
        (N,) bool.
    """
    finite = np.isfinite(sources_px).all(axis=1)
    covered = np.zeros(len(sources_px), dtype=bool)
    if not finite.any():
        return covered
    nearest = np.floor(sources_px[finite] + 0.5).astype(np.int64)
    (c0, r0), (c1, r1) = nearest.min(axis=0), nearest.max(axis=0)
    stride = max(1, math.ceil(math.sqrt((c1 - c0 + 1) * (r1 - r0 + 1) / max_samples)))
    shape = ((r1 - r0) // stride + 1, (c1 - c0) // stride + 1)
    raster = rasterize(triangles_px, (float(c0), float(r0)), shape, stride)
    rows = np.minimum((nearest[:, 1] - r0 + stride // 2) // stride, shape[0] - 1)
    cols = np.minimum((nearest[:, 0] - c0 + stride // 2) // stride, shape[1] - 1)
    covered[finite] = raster[rows, cols]
    return covered


def measure_coverage_lens(prop: PropSpec, camera: CameraSpec, sensor: SensorSpec,
                          max_samples: int = DEFAULT_MAX_SAMPLES) -> Coverage:
    """`simgen.annotations.amodal.measure_coverage` in the distorted image of `sensor`."""
    width, height = camera.width_px, camera.height_px
    empty = np.zeros((height, width), dtype=bool)
    triangles_px = prop_triangles_px(prop, camera)
    if not len(triangles_px):
        return Coverage(None, None, 0, empty, 0.0, 1)
    intrinsics = intrinsics_matrix(camera)
    coeffs = sensor.dist_coeffs
    x0, y0, x1, y1 = distorted_extent(triangles_px, intrinsics, coeffs)
    unclipped = (x0, y0, x1 - x0, y1 - y0)
    cx0, cy0, cx1, cy1 = max(x0, 0.0), max(y0, 0.0), min(x1, float(width)), min(y1, float(height))
    clipped = (cx0, cy0, cx1 - cx0, cy1 - cy0) if cx1 > cx0 and cy1 > cy0 else None
    col0, col1 = math.ceil(x0 - 0.5), math.floor(x1 - 0.5)
    row0, row1 = math.ceil(y0 - 0.5), math.floor(y1 - 0.5)
    if col1 < col0 or row1 < row0:
        return Coverage(unclipped, clipped, 0, empty, 0.0, 1)
    extent_px = (col1 - col0 + 1) * (row1 - row0 + 1)
    stride = max(1, math.ceil(math.sqrt(extent_px / max_samples)))
    mask = empty.copy()
    r0, c0, r1, c1 = max(row0, 0), max(col0, 0), min(row1 + 1, height), min(col1 + 1, width)
    if r1 > r0 and c1 > c0:
        grid = pixel_grid(c1 - c0, r1 - r0, (c0, r0)).reshape(-1, 2)
        inside = covered_at(triangles_px, undistort_pixels(grid, intrinsics, coeffs), max_samples)
        mask[r0:r1, c0:c1] = inside.reshape(r1 - r0, c1 - c0)
    shape = ((row1 - row0) // stride + 1, (col1 - col0) // stride + 1)
    grid = pixel_grid(shape[1], shape[0], (col0, row0), stride).reshape(-1, 2)
    whole = covered_at(triangles_px, undistort_pixels(grid, intrinsics, coeffs), max_samples)
    projected = max(float(whole.sum()) * stride * stride, float(mask.sum()))
    return Coverage(unclipped, clipped, int(mask.sum()), mask, projected, stride)


def object_coverage(prop: PropSpec, spec: FrameSpec) -> Coverage:
    """The amodal boxes, unoccluded coverage and truncation of one object in the output image of
    `spec` (through the lens model when the sensor distorts)."""
    if spec.sensor.distorts:
        return measure_coverage_lens(prop, spec.camera, spec.sensor)
    return measure_coverage(prop, spec.camera)


def object_coverages(props: Sequence[PropSpec], spec: FrameSpec) -> list[Coverage]:
    """`object_coverage` of several objects of the frame (pinhole: one raster pass for all)."""
    if spec.sensor.distorts:
        return [measure_coverage_lens(prop, spec.camera, spec.sensor) for prop in props]
    return measure_coverages(props, spec.camera)
