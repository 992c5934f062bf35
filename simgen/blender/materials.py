"""Principled BSDF materials from `MaterialSpec`s, cached per frame by value."""

from __future__ import annotations

import bpy

from simgen.blender.textures import build_texture
from simgen.blender.weather import add_snow, make_wet
from simgen.specs import MaterialSpec, WeatherSpec


class MaterialCache:
    """Creates each distinct (material, surface role) once per scene build, with the frame's
    weather applied: roles 'road' (wet + puddles, less snow), 'sidewalk' (wet, less snow) and
    'default' (snow on upward faces). With `procedural_textures` off, textured specs are built
    from their flat base values only (`render.procedural_textures`)."""

    def __init__(self, weather: WeatherSpec | None = None, procedural_textures: bool = True) -> None:
        self._by_spec: dict[tuple[MaterialSpec, str, int], bpy.types.Material] = {}
        self._weather = weather or WeatherSpec()
        self._textures = procedural_textures

    def get(self, spec: MaterialSpec, role: str = "default", pass_index: int = 0) -> bpy.types.Material:
        """The material of `spec` in `role`; `pass_index` goes to the Material Index pass (the
        semantic class of the scenery using it), so materials of different classes are distinct."""
        key = (spec, role, pass_index)
        if key not in self._by_spec:
            material = build_material(spec, f"mat_{len(self._by_spec):04d}", self._textures)
            material.pass_index = pass_index
            weather = self._weather
            if weather.rain and role in ("road", "sidewalk"):
                make_wet(material, weather, puddles=role == "road")
            if weather.snow and weather.snow_cover > 0:
                add_snow(material, weather.snow_cover * (0.6 if role == "road" else 1.0), on_road=role == "road")
            self._by_spec[key] = material
        return self._by_spec[key]


def build_material(spec: MaterialSpec, name: str, procedural_textures: bool = True) -> bpy.types.Material:
    """A node material: Principled BSDF -> Material Output, with the spec's procedural
    texture (`simgen.blender.textures`) feeding the BSDF unless it is 'flat' or textures are off."""
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
    if spec.texture != "flat" and procedural_textures:
        build_texture(material, spec)
    material.diffuse_color = (*spec.base_color_rgb, 1.0)
    return material
