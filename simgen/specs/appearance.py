"""Appearance specs: the materials of a prop's slots and the user PBR texture sets on them."""

from __future__ import annotations

from dataclasses import dataclass

from simgen.specs.recording import when_set

TextureParam = tuple[str, float | tuple[float, float, float]]
"""One named procedural-texture parameter: a float, or a linear RGB colour."""


@dataclass(frozen=True)
class PbrSpec:
    """A user PBR texture set on a material (`materials.pbr_dir`, `simgen.catalog.texture_sets`).

    Attributes:
        name: '<slot>/<set>' inside `materials.pbr_dir`.
        albedo_path, normal_path, roughness_path: absolute paths of the maps ('' for a map the
            set does not have: flat normal, the material's own roughness).
        albedo_linear: the albedo is linear (OpenEXR) rather than sRGB-encoded.
        sha256: digest of the set's files (lineage).
        tile_m: edge length of one repeat of the images on the surface, metres.
        offset_m: shift of the images on the surface (varies the look between materials), metres.
    """

    name: str
    albedo_path: str
    normal_path: str
    roughness_path: str
    albedo_linear: bool
    sha256: str
    tile_m: float
    offset_m: float


@dataclass(frozen=True)
class MaterialSpec:
    """A Principled BSDF material. Colours are linear RGB in [0, 1].

    `texture` names a procedural surface built on top of the base values ('flat': none; see
    `simgen.sampling.materials.TEXTURES` for the others and `simgen.blender.textures` for
    the shader nodes). `texture_params` are its sampled parameters as (name, value) pairs in
    name order, with units in the names (`crack_cell_m`, `dirt_height_m`), so the spec stays
    hashable and JSON-friendly.
    """

    base_color_rgb: tuple[float, float, float]
    roughness: float
    metallic: float = 0.0
    emission_strength: float = 0.0
    emission_color_rgb: tuple[float, float, float] = (1.0, 1.0, 1.0)
    texture: str = "flat"
    texture_params: tuple[TextureParam, ...] = ()
    pbr: PbrSpec | None = when_set(None)  # type: ignore[assignment]

    def texture_param(self, name: str) -> float | tuple[float, float, float]:
        """The value of one texture parameter (KeyError if the texture has none of that name)."""
        return dict(self.texture_params)[name]
