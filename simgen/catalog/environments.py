"""User HDRI environments (`lighting.hdri_dir`): equirectangular .hdr / .exr images that light
a frame instead of the procedural sky and sun lamp.

Read and checked once per run at the config-to-spec edge (`load_environments`), so a bad file is
one ConfigError naming `lighting.hdri_dir` before anything renders; the sampler then draws among
the loaded `Environment` records (pure).

Mapping (Blender's equirectangular convention, bpy 5.0.1, measured by
tests/blender/test_hdri.py): image column u in [0, 1) from the left and row v in [0, 1] from the
top see the direction of azimuth (0.5 - u) * 360 deg (from world +x towards +y) and elevation
(0.5 - v) * 180 deg. The builder rotates the environment about world z by `rotation_deg`: a world
direction of azimuth a looks up the image at azimuth a + rotation_deg, so an image feature at
azimuth a_img appears at world azimuth a_img - rotation_deg.

The sun of an environment is estimated as its brightest direction (`brightest_direction`), on
an image reduced to at most `ANALYSIS_WIDTH_PX` columns. That is
the sun in a daytime sky; in a night or indoor environment it is whatever lamp is brightest
(docs/realism.md says so).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import OpenEXR

from simgen.errors import ConfigError

HDRI_SUFFIXES = (".hdr", ".exr")
ANALYSIS_WIDTH_PX = 512
"""Columns of the reduced image the sun is found on (0.7 deg per column)."""
ASPECT_TOLERANCE = 0.02
"""Allowed deviation of width / height from 2 (an equirectangular image)."""
FIELD = "lighting.hdri_dir"


@dataclass(frozen=True)
class Environment:
    """One HDRI environment.

    Attributes:
        name: file name inside `lighting.hdri_dir`.
        path: absolute path of the file.
        width_px, height_px: image size.
        sha256: hex digest of the file's bytes (lineage).
        sun_azimuth_deg, sun_elevation_deg: the brightest direction in the image's own frame
            (rotation 0), degrees; azimuth from +x towards +y.
    """

    name: str
    path: str
    width_px: int
    height_px: int
    sha256: str
    sun_azimuth_deg: float
    sun_elevation_deg: float

    def sun_deg(self, rotation_deg: float) -> tuple[float, float]:
        """(azimuth in [0, 360), elevation) of the sun in the world with the environment
        rotated by `rotation_deg` about world z."""
        return (self.sun_azimuth_deg - rotation_deg) % 360.0, self.sun_elevation_deg


def direction_of_pixel(u: float, v: float) -> tuple[float, float]:
    """(azimuth, elevation) in degrees seen at image position (u from the left, v from the top),
    both in [0, 1]."""
    return ((0.5 - u) * 360.0) % 360.0, (0.5 - v) * 180.0


def read_equirect(path: Path) -> np.ndarray:
    """(H, W, 3) float32 linear RGB of a Radiance .hdr or OpenEXR file, row 0 at the top.

    Raises:
        ValueError: unreadable, or no R, G, B channels.
    """
    if path.suffix.lower() == ".hdr":
        bgr = cv2.imread(str(path), cv2.IMREAD_ANYDEPTH | cv2.IMREAD_COLOR)
        if bgr is None:
            raise ValueError("OpenCV cannot read it as a Radiance HDR image")
        return np.ascontiguousarray(bgr[..., ::-1], dtype=np.float32)
    try:
        with OpenEXR.File(str(path), separate_channels=True) as exr:
            channels = exr.parts[0].channels
            by_suffix = {name.rsplit(".", 1)[-1]: channel for name, channel in channels.items()}
            missing = [c for c in "RGB" if c not in by_suffix]
            if missing:
                raise ValueError(f"no {', '.join(missing)} channel (has {', '.join(sorted(channels))})")
            return np.stack([np.asarray(by_suffix[c].pixels, dtype=np.float32) for c in "RGB"], axis=-1)
    except (OSError, RuntimeError) as error:
        raise ValueError(f"OpenEXR cannot read it: {error}") from error


def brightest_direction(rgb: np.ndarray) -> tuple[float, float]:
    """(azimuth, elevation) in degrees of the brightest light of an (H, W, 3) equirectangular
    image: the peak of the luminance smoothed over about 1.5 deg finds it; the direction is the
    mean of the unit vectors of the pixels within 10 deg of that peak and at least half its
    brightest pixel, weighted by luminance x solid angle (accurate near the poles too)."""
    height, width = rgb.shape[:2]
    if width > ANALYSIS_WIDTH_PX:
        size = (ANALYSIS_WIDTH_PX, max(1, round(height * ANALYSIS_WIDTH_PX / width)))
        rgb = cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)
    luminance = rgb @ np.array([0.2126, 0.7152, 0.0722], dtype=np.float32)
    h, w = luminance.shape
    pad = max(1, w // 128)
    wrapped = np.concatenate([luminance[:, -pad:], luminance, luminance[:, :pad]], axis=1)
    smooth = cv2.blur(wrapped, (2 * pad + 1, 2 * pad + 1), borderType=cv2.BORDER_REPLICATE)[:, pad:-pad]
    row, col = np.unravel_index(int(np.argmax(smooth)), smooth.shape)
    v, u = (np.mgrid[0:h, 0:w] + 0.5) / np.array([h, w])[:, None, None]
    azimuth, elevation = np.deg2rad((0.5 - u) * 360.0), np.deg2rad((0.5 - v) * 180.0)
    vectors = np.stack([np.cos(elevation) * np.cos(azimuth), np.cos(elevation) * np.sin(azimuth),
                        np.sin(elevation)], axis=-1)
    near = vectors @ vectors[row, col] > np.cos(np.deg2rad(10.0))
    bright = near & (luminance >= 0.5 * luminance[near].max())
    mean = ((luminance * np.cos(elevation))[bright][:, None] * vectors[bright]).sum(axis=0)
    mean /= np.linalg.norm(mean)
    return (float(np.rad2deg(np.arctan2(mean[1], mean[0]))) % 360.0,
            float(np.rad2deg(np.arcsin(np.clip(mean[2], -1.0, 1.0)))))


def _environment(path: Path) -> Environment:
    def refuse(problem: str, allowed: str) -> ConfigError:
        return ConfigError(FIELD, str(path), f"{allowed} (this file {problem})")

    try:
        data = path.read_bytes()
        rgb = read_equirect(path)
    except (OSError, ValueError) as error:
        raise refuse(f"cannot be read: {error}", f"equirectangular {' or '.join(HDRI_SUFFIXES)} files") from error
    height, width = rgb.shape[:2]
    if abs(width / height - 2.0) > 2.0 * ASPECT_TOLERANCE:
        raise refuse(f"is {width}x{height} px, not equirectangular", "images twice as wide as high")
    if not np.isfinite(rgb).all() or (rgb < 0).any():
        raise refuse("has negative or non-finite pixel values", "finite radiance >= 0")
    if not (rgb > 0).any():
        raise refuse("is black everywhere", "an environment that emits light")
    azimuth, elevation = brightest_direction(rgb)
    return Environment(name=path.name, path=str(path.resolve()), width_px=width, height_px=height,
                       sha256=hashlib.sha256(data).hexdigest(), sun_azimuth_deg=azimuth,
                       sun_elevation_deg=elevation)


def load_environments(hdri_dir: str | Path | None) -> tuple[Environment, ...]:
    """The HDRI environments in `hdri_dir` (its .hdr / .exr files, by name), checked; () for None.

    Raises:
        ConfigError: the folder is missing or holds no HDRI, or a file is unreadable, not 2:1,
            negative, non-finite or black; the message names `lighting.hdri_dir` and the file.
    """
    if hdri_dir is None or str(hdri_dir) == "":
        return ()
    folder = Path(hdri_dir).expanduser()
    kinds = " / ".join(HDRI_SUFFIXES)
    if not folder.is_dir():
        raise ConfigError(FIELD, str(hdri_dir), f"a folder of equirectangular {kinds} files (this is not a folder), "
                          "or empty for the procedural sky")
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in HDRI_SUFFIXES)
    if not files:
        raise ConfigError(FIELD, str(hdri_dir), f"a folder of equirectangular {kinds} files (this one holds none)")
    return tuple(_environment(p) for p in files)


def environments_sha256(environments: tuple[Environment, ...]) -> str:
    """One digest of the environments' names and contents ('' for none)."""
    if not environments:
        return ""
    digest = hashlib.sha256()
    for env in environments:
        digest.update(f"{env.name}:{env.sha256}\n".encode())
    return digest.hexdigest()
