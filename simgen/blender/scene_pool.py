"""What a persistent scene keeps between frames: meshes cached by recipe parameters and a pool of
mesh objects that are re-used (moved, re-meshed, re-parameterized) instead of rebuilt.

Keys are generic: a mesh is identified by (recipe name, its parameters, the materials of its
slots), so any recipe in the catalog is cached without knowing anything about it, and two props
with the same key in a frame share one mesh datablock (Cycles instances it: one BVH per mesh).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable, Mapping

import bpy
import numpy as np

from simgen.geometry.mesh import MeshData

MESH_CACHE_SIZE = 512
"""Meshes kept after the frame that last used them (least recently used are removed first)."""
SPARE_OBJECTS = 64
"""Pooled objects kept unlinked beyond what the current frame needed."""


def mesh_key(recipe: str, params: Mapping[str, float], materials: tuple[str, ...],
             context: Hashable = ()) -> tuple[Hashable, ...]:
    """The cache key of a recipe mesh: recipe, sorted parameters, the names of the materials the
    prop asks for, and whatever else decides its slots' materials (`context`)."""
    return (recipe, tuple(sorted(params.items())), materials, context)


def build_mesh(name: str, mesh_data: MeshData, materials: list[bpy.types.Material],
               uv: tuple[str, np.ndarray] | None = None) -> bpy.types.Mesh:
    """A Blender mesh from pure `MeshData` (object frame, metres), one material slot per entry;
    with `uv` = (name, (L, 2) float32 per-corner coordinates), a UV map of that name.

    The arrays go straight into the mesh's attributes: `Attribute.data.foreach_set` copies a
    buffer, while `MeshLoop.vertex_index` / `MeshPolygon.material_index` through
    `foreach_set` are set item by item (100x slower, measured with bench/recipe_meshes.py).
    `.corner_vert` is the attribute behind `MeshLoop.vertex_index` since Blender 4.0; polygons
    are stored as offsets, so `loop_start` alone fixes every polygon's size (`loop_total`).
    """
    mesh = bpy.data.meshes.new(name)
    mesh.vertices.add(len(mesh_data.vertices_m))
    mesh.attributes["position"].data.foreach_set("vector", mesh_data.vertices_m.astype(np.float32).ravel())
    mesh.loops.add(len(mesh_data.loop_vertices))
    mesh.attributes[".corner_vert"].data.foreach_set("value", mesh_data.loop_vertices)
    mesh.polygons.add(mesh_data.face_count)
    mesh.polygons.foreach_set("loop_start", mesh_data.loop_starts)
    for material in materials:
        mesh.materials.append(material)
    mesh.attributes.new("material_index", "INT", "FACE").data.foreach_set("value", mesh_data.face_slots)
    if uv is not None:
        mesh.uv_layers.new(name=uv[0]).uv.foreach_set("vector", np.ascontiguousarray(uv[1], np.float32).ravel())
    # No `mesh.validate()`: MeshData polygons are valid by construction (>= 3 distinct in-range
    # corners, no repeated polygon; tests/unit/test_mesh_regression.py checks every recipe, and
    # tests/blender/test_mesh_build.py that validate() finds nothing to fix in the built meshes).
    # update() derives the edges.
    mesh.update()
    return mesh


class MeshCache:
    """Blender meshes by `mesh_key`, least recently used last; `end_frame` trims it."""

    def __init__(self, capacity: int = MESH_CACHE_SIZE) -> None:
        self._meshes: OrderedDict[tuple, tuple[bpy.types.Mesh, tuple[str, ...]]] = OrderedDict()
        self._used: set[tuple] = set()
        self.capacity = capacity
        self.hits = self.misses = 0

    def get(self, key: tuple) -> tuple[bpy.types.Mesh, tuple[str, ...]] | None:
        """(mesh, its slot names) or None."""
        mesh = self._meshes.get(key)
        if mesh is not None:
            self._meshes.move_to_end(key)
            self.hits += 1
        else:
            self.misses += 1
        self._used.add(key)
        return mesh

    def put(self, key: tuple, mesh: bpy.types.Mesh, slots: tuple[str, ...]) -> None:
        self._meshes[key] = (mesh, slots)
        self._used.add(key)

    def end_frame(self, removed_materials: set[str]) -> list[bpy.types.Mesh]:
        """Meshes to remove: those using a removed material, then the least recently used
        beyond `capacity`; none that this frame used."""
        stale = [key for key, (mesh, _) in self._meshes.items() if key not in self._used
                 and removed_materials.intersection(m.name for m in mesh.materials if m is not None)]
        removed = [self._meshes.pop(key)[0] for key in stale]
        excess = len(self._meshes) - max(self.capacity, len(self._used))
        for key in list(self._meshes):
            if excess <= 0:
                break
            if key not in self._used:
                removed.append(self._meshes.pop(key)[0])
                excess -= 1
        self._used = set()
        return removed


class ObjectPool:
    """Mesh objects re-used across frames, linked into the scene collection in spec order.

    Each frame starts by unlinking every pooled object; `take` hands out one per prop,
    preferring an object that already shows the wanted mesh, and links it. Unlinked objects
    are not in the depsgraph, so they cost the render nothing.
    """

    def __init__(self) -> None:
        self._free: dict[str, list[bpy.types.Object]] = {}
        """Free objects by the name of the mesh they show ("" for none)."""
        self._taken: list[tuple[str, bpy.types.Object]] = []
        self._created = 0

    def begin_frame(self, scene: bpy.types.Scene) -> None:
        objects = scene.collection.objects
        for mesh_name, obj in self._taken:
            objects.unlink(obj)
            if obj.animation_data is not None:
                obj.animation_data_clear()
            self._free.setdefault(mesh_name, []).append(obj)
        self._taken = []

    def take(self, mesh: bpy.types.Mesh, scene: bpy.types.Scene) -> bpy.types.Object:
        """A pooled object showing `mesh`, linked into `scene` after the ones taken before."""
        name = mesh.name if mesh.name in self._free else next(iter(self._free), None)
        if name is not None:
            objs = self._free[name]
            obj = objs.pop()
            if not objs:
                del self._free[name]
            if name != mesh.name:
                obj.data = mesh
        else:
            self._created += 1
            obj = bpy.data.objects.new(f"prop_{self._created:05d}", mesh)
        scene.collection.objects.link(obj)
        self._taken.append((mesh.name, obj))
        return obj

    def end_frame(self, removed_meshes: set[str]) -> list[bpy.types.Object]:
        """Free objects to remove: those showing a mesh about to be removed (Blender deletes an
        object whose mesh is deleted), then the spares beyond SPARE_OBJECTS."""
        doomed = [obj for name in removed_meshes & self._free.keys() for obj in self._free.pop(name)]
        spare = sum(len(objs) for objs in self._free.values()) - SPARE_OBJECTS
        for name in list(self._free):
            if spare <= 0:
                break
            objs = self._free.pop(name)
            doomed.extend(objs)
            spare -= len(objs)
        return doomed

    def __len__(self) -> int:
        return sum(len(objs) for objs in self._free.values()) + len(self._taken)
