"""The recognizability probe: box matching, recall bins, slices, and the ONNX detector contract on
tiny models built here with the `onnx` helper API (nothing downloaded)."""

from __future__ import annotations

import cv2
import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper

from simgen.errors import ConfigError
from simgen.fidelity.detectors import Detection, HogPeopleDetector, OnnxDetector
from simgen.fidelity.probe import ProbeLabel, height_bin, iou_xywh, match_detections, probe_images, recall_table
from simgen.fidelity.slices import frame_slices, slice_aucs
from tests.unit.onnx_models import constant_detector_model


def label(category="pedestrian", box=(10, 10, 20, 100), visible=1.0, truncation=0.0) -> ProbeLabel:
    return ProbeLabel(category, tuple(float(v) for v in box), visible, truncation)


def test_iou_and_greedy_matching():
    assert iou_xywh((0, 0, 10, 10), (0, 0, 10, 10)) == 1.0
    assert iou_xywh((0, 0, 10, 10), (5, 0, 10, 10)) == pytest.approx(50 / 150)
    assert iou_xywh((0, 0, 10, 10), (20, 20, 5, 5)) == 0.0
    labels = [label(box=(0, 0, 20, 100)), label(box=(100, 0, 20, 100)), label("car", (200, 0, 50, 30))]
    detections = [Detection("pedestrian", (1, 1, 20, 100), 0.9),   # finds label 0
                  Detection("pedestrian", (0, 0, 20, 100), 0.5),   # label 0 taken; label 1 too far
                  Detection("pedestrian", (200, 0, 50, 30), 0.9)]  # right box, wrong class
    assert match_detections(labels, detections, 0.5) == [True, False, False]


def test_recall_bins_and_headline():
    outcomes = [(label(box=(0, 0, 30, 100)), True), (label(box=(0, 0, 30, 130)), False),
                (label(box=(0, 0, 30, 100), visible=0.7), True), (label(box=(0, 0, 10, 40)), False),
                (label(box=(0, 0, 30, 100), truncation=0.2), False), (label(box=(0, 0, 30, 100), visible=0.3), True)]
    table = recall_table(outcomes)["pedestrian"]
    assert table["headline"] == {"found": 1, "total": 2, "recall": 0.5}
    assert table["bins"]["unoccluded"] == {"32-64": {"found": 0, "total": 1, "recall": 0.0},
                                           "96-128": {"found": 1, "total": 1, "recall": 1.0},
                                           "128-192": {"found": 0, "total": 1, "recall": 0.0}}
    assert table["bins"]["partly"]["96-128"] == {"found": 1, "total": 2, "recall": 0.5}
    assert table["bins"]["mostly_hidden"]["96-128"]["total"] == 1
    assert height_bin(0) == "0-32" and height_bin(191.5) == "128-192" and height_bin(500) == "192+"


def test_onnx_detector_follows_the_contract_at_any_input_size(tmp_path):
    rows = [[10, 20, 40, 120, 0.9, 0], [50, 50, 60, 60, 0.2, 0], [0, 0, 30, 30, 0.95, 1]]
    constant_detector_model(tmp_path / "dynamic.onnx", rows)
    detector = OnnxDetector(tmp_path / "dynamic.onnx", ["pedestrian", "_"], min_score=0.5)
    found = detector(np.zeros((120, 160, 3), np.uint8))
    assert found == [Detection("pedestrian", (10.0, 20.0, 30.0, 100.0), pytest.approx(0.9))]
    # A fixed 60x80 input: the image is resized to it and the boxes scaled back (x2 here).
    constant_detector_model(tmp_path / "fixed.onnx", rows, input_hw=(60, 80))
    fixed = OnnxDetector(tmp_path / "fixed.onnx", ["pedestrian", "_"], min_score=0.5)
    scaled = fixed(np.zeros((120, 160, 3), np.uint8))
    assert scaled[0].bbox_xywh == pytest.approx((20.0, 40.0, 60.0, 200.0))
    labels = [label(box=(10, 20, 30, 100)), label(box=(100, 0, 20, 60))]
    probe = probe_images([(np.zeros((120, 160, 3), np.uint8), labels)], detector, 0.5)
    assert probe["labels"] == 2 and probe["detections"] == 1 and probe["unmatched_detections"] == 0
    assert probe["recall"]["pedestrian"]["headline"] == {"found": 1, "total": 1, "recall": 1.0}


def test_onnx_detector_refuses_models_off_contract(tmp_path):
    with pytest.raises(ConfigError, match="existing .onnx file"):
        OnnxDetector(tmp_path / "missing.onnx", ["pedestrian"])
    (tmp_path / "junk.onnx").write_bytes(b"not a model")
    with pytest.raises(ConfigError, match="valid ONNX model"):
        OnnxDetector(tmp_path / "junk.onnx", ["pedestrian"])
    constant_detector_model(tmp_path / "ok.onnx", [[0, 0, 1, 1, 0.9, 3]])
    with pytest.raises(ConfigError, match="comma-separated"):
        OnnxDetector(tmp_path / "ok.onnx", [])
    with pytest.raises(ConfigError, match="class index 3"):
        OnnxDetector(tmp_path / "ok.onnx", ["pedestrian"])(np.zeros((8, 8, 3), np.uint8))
    graph = helper.make_graph([helper.make_node("Identity", ["x"], ["y"])], "g",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4])])
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), str(tmp_path / "flat.onnx"))
    with pytest.raises(ConfigError, match=r"\(1, 3, H, W\)"):
        OnnxDetector(tmp_path / "flat.onnx", ["pedestrian"])


def test_hog_detector_finds_nothing_in_flat_or_tiny_images():
    hog = HogPeopleDetector()
    assert hog(np.full((240, 320, 3), 128, np.uint8)) == []
    assert hog(np.zeros((60, 80, 3), np.uint8)) == []


def test_slices_group_frames_by_weather_and_time_of_day():
    specs = [{"weather": {"condition": c}, "lighting": {"time_of_day": t}}
             for c, t in (("clear", "day"), ("rain", "day"), ("clear", "night"), ("clear", "day"))]
    slices = [frame_slices(s) for s in specs]
    assert slices[1] == {"weather": "rain", "lighting": "day"}
    rng = np.random.default_rng(0)
    synthetic, real = rng.normal(0, 1, (4, 19)), rng.normal(3, 1, (6, 19))
    out = slice_aucs(synthetic, slices, real, seed=0)
    assert out["weather"]["rain"] == {"images": 1, "auc": None}
    assert out["weather"]["clear"]["images"] == 3 and out["weather"]["clear"]["auc"] == 1.0
    assert out["lighting"]["day"]["images"] == 3 and out["lighting"]["night"]["auc"] is None


def test_hog_margin_at_frames_the_box_as_the_detector_frames_its_people():
    """The centred, unscaled window of a 96 px tall box is the 64x128 window around it (16 px
    above and below, the detector's framing), so the best margin is at least that window's own
    SVM score; an empty image scores the detector's bias, far below 0."""
    grey = np.random.default_rng(3).integers(0, 256, (300, 200), dtype=np.uint8)
    hog, weights = cv2.HOGDescriptor(), cv2.HOGDescriptor_getDefaultPeopleDetector().ravel()
    centred = grey[60 + 48 - 64:60 + 48 + 64, 50 + 24 - 32:50 + 24 + 32]
    direct = float(hog.compute(centred).ravel() @ weights[:-1] + weights[-1])
    assert HogPeopleDetector().margin_at(grey, (50.0, 60.0, 48.0, 96.0)) >= direct - 1e-4
    blank = HogPeopleDetector().margin_at(np.zeros((300, 200), np.uint8), (150.0, 250.0, 60.0, 120.0))  # off the edge
    assert blank == pytest.approx(float(weights[-1]), abs=1e-4) and blank < -1.0
