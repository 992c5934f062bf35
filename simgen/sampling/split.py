"""Train/val/test splits of a dataset's frames, deterministic from the run seed.

The unit of a split is a *group* of frames: a sequence (`sequence.frames` consecutive frames of
one scene; 1 = every frame its own group) is one group, so a sequence is never cut between splits.
Group counts per split come from the fractions by largest remainder (so they add up to the
number of groups exactly), with at least one group in every split of positive fraction when
there are enough groups. Which groups go where is one permutation drawn from the seed's own
stream (`SPLIT_SPAWN_KEY`), independent of every frame's streams: the same (seed, groups,
fractions) always give the same assignment, whatever the shards or the render order.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence

import numpy as np

from simgen.config.schema import SplitConfig
from simgen.contract import SPLIT_ORDER
from simgen.errors import ConfigError

SPLITS = SPLIT_ORDER
SPLIT_SPAWN_KEY = (2**32 - 1, 0)
"""spawn_key of the split stream: two elements, so it never equals a frame's (frame_index,)
root or a concern's (frame_index, concern) key with frame_index < 2**32 - 1."""
FRACTION_TOLERANCE = 1e-6


def split_fractions(cfg: SplitConfig) -> dict[str, float]:
    """{split: fraction} in SPLITS order.

    Raises:
        ConfigError: the fractions do not sum to 1, or train is 0.
    """
    fractions = {name: float(getattr(cfg, name)) for name in SPLITS}
    total = sum(fractions.values())
    if not math.isclose(total, 1.0, abs_tol=FRACTION_TOLERANCE):
        raise ConfigError("split", fractions, f"train + val + test = 1 (got {total:g})")
    if fractions["train"] <= 0:
        raise ConfigError("split.train", fractions["train"], "a fraction > 0 (a dataset needs training frames)")
    return fractions


def split_counts(fractions: dict[str, float], units: int) -> dict[str, int]:
    """How many of `units` groups each split gets: largest remainder, then at least one group for
    every split of positive fraction while the largest split can spare one."""
    exact = {name: fractions[name] * units for name in SPLITS}
    counts = {name: int(math.floor(exact[name])) for name in SPLITS}
    by_remainder = sorted(SPLITS, key=lambda name: (-(exact[name] - counts[name]), SPLITS.index(name)))
    for name in by_remainder[: units - sum(counts.values())]:
        counts[name] += 1
    for name in SPLITS:
        donor = max(SPLITS, key=lambda n: counts[n])
        if fractions[name] > 0 and counts[name] == 0 and counts[donor] > 1:
            counts[donor] -= 1
            counts[name] += 1
    return counts


def sample_splits(cfg: SplitConfig, run_seed: int, frame_count: int,
                  groups: Sequence[Hashable] | None = None) -> list[str]:
    """The split name of every frame 0..frame_count-1.

    Args:
        cfg: the fractions.
        run_seed: the dataset's seed.
        frame_count: number of frames.
        groups: a group key per frame (frames of one sequence share it); None = one group per frame.

    Raises:
        ConfigError: bad fractions (see `split_fractions`).
    """
    fractions = split_fractions(cfg)
    keys = list(range(frame_count)) if groups is None else list(groups)
    if len(keys) != frame_count:
        raise ValueError(f"{len(keys)} group keys for {frame_count} frames")
    units = list(dict.fromkeys(keys))  # first-appearance order
    counts = split_counts(fractions, len(units))
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(entropy=run_seed, spawn_key=SPLIT_SPAWN_KEY)))
    order = rng.permutation(len(units))
    names = [name for name in SPLITS for _ in range(counts[name])]
    split_of_unit = {units[int(u)]: names[rank] for rank, u in enumerate(order)}
    return [split_of_unit[key] for key in keys]
