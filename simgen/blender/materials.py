"""Materials from `MaterialSpec`s: a fixed set of node trees whose values come from the objects.

A material's node graph depends only on its structure: the mesh slot it fills (e.g. 'paint'),
its texture (`simgen.blender.textures.texture_structure`; 'flat' for one colour), whether it
emits, which weather effects its surface role gets (`simgen.blender.weather.weather_structure`)
and its pass index (the Material Index pass). Every number that varies from spec to spec or
frame to frame (base colour, roughness, metallic, emission, texture offsets, scales, amounts
and colours, wetness, puddle and snow thresholds) is read at render time from the object's
custom properties through Attribute nodes of type OBJECT: `material_values` names them,
`MaterialPool.write_attributes` sets them per object per frame. So a session builds each
material once, objects that share a mesh may differ in every value, and Cycles compiles no new
shader for a new frame. Emissive specs get their own variant, so that the non-emissive trees
stay non-emissive for Cycles' light sampling (an Emission Strength fed by a node would make
every triangle a lamp).

Property names: `simgen_{slot}_{name}` for a slot's material values, `simgen_weather_{name}`
for the object's weather values ('*_rgb' linear RGB, '*_xyz' metres); floats are stored three
to a vector, `{first name}_pack_xyz` (`simgen.blender.nodes.pack_values`).

`MaterialPool(baked=True)` bakes the same values into one material per spec instead (the node
trees that per-spec materials had): the reference that the attribute-driven materials are
compared with (tests/blender/test_material_attributes.py).
"""

from __future__ import annotations

from collections.abc import Iterable

import bpy

from simgen.blender.nodes import AttributeInputs, Inputs, feed, pack_values
from simgen.blender.pbr import PBR, build_pbr, pbr_structure, pbr_values
from simgen.blender.textures import build_texture, texture_structure, texture_values
from simgen.blender.weather import build_weather, weather_structure, weather_values
from simgen.specs import MaterialSpec, WeatherSpec

CLOTH_SLOTS = frozenset({"clothing_top", "clothing_bottom", "fabric"})
"""Mesh slots made of woven or knitted cloth (garments, bags): they get the sheen below."""
CLOTH_SHEEN = {"Sheen Weight": 0.6, "Sheen Roughness": 0.5}
"""The Principled BSDF's sheen layer on cloth: the soft brightening of fabric towards grazing
angles that the fibres standing out of the weave scatter (Blender's microfibre sheen model;
weight 0.6 and roughness 0.5 are an everyday cotton or wool, between a plain surface's 0 and
velvet's 1). A property of the slot's material, the same for every garment, so nothing is drawn
and the spec is unchanged; white sheen (the default tint): the fibres' highlight has the light's
colour."""
ATTRIBUTE_PREFIX = "simgen_"
"""Custom property names on objects: simgen_{slot}_{name}, simgen_weather_{name}."""
WEATHER_PREFIX = ATTRIBUTE_PREFIX + "weather_"
FLAT = ("flat", 0.0)
"""The structure of an untextured spec (`texture_structure` of textured ones)."""


def material_values(spec: MaterialSpec, textured: bool) -> dict[str, float | tuple[float, ...]]:
    """The named values that the material of `spec` reads (from `simgen_{slot}_{name}`): for a
    flat one linear RGB 'rgb', 'rough' and 'metal' in [0, 1]; for a textured one (`textured`)
    'metal' and its texture's values (`simgen.blender.textures.texture_values`); either way,
    when it emits, emission RGB 'emit_rgb' and strength 'emit' (Blender units). A spec with a
    texture set (`spec.pbr`) reads 'metal' and `simgen.blender.pbr.pbr_values`, textured or not."""
    if spec.pbr is not None:
        values: dict[str, float | tuple[float, ...]] = {"metal": spec.metallic, **pbr_values(spec)}
    elif textured:
        values = {"metal": spec.metallic, **texture_values(spec)}
    else:
        values = {"rgb": tuple(spec.base_color_rgb), "rough": spec.roughness, "metal": spec.metallic}
    if spec.emission_strength > 0:
        values["emit_rgb"] = tuple(spec.emission_color_rgb)
        values["emit"] = spec.emission_strength
    return values


def build_surface(tree, structure: tuple, emissive: bool, inputs: Inputs, slot: str = "") -> None:
    """The Principled BSDF of a material and, unless `structure` is FLAT, its texture graph
    (procedural, or a texture set's images), every value read from `inputs` (names of
    `material_values`); a cloth `slot` (`CLOTH_SLOTS`) also gets `CLOTH_SHEEN`."""
    bsdf = _principled(tree)
    feeds = {"Metallic": inputs["metal"]}
    if structure[0] == PBR:
        feeds.update(build_pbr(tree, structure, inputs))
    elif structure == FLAT:
        feeds.update({"Base Color": inputs["rgb"], "Roughness": inputs["rough"]})
    else:
        feeds.update(build_texture(tree, structure, inputs))
    if emissive:
        feeds.update({"Emission Color": inputs["emit_rgb"], "Emission Strength": inputs["emit"]})
    if slot in CLOTH_SLOTS:
        feeds.update(CLOTH_SHEEN)
    for name, value in feeds.items():
        feed(tree, bsdf.inputs[name], value)


def _principled(tree) -> bpy.types.Node:
    bsdf = tree.nodes.get("Principled BSDF")
    if bsdf is None:  # Blender 5 creates the default node tree with new materials; be safe
        bsdf = tree.nodes.new("ShaderNodeBsdfPrincipled")
        tree.links.new(bsdf.outputs["BSDF"], tree.nodes["Material Output"].inputs["Surface"])
    return bsdf


class MaterialPool:
    """The materials of a session, one per structure (see the module docstring), built on first
    use and kept: the structures are finitely many (slots x textures x emissive x weather
    effects x pass indices, plus the user texture sets), so memory stays bounded. With
    `procedural_textures` off, textured specs render through the flat material of their slot
    (`render.procedural_textures`); a spec with a texture set renders it either way.

    With `baked`, each (slot, spec, role, weather values, pass index) of a frame gets its own
    material with the values baked in as constants, removed after a frame that does not use it.
    """

    def __init__(self, procedural_textures: bool = True, baked: bool = False) -> None:
        self._textures = procedural_textures
        self._baked = baked
        self._materials: dict[tuple, bpy.types.Material] = {}
        self._used: set[tuple] = set()
        self._created = 0
        self.begin_frame(WeatherSpec())

    def begin_frame(self, weather: WeatherSpec) -> None:
        self._weather = weather
        self._used = set()
        self._weather_keys: dict[str, tuple] = {}
        self._weather_values: dict[str, dict] = {}

    def weather_key(self, role: str) -> tuple:
        """What the materials of surface role `role` depend on in the current frame's weather:
        the effects (`weather_structure`), and when baked their values too."""
        key = self._weather_keys.get(role)
        if key is None:
            key = weather_structure(self._weather, role)
            if self._baked:
                key = key, tuple(sorted(weather_values(self._weather, role).items()))
            self._weather_keys[role] = key
        return key

    def _object_weather(self, role: str) -> dict:
        """The weather values an object of `role` carries: its role's and, for the materials of
        slots its spec does not cover, the default role's."""
        values = self._weather_values.get(role)
        if values is None:
            values = {WEATHER_PREFIX + name: value
                      for name, value in pack_values(weather_values(self._weather, role)).items()}
            if role != "default":
                values.update(self._object_weather("default"))
            self._weather_values[role] = values
        return values

    def get(self, spec: MaterialSpec, slot: str, role: str = "default", pass_index: int = 0) -> bpy.types.Material:
        """The material for the mesh slot named `slot` of an object with this spec in this role;
        `pass_index` goes to the Material Index pass (the semantic class of the scenery using it),
        so materials of different classes are distinct."""
        textured = self._textured(spec)
        structure = pbr_structure(spec) if spec.pbr is not None else texture_structure(spec) if textured else FLAT
        emissive = spec.emission_strength > 0
        key = (slot, structure, emissive, self.weather_key(role), pass_index)
        if self._baked:
            key = (*key, spec, role)
        self._used.add(key)
        material = self._materials.get(key)
        if material is None:
            self._created += 1
            material = bpy.data.materials.new(f"mat_{self._created:06d}")
            material.pass_index = pass_index
            tree = material.node_tree
            values, weather = material_values(spec, textured), weather_values(self._weather, role)
            if not self._baked:  # the same names, read from the object (pack_values)
                values = AttributeInputs(tree, f"{ATTRIBUTE_PREFIX}{slot}_", values)
                weather = AttributeInputs(tree, WEATHER_PREFIX, weather)
            build_surface(tree, structure, emissive, values, slot)
            build_weather(tree, weather_structure(self._weather, role), weather)
            self._materials[key] = material
        return material

    def _textured(self, spec: MaterialSpec) -> bool:
        """The spec renders its procedural surface (texture sets render whatever this says)."""
        return spec.texture != "flat" and self._textures

    def write_attributes(self, obj: bpy.types.Object, materials: Iterable[tuple[str, MaterialSpec]],
                         role: str) -> None:
        """Set the custom properties that the materials of `obj` read: each (slot, spec)'s
        `material_values` and the `weather_values` of its role and the default role (nothing
        when baked)."""
        if self._baked:
            return
        for slot, spec in materials:
            prefix = f"{ATTRIBUTE_PREFIX}{slot}_"
            for name, value in pack_values(material_values(spec, self._textured(spec))).items():
                obj[prefix + name] = value
        for name, value in self._object_weather(role).items():
            obj[name] = value

    def end_frame(self) -> list[bpy.types.Material]:
        """The materials to remove (the caller removes them after the meshes that use them):
        when baked, those this frame did not use; otherwise none (the set is bounded)."""
        if not self._baked:
            return []
        unused = [key for key in self._materials if key not in self._used]
        return [self._materials.pop(key) for key in unused]

    def __len__(self) -> int:
        return len(self._materials)
