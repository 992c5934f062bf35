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
from functools import cached_property
from itertools import chain

import numpy as np

_INDEX = np.dtype(np.int32)


@dataclass(frozen=True, eq=False)
class MeshData:
    """A polygon mesh with one material slot per polygon, stored as flat arrays.

    Polygons are stored as Blender stores them: their corners (loops) one after another in
    `loop_vertices`, with `loop_counts` corners each, so merging is concatenation plus an index
    offset, triangle fans are vectorized and the Blender builder feeds `foreach_set` directly.

    Attributes:
        vertices_m: (V, 3) float64, object frame, metres.
        loop_vertices: (L,) int32 vertex index of every polygon corner, polygon after polygon;
            each polygon's corners run counter-clockwise seen from outside (outward normals).
        loop_counts: (F,) int32 corners per polygon (>= 3); sums to L.
        face_slots: (F,) int32 index into `materials` of every polygon.
        materials: slot names, e.g. ("paint", "glass", "tire"); the builder maps each slot name
            to a material described in the object's spec.

    Meshes are shared through caches and their arrays with the meshes derived from them
    (`with_vertices`, `transform_mesh`): never modify the arrays in place.
    """

    vertices_m: np.ndarray
    loop_vertices: np.ndarray
    loop_counts: np.ndarray
    face_slots: np.ndarray
    materials: tuple[str, ...]

    def __post_init__(self) -> None:
        # Cheap checks only: meshes are built by the thousand per frame. Index ranges, polygon
        # sizes and `loop_counts` summing to L are checked for every recipe by
        # tests/unit/test_mesh_regression.py.
        if self.vertices_m.ndim != 2 or self.vertices_m.shape[1] != 3:
            raise ValueError(f"vertices_m must be (V, 3), got {self.vertices_m.shape}")
        for name, value in (("loop_vertices", self.loop_vertices), ("loop_counts", self.loop_counts),
                            ("face_slots", self.face_slots)):
            if type(value) is not np.ndarray or value.dtype is not _INDEX or value.ndim != 1:
                object.__setattr__(self, name, np.asarray(value, dtype=np.int32).reshape(-1))
        if len(self.loop_counts) != len(self.face_slots):
            raise ValueError("loop_counts and face_slots differ in length")

    @classmethod
    def from_faces(cls, vertices_m: np.ndarray, faces, face_material, materials) -> MeshData:
        """A mesh from polygons given as sequences of vertex indices and one slot index per polygon."""
        counts = np.fromiter(map(len, faces), dtype=np.int32, count=len(faces))
        loops = np.fromiter(chain.from_iterable(faces), dtype=np.int32, count=int(counts.sum()))
        if len(counts) != len(face_material):
            raise ValueError("faces and face_material differ in length")
        return cls(np.asarray(vertices_m, dtype=np.float64), loops, counts,
                   np.asarray(face_material, dtype=np.int32), tuple(materials))

    def with_vertices(self, vertices_m: np.ndarray) -> MeshData:
        """The same polygons and slots on new (V, 3) vertices (metres)."""
        return MeshData(vertices_m, self.loop_vertices, self.loop_counts, self.face_slots, self.materials)

    @property
    def face_count(self) -> int:
        """F, the number of polygons."""
        return len(self.loop_counts)

    @cached_property
    def loop_starts(self) -> np.ndarray:
        """(F,) int32 index into `loop_vertices` of every polygon's first corner."""
        starts = np.zeros(len(self.loop_counts), dtype=np.int32)
        np.cumsum(self.loop_counts[:-1], out=starts[1:])
        return starts

    @cached_property
    def faces(self) -> tuple[tuple[int, ...], ...]:
        """The polygons as tuples of vertex indices (slow: for tests and small meshes)."""
        loops = self.loop_vertices.tolist()
        return tuple(tuple(loops[start:start + count])
                     for start, count in zip(self.loop_starts.tolist(), self.loop_counts.tolist(), strict=True))

    @cached_property
    def face_material(self) -> tuple[int, ...]:
        """`face_slots` as a tuple of ints."""
        return tuple(self.face_slots.tolist())

    @property
    def bounds_m(self) -> tuple[np.ndarray, np.ndarray]:
        """Axis-aligned bounds (min xyz, max xyz) in the object frame, metres. Reduced column by
        column: numpy reduces the columns of a (V, 3) array along axis 0 several times slower."""
        x, y, z = self.vertices_m.T
        return np.array([x.min(), y.min(), z.min()]), np.array([x.max(), y.max(), z.max()])


def fit_to_box(mesh: MeshData, size_m: tuple[float | None, float | None, float]) -> MeshData:
    """The mesh scaled about the object origin along x and y so that its extents are `size_m`
    (None: kept), and along z so that it spans [0, size_m[2]] (metres)."""
    low, high = mesh.bounds_m
    vertices = mesh.vertices_m.copy()
    for axis, size in enumerate(size_m[:2]):
        if size is not None:
            vertices[:, axis] *= size / (high[axis] - low[axis])
    vertices[:, 2] = (vertices[:, 2] - low[2]) * (size_m[2] / (high[2] - low[2]))
    return mesh.with_vertices(vertices)


def merge_meshes(parts: list[MeshData]) -> MeshData:
    """Concatenate meshes into one, polygons in part order; material slots with the same name are
    shared, in order of first appearance."""
    materials: dict[str, int] = {}
    slot_maps: list[int] = []  # every part's local slot -> merged slot, part after part
    map_starts, vertex_offsets, loop_lengths, face_counts = [], [], [], []
    vertex_count = 0
    for part in parts:
        map_starts.append(len(slot_maps))
        slot_maps.extend([materials.setdefault(name, len(materials)) for name in part.materials])
        vertex_offsets.append(vertex_count)
        vertex_count += len(part.vertices_m)
        loop_lengths.append(len(part.loop_vertices))
        face_counts.append(len(part.face_slots))
    loops = np.concatenate([part.loop_vertices for part in parts])
    loops += np.repeat(np.array(vertex_offsets, dtype=np.int32), loop_lengths)
    local_slots = np.concatenate([part.face_slots for part in parts])
    local_slots += np.repeat(np.array(map_starts, dtype=np.int32), face_counts)
    return MeshData(np.concatenate([part.vertices_m for part in parts]), loops,
                    np.concatenate([part.loop_counts for part in parts]),
                    np.array(slot_maps, dtype=np.int32)[local_slots], tuple(materials))


def transform_mesh(mesh: MeshData, translation_m=(0.0, 0.0, 0.0), yaw_deg: float = 0.0,
                   pitch_deg: float = 0.0, roll_deg: float = 0.0) -> MeshData:
    """Rotate (roll about x, then pitch about y, then yaw about z) and translate a mesh."""
    rotation = rotation_matrix_xyz(roll_deg, pitch_deg, yaw_deg)
    return mesh.with_vertices(mesh.vertices_m @ rotation.T + np.asarray(translation_m, dtype=np.float64))


def flip_faces(mesh: MeshData) -> MeshData:
    """The mesh with every polygon's corners in reverse order (normals flipped), first corner last."""
    owner = np.repeat(np.arange(mesh.face_count), mesh.loop_counts)
    last = (mesh.loop_starts + mesh.loop_counts - 1)[owner]
    corner = np.arange(len(mesh.loop_vertices)) - mesh.loop_starts[owner]
    return MeshData(mesh.vertices_m, mesh.loop_vertices[last - corner], mesh.loop_counts, mesh.face_slots,
                    mesh.materials)


def rotation_matrix_xyz(roll_deg: float, pitch_deg: float, yaw_deg: float) -> np.ndarray:
    """(3, 3) float64 rotation R = Rz(yaw) @ Ry(pitch) @ Rx(roll) (Blender's XYZ Euler order)."""
    angles = np.deg2rad([roll_deg, pitch_deg, yaw_deg])
    (cx, cy, cz), (sx, sy, sz) = np.cos(angles).tolist(), np.sin(angles).tolist()
    rot_x = np.array([[1.0, 0.0, 0.0], [0.0, cx, -sx], [0.0, sx, cx]])
    rot_y = np.array([[cy, 0.0, sy], [0.0, 1.0, 0.0], [-sy, 0.0, cy]])
    rot_z = np.array([[cz, -sz, 0.0], [sz, cz, 0.0], [0.0, 0.0, 1.0]])
    return rot_z @ rot_y @ rot_x


def triangle_indices(mesh: MeshData) -> np.ndarray:
    """(T, 3) int64 vertex indices: each polygon split into a fan of triangles from its first
    corner, polygon after polygon (exact for the convex polygons the recipes build;
    tests/unit checks that every recipe's faces are)."""
    fans = mesh.loop_counts - 2
    first_corner = mesh.loop_starts
    # triangle t of a polygon whose fan starts at triangle t0 uses its corners 0, t - t0 + 1, t - t0 + 2
    second_corner = np.arange(int(fans.sum()), dtype=np.int32)
    second_corner += np.repeat(first_corner - (np.cumsum(fans) - fans) + 1, fans)
    triangles = np.empty((len(second_corner), 3), dtype=np.int64)
    triangles[:, 0] = mesh.loop_vertices[np.repeat(first_corner, fans)]
    triangles[:, 1] = mesh.loop_vertices[second_corner]
    triangles[:, 2] = mesh.loop_vertices[second_corner + 1]
    return triangles
