"""The recognizability probe: does a detector trained on real photos find our labeled objects?

Per image, the detector's boxes of a category are matched greedily (highest score first) to
that category's labeled objects (COCO annotations, `iscrowd` 0) by IoU of the detection with
the tight visible `bbox`; a label is *found* when a detection matches it. Recall is reported
per category in bins of the label's visible box height (px) and of its visibility: *unoccluded*
means `visible_fraction` >= 0.99 and `truncation` 0 (the whole object is in the image and
nothing hides it), *partly* 0.5..0.99 or truncated, *mostly hidden* < 0.5.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from simgen.fidelity.detectors import Detection

HEIGHT_BINS_PX: tuple[int, ...] = (0, 32, 64, 96, 128, 192)
"""Lower edges of the visible box height bins; the last bin is open."""

UNOCCLUDED_MIN_VISIBLE = 0.99
VISIBILITY_BINS: tuple[str, ...] = ("unoccluded", "partly", "mostly_hidden")

HEADLINE_MIN_HEIGHT_PX = 96
"""The headline recall counts unoccluded labels at least this tall."""


@dataclass(frozen=True)
class ProbeLabel:
    """One labeled object as the probe sees it: category, tight visible box (COCO XYWH px),
    visible_fraction and truncation in [0, 1]."""

    category: str
    bbox_xywh: tuple[float, float, float, float]
    visible_fraction: float
    truncation: float


def iou_xywh(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    """Intersection over union of two (x, y, w, h) boxes."""
    ix = max(0.0, min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = a[2] * a[3] + b[2] * b[3] - inter
    return inter / union if union > 0 else 0.0


def match_detections(labels: list[ProbeLabel], detections: list[Detection], min_iou: float) -> list[bool]:
    """Per label, whether a detection of its category matched it (greedy, best score first, each
    detection used once, each detection taking its highest-IoU free label)."""
    found = [False] * len(labels)
    for det in sorted(detections, key=lambda d: -d.score):
        best, best_iou = -1, min_iou
        for i, label in enumerate(labels):
            if found[i] or label.category != det.category:
                continue
            overlap = iou_xywh(label.bbox_xywh, det.bbox_xywh)
            if overlap >= best_iou:
                best, best_iou = i, overlap
        if best >= 0:
            found[best] = True
    return found


def height_bin(height_px: float) -> str:
    """The name of the height bin holding a box height, e.g. '64-96' or '192+'."""
    edges = HEIGHT_BINS_PX
    k = int(np.searchsorted(edges, height_px, side="right")) - 1
    return f"{edges[k]}+" if k == len(edges) - 1 else f"{edges[k]}-{edges[k + 1]}"


def visibility_bin(label: ProbeLabel) -> str:
    """'unoccluded', 'partly' or 'mostly_hidden' (see the module doc)."""
    if label.visible_fraction >= UNOCCLUDED_MIN_VISIBLE and label.truncation <= 0.0:
        return "unoccluded"
    return "partly" if label.visible_fraction >= 0.5 else "mostly_hidden"


def is_headline(label: ProbeLabel) -> bool:
    """Whether the headline recall counts `label`: unoccluded and >= HEADLINE_MIN_HEIGHT_PX tall."""
    return visibility_bin(label) == "unoccluded" and label.bbox_xywh[3] >= HEADLINE_MIN_HEIGHT_PX


def recall_table(outcomes: Iterable[tuple[ProbeLabel, bool]]) -> dict:
    """Per category: {'bins': {visibility: {height: {found, total, recall}}}, 'headline': {...}}.

    The headline is the recall on unoccluded labels >= HEADLINE_MIN_HEIGHT_PX tall; recall is
    None where a bin holds no label.
    """
    counts: dict[str, dict[str, dict[str, list[int]]]] = {}
    head: dict[str, list[int]] = {}
    for label, found in outcomes:
        vis, tall = visibility_bin(label), height_bin(label.bbox_xywh[3])
        cell = counts.setdefault(label.category, {}).setdefault(vis, {}).setdefault(tall, [0, 0])
        cell[0] += int(found)
        cell[1] += 1
        if is_headline(label):
            pair = head.setdefault(label.category, [0, 0])
            pair[0] += int(found)
            pair[1] += 1
    table = {}
    for category in sorted(counts):
        bins = {vis: {tall: _cell(*counts[category][vis][tall]) for tall in _height_names()
                      if tall in counts[category].get(vis, {})}
                for vis in VISIBILITY_BINS if vis in counts[category]}
        table[category] = {"bins": bins, "headline": _cell(*head.get(category, [0, 0]))}
    return table


def _height_names() -> list[str]:
    return [height_bin(edge) for edge in HEIGHT_BINS_PX]


def _cell(found: int, total: int) -> dict:
    return {"found": found, "total": total, "recall": round(found / total, 4) if total else None}


def probe_images(items: Iterable[tuple[np.ndarray, list[ProbeLabel]]], detector, min_iou: float) -> dict:
    """Run `detector` on every (rgb, labels) item and tabulate recall (`recall_table`).

    Args:
        items: per image, its (H, W, 3) uint8 RGB and the labels of the probed categories.
        detector: a `simgen.fidelity.detectors.Detector`.
        min_iou: IoU a detection needs with a label's visible box to find it.

    Returns:
        {'images', 'labels', 'detections', 'unmatched_detections', 'min_iou', 'recall'}.
    """
    outcomes: list[tuple[ProbeLabel, bool]] = []
    images = detections = unmatched = 0
    for rgb, labels in items:
        found_by = detector(rgb)
        found = match_detections(labels, found_by, min_iou)
        outcomes.extend(zip(labels, found, strict=True))
        images += 1
        detections += len(found_by)
        unmatched += len(found_by) - sum(found)
    return {"images": images, "labels": len(outcomes), "detections": detections,
            "unmatched_detections": unmatched, "min_iou": min_iou, "recall": recall_table(outcomes)}
