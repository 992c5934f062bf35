"""Registry of procedural asset recipes: name -> `Recipe` (pure numpy `MeshData` builders).

Every recipe builds its mesh in its own object frame: metres, z up, origin at the centre of the
ground footprint (z = 0 is the ground contact), +x forward. Parameters are plain floats whose
names carry their units (`height_m`, `speed_m_s`); `Recipe.build_mesh` fills omitted ones from
`param_defaults`, and raises ValueError naming the parameter for unknown keys, non-finite values
and non-positive sizes (every `*_m` parameter and `floors`).
"""

from __future__ import annotations

import inspect
import math
import numbers
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from simgen.geometry.mesh import MeshData

from . import building, furniture, ground, heavy, obstacles, people, shrubs, signals, street, vegetation, vehicles

MATERIAL_SLOTS: tuple[str, ...] = (
    "paint", "glass", "tire", "headlight", "taillight", "metal", "skin", "hair", "clothing_top",
    "clothing_bottom", "shoes", "cone_orange", "cone_base", "reflective_white", "facade", "window", "roof", "trim",
    "drain_gap", "bark", "foliage", "surface", "lane_paint", "fur", "antler", "cardboard", "tape", "fabric", "rock",
    "barrier_red", "plate",
)

Builder = Callable[[Mapping[str, float]], MeshData]
SkeletonBuilder = Callable[[Mapping[str, float]], people.Skeleton]
PosedBuilder = Callable[[Mapping[str, float]], tuple[MeshData, people.Skeleton]]


@dataclass(frozen=True)
class Recipe:
    """A named procedural asset.

    Attributes:
        name: registry key, e.g. "car".
        build_mesh: params -> MeshData in the object frame (metres, z up, origin at the centre of
            the ground footprint, +x forward); omitted params take their defaults.
        param_defaults: every parameter the recipe reads, with its default value.
        description: one line on what the recipe builds.
        build_skeleton: params -> the posed person's `people.Skeleton` (the joints of the same
            pose the mesh gets), for the recipes that build a person; None for the others.
        build_posed: params -> (`build_mesh(params)`, `build_skeleton(params)`) from one posing
            (half the work of calling both), for the recipes that build a person.
    """

    name: str
    build_mesh: Builder
    param_defaults: Mapping[str, float]
    description: str
    build_skeleton: SkeletonBuilder | None = None
    build_posed: PosedBuilder | None = None


def _is_size(key: str) -> bool:
    return key.endswith("_m") or key == "floors"


def _is_finite_number(value: object) -> bool:
    """A finite real number that is not a bool (floats first: the ABC check costs microseconds)."""
    if isinstance(value, float):  # float and np.float64
        return math.isfinite(value)
    return not isinstance(value, bool) and isinstance(value, numbers.Real) and math.isfinite(value)


def _resolve(recipe: str, params: Mapping[str, float], defaults: Mapping[str, float]) -> dict[str, float]:
    """Defaults overlaid with `params`; raises ValueError naming any unknown or invalid parameter."""
    unknown = sorted(set(params) - set(defaults))
    if unknown:
        raise ValueError(f"recipe {recipe!r} has no parameter(s) {', '.join(map(repr, unknown))}; "
                         f"valid: {', '.join(sorted(defaults))}")
    resolved = {**defaults, **params}
    for key, value in resolved.items():
        if not _is_finite_number(value):
            raise ValueError(f"recipe {recipe!r}: parameter {key!r} must be a finite number, got {value!r}")
        if _is_size(key) and value <= 0:
            raise ValueError(f"recipe {recipe!r}: parameter {key!r} must be positive, got {value!r}")
    return {key: float(value) for key, value in resolved.items()}


def _recipe(name: str, builder: Builder, defaults: Mapping[str, float],
            skeleton: SkeletonBuilder | None = None, posed: PosedBuilder | None = None) -> Recipe:
    """Wraps `builder` (and `skeleton` and `posed`, which expect complete, valid params) with
    defaults and validation."""
    frozen_defaults = MappingProxyType(dict(defaults))

    def build_mesh(params: Mapping[str, float]) -> MeshData:
        return builder(_resolve(name, params, frozen_defaults))

    def build_skeleton(params: Mapping[str, float]) -> people.Skeleton:
        return skeleton(_resolve(name, params, frozen_defaults))  # type: ignore[misc]

    def build_posed(params: Mapping[str, float]) -> tuple[MeshData, people.Skeleton]:
        return posed(_resolve(name, params, frozen_defaults))  # type: ignore[misc]

    build_mesh.__doc__ = builder.__doc__
    description = (inspect.getdoc(builder) or name).splitlines()[0]
    return Recipe(name, build_mesh, frozen_defaults, description, build_skeleton if skeleton else None,
                  build_posed if posed else None)


RECIPES: Mapping[str, Recipe] = MappingProxyType({recipe.name: recipe for recipe in (
    _recipe("car", vehicles.build_car, vehicles.CAR_DEFAULTS),
    _recipe("van", vehicles.build_van, vehicles.VAN_DEFAULTS),
    _recipe("bicycle", vehicles.build_bicycle, vehicles.BICYCLE_DEFAULTS),
    _recipe("pedestrian", people.build_pedestrian, people.PEDESTRIAN_DEFAULTS, people.pedestrian_skeleton,
            people.pedestrian_mesh_and_skeleton),
    _recipe("cyclist", people.build_cyclist, people.CYCLIST_DEFAULTS, people.cyclist_skeleton,
            people.cyclist_mesh_and_skeleton),
    _recipe("traffic_cone", street.build_traffic_cone, street.TRAFFIC_CONE_DEFAULTS),
    _recipe("pole", street.build_pole, street.POLE_DEFAULTS),
    _recipe("building", building.build_building, building.BUILDING_DEFAULTS),
    _recipe("tree", vegetation.build_tree, vegetation.TREE_DEFAULTS),
    _recipe("slab", ground.build_slab, ground.SLAB_DEFAULTS),
    _recipe("dashed_line", ground.build_dashed_line, ground.LINE_DEFAULTS),
    _recipe("manhole", ground.build_manhole, ground.MANHOLE_DEFAULTS),
    _recipe("drain_grate", ground.build_drain_grate, ground.DRAIN_GRATE_DEFAULTS),
    _recipe("deer", obstacles.build_deer, obstacles.DEER_DEFAULTS),
    _recipe("dog", obstacles.build_dog, obstacles.DOG_DEFAULTS),
    _recipe("tree_trunk", obstacles.build_tree_trunk, obstacles.TREE_TRUNK_DEFAULTS),
    _recipe("tire", obstacles.build_tire, obstacles.TIRE_DEFAULTS),
    _recipe("cardboard_box", obstacles.build_cardboard_box, obstacles.CARDBOARD_BOX_DEFAULTS),
    _recipe("mattress", obstacles.build_mattress, obstacles.MATTRESS_DEFAULTS),
    _recipe("rock", obstacles.build_rock, obstacles.ROCK_DEFAULTS),
    _recipe("stroller", obstacles.build_stroller, obstacles.STROLLER_DEFAULTS),
    _recipe("construction_barrier", obstacles.build_construction_barrier, obstacles.BARRIER_DEFAULTS),
    _recipe("cone_cluster", obstacles.build_cone_cluster, obstacles.CONE_CLUSTER_DEFAULTS),
    _recipe("truck", heavy.build_truck, heavy.TRUCK_DEFAULTS),
    _recipe("bus", heavy.build_bus, heavy.BUS_DEFAULTS),
    _recipe("motorcycle", heavy.build_motorcycle, heavy.MOTORCYCLE_DEFAULTS),
    _recipe("traffic_sign", signals.build_traffic_sign, signals.TRAFFIC_SIGN_DEFAULTS),
    _recipe("traffic_light", signals.build_traffic_light, signals.TRAFFIC_LIGHT_DEFAULTS),
    _recipe("wheelie_bin", furniture.build_wheelie_bin, furniture.WHEELIE_BIN_DEFAULTS),
    _recipe("litter_bin", furniture.build_litter_bin, furniture.LITTER_BIN_DEFAULTS),
    _recipe("bench", furniture.build_bench, furniture.BENCH_DEFAULTS),
    _recipe("bollard", furniture.build_bollard, furniture.BOLLARD_DEFAULTS),
    _recipe("fire_hydrant", furniture.build_fire_hydrant, furniture.FIRE_HYDRANT_DEFAULTS),
    _recipe("delineator", furniture.build_delineator, furniture.DELINEATOR_DEFAULTS),
    _recipe("bush", shrubs.build_bush, shrubs.BUSH_DEFAULTS),
    _recipe("hedge", shrubs.build_hedge, shrubs.HEDGE_DEFAULTS),
)})
"""The packaged procedural recipes (read-only; user asset files register in `simgen.catalog.prop_mesh`)."""
