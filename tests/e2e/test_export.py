"""`simgen export yolo|kitti` on a real tiny dataset, checked against each format's specification."""

from __future__ import annotations

import json
import math
import shutil

import cv2
import numpy as np
import pytest
import yaml

from simgen.contract import KEYPOINT_CATEGORIES, KEYPOINT_NAMES
from simgen.dataset.view import decode_segmentation
from tests.e2e.kitti_devkit import kitti_corners
from tests.e2e.tiny import render_tiny, run_simgen

pytestmark = pytest.mark.blender


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    return render_tiny(tmp_path_factory.mktemp("export") / "ds", "seed=5")


@pytest.fixture(scope="module")
def coco(dataset):
    return json.loads((dataset / "annotations.json").read_text())


def _export(dataset, tmp_path, *args):
    out = tmp_path / "out"
    result = run_simgen("export", *args[:1], str(dataset), "--out", str(out), *args[1:], cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == str(out)
    return out


def _by_image(coco):
    grouped = {image["id"]: [] for image in coco["images"]}
    for ann in coco["annotations"]:
        grouped[ann["image_id"]].append(ann)
    return grouped


def _check_layout(out, coco):
    data = yaml.safe_load((out / "data.yaml").read_text())
    ordered = sorted(coco["categories"], key=lambda c: c["id"])
    assert data["names"] == {i: c["name"] for i, c in enumerate(ordered)}
    assert "path" not in data  # folders resolve against data.yaml's own folder
    assert all((out / data[split]).is_dir() for split in ("train", "val", "test"))
    images = sorted(p.stem for p in (out / "images").glob("*/*.png"))
    labels = sorted(p.stem for p in (out / "labels").glob("*/*.txt"))
    assert images == labels == [f"{i['id']:06d}" for i in coco["images"]]
    return {c["id"]: i for i, c in enumerate(ordered)}


def _yolo_file(out, kind, image_id, suffix):
    """images/<split>/NNNNNN.png or labels/<split>/NNNNNN.txt, whatever the image's split."""
    (path,) = (out / kind).glob(f"*/{image_id:06d}{suffix}")
    return path


def test_yolo_detect_follows_the_ultralytics_spec(dataset, coco, tmp_path):
    out = _export(dataset, tmp_path, "yolo")
    classes = _check_layout(out, coco)
    for image in coco["images"]:
        W, H = image["width"], image["height"]
        assert cv2.imread(str(_yolo_file(out, "images", image["id"], ".png"))).shape[:2] == (H, W)
        lines = _yolo_file(out, "labels", image["id"], ".txt").read_text().splitlines()
        anns = _by_image(coco)[image["id"]]
        assert len(lines) == len(anns)
        for line, ann in zip(lines, anns, strict=True):
            fields = line.split()
            assert len(fields) == 5 and fields[0].isdigit() and int(fields[0]) == classes[ann["category_id"]]
            cx, cy, w, h = (float(v) for v in fields[1:])
            assert all(0.0 <= v <= 1.0 for v in (cx, cy, w, h)) and w > 0 and h > 0
            back = [(cx - w / 2) * W, (cy - h / 2) * H, w * W, h * H]  # to COCO pixel-edge XYWH
            assert np.allclose(back, ann["bbox"], atol=1e-3)


def test_yolo_segment_polygons_trace_the_masks(dataset, coco, tmp_path):
    out = _export(dataset, tmp_path, "yolo", "--task", "segment")
    classes = _check_layout(out, coco)
    checked = 0
    for image in coco["images"]:
        W, H = image["width"], image["height"]
        lines = _yolo_file(out, "labels", image["id"], ".txt").read_text().splitlines()
        for line, ann in zip(lines, _by_image(coco)[image["id"]], strict=True):
            fields = line.split()
            assert int(fields[0]) == classes[ann["category_id"]]
            coords = np.array([float(v) for v in fields[1:]])
            assert len(coords) % 2 == 0 and len(coords) >= 6 and ((coords >= 0) & (coords <= 1)).all()
            polygon = coords.reshape(-1, 2) * [W, H]
            x, y, w, h = ann["bbox"]
            # Vertices lie within 1/8 px inside the mask's outer pixel edges.
            assert np.allclose(polygon.min(axis=0), [x, y], atol=0.13)
            assert np.allclose(polygon.max(axis=0), [x + w, y + h], atol=0.13)
            mask = decode_segmentation(ann["segmentation"])
            if cv2.connectedComponents(mask.astype(np.uint8))[0] == 2:  # one piece: every pixel centre inside
                contour = polygon.astype(np.float32).reshape(-1, 1, 2)
                ys, xs = np.nonzero(mask)
                inside = [cv2.pointPolygonTest(contour, (float(c) + 0.5, float(r) + 0.5), False) >= 0
                          for r, c in zip(ys, xs, strict=True)]
                assert all(inside)
                checked += 1
    assert checked >= 3


def test_yolo_pose_lines_carry_the_coco_keypoints_of_people(dataset, coco, tmp_path):
    out = _export(dataset, tmp_path, "yolo", "--task", "pose")
    data = yaml.safe_load((out / "data.yaml").read_text())
    people = sorted((c for c in coco["categories"] if c["name"] in KEYPOINT_CATEGORIES), key=lambda c: c["id"])
    assert data["names"] == {i: c["name"] for i, c in enumerate(people)}
    assert data["kpt_shape"] == [17, 3] and "path" not in data
    flip = data["flip_idx"]
    assert [flip[flip[i]] for i in range(17)] == list(range(17))  # an involution
    assert [KEYPOINT_NAMES[flip[i]] for i in (0, 1, 5, 16)] == ["nose", "right_eye", "right_shoulder", "left_ankle"]
    classes = {c["id"]: i for i, c in enumerate(people)}
    visible = 0
    for image in coco["images"]:
        W, H = image["width"], image["height"]
        anns = [a for a in _by_image(coco)[image["id"]] if a["category_id"] in classes and not a["iscrowd"]]
        lines = _yolo_file(out, "labels", image["id"], ".txt").read_text().splitlines()
        assert len(lines) == len(anns)
        for line, ann in zip(lines, anns, strict=True):
            fields = line.split()
            assert len(fields) == 5 + 51 and int(fields[0]) == classes[ann["category_id"]]
            cx, cy, w, h = (float(v) for v in fields[1:5])
            assert np.allclose([(cx - w / 2) * W, (cy - h / 2) * H, w * W, h * H], ann["bbox"], atol=1e-3)
            points = np.array([float(v) for v in fields[5:]]).reshape(17, 3)
            truth = np.array(ann["keypoints"], dtype=float).reshape(17, 3)
            assert (points[:, 2] == truth[:, 2]).all()
            shown = truth[:, 2] > 0
            assert np.allclose(points[shown, :2] * [W, H], truth[shown, :2], atol=1e-4)
            assert (points[~shown] == 0).all()
            visible += int((truth[:, 2] == 2).sum())
    assert visible > 0, "the tiny dataset has no visible keypoint to check"


def test_yolo_pose_refuses_a_dataset_without_keypoints_before_writing(dataset, tmp_path):
    copy = tmp_path / "old"
    shutil.copytree(dataset, copy)
    coco = json.loads((copy / "annotations.json").read_text())
    for ann in coco["annotations"]:
        ann.pop("keypoints", None)
    (copy / "annotations.json").write_text(json.dumps(coco))
    out = tmp_path / "out"
    result = run_simgen("export", "yolo", str(copy), "--out", str(out), "--task", "pose", cwd=tmp_path)
    assert result.returncode == 2 and "keypoint" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()


def test_kitti_labels_fields_boxes_and_3d(dataset, coco, tmp_path):
    out = _export(dataset, tmp_path, "kitti")
    names = {c["id"]: c["name"] for c in coco["categories"]}
    kitti_type = {"car": "Car", "pedestrian": "Pedestrian", "cyclist": "Cyclist", "traffic_cone": "Misc"}
    truncated_seen = 0
    for image in coco["images"]:
        stem = f"{image['id']:06d}"
        assert (out / "image_2" / f"{stem}.png").read_bytes() == (dataset / image["file_name"]).read_bytes()
        calib = dict(line.split(": ") for line in (out / "calib" / f"{stem}.txt").read_text().splitlines())
        P2 = np.array([float(v) for v in calib["P2"].split()]).reshape(3, 4)
        R0 = np.array([float(v) for v in calib["R0_rect"].split()]).reshape(3, 3)
        assert np.allclose(P2[:, :3] @ R0, image["K"]) and set(calib) >= {"P0", "P1", "P2", "P3", "R0_rect"}
        lines = (out / "label_2" / f"{stem}.txt").read_text().splitlines()
        anns = _by_image(coco)[image["id"]]
        assert len(lines) == len(anns)
        for line, ann in zip(lines, anns, strict=True):
            fields = line.split()
            assert len(fields) == 15 and fields[0] == kitti_type.get(names[ann["category_id"]], "Misc")
            truncated, occluded, alpha = float(fields[1]), int(fields[2]), float(fields[3])
            x1, y1, x2, y2, h, w, length, x, y, z, ry = (float(v) for v in fields[4:])
            assert 0.0 <= truncated <= 1.0 and occluded in (0, 1, 2) and -math.pi <= alpha <= math.pi
            assert [x1, y1, x2 - x1, y2 - y1] == ann["bbox"]  # the 2D box round-trips exactly
            assert min(h, w, length) > 0 and z > 0 and -math.pi <= ry <= math.pi
            # The projected 3D box (KITTI's own corner formula) encloses the visible box.
            corners = kitti_corners(h, w, length, x, y, z, ry)
            projected = (P2 @ np.hstack([corners, np.ones((8, 1))]).T).T
            uv = projected[:, :2] / projected[:, 2:]
            assert uv[:, 0].min() - 1.5 <= x1 + 0.5 and uv[:, 0].max() + 1.5 >= x2 - 0.5
            assert uv[:, 1].min() - 1.5 <= y1 + 0.5 and uv[:, 1].max() + 1.5 >= y2 - 0.5
            # Truncation is the share of the projected box outside the image.
            left, top = uv.min(axis=0) + 0.5
            right, bottom = uv.max(axis=0) + 0.5
            if left >= 0 and top >= 0 and right <= image["width"] and bottom <= image["height"]:
                assert truncated == 0.0
            elif left < -2 or top < -2 or right > image["width"] + 2 or bottom > image["height"] + 2:
                assert truncated > 0.0
                truncated_seen += 1
    assert truncated_seen >= 1  # seed 5 has objects cut by the image border


def test_kitti_occlusion_levels_follow_the_visible_fraction(dataset, coco, tmp_path):
    """KITTI's occluded level is read from each annotation's visible_fraction (the labels'
    exact silhouette raster), not recomputed."""
    from simgen.export.kitti import export_kitti, occlusion_level

    out = export_kitti(dataset, tmp_path / "kitti_levels")
    for image in coco["images"]:
        lines = (out / "label_2" / f"{image['id']:06d}.txt").read_text().splitlines()
        for line, ann in zip(lines, _by_image(coco)[image["id"]], strict=True):
            if not ann["iscrowd"]:
                assert int(line.split()[2]) == occlusion_level(ann["visible_fraction"])
                assert float(line.split()[1]) == pytest.approx(ann["truncation"], abs=0.005)
