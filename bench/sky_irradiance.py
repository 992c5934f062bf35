"""Sun / sky horizontal irradiance ratio of simgen's day lighting, from real tiny Cycles renders.

For each sun elevation and turbidity of a grid over the day option's ranges
(configs/lighting/sun_sky.yaml), builds simgen's own world and sun lamp
(`simgen.blender.build.build_lighting`, Hosek-Wilkie, clear) over an unbounded horizontal plane
of white Lambertian (albedo 1) seen from straight above, and renders it twice: sun lamp only
(world strength 0) and sky only (sun lamp off). A white Lambertian surface's radiance is
E / pi, so the ratio of the two renders' mean luminance (Rec. 709, linear EXR) is the ratio of
the horizontal irradiances E_sun / E_sky. The sun render is checked against the analytic
E_sun = strength * sin(elevation). Prints, per `--sky-strength`, the ratio at each grid point
for a 1 W/m2 sun and its range over the sun strengths `--sun-strength` (default: the day
option's 3-5 W/m2). Real clear days: about 2-8 (direct / diffuse horizontal irradiance at
15-65 deg sun elevation).

    .venv/bin/python bench/sky_irradiance.py --sky-strength 1.0 2.0
"""

from __future__ import annotations

import argparse
import math
import tempfile
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
    material.use_nodes = True
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sky-strength", type=float, nargs="+", default=[1.0, 2.0])
    parser.add_argument("--sun-strength", type=float, nargs=2, default=[3.0, 5.0], metavar=("LOW", "HIGH"))
    parser.add_argument("--elevations", type=float, nargs="+", default=[15.0, 25.0, 35.0, 45.0, 55.0, 65.0])
    parser.add_argument("--turbidities", type=float, nargs="+", default=[2.0, 3.5, 5.0])
    parser.add_argument("--size", type=int, default=8, help="render side, pixels")
    parser.add_argument("--samples", type=int, default=256)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for strength in args.sky_strength:
            ratios = []
            print(f"sky_strength {strength:g}: E_sun / E_sky for a 1 W/m2 sun (rows: elevation; columns: "
                  f"turbidity {', '.join(f'{t:g}' for t in args.turbidities)})")
            for elevation in args.elevations:
                row = []
                for turbidity in args.turbidities:
                    e_sun, e_sky = horizontal_irradiance(elevation, turbidity, strength, args.size, args.samples,
                                                         Path(tmp))
                    analytic = math.sin(math.radians(elevation))
                    assert abs(e_sun / analytic - 1.0) < 0.02, (elevation, e_sun, analytic)
                    row.append(e_sun / e_sky)
                ratios += row
                print(f"  {elevation:4.0f} deg: " + "  ".join(f"{r:6.3f}" for r in row)
                      + f"   (E_sky {e_sky:.4f} at turbidity {args.turbidities[-1]:g})")
            low, high = args.sun_strength
            print(f"sky_strength {strength:g}, sun {low:g}-{high:g} W/m2: sun/sky horizontal irradiance "
                  f"{low * min(ratios):.2f} - {high * max(ratios):.2f}")


if __name__ == "__main__":
    main()
