"""Lens distortion in OpenCV's Brown-Conrady model (k1, k2, p1, p2, k3), pure numpy.

Pixel coordinates follow `simgen.contract`: integer values at pixel centres, `K` from
`simgen.geometry.camera.intrinsics_matrix`. A point with normalized pinhole coordinates
(x, y) = ((u - cx) / fx, (v - cy) / fy) is imaged at

    r2 = x^2 + y^2,  radial = 1 + k1 r2 + k2 r2^2 + k3 r2^3
    x_d = x radial + 2 p1 x y + p2 (r2 + 2 x^2)
    y_d = y radial + p1 (r2 + 2 y^2) + 2 p2 x y

(`cv2.projectPoints` with `distCoeffs = (k1, k2, p1, p2, k3)`). `distort_pixels` is this map;
`undistort_pixels` inverts it by fixed-point iteration, as `cv2.undistortPoints` does, until
the residual is below 1e-6 px.

This is camera geometry, shared by the sensor sampler (the overscan a render needs), the labels
(coverage, keypoints, flow) and the imaging stage; warping arrays through `source_map` is the
imaging stage's (`simgen.imaging.sensor_effects`).
"""

from __future__ import annotations

import functools

import numpy as np

_UNDISTORT_ITERATIONS = 200
_UNDISTORT_TOLERANCE_PX = 1e-6


def _normalized(points_px: np.ndarray, intrinsics: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    fx, fy, cx, cy = intrinsics[0, 0], intrinsics[1, 1], intrinsics[0, 2], intrinsics[1, 2]
    return (points_px[..., 0] - cx) / fx, (points_px[..., 1] - cy) / fy


def _distort_normalized(x: np.ndarray, y: np.ndarray, coeffs: tuple[float, ...]) -> tuple[np.ndarray, np.ndarray]:
    k1, k2, p1, p2, k3 = coeffs
    r2 = x * x + y * y
    radial = 1.0 + r2 * (k1 + r2 * (k2 + r2 * k3))
    return (x * radial + 2.0 * p1 * x * y + p2 * (r2 + 2.0 * x * x),
            y * radial + p1 * (r2 + 2.0 * y * y) + 2.0 * p2 * x * y)


def distort_pixels(points_px: np.ndarray, intrinsics: np.ndarray, coeffs: tuple[float, ...]) -> np.ndarray:
    """Where pinhole pixels land in the distorted image.

    Args:
        points_px: (..., 2) float64 (u, v) pinhole pixel coordinates.
        intrinsics: (3, 3) K.
        coeffs: (k1, k2, p1, p2, k3), OpenCV order.

    Returns:
        (..., 2) float64 distorted pixel coordinates (same K).
    """
    x, y = _normalized(np.asarray(points_px, dtype=np.float64), intrinsics)
    xd, yd = _distort_normalized(x, y, coeffs)
    return np.stack([xd * intrinsics[0, 0] + intrinsics[0, 2], yd * intrinsics[1, 1] + intrinsics[1, 2]], axis=-1)


def undistort_pixels(points_px: np.ndarray, intrinsics: np.ndarray, coeffs: tuple[float, ...]) -> np.ndarray:
    """Inverse of `distort_pixels`: the pinhole pixel each distorted pixel sees.

    Fixed-point iteration x <- (x_d - tangential(x)) / radial(x), converged to 1e-6 px for
    the distortions the sensor config allows; where it does not converge (far outside the
    image, where the polynomial folds), the point is returned as NaN.

    Args:
        points_px: (..., 2) float64 distorted pixel coordinates.

    Returns:
        (..., 2) float64 pinhole pixel coordinates, NaN where the inverse does not exist.
    """
    points = np.asarray(points_px, dtype=np.float64)
    xd, yd = _normalized(points, intrinsics)
    k1, k2, p1, p2, k3 = coeffs
    x, y = xd.copy(), yd.copy()
    for _ in range(_UNDISTORT_ITERATIONS):
        r2 = x * x + y * y
        radial = 1.0 + r2 * (k1 + r2 * (k2 + r2 * k3))
        radial = np.where(np.abs(radial) < 1e-6, 1e-6, radial)
        x_new = (xd - (2.0 * p1 * x * y + p2 * (r2 + 2.0 * x * x))) / radial
        y_new = (yd - (p1 * (r2 + 2.0 * y * y) + 2.0 * p2 * x_new * y)) / radial
        step = np.nanmax(np.abs(x_new - x) + np.abs(y_new - y), initial=0.0)
        x, y = x_new, y_new
        if not step > 1e-13:  # converged everywhere (or NaN everywhere)
            break
    fx, fy = intrinsics[0, 0], intrinsics[1, 1]
    rx, ry = _distort_normalized(x, y, coeffs)
    residual_px = np.hypot((rx - xd) * fx, (ry - yd) * fy)
    bad = ~(residual_px < _UNDISTORT_TOLERANCE_PX * 1e3)
    out = np.stack([x * fx + intrinsics[0, 2], y * fy + intrinsics[1, 2]], axis=-1)
    out[bad] = np.nan
    return out


def fold_radius(coeffs: tuple[float, ...], search_max: float = 10.0) -> float:
    """The normalized radius where the radial model stops growing (d r_d / d r <= 0), or inf.

    Beyond it the polynomial folds back, so it no longer describes a lens; points past it are
    treated as lying on it (`clamp_to_fold`). Tangential terms are ignored (they are small).
    """
    k1, k2, _, _, k3 = coeffs
    r = np.linspace(0.0, search_max, 100_001)
    r2 = r * r
    slope = 1.0 + 3.0 * k1 * r2 + 5.0 * k2 * r2 * r2 + 7.0 * k3 * r2 * r2 * r2
    folded = np.flatnonzero(slope <= 0.0)
    return float(r[folded[0]]) if len(folded) else float("inf")


def clamp_to_fold(points_px: np.ndarray, intrinsics: np.ndarray, coeffs: tuple[float, ...]) -> np.ndarray:
    """(..., 2) pinhole pixels moved radially (towards the principal point) onto the fold
    radius where they lie beyond it; others unchanged."""
    limit = fold_radius(coeffs)
    if not np.isfinite(limit):
        return points_px
    x, y = _normalized(np.asarray(points_px, dtype=np.float64), intrinsics)
    radius = np.hypot(x, y)
    scale = np.where(radius > limit, limit / np.maximum(radius, 1e-300), 1.0)
    return np.stack([x * scale * intrinsics[0, 0] + intrinsics[0, 2], y * scale * intrinsics[1, 1] + intrinsics[1, 2]],
                    axis=-1)


def pixel_grid(width_px: int, height_px: int, origin_px: tuple[int, int] = (0, 0), stride: int = 1) -> np.ndarray:
    """(H, W, 2) float64 (u, v) pixel-centre coordinates of a grid starting at origin_px."""
    u = origin_px[0] + stride * np.arange(width_px, dtype=np.float64)
    v = origin_px[1] + stride * np.arange(height_px, dtype=np.float64)
    return np.stack(np.meshgrid(u, v), axis=-1)


def source_map(width_px: int, height_px: int, intrinsics: np.ndarray, coeffs: tuple[float, ...],
               scale: float = 1.0) -> np.ndarray:
    """(H, W, 2) float64, read-only: for every pixel of the distorted image, the pinhole pixel
    it shows (NaN where none). The one map that warps the image and every label.

    With `scale` != 1 the output pixel is first moved towards (scale < 1) or away from the
    principal point, `c + (p - c) * scale`: the maps of chromatic aberration's R and B.

    Inverting the distortion is the sensor model's costliest step, so the last few maps are
    kept: a fixed (calibrated) lens computes its maps once per process.
    """
    key = tuple(float(v) for v in np.asarray(intrinsics, dtype=np.float64).ravel())
    return _source_map(int(width_px), int(height_px), key, tuple(float(c) for c in coeffs), float(scale))


@functools.lru_cache(maxsize=6)
def _source_map(width_px: int, height_px: int, intrinsics_key: tuple[float, ...], coeffs: tuple[float, ...],
                scale: float) -> np.ndarray:
    intrinsics = np.asarray(intrinsics_key).reshape(3, 3)
    points = pixel_grid(width_px, height_px)
    if scale != 1.0:
        center = np.array([intrinsics[0, 2], intrinsics[1, 2]])
        points = center + (points - center) * scale
    sources = undistort_pixels(points, intrinsics, coeffs) if any(coeffs) else points
    sources.setflags(write=False)
    return sources


def overscan_px(width_px: int, height_px: int, intrinsics: np.ndarray, coeffs: tuple[float, ...]) -> tuple[int, int]:
    """(pad_x, pad_y) pixels the pinhole render needs on each side so every distorted pixel's
    source lies inside it (barrel distortion sees beyond the pinhole frame). None-finite
    sources (a folding model) raise ValueError."""
    border = np.concatenate([pixel_grid(width_px, 1, (0, 0)).reshape(-1, 2),
                             pixel_grid(width_px, 1, (0, height_px - 1)).reshape(-1, 2),
                             pixel_grid(1, height_px, (0, 0)).reshape(-1, 2),
                             pixel_grid(1, height_px, (width_px - 1, 0)).reshape(-1, 2)])
    source = undistort_pixels(border, intrinsics, coeffs)
    if not np.isfinite(source).all():
        raise ValueError("the distortion has no inverse at the image border")
    pad_x = max(0.0, -source[:, 0].min(), source[:, 0].max() - (width_px - 1))
    pad_y = max(0.0, -source[:, 1].min(), source[:, 1].max() - (height_px - 1))
    return int(np.ceil(pad_x)) + 1 if pad_x else 0, int(np.ceil(pad_y)) + 1 if pad_y else 0
