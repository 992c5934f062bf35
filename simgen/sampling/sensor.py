"""Sensor sampler: lens distortion, exposure, white balance, vignetting, noise, JPEG."""

from __future__ import annotations

import numpy as np

from simgen.config.schema import SensorConfig
from simgen.errors import ConfigError
from simgen.geometry.camera import intrinsics_matrix
from simgen.geometry.lens import overscan_px
from simgen.specs import CameraSpec, SensorSpec

MAX_OVERSCAN_FRACTION = 0.5
"""Largest extra border (per side, as a fraction of the image size) a distortion may need."""


def sample_sensor(cfg: SensorConfig, camera: CameraSpec, rng: np.random.Generator) -> SensorSpec:
    """Draw one frame's lens and sensor parameters.

    Raises:
        ConfigError: the drawn distortion cannot be inverted at the image border, or needs a
            pinhole render more than 50% larger per side (values far outside real lenses).
    """
    coeffs = tuple(float(getattr(cfg, name).sample(rng)) for name in ("k1", "k2", "p1", "p2", "k3"))
    spec = SensorSpec(
        dist_coeffs=coeffs,  # type: ignore[arg-type]
        exposure_ev=float(cfg.exposure_ev.sample(rng)),
        white_balance_rgb=(float(cfg.white_balance_r.sample(rng)), 1.0, float(cfg.white_balance_b.sample(rng))),
        vignetting=float(cfg.vignetting.sample(rng)),
        chromatic_aberration_px=float(cfg.chromatic_aberration_px.sample(rng)),
        shot_noise=float(cfg.shot_noise.sample(rng)),
        read_noise=float(cfg.read_noise.sample(rng)),
        jpeg_quality=int(cfg.jpeg_quality.sample(rng)),
        noise_seed=int(rng.integers(0, 2**31 - 1)),
        shutter_s=float(cfg.shutter_s.sample(rng)),
    )
    if spec.distorts:
        check_distortion(spec, camera)
    return spec


def check_distortion(sensor: SensorSpec, camera: CameraSpec) -> tuple[int, int]:
    """(pad_x, pad_y) overscan of a valid distortion.

    Raises:
        ConfigError: on `sensor.k1` (the distortion as a whole), naming the coefficients.
    """
    try:
        pad_x, pad_y = overscan_px(camera.width_px, camera.height_px, intrinsics_matrix(camera), sensor.dist_coeffs)
    except ValueError as error:
        raise ConfigError("sensor.k1", list(sensor.dist_coeffs),
                          f"a distortion (k1, k2, p1, p2, k3) invertible inside the image: {error}") from error
    if pad_x > MAX_OVERSCAN_FRACTION * camera.width_px or pad_y > MAX_OVERSCAN_FRACTION * camera.height_px:
        raise ConfigError("sensor.k1", list(sensor.dist_coeffs),
                          "a distortion whose image corners see at most 50% beyond the pinhole frame per side "
                          f"(this one needs {pad_x} x {pad_y} px more at {camera.width_px}x{camera.height_px})")
    return pad_x, pad_y
