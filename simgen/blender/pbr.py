"""User PBR texture sets (`MaterialSpec.pbr`) in Cycles shader nodes.

A texture set's graph depends only on its files (`pbr_structure`), so a session builds one
material per (slot, texture set, emissive, weather effects, pass index) and keeps it, like the
procedural surfaces (`simgen.blender.materials`); the tile size, offset, roughness (for a set
without a roughness map) and metallic are values read from the object's attributes.

Coordinates: the box-projected UV map `UV_MAP` (metres, `simgen.geometry.uv.box_uv_m`) that
`simgen.blender.build` adds to meshes using a texture set, scaled by 1 / tile_m and shifted by
offset_m / tile_m. The normal map is tangent-space on that UV map (Cycles derives the tangents
from it). Relief is shading only: no displacement, so the Depth and Object Index passes are
those of the same mesh without the texture set.

Colour spaces (`simgen.catalog.texture_sets`): the albedo is 'sRGB' (8/16-bit files) or
'Linear Rec.709' (OpenEXR, float TIFF); normal and roughness maps are 'Non-Color'. Each image
file is loaded once per session (`check_existing`).
"""

from __future__ import annotations

import bpy

from simgen.blender.nodes import Inputs, feed
from simgen.specs import MaterialSpec

UV_MAP = "simgen_box_uv"
"""Name of the box-projected UV map (metres) on meshes that wear a texture set."""
PBR = "pbr"


def pbr_structure(spec: MaterialSpec) -> tuple[str, str, str, str, bool]:
    """What the graph of a texture set depends on: ('pbr', albedo, normal, roughness paths,
    albedo is linear)."""
    pbr = spec.pbr
    return PBR, pbr.albedo_path, pbr.normal_path, pbr.roughness_path, pbr.albedo_linear


def pbr_values(spec: MaterialSpec) -> dict[str, float | tuple[float, float, float]]:
    """The values the texture set's graph reads: 'pbr_xyz' (the UV shift, tiles), 'pbr_scale_xyz'
    (tiles per metre) and 'rough' (used without a roughness map)."""
    pbr = spec.pbr
    shift = pbr.offset_m / pbr.tile_m
    return {"pbr_xyz": (shift, 0.7 * shift, 0.0), "pbr_scale_xyz": (1.0 / pbr.tile_m,) * 3, "rough": spec.roughness}


def _image(tree, path: str, colorspace: str, vector) -> bpy.types.Node:
    node = tree.nodes.new("ShaderNodeTexImage")
    image = bpy.data.images.load(path, check_existing=True)
    image.colorspace_settings.name = colorspace
    node.image = image
    node.interpolation = "Linear"
    node.extension = "REPEAT"
    tree.links.new(vector, node.inputs["Vector"])
    return node


def build_pbr(tree, structure: tuple[str, str, str, str, bool], inputs: Inputs) -> dict[str, object]:
    """The image texture graph of `structure` (`pbr_structure`), values from `inputs`
    (`pbr_values`); returns what to feed the Principled BSDF's inputs, by input name."""
    _, albedo, normal, roughness, linear = structure
    uv = tree.nodes.new("ShaderNodeUVMap")
    uv.uv_map = UV_MAP
    mapping = tree.nodes.new("ShaderNodeMapping")
    tree.links.new(uv.outputs["UV"], mapping.inputs["Vector"])
    feed(tree, mapping.inputs["Location"], inputs["pbr_xyz"])
    feed(tree, mapping.inputs["Scale"], inputs["pbr_scale_xyz"])
    vector = mapping.outputs["Vector"]
    feeds: dict[str, object] = {
        "Base Color": _image(tree, albedo, "Linear Rec.709" if linear else "sRGB", vector).outputs["Color"],
        "Roughness": inputs["rough"]}
    if roughness:
        feeds["Roughness"] = _image(tree, roughness, "Non-Color", vector).outputs["Color"]
    if normal:
        normal_map = tree.nodes.new("ShaderNodeNormalMap")
        normal_map.space = "TANGENT"
        normal_map.uv_map = UV_MAP
        tree.links.new(_image(tree, normal, "Non-Color", vector).outputs["Color"], normal_map.inputs["Color"])
        feeds["Normal"] = normal_map.outputs["Normal"]
    return feeds
