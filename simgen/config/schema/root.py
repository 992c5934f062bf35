"""The root config, `SimgenConfig`: one field per config group, and the run's own fields
(frames, seed, shards, catalog)."""

from __future__ import annotations

from dataclasses import dataclass, field

from simgen.config.fields import bounded
from simgen.config.schema.camera import CameraConfig
from simgen.config.schema.labels import LabelsConfig
from simgen.config.schema.layout import LayoutConfig
from simgen.config.schema.lighting import LightingConfig
from simgen.config.schema.materials import MaterialsConfig
from simgen.config.schema.motion import MotionConfig
from simgen.config.schema.obstacles import ObstaclesConfig
from simgen.config.schema.output import InfoConfig, OutputConfig, SplitConfig
from simgen.config.schema.render import RenderConfig
from simgen.config.schema.sensor import SensorConfig
from simgen.config.schema.sequence import SequenceConfig
from simgen.config.schema.traffic import TrafficConfig
from simgen.config.schema.validate import ValidateConfig
from simgen.config.schema.weather import WeatherConfig


@dataclass
class SimgenConfig:
    """The root config: a scenario preset fills the groups; the CLI overrides any field."""

    scenario_name: str = "urban_day"
    catalog: str = ""
    """Path to a user asset catalog YAML whose entries are added to the packaged one (same
    names replace packaged entries); empty = the packaged assets/catalog.yaml alone."""
    frames: int = bounded(8, 1, 100_000_000)
    seed: int = bounded(0, 0, 2**63 - 1)
    shard: int = bounded(0, 0, 100_000_000)
    frames_per_shard: int = bounded(0, 0, 100_000_000)
    """0 = one shard holding all frames. Shard s renders global frames
    [s * frames_per_shard, min((s + 1) * frames_per_shard, frames))."""
    camera: CameraConfig = field(default_factory=CameraConfig)
    lighting: LightingConfig = field(default_factory=LightingConfig)
    materials: MaterialsConfig = field(default_factory=MaterialsConfig)
    weather: WeatherConfig = field(default_factory=WeatherConfig)
    layout: LayoutConfig = field(default_factory=LayoutConfig)
    traffic: TrafficConfig = field(default_factory=TrafficConfig)
    obstacles: ObstaclesConfig = field(default_factory=ObstaclesConfig)
    labels: LabelsConfig = field(default_factory=LabelsConfig)
    sensor: SensorConfig = field(default_factory=SensorConfig)
    motion: MotionConfig = field(default_factory=MotionConfig)
    sequence: SequenceConfig = field(default_factory=SequenceConfig)
    render: RenderConfig = field(default_factory=RenderConfig)
    output: OutputConfig = field(default_factory=OutputConfig)
    split: SplitConfig = field(default_factory=SplitConfig)
    info: InfoConfig = field(default_factory=InfoConfig)
    validate: ValidateConfig = field(default_factory=ValidateConfig)
