"""Amodal geometry of a labeled object: its whole projected extent, without Blender.

Every object's mesh is pure numpy (`simgen.catalog.prop_mesh`, object frame) placed as
`simgen.blender.build` places it: rotation about world z by `yaw_deg`, then translation by
`location_m`. This module projects that mesh into the camera of a frame through the one
silhouette path (`simgen.geometry.silhouette.camera_triangles_px`, then the one rasterizer,
`simgen.geometry.raster.rasterize`):

* Triangles are clipped against the camera's near plane (`clip_start_m`, OpenCV camera z),
  as Cycles clips them, before projecting, so vertices behind the camera never produce boxes.
* `bbox_amodal_unclipped` is the extent of the projected, near-clipped triangles; `bbox_amodal`
  is that box clipped to the image. Both use the pixel-edge convention of `bbox`
  (`simgen.contract`): edge coordinate = pixel-centre coordinate + 0.5.
* Unoccluded coverage is measured by rasterizing the object's triangles alone (no z-buffer is
  needed: the union of its triangles is its silhouette) at pixel centres, the points where the
  object-index pass is sampled. The canvas extends beyond the image to hold the whole
  projected object, so in-image versus total coverage gives the truncation. That total,
  `Coverage.projected_px`, is the one amodal area of an object: its annotation's truncation and
  its obstacle report (`simgen.annotations.obstacles`) both divide by it.

Precision: coverage is exact at pixel centres for the polygonal mesh Cycles renders, so it
agrees with an unoccluded object-index mask up to pixels whose centre lies within a fraction
of a pixel of the silhouette (measured in tests/blender/test_labels.py). When an object's
projected extent is larger than `max_samples` pixels (an object very close to the camera),
the part of it outside the image is sampled on a coarser grid (every `stride`-th pixel, each
sample standing for stride^2 pixels); the in-image coverage is always at full resolution.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from simgen.catalog.prop_mesh import prop_mesh_world, prop_triangles
from simgen.geometry.raster import rasterize, rasterize_grids
from simgen.geometry.silhouette import camera_triangles_px
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


def prop_triangles_px(prop: PropSpec, camera: CameraSpec) -> np.ndarray:
    """(T, 3, 2) float64 pixel-centre triangles of the prop's mesh, clipped at the camera's
    near plane (`clip_start_m`) and projected with K (pinhole; no lens distortion)."""
    return camera_triangles_px(camera, prop_mesh_world(prop).vertices_m, prop_triangles(prop), camera.clip_start_m)


def _bbox_edges(triangles_px: np.ndarray) -> tuple[float, float, float, float]:
    """Extent (x0, y0, x1, y1) in pixel-edge coordinates of projected triangles."""
    u, v = triangles_px[..., 0], triangles_px[..., 1]
    return float(u.min() + 0.5), float(v.min() + 0.5), float(u.max() + 0.5), float(v.max() + 0.5)


def measure_coverage(prop: PropSpec, camera: CameraSpec, max_samples: int = DEFAULT_MAX_SAMPLES) -> Coverage:
    """Amodal boxes, unoccluded in-image coverage and truncation of one object.

    Args:
        prop: the object (its mesh comes from its recipe).
        camera: the frame's camera; `clip_start_m` is the near plane.
        max_samples: largest whole-extent sample grid before the outside part is strided.
    """
    return measure_coverages([prop], camera, max_samples)[0]


def measure_coverages(props: Sequence[PropSpec], camera: CameraSpec,
                      max_samples: int = DEFAULT_MAX_SAMPLES) -> list[Coverage]:
    """`measure_coverage` of several objects of one frame, their rasters in one pass
    (`simgen.geometry.raster.rasterize_grids`; each object's coverage is exactly its own)."""
    extents = [_extent(prop, camera, max_samples) for prop in props]
    whole_grids = [k for k, extent in enumerate(extents) if extent is not None and extent.rasterized_whole]
    wholes = dict(zip(whole_grids, rasterize_grids(
        np.concatenate([extents[k].triangles_px for k in whole_grids]) if whole_grids else np.zeros((0, 3, 2)),
        np.concatenate([np.full(len(extents[k].triangles_px), g) for g, k in enumerate(whole_grids)]
                       or [np.zeros(0, dtype=np.int64)]),
        [extents[k].origin for k in whole_grids], [extents[k].shape for k in whole_grids]), strict=True))
    return [_coverage(extent, wholes.get(k), camera) for k, extent in enumerate(extents)]


@dataclass(frozen=True)
class _Extent:
    """An object's projection: triangles, amodal boxes and the sample grid of its whole extent."""

    triangles_px: np.ndarray
    unclipped: tuple[float, float, float, float]
    clipped: tuple[float, float, float, float] | None
    origin: tuple[int, int]  # (col0, row0): the first sample column and row whose centre can be covered
    shape: tuple[int, int]  # (rows, cols) of the whole extent at full resolution
    stride: int

    @property
    def rasterized_whole(self) -> bool:
        """Whether the whole extent is rasterized at full resolution (not strided, not empty)."""
        return self.stride == 1 and self.shape[0] * self.shape[1] > 0


def _extent(prop: PropSpec, camera: CameraSpec, max_samples: int) -> _Extent | None:
    """The object's projection, or None if nothing of it is in front of the near plane."""
    width, height = camera.width_px, camera.height_px
    triangles_px = prop_triangles_px(prop, camera)
    if not len(triangles_px):
        return None
    x0, y0, x1, y1 = _bbox_edges(triangles_px)
    cx0, cy0, cx1, cy1 = max(x0, 0.0), max(y0, 0.0), min(x1, float(width)), min(y1, float(height))
    clipped = (cx0, cy0, cx1 - cx0, cy1 - cy0) if cx1 > cx0 and cy1 > cy0 else None
    # Sample columns/rows whose centres can be covered: centre c lies in [x0 - 0.5, x1 - 0.5].
    col0, col1 = math.ceil(x0 - 0.5), math.floor(x1 - 0.5)
    row0, row1 = math.ceil(y0 - 0.5), math.floor(y1 - 0.5)
    shape = (max(0, row1 - row0 + 1), max(0, col1 - col0 + 1))
    stride = max(1, math.ceil(math.sqrt(shape[0] * shape[1] / max_samples)))
    return _Extent(triangles_px, (x0, y0, x1 - x0, y1 - y0), clipped, (col0, row0), shape, stride)


def _coverage(extent: _Extent | None, whole: np.ndarray | None, camera: CameraSpec) -> Coverage:
    """The Coverage of an extent, from the raster of its whole extent when it has one."""
    width, height = camera.width_px, camera.height_px
    empty = np.zeros((height, width), dtype=bool)
    if extent is None:
        return Coverage(None, None, 0, empty, 0.0, 1)
    (col0, row0), (rows, cols), stride = extent.origin, extent.shape, extent.stride
    if whole is not None:
        mask = empty
        r0, c0 = max(row0, 0), max(col0, 0)
        r1, c1 = min(row0 + rows, height), min(col0 + cols, width)
        if r1 > r0 and c1 > c0:
            mask[r0:r1, c0:c1] = whole[r0 - row0:r1 - row0, c0 - col0:c1 - col0]
        projected = float(whole.sum())
    else:
        triangles_px = extent.triangles_px
        mask = rasterize(triangles_px, (0.0, 0.0), (height, width)) if extent.clipped else empty
        shape = ((rows - 1) // stride + 1, (cols - 1) // stride + 1)
        projected = float(rasterize(triangles_px, (col0, row0), shape, stride).sum()) * stride * stride
        projected = max(projected, float(mask.sum()))
    return Coverage(extent.unclipped, extent.clipped, int(mask.sum()), mask, projected, stride)
