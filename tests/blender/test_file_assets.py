"""User asset files: imported with Blender's importers, validated at start, labeled exactly."""

from __future__ import annotations

import numpy as np
import pytest

from simgen.annotations.instances import extract_instances
from simgen.blender import import_asset_mesh
from simgen.catalog.entries import load_catalog
from simgen.errors import AssetError
from simgen.geometry.camera import project_points
from simgen.geometry.mesh import transform_mesh
from simgen.specs import MaterialSpec, PropSpec
from tests.blender.scenes import camera, frame

pytestmark = pytest.mark.blender

# A 200 x 80 x 100 cm box in a Y-up OBJ (x: length, y: up, z: width), with one material.
OBJ = """mtllib crate.mtl
usemtl Body
v -100 0 -50
v 100 0 -50
v 100 0 50
v -100 0 50
v -100 80 -50
v 100 80 -50
v 100 80 50
v -100 80 50
f 1 2 3 4
f 8 7 6 5
f 1 5 6 2
f 2 6 7 3
f 3 7 8 4
f 4 8 5 1
"""
MTL = "newmtl Body\nKd 0.8 0.2 0.1\n"


def write_catalog(tmp_path, body: str) -> object:
    path = tmp_path / "user_catalog.yaml"
    path.write_text(body)
    return path


@pytest.fixture
def crate_catalog(tmp_path):
    (tmp_path / "crate.obj").write_text(OBJ)
    (tmp_path / "crate.mtl").write_text(MTL)
    return write_catalog(tmp_path, "crate:\n  category: car\n  file: crate.obj\n  unit_scale_m: 0.01\n"
                         "  up_axis: y\n  materials: {Body: paint}\n  params: {scale: [0.9, 1.1]}\n")


def test_obj_asset_imports_in_metres_z_up_and_renders_with_an_exact_mask(renderer, crate_catalog):
    catalog = load_catalog(extra=crate_catalog, import_mesh=import_asset_mesh)
    entry = catalog.get("crate")
    assert entry.recipe == "file:crate" and entry.category == "car"
    assert catalog.get("sedan").recipe == "car"  # user entries extend the packaged catalog
    from simgen.catalog.prop_mesh import get_recipe

    mesh = get_recipe("file:crate").build_mesh({"scale": 1.0})
    low, high = mesh.bounds_m
    assert np.allclose(high - low, [2.0, 1.0, 0.8], atol=1e-6)  # cm -> m, Y-up -> Z-up
    assert np.allclose(low, [-1.0, -0.5, 0.0]) and mesh.materials == ("paint",)
    prop = PropSpec(name="crate_0", asset="crate", recipe="file:crate", params={"scale": 1.0},
                    location_m=(0.5, 9.0, 3.6), yaw_deg=25.0, materials={"paint": MaterialSpec((0.6, 0.1, 0.1), 0.4)},
                    category="car", instance_index=1)
    cam = camera(width_px=96, height_px=72)
    spec = frame(cam, objects=[prop])
    passes, _ = renderer.render(spec)
    (instance,) = extract_instances(passes.object_index, spec.objects, {"car": 1})
    uv, z = project_points(cam, transform_mesh(mesh, prop.location_m, yaw_deg=prop.yaw_deg).vertices_m)
    x0, y0 = uv.min(axis=0) + 0.5
    x1, y1 = uv.max(axis=0) + 0.5
    bx, by, bw, bh = instance.bbox_xywh
    assert abs(bx - x0) <= 1 and abs(by - y0) <= 1 and abs(bx + bw - x1) <= 1 and abs(by + bh - y1) <= 1


def test_file_bytes_enter_the_catalog_hash(tmp_path, crate_catalog):
    first = load_catalog(extra=crate_catalog, import_mesh=import_asset_mesh).sha256
    (tmp_path / "crate.obj").write_text(OBJ.replace("v 100 80 50", "v 100 81 50"))
    assert load_catalog(extra=crate_catalog, import_mesh=import_asset_mesh).sha256 != first


@pytest.mark.parametrize("file_name, content, match", [
    ("missing.obj", None, "cannot read asset file"),
    ("corrupt.glb", b"\x00\x01 not a glb file \xff" * 10, "could not import|no mesh geometry"),
    ("empty.obj", b"# nothing here\n", "holds no mesh geometry"),
    ("model.xyz", b"1 2 3", "unsupported format"),
])
def test_bad_asset_files_name_file_and_entry(tmp_path, file_name, content, match):
    if content is not None:
        (tmp_path / file_name).write_bytes(content)
    path = write_catalog(tmp_path, f"thing:\n  category: car\n  file: {file_name}\n")
    with pytest.raises(AssetError, match=match) as info:
        load_catalog(extra=path, import_mesh=import_asset_mesh)
    assert "entry 'thing'" in str(info.value)


def test_non_mesh_asset_is_refused(tmp_path):
    import bpy

    cam_data = bpy.data.cameras.new("only_a_camera")
    cam_obj = bpy.data.objects.new("only_a_camera", cam_data)
    blend = tmp_path / "camera_only.blend"
    bpy.data.libraries.write(str(blend), {cam_obj})
    bpy.data.batch_remove([cam_obj, cam_data])
    path = write_catalog(tmp_path, "thing:\n  category: car\n  file: camera_only.blend\n")
    with pytest.raises(AssetError, match=r"no mesh geometry \(found: CAMERA\)"):
        load_catalog(extra=path, import_mesh=import_asset_mesh)


def export_box(path, addon: str, low_m, high_m, export) -> None:
    """Write a box from `low_m` to `high_m` (file units) with one of Blender's exporters:
    `export(filepath)` is called with only that box in the scene."""
    import importlib

    import bpy

    from simgen.blender.build import clear_scene

    importlib.import_module("addon_utils").enable(addon, default_set=True)  # importable once bpy is
    clear_scene()  # the exporters write every object in the scene
    mesh = bpy.data.meshes.new(path.stem)
    mesh.from_pydata([(x, y, z) for x in (low_m[0], high_m[0]) for y in (low_m[1], high_m[1])
                      for z in (low_m[2], high_m[2])], [],
                     [(0, 1, 3, 2), (4, 6, 7, 5), (0, 4, 5, 1), (2, 3, 7, 6), (0, 2, 6, 4), (1, 5, 7, 3)])
    obj = bpy.data.objects.new(path.stem, mesh)
    bpy.context.scene.collection.objects.link(obj)
    export(str(path))
    bpy.data.batch_remove([obj, mesh])


def test_glb_asset_round_trips_through_blenders_exporter(tmp_path):
    import bpy

    export_box(tmp_path / "block.glb", "io_scene_gltf2", (-0.3, -0.2, 0.0), (0.3, 0.2, 0.5),
               lambda path: bpy.ops.export_scene.gltf(filepath=path, export_format="GLB", use_selection=False))
    catalog = load_catalog(extra=write_catalog(tmp_path, "block:\n  category: car\n  file: block.glb\n"),
                           import_mesh=import_asset_mesh)
    from simgen.catalog.prop_mesh import get_recipe

    low, high = get_recipe(catalog.get("block").recipe).build_mesh({}).bounds_m
    assert np.allclose(high - low, [0.6, 0.4, 0.5], atol=1e-5)


def test_fbx_asset_round_trips_through_blenders_exporter(tmp_path):
    import bpy

    export_box(tmp_path / "bin.fbx", "io_scene_fbx", (-40.0, -25.0, 0.0), (40.0, 25.0, 110.0),
               lambda path: bpy.ops.export_scene.fbx(filepath=path, axis_up="Z", axis_forward="Y", global_scale=1.0))
    catalog = load_catalog(extra=write_catalog(
        tmp_path, "bin:\n  category: car\n  file: bin.fbx\n  unit_scale_m: 0.01\n  up_axis: z\n"),
        import_mesh=import_asset_mesh)
    from simgen.catalog.prop_mesh import get_recipe

    low, high = get_recipe(catalog.get("bin").recipe).build_mesh({}).bounds_m
    assert np.allclose(high - low, [0.8, 0.5, 1.1], atol=1e-4)  # cm -> m, Z up kept
