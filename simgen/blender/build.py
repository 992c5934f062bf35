"""Builders: turn a `FrameSpec` into Blender objects. No randomness here.

`SceneBuilder` keeps one persistent scene in `bpy.context.scene` and re-randomizes it per
frame: the props' mesh objects are re-used from a pool (moved, re-meshed, re-parameterized),
their meshes come from a cache keyed by recipe parameters (identical ones are instanced), and
materials are a fixed set of node trees driven by per-object attributes
(`simgen.blender.materials`), so objects sharing a mesh may differ in every material value.
What is cheap to rebuild (camera, world, sun, street lamps, fog volume, animation) is removed
and built again. Caches are bounded, so memory stays flat over long runs.
"""

from __future__ import annotations

import dataclasses
import math

import bpy
from mathutils import Matrix, Vector

from simgen.blender.lights import build_street_lamps, emissive_overrides
from simgen.blender.materials import MaterialPool
from simgen.blender.motion import build_motion
from simgen.blender.pbr import UV_MAP
from simgen.blender.scene_pool import MeshCache, ObjectPool, build_mesh, mesh_key
from simgen.blender.weather import FOG_VOLUME_NAME, build_fog_volume
from simgen.blender.world import build_hdri_world, build_sky_world, set_world_sampling, sun_direction
from simgen.catalog.classes import scenery_class_id
from simgen.catalog.prop_mesh import prop_mesh
from simgen.geometry.camera import blender_matrix_world
from simgen.geometry.uv import box_uv_m
from simgen.specs import CameraSpec, FrameSpec, LightingSpec, MaterialSpec, PropSpec

FALLBACK_MATERIAL = MaterialSpec((0.5, 0.5, 0.5), 0.5)
"""Neutral grey for a mesh slot that a prop's spec does not cover."""


def clear_scene() -> None:
    """Remove every object, mesh, material, light, camera, world and action from the file."""
    for collection in (bpy.data.objects, bpy.data.meshes, bpy.data.materials, bpy.data.lights,
                       bpy.data.cameras, bpy.data.worlds, bpy.data.actions):
        if len(collection):
            bpy.data.batch_remove(list(collection))


def clear_transient() -> None:
    """Remove what each frame builds afresh: cameras, lights, worlds, actions, the fog volume."""
    objects = [obj for obj in bpy.data.objects if obj.type in ("CAMERA", "LIGHT") or obj.name == FOG_VOLUME_NAME]
    fog = [data.get(FOG_VOLUME_NAME) for data in (bpy.data.meshes, bpy.data.materials)]
    for ids in (objects, [i for i in fog if i is not None], bpy.data.lights, bpy.data.cameras, bpy.data.worlds,
                bpy.data.actions):
        if len(ids):
            bpy.data.batch_remove(list(ids))


class SceneBuilder:
    """Builds frames into the one scene of a Blender session, re-using what earlier frames built.

    The labels do not depend on what was re-used: a frame's geometry, poses, pass indices and
    animation are set from its spec alone (tests/blender/test_persistent_scene.py renders runs
    of frames against fresh builds). Create one per session (`read_factory_settings` frees
    everything it holds).

    Args:
        procedural_textures: build textured materials' procedural surfaces (else flat values).
        baked_materials: one material per spec with its values baked in, instead of the
            attribute-driven set (the reference that tests compare the set with).
    """

    def __init__(self, procedural_textures: bool = True, baked_materials: bool = False,
                 sky_importance_map_px: int = 0) -> None:
        self.sky_importance_map_px = sky_importance_map_px
        self.materials = MaterialPool(procedural_textures, baked_materials)
        self.meshes = MeshCache()
        self.objects = ObjectPool()
        self._meshes_created = 0

    def build(self, spec: FrameSpec) -> None:
        """Build the whole frame: world and sun, camera, scenery and labeled objects."""
        clear_transient()
        scene = bpy.context.scene
        self.objects.begin_frame(scene)
        self.materials.begin_frame(spec.weather)
        build_lighting(spec.lighting, scene, spec.weather.cloudiness)
        set_world_sampling(scene.world, spec.lighting.hdri is not None, self.sky_importance_map_px)
        build_camera(spec.camera, scene)
        build_street_lamps(spec.lighting, scene)
        if spec.weather.fog and spec.weather.fog_mode == "volumetric":
            build_fog_volume(spec.weather, spec.camera, scene)
        by_name = {}
        for prop in spec.layout.scenery + spec.objects:
            overrides = emissive_overrides(spec.lighting, prop)
            if overrides:
                prop = dataclasses.replace(prop, materials={**prop.materials, **overrides})
            by_name[prop.name] = self._build_prop(prop, scene)
        build_motion(spec, scene, by_name)
        scene.cycles.seed = spec.cycles_seed
        self._trim()

    def _build_prop(self, prop: PropSpec, scene: bpy.types.Scene) -> bpy.types.Object:
        """Place one prop: its (cached) mesh on a pooled object at its pose, its material and
        weather values as object attributes, its instance index as pass_index; the materials of
        scenery carry its semantic class as theirs (the Material Index pass). The mesh key names
        the materials of the prop's slots; the context adds what the materials of slots that
        its spec does not cover (FALLBACK_MATERIAL) depend on. A mesh wearing a texture set gets
        a box-projected UV map (`simgen.blender.pbr`)."""
        role = "road" if prop.name == "road" else "sidewalk" if prop.name.startswith("sidewalk") else "default"
        class_id = scenery_class_id(prop) if prop.instance_index == 0 else 0  # the Material Index pass
        chosen = tuple((slot, self.materials.get(spec, slot, role, class_id).name)
                       for slot, spec in sorted(prop.materials.items()))
        context = (self.materials.weather_key("default"), class_id)
        key = mesh_key(prop.recipe, prop.params, chosen, context)
        cached = self.meshes.get(key)
        if cached is None:
            mesh_data = prop_mesh(prop)
            slots = tuple(mesh_data.materials)
            self._meshes_created += 1
            uv = (UV_MAP, box_uv_m(mesh_data)) if any(m.pbr is not None for m in prop.materials.values()) else None
            mesh = build_mesh(f"mesh_{self._meshes_created:06d}", mesh_data,
                              [self.materials.get(prop.materials[slot], slot, role, class_id) if slot in prop.materials
                               else self.materials.get(FALLBACK_MATERIAL, slot, "default", class_id) for slot in slots],
                              uv)
            self.meshes.put(key, mesh, slots)
        else:
            mesh, slots = cached
        obj = self.objects.take(mesh, scene)
        self.materials.write_attributes(obj, ((slot, prop.materials.get(slot, FALLBACK_MATERIAL)) for slot in slots),
                                        role)
        obj.location = prop.location_m
        obj.rotation_euler = (0.0, 0.0, math.radians(prop.yaw_deg))
        # Cycles writes pass_index into the Object Index pass; it clamps silently above 32767
        # (bpy 5.0.1, measured), which `simgen.config.load` rules out before we get here.
        obj.pass_index = prop.instance_index
        return obj

    def _trim(self) -> None:
        """Drop materials, meshes and spare objects that the caches no longer keep."""
        materials = self.materials.end_frame()
        meshes = self.meshes.end_frame({m.name for m in materials})
        objects = self.objects.end_frame({m.name for m in meshes})
        for ids in (objects, meshes, materials):
            if ids:
                bpy.data.batch_remove(ids)


def build_frame(spec: FrameSpec, procedural_textures: bool = True) -> None:
    """Build one frame from scratch (an empty scene first): the reference that a persistent
    `SceneBuilder` must match."""
    clear_scene()
    SceneBuilder(procedural_textures).build(spec)


def build_camera(spec: CameraSpec, scene: bpy.types.Scene) -> bpy.types.Object:
    """A perspective camera with horizontal sensor fit, so fx = f / sensor_width * W."""
    camera = bpy.data.cameras.new("camera")
    camera.type = "PERSP"
    camera.lens_unit = "MILLIMETERS"
    camera.lens = spec.focal_length_mm
    camera.sensor_fit = "HORIZONTAL"
    camera.sensor_width = spec.sensor_width_mm
    camera.clip_start = spec.clip_start_m
    camera.clip_end = spec.clip_end_m
    obj = bpy.data.objects.new("camera", camera)
    obj.matrix_world = Matrix(blender_matrix_world(spec).tolist())
    scene.collection.objects.link(obj)
    scene.camera = obj
    scene.render.resolution_x = spec.width_px
    scene.render.resolution_y = spec.height_px
    scene.render.resolution_percentage = 100
    scene.render.pixel_aspect_x = 1.0
    scene.render.pixel_aspect_y = 1.0
    return obj


def build_lighting(spec: LightingSpec, scene: bpy.types.Scene, cloudiness: float = 0.0) -> None:
    """The sky world plus a sun lamp pointing along the same direction.

    Above the horizon the world is the spec's sky model with its cloud layer; below it, the sky
    fades (over 6 deg) into a flat night-blue background (`simgen.blender.world.build_sky_world`).
    The weather's clouds (`cloudiness` in [0, 1]) dim the sun lamp by up to 85 % and grey the sky.
    With an HDRI (`spec.hdri`) the world is that image instead, rotated about world z, and there
    is no sun lamp (`build_hdri_world`).
    """
    if spec.hdri is not None:
        build_hdri_world(spec.hdri, scene)
        scene.view_settings.exposure = spec.exposure_ev
        return
    direction = sun_direction(max(spec.sun_elevation_deg, 0.5), spec.sun_azimuth_deg)
    build_sky_world(spec, scene, cloudiness)

    light = bpy.data.lights.new("sun", type="SUN")
    light.energy = spec.sun_strength_w_m2 * (1.0 - 0.85 * cloudiness)
    light.color = spec.sun_color_rgb
    light.angle = math.radians(spec.sun_angle_deg + 20.0 * cloudiness)
    sun = bpy.data.objects.new("sun", light)
    # A sun lamp shines along its local -Z: point local +Z at the sun.
    sun.rotation_euler = Vector(direction).to_track_quat("Z", "Y").to_euler()
    scene.collection.objects.link(sun)
    scene.view_settings.exposure = spec.exposure_ev
