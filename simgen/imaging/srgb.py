"""The sRGB transfer function (IEC 61966-2-1), stated once for every post-render effect.

The renderer returns display-referred 8-bit sRGB (after the scene's view transform). Effects
that are physical in linear light (fog, vignetting, exposure, noise, the lens resampling) decode
it to linear values with `decode_srgb_u8`, work there, and encode the result with
`encode_srgb_u8`. The float transfer pair is `srgb_to_linear` / `linear_to_srgb`.
"""

from __future__ import annotations

import numpy as np


def srgb_to_linear(srgb: np.ndarray) -> np.ndarray:
    """Values in [0, 1], sRGB-encoded -> float64 linear light in [0, 1] (same shape)."""
    return np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)


def linear_to_srgb(linear: np.ndarray) -> np.ndarray:
    """Inverse of `srgb_to_linear`: linear values (clipped to [0, 1]) -> sRGB-encoded in [0, 1]."""
    linear = np.clip(linear, 0.0, 1.0)
    return np.where(linear <= 0.0031308, linear * 12.92, 1.055 * linear ** (1 / 2.4) - 0.055)


def decode_srgb_u8(rgb_u8: np.ndarray) -> np.ndarray:
    """(H, W, 3) uint8 sRGB -> (H, W, 3) float64 linear light in [0, 1]."""
    return srgb_to_linear(rgb_u8.astype(np.float64) / 255.0)


def encode_srgb_u8(linear: np.ndarray) -> np.ndarray:
    """(H, W, 3) float linear light (clipped to [0, 1]) -> (H, W, 3) uint8 sRGB, rounded to nearest."""
    return np.clip(np.rint(linear_to_srgb(linear) * 255.0), 0, 255).astype(np.uint8)
