"""`simgen fidelity` end to end on tiny data: real Cycles renders vs patches of real photos
that scikit-image ships in its wheel."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from simgen.fidelity.classify import compare_features
from simgen.fidelity.features import FEATURE_NAMES, image_features, noise_sigma, spectrum_slope
from simgen.fidelity.reference import write_photo_patches
from tests.unit.onnx_models import constant_detector_model


def simgen(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    return subprocess.run([sys.executable, "-m", "simgen", *args], cwd=cwd, capture_output=True, text=True,
                          env=env, timeout=600)


@pytest.mark.blender
def test_fidelity_command_on_tiny_renders_and_bundled_photos(tmp_path):
    rendered = simgen("frames=4", "seed=5", f"output.dir={tmp_path / 'ds'}", "render.resolution=[64,48]",
                      "render.samples=1", "render.denoise=false", "output.progress=false", cwd=tmp_path)
    assert rendered.returncode == 0, rendered.stderr[-3000:]
    photos = write_photo_patches(tmp_path / "real", (64, 48), photos=("astronaut", "coffee", "rocket"))
    assert len(photos) == 12
    runs = []
    for out in ("report_a", "report_b"):
        result = simgen("fidelity", str(tmp_path / "ds"), "--real", str(tmp_path / "real"), "--out",
                        str(tmp_path / out), cwd=tmp_path)
        assert result.returncode == 0, result.stderr[-3000:]
        assert "ROC AUC" in result.stdout
        runs.append(tmp_path / out)
    report = json.loads((runs[0] / "fidelity.json").read_text())
    assert 0.0 <= report["roc_auc"] <= 1.0 and report["synthetic_images"] == 4 and report["real_images"] == 12
    assert sorted(f["name"] for f in report["features"]) == sorted(FEATURE_NAMES)
    separations = [f["separation"] for f in report["features"]]
    assert separations == sorted(separations, reverse=True)
    page = (runs[0] / "fidelity.html").read_text()
    assert page.count("data:image/png;base64,") == 2 and f"{report['roc_auc']:.3f}" in page
    for name in ("fidelity.json", "fidelity.html"):
        assert (runs[0] / name).read_bytes() == (runs[1] / name).read_bytes(), name
    for slicing in ("weather", "lighting"):
        assert sum(cell["images"] for cell in report["slices"][slicing].values()) == 4
    assert "ROC AUC per slice" in page
    probe_with_oracle_model(tmp_path)


def probe_with_oracle_model(tmp_path: Path) -> None:
    """`--probe hog --probe-onnx`: an ONNX model that outputs frame 0's car boxes finds them all."""
    coco = json.loads((tmp_path / "ds" / "annotations.json").read_text())
    car = next(c["id"] for c in coco["categories"] if c["name"] == "car")
    cars = [a for a in coco["annotations"] if a["image_id"] == 0 and a["category_id"] == car and not a["iscrowd"]]
    assert cars
    rows = [[x, y, x + w, y + h, 0.9, 1] for x, y, w, h in (a["bbox"] for a in cars)]
    constant_detector_model(tmp_path / "oracle.onnx", np.array(rows))
    result = simgen("fidelity", str(tmp_path / "ds"), "--probe", "hog", "--probe-onnx", str(tmp_path / "oracle.onnx"),
                    "--onnx-classes", "_,car", "--out", str(tmp_path / "probe"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads((tmp_path / "probe" / "fidelity.json").read_text())
    assert "roc_auc" not in report and report["probe"]["hog"]["images"] == 4
    onnx_probe = report["probe"]["onnx"]
    assert onnx_probe["detections"] == 4 * len(cars)
    bins = onnx_probe["recall"]["car"]["bins"]
    assert sum(cell["found"] for heights in bins.values() for cell in heights.values()) >= len(cars)
    assert "Recognizability probe: onnx" in (tmp_path / "probe" / "fidelity.html").read_text()
    bad = simgen("fidelity", str(tmp_path / "ds"), "--probe-onnx", str(tmp_path / "oracle.onnx"),
                 "--onnx-classes", "_,lorry", cwd=tmp_path)
    assert bad.returncode == 2 and "--onnx-classes" in bad.stderr and "Traceback" not in bad.stderr


def test_fidelity_refuses_missing_or_empty_folders(tmp_path):
    (tmp_path / "empty").mkdir()
    result = simgen("fidelity", str(tmp_path / "empty"), "--real", str(tmp_path / "nowhere"), cwd=tmp_path)
    assert result.returncode == 2 and "at least 2 images" in result.stderr
    result = simgen("fidelity", str(tmp_path), "--real", str(tmp_path / "nowhere"), cwd=tmp_path)
    assert result.returncode == 2
    result = simgen("fidelity", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 2 and "--probe hog" in result.stderr
    result = simgen("fidelity", str(tmp_path / "empty"), "--probe", "hog", cwd=tmp_path)
    assert result.returncode == 2 and "annotations.json" in result.stderr


def test_features_measure_what_they_say():
    rng = np.random.default_rng(0)
    flat = np.full((96, 128), 128.0)
    assert noise_sigma(flat + rng.normal(0, 5.0, flat.shape)) == pytest.approx(5.0, rel=0.1)
    # 1/f amplitude (1/f^2 power) noise has a spectrum slope near -2.
    fy, fx = np.meshgrid(np.fft.fftfreq(128), np.fft.fftfreq(128), indexing="ij")
    amplitude = 1.0 / np.maximum(np.hypot(fx, fy), 1.0 / 128)
    pink = np.real(np.fft.ifft2(amplitude * np.exp(2j * np.pi * rng.random((128, 128)))))
    assert spectrum_slope(pink) == pytest.approx(-2.0, abs=0.3)


def test_classifier_separates_clean_from_noisy_images_and_not_twins():
    rng = np.random.default_rng(1)
    base = [np.clip(rng.normal(120, 30, (48, 64, 3)), 0, 255).astype(np.uint8) for _ in range(10)]
    smooth = np.array([image_features(np.full((48, 64, 3), 80 + 10 * i, np.uint8)) for i in range(10)])
    noisy = np.array([image_features(b) for b in base])
    assert compare_features(smooth, noisy).auc == 1.0
    assert compare_features(noisy[:5], noisy[5:]).auc < 0.9
