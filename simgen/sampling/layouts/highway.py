"""highway: a divided motorway, 2-4 lanes per direction, concrete median and guard walls, lamps
on the median, signs behind the guard walls, trees far off on grass."""

from __future__ import annotations

import numpy as np

from simgen.catalog.entries import Catalog
from simgen.config.schema import LayoutConfig
from simgen.sampling.furniture import sample_roadside_furniture
from simgen.sampling.street import (
    TREE_ASSETS,
    sample_barriers,
    sample_cross_section,
    sample_lane_lines,
    sample_open_road_surfaces,
    sample_row_of,
)
from simgen.sampling.street_details import sample_street_details
from simgen.sampling.vegetation import sample_vegetation
from simgen.specs import Footprint, LayoutSpec


def sample_layout(cfg: LayoutConfig, catalog: Catalog, rng: np.random.Generator) -> LayoutSpec:
    """Lanes at x > 0 drive towards +y; shoulders are the walkable strips (no sidewalks)."""
    section = sample_cross_section(cfg, rng, curb=False)
    lanes, half_width, shoulder_m, y_range = (section.lanes, section.road_half_width_m, section.side_width_m,
                                              section.y_range_m)
    scenery = sample_open_road_surfaces(half_width, shoulder_m, y_range, "grass", rng)
    scenery += sample_lane_lines(lanes, y_range, rng)
    edge = half_width + shoulder_m + 0.3
    barriers = sample_barriers((0.0, edge, -edge), 0.8, y_range, rng)
    scenery += barriers
    lamps, lamp_feet = sample_row_of(catalog, "street_lamp", "lamp_m", 0.35, 0.0, y_range, cfg.pole_spacing_m,
                                     1.0, rng)
    scenery += lamps
    blocked = list(lamp_feet) + [Footprint(b.location_m[0], b.location_m[1], b.params["length_m"],
                                           b.params["width_m"], 90.0) for b in barriers]
    for side in (1, -1):
        trees, _ = sample_row_of(catalog, TREE_ASSETS, f"tree_{'r' if side > 0 else 'l'}", side * (edge + 6.0), 0.0,
                                 y_range, cfg.pole_spacing_m, float(cfg.tree_probability.sample(rng)), rng)
        scenery += trees
    signs, sign_feet = sample_roadside_furniture(catalog, cfg, (edge + 0.5, edge + 4.0), None, (y_range,),
                                                 list(blocked), rng)
    scenery += signs
    blocked += sign_feet
    plants, plant_feet = sample_vegetation(catalog, cfg, (edge + 1.0, edge + 4.5), (edge + 2.0, edge + 4.5), 0.0,
                                           (y_range,), list(blocked), rng)
    scenery += plants
    blocked += plant_feet
    scenery = sample_street_details(list(scenery), lanes, rng)  # drawn last: kerbs, worn paint
    ego_lane = next(i for i, lane in enumerate(lanes) if lane.direction == 1)
    return LayoutSpec(name="highway", lanes=lanes, y_range_m=y_range, road_half_width_m=half_width,
                      sidewalks_x_m=((half_width, half_width + shoulder_m), (-half_width - shoulder_m, -half_width)),
                      curb_height_m=0.0, ego_lane=ego_lane, scenery=tuple(scenery), blocked_footprints=tuple(blocked))
