"""Lineage on a real tiny dataset: what run.json, the COCO info and each frame record say, and
`simgen lineage` printing a command that re-renders one frame exactly."""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import platform
import shlex
import subprocess
from pathlib import Path

import cv2
import numpy as np
import pytest
import yaml

from simgen.catalog.entries import default_catalog_path
from simgen.config.dump import config_hash
from simgen.dataset.view import decode_segmentation
from tests.e2e.tiny import render_tiny, run_simgen

pytestmark = pytest.mark.blender

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    return render_tiny(tmp_path_factory.mktemp("lineage") / "ds", "seed=11", "output.depth_float=npy")


def _expected_commit() -> str:
    result = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    top = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=ROOT, capture_output=True, text=True)
    if result.returncode or Path(top.stdout.strip()).resolve() != ROOT:
        return "unknown"
    return result.stdout.strip()


def test_coco_info_and_run_json_record_lineage(dataset):
    info = json.loads((dataset / "annotations.json").read_text())["info"]
    run = json.loads((dataset / "run.json").read_text())
    assert info["git_commit"] == _expected_commit() == run["lineage"]["git_commit"]
    assert info["simgen_version"] == importlib.metadata.version("simgen")
    assert info["blender_version"] == importlib.metadata.version("bpy")
    assert info["device"] == "CPU" or info["device"] in ("CUDA", "OPTIX")
    assert info["python"] == platform.python_version()
    assert info["platform"] == platform.platform()
    assert info["catalog_sha256"] == hashlib.sha256(default_catalog_path().read_bytes()).hexdigest()
    assert len(info["recipes_sha256"]) == 64
    assert info["run_seed"] == 11
    assert info["config_sha256"] == run["config_sha256"] == config_hash(run["identity"])
    resolved = yaml.safe_load(info["config_yaml"])
    assert resolved["seed"] == 11 and resolved["render"]["resolution"] == [96, 72]
    assert resolved["camera"]["height_m"] == run["config"]["camera"]["height_m"]
    assert "dir" not in resolved["output"]  # where it was written is not part of what was made
    assert run["lineage"]["config_yaml"] == info["config_yaml"]


def test_each_frame_records_seed_shard_and_sampled_params(dataset):
    lines = [json.loads(line) for line in (dataset / "manifest.jsonl").read_text().splitlines()]
    for line in lines:
        record = json.loads((dataset / "frames" / f"{line['frame_index']:06d}.json").read_text())
        assert record["image"]["frame_seed"] == line["seed"] == {"run_seed": 11, "frame_index": line["frame_index"]}
        assert record["provenance"] == line["provenance"]
        assert record["provenance"]["shard"] == 0 and record["provenance"]["frames_per_shard"] == 0
        assert record["provenance"]["blender_version"] == importlib.metadata.version("bpy")
        assert record["spec"]["lighting"]["sun_elevation_deg"] == line["spec"]["lighting"]["sun_elevation_deg"]
        assert record["spec"]["objects"] and record["spec"]["camera"]["width_px"] == 96


def test_lineage_command_reproduces_the_frame(dataset, tmp_path):
    image_id = 1
    out = tmp_path / "again"
    described = run_simgen("lineage", str(dataset), str(image_id), "--out", str(out), cwd=tmp_path)
    assert described.returncode == 0, described.stderr[-2000:]
    text = described.stdout
    assert f"frame {image_id} of" in text and "git commit" in text and "reproduce" in text
    argv = shlex.split(text.strip().splitlines()[-1])
    assert argv[0] == "simgen" and "frames_per_shard=1" in argv and f"shard={image_id}" in argv
    result = run_simgen(*argv[1:], cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert sorted(p.name for p in (out / "frames").iterdir()) == [f"{image_id:06d}.json"]
    stem = f"{image_id:06d}"
    original = json.loads((dataset / "frames" / f"{stem}.json").read_text())
    again = json.loads((out / "frames" / f"{stem}.json").read_text())
    assert again["annotations"] == original["annotations"] and original["annotations"]
    assert again["spec"] == original["spec"] and again["image"] == original["image"]
    assert again["provenance"]["shard"] == image_id and again["provenance"]["frames_per_shard"] == 1
    for ann_a, ann_b in zip(original["annotations"], again["annotations"], strict=True):
        assert np.array_equal(decode_segmentation(ann_a["segmentation"]), decode_segmentation(ann_b["segmentation"]))
    depth_a = cv2.imread(str(dataset / "depth" / f"{stem}.png"), cv2.IMREAD_UNCHANGED)
    depth_b = cv2.imread(str(out / "depth" / f"{stem}.png"), cv2.IMREAD_UNCHANGED)
    assert np.array_equal(depth_a, depth_b)
    assert np.array_equal(np.load(dataset / "depth" / f"{stem}.npy"), np.load(out / "depth" / f"{stem}.npy"))
    assert (out / "images" / f"{stem}.png").read_bytes() == (dataset / "images" / f"{stem}.png").read_bytes()


def test_lineage_of_unknown_image_exits_2(dataset, tmp_path):
    result = run_simgen("lineage", str(dataset), "99", cwd=tmp_path)
    assert result.returncode == 2 and "image_id 99" in result.stderr
