"""Specs: frozen records of every resolved value of a frame (SI units, no distributions).

Samplers produce them (`simgen.sampling`), builders consume them (`simgen.blender`), and the
whole `FrameSpec` is written beside each frame, so any frame can be rebuilt or diffed without
re-sampling. Specs hold plain Python values only (floats, ints, strings, tuples, dicts), so
`dataclasses.asdict` gives JSON directly (`spec_dict` gives the same, faster).
"""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass, field

TextureParam = tuple[str, float | tuple[float, float, float]]
"""One named procedural-texture parameter: a float, or a linear RGB colour."""

RECORDED_WHEN_SET = {"recorded_when_set": True}
"""Field metadata: `spec_dict` leaves the field out while it holds its default. For fields added
after datasets exist (a PBR texture set, clouds, the sky model): a frame that does not use them
is recorded, and its objects hashed (`simgen.annotations.identity`), byte for byte as before."""


def when_set(default: object) -> object:
    """A spec field recorded only when it differs from `default` (`RECORDED_WHEN_SET`)."""
    return field(default=default, metadata=RECORDED_WHEN_SET)


@dataclass(frozen=True)
class PbrSpec:
    """A user PBR texture set on a material (`materials.pbr_dir`, `simgen.catalog.texture_sets`).

    Attributes:
        name: '<slot>/<set>' inside `materials.pbr_dir`.
        albedo_path, normal_path, roughness_path: absolute paths of the maps ('' for a map the
            set does not have: flat normal, the material's own roughness).
        albedo_linear: the albedo is linear (OpenEXR) rather than sRGB-encoded.
        sha256: digest of the set's files (lineage).
        tile_m: edge length of one repeat of the images on the surface, metres.
        offset_m: shift of the images on the surface (varies the look between materials), metres.
    """

    name: str
    albedo_path: str
    normal_path: str
    roughness_path: str
    albedo_linear: bool
    sha256: str
    tile_m: float
    offset_m: float


@dataclass(frozen=True)
class MaterialSpec:
    """A Principled BSDF material. Colours are linear RGB in [0, 1].

    `texture` names a procedural surface built on top of the base values ('flat': none; see
    `simgen.sampling.materials.TEXTURES` for the others and `simgen.blender.textures` for
    the shader nodes). `texture_params` are its sampled parameters as (name, value) pairs in
    name order, with units in the names (`crack_cell_m`, `dirt_height_m`), so the spec stays
    hashable and JSON-friendly.
    """

    base_color_rgb: tuple[float, float, float]
    roughness: float
    metallic: float = 0.0
    emission_strength: float = 0.0
    emission_color_rgb: tuple[float, float, float] = (1.0, 1.0, 1.0)
    texture: str = "flat"
    texture_params: tuple[TextureParam, ...] = ()
    pbr: PbrSpec | None = when_set(None)  # type: ignore[assignment]

    def texture_param(self, name: str) -> float | tuple[float, float, float]:
        """The value of one texture parameter (KeyError if the texture has none of that name)."""
        return dict(self.texture_params)[name]


@dataclass(frozen=True)
class PropSpec:
    """One object in the scene: which recipe builds it, with what parameters, where.

    Attributes:
        name: unique within the frame, e.g. 'car_003'.
        asset: the catalog entry it was drawn from.
        recipe: the procedural recipe (see `assets/recipes`) that builds its mesh.
        params: the recipe parameters, resolved (metres, degrees).
        location_m: world position of the footprint centre on its support surface, metres.
        yaw_deg: rotation about world z; 0 means the object's +x points along world +x.
        materials: material slot name -> material.
        category: label category name, or None for unlabeled scenery.
        instance_index: 1..32767 for labeled objects (Cycles pass_index), 0 for scenery.
    """

    name: str
    asset: str
    recipe: str
    params: dict[str, float]
    location_m: tuple[float, float, float]
    yaw_deg: float
    materials: dict[str, MaterialSpec]
    category: str | None = None
    instance_index: int = 0


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
class HdriSpec:
    """The HDRI environment lighting a frame (`lighting.hdri_dir`), instead of the sky and sun lamp.

    Attributes:
        name: file name inside `lighting.hdri_dir`.
        path: absolute path of the file.
        sha256: hex digest of the file's bytes.
        rotation_deg: rotation of the environment about world z (a feature at image azimuth a
            appears at world azimuth a - rotation_deg; `simgen.catalog.environments`).
        strength: the world background strength multiplying the image's radiance.
    """

    name: str
    path: str
    sha256: str
    rotation_deg: float
    strength: float


@dataclass(frozen=True)
class CloudSpec:
    """The procedural cloud layer of the sky (`lighting.cloud_coverage`), in the world only.

    Attributes:
        cloud_type: 'cumulus' (puffy, high contrast), 'stratus' (a smooth sheet) or 'cirrus'
            (thin streaks); `simgen.sampling.lighting.CLOUD_TYPES` holds their shapes.
        coverage: share of the sky covered, 0..1.
        scale_per_km: noise frequency on the cloud plane, 1/km.
        stretch: the noise is this many times longer along `wind_deg` than across.
        wind_deg: azimuth of the stretch (from world +x towards +y), degrees.
        softness: width of the cloud edge in noise units (larger: softer).
        brightness: cloud radiance relative to the grey level of the clear sky 10 deg above
            the horizon, side-lit (`simgen.blender.world`).
        opacity: how much of the sky behind a fully dense cloud it hides, 0..1.
        offset_km: shift of the pattern on the cloud plane (different clouds every frame), km.
    """

    cloud_type: str
    coverage: float
    scale_per_km: float
    stretch: float
    wind_deg: float
    softness: float
    brightness: float
    opacity: float
    offset_km: tuple[float, float]


@dataclass(frozen=True)
class LightingSpec:
    """Sun, sky and (after dusk) artificial lights. Azimuth from world +x towards +y, degrees.

    Attributes:
        sun_strength_w_m2: the sun lamp's irradiance as built: the sampled strength faded to 0
            as the sun sets (elevation 4 deg -> -2 deg), before weather's cloud dimming.
        sky_strength: Hosek-Wilkie sky strength; with the sun below the horizon, the strength of
            a flat night-blue background instead.
        time_of_day: 'day' (sun elevation >= 6 deg), 'dusk' (-6..6 deg) or 'night' (< -6 deg).
        lights_on: street lamps, lit windows and vehicle head/tail lights are on.
        lamp_locations_m: world positions of the lamp heads (point lights), metres.
        lamp_power_w: power of each lamp's point light, watts.
        lamp_color_rgb: linear RGB of the lamps (from a colour temperature).
        lit_windows: names of the building props whose windows glow.
        window_emission_strength: emission strength of lit window panes.
        vehicle_light_strength: emission strength of head and tail light surfaces.
        sun_color_rgb: linear RGB of the sun lamp, from `sun_color_temperature_k`.
        sky_model: Blender's sky model ('hosek_wilkie', 'preetham', 'single_scattering',
            'multiple_scattering'; `simgen.sampling.lighting.SKY_MODELS`).
        clouds: the procedural cloud layer over the sky, or None for a clear sky.
        hdri: the HDRI environment of the frame, or None for the procedural sky. With one, there
            is no sun lamp (`sun_strength_w_m2` 0: the image carries the sun) and
            `sun_elevation_deg` / `sun_azimuth_deg` are the environment's brightest direction
            as rotated into the world (they decide `time_of_day` and the night lights).
    """

    sun_elevation_deg: float
    sun_azimuth_deg: float
    sun_strength_w_m2: float
    sun_angle_deg: float
    sky_strength: float
    sky_turbidity: float
    exposure_ev: float
    time_of_day: str = "day"
    lights_on: bool = False
    lamp_locations_m: tuple[tuple[float, float, float], ...] = ()
    lamp_power_w: float = 0.0
    lamp_color_temperature_k: float = 0.0
    lamp_color_rgb: tuple[float, float, float] = (1.0, 1.0, 1.0)
    lit_windows: tuple[str, ...] = ()
    window_emission_strength: float = 0.0
    vehicle_light_strength: float = 0.0
    sun_color_temperature_k: float = 5800.0
    sun_color_rgb: tuple[float, float, float] = (1.0, 1.0, 1.0)
    hdri: HdriSpec | None = None
    sky_model: str = when_set("hosek_wilkie")  # type: ignore[assignment]
    clouds: CloudSpec | None = when_set(None)  # type: ignore[assignment]


@dataclass(frozen=True)
class WeatherSpec:
    """The frame's weather, resolved (defaults: clear). See `simgen/sampling/weather.py`.

    Attributes:
        condition: 'clear', or the present phenomena joined by '+', e.g. 'rain+fog'.
        cloudiness: 0 (clear sky) .. 1 (overcast: sun dimmed 85 %, grey sky).
        fog_density_per_m: Koschmieder extinction beta = 3.912 / fog_visibility_m (0 without fog).
        fog_start_m: fog begins this far from the camera (ray distance), metres.
        fog_brightness: display-linear grey level of the fog colour.
        road_wetness: 0 (dry) .. 1 (soaked): darker, glossier asphalt; 0 without rain.
        puddle_coverage: share of the road under standing water (a noise mask).
        puddle_offset: offset of the puddle noise pattern (varies puddles between frames).
        rain_streak_seed: seed of the falling-rain streak overlay (0 = no streaks).
        snow_cover: 0 .. 1, how much of the upward-facing surfaces is white (0 without snow).
        snowfall: 0 .. 1, density of falling flakes; snowflake_seed: their pattern (0 = none).
    """

    condition: str = "clear"
    cloudiness: float = 0.0
    fog: bool = False
    fog_mode: str = "depth"
    fog_visibility_m: float = 0.0
    fog_density_per_m: float = 0.0
    fog_start_m: float = 0.0
    fog_brightness: float = 0.0
    rain: bool = False
    rain_intensity: float = 0.0
    road_wetness: float = 0.0
    puddle_coverage: float = 0.0
    puddle_offset: float = 0.0
    rain_streak_seed: int = 0
    snow: bool = False
    snow_cover: float = 0.0
    snowfall: float = 0.0
    snowflake_seed: int = 0


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


@dataclass(frozen=True)
class LaneSpec:
    """A driving lane: centre line at x = center_x_m, running along world y."""

    center_x_m: float
    width_m: float
    direction: int  # +1: traffic drives towards +y, -1: towards -y


@dataclass(frozen=True)
class ParkingStripSpec:
    """A strip of road along a curb where cars park, parallel to the curb.

    Attributes:
        x_range_m: (x_min, x_max) across the road, metres (outside every driving lane).
        y_range_m: (start, end) along the road, metres.
        direction: +1: parked cars face +y (the right-hand side), -1: they face -y.
    """

    x_range_m: tuple[float, float]
    y_range_m: tuple[float, float]
    direction: int


@dataclass(frozen=True)
class Footprint:
    """A ground footprint, an oriented rectangle on z = 0: centre (x, y) in metres, length along
    its yaw direction, width across it, yaw in degrees from world +x. Its corners and the overlap
    test are geometry (`simgen.geometry.footprint`)."""

    center_x_m: float
    center_y_m: float
    length_m: float
    width_m: float
    yaw_deg: float

    def grown(self, margin_m: float) -> Footprint:
        """The same rectangle with `margin_m` added on every side."""
        return Footprint(self.center_x_m, self.center_y_m, self.length_m + 2 * margin_m,
                         self.width_m + 2 * margin_m, self.yaw_deg)


@dataclass(frozen=True)
class LayoutSpec:
    """The static street: drivable lanes, walkable areas, and unlabeled scenery props.

    Attributes:
        y_range_m: (start, end) of the road along world y, metres.
        sidewalks_x_m: (x_min, x_max) strips where pedestrians may stand, on top of the curb.
        curb_height_m: height of sidewalk tops above the road (z = 0), metres.
        ego_lane: index into `lanes` of the lane the camera rides in.
        scenery: buildings, poles, trees, road surface and markings (instance index 0).
        blocked_footprints: ground areas taken by scenery that road users must keep clear of.
        parking_strips: where parked cars stand (empty: the layout has no parking).
    """

    name: str
    lanes: tuple[LaneSpec, ...]
    y_range_m: tuple[float, float]
    road_half_width_m: float
    sidewalks_x_m: tuple[tuple[float, float], ...]
    curb_height_m: float
    ego_lane: int
    scenery: tuple[PropSpec, ...]
    blocked_footprints: tuple[Footprint, ...] = ()
    parking_strips: tuple[ParkingStripSpec, ...] = ()


@dataclass(frozen=True)
class ObstacleSpec:
    """A rare obstacle of the frame (its mesh and pose are the `PropSpec` of the same name).

    Attributes:
        name: the prop's name, e.g. 'obstacle_00'.
        category: its class, e.g. 'deer'.
        distance_m: distance ahead of the camera along the road (world y), metres.
        quota: True for the obstacle a quota frame places in the ego lane.
        planned_visible_fraction: for quota obstacles, the silhouette fraction in the image and not
            behind traffic, computed before rendering; None for the others.
    """

    name: str
    category: str
    distance_m: float
    quota: bool
    planned_visible_fraction: float | None = None


@dataclass(frozen=True)
class FrameSpec:
    """Everything needed to rebuild and re-render one frame exactly."""

    frame_index: int
    run_seed: int
    cycles_seed: int
    scenario: str
    camera: CameraSpec
    lighting: LightingSpec
    layout: LayoutSpec
    objects: tuple[PropSpec, ...] = field(default=())
    obstacles: tuple[ObstacleSpec, ...] = field(default=())
    quota_frame: bool = False
    weather: WeatherSpec = field(default_factory=WeatherSpec)
    sensor: SensorSpec = field(default_factory=SensorSpec)
    motion: MotionSpec = field(default_factory=MotionSpec)

    @property
    def has_motion_blur(self) -> bool:
        """True when the shutter is open long enough for anything to move relative to the camera."""
        motion = self.motion
        moving = any(v != 0.0 for v in motion.ego_velocity_m_s) or any(
            any(c != 0.0 for c in v) for v in motion.object_velocities_m_s.values())
        return self.sensor.shutter_s > 0.0 and moving

    @property
    def labeled_objects(self) -> tuple[PropSpec, ...]:
        return tuple(o for o in self.objects if o.category is not None)


_ATOMIC = frozenset({float, int, str, bool, type(None)})
_FIELD_NAMES: dict[type, tuple[tuple[str, bool, object], ...]] = {}


def _recorded_fields(kind: type) -> tuple[tuple[str, bool, object], ...]:
    """(name, recorded only when set, default) of each field of dataclass `kind`."""
    return tuple((f.name, bool(f.metadata.get("recorded_when_set")), f.default) for f in dataclasses.fields(kind))


def spec_dict(value: object) -> object:
    """`dataclasses.asdict` of a spec (or any plain value), equal to it and several times faster.

    Specs hold plain values only, so the recursion needs no deep copies: immutable leaves, and
    tuples of them, are shared; dataclasses become dicts, other tuples stay tuples, lists and
    dicts are copied. Any other leaf is deep-copied, as `asdict` does. Fields marked
    `RECORDED_WHEN_SET` are left out while they hold their default.
    """
    kind = type(value)
    if kind in _ATOMIC:
        return value
    if kind is tuple:
        for item in value:  # type: ignore[attr-defined]
            if type(item) not in _ATOMIC:
                return tuple(spec_dict(item) for item in value)  # type: ignore[attr-defined]
        return value
    if kind is dict:
        return {key if type(key) is str else spec_dict(key): spec_dict(item)
                for key, item in value.items()}  # type: ignore[attr-defined]
    if kind is list:
        return [spec_dict(item) for item in value]  # type: ignore[attr-defined]
    names = _FIELD_NAMES.get(kind)
    if names is None and dataclasses.is_dataclass(kind):
        names = _FIELD_NAMES.setdefault(kind, _recorded_fields(kind))
    if names is not None:
        out = {}
        for name, optional, default in names:
            item = getattr(value, name)
            if not (optional and item == default):
                out[name] = spec_dict(item)
        return out
    return copy.deepcopy(value)
