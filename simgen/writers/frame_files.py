"""The per-frame writers of a run: a labeled frame in, its files out (atomic), the record last.

Each writer has `write(frame)` and `close()`; the pipeline calls them in order and the record
writer (`simgen.writers.frame_record.RecordWriter`) last, so the frame record, written after the
image, depth and label-map files, is the commit marker of the frame
(`simgen.dataset.DatasetDir.is_committed`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from simgen import contract
from simgen.annotations.labels import FrameLabels
from simgen.config.schema import OutputConfig
from simgen.imaging.post import ImagedFrame
from simgen.specs import FrameSpec
from simgen.writers.atomic import WrittenFile, write_file
from simgen.writers.flow import SequenceFlow
from simgen.writers.images import encode_depth_png, encode_npy, encode_rgb_png
from simgen.writers.label_maps import write_label_maps


@dataclass
class LabeledFrame:
    """What the label stage hands to the writers: the frame after post-processing and labels.

    Attributes:
        spec: the frame's spec (its output camera: `spec.camera`).
        image: the post-processed frame (`simgen.imaging.post.ImagedFrame`): output RGB, the
            depth to write, the first-sample label passes of the output image, fog per instance.
        labels: every label of the frame (`simgen.annotations.labels.FrameLabels`: the
            annotation records, label counts, obstacle visibility).
        timing: seconds per stage (the pipeline's clock; the record writer stores it).
        provenance: who rendered the frame (`simgen.dataset.lineage.frame_provenance`).
        files: key -> dataset-relative path of each file the writers wrote for the frame.
        files_sha256: key -> sha256 of those files' bytes, taken as they are written (files
            written by the next frame have a path but no hash yet).
        panoptic: the frame's COCO panoptic annotation, when `output.panoptic` wrote its map.
        record: the frame record as the record writer wrote it (None before).
    """

    spec: FrameSpec
    image: ImagedFrame
    labels: FrameLabels
    timing: dict[str, float]
    provenance: dict[str, Any] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    files_sha256: dict[str, str] = field(default_factory=dict)
    panoptic: dict[str, Any] | None = None
    record: dict[str, Any] | None = None

    def add_files(self, written: Mapping[str, str | WrittenFile]) -> None:
        """Record files the writers wrote (`WrittenFile`: path and hash) or will write (a path)."""
        for key, item in written.items():
            if isinstance(item, WrittenFile):
                self.files[key], self.files_sha256[key] = item.path, item.sha256
            else:
                self.files[key] = item


class FrameWriter(Protocol):
    def write(self, frame: LabeledFrame) -> None: ...

    def close(self) -> None: ...


class ImageFilesWriter:
    """RGB PNG, depth PNG (and float depth) of each frame."""

    def __init__(self, root: Path, depth_float: str) -> None:
        self.root, self.depth_float = root, depth_float

    def write(self, frame: LabeledFrame) -> None:
        index, image = frame.spec.frame_index, frame.image
        outputs = [("image", lambda: encode_rgb_png(image.rgb)), ("depth_png", lambda: encode_depth_png(image.depth_m))]
        if self.depth_float == "npy":
            outputs.append(("depth_npy", lambda: encode_npy(image.depth_m.astype(np.float32))))
        frame.add_files({key: write_file(self.root, contract.FRAME_FILES[key](index), encode())
                         for key, encode in outputs})

    def close(self) -> None:
        pass


class LabelMapsWriter:
    """The optional instance, semantic and COCO panoptic maps (`simgen.writers.label_maps`); the
    frame's panoptic annotation goes to `frame.panoptic` (then into its record)."""

    def __init__(self, root: Path, output: OutputConfig, categories: Mapping[str, int]) -> None:
        self.root, self.output, self.categories = root, output, categories

    def write(self, frame: LabeledFrame) -> None:
        files, frame.panoptic = write_label_maps(self.output, frame.spec, frame.image.passes, frame.labels.instances,
                                                 self.categories, self.root)
        frame.add_files(files)

    def close(self) -> None:
        pass


class FlowWriter:
    """Forward and backward optical flow between consecutive frames of a sequence
    (`simgen.writers.flow`); frames must arrive in order, sequences whole."""

    def __init__(self, root: Path, frames_per_sequence: int) -> None:
        self.root, self.flow = root, SequenceFlow(frames_per_sequence)

    def write(self, frame: LabeledFrame) -> None:
        passes = frame.image.passes
        frame.add_files(self.flow.add(frame.spec, passes.depth_planar_m, passes.object_index, self.root))

    def close(self) -> None:
        pass
