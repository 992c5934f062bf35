"""The `lighting` group: sun, sky, clouds, HDRI environments and night lights (`simgen/sampling/lighting.py`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from simgen.config.fields import bounded, dist, dist_of_names, one_of


@dataclass
class LightingConfig:
    """Sun lamp plus a physically based sky texture."""

    sun_elevation_deg: Any = dist({"uniform": [15.0, 65.0]}, -90.0, 90.0)
    sun_azimuth_deg: Any = dist({"uniform": [0.0, 360.0]}, -360.0, 360.0)
    sun_strength_w_m2: Any = dist({"uniform": [3.0, 5.0]}, 0.0, 1000.0)
    sun_angle_deg: Any = dist(0.5, 0.0, 30.0)
    sky_strength: Any = dist({"uniform": [1.6, 2.4]}, 0.0, 100.0)
    sky_turbidity: Any = dist({"uniform": [2.0, 5.0]}, 1.0, 10.0)
    exposure_ev: Any = dist(0.0, -10.0, 10.0)
    """The view exposure (EV) with `exposure_mode` fixed; with metered, the exposure
    compensation added to the metered EV (docs/skies.md, "Exposure")."""
    exposure_mode: str = one_of("fixed", "fixed", "metered")
    """fixed: the view exposure is `exposure_ev`, whatever the light. metered: like a camera's
    auto-exposure, after the render the median scene-linear luminance of the Combined pass is
    brought to `metering_target`, the gain clamped to [metering_min_ev, metering_max_ev]
    (`simgen.render.exposure`), then `exposure_ev` is added."""
    metering_target: float = bounded(0.18, 0.001, 1.0)
    """Metered mode: the scene-linear luminance the median pixel is exposed to (0.18: mid-grey)."""
    metering_min_ev: float = bounded(-4.0, -16.0, 0.0)
    """Metered mode: the lowest metered EV (the most a bright frame is darkened)."""
    metering_max_ev: float = bounded(4.0, 0.0, 16.0)
    """Metered mode: the highest metered EV (a camera's gain limit; keeps night frames dark)."""
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
