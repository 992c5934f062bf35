"""Night lights: street-lamp spot lights and emissive windows and vehicle lights.

Applies what `simgen.sampling.lighting` recorded in the `LightingSpec`; draws nothing.
"""

from __future__ import annotations

import math

import bpy

from simgen.specs import LightingSpec, MaterialSpec, PropSpec

WINDOW_LIT_RGB = (1.0, 0.62, 0.32)  # warm interior light, linear RGB
HEADLIGHT_RGB = (1.0, 0.95, 0.85)
TAILLIGHT_RGB = (1.0, 0.02, 0.01)
LAMP_RADIUS_M = 0.15
LAMP_CONE_DEG = 130.0


def emissive_overrides(lighting: LightingSpec, prop: PropSpec) -> dict[str, MaterialSpec]:
    """Material slots of `prop` that glow under this lighting (lit windows, head/tail lights)."""
    if not lighting.lights_on:
        return {}
    overrides = {}
    if prop.name in lighting.lit_windows and "window" in prop.materials:
        overrides["window"] = MaterialSpec(WINDOW_LIT_RGB, 0.3, 0.0, lighting.window_emission_strength, WINDOW_LIT_RGB)
    if lighting.vehicle_light_strength > 0:
        for slot, rgb in (("headlight", HEADLIGHT_RGB), ("taillight", TAILLIGHT_RGB)):
            if slot in prop.materials:
                overrides[slot] = MaterialSpec(prop.materials[slot].base_color_rgb, 0.2, 0.0,
                                               lighting.vehicle_light_strength, rgb)
    return overrides


def build_street_lamps(lighting: LightingSpec, scene: bpy.types.Scene) -> None:
    """A downward spot light under each lamp head (spots shine along their local -Z)."""
    for i, location in enumerate(lighting.lamp_locations_m):
        light = bpy.data.lights.new(f"lamp_{i:03d}", type="SPOT")
        light.energy = lighting.lamp_power_w
        light.color = lighting.lamp_color_rgb
        light.shadow_soft_size = LAMP_RADIUS_M
        light.spot_size = math.radians(LAMP_CONE_DEG)
        light.spot_blend = 0.4
        obj = bpy.data.objects.new(f"lamp_{i:03d}", light)
        obj.location = location
        scene.collection.objects.link(obj)
