"""The `simgen` command end to end: real Cycles renders at tiny size, checked as a user would."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest
from pycocotools import mask as mask_utils
from pycocotools.coco import COCO

pytestmark = pytest.mark.blender

# labels=keep_all: at 96x72 the training policy makes most objects ignore regions; these tests
# check labels and files, not the policy (tests/e2e/test_training.py runs the default policy).
TINY = ["render.resolution=[96,72]", "render.samples=2", "render.denoise=false", "output.progress=false",
        "labels=keep_all"]


def simgen(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    return subprocess.run([sys.executable, "-m", "simgen", *args], cwd=cwd, capture_output=True, text=True,
                          env=env, timeout=600)


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    root = tmp_path_factory.mktemp("e2e")
    out = root / "ds"
    result = simgen("frames=3", "seed=11", f"output.dir={out}", *TINY, cwd=root)
    assert result.returncode == 0, result.stderr[-3000:]
    return out, result


def test_dataset_is_valid_coco_with_exact_masks(dataset):
    out, _ = dataset
    coco = COCO(str(out / "annotations.json"))
    assert len(coco.imgs) == 3 and len(coco.anns) > 0
    assert {c["name"] for c in coco.cats.values()} >= {"car", "pedestrian", "cyclist", "traffic_cone"}
    for image in coco.imgs.values():
        pixels = cv2.imread(str(out / image["file_name"]), cv2.IMREAD_UNCHANGED)
        assert pixels.shape == (image["height"], image["width"], 3)
        assert np.array(image["K"]).shape == (3, 3) and np.array(image["T_cam_world"]).shape == (4, 4)
    for ann in coco.anns.values():
        rle = ann["segmentation"]
        decoded = mask_utils.decode({"size": rle["size"], "counts": rle["counts"].encode()})
        assert decoded.sum() == ann["area"] > 0
        ys, xs = np.nonzero(decoded)
        assert ann["bbox"] == [xs.min(), ys.min(), xs.max() - xs.min() + 1, ys.max() - ys.min() + 1]
        assert ann["iscrowd"] == 0


def test_label_keys_are_consistent_on_street_scenes(dataset):
    out, _ = dataset
    coco = json.loads((out / "annotations.json").read_text())
    for ann in coco["annotations"]:
        x, y, w, h = ann["bbox"]
        ax, ay, aw, ah = ann["bbox_amodal"]
        assert ax <= x + 1 and ay <= y + 1 and x + w <= ax + aw + 1 and y + h <= ay + ah + 1
        assert 0 < ann["visible_fraction"] <= 1 and 0 <= ann["truncation"] <= 1 and ann["distance_m"] > 0
        assert ann["box3d_cam"]["center_m"][2] > 0 and 0 < ann["instance_id"] < 2**63
    ids = [(a["image_id"], a["instance_id"]) for a in coco["annotations"]]
    assert len(set(ids)) == len(ids)
    for line in (out / "manifest.jsonl").read_text().splitlines():
        entry = json.loads(line)
        kept = sum(c["kept"] for c in entry["label_counts"].values())
        assert kept == sum(1 for a in coco["annotations"] if a["image_id"] == entry["frame_index"])


def test_depth_pngs_and_manifest(dataset):
    out, _ = dataset
    lines = (out / "manifest.jsonl").read_text().splitlines()
    assert len(lines) == 3
    for line in lines:
        entry = json.loads(line)
        assert entry["seed"] == {"run_seed": 11, "frame_index": entry["frame_index"]}
        assert entry["spec"]["camera"]["width_px"] == 96 and entry["spec"]["objects"]
        depth = cv2.imread(str(out / "depth" / f"{entry['frame_index']:06d}.png"), cv2.IMREAD_UNCHANGED)
        assert depth.dtype == np.uint16 and depth.shape == (72, 96)
        assert (depth > 0).mean() > 0.3  # the street fills much of the view
        # urban_day meters its exposure: the manifest has the EV the image was saved with.
        record = json.loads((out / "frames" / f"{entry['frame_index']:06d}.json").read_text())
        assert record["exposure"]["mode"] == "metered"
        assert entry["exposure_ev"] == record["exposure"]["view_exposure_ev"]
        assert -4.0 <= entry["exposure_ev"] <= 6.0 and entry["spec"]["lighting"]["exposure_mode"] == "metered"


def test_manifest_exposure_ev_is_null_with_fixed_exposure(tmp_path):
    out = tmp_path / "fixed"
    result = simgen("frames=1", "seed=11", f"output.dir={out}", "lighting.exposure_mode=fixed", *TINY, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    entry = json.loads((out / "manifest.jsonl").read_text().splitlines()[0])
    assert "exposure_ev" in entry and entry["exposure_ev"] is None
    assert "exposure" not in json.loads((out / "frames" / "000000.json").read_text())


def test_rerun_is_idempotent(dataset):
    out, _ = dataset
    before = {p: p.stat().st_mtime_ns for p in (out / "images").iterdir()}
    annotations = (out / "annotations.json").read_bytes()
    result = simgen("frames=3", "seed=11", f"output.dir={out}", *TINY, cwd=out.parent)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "already committed" in result.stderr
    assert {p: p.stat().st_mtime_ns for p in (out / "images").iterdir()} == before
    assert (out / "annotations.json").read_bytes() == annotations


def test_different_config_is_refused_naming_the_difference(dataset):
    out, _ = dataset
    listing = sorted(p.name for p in out.rglob("*"))
    result = simgen("frames=3", "seed=12", f"output.dir={out}", *TINY, cwd=out.parent)
    assert result.returncode == 2
    assert "seed: 11 -> 12" in result.stderr and "output.overwrite=true" in result.stderr
    assert sorted(p.name for p in out.rglob("*")) == listing


def test_same_seed_gives_identical_bytes(dataset, tmp_path):
    out, _ = dataset
    again = tmp_path / "again"
    result = simgen("frames=3", "seed=11", f"output.dir={again}", *TINY, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert (again / "annotations.json").read_bytes() == (out / "annotations.json").read_bytes()
    for name in ("000000.png", "000002.png"):
        assert (again / "depth" / name).read_bytes() == (out / "depth" / name).read_bytes()
        assert (again / "images" / name).read_bytes() == (out / "images" / name).read_bytes()
    # the default (day) lighting meters every frame: the same seed meters the same EV
    exposure = json.loads((out / "frames" / "000000.json").read_text())["exposure"]
    assert exposure["mode"] == "metered"
    assert json.loads((again / "frames" / "000000.json").read_text())["exposure"] == exposure


def test_overwrite_replaces_the_dataset(tmp_path):
    out = tmp_path / "ow"
    assert simgen("frames=1", f"output.dir={out}", *TINY, cwd=tmp_path).returncode == 0
    result = simgen("frames=1", "seed=5", "output.overwrite=true", f"output.dir={out}", *TINY, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert json.loads((out / "run.json").read_text())["identity"]["seed"] == 5


def test_help_and_cfg_job(tmp_path):
    help_text = simgen("--help", cwd=tmp_path)
    assert help_text.returncode == 0 and "simgen" in help_text.stdout and "scenario" in help_text.stdout
    cfg = simgen("--cfg", "job", cwd=tmp_path)
    assert cfg.returncode == 0 and "scenario_name: urban_day" in cfg.stdout
    assert not any(tmp_path.iterdir())  # neither command writes anything


def test_bad_value_exits_2_and_writes_nothing(tmp_path):
    out = tmp_path / "bad"
    result = simgen("camera.height_m={uniform:[2,1]}", f"output.dir={out}", *TINY, cwd=tmp_path)
    assert result.returncode == 2
    assert "camera.height_m.uniform" in result.stderr and "low <= high" in result.stderr
    assert not out.exists()


def test_missing_gpu_is_refused_before_writing(tmp_path):
    out = tmp_path / "gpu"
    result = simgen("frames=1", "render.device=optix", f"output.dir={out}", *TINY, cwd=tmp_path)
    if "render device: OPTIX" in result.stderr:
        pytest.skip("this machine has an OptiX GPU")
    assert result.returncode == 2
    assert "render.device: got 'optix'" in result.stderr and "render.device=auto" in result.stderr
    assert not out.exists()


def test_unwritable_output_dir_exits_2(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = simgen("frames=1", f"output.dir={blocker / 'ds'}", *TINY, cwd=tmp_path)
    assert result.returncode == 2 and "output.dir" in result.stderr


def test_user_scenario_from_config_dir(tmp_path):
    scenarios = tmp_path / "my_scenarios" / "scenario"
    scenarios.mkdir(parents=True)
    (scenarios / "my_city.yaml").write_text(
        "# @package _global_\n"
        "defaults:\n  - override /traffic: urban\n"
        "scenario_name: my_city\n"
        "traffic:\n  cars: 2\n  pedestrians: 1\n  cyclists: 0\n  traffic_cones: 0\n  parked_cars: 0\n")
    result = simgen("--config-dir", str(tmp_path / "my_scenarios"), "scenario=my_city", "frames=1", *TINY,
                    cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    manifest = json.loads((tmp_path / "outputs" / "my_city" / "manifest.jsonl").read_text().splitlines()[0])
    categories = [o["category"] for o in manifest["spec"]["objects"]]
    assert categories == ["car", "car", "pedestrian"]


def test_list_shows_options_layouts_categories_and_assets(tmp_path):
    user = tmp_path / "mine" / "scenario"
    user.mkdir(parents=True)
    (user / "my_city.yaml").write_text("# @package _global_\nscenario_name: my_city\n")
    result = simgen("list", "--config-dir", str(tmp_path / "mine"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    # Columns are padded to the longest option name of the group.
    user_file = re.escape(str(user / "my_city.yaml"))
    assert re.search(r"urban_day +simgen:", out) and re.search(rf"my_city +user: {user_file}", out)
    assert "scene layouts (layout.name):" in out and "urban_street" in out
    assert re.search(r"traffic_cone +id 4", out) and "sedan" in out and "recipe car" in out
