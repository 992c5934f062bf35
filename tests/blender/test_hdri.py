"""HDRI environments on real Cycles renders: Blender's equirectangular convention and the
rotation as `simgen.catalog.environments` states them, and a run lit by an HDRI keeping exactly
the labels of the same run under the procedural sky."""

from __future__ import annotations

import json
import math

import numpy as np
import OpenEXR
import pytest

from simgen.catalog.environments import direction_of_pixel
from simgen.specs import HdriSpec
from tests.e2e.tiny import render_tiny
from tests.unit.test_environments import sky_with_sun, write_hdr

pytestmark = pytest.mark.blender

WIDTH, HEIGHT = 128, 64


def _coded_hdri(path) -> None:
    """R = u (column centre / W), G = v (row centre / H, from the top), B = 0.25."""
    v, u = np.mgrid[0:HEIGHT, 0:WIDTH]
    rgb = np.stack([(u + 0.5) / WIDTH, (v + 0.5) / HEIGHT, np.full(u.shape, 0.25)], axis=-1).astype(np.float32)
    write_hdr(path, rgb)


def _look_up(directions_deg: list[tuple[float, float]], rotation_deg: float, hdri_path, tmp_path):
    """The (u, v) codes seen by a 3x3 camera looking along each world (azimuth, elevation), with
    the environment built by simgen's builder at `rotation_deg`."""
    import bpy
    from mathutils import Vector

    from simgen.blender.build import build_hdri_world

    bpy.ops.wm.read_factory_settings(use_empty=True)
    scene = bpy.context.scene
    scene.render.engine = "CYCLES"
    scene.cycles.samples = 1
    scene.cycles.use_denoising = False
    scene.cycles.filter_width = 0.01  # the centre pixel's one ray runs along the camera axis
    scene.render.resolution_x = scene.render.resolution_y = 3
    build_hdri_world(HdriSpec("coded.hdr", str(hdri_path), "", rotation_deg, 1.0), scene)
    scene.world.node_tree.nodes["Environment Texture"].interpolation = "Closest"
    lens = bpy.data.cameras.new("camera")
    lens.lens = 200.0  # a narrow view: the 3 pixels span a few degrees
    camera = bpy.data.objects.new("camera", lens)
    scene.collection.objects.link(camera)
    scene.camera = camera
    settings = scene.render.image_settings
    settings.media_type = "MULTI_LAYER_IMAGE"
    settings.file_format = "OPEN_EXR_MULTILAYER"
    settings.color_depth = "32"
    scene.render.filepath = str(tmp_path / "look.exr")
    seen = []
    for azimuth, elevation in directions_deg:
        az, el = math.radians(azimuth), math.radians(elevation)
        forward = Vector((math.cos(el) * math.cos(az), math.cos(el) * math.sin(az), math.sin(el)))
        camera.rotation_euler = (-forward).to_track_quat("Z", "Y").to_euler()
        bpy.ops.render.render(write_still=True)
        with OpenEXR.File(str(tmp_path / "look.exr"), separate_channels=True) as exr:
            (combined,) = [p for p in exr.parts if p.name().endswith("Combined")]
            channels = {name.rsplit(".", 1)[-1]: c.pixels for name, c in combined.channels.items()}
        seen.append((float(channels["R"][1, 1]), float(channels["G"][1, 1])))
    return seen


DIRECTIONS = [(0.0, 0.0), (90.0, 0.0), (200.0, 30.0), (300.0, -40.0)]


@pytest.mark.parametrize("rotation_deg", [0.0, 90.0, 215.0])
def test_a_world_direction_sees_the_image_at_its_azimuth_plus_the_rotation(tmp_path, rotation_deg):
    _coded_hdri(tmp_path / "coded.hdr")
    for (azimuth, elevation), (u, v) in zip(DIRECTIONS, _look_up(DIRECTIONS, rotation_deg, tmp_path / "coded.hdr",
                                                                  tmp_path), strict=True):
        seen_az, seen_el = direction_of_pixel(u, v)
        expected_az = (azimuth + rotation_deg) % 360.0
        assert abs((seen_az - expected_az + 180.0) % 360.0 - 180.0) <= 360.0 / WIDTH + 1e-6, (azimuth, elevation)
        assert seen_el == pytest.approx(elevation, abs=180.0 / HEIGHT + 1e-6), (azimuth, elevation)


def test_an_hdri_run_records_its_sun_and_keeps_the_labels_of_the_sky_run(tmp_path):
    hdri_dir = tmp_path / "hdri"
    hdri_dir.mkdir()
    write_hdr(hdri_dir / "noon.hdr", sky_with_sun(40.0, 55.0, 256))
    sky = render_tiny(tmp_path / "sky", "seed=4", frames=2)
    lit = render_tiny(tmp_path / "lit", "seed=4", f"lighting.hdri_dir={hdri_dir}", frames=2)
    sky_coco, lit_coco = (json.loads((d / "annotations.json").read_text()) for d in (sky, lit))
    assert lit_coco["annotations"] == sky_coco["annotations"]
    for index in range(2):
        record = json.loads((lit / "frames" / f"{index:06d}.json").read_text())
        lighting = record["spec"]["lighting"]
        assert lighting["hdri"]["name"] == "noon.hdr" and lighting["sun_strength_w_m2"] == 0.0
        rotated = (40.0 - lighting["hdri"]["rotation_deg"]) % 360.0
        assert abs((lighting["sun_azimuth_deg"] - rotated + 180.0) % 360.0 - 180.0) < 1.0
        assert lighting["sun_elevation_deg"] == pytest.approx(55.0, abs=1.0) and lighting["time_of_day"] == "day"
        name = f"images/{index:06d}.png"
        assert (lit / name).read_bytes() != (sky / name).read_bytes()
