"""Shrub recipes: `bush` (lumpy foliage blobs) and `hedge` (a long lumpy foliage mass), pure numpy.

Object frame: metres, z up, origin at the centre of the ground footprint (z = 0 is the ground
contact), +x forward; a hedge's length runs along x. Each is grown once per `growth_seed` (its
integer part) at unit size and fitted to its box, so the same parameters always give the same
mesh. Slot: foliage. The leaf blobs are those of `simgen.catalog.recipes.vegetation`.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

import numpy as np

from simgen.catalog.recipes.vegetation import BLOB_SUBDIVISIONS, BLOB_VERTICES, GOLDEN_ANGLE
from simgen.geometry.mesh import MeshData, fit_to_box
from simgen.geometry.primitives import blobs_mesh, tubes_mesh

BUSH_DEFAULTS: Mapping[str, float] = {"length_m": 1.2, "width_m": 1.0, "height_m": 0.9, "growth_seed": 0.0}
HEDGE_DEFAULTS: Mapping[str, float] = {"length_m": 4.0, "width_m": 0.8, "height_m": 1.2, "growth_seed": 0.0}


def build_bush(params: Mapping[str, float]) -> MeshData:
    """Bush: a cluster of 5-8 lumpy foliage blobs, fitted to its box.

    Params (metres): length_m (x), width_m (y), height_m (top); growth_seed (its integer part
    seeds the blob layout, grown once per seed at unit size: `grown_bush`). Slot: foliage.
    """
    return fit_to_box(grown_bush(int(params["growth_seed"])),
                    (params["length_m"], params["width_m"], params["height_m"]))


@lru_cache(maxsize=256)
def grown_bush(growth_seed: int) -> MeshData:
    """The blobs of a bush 1 m long, wide and high, centred on the origin (cached per seed)."""
    rng = np.random.default_rng([growth_seed, 101])
    count = int(rng.integers(5, 9))
    angle = GOLDEN_ANGLE * np.arange(count) + rng.uniform(0.0, 2 * np.pi)
    spread = np.sqrt((np.arange(count) + 0.5) / count) * 0.5
    centers = np.stack([spread * np.cos(angle), spread * np.sin(angle),
                        rng.uniform(0.35, 0.6, count) * (1.1 - spread)], axis=1)
    size = rng.uniform(0.3, 0.45, (count, 1)) * (1.2 - 0.6 * spread)[:, None] * np.ones(3)
    bumps = rng.uniform(-0.2, 0.2, (count, BLOB_VERTICES))
    bush = _centered(blobs_mesh(centers, size, bumps, "foliage", BLOB_SUBDIVISIONS))
    bush.vertices_m.flags.writeable = False
    return bush


def _centered(mesh: MeshData) -> MeshData:
    """The mesh moved so that its x-y bounding box is centred on the origin."""
    low, high = mesh.bounds_m
    return mesh.with_vertices(mesh.vertices_m - np.array([(low[0] + high[0]) / 2, (low[1] + high[1]) / 2, 0.0]))


_HEDGE_SEGMENTS = 14
_HEDGE_RING_STEP_M = 0.25


def build_hedge(params: Mapping[str, float]) -> MeshData:
    """Hedge: a long, box-ish foliage mass along x with a lumpy surface.

    A tube swept along x through rings about every 0.25 m with a rounded-box (superellipse)
    cross-section; every ring bulges by its own amount and every vertex is displaced radially
    by up to 9 % (18 % on top), then the whole is fitted to its box.
    Params (metres): length_m (x), width_m (y), height_m (top); growth_seed (its integer part
    seeds the lumps; grown once per seed and ring count: `grown_hedge`). Slot: foliage.
    """
    length = params["length_m"]
    rings = max(3, int(np.ceil(length / _HEDGE_RING_STEP_M)) + 1)
    return fit_to_box(grown_hedge(int(params["growth_seed"]), rings), (length, params["width_m"], params["height_m"]))


@lru_cache(maxsize=256)
def grown_hedge(growth_seed: int, rings: int) -> MeshData:
    """A hedge of `rings` rings `_HEDGE_RING_STEP_M` apart, 1 m wide and high, centred on the
    origin (cached per seed and ring count)."""
    rng = np.random.default_rng([growth_seed, 102])
    length = (rings - 1) * _HEDGE_RING_STEP_M
    x = np.linspace(-length / 2, length / 2, rings)
    bulge = 1.0 + rng.uniform(-0.06, 0.06, rings)
    taper = np.minimum(1.0, 0.75 + 0.25 * np.minimum(np.arange(rings), np.arange(rings)[::-1]))  # rounded ends
    points = np.stack([x, np.zeros(rings), np.full(rings, 0.5)], axis=1)
    radii = np.stack([0.5 * bulge * taper, 0.5 * bulge * np.sqrt(taper)], axis=1)
    tube = tubes_mesh(points[None], radii[None, :, 0], _HEDGE_SEGMENTS, "foliage")
    offsets = tube.vertices_m[:-2].reshape(rings, _HEDGE_SEGMENTS, 3) - points[:, None, :]
    boxy = _rounded_box(offsets[..., 1:], radii[:, None, :])
    lumps = 1.0 + rng.uniform(-0.09, 0.09, (rings, _HEDGE_SEGMENTS)) * (1.0 + (offsets[..., 2] > 0))
    vertices = tube.vertices_m.copy()
    vertices[:-2, 1:] = (points[:, None, 1:] + boxy * lumps[..., None]).reshape(-1, 2)
    hedge = _centered(tube.with_vertices(vertices))
    hedge.vertices_m.flags.writeable = False
    return hedge


def _rounded_box(offsets: np.ndarray, half_axes: np.ndarray, exponent: float = 5.0) -> np.ndarray:
    """(..., 2) circle offsets (y, z) pushed out onto the superellipse |y/a|^e + |z/b|^e = 1
    of half-axes (..., 2) (a, b) along the same directions: a rounded box cross-section."""
    unit = offsets / np.linalg.norm(offsets, axis=-1, keepdims=True)
    scaled = np.abs(unit / half_axes)
    return unit / np.sum(scaled ** exponent, axis=-1, keepdims=True) ** (1.0 / exponent)
