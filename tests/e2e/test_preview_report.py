"""`simgen preview` and `simgen report` on a real tiny dataset; the report opened in headless Chromium."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import cv2
import numpy as np
import pytest

from simgen.annotations.instances import encode_mask
from simgen.dataset.view import decode_segmentation, load_dataset
from simgen.qa.preview import IGNORE_RGB, category_color, key_params, render_tile
from tests.e2e.tiny import copy_dataset, render_tiny, run_simgen

pytestmark = pytest.mark.blender

SCALE = 4  # 96 px wide images are drawn 4x (TILE_MIN_WIDTH_PX = 320)


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    return render_tiny(tmp_path_factory.mktemp("look") / "ds", "seed=11")


@pytest.fixture(scope="module")
def decorated(dataset, tmp_path_factory):
    """A copy whose annotations.json also has an ignore region (iscrowd=1), amodal boxes,
    visibility and truncation, as other parts of simgen may write them."""
    root = copy_dataset(dataset, tmp_path_factory.mktemp("decorated") / "ds")
    coco = json.loads((root / "annotations.json").read_text())
    region = np.zeros((72, 96), bool)
    region[50:66, 8:40] = True
    coco["annotations"].append({"id": 10_000, "image_id": 0, "category_id": 1, "segmentation": encode_mask(region),
                                "area": int(region.sum()), "bbox": [8, 50, 32, 16], "iscrowd": 1})
    for ann in coco["annotations"]:
        x, y, w, h = ann["bbox"]
        ann["bbox_amodal"] = [x - 2, y - 2, w + 4, h + 4]
        ann["visible_fraction"], ann["truncation"] = 0.75, 0.1
    (root / "annotations.json").write_text(json.dumps(coco))
    return root


def _raw_upscaled(root, image_id):
    rgb = cv2.imread(str(root / "images" / f"{image_id:06d}.png"))[:, :, ::-1]
    return np.repeat(np.repeat(rgb, SCALE, axis=0), SCALE, axis=1)


def _boxes_meet(a, b) -> bool:
    """Whether two COCO XYWH boxes (pixel-edge) overlap or touch, one pixel of line width included."""
    return a[0] <= b[0] + b[2] and b[0] <= a[0] + a[2] and a[1] <= b[1] + b[3] and b[1] <= a[1] + a[3]


def test_preview_contact_sheet_and_overlays(dataset, tmp_path):
    out = tmp_path / "preview"
    result = run_simgen("preview", str(dataset), "--overlays", "--out", str(out), "--columns", "1", cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    sheet = cv2.imread(str(out / "contact_sheet.png"))[:, :, ::-1]
    overlays = [cv2.imread(str(out / "overlays" / f"{i:06d}.png"))[:, :, ::-1] for i in range(3)]
    height, width = 72 * SCALE, 96 * SCALE
    for k, tile in enumerate(overlays):
        assert tile.shape[0] == height and tile.shape[1] > 2 * width
        top = 28 + k * (height + 4)  # a header row, then one tile per row
        assert np.array_equal(sheet[top:top + height, :tile.shape[1]], tile)
    view = load_dataset(dataset)
    for image_id, tile in enumerate(overlays):
        raw = _raw_upscaled(dataset, image_id)
        depth = view.read_depth_m(view.image(image_id))
        depth_panel = tile[:, width:2 * width]
        sky = np.repeat(np.repeat(~np.isfinite(depth), SCALE, axis=0), SCALE, axis=1)
        sky[-20:] = False  # the depth range text
        assert (depth_panel[sky] == 0).all() and len(np.unique(depth_panel[~sky].reshape(-1, 3), axis=0)) > 20
        assert (tile[:, 2 * width:] < 100).any()  # the parameters panel has text
        for ann in view.annotations_of(image_id):
            mask = np.repeat(np.repeat(decode_segmentation(ann["segmentation"]), SCALE, 0), SCALE, 1)
            tinted = tile[:, :width][mask].astype(int) - raw[mask]
            assert np.abs(tinted).max() > 0  # the mask is tinted
        # The largest box that no other box crosses (boxes drawn later would cover its edge);
        # people get their skeletons drawn over them, so among objects without keypoints.
        anns = [a for a in view.annotations_of(image_id) if not a.get("num_keypoints")]
        alone = [a for a in anns if not any(_boxes_meet(a["bbox"], b["bbox"]) for b in anns if b is not a)]
        largest = max(alone or anns, key=lambda a: a["area"])
        x, y, w, h = (v * SCALE for v in largest["bbox"])
        left_edge = tile[y:y + h, x]
        assert (left_edge == category_color(largest["category_id"])).all(axis=1).mean() > 0.8


def test_preview_shades_ignore_regions_and_draws_amodal_boxes(dataset, decorated):
    plain, marked = render_tile(load_dataset(dataset), 0), render_tile(load_dataset(decorated), 0)
    region = marked[50 * SCALE:66 * SCALE, 8 * SCALE + 1:40 * SCALE - 1]
    grey = (region == IGNORE_RGB).all(axis=2).mean()
    assert 0.3 < grey < 0.7  # hatched, not filled
    view = load_dataset(decorated)
    ann = max((a for a in view.annotations_of(0) if not a["iscrowd"]), key=lambda a: a["area"])
    ax, ay, aw, ah = (v * SCALE for v in ann["bbox_amodal"])
    top_edge = marked[ay, ax:ax + aw]
    on = (top_edge == category_color(ann["category_id"])).all(axis=1).mean()
    assert 0.3 < on < 0.8  # dashed
    assert not np.array_equal(plain[ay, ax:ax + aw], top_edge)


def test_key_params_show_lighting_scenario_weather_and_obstacles(dataset):
    view = load_dataset(dataset)
    record = view.record(0)
    text = "\n".join(key_params(record, view.annotations_of(0)))
    assert "urban_day" in text and f"{record['spec']['lighting']['sun_elevation_deg']:.1f}" in text
    assert "day: sun elev" in text  # urban_day samples the sun at 15..65 deg
    record["spec"]["weather"] = {"condition": "rain+fog", "cloudiness": 0.5, "fog": True, "fog_visibility_m": 80.0,
                                 "fog_mode": "depth", "rain": True, "rain_intensity": 0.6, "snow": False}
    record["spec"]["obstacles"] = [{"asset": "fallen_tree"}]
    text = "\n".join(key_params(record, view.annotations_of(0)))
    assert "weather: rain+fog, clouds 0.50, fog 80 m (depth), rain 0.60" in text and "fallen_tree" in text


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    pytest.skip("no Chromium on this machine (.ci/run installs it)")


def _chromium_args(tmp_path, name):
    profile = tmp_path / f"profile-{name}"
    profile.mkdir()
    return [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={profile}", "--window-size=1200,2000"]


def test_report_is_self_contained_and_renders_in_chromium(dataset, tmp_path):
    out = tmp_path / "report.html"
    result = run_simgen("report", str(dataset), "--out", str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    text = out.read_text()
    assert "http://" not in text and "https://" not in text and "<link" not in text
    images = re.findall(r'<img [^>]*src="([^"]*)"', text)
    assert len(images) >= 3 and all(src.startswith("data:image/png;base64,") for src in images)
    assert re.search(r"<td>scenario_name</td><td>urban_day</td><td>3</td><td></td><td></td><td></td><td>100%</td>",
                     text)
    for needle in ("lighting.sun_elevation_deg", "traffic.cars", "camera.height_m", "total_s", "render_s",
                   "box size", "distance"):
        assert needle in text, needle
    (alt,) = re.findall(r'alt="(histograms: [^"]*)"', text)
    assert "visibility" in alt and "truncation" in alt  # real labels carry visible_fraction/truncation
    shot = tmp_path / "shot.png"
    subprocess.run([*_chromium_args(tmp_path, "shot"), f"--screenshot={shot}", out.as_uri()],
                   capture_output=True, timeout=120, check=True)
    pixels = cv2.imread(str(shot))
    assert pixels.shape[:2] == (2000, 1200)
    assert (pixels < 250).any(axis=2).mean() > 0.05 and len(np.unique(pixels.reshape(-1, 3), axis=0)) > 50
    dom = subprocess.run([*_chromium_args(tmp_path, "dom"), "--virtual-time-budget=5000", "--dump-dom",
                          out.as_uri()], capture_output=True, text=True, timeout=120, check=True).stdout
    assert "<title>simgen report: ds</title>" in dom
    assert f'data-images-decoded="{len(images)}/{len(images)}"' in dom


def test_report_histograms_and_ignore_counts_when_present(decorated, tmp_path):
    out = tmp_path / "report.html"
    assert run_simgen("report", str(decorated), "--out", str(out), cwd=tmp_path).returncode == 0
    text = out.read_text()
    (alt,) = re.findall(r'alt="(histograms: [^"]*)"', text)
    assert "visibility" in alt and "truncation" in alt and "no <code>visibility</code>" not in text
    assert re.search(r"<td>1</td><td>car</td><td>\d+</td><td>1</td>", text)  # one car ignore region
    assert "<td>ignore regions (iscrowd=1)</td><td>1</td>" in text


def test_report_coverage_of_a_default_render_is_all_inside_or_inactive(dataset):
    """Issue 13: every active parameter of a default render lies 100 % inside its configured range;
    parameters a frame did not use (night lights by day, fog knobs without fog) are inactive."""
    from simgen.qa.report import _row_summary, collect_stats, coverage_rows

    view = load_dataset(dataset)
    rows = coverage_rows(view.run.get("config", {}), collect_stats(view).specs)
    summaries = {row["field"]: _row_summary(row) for row in rows}
    assert {"traffic.cars", "camera.pitch_deg", "lighting.lamp_power_w"} <= set(summaries)
    assert summaries["lighting.lamp_power_w"]["n"] == 0  # urban_day: the lights are off
    outside = {k: s["inside"] for k, s in summaries.items() if s["n"] and s["inside"] not in (None, 1.0)}
    assert not outside
