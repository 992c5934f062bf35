"""Procedural pavement surfaces: asphalt (grain, patches, cracks, wheel paths), concrete
paving, kerb stones and worn road paint, in Cycles shader nodes.

One of the texture families of `simgen.blender.textures` (which registers them and states the
conventions: object-space metres, Bump-only relief, a pure `<texture>_values(spec, params)`
and a graph builder `<texture>(tree, inputs, brick_offset)` per texture; the module's public
functions are the registered ones, the leading-underscore ones its parts). Draws nothing.
"""

from __future__ import annotations

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
    pattern_location,
    scaled_rgb,
)
from simgen.specs import MaterialSpec

PAINT_UNDER_RGB = (0.07, 0.07, 0.068)
"""What shows through worn road paint: asphalt of middling wear (linear RGB)."""
TRACK_OFFSET_M = 0.85
"""Wheel paths' centres from their lane's centre (half a car's track width), metres."""
TRACK_BAND_M = (0.18, 0.34)
"""Wheel paths fully dark within the first distance of their centre line, not beyond the second, metres."""
TRACK_DARKENING = 0.25
"""Wheel paths' darkening (share of the colour taken away) on fully worn asphalt (wear 1)."""
KERB_ROW_M = 4.0
"""The kerb's brick-texture row height: one row spans the kerb strip (0.15-0.30 m wide), so its
only joints are the transverse ones between stones."""


def _crack_values(cell_m: float, width_m: float) -> Values:
    # Voronoi distances are in scaled units: distance_m = Distance * cell_m.
    return {"crack_wobble_scale": 1.5 / cell_m, "crack_warp_xyz": (0.6 * cell_m,) * 3, "crack_scale": 1.0 / cell_m,
            "crack_from": 0.5 * width_m / cell_m, "crack_to": width_m / cell_m, "crack_break_scale": 2.5 / cell_m}


def _cracks(tree, vector, inputs: Inputs):
    """1 on thin lines along the edges of irregular cells (`_crack_values`), else 0; the lines
    fade out over about a third of their length (a noise about 0.4 cell across), so they read as
    separate cracks, not as a continuous net of joints."""
    wobble = tree.nodes.new("ShaderNodeTexNoise")
    feed(tree, wobble.inputs["Scale"], inputs["crack_wobble_scale"])
    wobble.inputs["Detail"].default_value = 2.0
    tree.links.new(vector, wobble.inputs["Vector"])
    warped = tree.nodes.new("ShaderNodeVectorMath")
    warped.operation = "MULTIPLY_ADD"  # vector + (noise colour * 0.6 cell): wandering edges
    tree.links.new(wobble.outputs["Color"], warped.inputs[0])
    feed(tree, warped.inputs[1], inputs["crack_warp_xyz"])
    tree.links.new(vector, warped.inputs[2])
    voronoi = tree.nodes.new("ShaderNodeTexVoronoi")
    voronoi.feature = "DISTANCE_TO_EDGE"
    feed(tree, voronoi.inputs["Scale"], inputs["crack_scale"])
    tree.links.new(warped.outputs["Vector"], voronoi.inputs["Vector"])
    line = clamped_ramp(tree, voronoi.outputs["Distance"], inputs["crack_from"], inputs["crack_to"], 1.0, 0.0)
    unbroken = clamped_ramp(tree, noise_fac(tree, vector, inputs["crack_break_scale"], 2.0), 0.40, 0.48)
    return math_node(tree, "MULTIPLY", line, unbroken)


def _wheel_paths(tree, vec, v: Inputs):
    """0..1 on the lanes' wheel paths: bands centred `TRACK_OFFSET_M` either side of each
    lane's centre, full within `TRACK_BAND_M[0]` of the band's centre line and fading out by
    `TRACK_BAND_M[1]` (0.36-0.68 m wide), broken up by a noise about 2 m across. The road's
    slab is centred across its lanes with its length along object x, so the distance across
    is |object y|; lanes are `lane_m` wide, and there are none beyond `lanes_m` (parking)."""
    across = math_node(tree, "ABSOLUTE", object_axis(tree, "Y"), 0.0)
    from_centre = math_node(tree, "SUBTRACT", math_node(tree, "MODULO", across, v["lane_m"]), v["half_lane_m"])
    from_path = math_node(tree, "ABSOLUTE", math_node(tree, "SUBTRACT", math_node(tree, "ABSOLUTE", from_centre, 0.0),
                                              TRACK_OFFSET_M), 0.0)
    band = clamped_ramp(tree, from_path, TRACK_BAND_M[0], TRACK_BAND_M[1], 1.0, 0.0)
    band = math_node(tree, "MULTIPLY", band, math_node(tree, "LESS_THAN", across, v["lanes_m"]))
    patchy = clamped_ramp(tree, noise_fac(tree, vec, 0.5, 0.0), 0.35, 0.65, 0.5, 1.0)
    return math_node(tree, "MULTIPLY", math_node(tree, "MULTIPLY", band, patchy), v["track"])


def asphalt_values(spec: MaterialSpec, p: dict) -> Values:
    base, rough, c, tone = spec.base_color_rgb, spec.roughness, p["grain_contrast"], p["patch_tone"]
    lane_m = p.get("lane_width_m", 3.5)  # specs without lanes (0 per direction) have no wheel paths
    return {"xyz": pattern_location(p["offset_m"]), "grain_scale": p["grain_scale_per_m"],
            "dark_rgb": scaled_rgb(base, 1 - 2 * c), "light_rgb": scaled_rgb(base, 1 + 2 * c),
            "patch_xyz": pattern_location(p["offset_m"] + 37.0),
            **blob_mask_values("patch", p["patch_size_m"], p["patch_coverage"], 0.01),
            "patch_rgb": scaled_rgb(base, tone),
            **_crack_values(p["crack_cell_m"], p["crack_width_m"]), "area_xyz": pattern_location(p["offset_m"] + 91.0),
            **blob_mask_values("area", 6.0, p["crack_density"], 0.05), "crack_rgb": scaled_rgb(base, 0.45),
            "rough_low": rough - 0.06, "rough_high": min(1.0, rough + 0.06),
            "patch_rough": rough + (tone - 1.0) * 0.15, "lane_m": lane_m, "half_lane_m": lane_m / 2,
            "lanes_m": p.get("lanes_per_direction", 0.0) * lane_m, "track": TRACK_DARKENING * p["wear"]}


def asphalt(tree, v: Inputs, _brick_offset: float):
    vec = object_coords(tree, v["xyz"])
    grain = noise_fac(tree, vec, v["grain_scale"], 1.0)
    track = _wheel_paths(tree, vec, v)
    # polished wheel paths: the grain's contrast halves where they are darkest (track 0.25)
    speckle = mix_float(tree, math_node(tree, "MULTIPLY", track, 2.0), clamped_ramp(tree, grain, 0.3, 0.7), 0.5)
    color = mix_color(tree, speckle, v["dark_rgb"], v["light_rgb"])
    patches = blob_mask(tree, object_coords(tree, v["patch_xyz"], (1.0, 0.6, 1.0)), v, "patch")
    color = mix_color(tree, patches, color, v["patch_rgb"])
    color = mix_color(tree, track, color, (0.0, 0.0, 0.0))
    cracked_area = blob_mask(tree, object_coords(tree, v["area_xyz"]), v, "area")
    crack = math_node(tree, "MULTIPLY", _cracks(tree, vec, v), cracked_area)
    color = mix_color(tree, crack, color, v["crack_rgb"])
    rough = mix_float(tree, grain, v["rough_low"], v["rough_high"])
    rough = mix_float(tree, patches, rough, v["patch_rough"])
    rough = math_node(tree, "SUBTRACT", rough, math_node(tree, "MULTIPLY", track, 0.4))  # polished: -0.1 at most
    rough = mix_float(tree, crack, rough, 1.0)
    # No ruts in the relief: Bump evaluates its height graph three times (Cycles), and a rut of
    # a few millimetres over half a metre perturbs the normal by well under a degree.
    height = math_node(tree, "SUBTRACT", math_node(tree, "MULTIPLY", grain, 0.5), crack)
    return color, rough, height, {}


def concrete_values(spec: MaterialSpec, p: dict) -> Values:
    base, v = spec.base_color_rgb, p["slab_variation"]
    return {"xyz": pattern_location(p["offset_m"]), "joint_m": p["joint_spacing_m"], "row_m": p["joint_spacing_m"],
            "mortar_m": p["joint_width_m"],
            "slab_rgb": scaled_rgb(base, 1 - v), "slab2_rgb": scaled_rgb(base, 1 + v),
            "joint_rgb": scaled_rgb(base, 0.45),
            "grain_rgb": scaled_rgb(base, 0.8), "stain_xyz": pattern_location(p["offset_m"] + 13.0),
            **blob_mask_values("stain", p["stain_size_m"], p["stain_coverage"], 0.08),
            "rough": spec.roughness, "stain_rough": spec.roughness * 0.85}


def concrete(tree, v: Inputs, brick_offset: float):
    vec = object_coords(tree, v["xyz"])
    color, joint = brick_texture(tree, vec, v, brick_offset,
                           ("joint_m", "row_m", "mortar_m", "slab_rgb", "slab2_rgb", "joint_rgb"))
    grain = noise_fac(tree, vec, 60.0, 2.0)
    color = mix_color(tree, clamped_ramp(tree, grain, 0.3, 0.7, 0.0, 0.25), color, v["grain_rgb"])
    stains = blob_mask(tree, object_coords(tree, v["stain_xyz"]), v, "stain")
    color = mix_color(tree, math_node(tree, "MULTIPLY", stains, 0.6), color, DIRT_RGB)
    rough = mix_float(tree, stains, v["rough"], v["stain_rough"])
    height = math_node(tree, "SUBTRACT", math_node(tree, "MULTIPLY", grain, 0.3), joint)
    return color, rough, height, {}


def kerb_values(spec: MaterialSpec, p: dict) -> Values:
    """Kerb stones on the concrete graph: stones `stone_length_m` long along object x, one row
    of `KERB_ROW_M` whose middle is the strip's centre line (object y = 0), so no joint runs
    along the strip."""
    base, v, x = spec.base_color_rgb, p["stone_variation"], p["offset_m"]
    return {"xyz": (x, KERB_ROW_M / 2, x * 0.3), "joint_m": p["stone_length_m"] + p["joint_width_m"],
            "row_m": KERB_ROW_M, "mortar_m": p["joint_width_m"], "slab_rgb": scaled_rgb(base, 1 - v),
            "slab2_rgb": scaled_rgb(base, 1 + v), "joint_rgb": scaled_rgb(base, 0.45),
            "grain_rgb": scaled_rgb(base, 0.8),
            "stain_xyz": pattern_location(x + 13.0),
            **blob_mask_values("stain", p["stain_size_m"], p["stain_coverage"], 0.08),
            "rough": spec.roughness, "stain_rough": spec.roughness * 0.85}


def worn_paint_values(spec: MaterialSpec, p: dict) -> Values:
    wear = p["paint_wear"]
    grit_from = 0.72 - 0.2 * wear
    return {"xyz": pattern_location(p["offset_m"]), "rgb": as_rgb(spec.base_color_rgb), "under_rgb": PAINT_UNDER_RGB,
            **blob_mask_values("blotch", p["blotch_size_m"], 0.7 * wear, 0.05), "grit_from": grit_from,
            "grit_to": grit_from + 0.04, "worn": 0.8 * min(1.0, wear / 0.2), "rough": spec.roughness}


def worn_paint(tree, v: Inputs, _brick_offset: float):
    """Road paint worn through to the asphalt (`PAINT_UNDER_RGB`, 80 % at most) in blotches
    stretched 3:1 along object x (a lane line's length; about 0.7 * `paint_wear` of the paint)
    and in fine grit, both growing with `paint_wear`; none at wear 0."""
    vec = object_coords(tree, v["xyz"])
    blotch = blob_mask(tree, object_coords(tree, v["xyz"], (0.35, 1.0, 1.0)), v, "blotch")
    grit = clamped_ramp(tree, noise_fac(tree, vec, 40.0, 2.0), v["grit_from"], v["grit_to"])
    worn = math_node(tree, "MULTIPLY", math_node(tree, "MAXIMUM", blotch, grit), v["worn"])
    color = mix_color(tree, worn, v["rgb"], v["under_rgb"])
    rough = mix_float(tree, worn, v["rough"], 0.85)
    return color, rough, math_node(tree, "MULTIPLY", worn, -1.0), {}
