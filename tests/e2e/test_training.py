"""Training-ready datasets (issue 17) on one real render with the default label policy, in fog:
splits, the YOLO and coco-layout exports, KITTI boxes on a pitched camera, the card, `simgen mix`."""

from __future__ import annotations

import json
import math
import shutil

import numpy as np
import pytest
import yaml
from pycocotools.coco import COCO

from simgen.export.coco_layout import COCO_ANNOTATION_KEYS, COCO_IMAGE_KEYS
from tests.e2e.kitti_devkit import kitti_corners
from tests.e2e.tiny import run_simgen

pytestmark = [pytest.mark.blender, pytest.mark.slow]

SPLITS = ("train", "val", "test")


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    out = tmp_path_factory.mktemp("training") / "ds"
    # Default label policy (no labels=keep_all); fog thin enough that far objects fade out.
    result = run_simgen("frames=6", "seed=3", "render.resolution=[160,120]", "render.samples=1",
                        "render.denoise=false", "output.progress=false", "weather=fog",
                        "weather.fog_visibility_m=40", f"output.dir={out}", cwd=out.parent)
    assert result.returncode == 0, result.stderr[-3000:]
    return out


@pytest.fixture(scope="module")
def coco(dataset):
    return json.loads((dataset / "annotations.json").read_text())


def _split_files(dataset):
    return {name: json.loads((dataset / f"annotations_{name}.json").read_text()) for name in SPLITS}


def test_splits_partition_the_frames_with_global_ids(dataset, coco):
    parts = _split_files(dataset)
    ids = {name: [i["id"] for i in part["images"]] for name, part in parts.items()}
    assert {k: len(v) for k, v in ids.items()} == {"train": 4, "val": 1, "test": 1}
    assert sorted(sum(ids.values(), [])) == [i["id"] for i in coco["images"]]
    merged = sorted((a["id"], a["image_id"]) for part in parts.values() for a in part["annotations"])
    assert merged == sorted((a["id"], a["image_id"]) for a in coco["annotations"])
    assert coco["info"]["splits"] == {"train": 4, "val": 1, "test": 1}
    info = coco["info"]
    assert isinstance(info["year"], int) and info["date_created"][:4] == str(info["year"])
    assert {"version", "contributor", "url"} <= set(info) and coco["licenses"][0]["id"] == 1


def test_default_policy_keeps_learnable_instances_and_ignores_the_rest(coco):
    reasons = set()
    for ann in coco["annotations"]:
        height, fog = ann["bbox"][3], ann["fog_transmittance"]
        passes = ann["area"] >= 64 and height >= 10 and fog >= 0.05
        assert ann["iscrowd"] == (0 if passes else 1), ann["ignore_reasons"]
        reasons.update(ann["ignore_reasons"])
    assert {"min_visible_px", "min_bbox_height_px", "min_fog_transmittance"} <= reasons
    assert any(a["iscrowd"] == 0 for a in coco["annotations"])


def test_keep_all_is_one_override_away(tmp_path):
    result = run_simgen("--cfg", "job", "labels=keep_all", cwd=tmp_path)
    labels = yaml.safe_load(result.stdout)["labels"]
    assert (labels["min_visible_px"], labels["min_bbox_height_px"], labels["min_fog_transmittance"]) == (0, 0, 0.0)


def test_card_states_counts_policy_splits_and_command(dataset, coco):
    card = (dataset / "DATASET.md").read_text()
    kept = sum(1 for a in coco["annotations"] if a["iscrowd"] == 0 and a["category_id"] == 1)
    ignored = sum(1 for a in coco["annotations"] if a["iscrowd"] == 1 and a["category_id"] == 1)
    assert f"| 1 | car | {kept} | {ignored} |" in card
    assert "- train: 4 frames" in card and "`min_fog_transmittance`: 0.05" in card
    assert coco["info"]["config_sha256"] in card and "CC-BY-4.0" in card and "## Size caveat" in card
    assert "simgen " in card and "frames=6" in card


def test_yolo_export_has_real_splits_and_can_be_moved(dataset, tmp_path):
    out = tmp_path / "yolo"
    result = run_simgen("export", "yolo", str(dataset), "--out", str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    moved = shutil.move(str(out), str(tmp_path / "elsewhere"))
    data = yaml.safe_load((tmp_path / "elsewhere" / "data.yaml").read_text())
    assert "path" not in data and data["names"][0] == "car" and list(data["names"]) == sorted(data["names"])
    parts = _split_files(dataset)
    for name in SPLITS:
        folder = tmp_path / "elsewhere" / data[name]  # relative to data.yaml's folder
        assert sorted(p.name for p in folder.iterdir()) == sorted(f"{i['id']:06d}.png" for i in parts[name]["images"])
    assert str(moved).endswith("elsewhere")


def test_coco_layout_namespaces_extra_keys_and_copies_wide_ids(dataset, coco, tmp_path):
    out = tmp_path / "layout"
    result = run_simgen("export", "coco-layout", str(dataset), "--out", str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    total = 0
    for name in SPLITS:
        path = out / "annotations" / f"instances_{name}.json"
        loaded = COCO(str(path))
        for image in loaded.dataset["images"]:
            assert set(image) <= {*COCO_IMAGE_KEYS, "attributes"}
            assert (out / "images" / name / image["file_name"]).is_file()
            assert image["attributes"]["K"]
        for ann in loaded.dataset["annotations"]:
            assert set(ann) == {*COCO_ANNOTATION_KEYS, "attributes"}
            attributes = ann["attributes"]
            assert attributes["simgen_instance_id_str"] == str(attributes["simgen_instance_id"]) > "0"
            assert "box3d_cam" in attributes and "instance_id" not in attributes
        total += len(loaded.dataset["annotations"])
    assert total == len(coco["annotations"])


def _box3d_corners(box):
    """(8, 3) corners of an annotation's box3d_cam (camera frame)."""
    signs = np.array([[sx, sy, sz] for sx in (-1, 1) for sy in (-1, 1) for sz in (-1, 1)], dtype=float)
    return np.asarray(box["center_m"]) + (signs * np.asarray(box["size_m"]) / 2) @ np.asarray(box["R_cam_obj"]).T


def test_kitti_tools_rebuild_our_boxes_within_1cm_on_a_pitched_camera(dataset, coco, tmp_path):
    out = tmp_path / "kitti"
    assert run_simgen("export", "kitti", str(dataset), "--out", str(out), cwd=tmp_path).returncode == 0
    by_image = {i["id"]: [a for a in coco["annotations"] if a["image_id"] == i["id"]] for i in coco["images"]}
    errors, tilts = [], []
    for image in coco["images"]:
        stem = f"{image['id']:06d}"
        calib = {k: np.array([float(v) for v in vals.split()]) for k, vals in
                 (line.split(": ") for line in (out / "calib" / f"{stem}.txt").read_text().splitlines())}
        R0, P2 = calib["R0_rect"].reshape(3, 3), calib["P2"].reshape(3, 4)
        tilts.append(math.degrees(math.acos(np.clip(R0[1, 1], -1, 1))))
        lines = (out / "label_2" / f"{stem}.txt").read_text().splitlines()
        for line, ann in zip(lines, by_image[image["id"]], strict=True):
            if ann["iscrowd"]:
                continue
            h, w, length, x, y, z, ry = (float(v) for v in line.split()[8:15])
            rect = kitti_corners(h, w, length, x, y, z, ry)
            cam = rect @ R0  # KITTI's rect -> reference camera: R0_rect^-1 = R0_rect^T
            ours = _box3d_corners(ann["box3d_cam"])
            errors.append(max(np.linalg.norm(ours - c, axis=1).min() for c in cam))
            # P2 projects rectified points where K projects our camera points.
            uv_kitti = (P2 @ np.c_[rect, np.ones(8)].T).T
            uv_ours = (np.asarray(image["K"]) @ cam.T).T
            assert np.allclose(uv_kitti[:, :2] / uv_kitti[:, 2:], uv_ours[:, :2] / uv_ours[:, 2:], atol=1e-6)
    assert errors and max(errors) < 0.01, f"max corner error {max(errors):.4f} m"
    assert max(tilts) > 1.0, "the default camera pitches 1-6 degrees"
    splits = {name: (out / "ImageSets" / f"{name}.txt").read_text().split() for name in SPLITS}
    assert sorted(sum(splits.values(), [])) == [f"{i['id']:06d}" for i in coco["images"]]


def _real_coco_fixture(root, split, count, first_id):
    """A small real-format COCO split: JPEG photos-to-be (noise), COCO's own category ids, polygons."""
    import cv2

    rng = np.random.default_rng(first_id)
    (root / "photos").mkdir(parents=True, exist_ok=True)
    images, annotations = [], []
    for n in range(count):
        image_id = first_id + n
        name = f"photos/{split}_{image_id:012d}.jpg"
        cv2.imwrite(str(root / name), rng.integers(0, 255, (120, 160, 3), dtype=np.uint8))
        images.append({"id": image_id, "file_name": name, "width": 160, "height": 120, "license": 4})
        annotations.append({"id": 900 + image_id, "image_id": image_id, "category_id": 1, "iscrowd": 0, "area": 400.0,
                            "bbox": [10.0, 20.0, 20.0, 20.0], "segmentation": [[10, 20, 30, 20, 30, 40, 10, 40]]})
    coco = {"info": {"description": "real"}, "licenses": [{"id": 4, "name": "x", "url": ""}], "images": images,
            "annotations": annotations, "categories": [{"id": 1, "name": "person", "supercategory": "person"},
                                                       {"id": 3, "name": "car", "supercategory": "vehicle"}]}
    path = root / f"instances_{split}.json"
    path.write_text(json.dumps(coco))
    return path


def test_mix_real_and_synthetic_at_a_stated_ratio_with_provenance(dataset, coco, tmp_path):
    real = {split: _real_coco_fixture(tmp_path / "real", split, n, 100 * k)
            for k, (split, n) in enumerate((("train", 4), ("val", 2), ("test", 2)), start=1)}
    args = ["mix", str(tmp_path / "mixed"), *(f"--real={s}={p}" for s, p in real.items()),
            "--synthetic", str(dataset), "--fraction", "train=0.5"]
    refused = run_simgen(*args, cwd=tmp_path)
    assert refused.returncode == 2 and "pedestrian" in refused.stderr and "--map" in refused.stderr
    assert "Traceback" not in refused.stderr
    train = json.loads((dataset / "annotations_train.json").read_text())
    names = {c["id"]: c["name"] for c in train["categories"]}
    drops = sorted({names[a["category_id"]] for a in train["annotations"]} - {"car", "pedestrian"})
    result = run_simgen(*args, "--map", "pedestrian=person", *(f"--drop={d}" for d in drops), cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "train: 4 real, 4 synthetic, synthetic fraction 0.500" in result.stdout
    seen_ids = set()
    for split, n_real, n_syn in (("train", 4, 4), ("val", 2, 0), ("test", 2, 0)):
        loaded = COCO(str(tmp_path / "mixed" / f"annotations_{split}.json"))
        images = loaded.dataset["images"]
        assert [i["source"] for i in images].count("real") == n_real and len(images) == n_real + n_syn
        assert {c["name"]: c["id"] for c in loaded.dataset["categories"]} == {"person": 1, "car": 3}
        for image in images:
            assert (tmp_path / "mixed" / image["file_name"]).is_file() and image["id"] not in seen_ids
            seen_ids.add(image["id"])
            if image["source"] == "synthetic":
                assert image["provenance"]["config_sha256"] == coco["info"]["config_sha256"]
                assert image["provenance"]["frame_seed"]["frame_index"] == image["provenance"]["original_id"]
        syn = [a for a in loaded.dataset["annotations"] if loaded.imgs[a["image_id"]]["source"] == "synthetic"]
        assert all(a["category_id"] in (1, 3) and "simgen_instance_id" in a["attributes"] for a in syn)
    card = (tmp_path / "mixed" / "DATASET.md").read_text()
    assert "| train | 4 | 4 | 0.500 | 0.500 |" in card and coco["info"]["config_sha256"] in card
