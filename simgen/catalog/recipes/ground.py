"""Ground recipes: slabs (road, sidewalk, ground, walls in test scenes) and lane lines.

Object frame as for every recipe: metres, z up, origin at the centre of the bottom face, +x
along the slab's length. Builders receive complete, validated params (see `_recipe`).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from simgen.geometry.mesh import MeshData, merge_meshes
from simgen.geometry.primitives import box_mesh

SLAB_DEFAULTS: Mapping[str, float] = {"length_m": 10.0, "width_m": 10.0, "height_m": 0.1}
LINE_DEFAULTS: Mapping[str, float] = {"length_m": 100.0, "width_m": 0.12, "height_m": 0.004, "dash_m": 3.0,
                                      "gap_m": 6.0, "solid": 0.0}


def build_slab(p: Mapping[str, float]) -> MeshData:
    """A flat box: length_m along x, width_m along y, height_m up from z = 0; slot 'surface'."""
    return box_mesh((p["length_m"], p["width_m"], p["height_m"]), (0.0, 0.0, p["height_m"] / 2), "surface")


def build_dashed_line(p: Mapping[str, float]) -> MeshData:
    """A painted lane line along x, centred on the origin: dashes of dash_m separated by gap_m,
    or one solid stripe when solid >= 0.5; slot 'lane_paint'."""
    length, dash, gap = p["length_m"], p["dash_m"], p["gap_m"]
    if p["solid"] >= 0.5:
        return box_mesh((length, p["width_m"], p["height_m"]), (0.0, 0.0, p["height_m"] / 2), "lane_paint")
    starts = np.arange(-length / 2, length / 2 - dash + 1e-9, dash + gap)
    dashes = [box_mesh((dash, p["width_m"], p["height_m"]), (s + dash / 2, 0.0, p["height_m"] / 2), "lane_paint")
              for s in starts]
    return merge_meshes(dashes)
