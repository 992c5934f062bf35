"""The per-frame writers of a run: a labeled frame in, its files out (atomic), the record last.

Each writer has `write(frame)` and `close()`; the pipeline calls them in order and `RecordWriter`
last, so the frame record, written after the image, depth and label-map files, is the commit
marker of the frame (`simgen.dataset.DatasetDir.is_committed`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from simgen import contract
from simgen.annotations.instances import Instance
from simgen.config.schema import OutputConfig
from simgen.render.passes import RenderPasses
from simgen.specs import FrameSpec
from simgen.writers.atomic import write_bytes_atomic, write_json_atomic
from simgen.writers.flow import SequenceFlow
from simgen.writers.images import encode_depth_png, encode_npy, encode_rgb_png
from simgen.writers.label_maps import write_label_maps


@dataclass
class LabeledFrame:
    """What the post-processing stage hands to the writers.

    Attributes:
        spec: the frame's spec (pinhole spec of the render: `spec`, not `render_spec(spec)`).
        rgb: (H, W, 3) uint8 sRGB, after weather and the sensor model.
        depth_m: (H, W) float32 metres of `labels.depth_kind`, +inf where no surface.
        passes: the first-sample label passes of the output image (after the sensor model):
            object index (0 = background), material index, planar depth.
        instances: the frame's labeled instances (`label_frame(...).instances`).
        record: the frame record without "files" and "timing" (the record writer adds them).
        timing: seconds per stage (the pipeline's clock; the record writer stores it).
    """

    spec: FrameSpec
    rgb: np.ndarray
    depth_m: np.ndarray
    passes: RenderPasses
    instances: tuple[Instance, ...]
    record: dict[str, Any]
    timing: dict[str, float]
    files: dict[str, str] = field(default_factory=dict)


class FrameWriter(Protocol):
    def write(self, frame: LabeledFrame) -> None: ...

    def close(self) -> None: ...


class ImageFilesWriter:
    """RGB PNG, depth PNG (and float depth) of each frame."""

    def __init__(self, root: Path, depth_float: str) -> None:
        self.root, self.depth_float = root, depth_float

    def write(self, frame: LabeledFrame) -> None:
        index = frame.spec.frame_index
        outputs = [("image", lambda: encode_rgb_png(frame.rgb)), ("depth_png", lambda: encode_depth_png(frame.depth_m))]
        if self.depth_float == "npy":
            outputs.append(("depth_npy", lambda: encode_npy(frame.depth_m.astype(np.float32))))
        for key, encode in outputs:
            path = contract.FRAME_FILES[key](index)
            write_bytes_atomic(self.root / path, encode())
            frame.files[key] = path

    def close(self) -> None:
        pass


class LabelMapsWriter:
    """The optional instance, semantic and COCO panoptic maps (`simgen.writers.label_maps`); the
    frame's panoptic annotation goes into its record."""

    def __init__(self, root: Path, output: OutputConfig, categories: Mapping[str, int]) -> None:
        self.root, self.output, self.categories = root, output, categories

    def write(self, frame: LabeledFrame) -> None:
        files, panoptic = write_label_maps(self.output, frame.spec, frame.passes, frame.instances, self.categories,
                                           self.root)
        frame.files.update(files)
        if panoptic is not None:
            frame.record["panoptic"] = panoptic

    def close(self) -> None:
        pass


class FlowWriter:
    """Forward and backward optical flow between consecutive frames of a sequence
    (`simgen.writers.flow`); frames must arrive in order, sequences whole."""

    def __init__(self, root: Path, frames_per_sequence: int) -> None:
        self.root, self.flow = root, SequenceFlow(frames_per_sequence)

    def write(self, frame: LabeledFrame) -> None:
        frame.files.update(self.flow.add(frame.spec, frame.passes.depth_planar_m, frame.passes.object_index,
                                         self.root))

    def close(self) -> None:
        pass


class RecordWriter:
    """The frame record (frames/NNNNNN.json), durable: the frame's commit."""

    def __init__(self, record_path: Callable[[int], Path], root: Path) -> None:
        self.record_path, self.root = record_path, root

    def write(self, frame: LabeledFrame) -> None:
        # Content identity, checked by `simgen validate`: the sha256 of every file the frame's
        # writers just wrote (read back from the page cache; deterministic like the files). A
        # sequence's forward flow is written with the next frame, so it has no entry.
        hashes = {key: hashlib.sha256((self.root / path).read_bytes()).hexdigest() for key, path in frame.files.items()
                  if key not in contract.FILES_WRITTEN_BY_THE_NEXT_FRAME}
        record = {**frame.record, "files": frame.files, "files_sha256": hashes,
                  "timing": {k: round(v, 6) for k, v in frame.timing.items()}}
        keys = ("frame_index", "image", "annotations", "label_counts", "spec", "files", "files_sha256", "obstacles",
                "timing", "provenance", "panoptic")
        frame.record = {key: record[key] for key in keys if key in record}
        write_json_atomic(self.record_path(frame.spec.frame_index), frame.record, durable=True)

    def close(self) -> None:
        pass
