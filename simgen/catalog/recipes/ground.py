"""Ground recipes: slabs (road, sidewalk, ground, walls in test scenes), lane lines, and the
manhole covers and drain grates set into the road.

Object frame as for every recipe: metres, z up, origin at the centre of the bottom face, +x
along the slab's length. Builders receive complete, validated params (see `_recipe`).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from simgen.geometry.mesh import MeshData, merge_meshes
from simgen.geometry.primitives import box_mesh, boxes_mesh, cylinder_mesh

SLAB_DEFAULTS: Mapping[str, float] = {"length_m": 10.0, "width_m": 10.0, "height_m": 0.1}
LINE_DEFAULTS: Mapping[str, float] = {"length_m": 100.0, "width_m": 0.12, "height_m": 0.004, "dash_m": 3.0,
                                      "gap_m": 6.0, "solid": 0.0}
MANHOLE_DEFAULTS: Mapping[str, float] = {"radius_m": 0.32}
DRAIN_GRATE_DEFAULTS: Mapping[str, float] = {"length_m": 0.55, "width_m": 0.35}

_COVER_M = 0.01  # cover plate top above the road; ribs and grate bars reach 0.016 and 0.012
_GAP_TOP_M = 0.006  # the drain's dark gap plate (not 0.004: lane paint's top, no z-fighting)


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


def build_manhole(p: Mapping[str, float]) -> MeshData:
    """A round cast-iron cover on the road: a disc of radius_m, 1 cm high from z = 0, with five
    raised ribs along x across its top (6 mm); slot 'metal'."""
    radius = p["radius_m"]
    ribs_y = np.linspace(-0.5, 0.5, 5) * radius
    chord = 2 * np.sqrt(radius**2 - ribs_y**2) * 0.8
    ribs = boxes_mesh(np.column_stack([chord, np.full(5, 0.08 * radius), np.full(5, 0.006)]),
                      np.column_stack([np.zeros(5), ribs_y, np.full(5, _COVER_M + 0.003)]), "metal")
    return merge_meshes([cylinder_mesh(radius, _COVER_M, (0.0, 0.0, _COVER_M / 2), "z", 20, "metal"), ribs])


def build_drain_grate(p: Mapping[str, float]) -> MeshData:
    """A gully grate on the road by the kerb: a dark gap plate (slot 'drain_gap', 6 mm) under a
    metal frame and bars across its width (slot 'metal', 12 mm); length_m along x, width_m along y."""
    length, width = p["length_m"], p["width_m"]
    rim = 0.1 * min(length, width)
    bars = max(2, int(length / 0.05))
    bar_x = (np.arange(bars) - (bars - 1) / 2) * ((length - 2 * rim) / bars)
    height = 2 * _GAP_TOP_M
    frame_sizes = np.array([[length, rim, height]] * 2 + [[rim, width - 2 * rim, height]] * 2)
    frame_centers = np.array([[0.0, (width - rim) / 2, 0.0], [0.0, -(width - rim) / 2, 0.0],
                              [(length - rim) / 2, 0.0, 0.0], [-(length - rim) / 2, 0.0, 0.0]]) + [0.0, 0.0, height / 2]
    sizes = np.concatenate([[[length - 2 * rim, width - 2 * rim, _GAP_TOP_M]], frame_sizes,
                            np.tile([0.35 * (length - 2 * rim) / bars, width - 2 * rim, height], (bars, 1))])
    centers = np.concatenate([[[0.0, 0.0, _GAP_TOP_M / 2]], frame_centers,
                              np.column_stack([bar_x, np.zeros(bars), np.full(bars, height / 2)])])
    mesh = boxes_mesh(sizes, centers)  # one call; the gap plate's 6 faces are slot 0, the rest metal
    slots = np.ones(mesh.face_count, dtype=np.int32)
    slots[:6] = 0
    return MeshData(mesh.vertices_m, mesh.loop_vertices, mesh.loop_counts, slots, ("drain_gap", "metal"))
