"""The `building` recipe: a block with framed windows, sills, doors or shop fronts, French
balconies, a cornice and a parapet (pure numpy; every part kind is one batched `boxes_mesh`).

Object frame: metres, z up, origin at the centre of the ground footprint (z = 0 is the ground
contact); the building's length runs along its longer side, the two long facades carry the
openings (at y = +-width / 2 when length_m >= width_m). Builders take a complete, validated
parameter mapping (see `simgen.catalog.prop_mesh.get_recipe`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from simgen.geometry.mesh import MeshData
from simgen.geometry.primitives import boxes_mesh

BUILDING_DEFAULTS: Mapping[str, float] = {"length_m": 20.0, "width_m": 12.0, "height_m": 15.0, "floors": 5.0,
                                          "shop_front": 0.0, "balconies": 0.0}
FEATURE_THRESHOLD = 0.6
"""`shop_front` / `balconies` at or above this turn the feature on (uniform [0, 1] draws: 40 %)."""
PROTRUSION_M = 0.08
"""The most any part stands out of the facade box (sills, cornice, fascia): the footprint is the
box's plus this on every side."""

_BAY_WIDTH_M = 3.0  # facade width per window column
_GLASS_PROUD_M = 0.01  # glass and door panels: +-1 cm about the facade plane (set back from the frame)
_FRAME_PROUD_M = 0.05
_FRAME_M = 0.07  # frame bar width
_SILL = (0.05, 0.05)  # (overhang each side of the frame, height), metres
_PARAPET = (0.25, 0.7)  # (wall thickness, height above the roof slab), metres
_CORNICE_HEIGHT_M = 0.22
_RAIL = (0.035, 0.95, 0.25)  # (bar size, rail height above the floor, baluster spacing), metres


@dataclass(frozen=True)
class _Openings:
    """Rectangular openings of the two long facades, one row each: (N,) float64 arrays, metres
    (x centre, width, bottom and top of the glass; side: +1 facade y > 0, -1 facade y < 0)."""

    x: np.ndarray
    width: np.ndarray
    z_low: np.ndarray
    z_high: np.ndarray
    side: np.ndarray

    def subset(self, keep: np.ndarray) -> _Openings:
        return _Openings(self.x[keep], self.width[keep], self.z_low[keep], self.z_high[keep], self.side[keep])


_Boxes = tuple[np.ndarray, np.ndarray, str]
"""Axis-aligned boxes of one slot: (N, 3) sizes and (N, 3) centres (object frame, metres), slot."""


def _layer(sizes: np.ndarray, x: np.ndarray, y_out: tuple[float, float], z: np.ndarray, side: np.ndarray,
           half_width_m: float, material: str) -> list[_Boxes]:
    """Boxes of (N, 2) x/z sizes centred at (x, z) on the facades, spanning y_out (inner, outer)
    metres outward of the facade plane at side * half_width_m; [] when N = 0."""
    if len(x) == 0:
        return []
    depth = y_out[1] - y_out[0]
    centers = np.stack([x, side * (half_width_m + (y_out[0] + y_out[1]) / 2), z], axis=1)
    full = np.column_stack([sizes[:, 0], np.full(len(x), depth), sizes[:, 1]])
    return [(full, centers, material)]


def _framed(openings: _Openings, half_width_m: float, panel: str, sill: bool) -> list[_Boxes]:
    """Panels (`panel` slot) in the openings, a frame of 4 bars round each (trim) and, with
    `sill`, a sill under each (trim)."""
    o, f = openings, _FRAME_M
    if len(o.x) == 0:
        return []
    height = o.z_high - o.z_low
    glass = (-_GLASS_PROUD_M, _GLASS_PROUD_M)
    frame_y = (-_GLASS_PROUD_M, _FRAME_PROUD_M)
    parts = _layer(np.stack([o.width, height], 1), o.x, glass, (o.z_low + o.z_high) / 2, o.side, half_width_m, panel)
    bars_x = np.concatenate([o.x, o.x, o.x - (o.width + f) / 2, o.x + (o.width + f) / 2])
    bars_z = np.concatenate([o.z_high + f / 2, o.z_low - f / 2, (o.z_low + o.z_high) / 2, (o.z_low + o.z_high) / 2])
    across = np.column_stack([o.width + 2 * f, np.full(len(o.x), f)])
    upright = np.column_stack([np.full(len(o.x), f), height])
    parts += _layer(np.concatenate([across, across, upright, upright]), bars_x, frame_y, bars_z,
                    np.tile(o.side, 4), half_width_m, "trim")
    if sill:
        sizes = np.column_stack([o.width + 2 * (f + _SILL[0]), np.full(len(o.x), _SILL[1])])
        parts += _layer(sizes, o.x, (-_GLASS_PROUD_M, PROTRUSION_M), o.z_low - f - _SILL[1] / 2, o.side,
                        half_width_m, "trim")
    return parts


def _grid(xs: np.ndarray, floor_index: np.ndarray, width_m: float, floor_height_m: float,
          low: float, high: float) -> _Openings:
    """Openings at every (floor, x) pair of both facades (+y first), glass from `low` to `high`
    floor heights above each floor."""
    floors, bays = np.meshgrid(floor_index, xs, indexing="ij")
    count = 2 * floors.size
    side = np.repeat([1.0, -1.0], floors.size)
    levels = np.tile(floors.ravel(), 2)
    return _Openings(np.tile(bays.ravel(), 2), np.full(count, width_m), floor_height_m * (levels + low),
                     floor_height_m * (levels + high), side)


def _railings(openings: _Openings, floor_z_m: np.ndarray, half_width_m: float) -> list[_Boxes]:
    """French balconies: a top and a bottom rail and balusters in front of each opening (roof slot,
    a dark metal), in front of the frames; `floor_z_m` (N,) is each opening's floor level."""
    o, (bar, rail_height, spacing) = openings, _RAIL
    if len(o.x) == 0:
        return []
    y_out = (_FRAME_PROUD_M + 0.005, PROTRUSION_M)
    rail_width = o.width + 2 * _FRAME_M
    rails = _layer(np.column_stack([np.tile(rail_width, 2), np.full(2 * len(o.x), bar)]), np.tile(o.x, 2), y_out,
                   np.concatenate([floor_z_m + rail_height, floor_z_m + 0.08]), np.tile(o.side, 2), half_width_m,
                   "roof")
    per = int(rail_width[0] // spacing)  # every opening of a facade has one width
    offsets = (np.arange(per) - (per - 1) / 2) * spacing
    upright = rail_height - 0.08 - bar
    count = len(o.x) * per
    balusters = _layer(np.column_stack([np.full(count, bar), np.full(count, upright)]),
                       (o.x[:, None] + offsets).ravel(), y_out, np.repeat(floor_z_m + 0.08 + (bar + upright) / 2, per),
                       np.repeat(o.side, per), half_width_m, "roof")
    return rails + balusters


def _facades(length_m: float, width_m: float, facade_height_m: float, floors: int,
             shop_front: bool, balconies: bool) -> list[_Boxes]:
    """Every opening of both long facades (at y = +-width_m / 2, length along x) with its frame,
    sills, ground floor (a door in the middle bay, or a shop front with a fascia) and balconies."""
    bays = max(1, int(length_m // _BAY_WIDTH_M))
    bay_width, floor_height = length_m / bays, facade_height_m / floors
    xs = -0.5 * length_m + bay_width * (np.arange(bays) + 0.5)
    half = width_m / 2
    window_width = 0.5 * bay_width
    upper = np.arange(1, floors)
    windows = _grid(xs, upper, window_width, floor_height, 0.28, 0.82)
    parts: list[_Boxes] = []
    if balconies and floors > 1:
        french = np.tile(np.broadcast_to(np.arange(bays) % 2 == 0, (len(upper), bays)).ravel(), 2)
        chosen = windows.subset(french)
        floor_z = chosen.z_low - 0.28 * floor_height
        doors_up = _Openings(chosen.x, chosen.width, floor_z + 0.08 * floor_height + _FRAME_M, chosen.z_high,
                             chosen.side)
        parts += _framed(doors_up, half, "window", sill=False) + _railings(doors_up, floor_z, half)
        windows = windows.subset(~french)
    parts += _framed(windows, half, "window", sill=True)
    return parts + _ground_floor(xs, bay_width, floor_height, half, length_m, shop_front)


def _ground_floor(xs: np.ndarray, bay_width_m: float, floor_height_m: float, half_width_m: float,
                  length_m: float, shop_front: bool) -> list[_Boxes]:
    """The ground floor of both facades: a shop window per bay under a fascia band, or windows
    with a door (dark panel, threshold at the ground) in the middle bay."""
    middle = np.arange(len(xs)) == len(xs) // 2
    if shop_front:
        shop = _grid(xs, np.zeros(1), max(0.5 * bay_width_m, bay_width_m - 0.45), floor_height_m, 0.12, 0.7)
        fascia_z = np.full(2, floor_height_m * 0.7 + _FRAME_M + 0.06 + 0.2)
        fascia = _layer(np.array([[length_m - 0.4, 0.4]] * 2), np.zeros(2), (-_GLASS_PROUD_M, PROTRUSION_M),
                        fascia_z, np.array([1.0, -1.0]), half_width_m, "trim")
        return _framed(shop, half_width_m, "window", sill=False) + fascia
    windows = _grid(xs, np.zeros(1), 0.5 * bay_width_m, floor_height_m, 0.28, 0.82)
    door_width = min(1.2, 0.8 * bay_width_m)
    door_top = max(min(2.2, 0.8 * floor_height_m), 3 * _FRAME_M)
    doors = _Openings(np.tile(xs[middle], 2), np.full(2, door_width), np.full(2, _FRAME_M), np.full(2, door_top),
                      np.array([1.0, -1.0]))
    return _framed(windows.subset(~np.tile(middle, 2)), half_width_m, "window", True) + _framed(
        doors, half_width_m, "roof", False)


def build_building(params: Mapping[str, float]) -> MeshData:
    """Block building: facade box, framed windows with sills on both long facades, a door or a
    shop front on the ground floor, optional French balconies, a cornice, a parapet and a roof.

    Params: length_m (x), width_m (y), height_m (parapet top), all metres; floors (rounded to the
    nearest whole number, at least 1, so a uniformly drawn float works); shop_front and balconies
    (>= `FEATURE_THRESHOLD`: a shop front with a fascia instead of ground-floor windows and a door;
    French balconies on every other bay of the upper floors).
    Sills, fascia and cornice stand `PROTRUSION_M` out of the facade on every side.
    Slots: facade (walls, parapet), window (glass), roof (roof slab, doors, railings), trim
    (frames, sills, fascia, cornice).
    """
    length, width, height = params["length_m"], params["width_m"], params["height_m"]
    floor_count = max(1, int(np.floor(params["floors"] + 0.5)))
    thickness, parapet = min(_PARAPET[0], 0.1 * min(length, width)), min(_PARAPET[1], 0.08 * height)
    roof_thickness = min(0.3, 0.05 * height)
    facade_height = height - parapet - roof_thickness
    long_x = length >= width
    run, depth = (length, width) if long_x else (width, length)
    openings = _facades(run, depth, facade_height, floor_count, params["shop_front"] >= FEATURE_THRESHOLD,
                        params["balconies"] >= FEATURE_THRESHOLD)
    if not long_x:  # boxes are symmetric: swapping x and y of sizes and centres mirrors them across x = y
        openings = [(sizes[:, [1, 0, 2]], centers[:, [1, 0, 2]], slot) for sizes, centers, slot in openings]
    top = facade_height + roof_thickness
    cornice = min(_CORNICE_HEIGHT_M, 0.3 * roof_thickness + 0.1)
    walls = np.array([[length, thickness, parapet]] * 2 + [[thickness, width - 2 * thickness, parapet]] * 2)
    wall_centers = np.array([[0.0, (width - thickness) / 2, 0.0], [0.0, -(width - thickness) / 2, 0.0],
                             [(length - thickness) / 2, 0.0, 0.0], [-(length - thickness) / 2, 0.0, 0.0]])
    wall_centers[:, 2] = top + parapet / 2
    shell = [(np.array([[length, width, facade_height]]), np.array([[0.0, 0.0, facade_height / 2]]), "facade"),
             (np.array([[length, width, roof_thickness]]), np.array([[0.0, 0.0, facade_height + roof_thickness / 2]]),
              "roof"),
             (walls, wall_centers, "facade"),
             (np.array([[length + 2 * PROTRUSION_M, width + 2 * PROTRUSION_M, cornice]]),
              np.array([[0.0, 0.0, top - 0.02 - cornice / 2]]), "trim")]  # below the roof's top: no z-fighting
    return _merged_boxes(shell + openings)


def _merged_boxes(groups: list[_Boxes]) -> MeshData:
    """One mesh of every group's boxes, in group order (one `boxes_mesh` call); slots in order
    of first appearance."""
    names: dict[str, int] = {}
    box_slots = np.concatenate([np.full(len(sizes), names.setdefault(slot, len(names))) for sizes, _, slot in groups])
    mesh = boxes_mesh(np.concatenate([g[0] for g in groups]), np.concatenate([g[1] for g in groups]))
    return MeshData(mesh.vertices_m, mesh.loop_vertices, mesh.loop_counts, np.repeat(box_slots, 6), tuple(names))
