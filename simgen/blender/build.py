"""Builders: turn a `FrameSpec` into Blender objects. No randomness here.

The scene is rebuilt per frame into the one `bpy.context.scene`: objects, meshes, materials
and lights of the previous frame are removed first, so memory stays flat over long runs.
"""

from __future__ import annotations

import math

import bpy
import numpy as np
from mathutils import Matrix, Vector

from simgen.assets.recipes import RECIPES
from simgen.blender.materials import MaterialCache
from simgen.geometry.camera import blender_matrix_world
from simgen.meshes import MeshData
from simgen.specs import CameraSpec, FrameSpec, LightingSpec, MaterialSpec, PropSpec

FALLBACK_MATERIAL = MaterialSpec((0.5, 0.5, 0.5), 0.5)
"""Neutral grey for a mesh slot that a prop's spec does not cover."""


def clear_scene() -> None:
    """Remove every object, mesh, material, light, camera and world from the file."""
    for collection in (bpy.data.objects, bpy.data.meshes, bpy.data.materials, bpy.data.lights,
                       bpy.data.cameras, bpy.data.worlds):
        if len(collection):
            bpy.data.batch_remove(list(collection))


def build_frame(spec: FrameSpec) -> None:
    """Build the whole frame: world and sun, camera, scenery and labeled objects."""
    clear_scene()
    scene = bpy.context.scene
    build_lighting(spec.lighting, scene)
    build_camera(spec.camera, scene)
    materials = MaterialCache()
    for prop in spec.layout.scenery + spec.objects:
        build_prop(prop, scene, materials)
    scene.cycles.seed = spec.cycles_seed


def build_mesh_object(name: str, mesh_data: MeshData, materials: list[bpy.types.Material]) -> bpy.types.Object:
    """A Blender mesh object from pure `MeshData` (object frame, metres)."""
    mesh = bpy.data.meshes.new(name)
    vertices = mesh_data.vertices_m.astype(np.float32)
    loop_counts = np.array([len(face) for face in mesh_data.faces], dtype=np.int32)
    loop_vertices = np.fromiter((i for face in mesh_data.faces for i in face), dtype=np.int32)
    loop_starts = np.concatenate([[0], np.cumsum(loop_counts)[:-1]]).astype(np.int32)
    mesh.vertices.add(len(vertices))
    mesh.vertices.foreach_set("co", vertices.ravel())
    mesh.loops.add(len(loop_vertices))
    mesh.loops.foreach_set("vertex_index", loop_vertices)
    mesh.polygons.add(len(loop_counts))
    mesh.polygons.foreach_set("loop_start", loop_starts)
    mesh.polygons.foreach_set("loop_total", loop_counts)
    for material in materials:
        mesh.materials.append(material)
    mesh.polygons.foreach_set("material_index", np.asarray(mesh_data.face_material, dtype=np.int32))
    mesh.update()
    mesh.validate()
    return bpy.data.objects.new(name, mesh)


def build_prop(prop: PropSpec, scene: bpy.types.Scene, materials: MaterialCache) -> bpy.types.Object:
    """Build one prop at its pose; labeled props get their instance index as pass_index."""
    mesh_data = RECIPES[prop.recipe].build_mesh(prop.params)
    slot_materials = [materials.get(prop.materials[slot]) if slot in prop.materials
                      else materials.get(FALLBACK_MATERIAL) for slot in mesh_data.materials]
    obj = build_mesh_object(prop.name, mesh_data, slot_materials)
    obj.location = prop.location_m
    obj.rotation_euler = (0.0, 0.0, math.radians(prop.yaw_deg))
    # Cycles writes pass_index into the Object Index pass; it clamps silently above 32767
    # (bpy 5.0.1, measured), which `simgen.config.load` rules out before we get here.
    obj.pass_index = prop.instance_index
    scene.collection.objects.link(obj)
    return obj


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


def sun_direction(elevation_deg: float, azimuth_deg: float) -> tuple[float, float, float]:
    """Unit vector from the scene towards the sun, world frame (azimuth from +x towards +y)."""
    el, az = math.radians(elevation_deg), math.radians(azimuth_deg)
    return (math.cos(el) * math.cos(az), math.cos(el) * math.sin(az), math.sin(el))


def build_lighting(spec: LightingSpec, scene: bpy.types.Scene) -> None:
    """A Hosek-Wilkie sky world plus a sun lamp pointing along the same direction."""
    direction = sun_direction(spec.sun_elevation_deg, spec.sun_azimuth_deg)
    world = bpy.data.worlds.new("world")
    scene.world = world
    tree = world.node_tree
    background = tree.nodes.get("Background") or tree.nodes.new("ShaderNodeBackground")
    sky = tree.nodes.new("ShaderNodeTexSky")
    sky.sky_type = "HOSEK_WILKIE"
    sky.turbidity = spec.sky_turbidity
    sky.sun_direction = direction
    tree.links.new(sky.outputs["Color"], background.inputs["Color"])
    background.inputs["Strength"].default_value = spec.sky_strength
    output = tree.nodes.get("World Output") or tree.nodes.new("ShaderNodeOutputWorld")
    tree.links.new(background.outputs["Background"], output.inputs["Surface"])

    light = bpy.data.lights.new("sun", type="SUN")
    light.energy = spec.sun_strength_w_m2
    light.angle = math.radians(spec.sun_angle_deg)
    sun = bpy.data.objects.new("sun", light)
    # A sun lamp shines along its local -Z: point local +Z at the sun.
    sun.rotation_euler = Vector(direction).to_track_quat("Z", "Y").to_euler()
    scene.collection.objects.link(sun)
    scene.view_settings.exposure = spec.exposure_ev
