"""The per-frame writers of a run: a labeled frame in, its files out (atomic), the record last.

Each writer has `write(frame)` and `close()`; the pipeline calls them in order and `RecordWriter`
last, so the frame record, written after the image, depth and label-map files, is the commit
marker of the frame (`simgen.dataset.DatasetDir.is_committed`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from simgen import contract
from simgen.specs import FrameSpec
from simgen.writers.atomic import write_bytes_atomic, write_json_atomic
from simgen.writers.images import encode_depth_png, encode_npy, encode_rgb_png, encode_uint16_png


@dataclass
class LabeledFrame:
    """What the post-processing stage hands to the writers.

    Attributes:
        spec: the frame's spec (pinhole spec of the render: `spec`, not `render_spec(spec)`).
        rgb: (H, W, 3) uint8 sRGB, after weather and the sensor model.
        depth_m: (H, W) float32 metres of `labels.depth_kind`, +inf where no surface.
        object_index: (H, W) int32 instance index (0 = background), in the final image.
        semantic: (H, W) uint16 category ids, or None when semantic maps are off.
        record: the frame record without "files" and "timing" (the record writer adds them).
        timing: seconds per stage (the pipeline's clock; the record writer stores it).
    """

    spec: FrameSpec
    rgb: np.ndarray
    depth_m: np.ndarray
    object_index: np.ndarray
    semantic: np.ndarray | None
    record: dict[str, Any]
    timing: dict[str, float]
    files: dict[str, str] = field(default_factory=dict)


class FrameWriter(Protocol):
    def write(self, frame: LabeledFrame) -> None: ...

    def close(self) -> None: ...


class ImageFilesWriter:
    """RGB PNG, depth PNG (and float depth), instance and semantic maps of each frame."""

    def __init__(self, root: Path, depth_float: str, instance_maps: bool) -> None:
        self.root, self.depth_float, self.instance_maps = root, depth_float, instance_maps

    def write(self, frame: LabeledFrame) -> None:
        index = frame.spec.frame_index
        outputs = [("image", contract.image_path(index), lambda: encode_rgb_png(frame.rgb)),
                   ("depth_png", contract.depth_png_path(index), lambda: encode_depth_png(frame.depth_m))]
        if self.depth_float == "npy":
            outputs.append(("depth_npy", contract.depth_npy_path(index),
                            lambda: encode_npy(frame.depth_m.astype(np.float32))))
        if self.instance_maps:
            outputs.append(("instance_map", contract.instance_map_path(index),
                            lambda: encode_uint16_png(frame.object_index)))
        if frame.semantic is not None:
            outputs.append(("semantic_map", contract.semantic_map_path(index),
                            lambda: encode_uint16_png(frame.semantic)))
        for key, path, encode in outputs:
            write_bytes_atomic(self.root / path, encode())
            frame.files[key] = path

    def close(self) -> None:
        pass


class RecordWriter:
    """The frame record (frames/NNNNNN.json), durable: the frame's commit."""

    def __init__(self, record_path: Callable[[int], Path]) -> None:
        self.record_path = record_path

    def write(self, frame: LabeledFrame) -> None:
        record = {**frame.record, "files": frame.files, "timing": {k: round(v, 6) for k, v in frame.timing.items()}}
        keys = ("frame_index", "image", "annotations", "label_counts", "spec", "files", "obstacles", "timing",
                "provenance")
        frame.record = {key: record[key] for key in keys}
        write_json_atomic(self.record_path(frame.spec.frame_index), frame.record, durable=True)

    def close(self) -> None:
        pass
