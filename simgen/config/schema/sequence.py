"""The `sequence` group: consecutive frames of one scene (`simgen/sampling/sequence.py`)."""

from __future__ import annotations

from dataclasses import dataclass

from simgen.config.fields import bounded


@dataclass
class SequenceConfig:
    """Video sequences (`simgen/sampling/sequence.py`): `frames` consecutive frames of one
    sampled scene, `fps` apart, ego and road users advanced by their velocities. 1 = independent
    frames. `frames` (the run's) and `frames_per_shard` must be multiples of it."""

    frames: int = bounded(1, 1, 100_000)
    fps: float = bounded(10.0, 0.01, 1000.0)
