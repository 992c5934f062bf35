"""Grass verges: a strip of grass between a sidewalk's kerb and its footpath, drawn last by the
layouts with sidewalks (`urban_street`, `intersection`) from their own child stream of the
layout stream (`verge_stream`), so that frames with and without verges have every other draw,
and so every other prop, the same; only the sidewalk slabs are split.

World frame as in `simgen.sampling.street`: metres, the road along +y centred on x = 0. Pure:
draws only from the generator it is given. A verge is a `slab` prop named verge_<the
sidewalk's name after 'sidewalk_'>, class terrain (`simgen.catalog.classes`), with the
sidewalk's length and top, material texture 'verge' (`simgen.sampling.materials.sample_verge`).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from simgen.config.schema import LayoutConfig
from simgen.sampling.materials import sample_verge
from simgen.sampling.street_details import KERB_PREFIX, SIDEWALK_PREFIX
from simgen.specs import PropSpec

VERGE_PREFIX = "verge_"
VERGE_STREAM_KEY = 1
"""Last spawn-key element of the verge stream under the layout stream's key (never renumber:
it would change every dataset's verges)."""
MIN_FOOTPATH_M = 1.2
"""A verge leaves at least this much of its sidewalk (past the kerb) as footpath, metres."""
MIN_VERGE_M = 0.2
"""A side whose verge would be narrower than this (a narrow sidewalk) gets none, metres."""


def verge_stream(layout_rng: np.random.Generator) -> np.random.Generator:
    """The verge stream: a child of the layout stream's `SeedSequence` (its spawn key extended
    by `VERGE_STREAM_KEY`). Reads the parent's seed, draws nothing from it."""
    seq = layout_rng.bit_generator.seed_seq
    child = np.random.SeedSequence(seq.entropy, spawn_key=(*seq.spawn_key, VERGE_STREAM_KEY))
    return np.random.Generator(np.random.PCG64(child))


def _is_sidewalk(prop: PropSpec) -> bool:
    return prop.recipe == "slab" and prop.name.startswith(SIDEWALK_PREFIX) and not prop.name.startswith(KERB_PREFIX)


def sample_verges(cfg: LayoutConfig, scenery: list[PropSpec], sidewalks_x_m: tuple[tuple[float, float], ...],
                  rng: np.random.Generator) -> tuple[list[PropSpec], tuple[tuple[float, float], ...]]:
    """The scenery with grass verges, and the walkable strips left to pedestrians.

    Draws `verge_probability`, then per side (x > 0 first) keep, width (`verge_width_m`) and
    a material seed, always all of them. A kept side's sidewalk slabs (names 'sidewalk_*' but not
    kerbs; after `simgen.sampling.street_details`) give up their road-side strip of the width
    (at most the slab's width less `MIN_FOOTPATH_M`; none if that leaves under `MIN_VERGE_M`)
    to a verge slab placed right after them: they do not overlap.

    Args:
        cfg: the layout config.
        scenery: the layout's props, kerbs split off already.
        sidewalks_x_m: the layout's walkable strips (x_min, x_max), metres.
        rng: the verge stream (`verge_stream`).

    Returns:
        (scenery, sidewalks_x_m) where each strip on a side with a verge starts at its
        verge's footpath edge.
    """
    probability = float(cfg.verge_probability.sample(rng))
    widths = {}
    for side in (1, -1):
        keep = rng.uniform() < probability
        width_m = float(cfg.verge_width_m.sample(rng))
        material_seed = int(rng.integers(2**63))
        if keep:
            widths[side] = (width_m, material_seed)
    out: list[PropSpec] = []
    footpath_edge: dict[int, float] = {}
    for prop in scenery:
        side = int(np.sign(prop.location_m[0]))
        if side not in widths or not _is_sidewalk(prop):
            out.append(prop)
            continue
        width_m, material_seed = widths[side]
        width_m = min(width_m, prop.params["width_m"] - MIN_FOOTPATH_M)
        if width_m < MIN_VERGE_M:
            out.append(prop)
            continue
        slab, verge = _split_verge(prop, width_m, material_seed)
        out += [slab, verge]
        footpath_edge[side] = abs(verge.location_m[0]) + width_m / 2
    strips = tuple((max(x0, footpath_edge[1]), x1) if x0 >= 0 and 1 in footpath_edge
                   else (x0, min(x1, -footpath_edge[-1])) if x0 < 0 and -1 in footpath_edge else (x0, x1)
                   for x0, x1 in sidewalks_x_m)
    return out, strips


def _split_verge(sidewalk: PropSpec, width_m: float, material_seed: int) -> tuple[PropSpec, PropSpec]:
    """The sidewalk slab narrowed away from the road by `width_m`, and the verge slab (its
    material drawn from a generator seeded with the side's `material_seed`, so that every slab
    of a side gets the same)."""
    x, y, z = sidewalk.location_m
    full_m = sidewalk.params["width_m"]
    side, inner_m = float(np.sign(x)), abs(x) - full_m / 2
    slab = replace(sidewalk, params={**sidewalk.params, "width_m": full_m - width_m},
                   location_m=(side * (inner_m + width_m + (full_m - width_m) / 2), y, z))
    grass = sample_verge(width_m / 2, np.random.default_rng(material_seed))
    verge = replace(sidewalk, name=VERGE_PREFIX + sidewalk.name[len(SIDEWALK_PREFIX):],
                    params={**sidewalk.params, "width_m": width_m}, location_m=(side * (inner_m + width_m / 2), y, z),
                    materials={slot: grass for slot in sidewalk.materials})
    return slab, verge
