"""The `tree` recipe, grown by a sampled branching algorithm (pure numpy; bushes and hedges:
`simgen.catalog.recipes.shrubs`).

Object frame: metres, z up, origin at the centre of the ground footprint (z = 0 is the ground
contact; a tree's trunk stands on the origin), +x forward.

Every recipe is a deterministic function of its float parameters: the random growth draws from
a generator seeded by `growth_seed` (its integer part) and the species, so the mesh cache can
key on the parameters and the same parameters always give the same mesh. Slots: bark, foliage.

A tree grows level by level, every level vectorized over its branches:

1. a trunk (a leader for the conical and columnar species) from the ground to `trunk_top` of
   the height, slightly leaning;
2. primary branches attached along the trunk's crown part, azimuths a golden-angle spiral,
   elevations rising from the crown's bottom to its top; each reaches out until it meets the
   species' crown envelope (a radius profile over the crown's height: ellipsoid, cone,
   column), less the leaf cluster that will sit on its tip;
3. secondary branches (and, for bare trees, twigs) forking off the outer part of their parents;
4. leaf clusters: lumpy icosphere blobs on the branch tips (on conifers also mid-branch), plus
   one core blob that keeps the crown from being see-through.

Branches are tapered round tubes (`tubes_mesh`); the whole tree is finally scaled along x, y
and z so that its horizontal extent is exactly 2 x `crown_radius_m` on both axes and its top
exactly `height_m` (the growth lands within a few percent of both, so the scaling is mild).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from simgen.geometry.mesh import MeshData, fit_to_box, merge_meshes
from simgen.geometry.primitives import blobs_mesh, tube_mesh, tubes_mesh, unit_icosphere

TREE_DEFAULTS: Mapping[str, float] = {"height_m": 6.0, "crown_radius_m": 2.0, "species": 0.0, "growth_seed": 0.0}

SPECIES = ("round", "conical", "columnar", "bare")
"""Tree species shapes, indexed by the integer part of the `species` parameter (clipped)."""

BLOB_SUBDIVISIONS = 1  # 42 vertices, 80 triangles per leaf cluster
BLOB_VERTICES = len(unit_icosphere(BLOB_SUBDIVISIONS)[0])
GOLDEN_ANGLE = np.pi * (3.0 - np.sqrt(5.0))
_UP = np.array([0.0, 0.0, 1.0])


@dataclass(frozen=True)
class Habit:
    """How a species grows (fractions of the tree's height or crown radius; angles in degrees).

    Attributes:
        crown_base: height of the lowest branch / tree height.
        trunk_top: height the trunk (leader) reaches / tree height.
        primaries: (min, max) primary branches.
        elevation_deg: primary elevation above the horizontal at the crown's bottom and top.
        droop: sag of a primary's middle ring below its chord / its length.
        children: secondary branches per primary.
        twigs: twigs per secondary (bare trees).
        blob: leaf cluster radius / crown radius (0: no leaves).
        blob_stretch: vertical / horizontal semi-axis of a leaf cluster.
        mid_leaves: whether primaries carry a second leaf cluster half way (conifers).
        core: (horizontal radius / crown radius, vertical radius / crown depth) of the core blob.
    """

    crown_base: float
    trunk_top: float
    primaries: tuple[int, int]
    elevation_deg: tuple[float, float]
    droop: float
    children: int
    twigs: int
    blob: float
    blob_stretch: float
    mid_leaves: bool
    core: tuple[float, float]


HABITS: Mapping[str, Habit] = {
    "round": Habit(0.38, 0.72, (7, 9), (28.0, 72.0), 0.06, 2, 0, 0.34, 0.8, False, (0.6, 0.42)),
    "conical": Habit(0.12, 0.97, (11, 14), (-12.0, 25.0), 0.10, 0, 0, 0.3, 0.5, True, (0.8, 0.0)),
    "columnar": Habit(0.16, 0.9, (9, 12), (62.0, 80.0), 0.02, 1, 0, 0.45, 1.5, False, (0.62, 0.45)),
    "bare": Habit(0.38, 0.72, (6, 8), (30.0, 68.0), 0.08, 3, 2, 0.0, 1.0, False, (0.0, 0.0)),
}
"""The growth habit of each species in `SPECIES`."""


def envelope(species: str, t: np.ndarray) -> np.ndarray:
    """Crown radius / `crown_radius_m` at relative crown height t in [0, 1] (0: the crown's
    bottom, 1: its top) of a species: ellipse (round, bare), cone, or a fuller column."""
    t = np.clip(t, 0.0, 1.0)
    if species == "conical":
        return 0.08 + 0.92 * (1.0 - t)
    bulge = np.maximum(1.0 - (2.0 * t - 1.0) ** 2, 0.0)
    return np.maximum(np.sqrt(np.sqrt(bulge)) if species == "columnar" else np.sqrt(bulge), 0.2)


@dataclass(frozen=True)
class Branches:
    """A level of branches: (N, K, 3) ring centres (metres), (N, K) radii, (N,) lengths."""

    points: np.ndarray
    radii: np.ndarray
    lengths: np.ndarray

    def at(self, s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """((N, M, 3) points, (N, M) radii) at fractions s (N, M) of each branch's polyline."""
        rings = self.points.shape[1]
        position = np.clip(s, 0.0, 1.0) * (rings - 1)
        index = np.minimum(position.astype(int), rings - 2)
        frac = (position - index)[..., None]
        rows = np.arange(len(self.points))[:, None]
        points = self.points[rows, index] * (1 - frac) + self.points[rows, index + 1] * frac
        radii = self.radii[rows, index] * (1 - frac[..., 0]) + self.radii[rows, index + 1] * frac[..., 0]
        return points, radii

    def directions(self) -> np.ndarray:
        """(N, 3) unit chord directions (first ring to last)."""
        chords = self.points[:, -1] - self.points[:, 0]
        return chords / np.sqrt(np.add.reduce(chords * chords, axis=1, keepdims=True))


def _trunk(height: float, habit: Habit, rng: np.random.Generator) -> Branches:
    """The trunk's axis: from the ground to `trunk_top` of the height, leaning by up to 2 % of
    the height (2 rings; radii: its base and top)."""
    top = habit.trunk_top * height
    points = np.zeros((1, 2, 3))
    points[0, 1, :2] = rng.uniform(-0.02, 0.02, 2) * height
    points[0, 1, 2] = top
    trunk_radius = 0.025 * height + 0.02
    tip = 0.18 if habit.trunk_top > 0.85 else 0.45
    return Branches(points, trunk_radius * np.array([[1.0, tip]]), np.array([top]))


def _primaries(trunk: Branches, height: float, crown: float, species: str, habit: Habit,
               rng: np.random.Generator) -> Branches:
    """Primary branches along the trunk's crown part, each reaching the crown envelope less
    its leaf cluster (3 rings: start, a drooping middle, tip)."""
    count = int(rng.integers(habit.primaries[0], habit.primaries[1] + 1))
    base, top = habit.crown_base * height, 0.97 * trunk.lengths[0]
    t_attach = (np.arange(count) + rng.uniform(0.2, 0.8, count)) / count
    attach_z = base + (top - base) * t_attach
    starts, trunk_radii = trunk.at((attach_z / trunk.lengths[0])[None, :])
    azimuth = GOLDEN_ANGLE * np.arange(count) + rng.uniform(0.0, 2 * np.pi) + rng.uniform(-0.3, 0.3, count)
    low, high = np.deg2rad(habit.elevation_deg)
    elevation = low + (high - low) * t_attach + np.deg2rad(rng.uniform(-8.0, 8.0, count))
    direction = np.stack([np.cos(elevation) * np.cos(azimuth), np.cos(elevation) * np.sin(azimuth),
                          np.sin(elevation)], axis=1)
    crown_depth = height - base
    leaf = habit.blob * crown
    t_crown = (attach_z - base) / crown_depth
    reach = np.maximum(crown * envelope(species, t_crown) - 0.8 * leaf, 0.15 * crown)
    lengths = reach / np.maximum(np.cos(elevation), 0.2)
    rise_room = np.maximum(height - attach_z - 0.7 * leaf * habit.blob_stretch, 0.1 * crown)
    lengths = np.minimum(lengths, rise_room / np.maximum(np.sin(elevation), 1e-3)) * rng.uniform(0.85, 1.05, count)
    points = starts[0][:, None, :] + direction[:, None, :] * (lengths[:, None, None] * np.array([0.0, 0.5, 1.0])[
        None, :, None])
    points[:, 1, 2] -= habit.droop * lengths
    root = np.maximum(trunk_radii[0] * rng.uniform(0.45, 0.6, count) * np.sqrt(lengths / lengths.max()), 0.012)
    radii = root[:, None] * np.array([1.0, 0.62, 0.3])
    return Branches(points, radii, lengths)


def _forks(parents: Branches, per_parent: int, spread_deg: tuple[float, float], share: tuple[float, float],
           rng: np.random.Generator) -> Branches:
    """`per_parent` straight children (3 rings) forking off the outer part of each parent,
    alternating sides, tilted `spread_deg` off the parent and slightly upwards; each
    `share` x its parent's length."""
    count = len(parents.points)
    s = np.linspace(0.45, 0.88, per_parent)[None, :] + rng.uniform(-0.06, 0.06, (count, per_parent))
    starts, parent_radii = parents.at(s)
    direction = parents.directions()
    side = np.zeros_like(direction)  # direction x up, (1, 0, 0) for vertical parents
    side[:, 0], side[:, 1] = direction[:, 1], -direction[:, 0]
    side[np.add.reduce(side * side, axis=1) < 1e-12] = (1.0, 0.0, 0.0)
    side /= np.sqrt(np.add.reduce(side * side, axis=1, keepdims=True))
    normal = _cross(side, direction)
    angle = np.pi * np.arange(per_parent)[None, :] + rng.uniform(-0.9, 0.9, (count, per_parent))
    tilt = np.tan(np.deg2rad(rng.uniform(*spread_deg, (count, per_parent))))[..., None]
    off = side[:, None, :] * np.cos(angle)[..., None] + normal[:, None, :] * np.sin(angle)[..., None]
    child = direction[:, None, :] + tilt * off + 0.25 * _UP
    child /= np.sqrt(np.add.reduce(child * child, axis=2, keepdims=True))
    lengths = parents.lengths[:, None] * rng.uniform(*share, (count, per_parent)) * (1.15 - 0.5 * s)
    reach = child * lengths[..., None]
    points = np.stack([starts, starts + 0.5 * reach, starts + reach], axis=2).reshape(-1, 3, 3)
    root = np.maximum(0.75 * parent_radii, 0.006).reshape(-1, 1)
    return Branches(points, root * np.array([1.0, 0.7, 0.4]), lengths.reshape(-1))


def _cross(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(N, 3) row-wise cross products (np.cross costs several times more on small arrays)."""
    return a[:, _NEXT] * b[:, _AFTER] - a[:, _AFTER] * b[:, _NEXT]


_NEXT, _AFTER = np.array([1, 2, 0]), np.array([2, 0, 1])


def _leaf_clusters(trunk: Branches, levels: list[Branches], habit: Habit, crown: float, height: float,
                   species: str, rng: np.random.Generator) -> MeshData:
    """Lumpy blobs on every branch tip (conifers: also half way along each primary; a leader:
    on its top), and the core blob in the middle of the crown."""
    primaries = levels[0]
    tips = [level.points[:, -1] for level in levels]
    scale = [np.sqrt(level.lengths / level.lengths.max()) for level in levels]
    if habit.trunk_top > 0.85:
        tips.append(trunk.points[:, -1])
        scale.append(np.array([0.6]))
    if habit.mid_leaves:
        tips.append(primaries.at(np.full((len(primaries.points), 1), 0.55))[0][:, 0])
        scale.append(scale[0])
    centers = np.concatenate(tips)
    radius = habit.blob * crown * np.maximum(np.concatenate(scale), 0.45) * rng.uniform(0.8, 1.15, len(centers))
    radii = np.stack([radius, radius, radius * habit.blob_stretch], axis=1)
    bumps = rng.uniform(-0.22, 0.22, (len(centers) + 1, BLOB_VERTICES))
    clusters = blobs_mesh(centers, radii, bumps[:-1], "foliage", BLOB_SUBDIVISIONS)
    return merge_meshes([clusters, _core(habit, crown, height, species, bumps[-1:])])


def _core(habit: Habit, crown: float, height: float, species: str, bumps: np.ndarray) -> MeshData:
    """The crown's core blob: an ellipsoid in the middle of the crown; for conifers a lumpy
    cone (a tube of 6 rings narrowing to the tip, every ring vertex displaced radially)."""
    base = habit.crown_base * height
    depth = height - base
    core_r, core_depth = habit.core
    if species != "conical":
        center = np.array([[0.0, 0.0, base + 0.5 * depth]])
        radii = np.array([[core_r * crown, core_r * crown, core_depth * depth]])
        return blobs_mesh(center, radii, bumps, "foliage", BLOB_SUBDIVISIONS)
    t = np.linspace(0.0, 1.0, _CONE_RINGS)
    points = np.zeros((1, _CONE_RINGS, 3))
    points[0, :, 2] = base + depth * (0.05 + 0.85 * t)
    cone = tubes_mesh(points, core_r * crown * (1.0 - 0.9 * t)[None, :], _CONE_SEGMENTS, "foliage")
    lumps = 1.0 + bumps[0, :_CONE_RINGS * _CONE_SEGMENTS].reshape(_CONE_RINGS, _CONE_SEGMENTS)
    vertices = cone.vertices_m.copy()
    rings = vertices[:-2].reshape(_CONE_RINGS, _CONE_SEGMENTS, 3)
    rings[..., :2] *= lumps[..., None]
    return cone.with_vertices(vertices)


_CONE_RINGS, _CONE_SEGMENTS = 6, 7  # 42 ring vertices: one blob's bumps


def species_of(value: float) -> str:
    """The species name of a `species` parameter value (its integer part, clipped to the list)."""
    return SPECIES[min(max(int(np.floor(value)), 0), len(SPECIES) - 1)]


def build_tree(params: Mapping[str, float]) -> MeshData:
    """Tree grown by a sampled branching algorithm: trunk, branches, leaf clusters; four species.

    Params: height_m (crown top, metres), crown_radius_m (horizontal crown radius, metres; the
    x and y extent is twice it), species (0 round, 1 conical, 2 columnar, 3 bare winter tree:
    the integer part, see `SPECIES`), growth_seed (its integer part seeds the growth).
    Slots: bark, foliage (bare trees: bark only).

    The tree is grown at `CANONICAL_HEIGHT_M` with the height / crown radius ratio rounded to a
    power of `ASPECT_STEP` (`grown_tree`, cached), then scaled to the exact height and crown.
    """
    height, crown = params["height_m"], params["crown_radius_m"]
    trunk_radius = 0.025 * height + 0.02
    if crown <= 2 * trunk_radius:
        raise ValueError(f"crown_radius_m={crown} must exceed twice the trunk radius {trunk_radius:.3f} m")
    species_index = SPECIES.index(species_of(params["species"]))
    aspect_step = int(np.round(np.log(height / crown) / np.log(ASPECT_STEP)))
    return fit_to_box(grown_tree(species_index, int(params["growth_seed"]), aspect_step),
                    (2 * crown, 2 * crown, height))


CANONICAL_HEIGHT_M = 6.0
ASPECT_STEP = 1.25
"""Trees grow at this height with height / crown radius = ASPECT_STEP ** k (k an integer)."""


@lru_cache(maxsize=512)
def grown_tree(species_index: int, growth_seed: int, aspect_step: int) -> MeshData:
    """The tree of one species and seed grown at `CANONICAL_HEIGHT_M`, its crown radius that
    height / ASPECT_STEP ** aspect_step (cached: a catalog with a few dozen seeds makes the
    growth of most trees of a run a cache hit; the scaling in `build_tree` is cheap)."""
    species = SPECIES[species_index]
    habit = HABITS[species]
    height = CANONICAL_HEIGHT_M
    crown = height / ASPECT_STEP ** aspect_step
    rng = np.random.default_rng([growth_seed, species_index])
    trunk = _trunk(height, habit, rng)
    levels = [_primaries(trunk, height, crown, species, habit, rng)]
    if habit.children:
        levels.append(_forks(levels[0], habit.children, (30.0, 50.0), (0.35, 0.5), rng))
    if habit.twigs:
        levels.append(_forks(levels[-1], habit.twigs, (25.0, 45.0), (0.4, 0.6), rng))
    (base, top), (base_radius, top_radius) = trunk.points[0], trunk.radii[0]
    parts = [tube_mesh(base, top, base_radius, 10, "bark", top_radius),
             tubes_mesh(np.concatenate([level.points for level in levels]),
                        np.concatenate([level.radii for level in levels]), 5, "bark")]
    if habit.blob > 0:
        parts.append(_leaf_clusters(trunk, levels, habit, crown, height, species, rng))
    tree = _centre_crown(merge_meshes(parts), habit.crown_base * height)
    tree.vertices_m.flags.writeable = False
    return tree


def _centre_crown(mesh: MeshData, crown_base_m: float) -> MeshData:
    """Shift x and y of every vertex by the crown's off-centre bounding box, in proportion to its
    height up to the crown base (the trunk leans under its crown; its foot stays at the origin)."""
    low, high = mesh.bounds_m
    offset = np.array([(low[0] + high[0]) / 2, (low[1] + high[1]) / 2])
    vertices = mesh.vertices_m.copy()
    vertices[:, :2] -= np.minimum(np.maximum(vertices[:, 2:], 0.0) / crown_base_m, 1.0) * offset
    return mesh.with_vertices(vertices)
