"""The `labels` group: categories, depth kind and the label policy (`simgen/annotations/policy.py`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from simgen.config.fields import bounded, one_of

POLICY_FIELDS = ("min_visible_px", "min_visible_fraction", "max_truncation", "min_bbox_height_px",
                 "min_fog_transmittance")
"""LabelsConfig fields of the label policy; `labels.category_overrides.<category>` may set any."""


@dataclass
class LabelsConfig:
    """Categories (stable COCO ids), depth kind, and the label policy: a visible instance that
    fails a threshold becomes an `iscrowd: 1` ignore region (see `simgen.annotations.policy`)."""

    categories: dict[str, int] = field(default_factory=lambda: {
        "car": 1, "pedestrian": 2, "cyclist": 3, "traffic_cone": 4, "deer": 5, "dog": 6, "tree_trunk": 7,
        "tire": 8, "cardboard_box": 9, "mattress": 10, "rock": 11, "stroller": 12, "construction_barrier": 13,
        "cone_cluster": 14, "truck": 15, "bus": 16, "motorcycle": 17})
    depth_kind: str = one_of("planar", "planar", "ray")
    # The training policy (docs/training.md says why these numbers): `labels=keep_all` sets all to 0 / 1.
    min_visible_px: int = bounded(64, 0, 1_000_000_000)
    min_visible_fraction: float = bounded(0.0, 0.0, 1.0)
    max_truncation: float = bounded(1.0, 0.0, 1.0)
    min_bbox_height_px: int = bounded(10, 0, 1_000_000)
    min_fog_transmittance: float = bounded(0.05, 0.0, 1.0)
    """Mean fog transmittance over the mask below this -> ignored (0.05: the contrast threshold of
    the meteorological optical range; the object lies beyond the visibility)."""
    category_overrides: dict[str, Any] = field(default_factory=dict)
    """category -> {policy field: value}, e.g. {pedestrian: {min_bbox_height_px: 10}}."""
