"""intersection: the urban street crossed by a side street 25-45 m ahead, with zebra crossings;
buildings and sidewalks stop at the junction. Traffic lights on its corners (or stop signs on its
approaches), parking strips along the curbs that end short of the junction, sidewalk furniture."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from simgen.catalog.entries import Catalog
from simgen.config.schema import LayoutConfig
from simgen.sampling.furniture import junction_approaches, sample_junction_controls, sample_sidewalk_furniture
from simgen.sampling.street import (
    parking_strips,
    sample_building_row,
    sample_cross_section,
    sample_cross_street,
    sample_lane_lines,
    sample_road_surfaces,
    sample_row_of,
)
from simgen.sampling.street_details import sample_street_details
from simgen.sampling.vegetation import sample_vegetation
from simgen.sampling.verge import sample_verges, verge_stream
from simgen.specs import LayoutSpec

CORNER_CLEAR_M = 2.5
"""No street lamps within this distance of the junction: its corners hold the traffic control, metres."""
PARKING_CLEAR_M = 6.0
"""No parking within this distance of the junction (its zebra crossings), metres."""


def sample_layout(cfg: LayoutConfig, catalog: Catalog, rng: np.random.Generator) -> LayoutSpec:
    """The main street runs along y; the cross street along x at `intersection_distance_m`."""
    section = sample_cross_section(cfg, rng, curb=True)
    lanes, lanes_half_m, sidewalk_m, y_range = (section.lanes, section.road_half_width_m, section.side_width_m,
                                                section.y_range_m)
    curb_m = section.curb_height_m
    half_width = lanes_half_m + float(cfg.parking_width_m.sample(rng))
    cross_y = float(cfg.intersection_distance_m.sample(rng))
    cross_width = 2 * float(cfg.lane_width_m.sample(rng)) + 2 * sidewalk_m
    gap = (cross_y - cross_width / 2, cross_y + cross_width / 2)

    surfaces = sample_road_surfaces(half_width, sidewalk_m, curb_m, y_range, rng)
    scenery = [p for p in surfaces if not p.name.startswith("sidewalk")]
    for part, (a, b) in (("s", (y_range[0], gap[0])), ("n", (gap[1], y_range[1]))):
        scenery += [replace(p, name=f"{p.name}_{part}", params={**p.params, "length_m": b - a},
                            location_m=(p.location_m[0], (a + b) / 2, p.location_m[2]))
                    for p in surfaces if p.name.startswith("sidewalk")]
    for part, (a, b) in (("s", (y_range[0], gap[0] - 3.0)), ("n", (gap[1] + 3.0, y_range[1]))):
        scenery += [replace(p, name=f"{p.name}_{part}") for p in sample_lane_lines(lanes, (a, b), rng)]
    cross, junction = sample_cross_street(cross_y, cross_width - 2 * sidewalk_m, half_width, rng)
    scenery += cross
    blocked = list(junction)
    for side in (1, -1):
        tag = "r" if side > 0 else "l"
        for part, (a, b) in (("s", (y_range[0], gap[0])), ("n", (gap[1], y_range[1]))):
            buildings = sample_building_row(catalog, side, half_width + sidewalk_m, (a, b - 8.0), cfg.building_height_m,
                                            cfg.building_length_m, cfg.building_setback_m, rng)
            scenery += [replace(p, name=f"{p.name}{part}") for p in buildings]
        poles, pole_feet = sample_row_of(catalog, "street_lamp", f"lamp_{tag}", side * (half_width + 0.5), curb_m,
                                         y_range, cfg.pole_spacing_m, 1.0, rng)
        kept = [(p, f) for p, f in zip(poles, pole_feet, strict=True)
                if not gap[0] - CORNER_CLEAR_M < p.location_m[1] < gap[1] + CORNER_CLEAR_M]
        scenery += [p for p, _ in kept]
        blocked += [f for _, f in kept]
    taken = list(blocked)
    controls, control_feet = sample_junction_controls(
        catalog, junction_approaches(half_width, gap, curb_m), float(cfg.traffic_light_probability.sample(rng)),
        float(cfg.stop_sign_probability.sample(rng)), taken, rng)
    furniture, furniture_feet = sample_sidewalk_furniture(
        catalog, cfg, half_width, sidewalk_m, curb_m, ((y_range[0], gap[0] - 1.5), (gap[1] + 1.5, y_range[1])),
        taken, rng)
    scenery += controls + furniture
    blocked += control_feet + furniture_feet
    building_side = (half_width + 1.2, half_width + sidewalk_m)
    plants, plant_feet = sample_vegetation(catalog, cfg, building_side, building_side, curb_m,
                                           ((y_range[0], gap[0] - 1.5), (gap[1] + 1.5, y_range[1])), taken, rng)
    scenery += plants
    blocked += plant_feet
    parking = parking_strips(lanes_half_m, half_width, ((y_range[0], gap[0] - PARKING_CLEAR_M),
                                                        (gap[1] + PARKING_CLEAR_M, y_range[1])))
    scenery = sample_street_details(list(scenery), lanes, rng)  # drawn last: kerbs, worn paint
    ego_lane = next(i for i, lane in enumerate(lanes) if lane.direction == 1)
    sidewalks = ((half_width, half_width + sidewalk_m), (-half_width - sidewalk_m, -half_width))
    scenery, sidewalks = sample_verges(cfg, scenery, sidewalks, verge_stream(rng))  # their own stream
    return LayoutSpec(name="intersection", lanes=lanes, y_range_m=y_range, road_half_width_m=half_width,
                      sidewalks_x_m=sidewalks, curb_height_m=curb_m, ego_lane=ego_lane, scenery=tuple(scenery),
                      blocked_footprints=tuple(blocked), parking_strips=parking)
