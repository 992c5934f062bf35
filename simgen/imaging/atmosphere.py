"""Weather effects applied to the rendered RGB after rendering (pure numpy): depth-based fog
falling-rain streaks and snowflakes. Labels (masks, boxes, depth) are never touched.

Colour space: the renderer returns display-referred sRGB (after the view transform, AgX by
default). Fog is blended in *display-linear* light: the 8-bit values are decoded with the sRGB
transfer function (`simgen.imaging.srgb`), mixed with the fog colour by the Koschmieder law, and encoded again:

    I = I0 * t + A * (1 - t),   t = exp(-beta * max(0, d - fog_start_m))

with d the ray distance of each pixel (from the planar depth pass and K), beta =
`fog_density_per_m` and A = `fog_brightness` (grey). Sky pixels (no surface) get t = 0. This is
the fast mode; `fog_mode: volumetric` renders a scattering volume in Cycles instead and only
records the same analytic transmittance.
"""

from __future__ import annotations

import cv2
import numpy as np

from simgen.geometry.camera import ray_depth_from_planar
from simgen.imaging.srgb import decode_srgb_u8, encode_srgb_u8
from simgen.specs import LightingSpec, WeatherSpec


def fog_transmittance(depth_planar_m: np.ndarray, intrinsics: np.ndarray, weather: WeatherSpec) -> np.ndarray:
    """(H, W) float32 Koschmieder transmittance in [0, 1]; 1 everywhere without fog.

    Args:
        depth_planar_m: (H, W) float32 planar depth, metres, +inf where no surface.
        intrinsics: (3, 3) K (OpenCV, pixel centres).
        weather: the frame's weather.
    """
    if not weather.fog or weather.fog_density_per_m <= 0:
        return np.ones(depth_planar_m.shape, dtype=np.float32)
    ray = ray_depth_from_planar(depth_planar_m, intrinsics).astype(np.float64)
    path = np.where(np.isfinite(ray), np.maximum(ray - weather.fog_start_m, 0.0), np.inf)
    return np.exp(-weather.fog_density_per_m * path).astype(np.float32)


def apply_fog(rgb: np.ndarray, transmittance: np.ndarray, brightness: float) -> np.ndarray:
    """(H, W, 3) uint8 display sRGB fogged towards a grey of display-linear `brightness`."""
    linear = decode_srgb_u8(rgb)
    t = transmittance.astype(np.float64)[..., None]
    return encode_srgb_u8(linear * t + brightness * (1.0 - t))


def apply_rain_streaks(rgb: np.ndarray, weather: WeatherSpec) -> np.ndarray:
    """Falling rain: thin, slightly slanted bright streaks, their number and opacity growing
    with `rain_intensity`. Deterministic from `rain_streak_seed` (drawn by the weather sampler);
    returns `rgb` unchanged when the seed is 0."""
    if not weather.rain_streak_seed:
        return rgb
    height, width = rgb.shape[:2]
    rng = np.random.default_rng(weather.rain_streak_seed)
    count = int(weather.rain_intensity * width * height / 300)
    scale = height / 480
    start = rng.uniform([0, -40 * scale], [width, height], size=(count, 2))
    length = rng.uniform(10, 35, size=count) * scale
    slant = np.deg2rad(rng.normal(8.0, 2.0, size=count))
    end = start + np.stack([np.sin(slant), np.cos(slant)], axis=1) * length[:, None]
    layer = np.zeros((height, width), dtype=np.float32)
    for (x0, y0), (x1, y1), level in zip(start, end, rng.uniform(0.3, 1.0, size=count), strict=True):
        cv2.line(layer, (int(x0), int(y0)), (int(x1), int(y1)), float(level), 1, cv2.LINE_AA)
    alpha = (0.25 * weather.rain_intensity * cv2.GaussianBlur(layer, (3, 3), 0))[..., None]
    out = rgb.astype(np.float32) * (1 - alpha) + 220.0 * alpha
    return np.rint(np.clip(out, 0, 255)).astype(np.uint8)


def apply_snowflakes(rgb: np.ndarray, weather: WeatherSpec) -> np.ndarray:
    """Falling snow: soft white flakes of a few sizes (bigger ones nearer), their number growing
    with `snowfall`. Deterministic from `snowflake_seed`; unchanged when the seed is 0."""
    if not weather.snowflake_seed:
        return rgb
    height, width = rgb.shape[:2]
    rng = np.random.default_rng(weather.snowflake_seed)
    count = int(weather.snowfall * width * height / 250)
    scale = height / 480
    centres = rng.uniform([0, 0], [width, height], size=(count, 2))
    radii = np.maximum(0.6, rng.pareto(3.0, size=count) * 1.2 + 0.6) * scale
    layer = np.zeros((height, width), dtype=np.float32)
    for (x, y), radius, level in zip(centres, radii, rng.uniform(0.5, 1.0, size=count), strict=True):
        cv2.circle(layer, (int(x), int(y)), max(1, int(round(radius))), float(level), -1, cv2.LINE_AA)
    alpha = np.clip(0.8 * cv2.GaussianBlur(layer, (3, 3), 0), 0.0, 1.0)[..., None]
    out = rgb.astype(np.float32) * (1 - alpha) + 245.0 * alpha
    return np.rint(np.clip(out, 0, 255)).astype(np.uint8)


def fog_ambient(lighting: LightingSpec | None) -> float:
    """How lit the fog is: 1 by day, falling linearly to 0.03 from sun elevation 6 deg to -6 deg
    (fog at night glows only faintly). The fog colour is `fog_brightness` times this."""
    if lighting is None:
        return 1.0
    return 0.03 + 0.97 * min(1.0, max(0.0, (lighting.sun_elevation_deg + 6.0) / 12.0))


def apply_weather(rgb: np.ndarray, depth_planar_m: np.ndarray, intrinsics: np.ndarray,
                  weather: WeatherSpec, lighting: LightingSpec | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The frame's RGB with fog (depth mode), rain streaks and snowflakes, and its fog
    transmittance. `lighting` dims the fog colour after dusk (see `fog_ambient`).

    Returns:
        rgb: (H, W, 3) uint8 display sRGB.
        transmittance: (H, W) float32 in [0, 1] (for `fog_transmittance` of each annotation).
    """
    transmittance = fog_transmittance(depth_planar_m, intrinsics, weather)
    if weather.fog and weather.fog_mode == "depth":
        rgb = apply_fog(rgb, transmittance, weather.fog_brightness * fog_ambient(lighting))
    return apply_snowflakes(apply_rain_streaks(rgb, weather), weather), transmittance


def mean_per_instance(object_index: np.ndarray, values: np.ndarray) -> dict[int, float]:
    """{instance index: mean of `values` over its pixels, rounded to 4 decimals}.

    Args:
        object_index: (H, W) int32 object-index pass.
        values: (H, W) float array (e.g. fog transmittance).
    """
    flat = object_index.ravel()
    sums = np.bincount(flat, weights=values.ravel().astype(np.float64))
    counts = np.bincount(flat)
    return {int(i): round(float(sums[i] / counts[i]), 4) for i in np.nonzero(counts)[0]}
