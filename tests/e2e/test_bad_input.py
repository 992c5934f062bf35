"""The bad-input matrix: each mistake stops before rendering with exit status 2, a message that
names the field (or file), and nothing written into the output directory."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.blender, pytest.mark.slow]

TINY = ["frames=2", "render.resolution=[64,48]", "render.samples=1", "render.denoise=false", "output.progress=false"]
CATALOG_MISSING_RECIPE = "sedan:\n  category: car\n  recipe: kar\n"
CATALOG_EMPTY_MESH = "crate:\n  category: car\n  recipe: slab\n  params: {length_m: 0.0}\n"

# (id, overrides, text the message must contain)
CASES = [
    ("unknown scenario", ["scenario=urban_dya"], "scenario: got 'urban_dya'; allowed: one of"),
    ("unknown camera option", ["camera=dashcamm"], "did you mean 'dashcam'"),
    ("typo in a key", ["camera.heigth_m=1.4"], "camera.heigth_m: got '1.4'; allowed: a field of CameraConfig"),
    ("wrong type", ["frames=abc"], "frames"),
    ("zero frames", ["frames=0"], "frames: got 0"),
    ("negative frames", ["frames=-3"], "frames: got -3"),
    ("negative seed", ["seed=-1"], "seed: got -1"),
    ("negative resolution", ["render.resolution=[-64,48]"], "render.resolution"),
    ("resolution arity", ["render.resolution=[64]"], "render.resolution"),
    ("zero samples", ["render.samples=0"], "render.samples: got 0"),
    ("unknown device", ["render.device=metal"], "render.device: got 'metal'"),
    ("bool expected", ["render.denoise=maybe"], "render.denoise"),
    ("view transform typo", ["render.view_transform=Filmik"], "did you mean 'Filmic'"),
    ("low > high", ["camera.height_m={uniform:[2,1]}"], "camera.height_m.uniform"),
    ("angle out of range", ["camera.pitch_deg=120"], "camera.pitch_deg: got 120"),
    ("loguniform at zero", ["camera.focal_length_mm={loguniform:[0,10]}"], "camera.focal_length_mm.loguniform"),
    ("unbounded normal", ["lighting.sun_elevation_deg={normal:[10,5]}"], "lighting.sun_elevation_deg"),
    ("probability above 1", ["layout.tree_probability=1.5"], "layout.tree_probability: got 1.5"),
    ("unknown distribution", ["camera.roll_deg={gauss:[0,1]}"], "camera.roll_deg"),
    ("bad weights", ["camera.sensor_width_mm={choice:[36,24],weights:[0,0]}"], "weights with a positive sum"),
    ("unknown layout", ["layout.name=downtown"], "layout.name: got 'downtown'"),
    ("fractional count", ["traffic.cars={uniform:[1,3]}"], "traffic.cars"),
    ("negative count", ["traffic.cars=-1"], "traffic.cars: got -1"),
    ("incompatible distances", ["traffic.min_distance_m=50", "traffic.max_distance_m=20"], "traffic.max_distance_m"),
    ("impossible placement", ["traffic.cars=300", "traffic.max_distance_m=12"], "PlacementError"),
    ("bench probability above 1", ["layout.bench_probability=2"], "layout.bench_probability: got 2"),
    ("parked cars without parking", ["scenario=highway_fog", "traffic.parked_cars=2"], "traffic.parked_cars: got 2"),
    ("duplicate category ids", ["labels.categories.pedestrian=1"], "labels.categories"),
    ("category without id", ["~labels.categories.cyclist"], "'cyclist'"),
    ("unknown depth kind", ["labels.depth_kind=mist"], "labels.depth_kind: got 'mist'"),
    ("unknown depth format", ["output.depth_float=exr2"], "output.depth_float"),
    ("shard out of range", ["frames=4", "frames_per_shard=2", "shard=5"], "shard: got 5"),
    ("missing GPU", ["render.device=optix"], "render.device: got 'optix'"),
    ("missing catalog", ["catalog=/nonexistent/catalog.yaml"], "cannot read the asset catalog"),
    ("catalog with unknown recipe", ["catalog={catalog_bad_recipe}"], "did you mean 'car'"),
    ("catalog with empty mesh", ["catalog={catalog_empty}"], "length_m"),
    ("corrupt catalog", ["catalog={catalog_corrupt}"], "cannot read the asset catalog"),
    ("missing asset file", ["catalog={catalog_missing_file}"], "cannot read asset file"),
    ("corrupt asset file", ["catalog={catalog_corrupt_file}"], "entry 'wreck'"),
    ("non-mesh asset file", ["catalog={catalog_camera_only}"], "no mesh geometry (found: CAMERA)"),
    ("impossible quota", ["obstacles=quota", "obstacles.quota_min_image_fraction=0.9"], "PlacementError"),
    ("quota without classes", ["obstacles=none", "obstacles.quota_fraction=0.5"], "obstacles.rates"),
]


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "simgen", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "PYTHONWARNINGS": "ignore"}, timeout=300)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    root = tmp_path_factory.mktemp("bad_input_files")
    (root / "bad_recipe.yaml").write_text(CATALOG_MISSING_RECIPE)
    (root / "empty.yaml").write_text(CATALOG_EMPTY_MESH)
    (root / "corrupt.yaml").write_bytes(b"sedan: {category: car, recipe: [unclosed\n")
    (root / "missing_file.yaml").write_text("wreck:\n  category: car\n  file: nowhere/wreck.glb\n")
    (root / "wreck.glb").write_bytes(b"glTF this is not \x00\xff" * 8)
    (root / "corrupt_file.yaml").write_text("wreck:\n  category: car\n  file: wreck.glb\n")
    make_blend = ("import bpy, sys; cam = bpy.data.objects.new('cam', bpy.data.cameras.new('cam')); "
                  "bpy.data.libraries.write(sys.argv[1], {cam})")
    subprocess.run([sys.executable, "-c", make_blend, str(root / "camera.blend")], check=True, capture_output=True)
    (root / "camera_only.yaml").write_text("wreck:\n  category: car\n  file: camera.blend\n")
    return {"catalog_bad_recipe": root / "bad_recipe.yaml", "catalog_empty": root / "empty.yaml",
            "catalog_corrupt": root / "corrupt.yaml", "catalog_missing_file": root / "missing_file.yaml",
            "catalog_corrupt_file": root / "corrupt_file.yaml", "catalog_camera_only": root / "camera_only.yaml"}


@pytest.mark.parametrize("name, overrides, expected", CASES, ids=[c[0] for c in CASES])
def test_bad_input_exits_2_and_writes_nothing(tmp_path, files, name, overrides, expected):
    out = tmp_path / "out"
    args = []
    for override in overrides:
        for key, path in files.items():
            override = override.replace("{" + key + "}", str(path))
        args.append(override)
    result = run([*TINY, *args, f"output.dir={out}"], tmp_path)
    if name == "missing GPU" and "render device: OPTIX" in result.stderr:
        pytest.skip("this machine has an OptiX GPU")
    assert result.returncode == 2, result.stderr[-2000:]
    assert expected in result.stderr, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_output_dir_that_is_a_file(tmp_path):
    target = tmp_path / "file.txt"
    target.write_text("keep me")
    result = run([*TINY, f"output.dir={target}"], tmp_path)
    assert result.returncode == 2 and "output.dir" in result.stderr
    assert target.read_text() == "keep me"


def test_foreign_non_empty_dir_is_left_alone(tmp_path):
    foreign = tmp_path / "photos"
    foreign.mkdir()
    (foreign / "holiday.jpg").write_bytes(b"x")
    result = run([*TINY, f"output.dir={foreign}", "output.overwrite=true"], tmp_path)
    assert result.returncode == 2 and "not a simgen dataset" in result.stderr
    assert sorted(p.name for p in foreign.iterdir()) == ["holiday.jpg"]
