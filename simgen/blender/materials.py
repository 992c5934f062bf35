"""Principled BSDF materials from `MaterialSpec`s, cached per frame by value."""

from __future__ import annotations

import bpy

from simgen.specs import MaterialSpec


class MaterialCache:
    """Creates each distinct material once per scene build."""

    def __init__(self) -> None:
        self._by_spec: dict[MaterialSpec, bpy.types.Material] = {}

    def get(self, spec: MaterialSpec) -> bpy.types.Material:
        if spec not in self._by_spec:
            self._by_spec[spec] = build_material(spec, f"mat_{len(self._by_spec):04d}")
        return self._by_spec[spec]


def build_material(spec: MaterialSpec, name: str) -> bpy.types.Material:
    """A node material: Principled BSDF -> Material Output."""
    material = bpy.data.materials.new(name)
    tree = material.node_tree
    bsdf = tree.nodes.get("Principled BSDF")
    if bsdf is None:  # Blender 5 creates the default node tree with new materials; be safe
        bsdf = tree.nodes.new("ShaderNodeBsdfPrincipled")
        tree.links.new(bsdf.outputs["BSDF"], tree.nodes["Material Output"].inputs["Surface"])
    bsdf.inputs["Base Color"].default_value = (*spec.base_color_rgb, 1.0)
    bsdf.inputs["Roughness"].default_value = spec.roughness
    bsdf.inputs["Metallic"].default_value = spec.metallic
    if spec.emission_strength > 0:
        bsdf.inputs["Emission Color"].default_value = (*spec.emission_color_rgb, 1.0)
        bsdf.inputs["Emission Strength"].default_value = spec.emission_strength
    material.diffuse_color = (*spec.base_color_rgb, 1.0)
    return material
