"""Recipe meshes: what building the procedural meshes of one frame costs, per recipe and per frame.

Samples `--frames` frames of the default scenario (seed 0), collects every prop of each frame
(layout scenery, traffic, obstacles: anything with a `recipe` and `params`), then builds each
prop's mesh from its recipe without the cache (every frame's props have continuous parameters,
so in a run every mesh is new), fans it into triangles (what the labels project) and turns it into
a Blender mesh (`simgen.blender.scene_pool.build_mesh`, without materials; the meshes are kept).
Prints, per recipe, meshes per frame and milliseconds per mesh; then milliseconds per frame of
recipe meshes, triangle fans and Blender meshes (the best of `--repeats` passes). Times are the
process's CPU time (`time.process_time`), so that a machine shared with other work still gives
comparable figures (wall time is higher there by the load). Runs at any
commit since 5402ee8, so the ratio of two commits is measured by running it at both (the same
frames, the same meshes).
Run by hand: `.venv/bin/python bench/recipe_meshes.py [--frames 10] [--repeats 3]`.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from simgen.catalog.entries import load_catalog
from simgen.catalog.prop_mesh import get_recipe
from simgen.config.compose import compose_config
from simgen.geometry.mesh import triangle_indices
from simgen.sampling.frame import sample_frame

KEYS = ("count", "mesh_s", "fan_s", "blender_s")


def _props(value: Any) -> Iterator[Any]:
    """Every prop (an object with `recipe` and `params`) reachable from a spec, depth first."""
    if hasattr(value, "recipe") and hasattr(value, "params"):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from _props(getattr(value, field.name))
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _props(item)


def frame_props(frames: int) -> list[list[tuple[str, dict[str, float]]]]:
    """(recipe, params) of every prop of each of the first `frames` default-scenario frames."""
    cfg = compose_config(["seed=0", f"frames={frames}"])
    catalog = load_catalog()
    return [[(prop.recipe, dict(prop.params)) for prop in _props(sample_frame(cfg, catalog, index))]
            for index in range(frames)]


def _triangles(mesh):
    try:
        return triangle_indices(mesh)
    except TypeError:  # until the mesh arrays (5402ee8), triangle_indices took the faces tuple
        return triangle_indices(mesh.faces)


def measure(props: list[list[tuple[str, dict[str, float]]]], with_blender: bool) -> dict[str, dict[str, float]]:
    """Seconds and counts per recipe: {recipe: {"count", "mesh_s", "fan_s", "blender_s"}}."""
    build_blender = None
    names = itertools.count()
    if with_blender:
        from simgen.blender.scene_pool import build_mesh as build_blender
    totals: dict[str, dict[str, float]] = defaultdict(lambda: dict.fromkeys(KEYS, 0.0))
    for frame in props:
        for recipe, params in frame:
            row = totals[recipe]
            start = time.process_time()
            mesh = get_recipe(recipe).build_mesh(params)
            built = time.process_time()
            _triangles(mesh)
            fanned = time.process_time()
            row["count"] += 1
            row["mesh_s"] += built - start
            row["fan_s"] += fanned - built
            if build_blender is not None:  # without materials: their slots cost the same at every commit
                start = time.process_time()
                build_blender(f"mesh_{next(names):06d}", mesh, [])  # unique names, as the builder gives
                row["blender_s"] += time.process_time() - start
    return totals


def report(totals: dict[str, dict[str, float]], frames: int, with_blender: bool) -> str:
    """The printed table and per-frame totals (milliseconds)."""
    lines = [f"{'recipe':<22}{'meshes/frame':>13}{'ms/mesh':>9}{'ms/frame':>10}"
             + (f"{'Blender ms/mesh':>17}" if with_blender else "")]
    for recipe, row in sorted(totals.items(), key=lambda item: -item[1]["mesh_s"]):
        lines.append(f"{recipe:<22}{row['count'] / frames:>13.1f}{row['mesh_s'] / row['count'] * 1000:>9.2f}"
                     f"{row['mesh_s'] / frames * 1000:>10.2f}"
                     + (f"{row['blender_s'] / row['count'] * 1000:>17.3f}" if with_blender else ""))
    per_frame = {key: sum(row[key] for row in totals.values()) / frames * 1000 for key in KEYS}
    lines.append(f"per frame: recipe meshes {per_frame['mesh_s']:.1f} ms, triangle fans {per_frame['fan_s']:.1f} ms"
                 + (f", Blender meshes {per_frame['blender_s']:.1f} ms" if with_blender else ""))
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=3, help="best of this many passes over the frames")
    parser.add_argument("--no-blender", action="store_true", help="skip the Blender meshes")
    args = parser.parse_args()
    props = frame_props(args.frames)
    passes = [measure(props, not args.no_blender) for _ in range(args.repeats)]
    best = min(passes, key=lambda totals: sum(row["mesh_s"] + row["blender_s"] for row in totals.values()))
    sys.stdout.write(report(best, args.frames, not args.no_blender))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
