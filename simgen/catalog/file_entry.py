"""User asset files in the catalog: validated, imported once, then used like a recipe.

A catalog entry with `file:` instead of `recipe:`::

    deer_scan:
      category: deer
      file: models/deer.glb        # relative to the catalog file (glTF/GLB, OBJ, FBX, .blend)
      unit_scale_m: 1.0            # metres per file unit (0.01 for centimetres)
      up_axis: y                   # the file's up axis for OBJ/FBX (glTF is Y-up, .blend Z-up)
      materials: {Fur: clothing_top, Eyes: glass}   # file material -> simgen material slot
      params: {scale: [0.9, 1.1]}  # a uniform size factor drawn per object

At catalog load the file is checked (exists, imports, has mesh geometry, plausible size) and
its bytes hashed into the catalog hash (lineage); its geometry is registered in
`simgen.catalog.prop_mesh` as recipe `file:<entry>`, so placement, labels and the builder use it
exactly like a procedural recipe. File materials mapped to a simgen slot are randomized like
that slot; unmapped ones render neutral grey.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from simgen.errors import AssetError
from simgen.geometry.mesh import MeshData

FILE_KEYS = {"category", "file", "unit_scale_m", "up_axis", "materials", "params", "weight"}

MeshImporter = Callable[[str, float, str, str], MeshData]
"""(file path, metres per file unit, up axis "y"|"z", where for messages) -> object-frame mesh.

The entry points pass Blender's importers (`simgen.blender.import_asset_mesh`); the catalog
itself never imports Blender."""


def register_file_asset(name: str, body: Mapping[str, Any], catalog_path: Path, where: str,
                        import_mesh: MeshImporter | None) -> tuple[str, str]:
    """Import an entry's file with `import_mesh` and register it as recipe 'file:<name>'.

    Returns:
        (recipe name, sha256 of the file's bytes).

    Raises:
        AssetError: unknown keys, a missing/unreadable/corrupt/empty file, bad options, or no
            importer (a command that loads the catalog without Blender).
    """
    from simgen.catalog.prop_mesh import register_file_recipe
    from simgen.catalog.recipes import Recipe

    unknown = set(body) - FILE_KEYS
    if unknown:
        raise AssetError(f"{where}: unknown keys {sorted(unknown)}; allowed: {', '.join(sorted(FILE_KEYS))}")
    file_path = (catalog_path.parent / str(body["file"])).resolve()
    try:
        digest = hashlib.sha256(file_path.read_bytes()).hexdigest()
    except OSError as error:
        raise AssetError(f"{where}: cannot read asset file {str(file_path)!r}: {error.strerror or error}") from error
    scale = body.get("unit_scale_m", 1.0)
    if isinstance(scale, bool) or not isinstance(scale, (int, float)) or not 1e-4 <= scale <= 1000:
        raise AssetError(f"{where}: unit_scale_m: got {scale!r}; allowed: metres per file unit in [0.0001, 1000] "
                         "(0.001 for millimetres, 0.01 for centimetres, 1 for metres)")
    up_axis = str(body.get("up_axis", "y")).lower()
    if up_axis not in ("y", "z"):
        raise AssetError(f"{where}: up_axis: got {up_axis!r}; allowed: y, z")
    mapping = body.get("materials") or {}
    if not isinstance(mapping, Mapping):
        raise AssetError(f"{where}: materials: got {mapping!r}; allowed: a mapping file material -> simgen slot")
    if import_mesh is None:
        raise AssetError(f"{where}: a file entry needs Blender to read its mesh, and this command loads the "
                         "catalog without it")
    mesh = import_mesh(str(file_path), float(scale), up_axis, where)
    slots = tuple(str(mapping.get(slot, slot)) for slot in mesh.materials)
    mesh = dataclasses.replace(mesh, materials=slots)
    recipe_name = f"file:{name}"

    def build_mesh(params: Mapping[str, float]) -> MeshData:
        extra = set(params) - {"scale"}
        if extra:
            raise ValueError(f"asset file {name!r} has no parameter(s) {sorted(extra)}; known: scale")
        factor = float(params.get("scale", 1.0))
        if not np.isfinite(factor) or factor <= 0:
            raise ValueError(f"asset file {name!r}: parameter 'scale' must be positive, got {factor}")
        return mesh.with_vertices(mesh.vertices_m * factor)

    register_file_recipe(Recipe(recipe_name, build_mesh, {"scale": 1.0}, f"user asset file {file_path.name}"))
    return recipe_name, digest
