"""The `building` recipe: a block with framed windows, sills, doors or shop fronts, French
balconies, a cornice and a parapet (pure numpy: every part is an axis-aligned box, and all the
boxes of a building are one batched `boxes_mesh` call, no Python loop per window).

Object frame: metres, z up, origin at the centre of the ground footprint (z = 0 is the ground
contact); the building's length runs along its longer side, the two long facades carry the
openings (at y = +-width / 2 when length_m >= width_m). Builders take a complete, validated
parameter mapping (see `simgen.catalog.prop_mesh.get_recipe`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace

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


_SLOTS = ("facade", "roof", "trim", "window")
_FACADE, _ROOF, _TRIM, _WINDOW = range(4)


@dataclass(frozen=True)
class _Openings:
    """Rectangular openings of the two long facades, one row each: (N,) arrays (x centre, width,
    bottom and top of the panel, metres; side: +1 facade y > 0, -1 facade y < 0; panel: index
    into `_SLOTS` of the panel, glass or a door; sill: whether a sill is under the frame)."""

    x: np.ndarray
    width: np.ndarray
    z_low: np.ndarray
    z_high: np.ndarray
    side: np.ndarray
    panel: np.ndarray
    sill: np.ndarray

    def subset(self, keep: np.ndarray) -> _Openings:
        return _Openings(*(getattr(self, f.name)[keep] for f in fields(self)))


def _joined(parts: list[_Openings]) -> _Openings:
    return _Openings(*(np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(_Openings)))


_Boxes = tuple[np.ndarray, np.ndarray, np.ndarray]
"""Axis-aligned boxes: (N, 3) sizes and (N, 3) centres (object frame, metres), (N,) `_SLOTS` indices."""


def _layer(size_x, size_z, x: np.ndarray, y_out: tuple[float, float], z, side: np.ndarray,
           half_width_m: float, slots) -> _Boxes:
    """Boxes of x/z sizes (scalars or (N,)) centred at (x, z) on the facades, spanning y_out
    (inner, outer) metres outward of the facade plane at side * half_width_m."""
    sizes, centers = np.empty((len(x), 3)), np.empty((len(x), 3))
    sizes[:, 0], sizes[:, 1], sizes[:, 2] = size_x, y_out[1] - y_out[0], size_z
    centers[:, 0], centers[:, 1], centers[:, 2] = x, side * (half_width_m + (y_out[0] + y_out[1]) / 2), z
    return sizes, centers, slots if isinstance(slots, np.ndarray) else np.full(len(x), slots, dtype=np.int32)


def _framed(o: _Openings, half_width_m: float) -> list[_Boxes]:
    """Panels in the openings, a frame of 4 bars round each (trim) and sills (trim) where asked."""
    f, height, mid = _FRAME_M, o.z_high - o.z_low, (o.z_low + o.z_high) / 2
    bars = np.full(len(o.x), f)
    s = o.sill
    return [
        _layer(o.width, height, o.x, (-_GLASS_PROUD_M, _GLASS_PROUD_M), mid, o.side, half_width_m, o.panel),
        _layer(np.concatenate([o.width + 2 * f, o.width + 2 * f, bars, bars]),
               np.concatenate([bars, bars, height, height]),
               np.concatenate([o.x, o.x, o.x - (o.width + f) / 2, o.x + (o.width + f) / 2]),
               (-_GLASS_PROUD_M, _FRAME_PROUD_M), np.concatenate([o.z_high + f / 2, o.z_low - f / 2, mid, mid]),
               np.tile(o.side, 4), half_width_m, _TRIM),
        _layer(o.width[s] + 2 * (f + _SILL[0]), _SILL[1], o.x[s], (-_GLASS_PROUD_M, PROTRUSION_M),
               o.z_low[s] - f - _SILL[1] / 2, o.side[s], half_width_m, _TRIM),
    ]


def _grid(xs: np.ndarray, floor_index: np.ndarray, width_m: float, floor_height_m: float,
          low: float, high: float, panel: int, sill: bool) -> _Openings:
    """Openings at every (floor, x) pair of both facades (+y first, then floors, then x), the
    panel from `low` to `high` floor heights above each floor."""
    levels = np.tile(np.repeat(floor_index, len(xs)), 2).astype(np.float64)
    count = len(levels)
    return _Openings(np.tile(xs, 2 * len(floor_index)), np.full(count, width_m), floor_height_m * (levels + low),
                     floor_height_m * (levels + high), np.repeat([1.0, -1.0], count // 2),
                     np.full(count, panel, dtype=np.int32), np.full(count, sill))


def _railings(o: _Openings, floor_z_m: np.ndarray, half_width_m: float) -> list[_Boxes]:
    """French balconies: a top and a bottom rail and balusters in front of each opening (roof slot,
    a dark metal), in front of the frames; `floor_z_m` (N,) is each opening's floor level."""
    bar, rail_height, spacing = _RAIL
    y_out = (_FRAME_PROUD_M + 0.005, PROTRUSION_M)
    rail_width = o.width + 2 * _FRAME_M
    per = int(rail_width[0] // spacing) if len(o.x) else 0  # every opening of a facade has one width
    offsets = (np.arange(per) - (per - 1) / 2) * spacing
    upright = rail_height - 0.08 - bar
    return [_layer(np.tile(rail_width, 2), bar, np.tile(o.x, 2), y_out,
                   np.concatenate([floor_z_m + rail_height, floor_z_m + 0.08]), np.tile(o.side, 2), half_width_m,
                   _ROOF),
            _layer(bar, upright, (o.x[:, None] + offsets).ravel(), y_out,
                   np.repeat(floor_z_m + 0.08 + (bar + upright) / 2, per), np.repeat(o.side, per), half_width_m, _ROOF)]


def _facades(length_m: float, width_m: float, facade_height_m: float, floors: int,
             shop_front: bool, balconies: bool) -> list[_Boxes]:
    """Every opening of both long facades (at y = +-width_m / 2, length along x) with its frame,
    sills, ground floor (a door in the middle bay, or a shop front with a fascia) and balconies."""
    bays = max(1, int(length_m // _BAY_WIDTH_M))
    bay_width, floor_height = length_m / bays, facade_height_m / floors
    xs = -0.5 * length_m + bay_width * (np.arange(bays) + 0.5)
    half = width_m / 2
    windows = _grid(xs, np.arange(1, floors), 0.5 * bay_width, floor_height, 0.28, 0.82, _WINDOW, True)
    railings: list[_Boxes] = []
    if balconies and floors > 1:
        french = np.tile(np.arange(bays) % 2 == 0, 2 * (floors - 1))
        chosen = windows.subset(french)
        floor_z = chosen.z_low - 0.28 * floor_height
        doors_up = replace(chosen, z_low=floor_z + 0.08 * floor_height + _FRAME_M, sill=np.zeros(len(floor_z), bool))
        railings = _railings(doors_up, floor_z, half)
        windows = _joined([windows.subset(~french), doors_up])
    ground, fascia = _ground_floor(xs, bay_width, floor_height, half, length_m, shop_front)
    return _framed(_joined([windows, ground]), half) + railings + fascia


def _ground_floor(xs: np.ndarray, bay_width_m: float, floor_height_m: float, half_width_m: float,
                  length_m: float, shop_front: bool) -> tuple[_Openings, list[_Boxes]]:
    """The ground floor's openings of both facades and its fascia boxes: a shop window per bay
    under a fascia band, or windows with a door (dark panel, threshold at the ground) in the
    middle bay and no fascia."""
    if shop_front:
        shop = _grid(xs, np.zeros(1, int), max(0.5 * bay_width_m, bay_width_m - 0.45), floor_height_m, 0.12, 0.7,
                     _WINDOW, False)
        fascia = _layer(length_m - 0.4, 0.4, np.zeros(2), (-_GLASS_PROUD_M, PROTRUSION_M),
                        floor_height_m * 0.7 + _FRAME_M + 0.26, np.array([1.0, -1.0]), half_width_m, _TRIM)
        return shop, [fascia]
    windows = _grid(xs, np.zeros(1, int), 0.5 * bay_width_m, floor_height_m, 0.28, 0.82, _WINDOW, True)
    middle = np.arange(len(xs)) == len(xs) // 2
    door_top = max(min(2.2, 0.8 * floor_height_m), 3 * _FRAME_M)
    doors = _Openings(np.tile(xs[middle], 2), np.full(2, min(1.2, 0.8 * bay_width_m)), np.full(2, _FRAME_M),
                      np.full(2, door_top), np.array([1.0, -1.0]), np.full(2, _ROOF, dtype=np.int32), np.zeros(2, bool))
    return _joined([windows.subset(~np.tile(middle, 2)), doors]), []


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
        openings = [(sizes[:, [1, 0, 2]], centers[:, [1, 0, 2]], slots) for sizes, centers, slots in openings]
    top = facade_height + roof_thickness
    cornice = min(_CORNICE_HEIGHT_M, 0.3 * roof_thickness + 0.1)
    walls = np.array([[length, thickness, parapet]] * 2 + [[thickness, width - 2 * thickness, parapet]] * 2)
    wall_centers = np.array([[0.0, (width - thickness) / 2, 0.0], [0.0, -(width - thickness) / 2, 0.0],
                             [(length - thickness) / 2, 0.0, 0.0], [-(length - thickness) / 2, 0.0, 0.0]])
    wall_centers[:, 2] = top + parapet / 2
    shell = (np.array([[length, width, facade_height], [length, width, roof_thickness],
                       *walls, [length + 2 * PROTRUSION_M, width + 2 * PROTRUSION_M, cornice]]),
             np.array([[0.0, 0.0, facade_height / 2], [0.0, 0.0, facade_height + roof_thickness / 2],
                       *wall_centers, [0.0, 0.0, top - 0.02 - cornice / 2]]),  # cornice below the roof's top
             np.array([_FACADE, _ROOF, _FACADE, _FACADE, _FACADE, _FACADE, _TRIM], dtype=np.int32))
    return _merged_boxes([shell, *openings])


def _merged_boxes(groups: list[_Boxes]) -> MeshData:
    """One mesh of every group's boxes, in group order (one `boxes_mesh` call), slots `_SLOTS`."""
    mesh = boxes_mesh(np.concatenate([g[0] for g in groups]), np.concatenate([g[1] for g in groups]))
    slots = np.repeat(np.concatenate([g[2] for g in groups]), 6)
    return MeshData(mesh.vertices_m, mesh.loop_vertices, mesh.loop_counts, slots, _SLOTS)

