"""Street details that every layout draws last, so that adding them left the layouts' other draws
as they were: kerb stones along the sidewalks' road edges, worn road paint, and the lanes of the
road's asphalt (its wheel paths, `simgen.sampling.materials.with_lanes`).

World frame as in `simgen.sampling.street`: metres, the road along +y centred on x = 0. Pure:
draws only from the generator it is given.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from simgen.sampling.materials import sample_kerb, wear_paint, with_lanes
from simgen.specs import LaneSpec, MaterialSpec, PropSpec

KERB_WIDTH_M = (0.15, 0.30)
"""Kerb strip width (across the street) is drawn uniform in this range, metres."""
SIDEWALK_PREFIX = "sidewalk_"
KERB_PREFIX = "sidewalk_kerb_"
"""Kerbs are named sidewalk_kerb_<the sidewalk's name after 'sidewalk_'>: class sidewalk, and the
sidewalk's weather role (`simgen.catalog.classes`, `simgen.blender.build`)."""


def sample_street_details(scenery: list[PropSpec], lanes: tuple[LaneSpec, ...],
                          rng: np.random.Generator) -> list[PropSpec]:
    """The layout's scenery with its street details, drawn in this order: the kerb width and
    material (only when there are sidewalks), then one paint wear per distinct paint spec of
    the lane markings (props of asset 'lane_line'), in scenery order. The asphalt of 'road'
    gets the layout's lanes and that of 'cross_road' two lanes across its width (no draws).

    Each sidewalk slab (name 'sidewalk_*', length along y) gives up its road-side
    `KERB_WIDTH_M` strip (at most half its width) to a kerb slab of the same length and top,
    placed right after it: they do not overlap.
    """
    sidewalks = {p.name for p in scenery if p.name.startswith(SIDEWALK_PREFIX) and p.recipe == "slab"}
    kerb_m, kerb = (float(rng.uniform(*KERB_WIDTH_M)), sample_kerb(rng)) if sidewalks else (0.0, None)
    worn: dict[MaterialSpec, MaterialSpec] = {}
    out: list[PropSpec] = []
    for prop in scenery:
        if prop.asset == "lane_line":
            for spec in prop.materials.values():
                if spec not in worn:
                    worn[spec] = wear_paint(spec, rng)
            prop = replace(prop, materials={slot: worn[spec] for slot, spec in prop.materials.items()})
        elif prop.name in ("road", "cross_road"):
            prop = _with_road_lanes(prop, lanes)
        if kerb is not None and prop.name in sidewalks:  # names are unique in a frame
            out += _split_kerb(prop, kerb_m, kerb)
        else:
            out.append(prop)
    return out


def _with_road_lanes(prop: PropSpec, lanes: tuple[LaneSpec, ...]) -> PropSpec:
    """'road' runs the layout's lanes; 'cross_road' (2 lanes across its width) one per direction."""
    if prop.name == "road":
        width_m, per_direction = lanes[0].width_m, sum(1 for lane in lanes if lane.direction == 1)
    else:
        width_m, per_direction = prop.params["width_m"] / 2, 1
    return replace(prop, materials={slot: with_lanes(spec, width_m, per_direction) if spec.texture == "asphalt"
                                    else spec for slot, spec in prop.materials.items()})


def _split_kerb(sidewalk: PropSpec, kerb_m: float, kerb: MaterialSpec) -> list[PropSpec]:
    """The sidewalk slab narrowed away from the road by the kerb width, and the kerb slab."""
    x, y, z = sidewalk.location_m
    width_m = sidewalk.params["width_m"]
    side, inner_m = float(np.sign(x)), abs(x) - width_m / 2
    kerb_m = min(kerb_m, width_m / 2)
    slab = replace(sidewalk, params={**sidewalk.params, "width_m": width_m - kerb_m},
                   location_m=(side * (inner_m + kerb_m + (width_m - kerb_m) / 2), y, z))
    stones = replace(sidewalk, name=KERB_PREFIX + sidewalk.name[len(SIDEWALK_PREFIX):],
                     params={**sidewalk.params, "width_m": kerb_m}, location_m=(side * (inner_m + kerb_m / 2), y, z),
                     materials={slot: kerb for slot in sidewalk.materials})
    return [slab, stones]
