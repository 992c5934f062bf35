"""Rare-obstacle sampler: per-class rates, plus a quota of frames with a visible obstacle.

Obstacles are placed after traffic, from the frame's own "obstacles" stream, on footprints that
overlap no traffic, scenery or ego-vehicle footprint; traffic never depends on them, so turning
obstacles on or off leaves every other sample of the frame unchanged.

Quota rule (exact, not in expectation): with P = `quota_fraction` (read as an exact decimal),
frame i is a quota frame iff ceil((i + 1) * P) > ceil(i * P). The count over frames [0, n) then
telescopes to ceil(n * P) >= n * P for every n: any prefix, hence the whole run, holds at least
P of quota frames, and the set depends only on the global frame index, so every split into
shards gives the same set. A quota frame gets one obstacle on the road ahead (the ego lane on
half of the attempts) whose planned visible fraction (`simgen.geometry.silhouette.
visible_fraction`) is at least `quota_min_visible_fraction` and whose visible pixels cover at
least `quota_min_image_fraction` of the image; if no attempt achieves that, the frame raises
`PlacementError` with the counts.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from simgen.catalog.entries import AssetEntry, Catalog, build_asset_mesh, pick_entry, sample_asset_params
from simgen.config.schema import LabelsConfig, ObstaclesConfig
from simgen.errors import ConfigError, PlacementError
from simgen.geometry.footprint import footprints_overlap
from simgen.geometry.silhouette import PosedMesh, pose_mesh, pose_prop, visible_fraction
from simgen.sampling.materials import sample_materials
from simgen.sampling.traffic import EGO_VEHICLE
from simgen.specs import CameraSpec, Footprint, LayoutSpec, ObstacleSpec, PropSpec

PLANNING_WIDTH_PX = 320
"""Visibility is planned on a copy of the image scaled down to at most this width (speed)."""

QUOTA_NEAR_M = 4.0
"""The second half of a quota obstacle's attempts draws its distance between this and the sampled
one (metres ahead of the camera), so a car right ahead cannot make the quota impossible."""


def is_quota_frame(frame_index: int, quota_fraction: float) -> bool:
    """True iff ceil((i + 1) * P) > ceil(i * P), with P read as an exact decimal."""
    p = Fraction(repr(float(quota_fraction)))
    return -((-(frame_index + 1) * p.numerator) // p.denominator) > -((-frame_index * p.numerator) // p.denominator)


def quota_frame_count(start: int, stop: int, quota_fraction: float) -> int:
    """Number of quota frames among global indices [start, stop): ceil(stop P) - ceil(start P)."""
    p = Fraction(repr(float(quota_fraction)))
    return -((-stop * p.numerator) // p.denominator) + ((-start * p.numerator) // p.denominator)


def check_obstacle_classes(cfg: ObstaclesConfig, catalog: Catalog, labels: LabelsConfig | None = None) -> None:
    """Every class with a rate needs a catalog asset and (when `labels` is given) a COCO id.

    Raises:
        ConfigError: naming the class.
    """
    for name in cfg.rates:
        if not catalog.by_category(name):
            known = sorted({e.category for e in catalog.entries.values() if e.category} - {"car", "pedestrian",
                                                                                        "cyclist", "traffic_cone"})
            raise ConfigError(f"obstacles.rates.{name}", cfg.rates[name],
                              f"a class with assets in the catalog: {', '.join(known)}")
        if labels is not None and name not in labels.categories:
            raise ConfigError("labels.categories", labels.categories, f"an id for obstacle class {name!r}")


def sample_obstacles(cfg: ObstaclesConfig, layout: LayoutSpec, camera: CameraSpec, catalog: Catalog,
                     traffic: tuple[PropSpec, ...], frame_index: int, rng: np.random.Generator,
                     first_instance: int) -> tuple[tuple[PropSpec, ...], tuple[ObstacleSpec, ...]]:
    """Place this frame's rare obstacles.

    Args:
        cfg: rates, quota and distances.
        layout: the street (road width, ego lane, scenery footprints).
        camera: the frame's camera (ego position; visibility planning).
        catalog: obstacle assets by category.
        traffic: the already placed road users (never moved; obstacles keep clear of them).
        frame_index: global frame index (decides quota frames).
        rng: the frame's obstacles stream; every draw of this module comes from it.
        first_instance: instance index of the first obstacle.

    Returns:
        the obstacle props (labeled, categories = class names) and their records.

    Raises:
        PlacementError: an obstacle found no free spot, or a quota obstacle no visible one.
    """
    check_obstacle_classes(cfg, catalog)
    chosen = [category for category in sorted(cfg.rates) if rng.uniform() < cfg.rates[category]]
    quota = cfg.quota_fraction > 0 and is_quota_frame(frame_index, cfg.quota_fraction)
    if not chosen and not quota:
        return (), ()
    posed_traffic = [pose_prop(prop) for prop in traffic]
    ego = Footprint(camera.location_m[0], EGO_VEHICLE.center_y_m, EGO_VEHICLE.length_m, EGO_VEHICLE.width_m,
                    EGO_VEHICLE.yaw_deg)
    taken = list(layout.blocked_footprints) + [ego] + [p.footprint for p in posed_traffic]
    props: list[PropSpec] = []
    records: list[ObstacleSpec] = []
    posed_obstacles: list[PosedMesh] = []
    if quota:
        names = sorted(cfg.rates)
        weights = np.array([cfg.rates[n] for n in names], dtype=np.float64)
        chosen.append(names[int(rng.choice(len(names), p=weights / weights.sum()))])
    for i, category in enumerate(chosen):
        is_quota = quota and i == len(chosen) - 1  # placed last, so nothing placed later can hide it
        prop, record, posed = _place(category, cfg, layout, camera, catalog, taken, rng, len(props),
                                     first_instance, occluders=posed_traffic + posed_obstacles if is_quota else None)
        props.append(prop)
        records.append(record)
        posed_obstacles.append(posed)
    return tuple(props), tuple(records)


def _place(category: str, cfg: ObstaclesConfig, layout: LayoutSpec, camera: CameraSpec, catalog: Catalog,
           taken: list[Footprint], rng: np.random.Generator, count: int, first_instance: int,
           occluders: list[PosedMesh] | None) -> tuple[PropSpec, ObstacleSpec, PosedMesh]:
    """One obstacle; `occluders` given means a quota obstacle (visibility and size planned)."""
    entries = catalog.by_category(category)
    entry: AssetEntry = pick_entry(entries, rng)
    params = sample_asset_params(entry, rng)
    mesh = build_asset_mesh(entry, params)
    materials = sample_materials(mesh.materials, rng)
    quota = occluders is not None
    scale = min(1.0, PLANNING_WIDTH_PX / camera.width_px)
    best, overlaps, small = 0.0, 0, 0
    for attempt in range(cfg.attempts_per_object):
        x, y = _sample_position(layout, quota, cfg, rng)
        if quota and attempt >= cfg.attempts_per_object // 2:
            # Traffic right ahead can hide the whole road beyond it: pull later attempts closer.
            y = QUOTA_NEAR_M + (y - QUOTA_NEAR_M) * float(rng.uniform())
        yaw = float(rng.uniform(0.0, 360.0))
        posed = pose_mesh(mesh, (x, y, 0.0), yaw)
        if any(footprints_overlap(posed.footprint.grown(cfg.clearance_m), other) for other in taken):
            overlaps += 1
            continue
        fraction = None
        if quota:
            fraction, area_px = visible_fraction(camera, posed, occluders, scale)
            best = max(best, fraction)
            too_small = area_px < cfg.quota_min_image_fraction * camera.width_px * camera.height_px
            if fraction < cfg.quota_min_visible_fraction or too_small:
                small += too_small
                continue
        taken.append(posed.footprint)
        name = f"obstacle_{count:02d}"
        prop = PropSpec(name=name, asset=entry.name, recipe=entry.recipe, params=params, location_m=(x, y, 0.0),
                        yaw_deg=yaw, materials=materials, category=category, instance_index=first_instance + count)
        record = ObstacleSpec(name=name, category=category, distance_m=y - camera.location_m[1], quota=quota,
                              planned_visible_fraction=None if fraction is None else round(fraction, 4))
        return prop, record, posed
    what = (f"no spot with visible fraction >= {cfg.quota_min_visible_fraction} covering >= "
            f"{cfg.quota_min_image_fraction} of the image (best fraction {best:.2f}; {overlaps} attempts "
            f"overlapped other objects, {small} were too small)" if quota else f"no free spot ({overlaps} overlaps)")
    raise PlacementError(f"{'quota ' if quota else ''}obstacle {category!r} ({entry.name}): {what} in "
                         f"{cfg.attempts_per_object} attempts (obstacles.attempts_per_object); try fewer traffic "
                         f"objects or a shorter obstacles.distance_m")


def _sample_position(layout: LayoutSpec, quota: bool, cfg: ObstaclesConfig,
                     rng: np.random.Generator) -> tuple[float, float]:
    """A point on the road ahead. A quota obstacle first tries the ego lane (every other attempt)
    and otherwise any lane, since a car right ahead can hide the whole ego lane."""
    y = float(cfg.distance_m.sample(rng))
    if quota and rng.uniform() < 0.5:
        lane = layout.lanes[layout.ego_lane]
        half_room = max(0.0, lane.width_m / 2 - 0.5)
        return lane.center_x_m + float(rng.uniform(-half_room, half_room)), y
    margin = 0.5
    return float(rng.uniform(-layout.road_half_width_m + margin, layout.road_half_width_m - margin)), y
