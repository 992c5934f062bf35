"""Rare-obstacle visibility after rendering: planned vs measured visible fraction.

The measured visible fraction of an obstacle is its rendered mask area (from the object-index
pass) over its amodal area: the labels' one measure of it, `Coverage.projected_px` of
`simgen.annotations.labels.object_coverage` (the whole projected mesh inside and outside the
image, through the lens model when the sensor distorts; the denominator of the annotation's
truncation too), clipped to 1 (edge pixels of the first-sample index pass and of the
rasterized silhouette can differ).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from simgen.annotations.instances import Instance
from simgen.annotations.labels import object_coverage
from simgen.specs import FrameSpec

log = logging.getLogger(__name__)


def obstacle_report(spec: FrameSpec, instances: Sequence[Instance], quota_min_visible_fraction: float) -> list[dict]:
    """One entry per obstacle: name, category, distance, quota flag, planned and measured
    visible fraction. Logs a warning when a quota obstacle measures below the quota."""
    visible_px = {inst.name: inst.area_px for inst in instances}
    props = {prop.name: prop for prop in spec.objects}
    report = []
    for obstacle in spec.obstacles:
        amodal = int(round(object_coverage(props[obstacle.name], spec).projected_px))
        measured = min(1.0, visible_px.get(obstacle.name, 0) / amodal) if amodal else 0.0
        report.append({"name": obstacle.name, "category": obstacle.category,
                       "distance_m": round(obstacle.distance_m, 3), "quota": obstacle.quota,
                       "planned_visible_fraction": obstacle.planned_visible_fraction,
                       "measured_visible_fraction": round(measured, 4), "amodal_area_px": amodal})
        if obstacle.quota and measured < quota_min_visible_fraction:
            log.warning("frame %d: quota obstacle %s measured visible fraction %.2f < %.2f (planned %.2f); "
                        "scenery such as poles is not part of the plan", spec.frame_index, obstacle.name, measured,
                        quota_min_visible_fraction, obstacle.planned_visible_fraction)
    return report
