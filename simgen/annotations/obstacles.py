"""Rare-obstacle visibility after rendering: planned vs measured visible fraction.

The measured visible fraction of an obstacle is its rendered mask area (from the object-index
pass) over its amodal area: the labels' one measure of it, `Coverage.projected_px` of
`simgen.annotations.lens_coverage.object_coverage` (the whole projected mesh inside and outside
the image, through the lens model when the sensor distorts; the denominator of the annotation's
truncation too), clipped to 1 (edge pixels of the first-sample index pass and of the
rasterized silhouette can differ). The label stage (`simgen.annotations.labels.label_frame`)
returns these records with the frame's annotations; the frame record writer serialises them.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from simgen.annotations.instances import Instance
from simgen.annotations.lens_coverage import object_coverage
from simgen.specs import FrameSpec

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ObstacleVisibility:
    """How visible one planned obstacle of a frame turned out.

    Attributes:
        name: the obstacle's object name in the frame spec; category: its class.
        distance_m: planned distance from the camera, metres.
        quota: whether it counts towards the obstacle quota (`simgen.sampling.obstacles`).
        planned_visible_fraction: the planner's estimate, in [0, 1] (None for non-quota obstacles).
        measured_visible_fraction: rendered mask px / amodal px, clipped to [0, 1] (0 when the
            amodal area is 0).
        amodal_area_px: the object's projected area, inside and outside the image, pixels.
    """

    name: str
    category: str
    distance_m: float
    quota: bool
    planned_visible_fraction: float | None
    measured_visible_fraction: float
    amodal_area_px: int


def obstacle_report(spec: FrameSpec, instances: Sequence[Instance],
                    quota_min_visible_fraction: float = 0.0) -> list[ObstacleVisibility]:
    """One record per obstacle of the frame, in the spec's order. Logs a warning when a quota
    obstacle measures below `quota_min_visible_fraction`."""
    visible_px = {inst.name: inst.area_px for inst in instances}
    props = {prop.name: prop for prop in spec.objects}
    report = []
    for obstacle in spec.obstacles:
        amodal = int(round(object_coverage(props[obstacle.name], spec).projected_px))
        measured = min(1.0, visible_px.get(obstacle.name, 0) / amodal) if amodal else 0.0
        report.append(ObstacleVisibility(obstacle.name, obstacle.category, obstacle.distance_m, obstacle.quota,
                                         obstacle.planned_visible_fraction, measured, amodal))
        if obstacle.quota and measured < quota_min_visible_fraction:
            log.warning("frame %d: quota obstacle %s measured visible fraction %.2f < %.2f (planned %.2f); "
                        "scenery such as poles is not part of the plan", spec.frame_index, obstacle.name, measured,
                        quota_min_visible_fraction, obstacle.planned_visible_fraction)
    return report
