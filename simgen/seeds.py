"""Seeds: one run seed, one `SeedSequence` per frame, one child stream per concern.

A frame's randomness depends only on (run seed, global frame index), never on how frames are
split into shards or in which order they run. Each concern draws from its own stream, keyed by
a fixed integer below, so adding a draw to one concern (say lighting) leaves every other
concern's samples unchanged. Never renumber a concern: that would change every dataset.
"""

from __future__ import annotations

import numpy as np

CONCERNS: dict[str, int] = {
    "camera": 0,
    "lighting": 1,
    "weather": 2,
    "placement": 3,
    "obstacles": 4,
    "materials": 5,
    "layout": 6,
    "render": 7,
    "sensor": 8,
    "motion": 9,
    "textures": 10,
}


def frame_seed_sequence(run_seed: int, frame_index: int) -> np.random.SeedSequence:
    """The root SeedSequence of one frame."""
    return np.random.SeedSequence(entropy=run_seed, spawn_key=(frame_index,))


def concern_rng(run_seed: int, frame_index: int, concern: str) -> np.random.Generator:
    """An independent Generator for one concern of one frame.

    Raises:
        KeyError: unknown concern name (a programming error, not user input).
    """
    sequence = np.random.SeedSequence(entropy=run_seed, spawn_key=(frame_index, CONCERNS[concern]))
    return np.random.Generator(np.random.PCG64(sequence))


def cycles_seed(run_seed: int, frame_index: int) -> int:
    """The Cycles sampling seed of a frame: a non-negative int32 derived from its stream."""
    return int(concern_rng(run_seed, frame_index, "render").integers(0, 2**31 - 1))
