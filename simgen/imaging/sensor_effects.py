"""RGB effects of the sensor model and the remaps through the lens map, pure numpy/OpenCV.

The render arrives as 8-bit display RGB (after the scene's view transform). Effects that are
physical in scene-linear light (vignetting, exposure, white balance, noise) are applied after
undoing the sRGB transfer function (`simgen.imaging.srgb`), an approximation of linear light for the non-sRGB view
transforms (AgX, Filmic) that is close in the mid-tones; JPEG is applied last, to the 8-bit
result, so the PNG that is written holds the JPEG-degraded pixels.
"""

from __future__ import annotations

import cv2
import numpy as np

from simgen.specs import SensorSpec


def remap_channels(linear: np.ndarray, maps_px: list[np.ndarray]) -> np.ndarray:
    """Bilinear resampling of each channel through its own source map.

    Args:
        linear: (Hs, Ws, 3) float64 source image.
        maps_px: three (H, W, 2) float source coordinates (u, v) in `linear`'s pixels (NaN: none).

    Returns:
        (H, W, 3) float64; pixels whose source is NaN are black.
    """
    channels = []
    for channel, map_px in enumerate(maps_px):
        valid = np.isfinite(map_px).all(axis=-1)
        safe = np.where(valid[..., None], map_px, -10.0).astype(np.float32)
        out = cv2.remap(linear[..., channel].astype(np.float32), safe[..., 0], safe[..., 1], cv2.INTER_LINEAR,
                        borderMode=cv2.BORDER_REPLICATE)
        channels.append(np.where(valid, out, 0.0))
    return np.stack(channels, axis=-1).astype(np.float64)


def radius_fraction(width_px: int, height_px: int, center_px: tuple[float, float]) -> np.ndarray:
    """(H, W) float64 distance of each pixel centre from center_px over the distance to the
    farthest image corner (1 at that corner)."""
    u = np.arange(width_px, dtype=np.float64) - center_px[0]
    v = np.arange(height_px, dtype=np.float64) - center_px[1]
    r = np.hypot(u[None, :], v[:, None])
    corner = max(np.hypot(x, y) for x in (-0.5 - center_px[0], width_px - 0.5 - center_px[0])
                 for y in (-0.5 - center_px[1], height_px - 0.5 - center_px[1]))
    return r / corner


def apply_photometric(linear: np.ndarray, sensor: SensorSpec, center_px: tuple[float, float]) -> np.ndarray:
    """Vignetting, exposure, white balance, shot and read noise on (H, W, 3) float64 linear RGB.

    Vignetting multiplies by 1 - vignetting * r^2 (r = 1 at the farthest corner); noise is
    Gaussian with variance shot_noise^2 * signal + read_noise^2, drawn from the frame's
    `noise_seed` (so the same frame gives the same bytes).
    """
    height, width = linear.shape[:2]
    out = linear * (2.0 ** sensor.exposure_ev) * np.asarray(sensor.white_balance_rgb, dtype=np.float64)
    if sensor.vignetting:
        out = out * (1.0 - sensor.vignetting * radius_fraction(width, height, center_px) ** 2)[..., None]
    if sensor.shot_noise or sensor.read_noise:
        rng = np.random.Generator(np.random.PCG64(sensor.noise_seed))
        std = np.sqrt(sensor.shot_noise ** 2 * np.clip(out, 0.0, None) + sensor.read_noise ** 2)
        out = out + rng.standard_normal(out.shape) * std
    return out


def jpeg_round_trip(rgb_u8: np.ndarray, quality: int) -> np.ndarray:
    """(H, W, 3) uint8 RGB compressed as JPEG at `quality` (1..100) and decoded again."""
    ok, data = cv2.imencode(".jpg", np.ascontiguousarray(rgb_u8[..., ::-1]), [cv2.IMWRITE_JPEG_QUALITY, int(quality)])
    if not ok:
        raise ValueError(f"JPEG encoding failed at quality {quality}")
    return np.ascontiguousarray(cv2.imdecode(data, cv2.IMREAD_COLOR)[..., ::-1])


def nearest_remap(source: np.ndarray, map_px: np.ndarray, offset_px: tuple[int, int], fill: float | int) -> np.ndarray:
    """Nearest-neighbour lookup of a label array (ids, depth): never interpolates values.

    Args:
        source: (Hs, Ws) array (e.g. int32 ids or float32 depth) of the pinhole render.
        map_px: (H, W, 2) pinhole coordinates (u, v) to read, in the output camera's K.
        offset_px: (dx, dy) where output pinhole pixel (0, 0) lies in `source` (overscan).
        fill: value where the map points outside `source` or is NaN.

    Returns:
        (H, W) array of source's dtype. Pixel (i, j) = source[round(v) + dy, round(u) + dx],
        rounding halves up (floor(x + 0.5)).
    """
    finite = np.isfinite(map_px).all(axis=-1)
    safe = np.where(finite[..., None], map_px, -1e9)
    cols = np.floor(safe[..., 0] + 0.5).astype(np.int64) + offset_px[0]
    rows = np.floor(safe[..., 1] + 0.5).astype(np.int64) + offset_px[1]
    inside = finite & (cols >= 0) & (cols < source.shape[1]) & (rows >= 0) & (rows < source.shape[0])
    out = np.full(map_px.shape[:2], fill, dtype=source.dtype)
    out[inside] = source[rows[inside], cols[inside]]
    return out
