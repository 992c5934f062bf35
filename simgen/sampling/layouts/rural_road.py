"""rural_road: a narrow two-lane country road on grass verges, trees and unlit utility poles,
the odd farm building set far back, roadside signs and delineator posts."""

from __future__ import annotations

import numpy as np

from simgen.catalog.entries import Catalog
from simgen.config.schema import LayoutConfig
from simgen.sampling.furniture import sample_roadside_furniture
from simgen.sampling.street import (
    TREE_ASSETS,
    sample_building_row,
    sample_cross_section,
    sample_lane_lines,
    sample_open_road_surfaces,
    sample_row_of,
)
from simgen.sampling.street_details import sample_street_details
from simgen.sampling.vegetation import sample_vegetation
from simgen.specs import LayoutSpec


def sample_layout(cfg: LayoutConfig, catalog: Catalog, rng: np.random.Generator) -> LayoutSpec:
    """One lane per direction by default (`lanes_per_direction` still applies); verges are the
    walkable strips; `building_setback_m` puts farm buildings well away from the road."""
    section = sample_cross_section(cfg, rng, curb=False)
    lanes, half_width, verge_m, y_range = (section.lanes, section.road_half_width_m, section.side_width_m,
                                              section.y_range_m)
    scenery = sample_open_road_surfaces(half_width, verge_m, y_range, "grass", rng)
    scenery += sample_lane_lines(lanes, y_range, rng)
    blocked = []
    for side in (1, -1):
        tag = "r" if side > 0 else "l"
        trees, tree_feet = sample_row_of(catalog, TREE_ASSETS, f"tree_{tag}", side * (half_width + verge_m + 1.5), 0.0,
                                         y_range, cfg.pole_spacing_m, float(cfg.tree_probability.sample(rng)), rng)
        poles, pole_feet = sample_row_of(catalog, "utility_pole", f"pole_{tag}", side * (half_width + verge_m - 0.4),
                                         0.0, y_range, cfg.pole_spacing_m, 0.7, rng)
        farms = sample_building_row(catalog, side, half_width + verge_m, y_range, cfg.building_height_m,
                                    cfg.building_length_m, cfg.building_setback_m, rng)
        scenery += trees + poles + farms[::3]
        blocked += tree_feet + pole_feet
    furniture, furniture_feet = sample_roadside_furniture(
        catalog, cfg, (half_width + 0.5, half_width + verge_m + 1.2), (half_width + 0.25, half_width + verge_m),
        (y_range,), list(blocked), rng)
    scenery += furniture
    blocked += furniture_feet
    field_edge = half_width + verge_m
    plants, plant_feet = sample_vegetation(catalog, cfg, (field_edge + 0.2, field_edge + 4.0),
                                           (field_edge + 2.5, field_edge + 4.0), 0.0, (y_range,), list(blocked), rng)
    scenery += plants
    blocked += plant_feet
    scenery = sample_street_details(list(scenery), lanes, rng)  # drawn last: kerbs, worn paint
    ego_lane = next(i for i, lane in enumerate(lanes) if lane.direction == 1)
    return LayoutSpec(name="rural_road", lanes=lanes, y_range_m=y_range, road_half_width_m=half_width,
                      sidewalks_x_m=((half_width, half_width + verge_m), (-half_width - verge_m, -half_width)),
                      curb_height_m=0.0, ego_lane=ego_lane, scenery=tuple(scenery), blocked_footprints=tuple(blocked))
