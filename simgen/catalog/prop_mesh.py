"""The mesh of a prop: one home and one cache for every consumer.

Placement footprints, planning silhouettes, amodal boxes and visibility, 3D boxes, instance
identities and the Blender builder all ask this module for a prop's geometry, so each
(recipe, parameters) pair is built once per process and every consumer sees the same mesh.

Recipes come from two registries, both read-only to everyone but their owner:
`simgen.catalog.recipes.RECIPES` (the packaged procedural recipes, immutable) and the file
recipes that the catalog loader registers here (`register_file_recipe`, named ``file:<entry>``).

Frames: `prop_mesh` is in the prop's object frame (metres, z up, origin at the centre of the
ground footprint), and so is a person's `prop_skeleton` (posed with the mesh, one cache entry);
`prop_mesh_world` is posed in the world frame exactly as the builder poses it (rotation about
world z by `yaw_deg`, then translation by `location_m`). Returned meshes and arrays are shared
through the cache: never modify them in place.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

import numpy as np

from simgen.catalog.recipes import RECIPES, Recipe
from simgen.catalog.recipes.people import Skeleton
from simgen.errors import closest_name
from simgen.geometry.mesh import MeshData, transform_mesh, triangle_indices

_FILE_RECIPES: dict[str, Recipe] = {}

ParamsKey = tuple[tuple[str, float], ...]


def register_file_recipe(recipe: Recipe) -> None:
    """Register (or replace) a user asset file's recipe; called by the catalog loader only."""
    if not recipe.name.startswith("file:"):
        raise ValueError(f"file recipes are named 'file:<entry>', got {recipe.name!r}")
    _FILE_RECIPES[recipe.name] = recipe
    _recipe_mesh.cache_clear()


def has_recipe(name: str) -> bool:
    """Whether `name` is a packaged recipe or a registered file recipe."""
    return name in RECIPES or name in _FILE_RECIPES


def known_recipes() -> tuple[str, ...]:
    """Every recipe name, packaged first (registry order), then file recipes."""
    return (*RECIPES, *_FILE_RECIPES)


def get_recipe(name: str) -> Recipe:
    """The recipe called `name`; raises KeyError listing the valid names and the closest one."""
    found = RECIPES.get(name) or _FILE_RECIPES.get(name)
    if found is None:
        names = known_recipes()
        raise KeyError(f"unknown recipe {name!r}; valid recipes: {', '.join(sorted(names))}"
                       + closest_name(name, names))
    return found


def params_key(params: Mapping[str, float]) -> ParamsKey:
    """A hashable, order-independent key of resolved recipe parameters."""
    return tuple(sorted((str(key), float(value)) for key, value in params.items()))


PROP_MESH_CACHE_SIZE = 2048
"""Meshes kept per process: a frame has about 120 distinct ones and the sampler runs up to 8
frames ahead of the renderer (`simgen.render.streams.SAMPLE_AHEAD`), so what it builds is still
cached when the builder and the labels ask."""


@lru_cache(maxsize=PROP_MESH_CACHE_SIZE)
def _recipe_mesh(recipe: str, key: ParamsKey) -> tuple[MeshData, np.ndarray, Any]:
    """(mesh, triangles, skeleton or None): a person's recipe poses its mesh and its skeleton
    once, together (`Recipe.build_posed`), so the labels never re-pose a person."""
    found = get_recipe(recipe)
    if found.build_posed is not None:
        mesh, skeleton = found.build_posed(dict(key))
    else:
        mesh, skeleton = found.build_mesh(dict(key)), None
    return mesh, triangle_indices(mesh), skeleton


def recipe_mesh(recipe: str, params: Mapping[str, float]) -> MeshData:
    """The object-frame mesh a recipe builds from `params` (omitted ones take their defaults).

    Raises:
        KeyError: unknown recipe. ValueError: the recipe rejected the parameters.
    """
    return _recipe_mesh(recipe, params_key(params))[0]


def _recipe_and_params(prop: Any) -> tuple[str, Mapping[str, float]]:
    if isinstance(prop, Mapping):  # a PropSpec read back from a frame record
        return str(prop["recipe"]), prop["params"]
    return prop.recipe, prop.params


def warm_prop_meshes(props: Iterable[Any]) -> None:
    """Build (and cache) the meshes of `props` now: the sampler thread calls it for every prop of
    a frame it samples, so the renderer's thread finds them built (Cycles renders with the GIL
    released, so this work overlaps the render of earlier frames)."""
    for prop in props:
        recipe, params = _recipe_and_params(prop)
        if has_recipe(recipe):
            _recipe_mesh(recipe, params_key(params))


def prop_mesh(prop: Any) -> MeshData:
    """A prop's mesh in its object frame (a `PropSpec`, or its dict from a frame record)."""
    recipe, params = _recipe_and_params(prop)
    return recipe_mesh(recipe, params)


def prop_triangles(prop: Any) -> np.ndarray:
    """(T, 3) int vertex indices of the prop mesh's triangles (polygons fanned), cached."""
    recipe, params = _recipe_and_params(prop)
    return _recipe_mesh(recipe, params_key(params))[1]


def prop_skeleton(prop: Any) -> Skeleton | None:
    """The posed skeleton of a person prop (the same pose as `prop_mesh`, object frame, metres;
    `simgen.catalog.recipes.people.Skeleton`), cached with the mesh; None for other recipes."""
    recipe, params = _recipe_and_params(prop)
    return _recipe_mesh(recipe, params_key(params))[2]


def prop_mesh_world(prop: Any) -> MeshData:
    """A prop's mesh in the world frame (metres), posed exactly as the builder poses it."""
    if isinstance(prop, Mapping):
        location, yaw = tuple(prop["location_m"]), float(prop["yaw_deg"])
    else:
        location, yaw = prop.location_m, prop.yaw_deg
    return transform_mesh(prop_mesh(prop), location, yaw_deg=yaw)


def resolved_params(prop: Any) -> dict[str, float]:
    """A prop's recipe parameters with the recipe's defaults filled in (unknown recipes: as given)."""
    recipe, params = _recipe_and_params(prop)
    defaults = get_recipe(recipe).param_defaults if has_recipe(recipe) else {}
    return {key: float(value) for key, value in {**defaults, **params}.items()}
