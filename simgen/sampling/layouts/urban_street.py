"""urban_street: a straight two-way city street with sidewalks, buildings, lamps and trees, a
parking strip along each curb, street furniture (signs, bins, hydrants, bollards, benches),
hedges and bushes at the building side of the sidewalks, and manhole covers and drain grates."""

from __future__ import annotations

import numpy as np

from simgen.catalog.entries import Catalog
from simgen.config.schema import LayoutConfig
from simgen.sampling.furniture import sample_sidewalk_furniture
from simgen.sampling.street import (
    TREE_ASSETS,
    parking_strips,
    sample_building_row,
    sample_cross_section,
    sample_lane_lines,
    sample_road_fixtures,
    sample_road_surfaces,
    sample_row_of,
)
from simgen.sampling.street_details import sample_street_details
from simgen.sampling.vegetation import sample_vegetation
from simgen.sampling.verge import sample_verges, verge_stream
from simgen.specs import LayoutSpec


def sample_layout(cfg: LayoutConfig, catalog: Catalog, rng: np.random.Generator) -> LayoutSpec:
    """Sample the static street. The camera rides near y = 0, looking towards +y."""
    section = sample_cross_section(cfg, rng, curb=True)
    lanes, lanes_half_m, sidewalk_m, y_range = (section.lanes, section.road_half_width_m, section.side_width_m,
                                                section.y_range_m)
    curb_m = section.curb_height_m
    half_width = lanes_half_m + float(cfg.parking_width_m.sample(rng))

    scenery = sample_road_surfaces(half_width, sidewalk_m, curb_m, y_range, rng)
    scenery += sample_lane_lines(lanes, y_range, rng)
    blocked = []
    for side in (1, -1):
        scenery += sample_building_row(catalog, side, half_width + sidewalk_m, y_range, cfg.building_height_m,
                                       cfg.building_length_m, cfg.building_setback_m, rng)
        poles, pole_feet = sample_row_of(catalog, "street_lamp", f"lamp_{'r' if side > 0 else 'l'}",
                                         side * (half_width + 0.5), curb_m, y_range, cfg.pole_spacing_m, 1.0, rng)
        trees, tree_feet = sample_row_of(catalog, TREE_ASSETS, f"tree_{'r' if side > 0 else 'l'}",
                                         side * (half_width + sidewalk_m - 1.0), curb_m, y_range,
                                         cfg.pole_spacing_m, float(cfg.tree_probability.sample(rng)), rng)
        scenery += poles + trees
        blocked += pole_feet + tree_feet
    furniture, furniture_feet = sample_sidewalk_furniture(catalog, cfg, half_width, sidewalk_m, curb_m, (y_range,),
                                                          list(blocked), rng)
    scenery += furniture
    blocked += furniture_feet
    building_side = (half_width + 1.2, half_width + sidewalk_m)
    plants, plant_feet = sample_vegetation(catalog, cfg, building_side, building_side, curb_m, (y_range,),
                                           list(blocked), rng)
    scenery += plants
    blocked += plant_feet
    # street details, then the fixtures: drawn last, so that adding them left the rest of the
    # street's draws as they were (the fixtures stay last: their spacing changes no other draw)
    scenery = sample_street_details(list(scenery), lanes, rng)
    scenery += sample_road_fixtures(catalog, lanes, half_width - 0.25, y_range, cfg.manhole_spacing_m,
                                    cfg.drain_spacing_m, rng)
    sidewalks = ((half_width, half_width + sidewalk_m), (-half_width - sidewalk_m, -half_width))
    scenery, sidewalks = sample_verges(cfg, scenery, sidewalks, verge_stream(rng))  # their own stream
    parking = parking_strips(lanes_half_m, half_width, (y_range,))
    ego_lane = next(i for i, lane in enumerate(lanes) if lane.direction == 1)
    return LayoutSpec(name="urban_street", lanes=lanes, y_range_m=y_range, road_half_width_m=half_width,
                      sidewalks_x_m=sidewalks,
                      curb_height_m=curb_m, ego_lane=ego_lane, scenery=tuple(scenery),
                      blocked_footprints=tuple(blocked), parking_strips=parking)

