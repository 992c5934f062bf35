"""Real-trained detectors for the recognizability probe: OpenCV's HOG people detector (built in)
and a user's own ONNX model (the optional `onnx` extra: onnxruntime).

A detector is a callable `(rgb) -> list[Detection]` on one (H, W, 3) uint8 RGB image; boxes are
in that image's pixels. Each detector names the simgen categories its classes stand for, so the
probe can match its detections to our labels.

**ONNX contract** (`OnnxDetector`, `simgen fidelity --probe-onnx MODEL --onnx-classes a,b,...`):

- input: the model's first input, float32, shape (1, 3, H, W): RGB, values in [0, 1], NCHW.
  If H and W are fixed numbers the image is resized (bilinear, aspect not kept) to (W, H) and the
  boxes are scaled back; if they are symbolic the image is fed at its own size.
- output: the model's first output, float32, shape (N, 6) or (1, N, 6): one row per detection,
  `[x1, y1, x2, y2, score, class_index]`, corners in pixels of the model input (pixel edges,
  x right, y down), score in [0, 1], class_index an integer-valued float.
- classes: `--onnx-classes` lists, in class-index order, the simgen category name each class
  index stands for (`_` for a class with no simgen counterpart; its detections are ignored).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from simgen.errors import ConfigError

IGNORED_CLASS = "_"
"""An `--onnx-classes` entry for a model class with no simgen category."""


@dataclass(frozen=True)
class Detection:
    """One detection in image pixels.

    Attributes:
        category: the simgen category name it stands for.
        bbox_xywh: (x, y, w, h) float pixels, pixel-edge coordinates (COCO convention).
        score: detector confidence (HOG: SVM margin; ONNX: the model's score).
    """

    category: str
    bbox_xywh: tuple[float, float, float, float]
    score: float


Detector = Callable[[np.ndarray], list[Detection]]


_WINDOW_W_PX, _WINDOW_H_PX = 64, 128
_PERSON_IN_WINDOW_PX = (12, 16, 40, 96)
"""The person box inside the HOG window (x, y, w, h px): 96 px tall with 16 px above and below,
about 12 px either side (Dalal & Triggs 2005, sec. 3)."""
_MARGIN_SCALES = (0.9, 1.0, 1.1)
_MARGIN_SHIFTS = (-0.05, 0.0, 0.05)


@dataclass(frozen=True)
class HogPeopleDetector:
    """OpenCV's default HOG + linear SVM people detector (Dalal-Triggs, trained on INRIA).

    Its 64x128 window holds a 96 px tall person (`_PERSON_IN_WINDOW_PX`), so each window is
    shrunk to that central person box before matching against tight labels. Windows are searched at scales 1.05^k of
    the image upscaled by `upscale` (people shorter than ~96 / upscale px are not found).

    Attributes:
        category: the simgen category its detections stand for.
        upscale: factor the image is enlarged by (bilinear) before the search; 1 = as is.
        hit_threshold: SVM margin a window must exceed (OpenCV's default 0).
    """

    category: str = "pedestrian"
    upscale: float = 1.0
    hit_threshold: float = 0.0

    def __call__(self, rgb: np.ndarray) -> list[Detection]:
        hog = cv2.HOGDescriptor()
        hog.setSVMDetector(cv2.HOGDescriptor_getDefaultPeopleDetector())
        grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
        if self.upscale != 1.0:
            grey = cv2.resize(grey, None, fx=self.upscale, fy=self.upscale, interpolation=cv2.INTER_LINEAR)
        if grey.shape[0] < _WINDOW_H_PX or grey.shape[1] < _WINDOW_W_PX:
            return []
        boxes, weights = hog.detectMultiScale(grey, hitThreshold=self.hit_threshold, winStride=(8, 8),
                                              padding=(8, 8), scale=1.05)
        out = []
        px, py, pw, ph = _PERSON_IN_WINDOW_PX
        for (x, y, w, h), weight in zip(np.asarray(boxes).reshape(-1, 4), np.asarray(weights).ravel(), strict=True):
            box = (x + w * px / _WINDOW_W_PX, y + h * py / _WINDOW_H_PX, w * pw / _WINDOW_W_PX, h * ph / _WINDOW_H_PX)
            out.append(Detection(self.category, tuple(float(v) / self.upscale for v in box), float(weight)))
        return out

    def margin_at(self, grey: np.ndarray, bbox_xywh: tuple[float, ...]) -> float:
        """The best SVM margin over the windows around a labeled box: the window that frames the
        box as the detector frames its people (`_PERSON_IN_WINDOW_PX`), scaled 0.9-1.1 and
        shifted +-5 % of its height each way, resampled to the 64x128 window at the image's own
        scale (`upscale` aside). > `hit_threshold` is where the detector fires before grouping:
        a finer measure of "how nearly found" than found or missed.

        grey: (H, W) uint8; the image is edge-padded, so boxes at the border are scored too.
        """
        x, y, w, h = bbox_xywh
        pad = 2 * int(np.ceil(h))
        padded = np.pad(grey, pad, mode="edge")
        hog, weights = cv2.HOGDescriptor(), cv2.HOGDescriptor_getDefaultPeopleDetector().ravel()
        best = -np.inf
        for scale in _MARGIN_SCALES:
            window_h = h * _WINDOW_H_PX / _PERSON_IN_WINDOW_PX[3] * scale
            window_w = window_h * _WINDOW_W_PX / _WINDOW_H_PX
            for dx in _MARGIN_SHIFTS:
                for dy in _MARGIN_SHIFTS:
                    cx, cy = x + w / 2 + dx * window_h, y + h / 2 + dy * window_h
                    x0, y0 = int(round(cx - window_w / 2)) + pad, int(round(cy - window_h / 2)) + pad
                    crop = padded[y0:y0 + int(round(window_h)), x0:x0 + int(round(window_w))]
                    window = cv2.resize(crop, (_WINDOW_W_PX, _WINDOW_H_PX), interpolation=cv2.INTER_AREA)
                    best = max(best, float(hog.compute(window).ravel() @ weights[:-1] + weights[-1]))
        return best


class OnnxDetector:
    """A user's detector exported to ONNX, run with onnxruntime on the CPU (contract: module doc).

    Raises:
        ConfigError: onnxruntime is missing, the file is not a loadable model, or its input or
            output does not follow the contract (checked at load, so a bad model fails before any
            image is read).
    """

    def __init__(self, model_path: Path, classes: list[str], min_score: float = 0.0) -> None:
        try:
            import onnxruntime
        except ImportError as error:
            raise ConfigError("--probe-onnx", str(model_path), "a model run by onnxruntime, which is not "
                              "installed: pip install 'simgen[onnx]'") from error
        if not model_path.is_file():
            raise ConfigError("--probe-onnx", str(model_path), "an existing .onnx file")
        if not classes:
            raise ConfigError("--onnx-classes", "", "a comma-separated list of simgen category names "
                              f"(or {IGNORED_CLASS!r}) in the model's class-index order")
        try:
            self.session = onnxruntime.InferenceSession(str(model_path), providers=["CPUExecutionProvider"])
        except Exception as error:  # onnxruntime raises its own untyped errors for a bad file
            raise ConfigError("--probe-onnx", str(model_path), f"a valid ONNX model ({error})") from error
        model_input = self.session.get_inputs()[0]
        shape = list(model_input.shape)
        if model_input.type != "tensor(float)" or len(shape) != 4 or shape[1] != 3:
            raise ConfigError("--probe-onnx", str(model_path), "a model whose first input is float32 (1, 3, H, W); "
                              f"it has {model_input.type} {shape}")
        self.input_name = model_input.name
        self.input_hw = (shape[2], shape[3]) if all(isinstance(v, int) for v in shape[2:]) else None
        self.classes = list(classes)
        self.min_score = min_score
        self.model_path = model_path

    def __call__(self, rgb: np.ndarray) -> list[Detection]:
        height, width = rgb.shape[:2]
        feed = rgb if self.input_hw is None else cv2.resize(rgb, (self.input_hw[1], self.input_hw[0]),
                                                            interpolation=cv2.INTER_LINEAR)
        tensor = (feed.astype(np.float32) / 255.0).transpose(2, 0, 1)[None]
        rows = np.asarray(self.session.run(None, {self.input_name: tensor})[0], dtype=np.float64)
        if rows.ndim == 3 and rows.shape[0] == 1:
            rows = rows[0]
        if rows.ndim != 2 or rows.shape[1] != 6:
            raise ConfigError("--probe-onnx", str(self.model_path),
                              f"a model whose first output is (N, 6) [x1, y1, x2, y2, score, class]; got {rows.shape}")
        sx, sy = (1.0, 1.0) if self.input_hw is None else (width / self.input_hw[1], height / self.input_hw[0])
        out = []
        for x1, y1, x2, y2, score, index in rows:
            k = int(round(index))
            if not 0 <= k < len(self.classes):
                raise ConfigError("--onnx-classes", ",".join(self.classes),
                                  f"one name per model class: the model output class index {k}")
            if self.classes[k] == IGNORED_CLASS or score < self.min_score:
                continue
            out.append(Detection(self.classes[k], (x1 * sx, y1 * sy, (x2 - x1) * sx, (y2 - y1) * sy), float(score)))
        return out
