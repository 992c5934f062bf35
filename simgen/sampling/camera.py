"""Camera sampler: a dashcam riding in the ego lane."""

from __future__ import annotations

import numpy as np

from simgen.config.schema import CameraConfig
from simgen.specs import CameraSpec, LayoutSpec


def sample_camera(cfg: CameraConfig, resolution: tuple[int, int], layout: LayoutSpec,
                  rng: np.random.Generator) -> CameraSpec:
    """Place the camera above the ego lane centre (plus a lateral offset) at y = 0.

    Args:
        cfg: camera distributions.
        resolution: (width, height) in pixels.
        layout: the street, for the ego lane position.
        rng: the frame's camera stream.
    """
    lane = layout.lanes[layout.ego_lane]
    height = float(cfg.height_m.sample(rng))
    pitch = float(cfg.pitch_deg.sample(rng))
    yaw = float(cfg.yaw_deg.sample(rng))
    roll = float(cfg.roll_deg.sample(rng))
    focal = float(cfg.focal_length_mm.sample(rng))
    sensor = float(cfg.sensor_width_mm.sample(rng))
    offset = float(cfg.lateral_offset_m.sample(rng))
    return CameraSpec(width_px=int(resolution[0]), height_px=int(resolution[1]), focal_length_mm=focal,
                      sensor_width_mm=sensor, location_m=(lane.center_x_m + offset, 0.0, height),
                      yaw_deg=yaw, pitch_deg=pitch, roll_deg=roll, clip_end_m=float(cfg.clip_end_m))
