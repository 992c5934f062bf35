"""Low-level image statistics that tell rendered images from photos, pure numpy/OpenCV.

Every image is first brought to a common analysis size (downscaled with area averaging so its
width is at most `analysis_width_px`), because edge density, gradients and noise depend on
scale. Features are computed on 8-bit sRGB values; luma is Rec. 709 on those values, in [0, 1].
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp")

FEATURE_NAMES: tuple[str, ...] = (
    "luma_mean", "luma_std", "luma_p05", "luma_p50", "luma_p95", "luma_entropy_bits", "clipped_fraction",
    "chroma_r", "chroma_b", "opponent_rg_std", "opponent_yb_std", "colorfulness",
    "saturation_mean", "saturation_std",
    "edge_density", "gradient_mean", "gradient_log_slope", "spectrum_slope", "noise_sigma",
)
"""Feature vector layout (see `image_features` for the definitions)."""


def load_rgb(path: Path, analysis_width_px: int) -> np.ndarray:
    """(H, W, 3) uint8 RGB of an image file (grey and alpha images converted), downscaled
    (INTER_AREA) to at most `analysis_width_px` wide.

    Raises:
        ValueError: the file is not a readable image.
    """
    data = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if data is None:
        raise ValueError(f"{path}: not a readable image")
    rgb = np.ascontiguousarray(data[..., ::-1])
    if rgb.shape[1] > analysis_width_px:
        height = max(1, round(rgb.shape[0] * analysis_width_px / rgb.shape[1]))
        rgb = cv2.resize(rgb, (analysis_width_px, height), interpolation=cv2.INTER_AREA)
    return rgb


def image_files(folder: Path) -> list[Path]:
    """Image files under `folder` (recursively), sorted by path."""
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES)


def image_features(rgb: np.ndarray) -> np.ndarray:
    """The feature vector of one (H, W, 3) uint8 RGB image, float64 in `FEATURE_NAMES` order.

    luma_*: mean, std and percentiles of luma; luma_entropy_bits: entropy of its 64-bin
    histogram; clipped_fraction: pixels with any channel at 0 or 255; chroma_r/b: mean
    R/(R+G+B) and B/(R+G+B); opponent and colorfulness: Hasler-Suesstrunk; saturation: HSV S
    in [0, 1]; edge_density: Canny (50, 150) edge pixels per pixel; gradient_mean: mean Sobel
    magnitude of luma; gradient_log_slope: slope of the log histogram of gradient magnitudes
    (heavy tails of natural images); spectrum_slope: slope of log power vs log frequency of the
    radially averaged luma spectrum (about -2 for natural photos); noise_sigma: Immerkaer's
    noise estimate in 8-bit units.
    """
    rgb_f = rgb.astype(np.float64)
    luma = (0.2126 * rgb_f[..., 0] + 0.7152 * rgb_f[..., 1] + 0.0722 * rgb_f[..., 2]) / 255.0
    counts = np.histogram(luma, bins=64, range=(0.0, 1.0))[0].astype(np.float64)
    p = counts[counts > 0] / counts.sum()
    total = rgb_f.sum(axis=-1) + 1e-6
    rg = rgb_f[..., 0] - rgb_f[..., 1]
    yb = 0.5 * (rgb_f[..., 0] + rgb_f[..., 1]) - rgb_f[..., 2]
    colorfulness = np.hypot(rg.std(), yb.std()) + 0.3 * np.hypot(rg.mean(), yb.mean())
    saturation = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)[..., 1].astype(np.float64) / 255.0
    luma_u8 = np.clip(np.rint(luma * 255.0), 0, 255).astype(np.uint8)
    edges = cv2.Canny(luma_u8, 50, 150)
    gx = cv2.Sobel(luma, cv2.CV_64F, 1, 0, ksize=3)
    gy = cv2.Sobel(luma, cv2.CV_64F, 0, 1, ksize=3)
    gradient = np.hypot(gx, gy)
    return np.array([
        luma.mean(), luma.std(), *np.percentile(luma, [5, 50, 95]), float(-(p * np.log2(p)).sum()),
        float(((rgb == 0) | (rgb == 255)).any(axis=-1).mean()),
        float((rgb_f[..., 0] / total).mean()), float((rgb_f[..., 2] / total).mean()), rg.std(), yb.std(),
        colorfulness, saturation.mean(), saturation.std(),
        float((edges > 0).mean()), gradient.mean(), gradient_log_slope(gradient), spectrum_slope(luma),
        noise_sigma(luma * 255.0),
    ], dtype=np.float64)


def gradient_log_slope(gradient: np.ndarray) -> float:
    """Slope of log(density) vs gradient magnitude over (0, 1] in 32 bins (empty bins skipped)."""
    counts, edges = np.histogram(gradient, bins=32, range=(0.0, 1.0))
    centres = 0.5 * (edges[:-1] + edges[1:])
    keep = counts > 0
    if keep.sum() < 2:
        return 0.0
    return float(np.polyfit(centres[keep], np.log(counts[keep] / counts.sum()), 1)[0])


def spectrum_slope(luma: np.ndarray) -> float:
    """Slope of log power vs log spatial frequency (0.02..0.4 cycles/px) of the Hann-windowed,
    mean-removed luma's radially averaged power spectrum."""
    height, width = luma.shape
    window = np.outer(np.hanning(height), np.hanning(width))
    power = np.abs(np.fft.fftshift(np.fft.fft2((luma - luma.mean()) * window))) ** 2
    fy = np.fft.fftshift(np.fft.fftfreq(height))[:, None]
    fx = np.fft.fftshift(np.fft.fftfreq(width))[None, :]
    radius = np.hypot(fx, fy)
    bins = np.geomspace(0.02, 0.4, 16)
    which = np.digitize(radius, bins)
    freqs, levels = [], []
    for b in range(1, len(bins)):
        ring = which == b
        if ring.any() and power[ring].mean() > 0:
            freqs.append(np.sqrt(bins[b - 1] * bins[b]))
            levels.append(power[ring].mean())
    if len(freqs) < 2:
        return 0.0
    return float(np.polyfit(np.log(freqs), np.log(levels), 1)[0])


def noise_sigma(luma_255: np.ndarray) -> float:
    """Immerkaer (1996) fast noise standard deviation of a (H, W) image in its own units."""
    height, width = luma_255.shape
    if height < 3 or width < 3:
        return 0.0
    kernel = np.array([[1.0, -2.0, 1.0], [-2.0, 4.0, -2.0], [1.0, -2.0, 1.0]])
    response = cv2.filter2D(luma_255, cv2.CV_64F, kernel)[1:-1, 1:-1]
    return float(np.sqrt(np.pi / 2.0) * np.abs(response).sum() / (6.0 * (width - 2) * (height - 2)))


def folder_features(files: list[Path], analysis_width_px: int) -> np.ndarray:
    """(N, F) float64 features of image files, in order."""
    return np.array([image_features(load_rgb(path, analysis_width_px)) for path in files]).reshape(
        len(files), len(FEATURE_NAMES))
