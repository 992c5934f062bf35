"""Camera specs: the pinhole camera's pose and intrinsics, the lens and sensor model applied
after rendering, and the frame's motion (what the shutter blurs)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class CameraSpec:
    """A pinhole camera. World pose as location plus (yaw, pitch, roll) about the dashcam rest
    pose, which looks along world +y with the image x axis along world +x.

    `simgen.geometry.camera` derives K and the extrinsics from this.
    """

    width_px: int
    height_px: int
    focal_length_mm: float
    sensor_width_mm: float
    location_m: tuple[float, float, float]
    yaw_deg: float
    pitch_deg: float
    roll_deg: float
    clip_start_m: float = 0.1
    clip_end_m: float = 1000.0


@dataclass(frozen=True)
class SensorSpec:
    """The camera's lens and sensor, applied to the pinhole render (`simgen.imaging`).

    The defaults are the identity (an ideal pinhole camera with a perfect sensor): a frame
    with the default SensorSpec is written exactly as Cycles rendered it.

    Attributes:
        dist_coeffs: (k1, k2, p1, p2, k3) Brown-Conrady distortion, OpenCV order.
        exposure_ev: gain 2**exposure_ev applied to linear intensity.
        white_balance_rgb: per-channel linear gains (R, G, B).
        vignetting: relative intensity lost at the image corner, in [0, 1] (cos^4-like falloff).
        chromatic_aberration_px: lateral colour shift of R (outwards) and B (inwards) at the
            image corner, pixels.
        shot_noise: Poisson-like noise std at full-scale linear signal (std = shot * sqrt(signal)).
        read_noise: signal-independent Gaussian noise std, linear [0, 1] units.
        jpeg_quality: 1..100, the RGB is JPEG-compressed at this quality; 0 = no JPEG.
        noise_seed: seed of the noise realization (drawn from the "sensor" stream).
        shutter_s: exposure time, seconds; > 0 blurs what moves relative to the camera during
            [-shutter_s/2, +shutter_s/2] around the recorded poses (see `MotionSpec`).
    """

    dist_coeffs: tuple[float, float, float, float, float] = (0.0, 0.0, 0.0, 0.0, 0.0)
    exposure_ev: float = 0.0
    white_balance_rgb: tuple[float, float, float] = (1.0, 1.0, 1.0)
    vignetting: float = 0.0
    chromatic_aberration_px: float = 0.0
    shot_noise: float = 0.0
    read_noise: float = 0.0
    jpeg_quality: int = 0
    noise_seed: int = 0
    shutter_s: float = 0.0

    @property
    def distorts(self) -> bool:
        return any(c != 0.0 for c in self.dist_coeffs)

    @property
    def is_identity(self) -> bool:
        return self == SensorSpec(noise_seed=self.noise_seed, shutter_s=self.shutter_s)


@dataclass(frozen=True)
class MotionSpec:
    """Velocities of the frame, world frame, metres per second.

    The recorded poses (camera and props) are the poses at mid-exposure; over the shutter
    time each moving thing translates linearly: position(t) = pose + velocity * t for
    t in [-shutter_s/2, +shutter_s/2]. No rotation (wheels, limbs) is animated.

    Attributes:
        ego_velocity_m_s: the camera's (ego vehicle's) velocity (vx, vy, vz).
        object_velocities_m_s: prop name -> velocity, for the props that move (others are still).
    """

    ego_velocity_m_s: tuple[float, float, float] = (0.0, 0.0, 0.0)
    object_velocities_m_s: dict[str, tuple[float, float, float]] = field(default_factory=dict)

    def velocity_of(self, name: str) -> tuple[float, float, float]:
        """The velocity of prop `name`, (0, 0, 0) if it stands still."""
        return self.object_velocities_m_s.get(name, (0.0, 0.0, 0.0))
