"""Pure triangle/polygon meshes: the data that procedural asset recipes produce.

A `MeshData` is built in numpy, without Blender, so recipes are unit-testable and their
geometry can be projected for labels (e.g. amodal boxes) without asking Blender.
`simgen.blender.build` turns it into a `bpy` mesh.

Frames and units: object frame, metres, z up, the object's local origin at the centre of its
ground footprint (so placing an object at `location_m` puts it on its support surface), +x is
the object's forward direction (a car drives along +x when `yaw_deg` = 0).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class MeshData:
    """A polygon mesh with one material slot per polygon.

    Attributes:
        vertices_m: (V, 3) float64, object frame, metres.
        faces: tuple of polygons; each a tuple of >= 3 vertex indices, counter-clockwise seen
            from outside (outward normals).
        face_material: (F,) int tuple, index into `materials` for each face.
        materials: slot names, e.g. ("paint", "glass", "tire"); the builder maps each slot name
            to a material described in the object's spec.
    """

    vertices_m: np.ndarray
    faces: tuple[tuple[int, ...], ...]
    face_material: tuple[int, ...]
    materials: tuple[str, ...]

    def __post_init__(self) -> None:
        if self.vertices_m.ndim != 2 or self.vertices_m.shape[1] != 3:
            raise ValueError(f"vertices_m must be (V, 3), got {self.vertices_m.shape}")
        if len(self.faces) != len(self.face_material):
            raise ValueError("faces and face_material differ in length")

    @property
    def bounds_m(self) -> tuple[np.ndarray, np.ndarray]:
        """Axis-aligned bounds (min xyz, max xyz) in the object frame, metres."""
        return self.vertices_m.min(axis=0), self.vertices_m.max(axis=0)


def merge_meshes(parts: list[MeshData]) -> MeshData:
    """Concatenate meshes into one; material slots with the same name are shared."""
    materials: list[str] = []
    vertices: list[np.ndarray] = []
    faces: list[tuple[int, ...]] = []
    face_material: list[int] = []
    offset = 0
    for part in parts:
        slot_map = []
        for name in part.materials:
            if name not in materials:
                materials.append(name)
            slot_map.append(materials.index(name))
        vertices.append(part.vertices_m)
        faces.extend(tuple(i + offset for i in face) for face in part.faces)
        face_material.extend(slot_map[m] for m in part.face_material)
        offset += len(part.vertices_m)
    return MeshData(
        vertices_m=np.concatenate(vertices, axis=0),
        faces=tuple(faces),
        face_material=tuple(face_material),
        materials=tuple(materials),
    )


def transform_mesh(mesh: MeshData, translation_m=(0.0, 0.0, 0.0), yaw_deg: float = 0.0,
                   pitch_deg: float = 0.0, roll_deg: float = 0.0) -> MeshData:
    """Rotate (roll about x, then pitch about y, then yaw about z) and translate a mesh."""
    rotation = rotation_matrix_xyz(roll_deg, pitch_deg, yaw_deg)
    vertices = mesh.vertices_m @ rotation.T + np.asarray(translation_m, dtype=np.float64)
    return MeshData(vertices, mesh.faces, mesh.face_material, mesh.materials)


def rotation_matrix_xyz(roll_deg: float, pitch_deg: float, yaw_deg: float) -> np.ndarray:
    """(3, 3) float64 rotation R = Rz(yaw) @ Ry(pitch) @ Rx(roll) (Blender's XYZ Euler order)."""
    rx, ry, rz = np.deg2rad([roll_deg, pitch_deg, yaw_deg])
    cx, sx, cy, sy, cz, sz = np.cos(rx), np.sin(rx), np.cos(ry), np.sin(ry), np.cos(rz), np.sin(rz)
    rot_x = np.array([[1, 0, 0], [0, cx, -sx], [0, sx, cx]])
    rot_y = np.array([[cy, 0, sy], [0, 1, 0], [-sy, 0, cy]])
    rot_z = np.array([[cz, -sz, 0], [sz, cz, 0], [0, 0, 1]])
    return rot_z @ rot_y @ rot_x


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
    vertices = np.array([
        [-sx, -sy, -sz], [sx, -sy, -sz], [sx, sy, -sz], [-sx, sy, -sz],
        [-sx * tx, -sy * ty, sz], [sx * tx, -sy * ty, sz], [sx * tx, sy * ty, sz], [-sx * tx, sy * ty, sz],
    ]) + np.asarray(center_m, dtype=np.float64)
    faces = ((0, 3, 2, 1), (4, 5, 6, 7), (0, 1, 5, 4), (1, 2, 6, 5), (2, 3, 7, 6), (3, 0, 4, 7))
    return MeshData(vertices, faces, (0,) * 6, (material,))


def cylinder_mesh(radius_m: float, height_m: float, center_m=(0.0, 0.0, 0.0), axis: str = "z",
                  segments: int = 16, material: str = "default", top_radius_m: float | None = None) -> MeshData:
    """A closed cylinder (or truncated cone with `top_radius_m`) along `axis` ('x', 'y' or 'z')."""
    top = radius_m if top_radius_m is None else top_radius_m
    angles = np.linspace(0.0, 2 * np.pi, segments, endpoint=False)
    ring = np.stack([np.cos(angles), np.sin(angles)], axis=1)
    half = height_m / 2
    bottom_ring = np.column_stack([ring * radius_m, np.full(segments, -half)])
    top_ring = np.column_stack([ring * top, np.full(segments, half)])
    vertices = np.concatenate([bottom_ring, top_ring], axis=0)
    faces = [tuple(range(segments - 1, -1, -1)), tuple(range(segments, 2 * segments))]
    for i in range(segments):
        j = (i + 1) % segments
        faces.append((i, j, segments + j, segments + i))
    if axis == "x":
        vertices = vertices[:, [2, 0, 1]]
    elif axis == "y":
        vertices = vertices[:, [1, 2, 0]]
    elif axis != "z":
        raise ValueError(f"axis must be 'x', 'y' or 'z', got {axis!r}")
    vertices = vertices + np.asarray(center_m, dtype=np.float64)
    return MeshData(vertices, tuple(faces), (0,) * len(faces), (material,))


def sphere_mesh(radius_m: float, center_m=(0.0, 0.0, 0.0), rings: int = 8, segments: int = 12,
                material: str = "default", scale=(1.0, 1.0, 1.0)) -> MeshData:
    """A UV sphere (an ellipsoid with `scale`), poles on the z axis."""
    vertices = [[0.0, 0.0, -radius_m]]
    for r in range(1, rings):
        theta = np.pi * r / rings - np.pi / 2
        for s in range(segments):
            phi = 2 * np.pi * s / segments
            vertices.append([radius_m * np.cos(theta) * np.cos(phi),
                             radius_m * np.cos(theta) * np.sin(phi), radius_m * np.sin(theta)])
    vertices.append([0.0, 0.0, radius_m])
    top_index = len(vertices) - 1
    faces: list[tuple[int, ...]] = []
    for s in range(segments):
        faces.append((0, 1 + (s + 1) % segments, 1 + s))
    for r in range(rings - 2):
        base = 1 + r * segments
        for s in range(segments):
            a, b = base + s, base + (s + 1) % segments
            faces.append((a, b, b + segments, a + segments))
    last = 1 + (rings - 2) * segments
    for s in range(segments):
        faces.append((last + s, last + (s + 1) % segments, top_index))
    array = np.asarray(vertices) * np.asarray(scale, dtype=np.float64) + np.asarray(center_m, dtype=np.float64)
    return MeshData(array, tuple(faces), (0,) * len(faces), (material,))


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
    vertices = tube.vertices_m @ _rotation_z_to(axis / length).T + start
    return MeshData(vertices, tube.faces, tube.face_material, tube.materials)


def _rotation_z_to(direction: np.ndarray) -> np.ndarray:
    """(3, 3) rotation taking the +z unit vector onto the unit vector `direction` (Rodrigues)."""
    cos_angle = float(direction[2])
    if cos_angle < -1.0 + 1e-12:
        return np.diag([1.0, -1.0, -1.0])
    vx, vy = -float(direction[1]), float(direction[0])
    skew = np.array([[0.0, 0.0, vy], [0.0, 0.0, -vx], [-vy, vx, 0.0]])
    return np.eye(3) + skew + skew @ skew / (1.0 + cos_angle)


def triangle_indices(faces: tuple[tuple[int, ...], ...]) -> np.ndarray:
    """(T, 3) int64 vertex indices: each polygon split into a fan of triangles (exact for the
    convex polygons the recipes build; tests/unit checks that every recipe's faces are)."""
    triangles = [(face[0], face[i], face[i + 1]) for face in faces for i in range(1, len(face) - 1)]
    return np.asarray(triangles, dtype=np.int64).reshape(-1, 3)


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
    steps = np.diff(points, axis=0)
    steps /= np.linalg.norm(steps, axis=1, keepdims=True)
    tangents = np.concatenate([steps[:1], steps[:-1] + steps[1:], steps[-1:]])
    tangents /= np.linalg.norm(tangents, axis=1, keepdims=True)
    side = np.asarray(side_m, dtype=np.float64)
    across_side = side - tangents * (tangents @ side)[:, None]
    across_side /= np.linalg.norm(across_side, axis=1, keepdims=True)
    across = np.cross(across_side, tangents)
    angles = np.linspace(0.0, 2 * np.pi, segments, endpoint=False)
    cos, sin = np.cos(angles), np.sin(angles)
    power = 2.0 / exponent
    unit = np.stack([np.sign(cos) * np.abs(cos) ** power, np.sign(sin) * np.abs(sin) ** power], axis=1)
    rings = (points[:, None, :] + unit[None, :, 0, None] * (radii[:, 0, None, None] * across[:, None, :])
             + unit[None, :, 1, None] * (radii[:, 1, None, None] * across_side[:, None, :]))
    poles = np.array([points[0] - tangents[0] * 0.3 * radii[0].min(),
                      points[-1] + tangents[-1] * 0.3 * radii[-1].min()])
    vertices = np.concatenate([rings.reshape(-1, 3), poles])
    slots = tuple(dict.fromkeys(materials))
    faces: list[tuple[int, ...]] = []
    face_material: list[int] = []
    for k in range(count - 1):
        for s in range(segments):
            t = (s + 1) % segments
            faces.append((k * segments + s, k * segments + t, (k + 1) * segments + t, (k + 1) * segments + s))
            face_material.append(slots.index(materials[k]))
    start, end, last = count * segments, count * segments + 1, (count - 1) * segments
    for s in range(segments):
        t = (s + 1) % segments
        faces += [(start, t, s), (end, last + s, last + t)]
        face_material += [slots.index(materials[0]), slots.index(materials[-1])]
    # (across, side, tangent) is right-handed, so rings run counter-clockwise about the tangent and
    # the band quads above face outwards.
    return MeshData(vertices, tuple(faces), tuple(face_material), slots)
