"""Typed config schemas: one dataclass per config group (`configs/<group>/*.yaml`).

These dataclasses are both the Hydra structured-config schema (registered in `simgen.cli`, so a
typo in any YAML fails at composition) and the typed config the library receives after
`simgen.config.load.load_config` has validated it. Fields marked with `dist(...)` (`simgen.config.fields`) accept a
distribution (see `simgen.config.distributions`); after loading they hold a parsed
`Distribution`, whose support was checked against the allowed range given here.

Units are in the field names; angles in degrees; distances in metres.

One module per config group (`simgen.config.schema.<group>`), the root in `root`; import
the schemas from `simgen.config.schema`.
"""

from simgen.config.schema.camera import CameraConfig
from simgen.config.schema.labels import POLICY_FIELDS, LabelsConfig
from simgen.config.schema.layout import LayoutConfig
from simgen.config.schema.lighting import LightingConfig
from simgen.config.schema.materials import MaterialsConfig
from simgen.config.schema.motion import MotionConfig
from simgen.config.schema.obstacles import ObstaclesConfig
from simgen.config.schema.output import InfoConfig, OutputConfig, SplitConfig
from simgen.config.schema.render import RenderConfig
from simgen.config.schema.root import SimgenConfig
from simgen.config.schema.sensor import SensorConfig
from simgen.config.schema.sequence import SequenceConfig
from simgen.config.schema.traffic import TrafficConfig
from simgen.config.schema.validate import QA_CHECKS, ValidateConfig
from simgen.config.schema.weather import WeatherConfig

__all__ = [
    "CameraConfig",
    "InfoConfig",
    "LabelsConfig",
    "LayoutConfig",
    "LightingConfig",
    "MaterialsConfig",
    "MotionConfig",
    "ObstaclesConfig",
    "OutputConfig",
    "POLICY_FIELDS",
    "QA_CHECKS",
    "RenderConfig",
    "SensorConfig",
    "SequenceConfig",
    "SimgenConfig",
    "SplitConfig",
    "TrafficConfig",
    "ValidateConfig",
    "WeatherConfig",
]
