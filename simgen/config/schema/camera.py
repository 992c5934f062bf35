"""The `camera` group: the pinhole camera's pose and intrinsics (`simgen/sampling/camera.py`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from simgen.config.fields import bounded, dist


@dataclass
class CameraConfig:
    """Dashcam-like camera riding in the ego lane, looking down the road (+y)."""

    height_m: Any = dist({"uniform": [1.3, 1.6]}, 0.1, 20.0)
    pitch_deg: Any = dist({"uniform": [-6.0, -1.0]}, -89.0, 89.0)
    yaw_deg: Any = dist({"normal": [0.0, 2.0], "clip": [-6.0, 6.0]}, -180.0, 180.0)
    roll_deg: Any = dist({"normal": [0.0, 0.5], "clip": [-2.0, 2.0]}, -45.0, 45.0)
    focal_length_mm: Any = dist({"uniform": [20.0, 28.0]}, 1.0, 500.0)
    sensor_width_mm: Any = dist(36.0, 1.0, 100.0)
    lateral_offset_m: Any = dist({"uniform": [-0.3, 0.3]}, -5.0, 5.0)
    clip_end_m: float = bounded(1000.0, 10.0, 1e5)
