"""Traffic sampler: cars, pedestrians, cyclists and cones, placed without overlaps.

Placement works on ground footprints (oriented rectangles from each object's mesh bounds):
an object is accepted only if its footprint, grown by `clearance_m`, overlaps no footprint
placed before it and no scenery footprint. Each object gets `attempts_per_object` tries; if
all fail, a `PlacementError` reports the counts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from simgen.catalog import AssetEntry, Catalog, build_asset_mesh, pick_entry, sample_asset_params
from simgen.config.schema import TrafficConfig
from simgen.errors import ConfigError, PlacementError
from simgen.geometry.footprint import Footprint, footprints_overlap
from simgen.sampling.materials import sample_materials
from simgen.specs import LayoutSpec, PropSpec

EGO_VEHICLE = Footprint(0.0, -1.0, 4.8, 2.0, 90.0)  # centred on the ego lane at run time


@dataclass(frozen=True)
class _Pose:
    x_m: float
    y_m: float
    z_m: float
    yaw_deg: float


def _car_pose(layout: LayoutSpec, cfg: TrafficConfig, rng: np.random.Generator) -> _Pose:
    lane = layout.lanes[int(rng.integers(len(layout.lanes)))]
    x = lane.center_x_m + float(rng.uniform(-0.3, 0.3))
    yaw = (90.0 if lane.direction > 0 else -90.0) + float(rng.normal(0.0, 2.0))
    return _Pose(x, float(rng.uniform(cfg.min_distance_m, cfg.max_distance_m)), 0.0, yaw)


def _pedestrian_pose(layout: LayoutSpec, cfg: TrafficConfig, rng: np.random.Generator) -> _Pose:
    y = float(rng.uniform(cfg.min_distance_m, cfg.max_distance_m))
    if rng.uniform() < 0.15:  # crossing the road
        x = float(rng.uniform(-layout.road_half_width_m + 0.5, layout.road_half_width_m - 0.5))
        return _Pose(x, y, 0.0, float(rng.choice([0.0, 180.0]) + rng.normal(0.0, 10.0)))
    x_min, x_max = layout.sidewalks_x_m[int(rng.integers(len(layout.sidewalks_x_m)))]
    x = float(rng.uniform(x_min + 0.4, x_max - 0.4))
    yaw = float(rng.choice([90.0, -90.0]) + rng.normal(0.0, 15.0))
    return _Pose(x, y, layout.curb_height_m, yaw)


def _cyclist_pose(layout: LayoutSpec, cfg: TrafficConfig, rng: np.random.Generator) -> _Pose:
    side = 1 if rng.uniform() < 0.6 else -1
    x = side * (layout.road_half_width_m - 0.9) + float(rng.uniform(-0.2, 0.2))
    yaw = (90.0 if side > 0 else -90.0) + float(rng.normal(0.0, 3.0))
    return _Pose(x, float(rng.uniform(cfg.min_distance_m, cfg.max_distance_m)), 0.0, yaw)


def _cone_pose(layout: LayoutSpec, cfg: TrafficConfig, rng: np.random.Generator) -> _Pose:
    x = float(rng.uniform(-layout.road_half_width_m + 0.3, layout.road_half_width_m - 0.3))
    y = float(rng.uniform(cfg.min_distance_m, cfg.max_distance_m))
    return _Pose(x, y, 0.0, float(rng.uniform(0.0, 360.0)))


POSE_SAMPLERS: dict[str, Callable[[LayoutSpec, TrafficConfig, np.random.Generator], _Pose]] = {
    "car": _car_pose,
    "pedestrian": _pedestrian_pose,
    "cyclist": _cyclist_pose,
    "traffic_cone": _cone_pose,
    "truck": _car_pose,
    "bus": _car_pose,
    "motorcycle": _car_pose,
}


def sample_traffic(cfg: TrafficConfig, layout: LayoutSpec, catalog: Catalog, placement_rng: np.random.Generator,
                   materials_rng: np.random.Generator, camera_x_m: float,
                   first_instance: int = 1) -> tuple[PropSpec, ...]:
    """Place road users of every category.

    Args:
        cfg: counts and distance bounds.
        layout: the street (lanes, sidewalks, scenery footprints).
        catalog: assets to draw from, by category.
        placement_rng: the frame's placement stream (counts, assets, shapes, poses).
        materials_rng: the frame's materials stream (colours).
        camera_x_m: lateral position of the ego camera, to keep the ego vehicle's spot free.
        first_instance: instance index of the first placed object.

    Raises:
        ConfigError: a category has no asset in the catalog.
        PlacementError: an object found no free spot within its attempts.
    """
    counts = {category: getattr(cfg, field) for category, field in COUNT_FIELDS.items()}
    taken = list(layout.blocked_footprints) + [Footprint(camera_x_m, EGO_VEHICLE.center_y_m, EGO_VEHICLE.length_m,
                                                         EGO_VEHICLE.width_m, EGO_VEHICLE.yaw_deg)]
    props: list[PropSpec] = []
    for category, count_dist in counts.items():
        count = int(count_dist.sample(placement_rng))
        entries = catalog.by_category(category)
        if count and not entries:
            raise ConfigError(f"traffic.{_field_of(category)}", count,
                              f"0, since the asset catalog has no asset of category {category!r}")
        for placed in range(count):
            prop = _place_one(category, entries, cfg, layout, catalog, taken, placement_rng, materials_rng,
                              f"{category}_{placed:03d}", first_instance + len(props))
            if prop is None:
                raise PlacementError(f"placed {placed} of {count} {category} objects; object {placed + 1} found no "
                                     f"free spot in {cfg.attempts_per_object} attempts (traffic.{_field_of(category)}"
                                     f"={count} may be too many for layout {layout.name!r} between "
                                     f"{cfg.min_distance_m} and {cfg.max_distance_m} m)")
            props.append(prop)
    return tuple(props)


COUNT_FIELDS = {"car": "cars", "pedestrian": "pedestrians", "cyclist": "cyclists", "traffic_cone": "traffic_cones",
                "truck": "trucks", "bus": "buses", "motorcycle": "motorcycles"}
"""category -> TrafficConfig count field, in placement order (new categories go last, so
adding one never reshuffles the placement stream of the others)."""


def _field_of(category: str) -> str:
    return COUNT_FIELDS[category]


def _place_one(category: str, entries: tuple[AssetEntry, ...], cfg: TrafficConfig, layout: LayoutSpec,
               catalog: Catalog, taken: list[Footprint], placement_rng: np.random.Generator,
               materials_rng: np.random.Generator, name: str, instance_index: int) -> PropSpec | None:
    entry = pick_entry(entries, placement_rng)
    params = sample_asset_params(entry, placement_rng)
    mesh = build_asset_mesh(entry, params)
    low, high = mesh.bounds_m
    center_local = (low[:2] + high[:2]) / 2
    for _ in range(cfg.attempts_per_object):
        pose = POSE_SAMPLERS[category](layout, cfg, placement_rng)
        c, s = np.cos(np.deg2rad(pose.yaw_deg)), np.sin(np.deg2rad(pose.yaw_deg))
        offset = (c * center_local[0] - s * center_local[1], s * center_local[0] + c * center_local[1])
        footprint = Footprint(pose.x_m + offset[0], pose.y_m + offset[1], float(high[0] - low[0]),
                              float(high[1] - low[1]), pose.yaw_deg)
        grown = footprint.grown(cfg.clearance_m)
        if any(footprints_overlap(grown, other) for other in taken):
            continue
        taken.append(footprint)
        return PropSpec(name=name, asset=entry.name, recipe=entry.recipe, params=params,
                        location_m=(pose.x_m, pose.y_m, pose.z_m), yaw_deg=pose.yaw_deg,
                        materials=sample_materials(mesh.materials, materials_rng), category=category,
                        instance_index=instance_index)
    return None
