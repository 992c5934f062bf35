"""Lighting sampler: sun and sky, and after dusk street lamps, lit windows and vehicle lights.

Everything sampled is recorded in the `LightingSpec`; the builder only applies it. Every draw
comes from the frame's lighting stream and is made whether or not the lights end up on, so the
number of draws depends only on the layout (one window draw per building), never on a lighting
value.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from simgen.catalog.environments import Environment
from simgen.config.schema import LightingConfig
from simgen.specs import CloudSpec, HdriSpec, LayoutSpec, LightingSpec, PropSpec

DAY_MIN_ELEVATION_DEG = 6.0
NIGHT_MAX_ELEVATION_DEG = -6.0  # civil twilight ends
SUN_FADE_DEG = (-2.0, 4.0)  # the sun lamp fades out linearly between these elevations
SKY_MODELS: tuple[str, ...] = next(f for f in dataclasses.fields(LightingConfig)
                                   if f.name == "sky_model").metadata["choices"]
"""`lighting.sky_model` choices: the sky types of Blender 5.0's Sky Texture node (bpy 5.0.1
`ShaderNodeTexSky.sky_type`, lower case; `simgen.blender.world.SKY_TYPES`)."""
CLOUD_TYPES: dict[str, dict[str, tuple[float, float]]] = {
    "cumulus": {"scale_per_km": (1.5, 3.0), "stretch": (1.0, 1.6), "softness": (0.04, 0.08),
                "brightness": (1.3, 1.8), "opacity": (0.9, 1.0)},
    "stratus": {"scale_per_km": (0.4, 0.9), "stretch": (1.5, 3.0), "softness": (0.15, 0.3),
                "brightness": (0.9, 1.2), "opacity": (0.8, 0.95)},
    "cirrus": {"scale_per_km": (1.0, 2.0), "stretch": (5.0, 10.0), "softness": (0.08, 0.15),
               "brightness": (1.1, 1.5), "opacity": (0.4, 0.7)},
}
"""Each cloud type's shape parameters and the uniform [low, high] they are drawn from
(`CloudSpec` says what they mean)."""
CLOUD_SHAPE_NAMES = ("scale_per_km", "stretch", "softness", "brightness", "opacity")
CLOUD_OFFSET_KM = 1000.0


def time_of_day(sun_elevation_deg: float) -> str:
    """'day' (>= 6 deg), 'dusk' (-6..6 deg) or 'night' (< -6 deg)."""
    if sun_elevation_deg >= DAY_MIN_ELEVATION_DEG:
        return "day"
    return "dusk" if sun_elevation_deg >= NIGHT_MAX_ELEVATION_DEG else "night"


def kelvin_to_rgb(temperature_k: float) -> tuple[float, float, float]:
    """Approximate linear RGB (max channel 1) of a black body at `temperature_k` (1000-12000 K).

    Tanner Helland's fit of the sRGB-encoded colour, decoded with gamma 2.2.
    """
    t = temperature_k / 100.0
    red = 255.0 if t <= 66 else 329.698727446 * (t - 60) ** -0.1332047592
    green = 99.4708025861 * math.log(t) - 161.1195681661 if t <= 66 else 288.1221695283 * (t - 60) ** -0.0755148492
    blue = 255.0 if t >= 66 else (0.0 if t <= 19 else 138.5177312231 * math.log(t - 10) - 305.0447927307)
    srgb = np.clip(np.array([red, green, blue]) / 255.0, 0.0, 1.0)
    linear = srgb ** 2.2
    return tuple(float(v) for v in linear / linear.max())  # type: ignore[return-value]


def lamp_head_m(prop: PropSpec) -> tuple[float, float, float]:
    """World position just below a street lamp's head (end of its arm), metres.

    Mirrors `simgen.catalog.recipes.street.build_pole`: the arm runs along the pole's local +x at
    height height_m - 2.5 radius_m.
    """
    height, radius, arm = prop.params["height_m"], prop.params["radius_m"], prop.params["arm_length_m"]
    reach = arm - min(0.6, 0.35 * arm) / 2
    yaw = math.radians(prop.yaw_deg)
    x, y, z = prop.location_m
    return (x + reach * math.cos(yaw), y + reach * math.sin(yaw), z + height - 2.5 * radius - 0.25)


def sample_hdri(cfg: LightingConfig, rng: np.random.Generator,
                environments: tuple[Environment, ...]) -> tuple[HdriSpec | None, Environment | None]:
    """Whether this frame is lit by an HDRI, which one, its rotation and strength. Draws only when
    `environments` is not empty (i.e. `lighting.hdri_dir` is set), and then always the same four."""
    if not environments:
        return None, None
    use = rng.uniform() < float(cfg.hdri_probability.sample(rng))
    env = environments[int(rng.integers(len(environments)))]
    rotation = float(cfg.hdri_rotation_deg.sample(rng)) % 360.0
    strength = float(cfg.hdri_strength.sample(rng))
    if not use:
        return None, None
    return HdriSpec(name=env.name, path=env.path, sha256=env.sha256, rotation_deg=rotation, strength=strength), env


def sample_clouds(cfg: LightingConfig, rng: np.random.Generator) -> CloudSpec | None:
    """The frame's cloud layer (None: clear sky, coverage 0). The same draws every frame
    (coverage, type, five shape parameters, wind, offset), whatever the values drawn."""
    coverage = float(cfg.cloud_coverage.sample(rng))
    cloud_type = str(cfg.cloud_type.sample(rng))
    unit = rng.uniform(size=len(CLOUD_SHAPE_NAMES))
    shape = {name: low + (high - low) * float(u)
             for u, (name, (low, high)) in zip(unit, CLOUD_TYPES[cloud_type].items(), strict=True)}
    wind = float(rng.uniform(0.0, 360.0))
    offset = rng.uniform(0.0, CLOUD_OFFSET_KM, size=2)
    if coverage <= 0.0:
        return None
    return CloudSpec(cloud_type=cloud_type, coverage=coverage, wind_deg=wind,
                     offset_km=(float(offset[0]), float(offset[1])), **shape)


def sample_lighting(cfg: LightingConfig, rng: np.random.Generator, layout: LayoutSpec | None = None,
                    environments: tuple[Environment, ...] = ()) -> LightingSpec:
    """Draw sun, sky (its model, and clouds when `cloud_coverage` > 0), exposure and the night
    lights (lamps on the layout's poles, lit windows); with `environments` (`lighting.hdri_dir`),
    maybe an HDRI that replaces the sky, its clouds and the sun lamp (its brightest direction is
    then the recorded sun)."""
    elevation = float(cfg.sun_elevation_deg.sample(rng))
    azimuth = float(cfg.sun_azimuth_deg.sample(rng)) % 360.0
    strength = float(cfg.sun_strength_w_m2.sample(rng))
    angle = float(cfg.sun_angle_deg.sample(rng))
    sky = float(cfg.sky_strength.sample(rng))
    turbidity = float(cfg.sky_turbidity.sample(rng))
    exposure = float(cfg.exposure_ev.sample(rng))
    lamp_power = float(cfg.lamp_power_w.sample(rng))
    temperature = float(cfg.lamp_color_temperature_k.sample(rng))
    window_probability = float(cfg.window_lit_probability.sample(rng))
    window_strength = float(cfg.window_emission_strength.sample(rng))
    vehicle_strength = float(cfg.vehicle_light_strength.sample(rng))
    scenery = layout.scenery if layout is not None else ()
    buildings = [p.name for p in scenery if p.recipe == "building"]
    window_draws = rng.uniform(size=len(buildings))
    sun_temperature = float(cfg.sun_color_temperature_k.sample(rng))
    hdri, env = sample_hdri(cfg, rng, environments)
    clouds = sample_clouds(cfg, rng)
    if env is not None:
        clouds = None  # the image is the sky
        azimuth, elevation = env.sun_deg(hdri.rotation_deg)
        strength = 0.0  # the image carries the sun: no sun lamp
    lights_on = elevation < cfg.lights_on_below_deg
    fade = min(1.0, max(0.0, (elevation - SUN_FADE_DEG[0]) / (SUN_FADE_DEG[1] - SUN_FADE_DEG[0])))
    lit = tuple(n for n, u in zip(buildings, window_draws, strict=True) if lights_on and u < window_probability)
    lamps = tuple(lamp_head_m(p) for p in scenery if p.recipe == "pole" and p.params.get("has_arm", 1.0) >= 0.5)
    return LightingSpec(
        sun_elevation_deg=elevation, sun_azimuth_deg=azimuth, sun_strength_w_m2=strength * fade,
        sun_angle_deg=angle, sky_strength=sky, sky_turbidity=turbidity, exposure_ev=exposure,
        time_of_day=time_of_day(elevation), lights_on=lights_on,
        lamp_locations_m=lamps if lights_on else (), lamp_power_w=lamp_power if lights_on else 0.0,
        lamp_color_temperature_k=temperature, lamp_color_rgb=kelvin_to_rgb(temperature),
        lit_windows=lit,
        window_emission_strength=window_strength if lights_on else 0.0,
        vehicle_light_strength=vehicle_strength if lights_on else 0.0,
        sun_color_temperature_k=sun_temperature, sun_color_rgb=kelvin_to_rgb(sun_temperature), hdri=hdri,
        sky_model=cfg.sky_model, clouds=clouds, exposure_mode=cfg.exposure_mode,
        metering_target=cfg.metering_target, metering_min_ev=cfg.metering_min_ev,
        metering_max_ev=cfg.metering_max_ev,
    )
