"""The `obstacles` group: rare obstacles and the quota (`simgen/sampling/obstacles.py`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from simgen.config.fields import bounded, dist


@dataclass
class ObstaclesConfig:
    """Rare obstacles on the road ahead (`simgen/sampling/obstacles.py`).

    `rates` maps an obstacle class (a catalog category, e.g. deer) to the probability that a
    frame holds one of it, anywhere on the road. With `quota_fraction` P > 0, frame i is a quota
    frame iff ceil((i + 1) * P) > ceil(i * P): it gets one more obstacle (class drawn with the
    rates as weights) in the ego lane, placed so that at least `quota_min_visible_fraction` of
    its silhouette is in the image and not hidden by traffic, and its visible pixels cover at
    least `quota_min_image_fraction` of the image (resolution-independent size).
    """

    rates: dict[str, float] = field(default_factory=dict)
    quota_fraction: float = bounded(0.0, 0.0, 1.0)
    quota_min_visible_fraction: float = bounded(0.5, 0.0, 1.0)
    quota_min_image_fraction: float = bounded(0.0, 0.0, 1.0)
    """A quota obstacle's visible pixels must also cover at least this share of the image."""
    distance_m: Any = dist({"uniform": [8.0, 45.0]}, 1.0, 1000.0)
    clearance_m: float = bounded(0.3, 0.0, 10.0)
    attempts_per_object: int = bounded(200, 1, 100000)
