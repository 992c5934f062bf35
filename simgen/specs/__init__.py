"""Specs: frozen records of every resolved value of a frame (SI units, no distributions).

Samplers produce them (`simgen.sampling`), builders consume them (`simgen.blender`), and the
whole `FrameSpec` is written beside each frame, so any frame can be rebuilt or diffed without
re-sampling. Specs hold plain Python values only (floats, ints, strings, tuples, dicts), so
`dataclasses.asdict` gives JSON directly (`spec_dict` gives the same, faster).

One module per kind of spec: `appearance` (materials), `camera` (camera, lens and sensor,
motion), `environment` (lighting, clouds, HDRI, weather), `scene` (props, layout, obstacles,
the frame) and `recording` (`spec_dict`, `when_set`). Import them from `simgen.specs`.
"""

from simgen.specs.appearance import MaterialSpec, PbrSpec, TextureParam
from simgen.specs.camera import CameraSpec, MotionSpec, SensorSpec
from simgen.specs.environment import CloudSpec, HdriSpec, LightingSpec, WeatherSpec
from simgen.specs.recording import RECORDED_WHEN_SET, spec_dict, when_set
from simgen.specs.scene import (
    Footprint,
    FrameSpec,
    LaneSpec,
    LayoutSpec,
    ObstacleSpec,
    ParkingStripSpec,
    PropSpec,
)

__all__ = [
    "RECORDED_WHEN_SET", "CameraSpec", "CloudSpec", "Footprint", "FrameSpec", "HdriSpec", "LaneSpec", "LayoutSpec",
    "LightingSpec", "MaterialSpec", "MotionSpec", "ObstacleSpec", "ParkingStripSpec", "PbrSpec", "PropSpec",
    "SensorSpec", "TextureParam", "WeatherSpec", "spec_dict", "when_set",
]
