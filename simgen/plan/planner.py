"""Dry runs: sample frame specs without rendering and summarize what a config will produce.

`plan_frames` samples the specs of a run (the same `sample_frame` the renderer uses, so the
plan is exactly what would be rendered) and flattens each into one row of sampled parameters;
`summarize_plan` reduces the rows to per-parameter statistics and a summary table (rare-obstacle
share, quota, weather mix, time of day). `simgen plan` (simgen/commands/plan.py) writes them.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import numpy as np

from simgen.catalog.entries import Catalog
from simgen.config.schema import SimgenConfig
from simgen.sampling.frame import check_categories, sample_frame
from simgen.sampling.obstacles import quota_frame_count
from simgen.sampling.traffic import POSE_SAMPLERS
from simgen.specs import FrameSpec

Value = float | int | str | bool | list


FURNITURE_PREFIXES = {"signs": ("sign", "stop"), "traffic_lights": ("traffic",),
                      "sidewalk_furniture": ("bin", "bench", "bollard", "hydrant", "delineator")}
"""plan column -> first word of the names of the layout's scenery props it counts."""


def flatten_frame(spec: FrameSpec) -> dict[str, Value]:
    """Every sampled parameter of a frame as {dotted name: value}.

    Numbers, strings and bools are single values; per-object values (obstacle distances and
    visible fractions) are lists.
    """
    row: dict[str, Value] = {}
    camera = spec.camera
    lane = spec.layout.lanes[spec.layout.ego_lane] if spec.layout.lanes else None
    row["camera.height_m"] = camera.location_m[2]
    row["camera.lateral_offset_m"] = camera.location_m[0] - (lane.center_x_m if lane else 0.0)
    for key in ("pitch_deg", "yaw_deg", "roll_deg", "focal_length_mm", "sensor_width_mm"):
        row[f"camera.{key}"] = getattr(camera, key)
    for group in ("lighting", "weather"):
        value = getattr(spec, group, None)
        if value is not None:
            for key, item in dataclasses.asdict(value).items():
                if isinstance(item, (int, float, str, bool)):
                    row[f"{group}.{key}"] = item
    hdri = spec.lighting.hdri
    if hdri is not None:  # absent (not recorded) in frames lit by the procedural sky
        row["lighting.hdri"] = hdri.name
        row["lighting.hdri_rotation_deg"] = hdri.rotation_deg
        row["lighting.hdri_strength"] = hdri.strength
    clouds = spec.lighting.clouds
    if clouds is not None:  # absent in clear-sky frames
        row["lighting.cloud_type"] = clouds.cloud_type
        row["lighting.cloud_coverage"] = clouds.coverage
    row["layout.name"] = spec.layout.name
    row["layout.lanes"] = len(spec.layout.lanes)
    row["layout.road_half_width_m"] = spec.layout.road_half_width_m
    lanes_half_m = max((ln.center_x_m + ln.width_m / 2 for ln in spec.layout.lanes), default=0.0)
    row["layout.parking_width_m"] = spec.layout.road_half_width_m - lanes_half_m if spec.layout.parking_strips else 0.0
    scenery = Counter(p.name.split("_")[0] for p in spec.layout.scenery)
    for key, prefixes in FURNITURE_PREFIXES.items():
        row[f"layout.{key}"] = sum(scenery.get(prefix, 0) for prefix in prefixes)
    kinds = Counter(o.name.rsplit("_", 1)[0] for o in spec.objects if not o.name.startswith("obstacle_"))
    for kind in POSE_SAMPLERS:
        row[f"traffic.{kind}"] = kinds.get(kind, 0)
    row["obstacles.count"] = len(spec.obstacles)
    row["obstacles.quota_frame"] = spec.quota_frame
    row["obstacles.class"] = [o.category for o in spec.obstacles]
    row["obstacles.distance_m"] = [o.distance_m for o in spec.obstacles if not o.quota]
    row["obstacles.quota_visible_fraction"] = [o.planned_visible_fraction for o in spec.obstacles if o.quota]
    row["motion.ego_speed_m_s"] = math.hypot(*spec.motion.ego_velocity_m_s)
    row["motion.object_speed_m_s"] = [math.hypot(*v) for v in spec.motion.object_velocities_m_s.values()]
    row["sensor.shutter_s"] = spec.sensor.shutter_s
    return row


def plan_frames(cfg: SimgenConfig, catalog: Catalog, frames: Iterable[int], jobs: int = 1) -> list[dict[str, Value]]:
    """Sample and flatten the given global frames (no Blender), in frame order.

    With `jobs` > 1 the frames are split into contiguous chunks sampled by worker processes;
    each frame depends only on (config, seed, frame index), so the rows are identical.

    Raises:
        ConfigError, PlacementError: as rendering would, before any output.
    """
    check_categories(cfg, catalog)
    frames = list(frames)
    if jobs <= 1 or len(frames) < 2 * PLAN_CHUNK:
        return _plan_chunk(cfg, catalog, frames)
    chunks = [frames[i:i + PLAN_CHUNK] for i in range(0, len(frames), PLAN_CHUNK)]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        parts = pool.map(_plan_chunk, [cfg] * len(chunks), [catalog] * len(chunks), chunks)
        return [row for part in parts for row in part]


PLAN_CHUNK = 100


def _plan_chunk(cfg: SimgenConfig, catalog: Catalog, frames: list[int]) -> list[dict[str, Value]]:
    return [flatten_frame(sample_frame(cfg, catalog, index)) for index in frames]


def summarize_plan(cfg: SimgenConfig, rows: list[dict[str, Value]], first_frame: int = 0,
                   seconds: float | None = None) -> dict[str, Any]:
    """Summary table and per-parameter statistics of planned rows (frames first_frame.. in order)."""
    count = len(rows)
    with_obstacle = sum(1 for row in rows if row["obstacles.count"])
    classes = Counter(c for row in rows for c in set(row["obstacles.class"]))
    quota_fractions = [v for row in rows for v in row["obstacles.quota_visible_fraction"]]
    summary: dict[str, Any] = {
        "scenario": cfg.scenario_name, "seed": cfg.seed, "frames": count, "first_frame": first_frame,
        "rare_obstacle_share": with_obstacle / count if count else 0.0,
        "obstacle_class_share": {c: classes[c] / count for c in sorted(classes)},
        "quota": {
            "fraction": cfg.obstacles.quota_fraction,
            "min_visible_fraction": cfg.obstacles.quota_min_visible_fraction,
            "quota_frames": sum(1 for row in rows if row["obstacles.quota_frame"]),
            "expected_quota_frames": quota_frame_count(first_frame, first_frame + count, cfg.obstacles.quota_fraction),
            "frames_with_visible_obstacle": len(quota_fractions),
            "lowest_planned_visible_fraction": min(quota_fractions) if quota_fractions else None,
        },
    }
    if rows and "weather.condition" in rows[0]:
        summary["weather_mix"] = _shares(row["weather.condition"] for row in rows)
    if rows and "lighting.time_of_day" in rows[0]:
        summary["time_of_day_mix"] = _shares(row["lighting.time_of_day"] for row in rows)
    summary["layout_mix"] = _shares(row["layout.name"] for row in rows)
    if seconds is not None:
        summary["sampling_s"] = round(seconds, 3)
    summary["parameters"] = {name: parameter_stats(values) for name, values in columns(rows).items()}
    return summary


def columns(rows: list[dict[str, Value]]) -> dict[str, list]:
    """{parameter: all its values}, list-valued parameters concatenated over frames."""
    out: dict[str, list] = {}
    for row in rows:
        for key, value in row.items():
            out.setdefault(key, []).extend(value if isinstance(value, list) else [value])
    return out


def parameter_stats(values: list) -> dict[str, Any]:
    """min/max/mean/std for numbers; counts for strings and bools."""
    if values and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        array = np.asarray(values, dtype=np.float64)
        return {"kind": "number", "n": len(values), "min": float(array.min()), "max": float(array.max()),
                "mean": float(array.mean()), "std": float(array.std())}
    return {"kind": "category", "n": len(values), "counts": dict(sorted(Counter(map(str, values)).items()))}


def _shares(values: Iterable[Any]) -> dict[str, float]:
    counts = Counter(map(str, values))
    total = sum(counts.values())
    return {key: counts[key] / total for key in sorted(counts)}


def timed_plan(cfg: SimgenConfig, catalog: Catalog, frames: range,
               jobs: int = 1) -> tuple[list[dict[str, Value]], float]:
    """`plan_frames` and the seconds it took (reported, never part of the rows)."""
    start = time.perf_counter()
    rows = plan_frames(cfg, catalog, frames, jobs)
    return rows, time.perf_counter() - start


def format_summary(summary: Mapping[str, Any]) -> str:
    """The summary table as aligned text lines (what `simgen plan` prints and draws)."""
    quota = summary["quota"]
    lines = [f"scenario {summary['scenario']}  seed {summary['seed']}  frames {summary['frames']}",
             f"rare-obstacle share      {summary['rare_obstacle_share']:.3f}",
             f"quota frames             {quota['quota_frames']} (expected {quota['expected_quota_frames']}, "
             f"P={quota['fraction']}, V>={quota['min_visible_fraction']})"]
    if quota["lowest_planned_visible_fraction"] is not None:
        lines.append(f"lowest planned visible   {quota['lowest_planned_visible_fraction']:.3f}")
    for key, title in (("weather_mix", "weather mix"), ("time_of_day_mix", "time of day"),
                       ("layout_mix", "layouts"), ("obstacle_class_share", "obstacle classes")):
        items = [f"{k} {v:.3f}" for k, v in (summary.get(key) or {}).items()]
        for start in range(0, len(items), 5):
            lines.append(f"{title if start == 0 else '':<24} " + "  ".join(items[start:start + 5]))
    if "sampling_s" in summary:
        rate = summary["frames"] / summary["sampling_s"] if summary["sampling_s"] else math.inf
        lines.append(f"sampled in {summary['sampling_s']:.2f} s ({rate:.0f} frames/s)")
    return "\n".join(lines)
