"""The label policy: which visible instances are kept and which become ignore regions.

An instance that fails any threshold of its category's policy is not deleted: it becomes a
COCO `iscrowd: 1` annotation whose segmentation is its visible mask, so COCO-style evaluators
neither reward nor punish detections on it. Thresholds (`labels.*`, overridable per category
in `labels.category_overrides.<category>`):

* `min_visible_px`: visible pixels (the mask area) below this -> ignored.
* `min_visible_fraction`: `visible_fraction` below this -> ignored.
* `max_truncation`: `truncation` above this -> ignored.
* `min_bbox_height_px`: height of the tight visible box below this -> ignored.
* `min_fog_transmittance`: mean fog transmittance over the mask below this -> ignored.

The schema's defaults are the training policy (`configs/labels/training.yaml`, justified in
docs/training.md); `labels=keep_all` keeps every visible instance.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from simgen.config.schema import POLICY_FIELDS, LabelsConfig


@dataclass(frozen=True)
class LabelPolicy:
    """Thresholds for one category (these defaults keep every visible instance)."""

    min_visible_px: int = 0
    min_visible_fraction: float = 0.0
    max_truncation: float = 1.0
    min_bbox_height_px: int = 0
    min_fog_transmittance: float = 0.0


def policy_for(labels: LabelsConfig, category: str) -> LabelPolicy:
    """The policy of `category`: the global `labels.*` thresholds, then its overrides."""
    values = {name: getattr(labels, name) for name in POLICY_FIELDS}
    values.update(labels.category_overrides.get(category, {}))
    return LabelPolicy(**values)


def ignore_reasons(policy: LabelPolicy, visible_px: int, visible_fraction: float, truncation: float,
                   bbox_height_px: int, fog_transmittance: float = 1.0) -> tuple[str, ...]:
    """Names of the thresholds an instance fails, in POLICY_FIELDS order; () = keep it."""
    failed = {
        "min_visible_px": visible_px < policy.min_visible_px,
        "min_visible_fraction": visible_fraction < policy.min_visible_fraction,
        "max_truncation": truncation > policy.max_truncation,
        "min_bbox_height_px": bbox_height_px < policy.min_bbox_height_px,
        "min_fog_transmittance": fog_transmittance < policy.min_fog_transmittance,
    }
    return tuple(name for name in POLICY_FIELDS if failed[name])


def label_counts(kept_or_ignored: Iterable[tuple[str, bool]], categories: Mapping[str, int]) -> dict[str, dict]:
    """{category: {"kept": n, "ignored": m}} for every category, in category-id order.

    Args:
        kept_or_ignored: (category, ignored) per instance.
        categories: category name -> id.
    """
    counts = {name: {"kept": 0, "ignored": 0} for name, _ in sorted(categories.items(), key=lambda kv: kv[1])}
    for category, ignored in kept_or_ignored:
        counts[category]["ignored" if ignored else "kept"] += 1
    return counts

