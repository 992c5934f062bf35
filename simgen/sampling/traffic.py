"""Traffic sampler: cars, pedestrians, cyclists, cones (...) and parked cars, placed without overlaps.

Placement works on ground footprints (oriented rectangles from each object's mesh bounds):
an object is accepted only if its footprint, grown by `clearance_m`, overlaps no footprint
placed before it and no scenery footprint. Each object gets `attempts_per_object` tries; if
all fail, a `PlacementError` reports the counts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from simgen.catalog.entries import AssetEntry, Catalog, build_asset_mesh, pick_entry, sample_asset_params
from simgen.config.schema import TrafficConfig
from simgen.errors import ConfigError, PlacementError
from simgen.geometry.footprint import footprints_overlap
from simgen.sampling.materials import sample_materials
from simgen.specs import Footprint, LayoutSpec, PropSpec

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


PEDESTRIAN_CROSSING_SHARE = 0.15  # of traffic pedestrians, the share crossing the road; the rest walk along it


def pedestrian_yaw_deg(crossing: bool, rng: np.random.Generator) -> float:
    """World yaw of a traffic pedestrian's heading (the road runs along +y), degrees: across the
    road (0 or 180, sd 10) when `crossing`, else along the sidewalk (+-90, sd 15)."""
    if crossing:
        return float(rng.choice([0.0, 180.0]) + rng.normal(0.0, 10.0))
    return float(rng.choice([90.0, -90.0]) + rng.normal(0.0, 15.0))


def _pedestrian_pose(layout: LayoutSpec, cfg: TrafficConfig, rng: np.random.Generator) -> _Pose:
    y = float(rng.uniform(cfg.min_distance_m, cfg.max_distance_m))
    if rng.uniform() < PEDESTRIAN_CROSSING_SHARE:
        x = float(rng.uniform(-layout.road_half_width_m + 0.5, layout.road_half_width_m - 0.5))
        return _Pose(x, y, 0.0, pedestrian_yaw_deg(True, rng))
    x_min, x_max = layout.sidewalks_x_m[int(rng.integers(len(layout.sidewalks_x_m)))]
    x = float(rng.uniform(x_min + 0.4, x_max - 0.4))
    return _Pose(x, y, layout.curb_height_m, pedestrian_yaw_deg(False, rng))


def _lanes_half_width_m(layout: LayoutSpec) -> float:
    """Distance from the centre line to the outer edge of the outermost lane (inside any
    parking strip), metres."""
    return max((lane.center_x_m + lane.width_m / 2 for lane in layout.lanes), default=layout.road_half_width_m)


def _cyclist_pose(layout: LayoutSpec, cfg: TrafficConfig, rng: np.random.Generator) -> _Pose:
    side = 1 if rng.uniform() < 0.6 else -1
    x = side * (_lanes_half_width_m(layout) - 0.9) + float(rng.uniform(-0.2, 0.2))
    yaw = (90.0 if side > 0 else -90.0) + float(rng.normal(0.0, 3.0))
    return _Pose(x, float(rng.uniform(cfg.min_distance_m, cfg.max_distance_m)), 0.0, yaw)


def _cone_pose(layout: LayoutSpec, cfg: TrafficConfig, rng: np.random.Generator) -> _Pose:
    x = float(rng.uniform(-layout.road_half_width_m + 0.3, layout.road_half_width_m - 0.3))
    y = float(rng.uniform(cfg.min_distance_m, cfg.max_distance_m))
    return _Pose(x, y, 0.0, float(rng.uniform(0.0, 360.0)))


PARKED_END_MARGIN_M = 2.8
"""A parked car's centre stays this far inside its strip's ends (half a long van), metres."""


def _parked_car_pose(layout: LayoutSpec, cfg: TrafficConfig, rng: np.random.Generator) -> _Pose:
    """Centred in a parking strip (+-5 cm), parallel to the curb, facing the strip's direction,
    between the traffic distance bounds."""
    windows = [(strip, max(strip.y_range_m[0] + PARKED_END_MARGIN_M, cfg.min_distance_m),
                min(strip.y_range_m[1] - PARKED_END_MARGIN_M, cfg.max_distance_m)) for strip in layout.parking_strips]
    windows = [window for window in windows if window[1] < window[2]]
    if not windows:
        raise PlacementError(f"layout {layout.name!r} has no parking strip between {cfg.min_distance_m} and "
                             f"{cfg.max_distance_m} m for traffic.parked_cars")
    strip, y_min, y_max = windows[int(rng.integers(len(windows)))]
    x = (strip.x_range_m[0] + strip.x_range_m[1]) / 2 + float(rng.uniform(-0.05, 0.05))
    yaw = (90.0 if strip.direction > 0 else -90.0) + float(rng.normal(0.0, 1.0))
    return _Pose(x, float(rng.uniform(y_min, y_max)), 0.0, yaw)


POSE_SAMPLERS: dict[str, Callable[[LayoutSpec, TrafficConfig, np.random.Generator], _Pose]] = {
    "car": _car_pose,
    "pedestrian": _pedestrian_pose,
    "cyclist": _cyclist_pose,
    "traffic_cone": _cone_pose,
    "truck": _car_pose,
    "bus": _car_pose,
    "motorcycle": _car_pose,
    "parked_car": _parked_car_pose,
}
"""placement kind -> pose sampler. A kind is its objects' category unless `KIND_CATEGORY` says
otherwise; objects are named f"{kind}_{NNN}"."""

KIND_CATEGORY = {"parked_car": "car"}
"""Placement kinds whose objects carry another category's label (parked cars are cars)."""


PLACED_AS_FIT = frozenset({"parked_car"})
"""Kinds whose count is an upper bound: placement stops at the first object that finds no free
spot (the curb space left depends on the layout), instead of raising a PlacementError."""


def category_of(kind: str) -> str:
    """The label category of objects of placement kind `kind`."""
    return KIND_CATEGORY.get(kind, kind)


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
    counts = {kind: getattr(cfg, field) for kind, field in COUNT_FIELDS.items()}
    taken = list(layout.blocked_footprints) + [Footprint(camera_x_m, EGO_VEHICLE.center_y_m, EGO_VEHICLE.length_m,
                                                         EGO_VEHICLE.width_m, EGO_VEHICLE.yaw_deg)]
    props: list[PropSpec] = []
    for kind, count_dist in counts.items():
        count = int(count_dist.sample(placement_rng))
        entries = catalog.by_category(category_of(kind))
        if count and not entries:
            raise ConfigError(f"traffic.{_field_of(kind)}", count,
                              f"0, since the asset catalog has no asset of category {category_of(kind)!r}")
        if count and kind == "parked_car" and not layout.parking_strips:
            raise ConfigError("traffic.parked_cars", count, f"0, since layout {layout.name!r} has no parking strip "
                              "(set layout.parking_width_m > 0 on urban_street or intersection)")
        for placed in range(count):
            prop = _place_one(kind, entries, cfg, layout, catalog, taken, placement_rng, materials_rng,
                              f"{kind}_{placed:03d}", first_instance + len(props))
            if prop is None and kind in PLACED_AS_FIT:
                break
            if prop is None:
                raise PlacementError(f"placed {placed} of {count} {kind} objects; object {placed + 1} found no "
                                     f"free spot in {cfg.attempts_per_object} attempts (traffic.{_field_of(kind)}"
                                     f"={count} may be too many for layout {layout.name!r} between "
                                     f"{cfg.min_distance_m} and {cfg.max_distance_m} m)")
            props.append(prop)
    return tuple(props)


COUNT_FIELDS = {"car": "cars", "pedestrian": "pedestrians", "cyclist": "cyclists", "traffic_cone": "traffic_cones",
                "truck": "trucks", "bus": "buses", "motorcycle": "motorcycles", "parked_car": "parked_cars"}
"""placement kind -> TrafficConfig count field, in placement order (new kinds go last, so
adding one never reshuffles the placement stream of the others)."""


def _field_of(kind: str) -> str:
    return COUNT_FIELDS[kind]


def _place_one(kind: str, entries: tuple[AssetEntry, ...], cfg: TrafficConfig, layout: LayoutSpec,
               catalog: Catalog, taken: list[Footprint], placement_rng: np.random.Generator,
               materials_rng: np.random.Generator, name: str, instance_index: int) -> PropSpec | None:
    entry = pick_entry(entries, placement_rng)
    params = sample_asset_params(entry, placement_rng)
    mesh = build_asset_mesh(entry, params)
    low, high = mesh.bounds_m
    center_local = (low[:2] + high[:2]) / 2
    for _ in range(cfg.attempts_per_object):
        pose = POSE_SAMPLERS[kind](layout, cfg, placement_rng)
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
                        materials=sample_materials(mesh.materials, materials_rng), category=category_of(kind),
                        instance_index=instance_index)
    return None
