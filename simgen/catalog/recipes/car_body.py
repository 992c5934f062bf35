"""A passenger car's body as one closed loft: cross-sections along x sampled from side and plan profiles.

Object frame as in `simgen.catalog.recipes.vehicles`: metres, z up, origin at the centre of the
ground footprint, +x forward, +y to the left. The body is S sections (x from tail to nose) of P
ring points each, a regular grid: its quads come from index arithmetic, its two end caps are
triangle fans. Each section is a rounded two-tier shape: the lower body (floor to belt line,
full width) and the greenhouse (belt line to roof, drawn in by the tumblehome); on the bonnet
and the boot deck the greenhouse is a thin rounded top. The floor rises over each wheel (the
wheel arches). Glass is the greenhouse's window bands: windscreen, side windows, rear window.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from simgen.geometry.mesh import MeshData

BODY_STYLES = ("sedan", "hatchback", "estate", "suv")
"""The car recipe's `body_style` parameter value (rounded) -> style name: its index in this tuple."""


@dataclass(frozen=True)
class _Style:
    """Side profile of one body style, as fractions: u = 0 at the tail, 1 at the nose; z / height.

    Attributes:
        top: ((K,), (K,)) key points (u, top z / height_m) of the body's top line.
        rear_glass: (u start, u end) of the rear window (tail side first).
        windscreen: (u start, u end) of the windscreen (roof side first).
        belt_fraction: belt line height / height_m.
        clearance: floor height between the wheels / wheel radius.
        side_from: u where the side windows begin (they end at the windscreen).
        tumblehome: how much narrower the roof is than the body (fraction).
    """

    top: tuple[tuple[float, ...], tuple[float, ...]]
    rear_glass: tuple[float, float]
    windscreen: tuple[float, float]
    belt_fraction: float
    clearance: float
    side_from: float
    tumblehome: float = 0.2


_STYLES = {name: style for name, style in zip((*BODY_STYLES, "van"), (
    _Style(((0.0, 0.02, 0.06, 0.2, 0.3, 0.42, 0.62, 0.78, 0.9, 0.98, 1.0),
            (0.5, 0.6, 0.64, 0.66, 0.7, 1.0, 1.0, 0.66, 0.61, 0.53, 0.45)), (0.3, 0.42), (0.62, 0.78),
           0.6, 0.45, 0.315),
    _Style(((0.0, 0.02, 0.05, 0.12, 0.2, 0.6, 0.78, 0.9, 0.98, 1.0),
            (0.5, 0.62, 0.78, 0.95, 1.0, 1.0, 0.66, 0.62, 0.54, 0.46)), (0.05, 0.16), (0.6, 0.78),
           0.6, 0.45, 0.065),
    _Style(((0.0, 0.02, 0.04, 0.08, 0.12, 0.62, 0.78, 0.9, 0.98, 1.0),
            (0.52, 0.64, 0.88, 0.98, 1.0, 1.0, 0.66, 0.6, 0.52, 0.45)), (0.04, 0.1), (0.62, 0.78), 0.6, 0.45, 0.055),
    _Style(((0.0, 0.02, 0.04, 0.07, 0.12, 0.64, 0.78, 0.9, 0.98, 1.0),
            (0.55, 0.66, 0.9, 0.99, 1.0, 1.0, 0.72, 0.68, 0.62, 0.52)), (0.04, 0.1), (0.64, 0.78), 0.63, 0.7, 0.055),
    _Style(((0.0, 0.015, 0.7, 0.84, 0.92, 0.98, 1.0), (0.97, 1.0, 1.0, 0.55, 0.5, 0.44, 0.38)),
           (0.0, 0.0), (0.7, 0.84), 0.45, 0.5, 0.56, 0.06),
), strict=True)}
"""Body style name -> side profile; "van" is the `van` recipe's (no rear window, cab windows only)."""

# Half-ring of a section, bottom centre to top centre (y >= 0): (y fraction, z fraction) per point.
# Points 0-5 span the lower body (y of the body half-width, z from floor to belt), 6-11 the
# greenhouse (y of its half-width at that height, z from belt to top).
_LOWER_Y = np.array([0.0, 0.6, 0.93, 1.0, 1.0, 0.98])
_LOWER_Z = np.array([0.0, 0.0, 0.03, 0.25, 0.7, 1.0])
_UPPER_Y = np.array([0.97, 0.96, 0.93, 0.8, 0.45, 0.0])  # of the greenhouse half-width at that height
_UPPER_Z = np.array([0.12, 0.55, 0.9, 0.98, 1.0, 1.0])
_HALF = len(_LOWER_Y) + len(_UPPER_Y)  # 12 half-ring points, so the ring has 2 * 12 - 2 = 22
RING = 2 * _HALF - 2
_MIN_TOP_M = 0.05  # the greenhouse is at least this tall (a rounded top on bonnet and boot)
_ARCH_FACTOR = 1.12  # wheel arch radius / wheel radius
_GAP_M = 0.002  # x gap of the section pairs that make each arch's vertical edges
_SEGMENT_SECTIONS = (6, 11, 16, 11, 6)  # sections: tail overhang, rear arch, between, front arch, nose overhang
_SEGMENT = np.repeat(np.arange(5), _SEGMENT_SECTIONS)  # (S,) segment of every section
_FRACTION = np.concatenate([np.linspace(0.0, 1.0, n) for n in _SEGMENT_SECTIONS])  # (S,) along its segment
_BAND = np.where(np.arange(RING) < _HALF - 1, np.arange(RING), RING - 1 - np.arange(RING))
"""(RING,) the y >= 0 half-ring edge that each ring edge is (edges of the y < 0 half mirror one)."""
_WINDOW_EDGES = np.isin(_BAND, (6, 7))  # (RING,) side-window bands
_ROOF_EDGES = np.isin(_BAND, (9, 10))  # (RING,) roof-centre bands: windscreen / rear window where glazed
for _array in (_SEGMENT, _FRACTION, _BAND, _WINDOW_EDGES, _ROOF_EDGES):
    _array.flags.writeable = False


@dataclass(frozen=True)
class CarBody:
    """The lofted body and the dimensions the other parts are placed from (metres).

    Attributes:
        mesh: the body, slots ("paint", "glass").
        half_width_m: the body's widest half-width.
        belt_m: belt line height.
        ends_m: ((floor z, top z) at the tail, (floor z, top z) at the nose).
        end_half_width_m: half-width of the end sections.
        mirror_x_m: x of the windscreen's base (where the mirrors go).
    """

    mesh: MeshData
    half_width_m: float
    belt_m: float
    ends_m: tuple[tuple[float, float], tuple[float, float]]
    end_half_width_m: float
    mirror_x_m: float


def _sections_x(length_m: float, axle_x_m: float, arch_m: float) -> np.ndarray:
    """(S,) section x positions, tail to nose: denser over the arches, with a section pair
    `_GAP_M` apart at each arch edge (its vertical wall). The end sections are 5 mm inside
    +-length/2, so lights and plates (5 mm proud) end exactly there."""
    end = 0.5 * length_m - 0.005
    a0, a1, b0, b1 = -axle_x_m - arch_m, -axle_x_m + arch_m, axle_x_m - arch_m, axle_x_m + arch_m
    starts = np.array([-end, a0, a1 + _GAP_M, b0, b1 + _GAP_M])
    ends = np.array([a0 - _GAP_M, a1, b0 - _GAP_M, b1, end])
    return starts[_SEGMENT] + (ends - starts)[_SEGMENT] * _FRACTION


def _profiles(x_m: np.ndarray, length_m: float, height_m: float, radius_m: float, axle_x_m: float,
              style: _Style) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(floor z, top z, plan fraction) per section, each (S,): the side and plan profiles."""
    u = x_m / length_m + 0.5
    top = np.interp(u, style.top[0], style.top[1]) * height_m
    top *= height_m / top.max()  # the roof is exactly height_m
    end = np.clip((np.abs(2 * u - 1) - 0.75) / 0.25, 0.0, 1.0)
    floor = style.clearance * radius_m + 0.45 * radius_m * end ** 1.5
    arch = _ARCH_FACTOR * radius_m
    for axle in (-axle_x_m, axle_x_m):
        reach = np.clip(arch ** 2 - (x_m - axle) ** 2, 0.0, None)
        inside = np.abs(x_m - axle) <= arch + 1e-9
        floor = np.where(inside, np.maximum(floor, radius_m + np.sqrt(reach)), floor)
    plan = 1.0 - 0.12 * np.clip((np.abs(2 * u - 1) - 0.7) / 0.3, 0.0, 1.0) ** 2
    return floor, top, plan


def _rings(floor: np.ndarray, top: np.ndarray, plan: np.ndarray, half_width_m: float,
           belt_m: float, tumblehome: float) -> np.ndarray:
    """(S, RING, 2) ring points (y, z) of every section, counter-clockwise seen from the nose."""
    belt = np.minimum(belt_m, top - _MIN_TOP_M)
    half = half_width_m * plan
    glass_height = np.clip((top - belt) / (0.25 * (top.max() - belt_m) + 1e-9), 0.0, 1.0)
    roof_half = half * (1.0 - tumblehome * glass_height)
    lower_y = half[:, None] * _LOWER_Y
    lower_z = floor[:, None] + (belt - floor)[:, None] * _LOWER_Z
    blend = _UPPER_Z  # greenhouse half-width: from the body's at the belt to the roof's at the top
    upper_y = (half[:, None] * (1 - blend) + roof_half[:, None] * blend) * _UPPER_Y
    upper_z = belt[:, None] + (top - belt)[:, None] * _UPPER_Z
    y = np.concatenate([lower_y, upper_y], axis=1)
    z = np.concatenate([lower_z, upper_z], axis=1)
    ring_y = np.concatenate([y, -y[:, -2:0:-1]], axis=1)  # y < 0 half, top to bottom, centre points once
    ring_z = np.concatenate([z, z[:, -2:0:-1]], axis=1)
    return np.stack([ring_y, ring_z], axis=2)


@lru_cache(maxsize=8)
def _loft_topology(sections: int) -> tuple[np.ndarray, np.ndarray]:
    """(loops, counts) of a closed loft: quads section after section, then the tail and nose fans."""
    k = np.arange(RING)
    k1 = (k + 1) % RING
    base = RING * np.arange(sections - 1)[:, None]
    quads = np.stack([base + k, base + k1, base + RING + k1, base + RING + k], axis=2)
    tail, nose, last = sections * RING, sections * RING + 1, (sections - 1) * RING
    fans = np.concatenate([np.stack([np.full(RING, tail), k1, k], axis=1).ravel(),
                           np.stack([np.full(RING, nose), last + k, last + k1], axis=1).ravel()])
    loops = np.concatenate([quads.ravel(), fans])
    counts = np.concatenate([np.full(quads.shape[0] * RING, 4), np.full(2 * RING, 3)])
    loops.flags.writeable = counts.flags.writeable = False
    return loops, counts


def _glass_quads(u_mid: np.ndarray, style: _Style) -> np.ndarray:
    """(S - 1, RING) bool: which loft quads are glass, from the quad's mid u and its ring band."""
    (r0, r1), (w0, w1) = style.rear_glass, style.windscreen
    pillar = np.abs(u_mid - 0.5 * (r1 + w0))  # B pillar, halfway along the greenhouse: at least one quad
    side = (u_mid > style.side_from) & (u_mid < w1 - 0.02) & (pillar > 0.012) & (pillar > pillar.min())
    roof = ((u_mid > r0 + 0.01) & (u_mid < r1)) | ((u_mid > w0) & (u_mid < w1 - 0.01))
    return (side[:, None] & _WINDOW_EDGES) | (roof[:, None] & _ROOF_EDGES)


def car_body(length_m: float, height_m: float, half_width_m: float, radius_m: float, axle_x_m: float,
             style_name: str) -> CarBody:
    """The lofted body of a `style_name` car (`BODY_STYLES` or "van"; sizes in metres): roof top at
    `height_m`, widest at `half_width_m`, arches over wheels of `radius_m` at x = +-`axle_x_m`."""
    style = _STYLES[style_name]
    x = _sections_x(length_m, axle_x_m, _ARCH_FACTOR * radius_m)
    floor, top, plan = _profiles(x, length_m, height_m, radius_m, axle_x_m, style)
    belt_m = style.belt_fraction * height_m
    rings = _rings(floor, top, plan, half_width_m, belt_m, style.tumblehome)
    sections = len(x)
    vertices = np.empty((sections * RING + 2, 3))
    vertices[:-2, 0] = np.repeat(x, RING)
    vertices[:-2, 1:] = rings.reshape(-1, 2)
    for row, s in ((-2, 0), (-1, -1)):  # cap centres, half way up the end sections
        vertices[row] = (x[s], 0.0, 0.5 * (floor[s] + top[s]))
    u = x / length_m + 0.5
    glass = _glass_quads(0.5 * (u[1:] + u[:-1]), style).ravel()
    slots = np.concatenate([glass.astype(np.int32), np.zeros(2 * RING, dtype=np.int32)])
    mesh = MeshData(vertices, *_loft_topology(sections), slots, ("paint", "glass"))
    return CarBody(mesh, half_width_m, belt_m, ((floor[0], top[0]), (floor[-1], top[-1])),
                   half_width_m * plan[0], (style.windscreen[1] - 0.5) * length_m)
