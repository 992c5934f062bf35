"""Import user asset files (glTF/GLB, OBJ, FBX, .blend) into pure `MeshData`.

The file is imported into a scratch scene with Blender's own importers, every mesh object is
evaluated (modifiers applied) in world space, and the result becomes one `MeshData` in the
simgen object frame: metres (times the entry's `unit_scale_m`), z up, origin at the centre of the
ground footprint, the lowest point at z = 0. Each of the file's materials becomes a slot named
after it; the catalog maps those names to simgen material slots. From then on the asset is
geometry like any procedural recipe: placement, amodal labels and the builder need no file.
"""

from __future__ import annotations

import bpy
import numpy as np

from simgen.errors import AssetError
from simgen.geometry.mesh import MeshData, merge_meshes

FORMATS = {".obj": "obj", ".gltf": "gltf", ".glb": "gltf", ".fbx": "fbx", ".blend": "blend"}
_ADDONS = {"gltf": "io_scene_gltf2", "fbx": "io_scene_fbx"}


def _import(path: str, kind: str, up_axis: str) -> None:
    if kind in _ADDONS:
        import addon_utils  # importable only once bpy is (it lives in Blender's scripts/modules)

        addon_utils.enable(_ADDONS[kind], default_set=True)
    if kind == "obj":
        bpy.ops.wm.obj_import(filepath=path, up_axis=up_axis.upper(),
                              forward_axis="NEGATIVE_Z" if up_axis.upper() == "Y" else "Y")
    elif kind == "gltf":
        bpy.ops.import_scene.gltf(filepath=path)  # glTF is Y-up by specification
    elif kind == "fbx":
        bpy.ops.import_scene.fbx(filepath=path, axis_up=up_axis.upper(),
                                 axis_forward="-Z" if up_axis.upper() == "Y" else "Y")
    else:
        with bpy.data.libraries.load(path, link=False) as (source, target):
            target.objects = list(source.objects)
        for obj in target.objects:
            if obj is not None:
                bpy.context.scene.collection.objects.link(obj)


def import_mesh_file(path: str, unit_scale_m: float, up_axis: str, where: str) -> MeshData:
    """Import `path` and return its merged mesh geometry.

    Args:
        path: the asset file.
        unit_scale_m: metres per file unit (0.01 for a file in centimetres).
        up_axis: the file's up axis, 'y' or 'z' (OBJ and FBX; glTF is always Y-up, .blend Z-up).
        where: catalog entry description for error messages.

    Raises:
        AssetError: unknown format, the importer failed, or the file holds no mesh geometry.
    """
    suffix = path[path.rfind("."):].lower() if "." in path else ""
    if suffix not in FORMATS:
        raise AssetError(f"{where}: file {path!r} has an unsupported format; allowed: {', '.join(FORMATS)}")
    # Import into the current scene, then remove everything the importer created, so the
    # session (and the next factory reset) is left as it was.
    kinds = ("objects", "meshes", "materials", "images", "cameras", "lights", "collections", "actions",
             "armatures")
    before = {kind: set(getattr(bpy.data, kind)) for kind in kinds}
    try:
        try:
            _import(path, FORMATS[suffix], up_axis)
        except (RuntimeError, OSError) as error:
            raise AssetError(f"{where}: Blender could not import {path!r}: {str(error).strip()[:300]}") from error
        imported = [obj for obj in bpy.data.objects if obj not in before["objects"]]
        return _merge_evaluated(imported, unit_scale_m, path, where)
    finally:
        for kind in kinds:
            created = [item for item in getattr(bpy.data, kind) if item not in before[kind]]
            if created:
                bpy.data.batch_remove(created)


def _evaluated_mesh(obj, depsgraph) -> MeshData:
    """One mesh object's evaluated geometry in the world frame (file units), its slots by material name."""
    evaluated = obj.evaluated_get(depsgraph)
    mesh = evaluated.to_mesh()
    try:
        coords = np.empty(len(mesh.vertices) * 3, dtype=np.float64)
        mesh.vertices.foreach_get("co", coords)
        loops = np.empty(len(mesh.loops), dtype=np.int32)
        mesh.loops.foreach_get("vertex_index", loops)
        counts = np.empty(len(mesh.polygons), dtype=np.int32)
        mesh.polygons.foreach_get("loop_total", counts)
        starts = np.empty(len(mesh.polygons), dtype=np.int32)
        mesh.polygons.foreach_get("loop_start", starts)
        slots = np.empty(len(mesh.polygons), dtype=np.int32)
        mesh.polygons.foreach_get("material_index", slots)
    finally:
        evaluated.to_mesh_clear()
    matrix = np.array(obj.matrix_world, dtype=np.float64)
    names = [slot.material.name if slot.material else "default" for slot in obj.material_slots] or ["default"]
    # polygons in polygon order, whatever order their loops are stored in
    loops = loops[np.repeat(starts, counts) + np.arange(len(loops)) - np.repeat(np.cumsum(counts) - counts, counts)]
    return MeshData(coords.reshape(-1, 3) @ matrix[:3, :3].T + matrix[:3, 3], loops, counts,
                    np.minimum(slots, len(names) - 1), tuple(names))


def _merge_evaluated(objects: list, unit_scale_m: float, path: str, where: str) -> MeshData:
    depsgraph = bpy.context.evaluated_depsgraph_get()
    parts = [_evaluated_mesh(obj, depsgraph) for obj in objects if obj.type == "MESH"]
    if not sum(part.face_count for part in parts):
        kinds = sorted({obj.type for obj in objects}) or ["nothing"]
        raise AssetError(f"{where}: {path!r} holds no mesh geometry (found: {', '.join(kinds)})")
    merged = merge_meshes(parts)
    vertices = merged.vertices_m * unit_scale_m
    low, high = vertices.min(axis=0), vertices.max(axis=0)
    return merged.with_vertices(vertices - np.array([(low[0] + high[0]) / 2, (low[1] + high[1]) / 2, low[2]]))
