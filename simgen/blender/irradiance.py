"""Horizontal irradiance of simgen's sun and sky, measured with real tiny Cycles renders
(for `bench/sky_irradiance.py` and its test; never used to render a dataset).

simgen's own world and sun lamp (`simgen.blender.build.build_lighting`) light an unbounded
horizontal plane of white Lambertian (albedo 1) seen from straight above by an orthographic
camera. A white Lambertian surface's radiance is E / pi, so pi times the mean linear Rec. 709
luminance of the render is the horizontal irradiance E (W/m2, luminance units).
"""

from __future__ import annotations

import math
from pathlib import Path

import bpy
import numpy as np

from simgen.blender.build import build_lighting
from simgen.render.exposure import REC709_LUMA
from simgen.specs import LightingSpec


def _scene(size_px: int, samples: int) -> bpy.types.Scene:
    """An empty Cycles scene: a 1 km white Lambertian plane at z = 0, an orthographic camera 1 m up."""
    bpy.ops.wm.read_factory_settings(use_empty=True)
    scene = bpy.context.scene
    scene.render.engine = "CYCLES"
    scene.cycles.device = "CPU"
    scene.cycles.samples, scene.cycles.use_denoising = samples, False
    scene.render.resolution_x = scene.render.resolution_y = size_px
    scene.render.image_settings.file_format = "OPEN_EXR"
    scene.render.image_settings.color_depth = "32"
    mesh = bpy.data.meshes.new("ground")
    half = 500.0
    mesh.from_pydata([(-half, -half, 0), (half, -half, 0), (half, half, 0), (-half, half, 0)], [], [(0, 1, 2, 3)])
    material = bpy.data.materials.new("white")
    tree = material.node_tree
    diffuse = tree.nodes.new("ShaderNodeBsdfDiffuse")  # Lambertian at roughness 0
    diffuse.inputs["Color"].default_value = (1.0, 1.0, 1.0, 1.0)
    diffuse.inputs["Roughness"].default_value = 0.0
    tree.links.new(diffuse.outputs["BSDF"], tree.nodes["Material Output"].inputs["Surface"])
    mesh.materials.append(material)
    scene.collection.objects.link(bpy.data.objects.new("ground", mesh))
    cam_data = bpy.data.cameras.new("cam")
    cam_data.type, cam_data.ortho_scale = "ORTHO", 1.0
    camera = bpy.data.objects.new("cam", cam_data)
    camera.location = (0.0, 0.0, 1.0)
    scene.collection.objects.link(camera)
    scene.camera = camera
    return scene


def _mean_luminance(scene: bpy.types.Scene, path: Path) -> float:
    """Mean linear Rec. 709 luminance of a render of `scene`."""
    scene.render.filepath = str(path)
    bpy.ops.render.render(write_still=True)
    image = bpy.data.images.load(str(path))
    pixels = np.array(image.pixels[:], dtype=np.float64).reshape(-1, 4)[:, :3]
    bpy.data.images.remove(image)
    return float((pixels @ np.asarray(REC709_LUMA)).mean())


def horizontal_irradiance(elevation_deg: float, turbidity: float, sky_strength: float, size_px: int,
                          samples: int, work: Path) -> tuple[float, float]:
    """(E_sun, E_sky) horizontal irradiance (W/m2 luminance units) for a 1 W/m2 white sun lamp."""
    spec = LightingSpec(sun_elevation_deg=elevation_deg, sun_azimuth_deg=30.0, sun_strength_w_m2=1.0,
                        sun_angle_deg=0.5, sky_strength=sky_strength, sky_turbidity=turbidity, exposure_ev=0.0)
    scene = _scene(size_px, samples)
    build_lighting(spec, scene)
    background = scene.world.node_tree.nodes["Background"]
    sky = background.inputs["Strength"].default_value
    background.inputs["Strength"].default_value = 0.0
    e_sun = math.pi * _mean_luminance(scene, work / "sun.exr")
    background.inputs["Strength"].default_value = sky
    bpy.data.objects["sun"].data.energy = 0.0
    e_sky = math.pi * _mean_luminance(scene, work / "sky.exr")
    return e_sun, e_sky
