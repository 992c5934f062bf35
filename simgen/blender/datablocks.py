"""How much Blender data the current session holds: for soak and memory diagnostics
(`bench/soak_memory.py`), never used to render."""

from __future__ import annotations

import bpy

COLLECTIONS = ("meshes", "objects", "materials", "node_groups", "images", "textures")
"""The `bpy.data` collections that a long run could grow: what the scene pools and caches hold."""


def datablock_counts() -> dict[str, int]:
    """The number of datablocks in each of `COLLECTIONS`, by collection name."""
    return {name: len(getattr(bpy.data, name)) for name in COLLECTIONS}
