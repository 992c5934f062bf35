"""Procedural PBR surfaces in Cycles shader nodes, built from a textured `MaterialSpec`.

Every pattern is a function of the shading point's Object coordinates (metres in the object's
own frame; the meshes here have no UVs) shifted by the spec's `offset_m`, so patterns keep
their metric size on every object and differ between materials. Relief is Bump only (a
normal perturbation): nothing here moves geometry, so the Depth and Object Index passes are
the same as with the flat material. Draws nothing: every value comes from the spec.
"""

from __future__ import annotations

import bpy

from simgen.blender.nodes import socket_by_id
from simgen.specs import MaterialSpec

BUMP_DISTANCE_M = 0.004
"""Bump height of a full 0..1 height signal (Bump node 'Distance', object-space metres)."""
DIRT_RGB = (0.10, 0.085, 0.065)
PRIMER_RGB = (0.32, 0.32, 0.30)
BARE_METAL_RGB = (0.55, 0.55, 0.56)


def _feed(tree, socket, value) -> None:
    """Link `value` into `socket` when it is a socket, else set it as the default value."""
    if isinstance(value, bpy.types.NodeSocket):
        tree.links.new(value, socket)
    elif isinstance(value, tuple) and len(value) == 3:
        socket.default_value = (*value, 1.0)
    else:
        socket.default_value = value


def _coords(tree, offset_m: float, stretch=(1.0, 1.0, 1.0)):
    """Object coordinates (metres) + a per-material offset; `stretch` scales them per axis."""
    coords = tree.nodes.new("ShaderNodeTexCoord")
    mapping = tree.nodes.new("ShaderNodeMapping")
    mapping.inputs["Location"].default_value = (offset_m, offset_m * 0.7, offset_m * 0.3)
    mapping.inputs["Scale"].default_value = stretch
    tree.links.new(coords.outputs["Object"], mapping.inputs["Vector"])
    return mapping.outputs["Vector"]


def _noise(tree, vector, scale_per_m: float, detail: float = 2.0):
    """Perlin noise Fac, about 0.5 +- 0.15, features about 1/scale_per_m metres across."""
    noise = tree.nodes.new("ShaderNodeTexNoise")
    noise.inputs["Scale"].default_value = scale_per_m
    noise.inputs["Detail"].default_value = detail
    tree.links.new(vector, noise.inputs["Vector"])
    return noise.outputs["Fac"]


def _ramp(tree, value, from_min: float, from_max: float, to_min: float = 0.0, to_max: float = 1.0):
    """Clamped linear map of `value` from [from_min, from_max] to [to_min, to_max]."""
    node = tree.nodes.new("ShaderNodeMapRange")
    _feed(tree, node.inputs["Value"], value)
    node.inputs["From Min"].default_value = from_min
    node.inputs["From Max"].default_value = from_max
    node.inputs["To Min"].default_value = to_min
    node.inputs["To Max"].default_value = to_max
    return node.outputs["Result"]


def _mask(tree, vector, size_m: float, coverage: float, softness: float = 0.03):
    """A 0..1 mask of noise blobs about `size_m` across covering about `coverage` of the surface."""
    threshold = 0.62 - 0.24 * coverage
    return _ramp(tree, _noise(tree, vector, 1.0 / size_m, 2.0), threshold, threshold + softness)


def _math(tree, operation: str, a, b):
    node = tree.nodes.new("ShaderNodeMath")
    node.operation = operation
    _feed(tree, node.inputs[0], a)
    _feed(tree, node.inputs[1], b)
    return node.outputs["Value"]


def _mix(tree, kind: str, factor, a, b):
    """A where factor = 0, b where factor = 1 (sockets or values); `kind` is 'Color' (linear RGB)
    or 'Float'."""
    node = tree.nodes.new("ShaderNodeMix")
    node.data_type = {"Color": "RGBA", "Float": "FLOAT"}[kind]
    node.clamp_factor = True
    _feed(tree, socket_by_id(node.inputs, "Factor_Float"), factor)
    _feed(tree, socket_by_id(node.inputs, f"A_{kind}"), a)
    _feed(tree, socket_by_id(node.inputs, f"B_{kind}"), b)
    return socket_by_id(node.outputs, f"Result_{kind}")


def _mix_color(tree, factor, a, b):
    return _mix(tree, "Color", factor, a, b)


def _mix_float(tree, factor, a, b):
    return _mix(tree, "Float", factor, a, b)


def _scaled(rgb, factor: float) -> tuple[float, float, float]:
    return tuple(min(1.0, c * factor) for c in rgb)  # type: ignore[return-value]


def _cracks(tree, vector, cell_m: float, width_m: float):
    """1 on thin lines along the edges of irregular cells about `cell_m` across, else 0."""
    wobble = tree.nodes.new("ShaderNodeTexNoise")
    wobble.inputs["Scale"].default_value = 1.5 / cell_m
    wobble.inputs["Detail"].default_value = 2.0
    tree.links.new(vector, wobble.inputs["Vector"])
    warped = tree.nodes.new("ShaderNodeVectorMath")
    warped.operation = "MULTIPLY_ADD"  # vector + (noise colour * 0.6 cell): wandering edges
    tree.links.new(wobble.outputs["Color"], warped.inputs[0])
    warped.inputs[1].default_value = (0.6 * cell_m,) * 3
    tree.links.new(vector, warped.inputs[2])
    voronoi = tree.nodes.new("ShaderNodeTexVoronoi")
    voronoi.feature = "DISTANCE_TO_EDGE"
    voronoi.inputs["Scale"].default_value = 1.0 / cell_m
    tree.links.new(warped.outputs["Vector"], voronoi.inputs["Vector"])
    # Voronoi distances are in scaled units: distance_m = Distance * cell_m.
    return _ramp(tree, voronoi.outputs["Distance"], 0.5 * width_m / cell_m, width_m / cell_m, 1.0, 0.0)


def _bricks(tree, vector, length_m: float, height_m: float, mortar_m: float, offset: float,
            color1, color2, mortar_rgb, variation_bias: float = 0.0):
    """Blender's Brick Texture in metres (Scale 1): returns (Color, Fac = 1 on mortar)."""
    brick = tree.nodes.new("ShaderNodeTexBrick")
    brick.offset = offset
    brick.offset_frequency = 2
    brick.inputs["Scale"].default_value = 1.0
    brick.inputs["Brick Width"].default_value = length_m
    brick.inputs["Row Height"].default_value = height_m
    brick.inputs["Mortar Size"].default_value = mortar_m
    brick.inputs["Mortar Smooth"].default_value = 0.2
    brick.inputs["Bias"].default_value = variation_bias
    _feed(tree, brick.inputs["Color1"], color1)
    _feed(tree, brick.inputs["Color2"], color2)
    _feed(tree, brick.inputs["Mortar"], mortar_rgb)
    tree.links.new(vector, brick.inputs["Vector"])
    return brick.outputs["Color"], brick.outputs["Fac"]


def _wall_coords(tree, offset_m: float):
    """(along the wall, up, 0) for axis-aligned walls: u = x + y, v = z (object metres)."""
    xyz = tree.nodes.new("ShaderNodeSeparateXYZ")
    tree.links.new(_coords(tree, offset_m), xyz.inputs["Vector"])
    out = tree.nodes.new("ShaderNodeCombineXYZ")
    tree.links.new(_math(tree, "ADD", xyz.outputs["X"], xyz.outputs["Y"]), out.inputs["X"])
    tree.links.new(xyz.outputs["Z"], out.inputs["Y"])
    return out.outputs["Vector"], xyz.outputs["Z"]


def _height(tree):
    """Object-space height z of the shading point, metres."""
    coords = tree.nodes.new("ShaderNodeTexCoord")
    xyz = tree.nodes.new("ShaderNodeSeparateXYZ")
    tree.links.new(coords.outputs["Object"], xyz.inputs["Vector"])
    return xyz.outputs["Z"]


def _asphalt(tree, spec: MaterialSpec, p: dict):
    vec = _coords(tree, p["offset_m"])
    base = spec.base_color_rgb
    grain = _noise(tree, vec, p["grain_scale_per_m"], 1.0)
    c = p["grain_contrast"]
    color = _mix_color(tree, _ramp(tree, grain, 0.3, 0.7), _scaled(base, 1 - 2 * c), _scaled(base, 1 + 2 * c))
    patches = _mask(tree, _coords(tree, p["offset_m"] + 37.0, (1.0, 0.6, 1.0)), p["patch_size_m"],
                    p["patch_coverage"], 0.01)
    color = _mix_color(tree, patches, color, _scaled(base, p["patch_tone"]))
    cracks = _cracks(tree, vec, p["crack_cell_m"], p["crack_width_m"])
    cracked_area = _mask(tree, _coords(tree, p["offset_m"] + 91.0), 6.0, p["crack_density"], 0.05)
    crack = _math(tree, "MULTIPLY", cracks, cracked_area)
    color = _mix_color(tree, crack, color, _scaled(base, 0.25))
    rough = _mix_float(tree, grain, spec.roughness - 0.06, min(1.0, spec.roughness + 0.06))
    rough = _mix_float(tree, patches, rough, spec.roughness + (p["patch_tone"] - 1.0) * 0.15)
    rough = _mix_float(tree, crack, rough, 1.0)
    height = _math(tree, "SUBTRACT", _math(tree, "MULTIPLY", grain, 0.5), crack)
    return color, rough, height, {}


def _concrete(tree, spec: MaterialSpec, p: dict):
    vec = _coords(tree, p["offset_m"])
    base, v = spec.base_color_rgb, p["slab_variation"]
    size = p["joint_spacing_m"]
    color, joint = _bricks(tree, vec, size, size, p["joint_width_m"], p["joint_offset"],
                           _scaled(base, 1 - v), _scaled(base, 1 + v), _scaled(base, 0.45))
    grain = _noise(tree, vec, 60.0, 2.0)
    color = _mix_color(tree, _ramp(tree, grain, 0.3, 0.7, 0.0, 0.25), color, _scaled(base, 0.8))
    stains = _mask(tree, _coords(tree, p["offset_m"] + 13.0), p["stain_size_m"], p["stain_coverage"], 0.08)
    color = _mix_color(tree, _math(tree, "MULTIPLY", stains, 0.6), color, DIRT_RGB)
    rough = _mix_float(tree, stains, spec.roughness, spec.roughness * 0.85)
    height = _math(tree, "SUBTRACT", _math(tree, "MULTIPLY", grain, 0.3), joint)
    return color, rough, height, {}


def _streaks(tree, offset_m: float, amount: float, height_m: float):
    """Dirt streaks: vertically stretched noise, strongest at the foot of the wall, 0..amount."""
    streaks = _ramp(tree, _noise(tree, _coords(tree, offset_m + 5.0, (3.0, 3.0, 0.15)), 1.2, 2.0), 0.45, 0.7)
    foot = _ramp(tree, _height(tree), 0.0, height_m, 1.0, 0.3)
    return _math(tree, "MULTIPLY", _math(tree, "MULTIPLY", streaks, foot), amount)


def _brick(tree, spec: MaterialSpec, p: dict):
    vec, _ = _wall_coords(tree, p["offset_m"])
    base, v = spec.base_color_rgb, p["brick_variation"]
    mortar = p["mortar_m"]
    color, joint = _bricks(tree, vec, p["brick_length_m"] + mortar, p["brick_height_m"] + mortar, mortar, 0.5,
                           _scaled(base, 1 - v), _scaled(base, 1 + v), p["mortar_rgb"])
    color = _mix_color(tree, _streaks(tree, p["offset_m"], p["dirt_amount"], p["streak_height_m"]),
                       color, DIRT_RGB)
    height = _math(tree, "SUBTRACT", _math(tree, "MULTIPLY", _noise(tree, vec, 80.0), 0.2), joint)
    return color, spec.roughness, height, {}


def _plaster(tree, spec: MaterialSpec, p: dict):
    vec = _coords(tree, p["offset_m"])
    base, v = spec.base_color_rgb, p["color_variation"]
    color = _mix_color(tree, _ramp(tree, _noise(tree, vec, 0.4, 2.0), 0.3, 0.7),
                       _scaled(base, 1 - v), _scaled(base, 1 + v))
    color = _mix_color(tree, _streaks(tree, p["offset_m"], p["dirt_amount"], p["streak_height_m"]),
                       color, DIRT_RGB)
    return color, spec.roughness, _noise(tree, vec, 40.0, 1.0), {}


def _grass(tree, spec: MaterialSpec, p: dict):
    vec = _coords(tree, p["offset_m"])
    base, v = spec.base_color_rgb, p["color_variation"]
    color = _mix_color(tree, _ramp(tree, _noise(tree, vec, 0.8, 2.0), 0.3, 0.7),
                       _scaled(base, 1 - v), _scaled(base, 1 + v))
    dry = _mask(tree, _coords(tree, p["offset_m"] + 21.0), p["patch_size_m"], p["dry_coverage"], 0.12)
    color = _mix_color(tree, dry, color, p["dry_rgb"])
    blades = _noise(tree, vec, p["blade_scale_per_m"], 2.0)
    color = _mix_color(tree, _ramp(tree, blades, 0.3, 0.7, 0.0, 0.3), color, _scaled(base, 0.5))
    return color, spec.roughness, blades, {}


def _painted_metal(tree, spec: MaterialSpec, p: dict):
    vec = _coords(tree, p["offset_m"])
    base = spec.base_color_rgb
    grime = _ramp(tree, _noise(tree, _coords(tree, p["offset_m"], (1.0, 1.0, 2.5)), 3.0, 2.0), 0.35, 0.6)
    dirt = _math(tree, "MULTIPLY", _math(tree, "MULTIPLY", _ramp(tree, _height(tree), 0.05, p["dirt_height_m"],
                                                                1.0, 0.0), grime), p["dirt_amount"])
    # Perlin Fac above 0.75 - 1.5 * coverage covers about `coverage` for small coverages (measured
    # shares of noise values; `_mask`'s calibration is meant for coverages of 0.1 and more).
    chips_from = 0.75 - 1.5 * p["chip_coverage"]
    chips = _ramp(tree, _noise(tree, vec, 30.0, 2.0), chips_from, chips_from + 0.01)
    damage = chips
    under = BARE_METAL_RGB if p["chip_metallic"] > 0.5 else PRIMER_RGB
    color = _mix_color(tree, damage, base, under)
    color = _mix_color(tree, dirt, color, DIRT_RGB)
    rough = _mix_float(tree, dirt, _mix_float(tree, damage, spec.roughness, 0.5), 0.9)
    metallic = _mix_float(tree, damage, spec.metallic, p["chip_metallic"])
    coat = _mix_float(tree, _math(tree, "MAXIMUM", damage, dirt), p["clearcoat"], 0.0)
    extra = {"Metallic": metallic, "Coat Weight": coat, "Coat Roughness": p["coat_roughness"]}
    # Relief from the chips only: Bump evaluates its height graph three times (Cycles), and
    # dirt has no visible relief at vehicle distances.
    return color, rough, _math(tree, "MULTIPLY", chips, -1.0), extra


BUILDERS = {"asphalt": _asphalt, "concrete": _concrete, "brick": _brick, "plaster": _plaster, "grass": _grass,
            "painted_metal": _painted_metal}
"""Texture name -> node builder returning (Base Color, Roughness, height 0..1, other inputs)."""
BUMP_STRENGTH = {"asphalt": 0.6, "concrete": 0.5, "brick": 0.8, "plaster": 0.25, "grass": 0.5,
                 "painted_metal": 0.3}


def build_texture(material: bpy.types.Material, spec: MaterialSpec) -> None:
    """Wire the spec's procedural surface into the material's Principled BSDF: Base Color,
    Roughness, Normal (through a Bump node) and any texture-specific inputs."""
    tree = material.node_tree
    bsdf = tree.nodes["Principled BSDF"]
    color, rough, height, extra = BUILDERS[spec.texture](tree, spec, dict(spec.texture_params))
    _feed(tree, bsdf.inputs["Base Color"], color)
    _feed(tree, bsdf.inputs["Roughness"], rough)
    for name, value in extra.items():
        _feed(tree, bsdf.inputs[name], value)
    bump = tree.nodes.new("ShaderNodeBump")
    bump.inputs["Strength"].default_value = BUMP_STRENGTH[spec.texture]
    bump.inputs["Distance"].default_value = BUMP_DISTANCE_M
    tree.links.new(height, bump.inputs["Height"])
    tree.links.new(bump.outputs["Normal"], bsdf.inputs["Normal"])
