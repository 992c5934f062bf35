"""Weather in the scene: wet asphalt with puddles, snow cover, and a volumetric fog box.

Applies the recorded `WeatherSpec`; draws nothing (the puddle pattern is Blender's procedural
noise at the recorded `puddle_offset`). None of this changes the Depth or Object Index passes:
materials do not, and a volume-only object does not appear in them (bpy 5.0.1, measured; see
/work/shared/reference/platform.md), so labels are identical with and without weather.
"""

from __future__ import annotations

import bpy

from simgen.blender.nodes import Inputs, feed, socket_by_id
from simgen.specs import CameraSpec, WeatherSpec

SNOW_RGB = (0.85, 0.87, 0.9)
PUDDLE_NOISE_SCALE = 0.12  # per metre: puddles a few metres across
SNOW_NOISE_SCALE = 0.8
FOG_VOLUME_NAME = "fog_volume"
FOG_BOX_M = (800.0, 900.0, 40.0)  # x, y, z extent of the fog volume around the camera


WeatherStructure = tuple[bool, bool, bool, bool]
"""(wet, puddles, snow, snow stretched along the road): what the node graph of a material's
weather depends on (`weather_structure`); the amounts are values (`weather_values`)."""


def weather_structure(weather: WeatherSpec, role: str) -> WeatherStructure:
    """Which weather effects a material of this surface role gets: rain wets 'road' and
    'sidewalk' and puddles the road; snow covers every role (stretched along the road)."""
    wet = weather.rain and role in ("road", "sidewalk")
    snow = weather.snow and weather.snow_cover > 0
    return (wet, wet and role == "road" and weather.puddle_coverage > 0, snow, snow and role == "road")


def weather_values(weather: WeatherSpec, role: str) -> dict[str, float | tuple[float, float, float]]:
    """The named values that the weather nodes of a material of this role read (those of
    `weather_structure` only): wet darkening (grey RGB factor) and roughness map, puddle mask
    offset (metres) and thresholds, snow mask thresholds ('road_snow_*' on the road: less)."""
    wet, puddles, snow, on_road = weather_structure(weather, role)
    values: dict[str, float | tuple[float, float, float]] = {}
    if wet:
        dark = 1.0 - 0.45 * weather.road_wetness
        values.update(wet_dark_rgb=(dark, dark, dark), wet_rough_scale=1.0 - weather.road_wetness,
                      wet_rough_add=0.2 * weather.road_wetness)
    if puddles:
        values.update(puddle_xyz=(weather.puddle_offset, weather.puddle_offset * 0.7, 0.0),
                      **_threshold_values("puddle", weather.puddle_coverage, 0.03))
    if snow:
        values.update(_threshold_values(_snow_name(on_road), weather.snow_cover * (0.6 if on_road else 1.0), 0.12))
    return values


def _snow_name(on_road: bool) -> str:
    # Distinct names on the road: an object's fallback material has the 'default' role
    # (simgen.blender.build), so a road object carries both.
    return "road_snow" if on_road else "snow"


def _threshold_values(name: str, coverage: float, softness: float) -> dict[str, float]:
    threshold = 0.62 - 0.24 * coverage  # the noise value is about 0.5 +- 0.1
    return {f"{name}_from": threshold, f"{name}_to": threshold + softness}


def _noise_mask(tree, scale: float, location, from_min, from_max, stretch=(1.0, 1.0, 1.0)):
    """A 0..1 mask from object-space noise shifted by `location`, 1 above the noise value
    `from_max` (`_threshold_values`); `stretch` scales the object coordinates (a small x
    stretches patches along the object's x)."""
    coords = tree.nodes.new("ShaderNodeTexCoord")
    mapping = tree.nodes.new("ShaderNodeMapping")
    feed(tree, mapping.inputs["Location"], location)
    mapping.inputs["Scale"].default_value = stretch
    noise = tree.nodes.new("ShaderNodeTexNoise")
    noise.inputs["Scale"].default_value = scale
    noise.inputs["Detail"].default_value = 3.0
    ramp = tree.nodes.new("ShaderNodeMapRange")
    feed(tree, ramp.inputs["From Min"], from_min)
    feed(tree, ramp.inputs["From Max"], from_max)
    tree.links.new(coords.outputs["Object"], mapping.inputs["Vector"])
    tree.links.new(mapping.outputs["Vector"], noise.inputs["Vector"])
    tree.links.new(noise.outputs["Fac"], ramp.inputs["Value"])
    return ramp.outputs["Result"]


def _source(tree, socket, node_type: str):
    """What feeds `socket`: the linked output, or a constant node (`node_type`: ShaderNodeRGB or
    ShaderNodeValue) holding its default value, so flat and textured materials wet alike."""
    if socket.is_linked:
        return socket.links[0].from_socket
    constant = tree.nodes.new(node_type)
    constant.outputs[0].default_value = socket.default_value
    return constant.outputs[0]


def _scale_color(tree, color, factor):
    """`color` times a grey `factor` (an RGB input; Mix, Multiply blend, factor 1)."""
    node = tree.nodes.new("ShaderNodeMix")
    node.data_type = "RGBA"
    node.blend_type = "MULTIPLY"
    socket_by_id(node.inputs, "Factor_Float").default_value = 1.0
    tree.links.new(color, socket_by_id(node.inputs, "A_Color"))
    feed(tree, socket_by_id(node.inputs, "B_Color"), factor)
    return socket_by_id(node.outputs, "Result_Color")


def build_weather(tree, structure: WeatherStructure, inputs: Inputs) -> None:
    """Add the weather effects of `structure` to a material's node tree, their amounts read from
    `inputs` (`weather_values`)."""
    wet, puddles, snow, on_road = structure
    if wet:
        make_wet(tree, inputs, puddles)
    if snow:
        add_snow(tree, inputs, on_road)


def make_wet(tree, inputs: Inputs, puddles: bool) -> None:
    """Darker, glossier surface; with `puddles`, mirror-like dark water where the noise mask is 1
    (and no bump there: water fills the relief). Works on whatever feeds the BSDF's Base Color
    and Roughness: attributes, constants or procedural textures (`simgen.blender.textures`)."""
    bsdf = tree.nodes["Principled BSDF"]
    dark = _scale_color(tree, _source(tree, bsdf.inputs["Base Color"], "ShaderNodeRGB"), inputs["wet_dark_rgb"])
    tree.links.new(dark, bsdf.inputs["Base Color"])
    rough = tree.nodes.new("ShaderNodeMath")
    rough.operation = "MULTIPLY_ADD"  # r + (0.2 - r) * wet = r * (1 - wet) + 0.2 * wet
    tree.links.new(_source(tree, bsdf.inputs["Roughness"], "ShaderNodeValue"), rough.inputs[0])
    feed(tree, rough.inputs[1], inputs["wet_rough_scale"])
    feed(tree, rough.inputs[2], inputs["wet_rough_add"])
    tree.links.new(rough.outputs["Value"], bsdf.inputs["Roughness"])
    if not puddles:
        return
    mask = _noise_mask(tree, PUDDLE_NOISE_SCALE, inputs["puddle_xyz"], inputs["puddle_from"], inputs["puddle_to"])
    puddle_rough = tree.nodes.new("ShaderNodeMix")
    puddle_rough.data_type = "FLOAT"
    tree.links.new(mask, socket_by_id(puddle_rough.inputs, "Factor_Float"))
    tree.links.new(rough.outputs["Value"], socket_by_id(puddle_rough.inputs, "A_Float"))
    socket_by_id(puddle_rough.inputs, "B_Float").default_value = 0.02
    tree.links.new(socket_by_id(puddle_rough.outputs, "Result_Float"), bsdf.inputs["Roughness"])
    color = tree.nodes.new("ShaderNodeMix")
    color.data_type = "RGBA"
    tree.links.new(mask, socket_by_id(color.inputs, "Factor_Float"))
    tree.links.new(dark, socket_by_id(color.inputs, "A_Color"))
    tree.links.new(_scale_color(tree, dark, (0.5, 0.5, 0.5)), socket_by_id(color.inputs, "B_Color"))
    tree.links.new(socket_by_id(color.outputs, "Result_Color"), bsdf.inputs["Base Color"])
    if bsdf.inputs["Normal"].is_linked and bsdf.inputs["Normal"].links[0].from_node.type == "BUMP":
        bump = bsdf.inputs["Normal"].links[0].from_node
        flatten = tree.nodes.new("ShaderNodeMath")
        flatten.operation = "MULTIPLY_ADD"  # strength * (1 - mask) = mask * -strength + strength
        strength = bump.inputs["Strength"].default_value
        tree.links.new(mask, flatten.inputs[0])
        flatten.inputs[1].default_value = -strength
        flatten.inputs[2].default_value = strength
        tree.links.new(flatten.outputs["Value"], bump.inputs["Strength"])


def add_snow(tree, inputs: Inputs, on_road: bool = False) -> None:
    """Mix a white snow BSDF onto upward-facing parts (normal z > ~0.7), as much of them as the
    mask thresholds of `weather_values` give; on the road the patches are stretched
    along it (slab x = road direction), like driven-on snow."""
    output = tree.nodes["Material Output"]
    surface = output.inputs["Surface"].links[0].from_socket
    snow = tree.nodes.new("ShaderNodeBsdfPrincipled")
    snow.inputs["Base Color"].default_value = (*SNOW_RGB, 1.0)
    snow.inputs["Roughness"].default_value = 0.7
    geometry = tree.nodes.new("ShaderNodeNewGeometry")
    up = tree.nodes.new("ShaderNodeSeparateXYZ")
    slope = tree.nodes.new("ShaderNodeMapRange")
    slope.inputs["From Min"].default_value = 0.65
    slope.inputs["From Max"].default_value = 0.85
    tree.links.new(geometry.outputs["Normal"], up.inputs["Vector"])
    tree.links.new(up.outputs["Z"], slope.inputs["Value"])
    both = tree.nodes.new("ShaderNodeMath")
    both.operation = "MULTIPLY"
    tree.links.new(slope.outputs["Result"], both.inputs[0])
    stretch = (0.08, 1.0, 1.0) if on_road else (1.0, 1.0, 1.0)
    name = _snow_name(on_road)
    mask = _noise_mask(tree, SNOW_NOISE_SCALE, (0.0, 0.0, 0.0), inputs[f"{name}_from"], inputs[f"{name}_to"],
                       stretch)
    tree.links.new(mask, both.inputs[1])
    mix = tree.nodes.new("ShaderNodeMixShader")
    tree.links.new(both.outputs["Value"], mix.inputs["Fac"])
    tree.links.new(surface, mix.inputs[1])
    tree.links.new(snow.outputs["BSDF"], mix.inputs[2])
    tree.links.new(mix.outputs["Shader"], output.inputs["Surface"])


def build_fog_volume(weather: WeatherSpec, camera: CameraSpec, scene: bpy.types.Scene) -> None:
    """A box of Volume Scatter (density = Koschmieder beta) around the camera, for
    `fog_mode: volumetric`. A world volume would block the sun entirely (bpy 5.0.1, measured)."""
    size_x, size_y, size_z = FOG_BOX_M
    mesh = bpy.data.meshes.new("fog_volume")
    x, y = camera.location_m[0], camera.location_m[1]
    corners = [(x + sx * size_x / 2, y - 50.0 + (size_y if sy > 0 else 0.0), -1.0 + (size_z if sz > 0 else 0.0))
               for sz in (-1, 1) for sy in (-1, 1) for sx in (-1, 1)]
    faces = [(0, 2, 3, 1), (4, 5, 7, 6), (0, 1, 5, 4), (2, 6, 7, 3), (0, 4, 6, 2), (1, 3, 7, 5)]
    mesh.from_pydata(corners, [], faces)
    material = bpy.data.materials.new("fog_volume")
    tree = material.node_tree
    tree.nodes.remove(tree.nodes["Principled BSDF"])
    scatter = tree.nodes.new("ShaderNodeVolumeScatter")
    scatter.inputs["Density"].default_value = weather.fog_density_per_m
    tree.links.new(scatter.outputs["Volume"], tree.nodes["Material Output"].inputs["Volume"])
    mesh.materials.append(material)
    obj = bpy.data.objects.new(FOG_VOLUME_NAME, mesh)
    scene.collection.objects.link(obj)
