"""The `sensor` group: lens distortion and the sensor model applied after rendering (`simgen/sampling/sensor.py`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from simgen.config.fields import dist


@dataclass
class SensorConfig:
    """Lens and sensor of the camera (`simgen.imaging`); the defaults are the identity.

    Distortion is OpenCV's Brown-Conrady model; exposure, white balance, noise are applied to
    approximately linear intensity (the sRGB transfer undone), JPEG to the final 8-bit RGB.
    """

    k1: Any = dist(0.0, -0.5, 0.5)
    k2: Any = dist(0.0, -0.3, 0.3)
    p1: Any = dist(0.0, -0.02, 0.02)
    p2: Any = dist(0.0, -0.02, 0.02)
    k3: Any = dist(0.0, -0.2, 0.2)
    exposure_ev: Any = dist(0.0, -4.0, 4.0)
    white_balance_r: Any = dist(1.0, 0.25, 4.0)
    white_balance_b: Any = dist(1.0, 0.25, 4.0)
    vignetting: Any = dist(0.0, 0.0, 1.0)
    chromatic_aberration_px: Any = dist(0.0, 0.0, 10.0)
    shot_noise: Any = dist(0.0, 0.0, 0.5)
    read_noise: Any = dist(0.0, 0.0, 0.2)
    jpeg_quality: Any = dist(0, 0, 100, integer=True)
    """1..100: JPEG-compress the RGB at this quality; 0 = no JPEG."""
    shutter_s: Any = dist(0.0, 0.0, 0.25)
    """Exposure time in seconds; > 0 renders motion blur from the ego and object velocities
    of the `motion` group (labels stay those of mid-exposure, see simgen.contract)."""
