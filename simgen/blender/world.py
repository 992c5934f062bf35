"""The world shader: Blender 5.0's procedural sky with an optional cloud layer, or an HDRI.

The world is background only: nothing here touches the objects, so the Object Index, Material
Index and Depth passes do not depend on it (tests/blender/test_sky.py renders with and without
clouds). Built afresh every frame from the `LightingSpec` (values as constants); draws nothing.

Sky models (`lighting.sky_model`) map to the Sky Texture node's `sky_type` (bpy 5.0.1:
SINGLE_SCATTERING, MULTIPLE_SCATTERING, PREETHAM, HOSEK_WILKIE). The scattering models (the
reworked Nishita sky of Blender 5.0) are physically scaled and far brighter than Hosek-Wilkie:
`SKY_MODEL_SCALE` brings their mean upper-hemisphere radiance to Hosek-Wilkie's at 30 deg sun
elevation (measured on equirectangular renders of the bare sky, bpy 5.0.1). They place the sun
by elevation and `sun_rotation`, which is 90 deg - azimuth in our convention (azimuth from +x
towards +y; measured on the same renders); their sun disc is off, because the sun lamp is the
sun. `sky_turbidity` sets their aerosol density (turbidity / 2: 2 gives Blender's clear-day 1).

Clouds (`CloudSpec`): the view direction is projected onto a plane `CLOUD_HEIGHT_KM` up, so
clouds shrink towards the horizon; there fractal noise, stretched along the wind, thresholded to
cover about `coverage` of the sky, fades out over the lowest `CLOUD_HORIZON_FADE` of elevation
sine, and is mixed over the sky in a grey `brightness` times the clear sky's grey level 10 deg
above the horizon (a cloud lit from the side), so clouds follow the sky's brightness at dusk.
"""

from __future__ import annotations

import math

import bpy

from simgen.blender.nodes import socket_by_id
from simgen.specs import CloudSpec, HdriSpec, LightingSpec

NIGHT_SKY_RGB = (0.004, 0.006, 0.014)
"""Linear RGB of the flat sky once the sun is 6 deg below the horizon (times sky_strength)."""
SKY_TYPES = {"hosek_wilkie": "HOSEK_WILKIE", "preetham": "PREETHAM", "single_scattering": "SINGLE_SCATTERING",
             "multiple_scattering": "MULTIPLE_SCATTERING"}
SKY_MODEL_SCALE = {"hosek_wilkie": 1.0, "preetham": 0.16, "single_scattering": 0.027, "multiple_scattering": 0.017}
"""Background strength factor per sky model (see the module docstring)."""
CLOUD_HEIGHT_KM = 2.0
CLOUD_HORIZON_FADE = 0.15
OVERCAST_RGB = (0.35, 0.37, 0.40)


def new_world(scene: bpy.types.Scene) -> tuple[bpy.types.NodeTree, bpy.types.Node]:
    """A new world for the scene, its Background node linked to the World Output; returns (its
    node tree, the Background node) for the caller to feed colour and strength."""
    world = bpy.data.worlds.new("world")
    scene.world = world
    tree = world.node_tree
    background = tree.nodes.get("Background") or tree.nodes.new("ShaderNodeBackground")
    output = tree.nodes.get("World Output") or tree.nodes.new("ShaderNodeOutputWorld")
    tree.links.new(background.outputs["Background"], output.inputs["Surface"])
    return tree, background


def set_world_sampling(world: bpy.types.World, hdri: bool, sky_map_px: int) -> None:
    """How Cycles samples the world as a light: an HDRI gets Cycles' automatic importance map;
    the procedural sky (clouds included) a `sky_map_px` map, or none for 0
    (`RenderConfig.sky_importance_map_px`). With clouds, Cycles' automatic map would cost 16-20 s
    of scene sync per frame (evaluating the cloud noise for it; 160x120 on the shared 2-core
    machine, measured); the clouds' light is low-frequency, a small map or none suits it."""
    settings = world.cycles
    if hdri:
        settings.sampling_method = "AUTOMATIC"
    elif sky_map_px:
        settings.sampling_method = "MANUAL"
        settings.sample_map_resolution = sky_map_px
    else:
        settings.sampling_method = "NONE"


def build_hdri_world(hdri: HdriSpec, scene: bpy.types.Scene) -> None:
    """The world of an HDRI frame: Generated coordinates (the view direction) rotated about z by
    `rotation_deg` look up the equirectangular image (loaded once per session), times `strength`.
    A world direction of azimuth a sees the image at azimuth a + rotation_deg
    (`simgen.catalog.environments` states the convention; tests/blender/test_hdri.py pins it)."""
    tree, background = new_world(scene)
    coords = tree.nodes.new("ShaderNodeTexCoord")
    mapping = tree.nodes.new("ShaderNodeMapping")
    mapping.inputs["Rotation"].default_value = (0.0, 0.0, math.radians(hdri.rotation_deg))
    texture = tree.nodes.new("ShaderNodeTexEnvironment")
    texture.image = bpy.data.images.load(hdri.path, check_existing=True)
    tree.links.new(coords.outputs["Generated"], mapping.inputs["Vector"])
    tree.links.new(mapping.outputs["Vector"], texture.inputs["Vector"])
    tree.links.new(texture.outputs["Color"], background.inputs["Color"])
    background.inputs["Strength"].default_value = hdri.strength


def sun_direction(elevation_deg: float, azimuth_deg: float) -> tuple[float, float, float]:
    """Unit vector from the scene towards the sun, world frame (azimuth from +x towards +y)."""
    el, az = math.radians(elevation_deg), math.radians(azimuth_deg)
    return (math.cos(el) * math.cos(az), math.cos(el) * math.sin(az), math.sin(el))


def _sky_node(tree, spec: LightingSpec) -> bpy.types.Node:
    """A Sky Texture node of the spec's model, its sun where the sun lamp is (at least 0.5 deg up)."""
    elevation = max(spec.sun_elevation_deg, 0.5)
    sky = tree.nodes.new("ShaderNodeTexSky")
    sky.sky_type = SKY_TYPES[spec.sky_model]
    if spec.sky_model in ("hosek_wilkie", "preetham"):
        sky.turbidity = spec.sky_turbidity
        sky.sun_direction = sun_direction(elevation, spec.sun_azimuth_deg)
    else:
        sky.sun_disc = False
        sky.sun_elevation = math.radians(elevation)
        sky.sun_rotation = math.radians((90.0 - spec.sun_azimuth_deg) % 360.0)
        sky.aerosol_density = spec.sky_turbidity / 2.0
    return sky


def _node(tree, kind: str, **values):
    node = tree.nodes.new(kind)
    for name, value in values.items():
        setattr(node, name, value)
    return node


def _math(tree, operation: str, a, b=None):
    node = _node(tree, "ShaderNodeMath", operation=operation)
    for socket, value in zip(node.inputs, (a, b), strict=False):
        if isinstance(value, bpy.types.NodeSocket):
            tree.links.new(value, socket)
        elif value is not None:
            socket.default_value = value
    return node.outputs["Value"]


def _ramp(tree, value, low: float, high: float):
    """Clamped 0..1 ramp of `value` over [low, high]."""
    node = tree.nodes.new("ShaderNodeMapRange")
    tree.links.new(value, node.inputs["Value"])
    node.inputs["From Min"].default_value = low
    node.inputs["From Max"].default_value = high
    return node.outputs["Result"]


def _mix(tree, factor, a, b):
    """Colour a where factor = 0, b where 1 (each a socket or an RGB tuple)."""
    node = _node(tree, "ShaderNodeMix", data_type="RGBA", clamp_factor=True)
    for identifier, value in (("Factor_Float", factor), ("A_Color", a), ("B_Color", b)):
        socket = socket_by_id(node.inputs, identifier)
        if isinstance(value, bpy.types.NodeSocket):
            tree.links.new(value, socket)
        else:
            socket.default_value = (*value, 1.0) if isinstance(value, tuple) else value
    return socket_by_id(node.outputs, "Result_Color")


def cloud_threshold(coverage: float) -> float:
    """Noise level above which the sky is cloud: fractal Perlin noise Fac lies mostly in
    0.32..0.68, about linearly distributed in between (so the covered share is about `coverage`)."""
    return 0.68 - 0.36 * coverage


def _cloud_density(tree, clouds: CloudSpec):
    """0..1 cloud density of the view direction (see the module docstring)."""
    xyz = tree.nodes.new("ShaderNodeSeparateXYZ")
    tree.links.new(tree.nodes.new("ShaderNodeTexCoord").outputs["Generated"], xyz.inputs["Vector"])
    up = _math(tree, "MAXIMUM", xyz.outputs["Z"], 0.02)
    plane = tree.nodes.new("ShaderNodeCombineXYZ")
    for axis in "XY":
        tree.links.new(_math(tree, "MULTIPLY", _math(tree, "DIVIDE", xyz.outputs[axis], up), CLOUD_HEIGHT_KM),
                       plane.inputs[axis])
    rotate = _node(tree, "ShaderNodeVectorRotate", rotation_type="Z_AXIS")
    rotate.inputs["Angle"].default_value = -math.radians(clouds.wind_deg)
    tree.links.new(plane.outputs["Vector"], rotate.inputs["Vector"])
    mapping = tree.nodes.new("ShaderNodeMapping")
    mapping.inputs["Scale"].default_value = (clouds.scale_per_km / clouds.stretch, clouds.scale_per_km, 1.0)
    mapping.inputs["Location"].default_value = (*clouds.offset_km, 0.0)
    tree.links.new(rotate.outputs["Vector"], mapping.inputs["Vector"])
    noise = tree.nodes.new("ShaderNodeTexNoise")
    noise.inputs["Scale"].default_value = 1.0
    noise.inputs["Detail"].default_value = 6.0
    tree.links.new(mapping.outputs["Vector"], noise.inputs["Vector"])
    threshold = cloud_threshold(clouds.coverage)
    density = _ramp(tree, noise.outputs["Fac"], threshold, threshold + clouds.softness)
    fade = _ramp(tree, xyz.outputs["Z"], 0.0, CLOUD_HORIZON_FADE)
    return _math(tree, "MULTIPLY", _math(tree, "MULTIPLY", density, fade), clouds.opacity)


def _add_clouds(tree, sky_color, spec: LightingSpec):
    """The sky colour with the spec's cloud layer mixed over it."""
    clouds = spec.clouds
    side_sky = _sky_node(tree, spec)  # the clear sky 10 deg up, 90 deg from the sun
    lookup = tree.nodes.new("ShaderNodeCombineXYZ")
    for axis, value in zip("XYZ", sun_direction(10.0, spec.sun_azimuth_deg + 90.0), strict=True):
        lookup.inputs[axis].default_value = value
    tree.links.new(lookup.outputs["Vector"], side_sky.inputs["Vector"])
    grey = tree.nodes.new("ShaderNodeRGBToBW")
    tree.links.new(side_sky.outputs["Color"], grey.inputs["Color"])
    cloud_rgb = _math(tree, "MULTIPLY", grey.outputs["Val"], clouds.brightness)
    return _mix(tree, _cloud_density(tree, clouds), sky_color, cloud_rgb)


def build_sky_world(spec: LightingSpec, scene: bpy.types.Scene, cloudiness: float = 0.0) -> None:
    """The procedural sky: the spec's sky model, its clouds (if any), the weather's overcast grey
    (`cloudiness` 0..1: up to 80 %), fading over the 6 deg below the horizon into a flat night
    blue; background strength `sky_strength` times the model's `SKY_MODEL_SCALE`."""
    tree, background = new_world(scene)
    color = _sky_node(tree, spec).outputs["Color"]
    if spec.clouds is not None:
        color = _add_clouds(tree, color, spec)
    day = min(1.0, max(0.0, (spec.sun_elevation_deg + 6.0) / 6.0))
    overcast = _mix(tree, 0.8 * cloudiness, color, OVERCAST_RGB)
    night = _mix(tree, day, NIGHT_SKY_RGB, overcast)
    tree.links.new(night, background.inputs["Color"])
    background.inputs["Strength"].default_value = spec.sky_strength * SKY_MODEL_SCALE[spec.sky_model]
