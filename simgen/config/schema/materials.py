"""The `materials` group: user PBR texture sets for the material slots (`simgen/sampling/materials.py`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from simgen.config.fields import dist


@dataclass
class MaterialsConfig:
    """User PBR texture sets for the textured material slots (docs/textures.md,
    `simgen.catalog.texture_sets`, `simgen.sampling.texture_sets`)."""

    pbr_dir: str = ""
    """A folder with one sub-folder per material slot (asphalt, concrete, facade, grass, paint)
    of albedo / normal / roughness maps; empty: procedural surfaces only."""
    pbr_probability: Any = dist(1.0, 0.0, 1.0)
    """Chance that a material of a slot with texture sets gets one (drawn per material)."""
    pbr_tile_m: Any = dist(2.0, 0.01, 1000.0)
    """Edge length of one repeat of the images on the surface, metres."""
