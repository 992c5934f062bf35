"""Procedural PBR surfaces in Cycles shader nodes for textured `MaterialSpec`s.

Every pattern is a function of the shading point's Object coordinates (metres in the object's
own frame; the meshes here have no UVs) shifted by the spec's `offset_m`, so patterns keep
their metric size on every object and differ between materials. Relief is Bump only (a
normal perturbation): nothing here moves geometry, so the Depth and Object Index passes are
the same as with the flat material. Draws nothing.

Each texture is two functions: `_<texture>_values(spec, params)`, pure, turns the spec into the
named leaf values of its node graph (colours as '*as_rgb', vectors as '*_xyz', floats; every
number a node reads that depends on the spec), and `_<texture>(tree, inputs, brick_offset)`
builds the graph reading those values from `inputs` (`simgen.blender.nodes.Inputs`: baked
constants or per-object attributes). The graph itself depends only on `texture_structure`.
The pavement family (asphalt, concrete, kerb, worn paint) lives in
`simgen.blender.pavement_textures`, without the underscore since it is registered from here;
the facade, vegetation, paint and cloth textures and the registry are here.
"""

from __future__ import annotations

from simgen.blender import pavement_textures as pavement
from simgen.blender.nodes import Inputs, feed
from simgen.blender.patterns import (
    DIRT_RGB,
    Values,
    as_rgb,
    blob_mask,
    blob_mask_values,
    brick_texture,
    clamped_ramp,
    math_node,
    mix_color,
    mix_float,
    noise_fac,
    object_axis,
    object_coords,
    object_height,
    pattern_location,
    scale_color,
    scaled_rgb,
    wall_coords,
)
from simgen.specs import MaterialSpec

BUMP_DISTANCE_M = 0.004
"""Bump height of a full 0..1 height signal (Bump node 'Distance', object-space metres)."""
PRIMER_RGB = (0.32, 0.32, 0.30)
BARE_METAL_RGB = (0.55, 0.55, 0.56)


def _streak_values(p: dict) -> Values:
    return {"streak_xyz": pattern_location(p["offset_m"] + 5.0), "streak_height_m": p["streak_height_m"],
            "dirt": p["dirt_amount"]}


def _streaks(tree, v: Inputs):
    """Dirt streaks: vertically stretched noise, strongest at the foot of the wall, 0..dirt."""
    stretched = object_coords(tree, v["streak_xyz"], (3.0, 3.0, 0.15))
    streaks = clamped_ramp(tree, noise_fac(tree, stretched, 1.2, 2.0), 0.45, 0.7)
    foot = clamped_ramp(tree, object_height(tree), 0.0, v["streak_height_m"], 1.0, 0.3)
    return math_node(tree, "MULTIPLY", math_node(tree, "MULTIPLY", streaks, foot), v["dirt"])


def _brick_values(spec: MaterialSpec, p: dict) -> Values:
    base, v, mortar = spec.base_color_rgb, p["brick_variation"], p["mortar_m"]
    return {"xyz": pattern_location(p["offset_m"]), "brick_m": p["brick_length_m"] + mortar,
            "row_m": p["brick_height_m"] + mortar, "mortar_m": mortar, "brick_rgb": scaled_rgb(base, 1 - v),
            "brick2_rgb": scaled_rgb(base, 1 + v), "mortar_rgb": as_rgb(p["mortar_rgb"]), **_streak_values(p),
            "rough": spec.roughness}


def _brick(tree, v: Inputs, brick_offset: float):
    vec = wall_coords(tree, v["xyz"])
    color, joint = brick_texture(tree, vec, v, brick_offset,
                           ("brick_m", "row_m", "mortar_m", "brick_rgb", "brick2_rgb", "mortar_rgb"))
    color = mix_color(tree, _streaks(tree, v), color, DIRT_RGB)
    height = math_node(tree, "SUBTRACT", math_node(tree, "MULTIPLY", noise_fac(tree, vec, 80.0), 0.2), joint)
    return color, v["rough"], height, {}


def _plaster_values(spec: MaterialSpec, p: dict) -> Values:
    base, v = spec.base_color_rgb, p["color_variation"]
    return {"xyz": pattern_location(p["offset_m"]), "plaster_rgb": scaled_rgb(base, 1 - v),
            "plaster2_rgb": scaled_rgb(base, 1 + v), **_streak_values(p), "rough": spec.roughness}


def _plaster(tree, v: Inputs, _brick_offset: float):
    vec = object_coords(tree, v["xyz"])
    color = mix_color(tree, clamped_ramp(tree, noise_fac(tree, vec, 0.4, 2.0), 0.3, 0.7), v["plaster_rgb"],
                       v["plaster2_rgb"])
    color = mix_color(tree, _streaks(tree, v), color, DIRT_RGB)
    return color, v["rough"], noise_fac(tree, vec, 40.0, 1.0), {}


def _grass_values(spec: MaterialSpec, p: dict) -> Values:
    base, v = spec.base_color_rgb, p["color_variation"]
    return {"xyz": pattern_location(p["offset_m"]), "grass_rgb": scaled_rgb(base, 1 - v),
            "grass2_rgb": scaled_rgb(base, 1 + v),
            "dry_xyz": pattern_location(p["offset_m"] + 21.0),
            **blob_mask_values("dry", p["patch_size_m"], p["dry_coverage"], 0.12), "dry_rgb": as_rgb(p["dry_rgb"]),
            "blade_scale": p["blade_scale_per_m"], "blade_rgb": scaled_rgb(base, 0.5), "rough": spec.roughness}


def _grass(tree, v: Inputs, _brick_offset: float):
    vec = object_coords(tree, v["xyz"])
    tone = clamped_ramp(tree, noise_fac(tree, vec, 0.8, 2.0), 0.3, 0.7)
    color = mix_color(tree, tone, v["grass_rgb"], v["grass2_rgb"])
    dry = blob_mask(tree, object_coords(tree, v["dry_xyz"]), v, "dry")
    color = mix_color(tree, dry, color, v["dry_rgb"])
    blades = noise_fac(tree, vec, v["blade_scale"], 2.0)
    color = mix_color(tree, clamped_ramp(tree, blades, 0.3, 0.7, 0.0, 0.3), color, v["blade_rgb"])
    return color, v["rough"], blades, {}


def _verge_values(spec: MaterialSpec, p: dict) -> Values:
    base, v, half, edge = spec.base_color_rgb, p["color_variation"], p["half_width_m"], p["soil_edge_m"]
    return {"xyz": pattern_location(p["offset_m"]), "grass_rgb": scaled_rgb(base, 1 - v),
            "grass2_rgb": scaled_rgb(base, 1 + v), "shade_rgb": scaled_rgb(base, 0.45),
            "blade_scale": p["blade_scale_per_m"], "tuft_scale": 1.0 / p["tuft_size_m"],
            "dry_xyz": pattern_location(p["offset_m"] + 21.0),
            **blob_mask_values("dry", p["patch_size_m"], p["dry_coverage"], 0.12), "dry_rgb": as_rgb(p["dry_rgb"]),
            "bare_xyz": pattern_location(p["offset_m"] + 47.0),
            **blob_mask_values("bare", 0.5 * p["patch_size_m"], p["bare_coverage"], 0.04),
            "soil_rgb": as_rgb(p["soil_rgb"]), "soil_from": max(0.0, half - edge), "soil_to": half,
            "rough": spec.roughness}


def _verge(tree, v: Inputs, _brick_offset: float):
    """A grass verge: tufts (Voronoi cells `tuft_size_m` across, highest at their centres) of
    fine blades (noise stretched 3:1 across the strip), shaded darker between them; lawn tones
    and dry patches as on 'grass'; bare soil in blobs and along the strip's long edges (within
    `soil_edge_m` of |object y| = `half_width_m`, ragged), flat there."""
    vec = object_coords(tree, v["xyz"])
    cells = tree.nodes.new("ShaderNodeTexVoronoi")
    cells.feature = "F1"
    feed(tree, cells.inputs["Scale"], v["tuft_scale"])
    tree.links.new(vec, cells.inputs["Vector"])
    tuft = clamped_ramp(tree, cells.outputs["Distance"], 0.0, 0.7, 1.0, 0.0)
    blades = noise_fac(tree, object_coords(tree, v["xyz"], (1.0, 3.0, 1.0)), v["blade_scale"], 1.0)
    grass = math_node(tree, "ADD", math_node(tree, "MULTIPLY", blades, 0.6), math_node(tree, "MULTIPLY", tuft, 0.4))
    tone = clamped_ramp(tree, noise_fac(tree, vec, 0.8, 2.0), 0.3, 0.7)
    color = mix_color(tree, tone, v["grass_rgb"], v["grass2_rgb"])
    color = mix_color(tree, blob_mask(tree, object_coords(tree, v["dry_xyz"]), v, "dry"), color, v["dry_rgb"])
    color = mix_color(tree, clamped_ramp(tree, grass, 0.3, 0.75), v["shade_rgb"], color)
    across = math_node(tree, "ABSOLUTE", object_axis(tree, "Y"), 0.0)
    ragged = clamped_ramp(tree, noise_fac(tree, vec, 12.0, 1.0), 0.35, 0.6, 0.4, 1.0)
    edge = math_node(tree, "MULTIPLY", clamped_ramp(tree, across, v["soil_from"], v["soil_to"]), ragged)
    soil = math_node(tree, "MAXIMUM", edge, blob_mask(tree, object_coords(tree, v["bare_xyz"]), v, "bare"))
    color = mix_color(tree, soil, color, v["soil_rgb"])
    height = math_node(tree, "MULTIPLY", grass, math_node(tree, "SUBTRACT", 1.0, soil))
    return color, v["rough"], height, {}


def _painted_metal_values(spec: MaterialSpec, p: dict) -> Values:
    # Perlin Fac above 0.75 - 1.5 * coverage covers about `coverage` for small coverages (measured
    # shares of noise values; `blob_mask`'s calibration is meant for coverages of 0.1 and more).
    chips_from = 0.75 - 1.5 * p["chip_coverage"]
    return {"xyz": pattern_location(p["offset_m"]), "dirt_height_m": p["dirt_height_m"], "dirt": p["dirt_amount"],
            "chips_from": chips_from, "chips_to": chips_from + 0.01, "rgb": as_rgb(spec.base_color_rgb),
            "under_rgb": BARE_METAL_RGB if p["chip_metallic"] > 0.5 else PRIMER_RGB, "rough": spec.roughness,
            "metal": spec.metallic, "chip_metal": p["chip_metallic"], "clearcoat": p["clearcoat"],
            "coat_rough": p["coat_roughness"]}


def _painted_metal(tree, v: Inputs, _brick_offset: float):
    vec = object_coords(tree, v["xyz"])
    grime = clamped_ramp(tree, noise_fac(tree, object_coords(tree, v["xyz"], (1.0, 1.0, 2.5)), 3.0, 2.0), 0.35, 0.6)
    low = clamped_ramp(tree, object_height(tree), 0.05, v["dirt_height_m"], 1.0, 0.0)
    dirt = math_node(tree, "MULTIPLY", math_node(tree, "MULTIPLY", low, grime), v["dirt"])
    chips = clamped_ramp(tree, noise_fac(tree, vec, 30.0, 2.0), v["chips_from"], v["chips_to"])
    color = mix_color(tree, chips, v["rgb"], v["under_rgb"])
    color = mix_color(tree, dirt, color, DIRT_RGB)
    rough = mix_float(tree, dirt, mix_float(tree, chips, v["rough"], 0.5), 0.9)
    metallic = mix_float(tree, chips, v["metal"], v["chip_metal"])
    coat = mix_float(tree, math_node(tree, "MAXIMUM", chips, dirt), v["clearcoat"], 0.0)
    extra = {"Metallic": metallic, "Coat Weight": coat, "Coat Roughness": v["coat_rough"]}
    # Relief from the chips only: Bump evaluates its height graph three times (Cycles), and
    # dirt has no visible relief at vehicle distances.
    return color, rough, math_node(tree, "MULTIPLY", chips, -1.0), extra


def _cloth_values(spec: MaterialSpec, p: dict) -> Values:
    contrast = p["weave_contrast"]
    return {"xyz": pattern_location(p["offset_m"]), "period_m": p["stripe_period_m"], "duty": p["stripe_duty"],
            "stripes": p["stripes"], "checks": p["checks"], "rgb": as_rgb(spec.base_color_rgb),
            "second_rgb": as_rgb(p["second_rgb"]), "weave_scale": p["weave_scale_per_m"],
            "weave_low": 1.0 - contrast, "weave_high": 1.0 + contrast, "rough": spec.roughness}


def _bands(tree, coordinate, v: Inputs):
    """1 on the first `duty` of every `period_m` along an object coordinate (metres), else 0."""
    phase = math_node(tree, "FRACT", math_node(tree, "DIVIDE", coordinate, v["period_m"]), 0.0)
    return math_node(tree, "LESS_THAN", phase, v["duty"])


def _cloth(tree, v: Inputs, _brick_offset: float):
    """Woven cloth: the garment colour, or stripes (bands along the object's height) or checks
    (those crossed with bands along x + y) in the second colour, darkened and lightened by the
    weave's fine noise, which is also the relief."""
    vec = object_coords(tree, v["xyz"])
    xyz = tree.nodes.new("ShaderNodeSeparateXYZ")
    tree.links.new(vec, xyz.inputs["Vector"])
    across = _bands(tree, xyz.outputs["Z"], v)
    along = _bands(tree, math_node(tree, "ADD", xyz.outputs["X"], xyz.outputs["Y"]), v)
    checks = math_node(tree, "ABSOLUTE", math_node(tree, "SUBTRACT", across, along), 0.0)
    pattern = math_node(tree, "ADD", math_node(tree, "MULTIPLY", across, v["stripes"]),
                        math_node(tree, "MULTIPLY", checks, v["checks"]))
    weave = noise_fac(tree, vec, v["weave_scale"], 2.0)
    shade = clamped_ramp(tree, weave, 0.35, 0.65, v["weave_low"], v["weave_high"])
    color = scale_color(tree, mix_color(tree, pattern, v["rgb"], v["second_rgb"]), shade)
    return color, v["rough"], weave, {}


BUILDERS = {"asphalt": pavement.asphalt, "concrete": pavement.concrete, "brick": _brick, "plaster": _plaster,
            "grass": _grass, "painted_metal": _painted_metal, "worn_paint": pavement.worn_paint, "verge": _verge,
            "cloth": _cloth}
"""Graph name -> node builder returning (Base Color, Roughness, height 0..1, other BSDF inputs).
Texture 'kerb' is built by the 'concrete' graph (`texture_structure`)."""
VALUES = {"asphalt": pavement.asphalt_values, "concrete": pavement.concrete_values, "brick": _brick_values,
          "plaster": _plaster_values, "grass": _grass_values, "painted_metal": _painted_metal_values,
          "kerb": pavement.kerb_values, "worn_paint": pavement.worn_paint_values, "verge": _verge_values,
          "cloth": _cloth_values}
"""Texture name -> the named leaf values its graph reads, from the spec."""
BUMP_STRENGTH = {"asphalt": 0.6, "concrete": 0.5, "brick": 0.8, "plaster": 0.25, "grass": 0.5,
                 "painted_metal": 0.3, "worn_paint": 0.3, "verge": 0.8, "cloth": 0.15}


def texture_structure(spec: MaterialSpec) -> tuple[str, float]:
    """What the node graph of a textured spec depends on: (graph, brick row offset). The row
    offset of Blender's Brick Texture is a node property, not a socket (bpy 5.0.1), so paving
    with and without staggered joints are two graphs."""
    if spec.texture == "concrete":
        return spec.texture, float(spec.texture_param("joint_offset"))
    if spec.texture == "kerb":  # the concrete graph with one row of stones: its row offset is moot
        return "concrete", 0.0
    return spec.texture, 0.5 if spec.texture == "brick" else 0.0


def texture_values(spec: MaterialSpec) -> Values:
    """The leaf values of the spec's texture graph, by name ('*as_rgb' linear RGB, '*_xyz' metres)."""
    return VALUES[spec.texture](spec, dict(spec.texture_params))


def build_texture(tree, structure: tuple[str, float], inputs: Inputs) -> dict[str, object]:
    """Build the texture graph of `structure` (`texture_structure`) reading its values from
    `inputs`, with a Bump node for its relief; returns what to feed the Principled BSDF's inputs
    (Base Color, Roughness, Normal and texture-specific ones), by input name."""
    texture, brick_offset = structure
    color, rough, height, extra = BUILDERS[texture](tree, inputs, brick_offset)
    bump = tree.nodes.new("ShaderNodeBump")
    bump.inputs["Strength"].default_value = BUMP_STRENGTH[texture]
    bump.inputs["Distance"].default_value = BUMP_DISTANCE_M
    feed(tree, bump.inputs["Height"], height)
    return {"Base Color": color, "Roughness": rough, **extra, "Normal": bump.outputs["Normal"]}

