"""Tubes between two points, swept tubes along a polyline with varying radii and cross-section
exponent, and many straight tubes in one mesh, as `MeshData`.

Frames and units as in `simgen.geometry.mesh`: object frame, metres, z up.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from simgen.geometry.mesh import MeshData
from simgen.geometry.primitives.prisms import cylinder_mesh
from simgen.geometry.primitives.topology import frozen_topology, tiled_mesh, unit_ring


def tube_mesh(start_m, end_m, radius_m: float, segments: int = 8, material: str = "default",
              end_radius_m: float | None = None) -> MeshData:
    """A closed cylinder (or truncated cone) from point `start_m` to point `end_m` (metres).

    `radius_m` is the radius at `start_m`; `end_radius_m` (default `radius_m`) the one at `end_m`.
    Useful for limbs, frame tubes and arms at arbitrary orientations.
    """
    start = np.asarray(start_m, dtype=np.float64)
    axis = np.asarray(end_m, dtype=np.float64) - start
    length = float(np.linalg.norm(axis))
    if length <= 0.0:
        raise ValueError("tube_mesh: start_m and end_m coincide")
    tube = cylinder_mesh(radius_m, length, (0.0, 0.0, length / 2), "z", segments, material, end_radius_m)
    return tube.with_vertices(tube.vertices_m @ _rotation_z_to(axis / length).T + start)


def _rotation_z_to(direction: np.ndarray) -> np.ndarray:
    """(3, 3) rotation taking the +z unit vector onto the unit vector `direction` (Rodrigues)."""
    cos_angle = float(direction[2])
    if cos_angle < -1.0 + 1e-12:
        return np.diag([1.0, -1.0, -1.0])
    vx, vy = -float(direction[1]), float(direction[0])
    skew = np.array([[0.0, 0.0, vy], [0.0, 0.0, -vx], [-vy, vx, 0.0]])
    return np.eye(3) + skew + skew @ skew / (1.0 + cos_angle)


@lru_cache(maxsize=128)
def _sweep_topology(count: int, segments: int) -> tuple[np.ndarray, np.ndarray]:
    """(loops, counts) of `sweep_mesh`: the band quads ring after ring, then the caps' triangles
    interleaved (start, end) per segment."""
    ring = np.arange(segments)
    following = (ring + 1) % segments
    base = segments * np.arange(count - 1)[:, None]
    quads = np.stack([base + ring, base + following, base + segments + following, base + segments + ring], axis=2)
    start, end, last = count * segments, count * segments + 1, (count - 1) * segments
    caps = np.stack([np.full(segments, start), following, ring,
                     np.full(segments, end), last + ring, last + following], axis=1)
    loops, counts, _ = frozen_topology(np.concatenate([quads.ravel(), caps.ravel()]),
                               np.array([4] * (segments * (count - 1)) + [3] * (2 * segments)), np.zeros(0))
    return loops, counts


def sweep_mesh(points_m, radii_m, materials: tuple[str, ...], segments: int = 10,
               side_m=(0.0, 1.0, 0.0), exponent: float = 2.0) -> MeshData:
    """A closed, smooth tube swept along a polyline: limbs, torsos, garments.

    Ring k is centred on points_m[k], perpendicular to the polyline's local direction (the
    average of its neighbouring segments, so bends are smooth), with half-axes radii_m[k] =
    (across, along the side direction): `side_m` projected off the direction gives the second
    axis. Rings are superellipses |u|^e + |v|^e = 1 (`exponent` 2 = ellipse, larger = boxier).
    Both ends are closed by a fan to a pole just beyond the end ring, so the tube is watertight.

    Args:
        points_m: (K, 3) ring centres, K >= 2, object frame, metres.
        radii_m: (K, 2) half-axes of each ring, metres (> 0).
        materials: K - 1 slot names, one per band between consecutive rings; the start cap takes
            the first band's slot, the end cap the last band's.
        segments: vertices per ring.
        side_m: (3,) reference direction of each ring's second axis (the person's left for limbs).
        exponent: superellipse exponent, >= 2.
    """
    points = np.asarray(points_m, dtype=np.float64)
    radii = np.asarray(radii_m, dtype=np.float64)
    count = len(points)
    if count < 2 or radii.shape != (count, 2) or len(materials) != count - 1:
        raise ValueError(f"sweep_mesh: {count} points need ({count}, 2) radii and {count - 1} band materials")
    steps = points[1:] - points[:-1]
    steps /= _norms(steps)
    tangents = np.concatenate([steps[:1], steps[:-1] + steps[1:], steps[-1:]])
    tangents /= _norms(tangents)
    side = np.asarray(side_m, dtype=np.float64)
    across_side = side - tangents * (tangents @ side)[:, None]
    across_side /= _norms(across_side)
    across = _cross(across_side, tangents)
    unit = _superellipse(segments, float(exponent))
    vertices = np.empty((count * segments + 2, 3))
    rings = vertices[:-2].reshape(count, segments, 3)
    np.add(points[:, None, :], unit[None, :, 0, None] * (radii[:, 0, None, None] * across[:, None, :]), out=rings)
    rings += unit[None, :, 1, None] * (radii[:, 1, None, None] * across_side[:, None, :])
    end_radii = radii[_ENDS]
    reach = tangents[_ENDS] * 0.3 * np.minimum(end_radii[:, :1], end_radii[:, 1:])  # poles beyond the end rings
    np.subtract(points[0], reach[0], out=vertices[-2])
    np.add(points[-1], reach[1], out=vertices[-1])
    # (across, side, tangent) is right-handed, so rings run counter-clockwise about the tangent and
    # the band quads face outwards.
    slots, face_slots = _sweep_slots(tuple(materials), segments)
    return MeshData(vertices, *_sweep_topology(count, segments), face_slots, slots)


@lru_cache(maxsize=256)
def _sweep_slots(materials: tuple[str, ...], segments: int) -> tuple[tuple[str, ...], np.ndarray]:
    """(slot names, (F,) read-only slot of every `sweep_mesh` polygon): band by band, then the
    caps interleaved (start cap: the first band's slot, end cap: the last band's)."""
    slots = tuple(dict.fromkeys(materials))
    band_slots = np.array([slots.index(name) for name in materials], dtype=np.int32)
    caps = np.empty(2 * segments, dtype=np.int32)
    caps[0::2], caps[1::2] = band_slots[0], band_slots[-1]
    return slots, frozen_topology(np.concatenate([np.repeat(band_slots, segments), caps]))[0]


def _norms(vectors: np.ndarray) -> np.ndarray:
    """(N, 1) Euclidean norms of (N, 3) vectors, rounded as `np.linalg.norm(v, axis=1, keepdims=True)`."""
    return np.sqrt(np.add.reduce(vectors * vectors, axis=1, keepdims=True))


_NEXT, _AFTER = np.array([1, 2, 0]), np.array([2, 0, 1])


_ENDS = np.array([0, -1])


def _cross(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(N, 3) row-wise cross products of (N, 3) arrays, rounded as `np.cross` (which is slower):
    component i is a[i+1] b[i+2] - a[i+2] b[i+1]."""
    out = a[:, _NEXT] * b[:, _AFTER]
    out -= a[:, _AFTER] * b[:, _NEXT]
    return out


@lru_cache(maxsize=64)
def _superellipse(segments: int, exponent: float) -> np.ndarray:
    """(segments, 2) read-only points of |u|^e + |v|^e = 1, counter-clockwise from (1, 0)."""
    angles = np.linspace(0.0, 2 * np.pi, segments, endpoint=False)
    cos, sin = np.cos(angles), np.sin(angles)
    power = 2.0 / exponent
    unit = np.stack([np.sign(cos) * np.abs(cos) ** power, np.sign(sin) * np.abs(sin) ** power], axis=1)
    unit.flags.writeable = False
    return unit


def tubes_mesh(points_m: np.ndarray, radii_m: np.ndarray, segments: int = 6, material: str = "default") -> MeshData:
    """N closed, round swept tubes in one mesh (branches): each tube as `sweep_mesh` builds it
    with circular rings, all computed at once; tube after tube, each's vertices its rings then
    its start and end poles.

    Args:
        points_m: (N, K, 3) ring centres of every tube, K >= 2, object frame, metres.
        radii_m: (N, K) ring radii, metres (> 0).
        segments: vertices per ring.
        material: the slot of every polygon.

    Each tube's rings are oriented from a side direction perpendicular to its chord (first to
    last point), so a tube of any direction gets a well-defined frame.
    """
    points = np.asarray(points_m, dtype=np.float64)
    radii = np.asarray(radii_m, dtype=np.float64)
    count, rings = points.shape[:2]
    if rings < 2 or radii.shape != (count, rings):
        raise ValueError(f"tubes_mesh: points {points.shape} need K >= 2 and radii of shape ({count}, {rings})")
    steps = points[:, 1:] - points[:, :-1]
    steps /= np.sqrt(np.add.reduce(steps * steps, axis=2, keepdims=True))
    tangents = np.concatenate([steps[:, :1], steps[:, :-1] + steps[:, 1:], steps[:, -1:]], axis=1)
    tangents /= np.sqrt(np.add.reduce(tangents * tangents, axis=2, keepdims=True))
    chords = points[:, -1] - points[:, 0]
    steep = chords[:, 2] ** 2 > 0.81 * np.add.reduce(chords * chords, axis=1)
    # side = chord x reference, the reference z (x for steep chords): (-c_y, c_x, 0) or (0, c_z, -c_y)
    side = np.zeros((count, 1, 3))
    side[:, 0, 0] = np.where(steep, 0.0, -chords[:, 1])
    side[:, 0, 1] = np.where(steep, chords[:, 2], chords[:, 0])
    side[:, 0, 2] = np.where(steep, -chords[:, 1], 0.0)
    across_side = side - tangents * np.add.reduce(tangents * side, axis=2, keepdims=True)
    across_side /= np.sqrt(np.add.reduce(across_side * across_side, axis=2, keepdims=True))
    # across = across_side x tangent: (across, side, tangent) right-handed, so quads face outwards
    across = across_side[..., _NEXT] * tangents[..., _AFTER]
    across -= across_side[..., _AFTER] * tangents[..., _NEXT]
    unit = unit_ring(segments)
    per_tube = rings * segments + 2
    vertices = np.empty((count, per_tube, 3))
    ring_vertices = vertices[:, :-2].reshape(count, rings, segments, 3)
    scaled = radii[:, :, None, None]
    np.add(points[:, :, None, :], unit[None, None, :, 0, None] * (scaled * across[:, :, None, :]), out=ring_vertices)
    ring_vertices += unit[None, None, :, 1, None] * (scaled * across_side[:, :, None, :])
    vertices[:, -2] = points[:, 0] - tangents[:, 0] * (0.3 * radii[:, :1])
    vertices[:, -1] = points[:, -1] + tangents[:, -1] * (0.3 * radii[:, -1:])
    loops, counts = _sweep_topology(rings, segments)
    return tiled_mesh(vertices.reshape(-1, 3), loops, counts, count, per_tube, material)
