"""Builders: turn a `FrameSpec` into Blender objects. No randomness here.

The scene is rebuilt per frame into the one `bpy.context.scene`: objects, meshes, materials
and lights of the previous frame are removed first, so memory stays flat over long runs.
"""

from __future__ import annotations

import dataclasses
import math

import bpy
import numpy as np
from mathutils import Matrix, Vector

from simgen.blender.lights import build_street_lamps, emissive_overrides
from simgen.blender.materials import MaterialCache
from simgen.blender.motion import build_motion
from simgen.blender.nodes import socket_by_id
from simgen.blender.weather import build_fog_volume
from simgen.catalog.classes import scenery_class_id
from simgen.catalog.prop_mesh import prop_mesh
from simgen.geometry.camera import blender_matrix_world
from simgen.geometry.mesh import MeshData
from simgen.specs import CameraSpec, FrameSpec, LightingSpec, MaterialSpec, PropSpec

NIGHT_SKY_RGB = (0.004, 0.006, 0.014)
"""Linear RGB of the flat sky once the sun is 6 deg below the horizon (times sky_strength)."""

FALLBACK_MATERIAL = MaterialSpec((0.5, 0.5, 0.5), 0.5)
"""Neutral grey for a mesh slot that a prop's spec does not cover."""


def clear_scene() -> None:
    """Remove every object, mesh, material, light, camera, world and action from the file."""
    for collection in (bpy.data.objects, bpy.data.meshes, bpy.data.materials, bpy.data.lights,
                       bpy.data.cameras, bpy.data.worlds, bpy.data.actions):
        if len(collection):
            bpy.data.batch_remove(list(collection))


def build_frame(spec: FrameSpec, procedural_textures: bool = True) -> None:
    """Build the whole frame: world and sun, camera, scenery and labeled objects; textured
    materials get their procedural surfaces unless `procedural_textures` is off."""
    clear_scene()
    scene = bpy.context.scene
    build_lighting(spec.lighting, scene, spec.weather.cloudiness)
    build_camera(spec.camera, scene)
    build_street_lamps(spec.lighting, scene)
    if spec.weather.fog and spec.weather.fog_mode == "volumetric":
        build_fog_volume(spec.weather, spec.camera, scene)
    materials = MaterialCache(spec.weather, procedural_textures)
    for prop in spec.layout.scenery + spec.objects:
        overrides = emissive_overrides(spec.lighting, prop)
        build_prop(dataclasses.replace(prop, materials={**prop.materials, **overrides}) if overrides else prop,
                   scene, materials)
    build_motion(spec, scene)
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
    """Build one prop at its pose; labeled props get their instance index as pass_index, and the
    materials of scenery its semantic class as theirs (the Material Index pass)."""
    mesh_data = prop_mesh(prop)
    role = "road" if prop.name == "road" else "sidewalk" if prop.name.startswith("sidewalk") else "default"
    class_id = scenery_class_id(prop) if prop.instance_index == 0 else 0
    slot_materials = [materials.get(prop.materials[slot], role, class_id) if slot in prop.materials
                      else materials.get(FALLBACK_MATERIAL, pass_index=class_id) for slot in mesh_data.materials]
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


def _mix_rgb(tree, factor: float):
    node = tree.nodes.new("ShaderNodeMix")
    node.data_type = "RGBA"
    socket_by_id(node.inputs, "Factor_Float").default_value = factor
    return node


def build_lighting(spec: LightingSpec, scene: bpy.types.Scene, cloudiness: float = 0.0) -> None:
    """The sky world plus a sun lamp pointing along the same direction.

    Above the horizon the world is a Hosek-Wilkie sky; below it, the sky fades (over 6 deg) into
    a flat night-blue background of strength `sky_strength`. Clouds (`cloudiness` in [0, 1],
    from the weather) dim the sun lamp by up to 85 % and grey the sky.
    """
    direction = sun_direction(max(spec.sun_elevation_deg, 0.5), spec.sun_azimuth_deg)
    world = bpy.data.worlds.new("world")
    scene.world = world
    tree = world.node_tree
    background = tree.nodes.get("Background") or tree.nodes.new("ShaderNodeBackground")
    sky = tree.nodes.new("ShaderNodeTexSky")
    sky.sky_type = "HOSEK_WILKIE"
    sky.turbidity = spec.sky_turbidity
    sky.sun_direction = direction
    day = min(1.0, max(0.0, (spec.sun_elevation_deg + 6.0) / 6.0))
    overcast = _mix_rgb(tree, 0.8 * cloudiness)
    tree.links.new(sky.outputs["Color"], socket_by_id(overcast.inputs, "A_Color"))
    socket_by_id(overcast.inputs, "B_Color").default_value = (0.35, 0.37, 0.40, 1.0)
    night = _mix_rgb(tree, day)
    socket_by_id(night.inputs, "A_Color").default_value = (*NIGHT_SKY_RGB, 1.0)
    tree.links.new(socket_by_id(overcast.outputs, "Result_Color"), socket_by_id(night.inputs, "B_Color"))
    tree.links.new(socket_by_id(night.outputs, "Result_Color"), background.inputs["Color"])
    background.inputs["Strength"].default_value = spec.sky_strength
    output = tree.nodes.get("World Output") or tree.nodes.new("ShaderNodeOutputWorld")
    tree.links.new(background.outputs["Background"], output.inputs["Surface"])

    light = bpy.data.lights.new("sun", type="SUN")
    light.energy = spec.sun_strength_w_m2 * (1.0 - 0.85 * cloudiness)
    light.color = spec.sun_color_rgb
    light.angle = math.radians(spec.sun_angle_deg + 20.0 * cloudiness)
    sun = bpy.data.objects.new("sun", light)
    # A sun lamp shines along its local -Z: point local +Z at the sun.
    sun.rotation_euler = Vector(direction).to_track_quat("Z", "Y").to_euler()
    scene.collection.objects.link(sun)
    scene.view_settings.exposure = spec.exposure_ev
