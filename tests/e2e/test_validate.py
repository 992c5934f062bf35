"""`simgen validate` on a real tiny dataset, and on copies corrupted in known ways."""

from __future__ import annotations

import json

import cv2
import numpy as np
import pytest

from simgen.qa.validate import Thresholds, validate_dataset
from tests.e2e.tiny import TINY, copy_dataset, render_tiny, run_simgen

pytestmark = pytest.mark.blender


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    return render_tiny(tmp_path_factory.mktemp("validate") / "ds", "seed=11", "output.depth_float=npy")


def _edit_coco(root, edit):
    path = root / "annotations.json"
    coco = json.loads(path.read_text())
    edit(coco)
    path.write_text(json.dumps(coco))


def _first_two_of_one_image(coco):
    by_image = {}
    for ann in coco["annotations"]:
        by_image.setdefault(ann["image_id"], []).append(ann)
    return next(anns for anns in by_image.values() if len(anns) >= 2)


def wrong_area(root):
    _edit_coco(root, lambda c: c["annotations"][0].update(area=c["annotations"][0]["area"] + 5))


def shifted_bbox(root):
    def edit(coco):
        coco["annotations"][0]["bbox"][0] += 1
    _edit_coco(root, edit)


def negative_box(root):
    _edit_coco(root, lambda c: c["annotations"][0]["bbox"].__setitem__(2, -1))


def missing_image(root):
    (root / "images" / "000001.png").unlink()


def wrong_size(root):
    path = root / "images" / "000002.png"
    cv2.imwrite(str(path), cv2.resize(cv2.imread(str(path)), (48, 36)))


def duplicate_id(root):
    _edit_coco(root, lambda c: c["annotations"][1].update(id=c["annotations"][0]["id"]))


def unknown_category(root):
    _edit_coco(root, lambda c: c["annotations"][0].update(category_id=99))


def nan_depth(root):
    path = root / "depth" / "000000.npy"
    depth = np.load(path)
    depth[10:12, 20:30] = np.nan
    np.save(path, depth)


def overlapping_masks(root):
    def edit(coco):
        first, second = _first_two_of_one_image(coco)[:2]
        for key in ("segmentation", "area", "bbox"):
            second[key] = first[key]
    _edit_coco(root, edit)


def depth_png_disagrees(root):
    path = root / "depth" / "000001.png"
    depth = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
    depth[depth > 0] += 300  # about 1.2 m further than the float depth says
    cv2.imwrite(str(path), depth)


def object_name_swapped(root):
    def edit(coco):
        first, second = _first_two_of_one_image(coco)[:2]
        first["object_name"], second["object_name"] = second["object_name"], first["object_name"]
    _edit_coco(root, edit)


def manifest_line_dropped(root):
    path = root / "manifest.jsonl"
    path.write_text("".join(line + "\n" for line in path.read_text().splitlines()[:-1]))


def manifest_file_name_differs(root):
    path = root / "manifest.jsonl"
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    lines[0]["file_name"] = "images/999999.png"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))


def coco_annotation_dropped(root):
    _edit_coco(root, lambda c: c["annotations"].pop())


# Changing a label in annotations.json also makes it disagree with the frame records, which
# the manifest check sees: those cases fail two checks. Rewriting an image or map changes its
# bytes, which the content check (sha256 in the frame record) sees.
CORRUPTIONS = [
    (wrong_area, {"rle", "manifest"}),
    (shifted_bbox, {"rle", "manifest"}),
    (negative_box, {"boxes", "rle", "manifest"}),
    (missing_image, {"files"}),
    (wrong_size, {"files", "content"}),
    (duplicate_id, {"ids"}),
    (unknown_category, {"categories", "instances", "manifest"}),
    (nan_depth, {"depth", "content"}),
    (overlapping_masks, {"instances", "manifest"}),
    (depth_png_disagrees, {"depth", "content"}),
    (object_name_swapped, {"instances"}),
    (manifest_line_dropped, {"manifest"}),
    (manifest_file_name_differs, {"manifest"}),
    (coco_annotation_dropped, {"manifest"}),
]


def test_clean_dataset_passes_with_a_json_summary(dataset, tmp_path):
    summary_path = tmp_path / "summary.json"
    result = run_simgen("validate", str(dataset), "--json", str(summary_path), cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    summary = json.loads(result.stdout)
    assert summary["ok"] and summary["failed"] == []
    assert summary["counts"]["images"] == 3 and summary["counts"]["annotations"] > 0
    assert all(check["problems"] == 0 for check in summary["checks"].values())
    assert json.loads(summary_path.read_text()) == summary


@pytest.mark.parametrize(("corrupt", "expected"), CORRUPTIONS, ids=[c.__name__ for c, _ in CORRUPTIONS])
def test_each_corruption_is_caught(dataset, tmp_path, corrupt, expected):
    copy = copy_dataset(dataset, tmp_path / "copy")
    corrupt(copy)
    report = validate_dataset(copy)
    assert not report.ok
    assert set(report.failed) == expected, report.summary()["checks"]
    for name in expected:
        assert report.checks[name].examples, name


def test_cli_exits_1_with_summary_and_fail_on_is_a_threshold(dataset, tmp_path):
    copy = copy_dataset(dataset, tmp_path / "copy")
    nan_depth(copy)
    failing = run_simgen("validate", str(copy), cwd=tmp_path)
    assert failing.returncode == 1
    summary = json.loads(failing.stdout)
    assert summary["failed"] == ["depth", "content"] and "NaN" in summary["checks"]["depth"]["examples"][0]
    # The same problem, reported but not gating:
    relaxed = run_simgen("validate", str(copy), "--fail-on", "files,ids,rle,boxes", cwd=tmp_path)
    assert relaxed.returncode == 0
    relaxed_summary = json.loads(relaxed.stdout)
    assert relaxed_summary["ok"] and relaxed_summary["checks"]["depth"]["problems"] > 0
    assert not relaxed_summary["checks"]["depth"]["gating"]
    bad = run_simgen("validate", str(copy), "--fail-on", "dept", cwd=tmp_path)
    assert bad.returncode == 2 and "--fail-on" in bad.stderr


def test_min_area_threshold(dataset):
    smallest = min(json.loads((dataset / "annotations.json").read_text())["annotations"], key=lambda a: a["area"])
    report = validate_dataset(dataset, Thresholds(min_area_px=smallest["area"] + 1))
    assert report.failed == ["boxes"] and f"area {smallest['area']}" in " ".join(report.checks["boxes"].examples)


def test_quality_gate_at_the_end_of_a_run(tmp_path):
    """validate.enabled=true: the run validates what it assembled, writes qa/validate.json, and
    exits 1 when a gating threshold is not met; the validate.* fields are run-only."""
    out = render_tiny(tmp_path / "gated", "validate.enabled=true", frames=2)
    summary = json.loads((out / "qa" / "validate.json").read_text())
    assert summary["ok"] and summary["counts"]["images"] == 2
    again = run_simgen("frames=3", *TINY, f"output.dir={out}", "validate.enabled=true", "validate.fail_on=[boxes]",
                       "validate.min_area_px=1000000", cwd=tmp_path)
    assert again.returncode == 1 and "validate: FAILED boxes" in again.stderr
    summary = json.loads((out / "qa" / "validate.json").read_text())
    assert summary["failed"] == ["boxes"] and summary["fail_on"] == ["boxes"] and summary["counts"]["images"] == 3
    typo = run_simgen("frames=2", *TINY, f"output.dir={tmp_path / 'typo'}", "validate.fail_on=[dpeth]", cwd=tmp_path)
    assert typo.returncode == 2 and "validate.fail_on" in typo.stderr and "did you mean 'depth'" in typo.stderr
