"""Environment specs: sun, sky, clouds, HDRI, night lights and weather."""

from __future__ import annotations

from dataclasses import dataclass

from simgen.specs.recording import when_set


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
        exposure_ev: with `exposure_mode` 'fixed', the view exposure (EV); with 'metered', the
            exposure compensation added to the metered EV.
        exposure_mode: 'fixed' or 'metered' (the renderer meters the Combined pass after the
            render: `simgen.render.exposure`; the metered EV is in the frame record).
        metering_target: metered mode: the scene-linear luminance the median pixel is brought to.
        metering_min_ev, metering_max_ev: metered mode: the clamp on the metered EV.
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
    exposure_mode: str = when_set("fixed")  # type: ignore[assignment]
    metering_target: float = when_set(0.18)  # type: ignore[assignment]
    metering_min_ev: float = when_set(-4.0)  # type: ignore[assignment]
    metering_max_ev: float = when_set(4.0)  # type: ignore[assignment]


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
