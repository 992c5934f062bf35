"""Library sampler for bushes and hedges along the street, composed by the layouts in
`simgen.sampling.layouts` (trees are rows of `simgen.sampling.street.sample_row_of`).

World frame as in `simgen.sampling.street`: metres, z up, the road runs along +y centred on
x = 0. Pure: draws only from the generator it is given. Bushes and hedges are unlabeled scenery
(class vegetation, `simgen.catalog.classes`) placed like street furniture
(`simgen.sampling.furniture.sample_furniture_row`): inside a strip along each side, never on
a footprint taken before them, their own footprints returned for the layout to block.
"""

from __future__ import annotations

import numpy as np

from simgen.catalog.entries import Catalog
from simgen.config.schema import LayoutConfig
from simgen.sampling.furniture import FurnitureRow, sample_furniture_row
from simgen.specs import Footprint, PropSpec


def sample_vegetation(catalog: Catalog, cfg: LayoutConfig, bush_strip_m: tuple[float, float],
                      hedge_strip_m: tuple[float, float], z_m: float, y_ranges_m: tuple[tuple[float, float], ...],
                      taken: list[Footprint], rng: np.random.Generator) -> tuple[list[PropSpec], list[Footprint]]:
    """Hedges (lengths along the road) and bushes on both sides of the road.

    Draws hedge_probability and bush_probability from `cfg` (a `LayoutConfig`; slots
    `vegetation_spacing_m` apart), then per side (right first) the hedge row, then the bush row.

    Args:
        catalog: holds the entries 'hedge' and 'bush'.
        cfg: the layout config.
        bush_strip_m, hedge_strip_m: (inner, outer) distances from the road's centre line of
            the strips the footprints must stay in, metres; both rows keep to the strip's outer
            edge (the building or field side).
        z_m: the support surface's height (the curb height on sidewalks), metres.
        y_ranges_m: (start, end) stretches of the road along y where the rows run, metres.
        taken: footprints to keep clear of; extended in place.
        rng: the layout stream.

    Returns:
        The props (named hedge_r_00, bush_l_03, ...) and their footprints (world frame, metres).
    """
    hedge_p = float(cfg.hedge_probability.sample(rng))
    bush_p = float(cfg.bush_probability.sample(rng))
    props, footprints = [], []
    for side in (1, -1):
        tag = "r" if side > 0 else "l"
        rows = (FurnitureRow(("hedge",), f"hedge_{tag}", side, hedge_strip_m, "outer", z_m, 90.0,
                             cfg.vegetation_spacing_m, hedge_p, yaw_jitter_deg=1.5),
                FurnitureRow(("bush",), f"bush_{tag}", side, bush_strip_m, "outer", z_m, 0.0, cfg.vegetation_spacing_m,
                             bush_p, group=(1, 3), group_step_m=1.3, yaw_jitter_deg=40.0))
        for row in rows:
            if row.probability <= 0.0:
                continue
            row_props, row_feet = sample_furniture_row(catalog, row, y_ranges_m, taken, rng)
            props += row_props
            footprints += row_feet
    return props, footprints
