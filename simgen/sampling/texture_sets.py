"""Texture-set sampler: which materials of a frame wear a user PBR texture set
(`materials.pbr_dir`, loaded into `Catalog.texture_sets` by `simgen.catalog.texture_sets`).

Drawn from the frame's own 'textures' stream, after every other concern has sampled its
materials, so a run without `pbr_dir` draws nothing here and its frames stay what they were.
Per material of a slot that has sets, in prop order (scenery, then traffic and obstacles) and
slot order, always four draws: whether it gets a set (`pbr_probability`), which set (uniform),
its tile size (`pbr_tile_m`) and its offset; the number of draws depends only on which props
and slots the frame has.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import numpy as np

from simgen.catalog.texture_sets import TextureSet
from simgen.config.schema import MaterialsConfig
from simgen.specs import MaterialSpec, PbrSpec, PropSpec

PBR_OFFSET_RANGE_M = (0.0, 1000.0)
def pbr_slot(prop: PropSpec, slot: str) -> str | None:
    """The texture-set slot (`simgen.catalog.texture_sets.PBR_SLOTS`) of material `slot` of
    `prop`, or None: 'road', 'sidewalk', 'ground' (the 'surface' of the layout props named road,
    sidewalk*, ground; the names `simgen.blender.build` gives surface roles by), 'facade', 'paint'."""
    if slot == "surface":
        if prop.name in ("road", "ground"):
            return prop.name
        return "sidewalk" if prop.name.startswith("sidewalk") else None
    return slot if slot in ("facade", "paint") else None


def sample_pbr(cfg: MaterialsConfig, sets: tuple[TextureSet, ...], rng: np.random.Generator) -> PbrSpec | None:
    """One material's texture set (None: it keeps its procedural surface)."""
    use = rng.uniform() < float(cfg.pbr_probability.sample(rng))
    chosen = sets[int(rng.integers(len(sets)))]
    tile = float(cfg.pbr_tile_m.sample(rng))
    offset = float(rng.uniform(*PBR_OFFSET_RANGE_M))
    if not use:
        return None
    return PbrSpec(name=chosen.label, albedo_path=chosen.albedo, normal_path=chosen.normal,
                   roughness_path=chosen.roughness, albedo_linear=chosen.albedo_linear, sha256=chosen.sha256,
                   tile_m=tile, offset_m=offset)


def _with_sets(cfg: MaterialsConfig, prop: PropSpec, sets: Mapping[str, tuple[TextureSet, ...]],
               rng: np.random.Generator) -> PropSpec:
    materials: dict[str, MaterialSpec] = {}
    for slot, material in sorted(prop.materials.items()):
        kind = pbr_slot(prop, slot)
        pbr = sample_pbr(cfg, sets[kind], rng) if kind in sets else None
        materials[slot] = dataclasses.replace(material, pbr=pbr) if pbr is not None else material
    if all(materials[slot] is prop.materials[slot] for slot in materials):
        return prop
    return dataclasses.replace(prop, materials={slot: materials[slot] for slot in prop.materials})


def sample_texture_sets(cfg: MaterialsConfig, props: tuple[PropSpec, ...],
                        sets: Mapping[str, tuple[TextureSet, ...]], rng: np.random.Generator) -> tuple[PropSpec, ...]:
    """`props` with texture sets drawn onto the materials of the slots in `sets` (the props
    themselves when `sets` is empty: no draws)."""
    if not sets:
        return props
    return tuple(_with_sets(cfg, prop, sets, rng) for prop in props)
