"""Image and depth encoders (pure: arrays in, bytes out)."""

from __future__ import annotations

import io

import cv2
import numpy as np

from simgen.contract import DEPTH_PNG_INVALID, DEPTH_PNG_MAX_M, DEPTH_PNG_SCALE


def encode_rgb_png(rgb: np.ndarray) -> bytes:
    """PNG bytes of a (H, W, 3) uint8 sRGB image (no metadata, so bytes are reproducible)."""
    ok, data = cv2.imencode(".png", np.ascontiguousarray(rgb[:, :, ::-1]), [cv2.IMWRITE_PNG_COMPRESSION, 3])
    if not ok:
        raise ValueError("PNG encoding failed")
    return data.tobytes()


def depth_to_uint16(depth_m: np.ndarray) -> np.ndarray:
    """(H, W) float depth in metres -> (H, W) uint16 = round(depth * 256) (KITTI).

    Non-finite depth (no surface) and depth beyond 255.99 m become 0 = invalid; so does depth
    below 1/512 m, which rounds to 0.
    """
    valid = np.isfinite(depth_m) & (depth_m <= DEPTH_PNG_MAX_M) & (depth_m > 0)
    scaled = np.where(valid, np.rint(np.where(valid, depth_m, 0.0) * DEPTH_PNG_SCALE), DEPTH_PNG_INVALID)
    return scaled.astype(np.uint16)


def encode_depth_png(depth_m: np.ndarray) -> bytes:
    """16-bit grey PNG bytes of `depth_to_uint16(depth_m)`."""
    ok, data = cv2.imencode(".png", depth_to_uint16(depth_m), [cv2.IMWRITE_PNG_COMPRESSION, 3])
    if not ok:
        raise ValueError("PNG encoding failed")
    return data.tobytes()


def decode_depth_png(data: bytes) -> np.ndarray:
    """Inverse of `encode_depth_png`: (H, W) float32 metres, NaN where invalid (0)."""
    raw = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED)
    depth = raw.astype(np.float32) / DEPTH_PNG_SCALE
    depth[raw == DEPTH_PNG_INVALID] = np.nan
    return depth


def encode_npy(array: np.ndarray) -> bytes:
    """`.npy` bytes of an array (float32 depth in metres, +inf where no surface)."""
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return buffer.getvalue()


def encode_uint16_png(values: np.ndarray) -> bytes:
    """16-bit grey PNG bytes of a (H, W) integer map with values in [0, 65535] (instance or
    category ids); raises ValueError for values outside that range."""
    if values.size and (values.min() < 0 or values.max() > 65535):
        raise ValueError(f"uint16 PNG values must lie in [0, 65535], got [{values.min()}, {values.max()}]")
    ok, data = cv2.imencode(".png", values.astype(np.uint16), [cv2.IMWRITE_PNG_COMPRESSION, 3])
    if not ok:
        raise ValueError("PNG encoding failed")
    return data.tobytes()

