"""Building blocks of the procedural textures' shader graphs (`simgen.blender.textures`):
noise blobs and masks, clamped ramps, math and mix nodes, Blender's brick texture in metres, and
the shading point's object coordinates (metres in the object's own frame, shifted by a
material's `offset_m`). Each takes the node tree and sockets or values (`simgen.blender.nodes.feed`)
and returns the output socket it made. Draws nothing.
"""

from __future__ import annotations

from simgen.blender.nodes import Inputs, feed, socket_by_id

DIRT_RGB = (0.10, 0.085, 0.065)
"""The grime the procedural textures mix in: stains, streaks, dirt on paint (linear RGB)."""

Values = dict[str, float | tuple[float, float, float]]
"""Named leaf values of a texture graph: floats, '*_rgb' linear RGB, '*_xyz' metres."""


def pattern_location(offset_m: float) -> tuple[float, float, float]:
    """The Mapping Location (metres) that shifts a pattern by the per-material `offset_m`."""
    return (offset_m, offset_m * 0.7, offset_m * 0.3)


def blob_mask_values(name: str, size_m: float, coverage: float, softness: float) -> Values:
    """Noise scale (1/m) and thresholds of a mask of blobs about `size_m` across covering
    about `coverage` of the surface (`blob_mask`)."""
    threshold = 0.62 - 0.24 * coverage
    return {f"{name}_scale": 1.0 / size_m, f"{name}_from": threshold, f"{name}_to": threshold + softness}


def scaled_rgb(rgb, factor: float) -> tuple[float, float, float]:
    return tuple(min(1.0, c * factor) for c in rgb)  # type: ignore[return-value]


def as_rgb(value) -> tuple[float, float, float]:
    return tuple(float(c) for c in value)  # type: ignore[return-value]


def object_coords(tree, location, stretch=(1.0, 1.0, 1.0)):
    """Object coordinates (metres) shifted by `location` (a '*_xyz' input) and scaled per axis."""
    coords = tree.nodes.new("ShaderNodeTexCoord")
    mapping = tree.nodes.new("ShaderNodeMapping")
    feed(tree, mapping.inputs["Location"], location)
    mapping.inputs["Scale"].default_value = stretch
    tree.links.new(coords.outputs["Object"], mapping.inputs["Vector"])
    return mapping.outputs["Vector"]


def noise_fac(tree, vector, scale_per_m, detail: float = 2.0):
    """Perlin noise Fac, about 0.5 +- 0.15, features about 1/scale_per_m metres across."""
    noise = tree.nodes.new("ShaderNodeTexNoise")
    feed(tree, noise.inputs["Scale"], scale_per_m)
    noise.inputs["Detail"].default_value = detail
    tree.links.new(vector, noise.inputs["Vector"])
    return noise.outputs["Fac"]


def clamped_ramp(tree, value, from_min, from_max, to_min=0.0, to_max=1.0):
    """Clamped linear map of `value` from [from_min, from_max] to [to_min, to_max]."""
    node = tree.nodes.new("ShaderNodeMapRange")
    for name, given in (("Value", value), ("From Min", from_min), ("From Max", from_max), ("To Min", to_min),
                        ("To Max", to_max)):
        feed(tree, node.inputs[name], given)
    return node.outputs["Result"]


def blob_mask(tree, vector, inputs: Inputs, name: str):
    """A 0..1 mask of noise blobs with the scale and thresholds of `blob_mask_values(name, ...)`."""
    noise = noise_fac(tree, vector, inputs[f"{name}_scale"], 2.0)
    return clamped_ramp(tree, noise, inputs[f"{name}_from"], inputs[f"{name}_to"])


def math_node(tree, operation: str, a, b):
    node = tree.nodes.new("ShaderNodeMath")
    node.operation = operation
    feed(tree, node.inputs[0], a)
    feed(tree, node.inputs[1], b)
    return node.outputs["Value"]


def mix_node(tree, kind: str, factor, a, b):
    """A where factor = 0, b where factor = 1 (sockets or values); `kind` is 'Color' (linear RGB)
    or 'Float'."""
    node = tree.nodes.new("ShaderNodeMix")
    node.data_type = {"Color": "RGBA", "Float": "FLOAT"}[kind]
    node.clamp_factor = True
    feed(tree, socket_by_id(node.inputs, "Factor_Float"), factor)
    feed(tree, socket_by_id(node.inputs, f"A_{kind}"), a)
    feed(tree, socket_by_id(node.inputs, f"B_{kind}"), b)
    return socket_by_id(node.outputs, f"Result_{kind}")


def mix_color(tree, factor, a, b):
    return mix_node(tree, "Color", factor, a, b)


def mix_float(tree, factor, a, b):
    return mix_node(tree, "Float", factor, a, b)


def scale_color(tree, color, factor):
    """`color` (linear RGB socket or value) times a scalar `factor` (socket or value)."""
    node = tree.nodes.new("ShaderNodeVectorMath")
    node.operation = "SCALE"
    feed(tree, node.inputs["Vector"], color)
    feed(tree, node.inputs["Scale"], factor)
    return node.outputs["Vector"]


def brick_texture(tree, vector, inputs: Inputs, offset: float, names: tuple[str, ...]):
    """Blender's Brick Texture in metres (Scale 1), its Brick Width, Row Height, Mortar Size,
    Color1, Color2 and Mortar from the inputs `names`: returns (Color, Fac = 1 on mortar)."""
    brick = tree.nodes.new("ShaderNodeTexBrick")
    brick.offset = offset
    brick.offset_frequency = 2
    brick.inputs["Scale"].default_value = 1.0
    brick.inputs["Mortar Smooth"].default_value = 0.2
    brick.inputs["Bias"].default_value = 0.0
    for socket, name in zip(("Brick Width", "Row Height", "Mortar Size", "Color1", "Color2", "Mortar"), names,
                            strict=True):
        feed(tree, brick.inputs[socket], inputs[name])
    tree.links.new(vector, brick.inputs["Vector"])
    return brick.outputs["Color"], brick.outputs["Fac"]


def wall_coords(tree, location):
    """(along the wall, up, 0) for axis-aligned walls: u = x + y, v = z (object metres)."""
    xyz = tree.nodes.new("ShaderNodeSeparateXYZ")
    tree.links.new(object_coords(tree, location), xyz.inputs["Vector"])
    out = tree.nodes.new("ShaderNodeCombineXYZ")
    tree.links.new(math_node(tree, "ADD", xyz.outputs["X"], xyz.outputs["Y"]), out.inputs["X"])
    tree.links.new(xyz.outputs["Z"], out.inputs["Y"])
    return out.outputs["Vector"]


def object_axis(tree, axis: str):
    """One Object coordinate ('X', 'Y' or 'Z') of the shading point, metres, unshifted."""
    coords = tree.nodes.new("ShaderNodeTexCoord")
    xyz = tree.nodes.new("ShaderNodeSeparateXYZ")
    tree.links.new(coords.outputs["Object"], xyz.inputs["Vector"])
    return xyz.outputs[axis]


def object_height(tree):
    """Object-space height z of the shading point, metres."""
    return object_axis(tree, "Z")
