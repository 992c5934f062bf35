"""Library samplers for static street scenery, composed by the layouts in `simgen.sampling.layouts`.

World frame: metres, z up, the road runs along +y centred on x = 0, its surface at z = 0.
Every function is pure: it draws from the generator it is given and returns `PropSpec`s
(instance index 0: scenery is never labeled).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simgen.catalog.entries import Catalog, pick_entry, sample_asset_params
from simgen.sampling.materials import sample_material, sample_materials
from simgen.specs import Footprint, LaneSpec, MaterialSpec, ParkingStripSpec, PropSpec

SLAB_THICKNESS_M = 0.1
GROUND_DROP_M = 0.005  # the wide ground slab sits just below the road to avoid z-fighting
TREE_ASSETS = ("tree", "conifer", "columnar_tree", "bare_tree")
"""The catalog entries of the layouts' tree rows: round, conical, columnar and bare trees."""


def _slab(name: str, center_x_m: float, center_y_m: float, length_y_m: float, width_x_m: float,
          top_z_m: float, material: MaterialSpec) -> PropSpec:
    """A slab whose length runs along world y (yaw 90), top face at `top_z_m`."""
    height = top_z_m + SLAB_THICKNESS_M
    return PropSpec(name=name, asset="slab", recipe="slab",
                    params={"length_m": length_y_m, "width_m": width_x_m, "height_m": height},
                    location_m=(center_x_m, center_y_m, -SLAB_THICKNESS_M), yaw_deg=90.0,
                    materials={"surface": material})


START_BEHIND_CAMERA_M = 20.0
"""Every layout's road starts this far behind the camera (which rides near y = 0)."""


@dataclass(frozen=True)
class CrossSection:
    """A straight road's cross-section, sampled the same way by every layout."""

    lanes: tuple[LaneSpec, ...]
    road_half_width_m: float
    side_width_m: float
    """Sidewalk, shoulder or verge width on each side, metres."""
    curb_height_m: float
    y_range_m: tuple[float, float]


def sample_cross_section(cfg, rng: np.random.Generator, curb: bool) -> CrossSection:
    """Lanes, the side strips (sidewalk/shoulder/verge), the curb height (only with `curb`; no
    draw otherwise) and the road's extent along y, drawn in this order from `rng`.

    Args:
        cfg: the `LayoutConfig` (lanes_per_direction, lane_width_m, sidewalk_width_m,
            curb_height_m, road_length_m).
    """
    lanes = sample_lanes(int(cfg.lanes_per_direction.sample(rng)), float(cfg.lane_width_m.sample(rng)))
    half_width = max(lane.center_x_m + lane.width_m / 2 for lane in lanes)
    side_m = float(cfg.sidewalk_width_m.sample(rng))
    curb_m = float(cfg.curb_height_m.sample(rng)) if curb else 0.0
    length_m = float(cfg.road_length_m.sample(rng))
    return CrossSection(lanes, half_width, side_m, curb_m, (-START_BEHIND_CAMERA_M, length_m - START_BEHIND_CAMERA_M))


def sample_lanes(lanes_per_direction: int, lane_width_m: float) -> tuple[LaneSpec, ...]:
    """Right-hand traffic: lanes at x > 0 drive towards +y, lanes at x < 0 towards -y."""
    lanes = []
    for side in (1, -1):
        for i in range(lanes_per_direction):
            lanes.append(LaneSpec(center_x_m=side * (i + 0.5) * lane_width_m, width_m=lane_width_m, direction=side))
    return tuple(lanes)


def sample_road_surfaces(road_half_width_m: float, sidewalk_width_m: float, curb_height_m: float,
                         y_range_m: tuple[float, float], rng: np.random.Generator) -> list[PropSpec]:
    """Asphalt road, a sidewalk on each side (top at the curb height) and a wide ground slab."""
    y0, y1 = y_range_m
    center_y, length = (y0 + y1) / 2, y1 - y0
    asphalt = sample_material("asphalt", rng)
    concrete = sample_material("concrete", rng)
    props = [_slab("road", 0.0, center_y, length, 2 * road_half_width_m, 0.0, asphalt)]
    for side, label in ((1, "right"), (-1, "left")):
        x = side * (road_half_width_m + sidewalk_width_m / 2)
        props.append(_slab(f"sidewalk_{label}", x, center_y, length, sidewalk_width_m, curb_height_m, concrete))
    ground = sample_material("concrete", rng)
    props.append(_slab("ground", 0.0, center_y, length + 400.0, 600.0, -GROUND_DROP_M, ground))
    return props


def sample_lane_lines(lanes: tuple[LaneSpec, ...], y_range_m: tuple[float, float],
                      rng: np.random.Generator) -> list[PropSpec]:
    """A solid centre line, dashed lines between lanes of one direction, solid edge lines."""
    y0, y1 = y_range_m
    paint = sample_material("lane_paint", rng)
    dash_m, gap_m = float(rng.uniform(2.5, 4.0)), float(rng.uniform(5.0, 9.0))
    phase = float(rng.uniform(0.0, dash_m + gap_m))
    edges = sorted({round(lane.center_x_m + s * lane.width_m / 2, 6) for lane in lanes for s in (-1, 1)})
    props = []
    for i, x in enumerate(edges):
        outer = i in (0, len(edges) - 1)
        solid = outer or abs(x) < 1e-6
        params = {"length_m": y1 - y0, "width_m": 0.15 if solid else 0.12, "height_m": 0.004,
                  "dash_m": dash_m, "gap_m": gap_m, "solid": 1.0 if solid else 0.0}
        x_line = x - np.sign(x) * 0.2 if outer else x
        props.append(PropSpec(name=f"line_{i:02d}", asset="lane_line", recipe="dashed_line", params=params,
                              location_m=(float(x_line), (y0 + y1) / 2 + (0.0 if solid else phase), 0.0),
                              yaw_deg=90.0, materials={"lane_paint": paint}))
    return props


def sample_building_row(catalog: Catalog, side: int, front_x_m: float, y_range_m: tuple[float, float],
                        height_m, length_m, setback_m, rng: np.random.Generator) -> list[PropSpec]:
    """Buildings along one side of the street (side = +1 right, -1 left), facades facing it.

    `height_m`, `length_m` and `setback_m` are distributions (see `simgen.config.distributions`).
    """
    entries = catalog.by_category("building") or tuple(
        e for e in catalog.entries.values() if e.recipe == "building")
    props: list[PropSpec] = []
    y = y_range_m[0]
    while y < y_range_m[1]:
        entry = entries[int(rng.integers(len(entries)))]
        params = sample_asset_params(entry, rng)
        params.update(length_m=float(length_m.sample(rng)), height_m=float(height_m.sample(rng)))
        width = params.get("width_m", 12.0)
        x = side * (front_x_m + float(setback_m.sample(rng)) + width / 2)
        props.append(PropSpec(name=f"building_{'r' if side > 0 else 'l'}{len(props):02d}", asset=entry.name,
                              recipe=entry.recipe, params=params, location_m=(x, y + params["length_m"] / 2, 0.0),
                              yaw_deg=90.0, materials=sample_materials(("facade", "window", "roof", "trim"), rng)))
        y += params["length_m"] + float(rng.uniform(0.0, 4.0))
    return props


def sample_row_of(catalog: Catalog, asset_name: str | tuple[str, ...], prefix: str, x_m: float, z_m: float,
                  y_range_m: tuple[float, float], spacing_m, probability: float,
                  rng: np.random.Generator) -> tuple[list[PropSpec], list[Footprint]]:
    """Street furniture (poles, trees) in a row at x = x_m, spaced by a distribution.

    `asset_name` is one catalog entry, or several (e.g. `TREE_ASSETS`), one picked per slot by
    weight (`pick_entry`; a single entry draws no number for it).
    Returns the props and their ground footprints (for placement to keep clear of).
    """
    names = (asset_name,) if isinstance(asset_name, str) else asset_name
    entries = tuple(catalog.get(name) for name in names)
    props, footprints = [], []
    y = y_range_m[0] + float(rng.uniform(0.0, float(spacing_m.sample(rng))))
    while y < y_range_m[1]:
        keep = rng.uniform() < probability
        entry = entries[0] if len(entries) == 1 else pick_entry(entries, rng)
        params = sample_asset_params(entry, rng)
        materials = sample_materials(("metal", "bark", "foliage"), rng)
        if keep:
            props.append(PropSpec(name=f"{prefix}_{len(props):02d}", asset=entry.name, recipe=entry.recipe,
                                  params=params, location_m=(x_m, y, z_m), yaw_deg=180.0 if x_m > 0 else 0.0,
                                  materials=materials))
            radius = max(params.get("radius_m", 0.15), params.get("crown_radius_m", 0.0) * 0.3, 0.3)
            footprints.append(Footprint(x_m, y, 2 * radius, 2 * radius, 0.0))
        y += float(spacing_m.sample(rng))
    return props, footprints


def sample_open_road_surfaces(road_half_width_m: float, shoulder_width_m: float, y_range_m: tuple[float, float],
                              ground_slot: str, rng: np.random.Generator) -> list[PropSpec]:
    """A road without curbs: asphalt, flush gravel-grey shoulders, and a wide ground slab of
    `ground_slot` ('grass' or 'concrete'). Names: road, shoulder_right/left, ground."""
    y0, y1 = y_range_m
    center_y, length = (y0 + y1) / 2, y1 - y0
    props = [_slab("road", 0.0, center_y, length, 2 * road_half_width_m, 0.0, sample_material("asphalt", rng))]
    shoulder = sample_material("concrete", rng)
    for side, label in ((1, "right"), (-1, "left")):
        x = side * (road_half_width_m + shoulder_width_m / 2)
        props.append(_slab(f"shoulder_{label}", x, center_y, length, shoulder_width_m, -0.002, shoulder))
    props.append(_slab("ground", 0.0, center_y, length + 400.0, 600.0, -GROUND_DROP_M,
                       sample_material(ground_slot, rng)))
    return props


def sample_barriers(x_positions_m: tuple[float, ...], height_m: float, y_range_m: tuple[float, float],
                    rng: np.random.Generator) -> list[PropSpec]:
    """Concrete barriers (guard walls) along the road at the given x positions, 0.4 m thick."""
    y0, y1 = y_range_m
    concrete = sample_material("concrete", rng)
    return [PropSpec(name=f"barrier_{i:02d}", asset="slab", recipe="slab",
                     params={"length_m": y1 - y0, "width_m": 0.4, "height_m": height_m},
                     location_m=(x, (y0 + y1) / 2, 0.0), yaw_deg=90.0, materials={"surface": concrete})
            for i, x in enumerate(x_positions_m)]


def sample_cross_street(center_y_m: float, width_m: float, main_half_width_m: float,
                        rng: np.random.Generator) -> tuple[list[PropSpec], list[Footprint]]:
    """A cross street along world x at `center_y_m` (asphalt 400 m long, flush with the road)
    with zebra crossings on both sides of the junction. Returns props and the junction's
    footprint (kept clear of parked objects)."""
    asphalt = sample_material("asphalt", rng)
    paint = sample_material("lane_paint", rng)
    road = PropSpec(name="cross_road", asset="slab", recipe="slab",
                    params={"length_m": 400.0, "width_m": width_m, "height_m": SLAB_THICKNESS_M + 0.001},
                    location_m=(0.0, center_y_m, -SLAB_THICKNESS_M), yaw_deg=0.0, materials={"surface": asphalt})
    props = [road]
    stripes = int(2 * main_half_width_m / 1.0)
    for side in (-1, 1):
        y = center_y_m + side * (width_m / 2 + 2.0)
        for i in range(stripes):
            x = -main_half_width_m + 0.5 + i * 1.0
            props.append(PropSpec(name=f"zebra_{'n' if side > 0 else 's'}{i:02d}", asset="lane_line",
                                  recipe="slab", params={"length_m": 0.5, "width_m": 3.0, "height_m": 0.005},
                                  location_m=(x, y, 0.0), yaw_deg=0.0, materials={"surface": paint}))
    return props, [Footprint(0.0, center_y_m, 2 * main_half_width_m, width_m, 0.0)]


def parking_strips(lanes_half_width_m: float, road_half_width_m: float,
                   y_ranges_m: tuple[tuple[float, float], ...]) -> tuple[ParkingStripSpec, ...]:
    """Parking strips between the outer lanes and the curbs (none when they coincide), right
    side facing +y, left side facing -y, one per side and y range."""
    if road_half_width_m - lanes_half_width_m < 1e-6:
        return ()
    return tuple(ParkingStripSpec(x_range_m=(lanes_half_width_m, road_half_width_m) if side > 0
                                  else (-road_half_width_m, -lanes_half_width_m), y_range_m=y_range, direction=side)
                 for side in (1, -1) for y_range in y_ranges_m)


def sample_road_fixtures(catalog: Catalog, lanes: tuple[LaneSpec, ...], gutter_x_m: float,
                         y_range_m: tuple[float, float], manhole_spacing_m, drain_spacing_m,
                         rng: np.random.Generator) -> list[PropSpec]:
    """Manhole covers in the lanes and drain grates in the gutters, on the road surface (z = 0).

    Covers: one every `manhole_spacing_m` along y, each near the centre of a random lane (within
    0.5 m). Grates: one every `drain_spacing_m` along each side at x = +-`gutter_x_m` (just inside
    the kerb), lengthwise along the road. Both spacings are distributions; entries 'manhole' and
    'drain_grate' of the catalog give the sizes (none of a kind when the catalog lacks its entry).
    Names: manhole_NN, drain_r/l_NN.
    """
    props: list[PropSpec] = []
    kinds = (("manhole", None, manhole_spacing_m), ("drain_grate", 1, drain_spacing_m),
             ("drain_grate", -1, drain_spacing_m))
    for asset, side, spacing in kinds:
        if asset not in catalog.entries:
            continue
        entry, prefix = catalog.get(asset), "manhole" if side is None else f"drain_{'r' if side > 0 else 'l'}"
        y, count = y_range_m[0] + float(rng.uniform(0.0, float(spacing.sample(rng)))), 0
        while y < y_range_m[1]:
            if side is None:
                x = lanes[int(rng.integers(len(lanes)))].center_x_m + float(rng.uniform(-0.5, 0.5))
            else:
                x = side * gutter_x_m
            materials = sample_materials(("metal", "drain_gap") if side else ("metal",), rng)
            props.append(PropSpec(name=f"{prefix}_{count:02d}", asset=asset, recipe=entry.recipe,
                                  params=sample_asset_params(entry, rng), location_m=(x, y, 0.0), yaw_deg=90.0,
                                  materials=materials))
            count += 1
            y += float(spacing.sample(rng))
    return props
