"""Pins the Blender fact behind the motion-blur note in docs/sensor.md (bpy 5.0.1): with Cycles motion
blur on, the Object Index pass (first sample only) is taken at a random shutter time per
pixel, so a moving object's mask is a dither across its swept region, not its shape at the
shutter's start. That is why simgen renders the label passes of a blurred frame again without
blur (tests/blender/test_motion_blur.py); this test says so if Blender changes.

Runs in a subprocess: it animates a scene, which must not disturb the shared renderer session.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

pytestmark = pytest.mark.blender

SCRIPT = r"""
import sys, bpy, numpy as np, OpenEXR
bpy.ops.wm.read_factory_settings(use_empty=True)
scene = bpy.context.scene
scene.render.engine = "CYCLES"; scene.cycles.device = "CPU"; scene.cycles.samples = 16
scene.cycles.use_denoising = False; scene.render.threads_mode = "FIXED"; scene.render.threads = 2
scene.render.resolution_x, scene.render.resolution_y, scene.render.resolution_percentage = 64, 8, 100
cam = bpy.data.objects.new("cam", bpy.data.cameras.new("cam")); scene.collection.objects.link(cam)
scene.camera = cam; cam.location = (0, 0, 10); cam.data.type = "ORTHO"; cam.data.ortho_scale = 8
bpy.ops.mesh.primitive_plane_add(size=2); plane = bpy.context.object; plane.pass_index = 5
plane.location = (-2, 0, 0); plane.keyframe_insert("location", frame=1)
plane.location = (2, 0, 0); plane.keyframe_insert("location", frame=2)
scene.frame_set(1)
scene.render.use_motion_blur = True; scene.render.motion_blur_shutter = 1.0
scene.render.motion_blur_position = sys.argv[-1]
scene.view_layers[0].use_pass_object_index = True
settings = scene.render.image_settings
settings.media_type = "MULTI_LAYER_IMAGE"; settings.file_format = "OPEN_EXR_MULTILAYER"; settings.color_depth = "32"
scene.render.filepath = sys.argv[-2]
bpy.ops.render.render(write_still=True)
with OpenEXR.File(sys.argv[-2], separate_channels=True) as exr:
    parts = {p.name(): p for p in exr.parts}
    index = next(iter(parts["ViewLayer.Object Index"].channels.values())).pixels
row = np.rint(index[4]).astype(int)
print("ROW", "".join("X" if v else "." for v in row))
"""


@pytest.mark.parametrize("position", ["START", "CENTER"])
def test_motion_blur_dithers_the_object_index_pass(tmp_path, position):
    result = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path / "mb.exr"), position],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    row = next(line for line in result.stdout.splitlines() if line.startswith("ROW ")).split()[1]
    runs = [c for i, c in enumerate(row) if i == 0 or c != row[i - 1]]
    # A sharp object is one run of X; a dither has several.
    assert runs.count("X") >= 3, row
    # The 2 m plane is 16 columns wide (8 px/m); its mask spreads over more of its 4 m sweep.
    assert row.rindex("X") - row.index("X") + 1 > 20, row
