"""Optical-flow files of a sequence, written as its frames are rendered in order.

Frame k's forward flow needs frame k + 1, so both flows of a pair are written when the later
frame arrives: `flow/<k>_fwd.npy` and `flow/<k+1>_bwd.npy` (float32 (H, W, 2) pixels), each
with a uint8 `_status.png` (`simgen.contract.FLOW_*`). A frame's record lists its own flow
files; a sequence is rendered (and resumed) whole, so they all exist once it is committed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from simgen import contract
from simgen.annotations.flow import frame_flow
from simgen.errors import RenderError
from simgen.sampling.sequence import sequence_position
from simgen.specs import FrameSpec
from simgen.writers.atomic import write_bytes_atomic
from simgen.writers.images import encode_npy


def encode_status_png(status: np.ndarray) -> bytes:
    """8-bit grey PNG bytes of an (H, W) uint8 flow status map."""
    ok, data = cv2.imencode(".png", status.astype(np.uint8), [cv2.IMWRITE_PNG_COMPRESSION, 3])
    if not ok:
        raise ValueError("PNG encoding failed")
    return data.tobytes()


def _record_files(frame_index: int, direction: str) -> dict[str, str]:
    """The frame record `files` entries of one flow of a frame and its status map."""
    keys = (contract.flow_key(direction), contract.flow_key(direction, status=True))
    return {key: contract.FRAME_FILES[key](frame_index) for key in keys}


@dataclass
class _Frame:
    spec: FrameSpec
    depth_planar_m: np.ndarray
    object_index: np.ndarray


class SequenceFlow:
    """Keeps the previous frame of the sequence being rendered and writes the flows of each pair.

    Args:
        frames_per_sequence: `sequence.frames` (> 1).
    """

    def __init__(self, frames_per_sequence: int) -> None:
        self.frames_per_sequence = frames_per_sequence
        self._previous: _Frame | None = None

    def add(self, spec: FrameSpec, depth_planar_m: np.ndarray, object_index: np.ndarray,
            root: Path) -> dict[str, str]:
        """Take the next rendered frame (output-image passes); returns the flow files of its record.

        Raises:
            RenderError: frame k > 0 of a sequence arrives without frame k - 1 just before it.
        """
        _, k = sequence_position(spec.frame_index, self.frames_per_sequence)
        index = spec.frame_index
        files = {}
        if k > 0:
            previous = self._previous
            if previous is None or previous.spec.frame_index != index - 1:
                raise RenderError(f"frame {index} is frame {k} of its sequence, but frame {index - 1} was not "
                                  "rendered just before it (sequences are rendered whole)")
            pairs = ((previous, _Frame(spec, depth_planar_m, object_index), previous.spec.frame_index, "fwd"),
                     (_Frame(spec, depth_planar_m, object_index), previous, index, "bwd"))
            for a, b, frame, direction in pairs:
                flow, status = frame_flow(a.spec, a.depth_planar_m, a.object_index, b.spec, b.depth_planar_m,
                                          b.object_index)
                write_bytes_atomic(root / contract.flow_path(frame, direction), encode_npy(flow))
                write_bytes_atomic(root / contract.flow_status_path(frame, direction), encode_status_png(status))
            files |= _record_files(index, "bwd")
        if k < self.frames_per_sequence - 1:
            files |= _record_files(index, "fwd")
        self._previous = _Frame(spec, depth_planar_m, object_index) if k < self.frames_per_sequence - 1 else None
        return files
