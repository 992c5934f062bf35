"""Library samplers for street furniture (signs, signals, bins, benches, bollards, hydrants,
delineators), composed by the layouts in `simgen.sampling.layouts`.

World frame as in `simgen.sampling.street`: metres, z up, the road runs along +y centred on
x = 0. Every function is pure: it draws only from the generator it is given and returns
unlabeled `PropSpec`s (instance index 0) with their ground footprints, which the layout adds
to `LayoutSpec.blocked_footprints`. An item whose footprint (grown by `CLEARANCE_M`) would
overlap one already taken, or leave its strip, is skipped, so furniture never stands in the
road, in a lane or on another object.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simgen.catalog.entries import Catalog, build_asset_mesh, sample_asset_params
from simgen.config.distributions import Distribution
from simgen.config.schema import LayoutConfig
from simgen.geometry.footprint import footprint_corners, footprints_overlap
from simgen.geometry.mesh import MeshData
from simgen.sampling.materials import sample_materials
from simgen.specs import Footprint, PropSpec

CLEARANCE_M = 0.2
"""Free space kept between a furniture item and anything taken before it, metres."""

SIGN_ASSETS = ("round_sign", "warning_sign", "speed_limit_sign", "priority_sign")
"""Catalog entries of the roadside signs placed along the kerb."""


@dataclass(frozen=True)
class FurnitureRow:
    """One kind of furniture along one side of the road.

    Attributes:
        assets: catalog entry names; each slot draws one uniformly.
        prefix: prop names are f"{prefix}_{k:02d}".
        side: +1 right of the road (x > 0), -1 left.
        strip_m: (inner, outer) distance from the road centre line of the strip the
            footprints must stay inside, metres (inner >= the road's half width).
        anchor: 'inner' puts the footprint's road-side edge on the strip's inner edge,
            'outer' its far edge on the strip's outer edge.
        z_m: height of the support surface (the curb height on sidewalks), metres.
        yaw_deg: rotation about world z of every item in the row.
        spacing_m: distribution of the distance between slots along y, metres.
        probability: chance that a slot holds an item.
        group: (min, max) items per slot, spaced `group_step_m` along y (bollard runs).
        yaw_jitter_deg: std of a normal yaw perturbation per slot, degrees.
    """

    assets: tuple[str, ...]
    prefix: str
    side: int
    strip_m: tuple[float, float]
    anchor: str
    z_m: float
    yaw_deg: float
    spacing_m: Distribution
    probability: float
    group: tuple[int, int] = (1, 1)
    group_step_m: float = 1.5
    yaw_jitter_deg: float = 0.0


def footprint_of(mesh: MeshData, x_m: float, y_m: float, yaw_deg: float) -> Footprint:
    """The ground footprint of `mesh` placed at (x_m, y_m) with `yaw_deg` (world frame)."""
    low, high = mesh.bounds_m
    center = (low[:2] + high[:2]) / 2
    c, s = np.cos(np.deg2rad(yaw_deg)), np.sin(np.deg2rad(yaw_deg))
    return Footprint(float(x_m + c * center[0] - s * center[1]), float(y_m + s * center[0] + c * center[1]),
                     float(high[0] - low[0]), float(high[1] - low[1]), yaw_deg)


def _half_extent_x_m(mesh: MeshData, yaw_deg: float) -> float:
    """Half the world-x extent of the mesh's footprint rectangle at `yaw_deg`, metres."""
    low, high = mesh.bounds_m
    c, s = abs(np.cos(np.deg2rad(yaw_deg))), abs(np.sin(np.deg2rad(yaw_deg)))
    return float(c * (high[0] - low[0]) + s * (high[1] - low[1])) / 2


def _fits(footprint: Footprint, side: int, strip_m: tuple[float, float], taken: list[Footprint]) -> bool:
    """The footprint lies inside the strip on its side and overlaps nothing taken (grown)."""
    distances = side * footprint_corners(footprint)[:, 0]
    if distances.min() < strip_m[0] - 1e-6 or distances.max() > strip_m[1] + 1e-6:
        return False
    grown = footprint.grown(CLEARANCE_M)
    return not any(footprints_overlap(grown, other) for other in taken)


def sample_furniture_row(catalog: Catalog, row: FurnitureRow, y_ranges_m: tuple[tuple[float, float], ...],
                         taken: list[Footprint], rng: np.random.Generator) -> tuple[list[PropSpec], list[Footprint]]:
    """Furniture of one kind along one side, in each y range in turn.

    Every slot draws, in order: keep, asset, its parameters, group size, yaw jitter; a kept
    item that fits then draws its materials. Placed footprints are appended to `taken`.

    Args:
        catalog: holds the entries named in `row.assets`.
        row: what, where and how dense.
        y_ranges_m: (start, end) stretches of the road along y where the row runs, metres.
        taken: footprints to keep clear of (scenery so far); extended in place.
        rng: the layout stream.

    Returns:
        The props and their footprints (world frame, metres).
    """
    entries = [catalog.get(name) for name in row.assets]
    props, footprints = [], []
    for y0, y1 in y_ranges_m:
        y = y0 + float(rng.uniform(0.0, float(row.spacing_m.sample(rng))))
        while y < y1:
            keep = rng.uniform() < row.probability
            entry = entries[int(rng.integers(len(entries)))]
            params = sample_asset_params(entry, rng)
            count = int(rng.integers(row.group[0], row.group[1] + 1))
            yaw = row.yaw_deg + float(rng.normal(0.0, row.yaw_jitter_deg)) if row.yaw_jitter_deg else row.yaw_deg
            if keep:
                mesh = build_asset_mesh(entry, params)
                half = _half_extent_x_m(mesh, yaw)
                edge = row.strip_m[0] + half if row.anchor == "inner" else row.strip_m[1] - half
                for k in range(count):
                    y_k = y + k * row.group_step_m
                    footprint = footprint_of(mesh, row.side * edge, y_k, yaw)
                    if y_k >= y1 or not _fits(footprint, row.side, row.strip_m, taken):
                        continue
                    props.append(PropSpec(name=f"{row.prefix}_{len(props):02d}", asset=entry.name,
                                          recipe=entry.recipe, params=params,
                                          location_m=(row.side * edge, y_k, row.z_m), yaw_deg=yaw,
                                          materials=sample_materials(mesh.materials, rng)))
                    footprints.append(footprint)
                    taken.append(footprint)
            y += float(row.spacing_m.sample(rng))
    return props, footprints


@dataclass(frozen=True)
class Approach:
    """Where a junction's traffic control for one approaching direction stands.

    Attributes:
        name: 's', 'n', 'e' or 'w': the side of the junction the traffic comes from.
        location_m: the corner (x, y, z) on the approach's near right, world metres.
        yaw_deg: turns the sign's or signal's face (+x in its object frame) towards the
            approaching traffic.
    """

    name: str
    location_m: tuple[float, float, float]
    yaw_deg: float


def junction_approaches(road_half_width_m: float, gap_y_m: tuple[float, float], curb_height_m: float,
                        corner_inset_m: float = 0.5) -> tuple[Approach, ...]:
    """The four approaches of a junction whose cross street spans `gap_y_m` along y
    (right-hand traffic: each control stands on the near right corner of its approach).

    The south approach is the ego camera's: its signal faces -y, towards the camera.
    """
    x, south, north = road_half_width_m + corner_inset_m, gap_y_m[0] - corner_inset_m, gap_y_m[1] + corner_inset_m
    return (Approach("s", (x, south, curb_height_m), -90.0), Approach("n", (-x, north, curb_height_m), 90.0),
            Approach("w", (-x, south, curb_height_m), 180.0), Approach("e", (x, north, curb_height_m), 0.0))


def sample_junction_controls(catalog: Catalog, approaches: tuple[Approach, ...], traffic_light_probability: float,
                             stop_sign_probability: float, taken: list[Footprint],
                             rng: np.random.Generator) -> tuple[list[PropSpec], list[Footprint]]:
    """Traffic lights on every approach of a signalised junction (chance
    `traffic_light_probability`), else a stop sign on each approach with chance
    `stop_sign_probability`.

    Draws, in order: signalised, then per approach: stop-sign keep, the asset's parameters,
    and (when placed) its materials. Controls whose footprint overlaps `taken` are skipped.
    """
    signalised = rng.uniform() < traffic_light_probability
    entry = catalog.get("traffic_light" if signalised else "stop_sign")
    prefix = "traffic_light" if signalised else "stop_sign"
    props, footprints = [], []
    for approach in approaches:
        keep = signalised or rng.uniform() < stop_sign_probability
        params = sample_asset_params(entry, rng)
        if not keep:
            continue
        mesh = build_asset_mesh(entry, params)
        x, y, z = approach.location_m
        footprint = footprint_of(mesh, x, y, approach.yaw_deg)
        if any(footprints_overlap(footprint.grown(CLEARANCE_M), other) for other in taken):
            continue
        props.append(PropSpec(name=f"{prefix}_{approach.name}", asset=entry.name, recipe=entry.recipe,
                              params=params, location_m=(x, y, z), yaw_deg=approach.yaw_deg,
                              materials=sample_materials(mesh.materials, rng)))
        footprints.append(footprint)
        taken.append(footprint)
    return props, footprints


def sample_sidewalk_furniture(catalog: Catalog, cfg: LayoutConfig, road_half_width_m: float,
                              sidewalk_width_m: float, curb_height_m: float,
                              y_ranges_m: tuple[tuple[float, float], ...], taken: list[Footprint],
                              rng: np.random.Generator) -> tuple[list[PropSpec], list[Footprint]]:
    """Signs at the kerb, trash bins, hydrants, bollard runs and benches (facing the road) on
    both sidewalks of a city street.

    Draws the five densities from `cfg` (a `LayoutConfig`: sign_probability, bin_probability,
    hydrant_probability, bollard_probability, bench_probability), then the rows, right side
    first, each kind in that order.
    """
    sign_p, bin_p, hydrant_p, bollard_p, bench_p = (
        float(getattr(cfg, name).sample(rng)) for name in ("sign_probability", "bin_probability",
                                                           "hydrant_probability", "bollard_probability",
                                                           "bench_probability"))
    spacing = cfg.furniture_spacing_m
    outer = road_half_width_m + sidewalk_width_m - 0.15
    props, footprints = [], []
    for side in (1, -1):
        tag = "r" if side > 0 else "l"
        to_road = 90.0 * (1 + side)  # turns the item's +x towards the road
        rows = (
            FurnitureRow(SIGN_ASSETS, f"sign_{tag}", side, (road_half_width_m + 0.15, outer), "inner", curb_height_m,
                         -90.0 * side, cfg.sign_spacing_m, sign_p),
            FurnitureRow(("wheelie_bin", "litter_bin"), f"bin_{tag}", side, (road_half_width_m + 0.4, outer), "inner",
                         curb_height_m, to_road, spacing, bin_p, yaw_jitter_deg=6.0),
            FurnitureRow(("fire_hydrant",), f"hydrant_{tag}", side, (road_half_width_m + 0.35, outer), "inner",
                         curb_height_m, to_road, spacing, hydrant_p),
            FurnitureRow(("bollard",), f"bollard_{tag}", side, (road_half_width_m + 0.2, outer), "inner",
                         curb_height_m, 0.0, spacing, bollard_p, group=(2, 4)),
            FurnitureRow(("bench",), f"bench_{tag}", side, (road_half_width_m + 1.2, outer), "outer", curb_height_m,
                         90.0 * side, spacing, bench_p),
        )
        for row in rows:
            row_props, row_feet = sample_furniture_row(catalog, row, y_ranges_m, taken, rng)
            props += row_props
            footprints += row_feet
    return props, footprints


def sample_roadside_furniture(catalog: Catalog, cfg: LayoutConfig, sign_strip_m: tuple[float, float],
                              delineator_strip_m: tuple[float, float] | None,
                              y_ranges_m: tuple[tuple[float, float], ...], taken: list[Footprint],
                              rng: np.random.Generator) -> tuple[list[PropSpec], list[Footprint]]:
    """Signs (and, with `delineator_strip_m`, delineator posts) along both sides of an open
    road, facing the traffic of the near side. Strips are (inner, outer) distances from the
    road's centre line, metres, on the ground (z = 0).

    Draws sign_probability (and delineator_probability) from `cfg`, then the rows.
    """
    sign_p = float(cfg.sign_probability.sample(rng))
    delineator_p = float(cfg.delineator_probability.sample(rng)) if delineator_strip_m else 0.0
    props, footprints = [], []
    for side in (1, -1):
        tag = "r" if side > 0 else "l"
        rows = [FurnitureRow(SIGN_ASSETS, f"sign_{tag}", side, sign_strip_m, "inner", 0.0, -90.0 * side,
                             cfg.sign_spacing_m, sign_p)]
        if delineator_strip_m:
            rows.append(FurnitureRow(("delineator",), f"delineator_{tag}", side, delineator_strip_m, "inner", 0.0,
                                     -90.0 * side, cfg.furniture_spacing_m, delineator_p))
        for row in rows:
            row_props, row_feet = sample_furniture_row(catalog, row, y_ranges_m, taken, rng)
            props += row_props
            footprints += row_feet
    return props, footprints
