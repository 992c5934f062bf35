"""Which frames a run still has to render: resume, and the share of each render process.

A run never renders a committed frame again (the frame record is its commit,
`simgen.dataset.directory.DatasetDir.is_committed`), so re-running the same command resumes.
A partly committed sequence is rendered again whole, because its optical flow needs
consecutive frames rendered in one process (`simgen.sampling.sequence.whole_sequences`). With
several render processes per device (`simgen.render.workers`), each takes its `worker_share`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from simgen.config.schema import SimgenConfig
from simgen.dataset.directory import DatasetDir, check_output_dir
from simgen.dataset.locking import check_frames_free
from simgen.dataset.shards import shard_frames
from simgen.sampling.sequence import whole_sequences


@dataclass(frozen=True)
class RunFrames:
    """The frames of one run (a shard of a sweep, or all frames).

    Attributes:
        frames: the run's global frame indices (`simgen.dataset.shards.shard_frames`).
        committed: frames already committed in output.dir that this run keeps (empty for a new
            directory or one that will be overwritten).
        todo: the frames to render, in order.
    """

    frames: range
    committed: frozenset[int]
    todo: list[int]

    @property
    def committed_in_run(self) -> int:
        """How many of this run's frames are committed already."""
        return len(self.committed.intersection(self.frames))


def run_frames(cfg: SimgenConfig, plain_config: Mapping[str, Any]) -> RunFrames:
    """Check output.dir for this run without writing anything, and say which frames remain.

    Raises:
        OutputError: output.dir may not receive this run (`check_output_dir`), or another live
            run holds some of its frames (`check_frames_free`).
    """
    root = Path(cfg.output.dir)
    frames = shard_frames(cfg)
    reusable = check_output_dir(root, plain_config, cfg.output.overwrite)
    check_frames_free(root, frames)  # refuse an overlapping run before the renderer starts
    committed = frozenset(DatasetDir(root).committed_frames() if reusable else ())
    return RunFrames(frames, committed, frames_to_render(cfg, committed))


def frames_to_render(cfg: SimgenConfig, committed: Collection[int]) -> list[int]:
    """The run's frames without a committed record, widened to whole sequences, in order."""
    return whole_sequences([i for i in shard_frames(cfg) if i not in committed], cfg.sequence.frames)


def worker_share(cfg: SimgenConfig, frame_index: int, workers: int) -> int:
    """Which of `workers` render processes renders a frame: frames round-robin, or whole
    sequences round-robin when `sequence.frames` > 1 (a sequence stays in one process, in order)."""
    return (frame_index // max(1, cfg.sequence.frames)) % workers
