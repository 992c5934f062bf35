"""Tiny ONNX detectors built with the `onnx` helper API for the probe tests (nothing downloaded)."""

from __future__ import annotations

import numpy as np
import onnx
from onnx import TensorProto, helper


def constant_detector_model(path, rows: np.ndarray, input_hw=("H", "W")) -> None:
    """An ONNX model whose output is `rows` (N, 6) plus 0 * mean(input): it reads its input."""
    rows = np.asarray(rows, dtype=np.float32)
    graph = helper.make_graph(
        [helper.make_node("ReduceMean", ["images"], ["mean"], keepdims=0),
         helper.make_node("Mul", ["mean", "zero"], ["nothing"]),
         helper.make_node("Add", ["rows", "nothing"], ["detections"])],
        "constant_detector",
        [helper.make_tensor_value_info("images", TensorProto.FLOAT, [1, 3, *input_hw])],
        [helper.make_tensor_value_info("detections", TensorProto.FLOAT, [len(rows), 6])],
        initializer=[helper.make_tensor("rows", TensorProto.FLOAT, rows.shape, rows.ravel().tolist()),
                     helper.make_tensor("zero", TensorProto.FLOAT, [], [0.0])])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    onnx.checker.check_model(model)
    onnx.save(model, str(path))
