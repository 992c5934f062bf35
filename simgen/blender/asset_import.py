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
from simgen.geometry.mesh import MeshData

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


def _merge_evaluated(objects: list, unit_scale_m: float, path: str, where: str) -> MeshData:
    depsgraph = bpy.context.evaluated_depsgraph_get()
    vertices: list[np.ndarray] = []
    faces: list[tuple[int, ...]] = []
    face_material: list[int] = []
    slots: list[str] = []
    offset = 0
    for obj in objects:
        if obj.type != "MESH":
            continue
        evaluated = obj.evaluated_get(depsgraph)
        mesh = evaluated.to_mesh()
        try:
            coords = np.empty(len(mesh.vertices) * 3, dtype=np.float64)
            mesh.vertices.foreach_get("co", coords)
            matrix = np.array(obj.matrix_world, dtype=np.float64)
            local = coords.reshape(-1, 3)
            vertices.append(local @ matrix[:3, :3].T + matrix[:3, 3])
            names = [slot.material.name if slot.material else "default" for slot in obj.material_slots] or ["default"]
            slot_index = []
            for name in names:
                if name not in slots:
                    slots.append(name)
                slot_index.append(slots.index(name))
            for polygon in mesh.polygons:
                faces.append(tuple(offset + v for v in polygon.vertices))
                face_material.append(slot_index[min(polygon.material_index, len(slot_index) - 1)])
            offset += len(mesh.vertices)
        finally:
            evaluated.to_mesh_clear()
    if not faces:
        kinds = sorted({obj.type for obj in objects}) or ["nothing"]
        raise AssetError(f"{where}: {path!r} holds no mesh geometry (found: {', '.join(kinds)})")
    merged = np.concatenate(vertices, axis=0) * unit_scale_m
    low, high = merged.min(axis=0), merged.max(axis=0)
    merged -= np.array([(low[0] + high[0]) / 2, (low[1] + high[1]) / 2, low[2]])
    return MeshData(merged, tuple(faces), tuple(face_material), tuple(slots))
