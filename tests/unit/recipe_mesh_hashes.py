"""Regression data for the recipe meshes: a hash of every recipe's mesh over many parameter sets.

`tests/unit/recipe_mesh_hashes.json` was written by this module (``python -m
tests.unit.recipe_mesh_hashes``) from the list-of-tuples `MeshData` of commit 5402ee8, before the
mesh arrays were vectorized; recipes changed on purpose since are re-recorded alone
(``python -m tests.unit.recipe_mesh_hashes tree bush hedge``: the grown trees and the bushes and
hedges of issue 15; ``pedestrian cyclist``: the people's head and torso proportions, also issue
15; ``pedestrian`` again: the hip's flexion curve in the gait; ``pedestrian cyclist``: the torso's
side profile; ``pedestrian``: shoulder widths drawn per metre of height; ``pedestrian``: a coat's thickness
and long sleeves);
`tests/unit/test_mesh_regression.py` checks that today's recipes still build exactly those meshes
(same vertices to 1e-9 m, same polygons in the same order, same material slots), so labels stay
exact.

Parameter sets: for each recipe in `RECIPES`, its defaults, then `SETS_PER_RECIPE - 1` sets drawn
with a fixed seed from the ranges of the catalog entries that use it (cycling through them), and
for parameters no entry covers: sizes (`*_m`) take the default times one factor per set drawn in
[0.85, 1.2] (so proportions hold), flags 0 or 1, other zero defaults [0, 1), the rest the default. The drawn values
are stored, rounded to 1e-6, so the test does not depend on the catalog.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from simgen.catalog.entries import ParamRange, RangePer, load_catalog
from simgen.catalog.recipes import RECIPES
from simgen.geometry.mesh import MeshData

DATA_PATH = Path(__file__).with_name("recipe_mesh_hashes.json")
SETS_PER_RECIPE = 20
SEED = 20261202
FLAGS = frozenset({"has_arm", "solid", "lying", "coat", "sleeves", "bag"})


def mesh_hash(mesh: MeshData) -> str:
    """sha256 (hex, 16 chars) of vertices rounded to 1e-9 m, polygons in order, slot per polygon, slot names."""
    digest = hashlib.sha256()
    vertices = np.round(np.asarray(mesh.vertices_m, dtype=np.float64), 9) + 0.0  # + 0.0: -0.0 -> 0.0
    digest.update(np.ascontiguousarray(vertices).tobytes())
    counts, loops = [], []
    for face in mesh.faces:
        counts.append(len(face))
        loops.extend(face)
    digest.update(np.asarray(counts, dtype=np.int64).tobytes())
    digest.update(np.asarray(loops, dtype=np.int64).tobytes())
    digest.update(np.asarray(mesh.face_material, dtype=np.int64).tobytes())
    digest.update("\0".join(mesh.materials).encode())
    return digest.hexdigest()[:16]


def _ranges() -> dict[str, list[Mapping[str, ParamRange]]]:
    by_recipe: dict[str, list[Mapping[str, ParamRange]]] = {}
    for entry in load_catalog().entries.values():
        by_recipe.setdefault(entry.recipe, []).append(entry.params)
    return by_recipe


def _draw(name: str, entry: Mapping[str, ParamRange], rng: np.random.Generator) -> dict[str, float]:
    params: dict[str, float] = {}
    scale = rng.uniform(0.85, 1.2)
    for key, default in RECIPES[name].param_defaults.items():
        spec = entry.get(key)
        if isinstance(spec, tuple):
            value = rng.uniform(*spec)
        elif isinstance(spec, RangePer):  # per a parameter drawn before it (the recipe's order)
            value = rng.uniform(spec.low, spec.high) * params.get(spec.per, RECIPES[name].param_defaults[spec.per])
        elif spec is not None:
            value = float(spec)
        elif key in FLAGS:
            value = float(rng.integers(0, 2))
        elif key.endswith("_m"):
            value = default * scale
        elif default == 0.0:
            value = rng.uniform(0.0, 1.0)
        else:
            value = default
        params[key] = round(float(value), 6)
    return params


def parameter_sets() -> dict[str, list[dict[str, float]]]:
    """recipe -> its SETS_PER_RECIPE parameter sets (the defaults first), fixed seed."""
    rng = np.random.default_rng(SEED)
    ranges = _ranges()
    sets: dict[str, list[dict[str, float]]] = {}
    for name, recipe in RECIPES.items():
        entries = ranges.get(name) or [{}]
        sets[name] = [dict(recipe.param_defaults)]
        sets[name] += [_draw(name, entries[i % len(entries)], rng) for i in range(SETS_PER_RECIPE - 1)]
    return sets


def record() -> dict[str, list[list]]:
    """recipe -> [[params, hash], ...] over `parameter_sets()`, from the current recipes."""
    return {name: [[params, mesh_hash(RECIPES[name].build_mesh(params))] for params in sets]
            for name, sets in parameter_sets().items()}


def write(only: tuple[str, ...] = ()) -> None:
    """Write `DATA_PATH` from the current recipes; with `only`, re-record just those recipes
    (a recipe that was changed on purpose) and keep every other recorded row as it is."""
    rows = record()
    if only:
        kept = json.loads(DATA_PATH.read_text())
        rows = {name: rows[name] if name in only else kept[name] for name in RECIPES}
    lines = [f"  {json.dumps(name)}: {json.dumps(value, separators=(',', ':'))}" for name, value in rows.items()]
    DATA_PATH.write_text("{\n" + ",\n".join(lines) + "\n}\n")


if __name__ == "__main__":
    write(tuple(sys.argv[1:]))
