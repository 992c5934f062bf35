"""The asset catalog: every asset simgen can place, its category and how it is built.

The catalog lives in `assets/catalog.yaml` (packaged as `simgen.assets`). Each entry names a
procedural recipe from `assets/recipes` and the ranges of its parameters:

    sedan:
      category: car            # a label category from labels.categories, or null for scenery
      recipe: car
      params: {length_m: [4.2, 4.9], height_m: 1.45}   # [low, high] uniform, or a constant
      # or a range per unit of an earlier parameter: {per: height_m, range: [0.235, 0.275]}
      weight: 1.0              # optional: relative frequency among the entries of its category

A `{per: other, range: [low, high]}` parameter is drawn uniformly in [low, high] and multiplied
by the already drawn `other`, so proportions hold whatever the size (a pedestrian's shoulder
width per unit of height).

Loading validates every entry (known recipe, known parameters, low <= high, and a mesh that
builds with non-empty, plausibly sized geometry), so a broken catalog is an `AssetError` that
names the entry before anything renders.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from simgen.catalog.environments import Environment, environments_sha256, load_environments
from simgen.catalog.file_entry import MeshImporter, register_file_asset
from simgen.catalog.prop_mesh import get_recipe, has_recipe, known_recipes, recipe_mesh
from simgen.catalog.texture_sets import TextureSet, load_texture_sets, texture_sets_sha256
from simgen.config.schema import SimgenConfig
from simgen.errors import AssetError, closest_name
from simgen.geometry.mesh import MeshData

MAX_PLAUSIBLE_SIZE_M = 200.0
MIN_PLAUSIBLE_SIZE_M = 0.01
"""An asset's largest side must lie in [MIN, MAX]: smaller is a wrong unit scale, not a road object."""


@dataclass(frozen=True)
class RangePer:
    """A parameter drawn uniformly in [low, high] per unit of the entry's earlier parameter `per`
    (catalog syntax `{per: height_m, range: [low, high]}`): value = U(low, high) x params[per]."""

    per: str
    low: float
    high: float


ParamRange = float | tuple[float, float] | RangePer
"""A catalog parameter: a constant, a (low, high) uniform range, or a range per unit of another."""


@dataclass(frozen=True)
class AssetEntry:
    """One catalog entry. `params` maps a recipe parameter to a `ParamRange`, in the catalog's
    order; `weight` (> 0) is how often it is picked relative to the other entries of its category."""

    name: str
    category: str | None
    recipe: str
    params: Mapping[str, ParamRange]
    weight: float = 1.0


@dataclass(frozen=True)
class Catalog:
    """The assets of a run: catalog entries, the HDRI environments of `lighting.hdri_dir` and
    the PBR texture sets of `materials.pbr_dir` (slot -> sets).

    `sha256` covers all three (the catalog files' bytes, file assets, environment and map files)."""

    entries: Mapping[str, AssetEntry]
    sha256: str
    environments: tuple[Environment, ...] = ()
    texture_sets: Mapping[str, tuple[TextureSet, ...]] = field(default_factory=dict)

    def by_category(self, category: str) -> tuple[AssetEntry, ...]:
        """Entries of one category, in catalog order."""
        return tuple(e for e in self.entries.values() if e.category == category)

    def get(self, name: str) -> AssetEntry:
        if name not in self.entries:
            raise AssetError(f"asset {name!r} is not in the catalog; known: "
                             f"{', '.join(self.entries)}{closest_name(name, self.entries)}")
        return self.entries[name]


def default_catalog_path() -> Path:
    return Path(str(resources.files("simgen.assets").joinpath("catalog.yaml")))


def load_catalog(path: Path | None = None, extra: Path | None = None,
                 import_mesh: MeshImporter | None = None, hdri_dir: str | Path | None = None,
                 pbr_dir: str | Path | None = None) -> Catalog:
    """Read and validate a catalog YAML file (the packaged one by default).

    `extra` is a user catalog whose entries are added to (or replace, by name) those of `path`;
    this is what the `catalog` config field points at. `import_mesh` reads the meshes of file
    entries (`simgen.blender.import_asset_mesh`, Blender's importers); without it a file
    entry is an AssetError. `hdri_dir` is `lighting.hdri_dir` (`simgen.catalog.environments`),
    `pbr_dir` `materials.pbr_dir` (`simgen.catalog.texture_sets`).

    Raises:
        AssetError: unreadable file, unknown recipe or parameter, bad range, empty or
            implausible geometry; the message names the entry and the file.
        ConfigError: a bad `hdri_dir` or HDRI file, a bad `pbr_dir` or texture map.
    """
    digest = hashlib.sha256()
    entries: dict[str, AssetEntry] = {}
    for source in (path or default_catalog_path(), extra):
        if source is None:
            continue
        try:
            raw_bytes = source.read_bytes()
            raw = yaml.safe_load(raw_bytes)
        except (OSError, yaml.YAMLError) as error:
            raise AssetError(f"cannot read the asset catalog {source}: {error}") from error
        if not isinstance(raw, Mapping) or not raw:
            raise AssetError(f"asset catalog {source} must map asset names to entries")
        digest.update(raw_bytes)
        for name, body in raw.items():
            entries[str(name)] = _parse_entry(str(name), body, source, digest, import_mesh)
    environments = load_environments(hdri_dir)
    if environments:
        digest.update(environments_sha256(environments).encode())
    texture_sets = load_texture_sets(pbr_dir)
    if texture_sets:
        digest.update(texture_sets_sha256(texture_sets).encode())
    return Catalog(entries=entries, sha256=digest.hexdigest(), environments=environments,
                   texture_sets=texture_sets)


def run_catalog(cfg: SimgenConfig, import_mesh: MeshImporter | None = None) -> Catalog:
    """The catalog of a run of `cfg`: the packaged one plus `cfg.catalog`, and the environments
    of `cfg.lighting.hdri_dir`, the texture sets of `cfg.materials.pbr_dir`."""
    return load_catalog(extra=Path(cfg.catalog) if cfg.catalog else None, import_mesh=import_mesh,
                        hdri_dir=cfg.lighting.hdri_dir or None, pbr_dir=cfg.materials.pbr_dir or None)


def _parse_entry(name: str, body: Any, path: Path, digest: Any, import_mesh: MeshImporter | None) -> AssetEntry:
    where = f"asset catalog {path}, entry {name!r}"
    if isinstance(body, Mapping) and "file" in body and "recipe" not in body:
        recipe_name, file_sha256 = register_file_asset(name, body, path, where, import_mesh)
        digest.update(f"{name}:{file_sha256}".encode())
    elif not isinstance(body, Mapping) or "recipe" not in body:
        raise AssetError(f"{where}: needs 'recipe' (a procedural recipe) or 'file' (a glTF/OBJ/FBX/.blend file), "
                         "usually with 'category' and 'params'")
    else:
        unknown = set(body) - {"category", "recipe", "params", "weight"}
        if unknown:
            raise AssetError(f"{where}: unknown keys {sorted(unknown)}; allowed: category, recipe, params, weight "
                             "(or file, unit_scale_m, up_axis, materials for an asset file)")
        recipe_name = str(body["recipe"])
    if not has_recipe(recipe_name):
        known = known_recipes()
        raise AssetError(f"{where}: unknown recipe {recipe_name!r}; known: {', '.join(known)}"
                         + closest_name(recipe_name, known))
    recipe = get_recipe(recipe_name)
    params: dict[str, ParamRange] = {}
    for key, value in (body.get("params") or {}).items():
        if key not in recipe.param_defaults:
            raise AssetError(f"{where}: recipe {recipe_name!r} has no parameter {key!r}; known: "
                             f"{', '.join(recipe.param_defaults)}" + closest_name(key, recipe.param_defaults))
        if isinstance(value, Mapping):
            params[key] = _parse_range_per(value, tuple(params), f"{where}, param {key!r}")
        else:
            params[key] = _parse_range(value, f"{where}, param {key!r}")
    category = body.get("category")
    entry = AssetEntry(name=name, category=None if category is None else str(category),
                       recipe=recipe_name, params=params, weight=_parse_weight(body.get("weight", 1.0), where))
    for corner in ("low", "high"):
        _check_geometry(build_asset_mesh(entry, _corner_params(entry, corner)), where)
    return entry


def _parse_range(value: Any, where: str) -> float | tuple[float, float]:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    if (isinstance(value, (list, tuple)) and len(value) == 2
            and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)
            and value[0] <= value[1]):
        return (float(value[0]), float(value[1]))
    raise AssetError(f"{where}: got {value!r}; allowed: a number or [low, high] with low <= high")


def _parse_range_per(value: Mapping[str, Any], earlier: tuple[str, ...], where: str) -> RangePer:
    allowed = "{per: <an earlier parameter of this entry>, range: [low, high]} with low <= high"
    if set(value) != {"per", "range"}:
        raise AssetError(f"{where}: got {dict(value)!r}; allowed: a number, [low, high], or {allowed}")
    per = value["per"]
    if per not in earlier:
        raise AssetError(f"{where}, per: got {per!r}; allowed: a parameter listed before it in this entry "
                         f"({', '.join(earlier) or 'none'})")
    bounds = _parse_range(value["range"], f"{where}, range")
    if not isinstance(bounds, tuple):
        raise AssetError(f"{where}, range: got {value['range']!r}; allowed: [low, high] with low <= high")
    return RangePer(per=str(per), low=bounds[0], high=bounds[1])


def _parse_weight(value: Any, where: str) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and value > 0:
        return float(value)
    raise AssetError(f"{where}, weight: got {value!r}; allowed: a finite number > 0")


def pick_entry(entries: tuple[AssetEntry, ...], rng: np.random.Generator) -> AssetEntry:
    """One of `entries`, each with probability proportional to its weight. Draws one integer
    (equal weights) or one uniform number (otherwise) from `rng`."""
    weights = np.array([entry.weight for entry in entries])
    if np.all(weights == weights[0]):
        return entries[int(rng.integers(len(entries)))]
    chosen = int(np.searchsorted(np.cumsum(weights) / weights.sum(), rng.uniform(), side="right"))
    return entries[min(chosen, len(entries) - 1)]


def _resolve(entry: AssetEntry, pick: Callable[[float, float], float]) -> dict[str, float]:
    """The entry's parameters in its order: `pick(low, high)` for a range (a `RangePer`'s times
    the already resolved parameter it is per), constants as they are."""
    resolved: dict[str, float] = {}
    for key, value in entry.params.items():
        if isinstance(value, RangePer):
            resolved[key] = pick(value.low, value.high) * resolved[value.per]
        elif isinstance(value, tuple):
            resolved[key] = pick(value[0], value[1])
        else:
            resolved[key] = float(value)
    return resolved


def _corner_params(entry: AssetEntry, corner: str) -> dict[str, float]:
    index = 0 if corner == "low" else 1
    return _resolve(entry, lambda low, high: (low, high)[index])


def _check_geometry(mesh: MeshData, where: str) -> None:
    if len(mesh.vertices_m) == 0 or mesh.face_count == 0:
        raise AssetError(f"{where}: the mesh is empty")
    low, high = mesh.bounds_m
    size = high - low
    if (not np.all(np.isfinite(mesh.vertices_m)) or not MIN_PLAUSIBLE_SIZE_M <= size.max() <= MAX_PLAUSIBLE_SIZE_M):
        raise AssetError(f"{where}: implausible size {size.tolist()} m (allowed: finite, largest side in "
                         f"[{MIN_PLAUSIBLE_SIZE_M}, {MAX_PLAUSIBLE_SIZE_M}] m; check unit_scale_m or the params)")


def packaged_categories() -> frozenset[str]:
    """The label categories of the packaged catalog's entries (read without building meshes)."""
    raw = yaml.safe_load(default_catalog_path().read_bytes()) or {}
    return frozenset(str(b["category"]) for b in raw.values() if isinstance(b, Mapping) and b.get("category"))


def check_catalog_categories(catalog: Catalog, categories: Mapping[str, int]) -> None:
    """Every entry's category is a label category (labels.categories) or a packaged one.

    A category in neither can never be placed or labeled: a typo ('unicorn' for 'deer') that
    would otherwise silently drop the asset.

    Raises:
        AssetError: naming the entry, its category, the allowed ones and the closest.
    """
    known = sorted(set(categories) | packaged_categories())
    for entry in catalog.entries.values():
        if entry.category is not None and entry.category not in known:
            raise AssetError(f"asset catalog entry {entry.name!r}: category: got {entry.category!r}; allowed: null "
                             f"(unlabeled scenery) or a key of labels.categories: {', '.join(known)}"
                             + closest_name(entry.category, known))


def sample_asset_params(entry: AssetEntry, rng: np.random.Generator) -> dict[str, float]:
    """Resolve an entry's parameter ranges: uniform in [low, high], constants as they are, a
    `RangePer` uniform in its range times the already resolved parameter it is per.

    Draws exactly one number per ranged parameter (`RangePer` included), in the entry's order.
    """
    return _resolve(entry, lambda low, high: float(rng.uniform(low, high)))


def build_asset_mesh(entry: AssetEntry, params: Mapping[str, float]) -> MeshData:
    """Build an entry's mesh (pure numpy) from resolved parameters.

    Raises:
        AssetError: the recipe rejected the parameters.
    """
    try:
        return recipe_mesh(entry.recipe, params)
    except ValueError as error:
        raise AssetError(f"asset {entry.name!r} (recipe {entry.recipe!r}): {error}") from error
