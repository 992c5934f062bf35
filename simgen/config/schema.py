"""Typed config schemas: one dataclass per config group (`configs/<group>/*.yaml`).

These dataclasses are both the Hydra structured-config schema (registered in `simgen.cli`, so a
typo in any YAML fails at composition) and the typed config the library receives after
`simgen.config.load.load_config` has validated it. Fields marked with `dist(...)` (`simgen.config.fields`) accept a
distribution (see `simgen.config.distributions`); after loading they hold a parsed
`Distribution`, whose support was checked against the allowed range given here.

Units are in the field names; angles in degrees; distances in metres.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from simgen.config.fields import bounded, dist, dist_of_names, one_of


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


@dataclass
class LightingConfig:
    """Sun lamp plus a physically based sky texture."""

    sun_elevation_deg: Any = dist({"uniform": [15.0, 65.0]}, -90.0, 90.0)
    sun_azimuth_deg: Any = dist({"uniform": [0.0, 360.0]}, -360.0, 360.0)
    sun_strength_w_m2: Any = dist({"uniform": [3.0, 5.0]}, 0.0, 1000.0)
    sun_angle_deg: Any = dist(0.5, 0.0, 30.0)
    sky_strength: Any = dist({"uniform": [0.8, 1.2]}, 0.0, 100.0)
    sky_turbidity: Any = dist({"uniform": [2.0, 5.0]}, 1.0, 10.0)
    exposure_ev: Any = dist(0.0, -10.0, 10.0)
    lights_on_below_deg: float = bounded(3.0, -90.0, 90.0)
    """Street lamps, lit windows and vehicle lights switch on when the sun is below this elevation."""
    lamp_power_w: Any = dist({"uniform": [300.0, 700.0]}, 0.0, 100000.0)
    lamp_color_temperature_k: Any = dist({"uniform": [2700.0, 4500.0]}, 1000.0, 12000.0)
    window_lit_probability: Any = dist({"uniform": [0.2, 0.7]}, 0.0, 1.0)
    window_emission_strength: Any = dist({"uniform": [0.5, 2.0]}, 0.0, 1000.0)
    vehicle_light_strength: Any = dist({"uniform": [20.0, 60.0]}, 0.0, 10000.0)
    sun_color_temperature_k: Any = dist(5800.0, 1000.0, 12000.0)
    """The sun lamp's colour as a black-body temperature (lower at dusk: warmer light)."""
    hdri_dir: str = ""
    """A folder of equirectangular .hdr / .exr environments (docs/realism.md). When set, a frame
    is lit by one of them (drawn uniformly) instead of the procedural sky and sun lamp, with
    probability `hdri_probability`; empty: always the procedural sky."""
    hdri_probability: Any = dist(1.0, 0.0, 1.0)
    hdri_rotation_deg: Any = dist({"uniform": [0.0, 360.0]}, -360.0, 360.0)
    """Rotation of the environment about world z."""
    hdri_strength: Any = dist(1.0, 0.0, 100.0)
    """World background strength multiplying the image's radiance."""
    sky_model: str = one_of("hosek_wilkie", "hosek_wilkie", "preetham", "single_scattering", "multiple_scattering")
    """Blender 5.0's sky model (Sky Texture node; docs/skies.md). The physical (scattering)
    skies are scaled to about Hosek-Wilkie's brightness."""
    cloud_coverage: Any = dist(0.0, 0.0, 1.0)
    """Share of the sky covered by the procedural cloud layer; 0 = clear (no cloud nodes)."""
    cloud_type: Any = dist_of_names({"choice": ["cumulus", "stratus", "cirrus"]}, "cumulus", "stratus", "cirrus")
    """Which cloud shape, drawn per frame (`simgen.sampling.lighting.CLOUD_TYPES`)."""


@dataclass
class MaterialsConfig:
    """User PBR texture sets for the textured material slots (docs/textures.md,
    `simgen.catalog.texture_sets`, `simgen.sampling.texture_sets`)."""

    pbr_dir: str = ""
    """A folder with one sub-folder per material slot (asphalt, concrete, facade, grass, paint)
    of albedo / normal / roughness maps; empty: procedural surfaces only."""
    pbr_probability: Any = dist(1.0, 0.0, 1.0)
    """Chance that a material of a slot with texture sets gets one (drawn per material)."""
    pbr_tile_m: Any = dist(2.0, 0.01, 1000.0)
    """Edge length of one repeat of the images on the surface, metres."""


@dataclass
class WeatherConfig:
    """CARLA-like weather knobs (`simgen/sampling/weather.py`). Each phenomenon (fog, rain,
    snow) is present in a frame with its probability; its knobs are drawn every frame anyway."""

    cloudiness: Any = dist({"uniform": [0.0, 0.3]}, 0.0, 1.0)
    fog_probability: Any = dist(0.0, 0.0, 1.0)
    fog_mode: str = one_of("depth", "depth", "volumetric")
    fog_visibility_m: Any = dist({"uniform": [60.0, 300.0]}, 5.0, 100000.0)
    """Meteorological visibility (contrast falls to 2 %): extinction beta = 3.912 / visibility."""
    fog_start_m: Any = dist(0.0, 0.0, 1000.0)
    fog_brightness: Any = dist({"uniform": [0.55, 0.8]}, 0.0, 1.0)
    """Display-linear grey level of the fog (airlight) colour."""
    rain_probability: Any = dist(0.0, 0.0, 1.0)
    rain_intensity: Any = dist({"uniform": [0.3, 1.0]}, 0.0, 1.0)
    puddle_coverage: Any = dist({"uniform": [0.1, 0.5]}, 0.0, 1.0)
    rain_streaks: bool = True
    snow_probability: Any = dist(0.0, 0.0, 1.0)
    snow_cover: Any = dist({"uniform": [0.4, 1.0]}, 0.0, 1.0)
    snowfall: Any = dist({"uniform": [0.2, 1.0]}, 0.0, 1.0)
    """Density of falling flakes drawn on the RGB (0 = none)."""


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


@dataclass
class LayoutConfig:
    """Which scene layout from `simgen/sampling/layouts/` builds the static street, and its dimensions."""

    name: str = one_of("urban_street", "urban_street", "intersection", "highway", "rural_road")
    lanes_per_direction: Any = dist({"int_range": [1, 2]}, 1, 6, integer=True)
    lane_width_m: Any = dist({"uniform": [3.0, 3.6]}, 2.0, 6.0)
    sidewalk_width_m: Any = dist({"uniform": [2.0, 4.0]}, 0.5, 15.0)
    curb_height_m: Any = dist(0.15, 0.0, 0.5)
    road_length_m: Any = dist(160.0, 30.0, 2000.0)
    building_height_m: Any = dist({"uniform": [6.0, 30.0]}, 2.0, 300.0)
    building_length_m: Any = dist({"uniform": [10.0, 30.0]}, 3.0, 200.0)
    building_setback_m: Any = dist({"uniform": [0.0, 2.0]}, 0.0, 50.0)
    pole_spacing_m: Any = dist({"uniform": [15.0, 30.0]}, 2.0, 500.0)
    tree_probability: Any = dist(0.5, 0.0, 1.0)
    intersection_distance_m: Any = dist({"uniform": [25.0, 45.0]}, 10.0, 500.0)
    """intersection only: distance from the camera to the cross street's centre line."""
    parking_width_m: Any = dist(0.0, 0.0, 5.0)
    """urban_street, intersection: a parking strip this wide between the outer lane and each
    curb (0 = none); `traffic.parked_cars` are placed in it."""
    sign_spacing_m: Any = dist({"uniform": [30.0, 60.0]}, 2.0, 1000.0)
    """Distance between roadside sign slots along each side (urban, rural, highway)."""
    sign_probability: Any = dist(0.6, 0.0, 1.0)
    """Chance that a sign slot holds a sign (round, warning, speed-limit or priority)."""
    furniture_spacing_m: Any = dist({"uniform": [8.0, 20.0]}, 1.0, 500.0)
    """Distance between slots of each kind of sidewalk or roadside furniture along each side."""
    bin_probability: Any = dist(0.4, 0.0, 1.0)
    """Chance that a slot holds a trash bin (wheelie or litter bin) at the kerb side of the sidewalk."""
    bench_probability: Any = dist(0.2, 0.0, 1.0)
    """Chance that a slot holds a bench at the building side of the sidewalk, facing the road."""
    bollard_probability: Any = dist(0.2, 0.0, 1.0)
    """Chance that a slot holds a run of 2-4 bollards along the kerb."""
    hydrant_probability: Any = dist(0.15, 0.0, 1.0)
    """Chance that a slot holds a fire hydrant near the kerb."""
    delineator_probability: Any = dist(0.0, 0.0, 1.0)
    """rural_road: chance that a slot holds a delineator post at the edge of the verge."""
    vegetation_spacing_m: Any = dist({"uniform": [10.0, 25.0]}, 1.0, 500.0)
    """Distance between the slots of the hedge row and of the bush row along each side."""
    hedge_probability: Any = dist(0.2, 0.0, 1.0)
    """Chance that a slot holds a hedge (2.5-8 m long) at the building or field side."""
    bush_probability: Any = dist(0.3, 0.0, 1.0)
    """Chance that a slot holds a group of 1-3 bushes at the building or field side."""
    manhole_spacing_m: Any = dist({"uniform": [20.0, 50.0]}, 2.0, 1000.0)
    """urban_street: distance between manhole covers along the road (each in a random lane)."""
    drain_spacing_m: Any = dist({"uniform": [15.0, 35.0]}, 2.0, 1000.0)
    """urban_street: distance between drain grates in the gutter along each kerb."""
    traffic_light_probability: Any = dist(0.85, 0.0, 1.0)
    """intersection: chance that the junction is signalised (a traffic light on every corner)."""
    stop_sign_probability: Any = dist(1.0, 0.0, 1.0)
    """intersection, when not signalised: chance of a stop sign on each approach."""


@dataclass
class TrafficConfig:
    """How many road users of each kind, and where in front of the camera they may stand."""

    cars: Any = dist({"int_range": [3, 8]}, 0, 10000, integer=True)
    pedestrians: Any = dist({"int_range": [2, 6]}, 0, 10000, integer=True)
    cyclists: Any = dist({"int_range": [0, 2]}, 0, 10000, integer=True)
    traffic_cones: Any = dist({"int_range": [0, 4]}, 0, 10000, integer=True)
    trucks: Any = dist(0, 0, 10000, integer=True)
    buses: Any = dist(0, 0, 10000, integer=True)
    motorcycles: Any = dist(0, 0, 10000, integer=True)
    parked_cars: Any = dist(0, 0, 10000, integer=True)
    """Cars parked along the curb in the layout's parking strips (named parked_car_NNN,
    category car), placed after every other kind. An upper bound: when the curb is full, the
    rest are left out (no PlacementError)."""
    min_distance_m: float = bounded(6.0, 0.0, 1000.0)
    max_distance_m: float = bounded(60.0, 1.0, 2000.0)
    clearance_m: float = bounded(0.3, 0.0, 10.0)
    attempts_per_object: int = bounded(50, 1, 10000)


@dataclass
class MotionConfig:
    """Speeds of the ego vehicle and of the road users (`simgen/sampling/motion.py`).

    Every object moves along its own +x (its facing direction) at its speed; parked cars,
    cones and inanimate obstacles stand still; pedestrians move at their asset's `speed_m_s`
    parameter (their gait follows it). Velocities are recorded per frame and blur the image
    when `sensor.shutter_s` > 0.
    """

    ego_speed_m_s: Any = dist({"uniform": [0.0, 14.0]}, 0.0, 90.0)
    vehicle_speed_m_s: Any = dist({"uniform": [0.0, 14.0]}, 0.0, 90.0)
    """cars, trucks, buses and motorcycles in the lanes, each drawn independently."""
    cyclist_speed_m_s: Any = dist({"uniform": [2.0, 7.0]}, 0.0, 30.0)
    animal_speed_m_s: Any = dist({"uniform": [0.0, 3.0]}, 0.0, 30.0)
    """deer and dogs among the rare obstacles."""


@dataclass
class SequenceConfig:
    """Video sequences (`simgen/sampling/sequence.py`): `frames` consecutive frames of one
    sampled scene, `fps` apart, ego and road users advanced by their velocities. 1 = independent
    frames. `frames` (the run's) and `frames_per_shard` must be multiples of it."""

    frames: int = bounded(1, 1, 100_000)
    fps: float = bounded(10.0, 0.01, 1000.0)


POLICY_FIELDS = ("min_visible_px", "min_visible_fraction", "max_truncation", "min_bbox_height_px",
                 "min_fog_transmittance")
"""LabelsConfig fields of the label policy; `labels.category_overrides.<category>` may set any."""


@dataclass
class ObstaclesConfig:
    """Rare obstacles on the road ahead (`simgen/sampling/obstacles.py`).

    `rates` maps an obstacle class (a catalog category, e.g. deer) to the probability that a
    frame holds one of it, anywhere on the road. With `quota_fraction` P > 0, frame i is a quota
    frame iff ceil((i + 1) * P) > ceil(i * P): it gets one more obstacle (class drawn with the
    rates as weights) in the ego lane, placed so that at least `quota_min_visible_fraction` of
    its silhouette is in the image and not hidden by traffic, and its visible pixels cover at
    least `quota_min_image_fraction` of the image (resolution-independent size).
    """

    rates: dict[str, float] = field(default_factory=dict)
    quota_fraction: float = bounded(0.0, 0.0, 1.0)
    quota_min_visible_fraction: float = bounded(0.5, 0.0, 1.0)
    quota_min_image_fraction: float = bounded(0.0, 0.0, 1.0)
    """A quota obstacle's visible pixels must also cover at least this share of the image."""
    distance_m: Any = dist({"uniform": [8.0, 45.0]}, 1.0, 1000.0)
    clearance_m: float = bounded(0.3, 0.0, 10.0)
    attempts_per_object: int = bounded(200, 1, 100000)


@dataclass
class LabelsConfig:
    """Categories (stable COCO ids), depth kind, and the label policy: a visible instance that
    fails a threshold becomes an `iscrowd: 1` ignore region (see `simgen.annotations.policy`)."""

    categories: dict[str, int] = field(default_factory=lambda: {
        "car": 1, "pedestrian": 2, "cyclist": 3, "traffic_cone": 4, "deer": 5, "dog": 6, "tree_trunk": 7,
        "tire": 8, "cardboard_box": 9, "mattress": 10, "rock": 11, "stroller": 12, "construction_barrier": 13,
        "cone_cluster": 14, "truck": 15, "bus": 16, "motorcycle": 17})
    depth_kind: str = one_of("planar", "planar", "ray")
    # The training policy (docs/training.md says why these numbers): `labels=keep_all` sets all to 0 / 1.
    min_visible_px: int = bounded(64, 0, 1_000_000_000)
    min_visible_fraction: float = bounded(0.0, 0.0, 1.0)
    max_truncation: float = bounded(1.0, 0.0, 1.0)
    min_bbox_height_px: int = bounded(10, 0, 1_000_000)
    min_fog_transmittance: float = bounded(0.05, 0.0, 1.0)
    """Mean fog transmittance over the mask below this -> ignored (0.05: the contrast threshold of
    the meteorological optical range; the object lies beyond the visibility)."""
    category_overrides: dict[str, Any] = field(default_factory=dict)
    """category -> {policy field: value}, e.g. {pedestrian: {min_bbox_height_px: 10}}."""


@dataclass
class SplitConfig:
    """Train/val/test fractions of the frames (`simgen.sampling.split`); they must sum to 1.

    Run-only: changing them re-assembles annotations_<split>.json without rendering anything.
    """

    train: float = bounded(0.8, 0.0, 1.0)
    val: float = bounded(0.1, 0.0, 1.0)
    test: float = bounded(0.1, 0.0, 1.0)


@dataclass
class InfoConfig:
    """COCO `info` and `licenses`, and the dataset card (DATASET.md). Run-only.

    `date_created` empty = the committer date of the simgen source commit (a git checkout), else
    the release date of this simgen version: never the wall clock, so the same inputs give the
    same bytes.
    """

    contributor: str = "simgen"
    url: str = ""
    date_created: str = ""
    """YYYY/MM/DD (COCO's own format); empty = derived as above."""
    license_name: str = "CC-BY-4.0"
    license_url: str = "https://creativecommons.org/licenses/by/4.0/"


@dataclass
class RenderConfig:
    """Cycles settings. `device`: auto tries OptiX, then CUDA, then CPU."""

    resolution: list[int] = field(default_factory=lambda: [640, 480])
    samples: int = bounded(16, 1, 65536)
    device: str = one_of("auto", "auto", "cpu", "cuda", "optix")
    denoise: bool = True
    view_transform: str = one_of("AgX", "Standard", "Filmic", "AgX")
    max_bounces: int = bounded(4, 0, 128)
    threads: int = bounded(0, 0, 1024)
    processes_per_device: int = bounded(1, 1, 64)
    """Render processes sharing the device (`simgen.render.workers`): each builds, labels and
    writes its own frames while the device renders for all (see docs/performance.md)."""
    procedural_textures: bool = True
    """Build the procedural PBR surfaces recorded in textured `MaterialSpec`s (asphalt cracks,
    paving joints, bricks, vehicle wear); off renders their flat base values (same specs)."""
    sky_importance_map_px: int = bounded(0, 0, 4096)
    """Side of the importance map Cycles builds for the procedural sky each frame (its world
    changes every frame), in pixels; 0: no map, the sky is reached by BSDF-sampled rays only.
    The procedural sky is smooth and its sun is a lamp, so the map buys nothing there: measured
    35 ms less per frame and less noise at 16 spp without it (docs/performance.md). HDRI worlds
    always get Cycles' automatic map (a sun inside the image needs it)."""
    persistent_data: bool = False
    """Cycles' persistent data (`scene.render.use_persistent_data`): keep the device scene between
    frames and sync only what changed. Off by default: measured no sync gain while most meshes
    change every frame (docs/performance.md); labels are the same either way."""


@dataclass
class OutputConfig:
    """Where and what to write. `dir` defaults to outputs/<scenario>."""

    dir: str = "outputs/${scenario_name}"
    overwrite: bool = False
    depth_float: str = one_of("none", "none", "npy")
    instance_maps: bool = False
    """Write instance/NNNNNN.png: uint16 instance index per pixel (0 = background)."""
    semantic_maps: bool = False
    """Write semantic/NNNNNN.png: uint16 semantic class id per pixel, scenery and sky included
    (Cityscapes label ids, `simgen.catalog.classes`)."""
    panoptic: bool = False
    """Write COCO panoptic output: panoptic/NNNNNN.png and panoptic.json (`simgen.writers.panoptic`)."""
    progress: bool = True


QA_CHECKS = ("files", "ids", "categories", "rle", "boxes", "depth", "instances", "manifest", "keypoints",
             "panoptic", "flow", "content", "maps", "json")
"""Names of the dataset checks of `simgen.qa.validate`, as `--fail-on` and `validate.fail_on` take them."""


@dataclass
class ValidateConfig:
    """The QA gate at the end of a run (`simgen validate`, see `simgen.qa.validate`).

    With `enabled`, a run that assembles the dataset validates it, writes qa/validate.json and
    exits 1 when a check named in `fail_on` (check names, or "all" / "none") has problems.
    Run-only: changing these never changes the dataset's identity.
    """

    enabled: bool = False
    fail_on: list[str] = field(default_factory=lambda: ["all"])
    min_area_px: int = bounded(1, 0, 1_000_000_000)
    min_mask_depth_fraction: float = bounded(1.0, 0.0, 1.0)


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
