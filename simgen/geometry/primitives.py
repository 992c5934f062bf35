"""Procedural mesh primitives: boxes, cylinders, spheres, tubes and swept tubes, as `MeshData`.

The building blocks of the recipes (`simgen.catalog.recipes`). Each primitive's polygons come
from a cached, read-only topology template; only the vertices are computed per call.
Frames and units as in `simgen.geometry.mesh`: object frame, metres, z up.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from simgen.geometry.mesh import MeshData


def _frozen(*arrays: np.ndarray) -> tuple[np.ndarray, ...]:
    """The int32 arrays, read-only (topology templates are shared by every mesh built from them)."""
    out = []
    for array in arrays:
        array = np.ascontiguousarray(array, dtype=np.int32).reshape(-1)
        array.flags.writeable = False
        out.append(array)
    return tuple(out)


_BOX_SIGNS = np.array([[[-1, -1, -1], [1, -1, -1], [1, 1, -1], [-1, 1, -1]],
                       [[-1, -1, 1], [1, -1, 1], [1, 1, 1], [-1, 1, 1]]], dtype=np.float64)
_BOX_TOPOLOGY = _frozen(np.array([0, 3, 2, 1, 4, 5, 6, 7, 0, 1, 5, 4, 1, 2, 6, 5, 2, 3, 7, 6, 3, 0, 4, 7]),
                        np.full(6, 4), np.zeros(6))


def box_mesh(size_m, center_m=(0.0, 0.0, 0.0), material: str = "default",
             top_scale: tuple[float, float] = (1.0, 1.0)) -> MeshData:
    """An axis-aligned box (or a frustum, when `top_scale` < 1 shrinks the top face).

    Args:
        size_m: (length x, width y, height z) in metres.
        center_m: centre of the box in the object frame, metres.
        material: material slot name for all six faces.
        top_scale: (x, y) scale of the top face relative to the bottom, for tapered shapes.
    """
    sx, sy, sz = (float(v) / 2 for v in size_m)
    tx, ty = top_scale
    # corners (+-sx, +-sy, -sz) then (+-sx tx, +-sy ty, sz): a sign times a half extent is exact
    vertices = _BOX_SIGNS * np.array([sx, sy, sz, sx * tx, sy * ty, sz]).reshape(2, 1, 3)
    vertices = vertices.reshape(8, 3)
    vertices += np.asarray(center_m, dtype=np.float64)
    return MeshData(vertices, *_BOX_TOPOLOGY, (material,))


def boxes_mesh(size_m, centers_m: np.ndarray, material: str = "default") -> MeshData:
    """N axis-aligned boxes in one mesh: exactly `merge_meshes` of the N
    `box_mesh(size_m[i], centers_m[i], material)`, built at once.

    Args:
        size_m: (length x, width y, height z) of every box, or (N, 3) one size per box, metres.
        centers_m: (N, 3) box centres in the object frame, metres; N >= 1.
        material: material slot name for every face.
    """
    centers = np.asarray(centers_m, dtype=np.float64).reshape(-1, 3)
    count = len(centers)
    sizes = np.asarray(size_m, dtype=np.float64)
    if sizes.ndim == 1:
        unit = box_mesh(size_m).vertices_m[None, :, :]  # centred at the origin: + 0.0 leaves it exact
    else:  # the same products as `box_mesh` (a sign times a half extent), one box per row
        unit = _BOX_SIGNS.reshape(1, 8, 3) * (sizes.reshape(count, 1, 3) / 2)
    loops, counts, slots = _BOX_TOPOLOGY
    loops = (loops[None, :] + 8 * np.arange(count, dtype=np.int32)[:, None]).ravel()
    return MeshData((unit + centers[:, None, :]).reshape(-1, 3), loops, np.tile(counts, count),
                    np.tile(slots, count), (material,))


@lru_cache(maxsize=64)
def _cylinder_topology(segments: int) -> tuple[np.ndarray, ...]:
    """(loops, counts, slots) of `cylinder_mesh`: bottom cap, top cap, then the side quads."""
    ring = np.arange(segments)
    following = (ring + 1) % segments
    sides = np.stack([ring, following, segments + following, segments + ring], axis=1)
    loops = np.concatenate([ring[::-1], segments + ring, sides.ravel()])
    return _frozen(loops, np.array([segments, segments] + [4] * segments), np.zeros(segments + 2))


def cylinder_mesh(radius_m: float, height_m: float, center_m=(0.0, 0.0, 0.0), axis: str = "z",
                  segments: int = 16, material: str = "default", top_radius_m: float | None = None) -> MeshData:
    """A closed cylinder (or truncated cone with `top_radius_m`) along `axis` ('x', 'y' or 'z')."""
    top = radius_m if top_radius_m is None else top_radius_m
    ring = _unit_ring(segments)
    half = height_m / 2
    if axis not in ("x", "y", "z"):
        raise ValueError(f"axis must be 'x', 'y' or 'z', got {axis!r}")
    vertices = np.empty((2 * segments, 3))
    np.multiply(ring, radius_m, out=vertices[:segments, :2])
    np.multiply(ring, top, out=vertices[segments:, :2])
    vertices[:segments, 2] = -half
    vertices[segments:, 2] = half
    if axis != "z":
        vertices = vertices[:, _AXIS_COLUMNS[axis]]
    vertices += np.asarray(center_m, dtype=np.float64)
    return MeshData(vertices, *_cylinder_topology(segments), (material,))


_AXIS_COLUMNS = {"x": [2, 0, 1], "y": [1, 2, 0]}
"""Cylinder axis -> the columns of a z-axis cylinder that become x, y, z."""


@lru_cache(maxsize=64)
def _unit_ring(segments: int) -> np.ndarray:
    """(segments, 2) read-only (cos, sin) of `segments` angles evenly spaced from 0, counter-clockwise."""
    angles = np.linspace(0.0, 2 * np.pi, segments, endpoint=False)
    ring = np.stack([np.cos(angles), np.sin(angles)], axis=1)
    ring.flags.writeable = False
    return ring


@lru_cache(maxsize=64)
def _sphere_template(rings: int, segments: int) -> tuple[tuple[np.ndarray, ...], tuple[np.ndarray, ...]]:
    """((cos theta, sin theta) per inner ring, (cos phi, sin phi) per segment), and the topology
    (loops, counts, slots) of `sphere_mesh`: the bottom fan, the ring quads, the top fan."""
    theta = [np.pi * r / rings - np.pi / 2 for r in range(1, rings)]
    phi = [2 * np.pi * s / segments for s in range(segments)]
    # Scalar np.cos / np.sin, as the per-vertex loop of the original builder evaluated them, so the
    # vertices stay bit-identical (vectorized ufuncs may round differently in the last place).
    angles = tuple(np.array([function(value) for value in values])
                   for values in (theta, phi) for function in (np.cos, np.sin))
    ring = np.arange(segments)
    following = (ring + 1) % segments
    top = 1 + (rings - 1) * segments
    bottom = np.stack([np.zeros(segments, dtype=np.int64), 1 + following, 1 + ring], axis=1)
    bases = 1 + segments * np.arange(rings - 2)[:, None]
    quads = np.stack([bases + ring, bases + following, bases + following + segments, bases + ring + segments], axis=2)
    last = 1 + (rings - 2) * segments
    cap = np.stack([last + ring, last + following, np.full(segments, top)], axis=1)
    loops = np.concatenate([bottom.ravel(), quads.ravel(), cap.ravel()])
    counts = np.array([3] * segments + [4] * (segments * (rings - 2)) + [3] * segments)
    return angles, _frozen(loops, counts, np.zeros(len(counts)))


def sphere_mesh(radius_m: float, center_m=(0.0, 0.0, 0.0), rings: int = 8, segments: int = 12,
                material: str = "default", scale=(1.0, 1.0, 1.0)) -> MeshData:
    """A UV sphere (an ellipsoid with `scale`), poles on the z axis.

    Vertices: the bottom pole, `rings` - 1 rings of `segments` (bottom to top, counter-clockwise
    about +z from +x), the top pole.
    """
    (cos_theta, sin_theta, cos_phi, sin_phi), topology = _sphere_template(rings, segments)
    vertices = np.empty((2 + (rings - 1) * segments, 3))
    vertices[0] = (0.0, 0.0, -radius_m)
    vertices[-1] = (0.0, 0.0, radius_m)
    ring_radius = radius_m * cos_theta
    inner = vertices[1:-1].reshape(rings - 1, segments, 3)
    inner[:, :, 0] = ring_radius[:, None] * cos_phi
    inner[:, :, 1] = ring_radius[:, None] * sin_phi
    inner[:, :, 2] = (radius_m * sin_theta)[:, None]
    vertices = vertices * np.asarray(scale, dtype=np.float64) + np.asarray(center_m, dtype=np.float64)
    return MeshData(vertices, *topology, (material,))


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
    loops, counts, _ = _frozen(np.concatenate([quads.ravel(), caps.ravel()]),
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
    return slots, _frozen(np.concatenate([np.repeat(band_slots, segments), caps]))[0]


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
    unit = _unit_ring(segments)
    per_tube = rings * segments + 2
    vertices = np.empty((count, per_tube, 3))
    ring_vertices = vertices[:, :-2].reshape(count, rings, segments, 3)
    scaled = radii[:, :, None, None]
    np.add(points[:, :, None, :], unit[None, None, :, 0, None] * (scaled * across[:, :, None, :]), out=ring_vertices)
    ring_vertices += unit[None, None, :, 1, None] * (scaled * across_side[:, :, None, :])
    vertices[:, -2] = points[:, 0] - tangents[:, 0] * (0.3 * radii[:, :1])
    vertices[:, -1] = points[:, -1] + tangents[:, -1] * (0.3 * radii[:, -1:])
    loops, counts = _sweep_topology(rings, segments)
    return _tiled(vertices.reshape(-1, 3), loops, counts, count, per_tube, material)


def _tiled(vertices_m: np.ndarray, loops: np.ndarray, counts: np.ndarray, copies: int, per_copy: int,
           material: str) -> MeshData:
    """`copies` copies of one topology (`per_copy` vertices each) over consecutive vertex blocks."""
    offsets = per_copy * np.arange(copies, dtype=np.int32)
    tiled = (loops[None, :] + offsets[:, None]).ravel()
    return MeshData(vertices_m, tiled, np.tile(counts, copies), np.zeros(copies * len(counts), dtype=np.int32),
                    (material,))


@lru_cache(maxsize=4)
def unit_icosphere(subdivisions: int) -> tuple[np.ndarray, np.ndarray]:
    """((V, 3) read-only unit vertices, (T * 3,) read-only int32 corners of T outward triangles)
    of an icosahedron whose triangles are split `subdivisions` times into four (V = 12, 42, 162)."""
    golden = (1.0 + 5.0 ** 0.5) / 2
    points = [(-1, golden, 0), (1, golden, 0), (-1, -golden, 0), (1, -golden, 0), (0, -1, golden), (0, 1, golden),
              (0, -1, -golden), (0, 1, -golden), (golden, 0, -1), (golden, 0, 1), (-golden, 0, -1), (-golden, 0, 1)]
    vertices = [np.array(p, dtype=np.float64) / np.linalg.norm(p) for p in points]
    triangles = [(0, 11, 5), (0, 5, 1), (0, 1, 7), (0, 7, 10), (0, 10, 11), (1, 5, 9), (5, 11, 4), (11, 10, 2),
                 (10, 7, 6), (7, 1, 8), (3, 9, 4), (3, 4, 2), (3, 2, 6), (3, 6, 8), (3, 8, 9), (4, 9, 5),
                 (2, 4, 11), (6, 2, 10), (8, 6, 7), (9, 8, 1)]
    for _ in range(subdivisions):
        midpoints: dict[tuple[int, int], int] = {}
        split = []
        for corners in triangles:
            middle = []
            for a, b in zip(corners, corners[1:] + corners[:1], strict=True):
                key = (min(a, b), max(a, b))
                if key not in midpoints:
                    point = vertices[a] + vertices[b]
                    vertices.append(point / np.linalg.norm(point))
                    midpoints[key] = len(vertices) - 1
                middle.append(midpoints[key])
            (a, b, c), (ab, bc, ca) = corners, middle
            split += [(a, ab, ca), (b, bc, ab), (c, ca, bc), (ab, bc, ca)]
        triangles = split
    unit = np.array(vertices)
    unit.flags.writeable = False
    return unit, _frozen(np.array(triangles))[0]


def blobs_mesh(centers_m: np.ndarray, radii_m: np.ndarray, bumps: np.ndarray | None = None,
               material: str = "default", subdivisions: int = 1) -> MeshData:
    """N closed, lumpy ellipsoids (leaf clusters, bushes) in one mesh, one `unit_icosphere`
    each: vertex v of blob n is centers_m[n] + radii_m[n] * unit[v] * (1 + bumps[n, v]).

    Args:
        centers_m: (N, 3) blob centres, object frame, metres.
        radii_m: (N, 3) semi-axes along x, y, z, metres (> 0).
        bumps: (N, V) relative radial displacement of every vertex (> -1; None: smooth).
        material: the slot of every triangle.
        subdivisions: of the icosphere (V = 12, 42, 162 for 0, 1, 2).
    """
    unit, loops = unit_icosphere(subdivisions)
    centers = np.asarray(centers_m, dtype=np.float64).reshape(-1, 3)
    count = len(centers)
    shape = unit[None, :, :] * np.asarray(radii_m, dtype=np.float64).reshape(-1, 1, 3)
    if bumps is not None:
        shape *= 1.0 + np.asarray(bumps, dtype=np.float64)[:, :, None]
    vertices = (shape + centers[:, None, :]).reshape(-1, 3)
    return _tiled(vertices, loops, np.full(len(loops) // 3, 3, dtype=np.int32), count, len(unit), material)
