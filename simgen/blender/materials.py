"""Materials from `MaterialSpec`s: shared flat materials driven by per-object attributes, and
procedural (textured) materials built per spec.

A flat spec (one colour, roughness, metallic, maybe emission) does not get a material of its
own: every mesh slot named s (e.g. 'paint') of every object uses the one shared material of
slot s, whose
Principled BSDF reads its values from the object's custom properties (`slot_attributes`)
through Attribute nodes of type OBJECT. So the set of flat node trees is fixed for a run and
Cycles compiles their shaders once; a frame only writes a few numbers per object. Emissive
specs get their own shared variant, so that the non-emissive trees stay non-emissive for
Cycles' light sampling (an Emission Strength fed by a node would make every triangle a lamp).

Textured specs differ in their node values, not in their node graphs: the graph depends only
on (texture, surface role, which weather effects apply). Their materials are pooled by that
structure and re-parameterized per frame by replaying the builder on the existing tree
(`_ReplayTree`): `nodes.new` hands back the node created at that step the first time and
`links.new` does nothing, so only the values are written (creating nodes and links from Python
is what made a material cost milliseconds).
"""

from __future__ import annotations

import bpy

from simgen.blender.textures import build_texture
from simgen.blender.weather import add_snow, make_wet
from simgen.specs import MaterialSpec, WeatherSpec

TEXTURED_SPARES = 8
"""Pooled textured materials kept per structure beyond what the last frame used."""
ATTRIBUTE_PREFIX = "simgen_"
"""Custom property names on objects: simgen_{slot}_{rgb|rough|metal|emit_rgb|emit}."""


def slot_attributes(slot: str, spec: MaterialSpec) -> dict[str, float | tuple[float, ...]]:
    """The object custom properties that the shared flat material of mesh slot `slot` reads:
    linear RGB (3 floats), roughness and metallic in [0, 1], emission RGB and strength (W/m^2-ish
    Blender units)."""
    prefix = f"{ATTRIBUTE_PREFIX}{slot}_"
    values: dict[str, float | tuple[float, ...]] = {
        prefix + "rgb": tuple(spec.base_color_rgb), prefix + "rough": spec.roughness, prefix + "metal": spec.metallic}
    if spec.emission_strength > 0:
        values[prefix + "emit_rgb"] = tuple(spec.emission_color_rgb)
        values[prefix + "emit"] = spec.emission_strength
    return values


class _RecordingNodes:
    """`tree.nodes` that remembers the nodes it creates, in order."""

    def __init__(self, nodes, created: list) -> None:
        self._nodes, self._created = nodes, created

    def new(self, node_type: str):
        node = self._nodes.new(node_type)
        self._created.append(node)
        return node

    def get(self, name: str, default=None):
        return self._nodes.get(name, default)

    def __getitem__(self, name: str):
        return self._nodes[name]


class _ReplayingNodes(_RecordingNodes):
    """`tree.nodes` that hands back, at the n-th `new`, the n-th node recorded before."""

    def __init__(self, nodes, created: list) -> None:
        super().__init__(nodes, created)
        self._step = 0

    def new(self, node_type: str):
        node = self._created[self._step]
        self._step += 1
        if node.bl_idname != node_type:
            raise RuntimeError(f"material replay diverged: step {self._step} made {node.bl_idname}, wants {node_type}")
        return node


class _NoLinks:
    @staticmethod
    def new(*_args, **_kwargs) -> None:
        return None


class _ReplayTree:
    """A material's node tree as the builders see it, recording or replaying (see the module
    docstring); `material.node_tree` is all the builders use of a material."""

    def __init__(self, material: bpy.types.Material, created: list, replay: bool) -> None:
        tree = material.node_tree
        self.node_tree = self
        self.nodes = (_ReplayingNodes if replay else _RecordingNodes)(tree.nodes, created)
        self.links = _NoLinks if replay else tree.links


def _weather_key(weather: WeatherSpec, role: str) -> tuple:
    """The weather values that a material of this surface role depends on (see MaterialPool)."""
    wet = (weather.road_wetness, weather.puddle_coverage if role == "road" else 0.0,
           weather.puddle_offset if role == "road" else 0.0) if weather.rain and role in ("road", "sidewalk") else ()
    snow = (weather.snow_cover,) if weather.snow and weather.snow_cover > 0 else ()
    return (role, wet, snow)


class MaterialPool:
    """The materials of the current frame, kept across frames where they can be.

    Shared flat materials are keyed by (slot, emissive, role, the weather values that role
    depends on) and live as long as frames use them; textured materials are keyed by their
    spec (sampled per frame, so rarely repeated) and are removed after a frame that does not
    use them. Roles: 'road' (wet + puddles, less snow), 'sidewalk' (wet, less snow) and
    'default' (snow on upward faces). With `procedural_textures` off, textured specs render
    their flat base values (`render.procedural_textures`).
    """

    def __init__(self, procedural_textures: bool = True) -> None:
        self._textures = procedural_textures
        self._weather = WeatherSpec()
        self._materials: dict[tuple, bpy.types.Material] = {}
        self._used: set[tuple] = set()
        self._textured: dict[tuple, list[tuple[bpy.types.Material, list]]] = {}
        """Textured materials by structure, each with the nodes its builder created."""
        self._uses: dict[tuple, int] = {}
        self._assigned: dict[tuple, bpy.types.Material] = {}
        self._created = 0

    def begin_frame(self, weather: WeatherSpec) -> None:
        self._weather = weather
        self._used = set()
        self._uses = {}
        self._assigned = {}

    def is_shared(self, spec: MaterialSpec) -> bool:
        """Whether `spec` renders through a shared flat material (values from object attributes)."""
        return spec.texture == "flat" or not self._textures

    def get(self, spec: MaterialSpec, slot: str, role: str = "default", pass_index: int = 0) -> bpy.types.Material:
        """The material for the mesh slot named `slot` of an object with this spec in this role;
        `pass_index` goes to the Material Index pass (the semantic class of the scenery using it),
        so materials of different classes are distinct."""
        weather = _weather_key(self._weather, role)
        if not self.is_shared(spec):
            return self._textured_material(spec, role, weather, pass_index)
        key = ("flat", slot, spec.emission_strength > 0, weather, pass_index)
        self._used.add(key)
        material = self._materials.get(key)
        if material is None:
            self._created += 1
            material = build_flat_material(f"mat_{self._created:06d}", slot, emissive=key[2])
            material.pass_index = pass_index
            self._apply_weather(material, role)
            self._materials[key] = material
        return material

    def _textured_material(self, spec: MaterialSpec, role: str, weather: tuple, pass_index: int) -> bpy.types.Material:
        """This frame's material for a textured spec: the same spec in the same role gets the
        same material; otherwise the next pooled material of its structure, re-parameterized."""
        assigned = self._assigned.get((spec, role, pass_index))
        if assigned is not None:
            return assigned
        _, wet, snow = weather
        puddles = bool(wet) and wet[1] > 0
        structure = (spec.texture, spec.emission_strength > 0, role, bool(wet), puddles, bool(snow), pass_index)
        pool = self._textured.setdefault(structure, [])
        use = self._uses.get(structure, 0)
        self._uses[structure] = use + 1
        if use < len(pool):
            material, created = pool[use]
            self._build_textured(spec, role, _ReplayTree(material, created, replay=True))
        else:
            self._created += 1
            material, created = bpy.data.materials.new(f"mat_{self._created:06d}"), []
            material.pass_index = pass_index
            self._build_textured(spec, role, _ReplayTree(material, created, replay=False))
            pool.append((material, created))
        material.diffuse_color = (*spec.base_color_rgb, 1.0)
        self._assigned[(spec, role, pass_index)] = material
        return material

    def _build_textured(self, spec: MaterialSpec, role: str, material) -> None:
        build_material_nodes(spec, material, True)
        self._apply_weather(material, role)

    def _apply_weather(self, material, role: str) -> None:
        weather = self._weather
        if weather.rain and role in ("road", "sidewalk"):
            make_wet(material, weather, puddles=role == "road")
        if weather.snow and weather.snow_cover > 0:
            add_snow(material, weather.snow_cover * (0.6 if role == "road" else 1.0), on_road=role == "road")

    def weather_key(self, role: str) -> tuple:
        """What the shared materials of `role` depend on in the current frame's weather."""
        return _weather_key(self._weather, role)

    def end_frame(self) -> list[bpy.types.Material]:
        """Forget the shared materials this frame did not use (their weather is gone) and the
        pooled textured ones beyond this frame's need; returns them for removal (the caller
        removes them after the meshes that use them)."""
        unused = [key for key in self._materials if key not in self._used]
        removed = [self._materials.pop(key) for key in unused]
        for structure, pool in self._textured.items():
            keep = max(self._uses.get(structure, 0), TEXTURED_SPARES)
            removed.extend(material for material, _ in pool[keep:])
            del pool[keep:]
        return removed

    def __len__(self) -> int:
        return len(self._materials) + sum(len(pool) for pool in self._textured.values())


def _attribute(tree, name: str, output: str):
    node = tree.nodes.new("ShaderNodeAttribute")
    node.attribute_type = "OBJECT"  # the object's custom property `name` (Cycles reads it per object)
    node.attribute_name = name
    return node.outputs[output]


def build_flat_material(name: str, slot: str, emissive: bool) -> bpy.types.Material:
    """The shared flat material of the mesh slot named `slot`: a Principled BSDF whose Base Color,
    Roughness, Metallic (and, if `emissive`, Emission Color and Strength) come from the
    object's custom properties named by `slot_attributes`."""
    material = bpy.data.materials.new(name)
    tree = material.node_tree
    bsdf = _principled(tree)
    prefix = f"{ATTRIBUTE_PREFIX}{slot}_"
    tree.links.new(_attribute(tree, prefix + "rgb", "Color"), bsdf.inputs["Base Color"])
    tree.links.new(_attribute(tree, prefix + "rough", "Fac"), bsdf.inputs["Roughness"])
    tree.links.new(_attribute(tree, prefix + "metal", "Fac"), bsdf.inputs["Metallic"])
    if emissive:
        tree.links.new(_attribute(tree, prefix + "emit_rgb", "Color"), bsdf.inputs["Emission Color"])
        tree.links.new(_attribute(tree, prefix + "emit", "Fac"), bsdf.inputs["Emission Strength"])
    return material


def _principled(tree) -> bpy.types.Node:
    bsdf = tree.nodes.get("Principled BSDF")
    if bsdf is None:  # Blender 5 creates the default node tree with new materials; be safe
        bsdf = tree.nodes.new("ShaderNodeBsdfPrincipled")
        tree.links.new(bsdf.outputs["BSDF"], tree.nodes["Material Output"].inputs["Surface"])
    return bsdf


def build_material(spec: MaterialSpec, name: str, procedural_textures: bool = True) -> bpy.types.Material:
    """A node material: Principled BSDF -> Material Output, with the spec's procedural
    texture (`simgen.blender.textures`) feeding the BSDF unless it is 'flat' or textures are off."""
    material = bpy.data.materials.new(name)
    build_material_nodes(spec, material, procedural_textures)
    material.diffuse_color = (*spec.base_color_rgb, 1.0)
    return material


def build_material_nodes(spec: MaterialSpec, material, procedural_textures: bool = True) -> None:
    """Set the spec's values on the material's Principled BSDF and build its texture nodes
    (`material` may be a `_ReplayTree`)."""
    tree = material.node_tree
    bsdf = _principled(tree)
    bsdf.inputs["Base Color"].default_value = (*spec.base_color_rgb, 1.0)
    bsdf.inputs["Roughness"].default_value = spec.roughness
    bsdf.inputs["Metallic"].default_value = spec.metallic
    if spec.emission_strength > 0:
        bsdf.inputs["Emission Color"].default_value = (*spec.emission_color_rgb, 1.0)
        bsdf.inputs["Emission Strength"].default_value = spec.emission_strength
    if spec.texture != "flat" and procedural_textures:
        build_texture(material, spec)
