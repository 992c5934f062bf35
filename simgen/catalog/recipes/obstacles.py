"""Rare-obstacle recipes: animals, debris and road works that real driving data rarely shows.

`deer`, `dog`, `tree_trunk`, `tire`, `cardboard_box`, `mattress`, `rock`, `stroller`,
`construction_barrier` and `cone_cluster`, as `MeshData` (pure numpy, no randomness: shape
variation comes only from the parameters, which the sampler draws).

Object frame: metres, z up, origin at the centre of the ground footprint (z = 0 touches the
road), +x forward (an animal's head points along +x). Every part is a closed primitive with
outward faces. Builders take a complete, validated parameter mapping (see
`simgen.catalog.prop_mesh.get_recipe`).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from simgen.geometry.mesh import MeshData, merge_meshes, transform_mesh
from simgen.geometry.primitives import box_mesh, cylinder_mesh, sphere_mesh, tube_mesh

from .street import build_traffic_cone

DEER_DEFAULTS: Mapping[str, float] = {"length_m": 1.7, "width_m": 0.45, "height_m": 1.6, "head_turn_deg": 0.0}
DOG_DEFAULTS: Mapping[str, float] = {"length_m": 0.95, "width_m": 0.3, "height_m": 0.7, "head_turn_deg": 0.0}
TREE_TRUNK_DEFAULTS: Mapping[str, float] = {"length_m": 5.0, "radius_m": 0.25}
TIRE_DEFAULTS: Mapping[str, float] = {"radius_m": 0.33, "tread_width_m": 0.22, "lying": 0.0}
CARDBOARD_BOX_DEFAULTS: Mapping[str, float] = {"length_m": 0.6, "width_m": 0.45, "height_m": 0.4}
MATTRESS_DEFAULTS: Mapping[str, float] = {"length_m": 1.95, "width_m": 1.4, "height_m": 0.22}
ROCK_DEFAULTS: Mapping[str, float] = {"length_m": 0.8, "width_m": 0.6, "height_m": 0.45, "variant": 0.0}
STROLLER_DEFAULTS: Mapping[str, float] = {"length_m": 0.9, "width_m": 0.58, "height_m": 1.05}
BARRIER_DEFAULTS: Mapping[str, float] = {"length_m": 1.6, "width_m": 0.55, "height_m": 1.0}
CONE_CLUSTER_DEFAULTS: Mapping[str, float] = {"cone_height_m": 0.7, "spread_m": 1.2, "cones": 4.0}


def _fit(mesh: MeshData, length_m: float | None, width_m: float | None, height_m: float | None) -> MeshData:
    """Scale each axis (positive factors keep faces outward) to the given extents, put the
    footprint centre at the origin and the lowest point on z = 0."""
    low, high = mesh.bounds_m
    size = high - low
    scale = np.array([length_m / size[0] if length_m else 1.0, width_m / size[1] if width_m else 1.0,
                      height_m / size[2] if height_m else 1.0])
    vertices = (mesh.vertices_m - low) * scale
    vertices -= np.array([vertices[:, 0].max() / 2, vertices[:, 1].max() / 2, 0.0])
    return mesh.with_vertices(vertices)


def _quadruped(body_length_m: float, leg_m: float, neck_m: float, head_turn_deg: float, tail: bool,
               antlers: bool) -> MeshData:
    """A four-legged animal in canonical proportions (x forward); `_fit` sets its final size."""
    body_z = leg_m + 0.18 * body_length_m
    half = 0.5 * body_length_m
    parts = [sphere_mesh(half, (0.0, 0.0, body_z), 8, 12, "fur", scale=(1.0, 0.42, 0.36))]
    for x in (0.6 * half, -0.6 * half):
        for y in (0.12 * body_length_m, -0.12 * body_length_m):
            parts.append(tube_mesh((x, y, body_z), (x, y, 0.0), 0.05 * body_length_m, 6, "fur",
                                   end_radius_m=0.03 * body_length_m))
    turn = np.deg2rad(head_turn_deg)
    neck_top = np.array([0.9 * half + neck_m * 0.45 * np.cos(turn), neck_m * 0.45 * np.sin(turn), body_z + neck_m])
    parts.append(tube_mesh((0.75 * half, 0.0, body_z), neck_top, 0.09 * body_length_m, 8, "fur",
                           end_radius_m=0.06 * body_length_m))
    head = neck_top + 0.12 * body_length_m * np.array([np.cos(turn), np.sin(turn), 0.0])
    parts.append(sphere_mesh(0.12 * body_length_m, tuple(head), 6, 10, "fur", scale=(1.4, 0.7, 0.7)))
    if tail:
        parts.append(tube_mesh((-0.95 * half, 0.0, body_z + 0.05 * body_length_m),
                               (-1.35 * half, 0.0, body_z + 0.3 * body_length_m), 0.025 * body_length_m, 6, "fur"))
    if antlers:
        for side in (1.0, -1.0):
            parts.append(tube_mesh(tuple(head + [0.0, 0.03 * side, 0.06]),
                                   tuple(head + [-0.05, 0.15 * side, 0.3]), 0.012 * body_length_m, 5, "antler"))
    return merge_meshes(parts)


def build_deer(params: Mapping[str, float]) -> MeshData:
    """Deer standing on the road: ellipsoid body on four thin legs, long neck, head and antlers.

    Params: length_m (nose to tail, x), width_m (y), height_m (antler tips), metres;
    head_turn_deg (head yaw relative to the body, degrees). Slots: fur, antler.
    """
    mesh = _quadruped(1.0, 0.75, 0.45, params["head_turn_deg"], tail=True, antlers=True)
    return _fit(mesh, params["length_m"], params["width_m"], params["height_m"])


def build_dog(params: Mapping[str, float]) -> MeshData:
    """Dog: a shorter-legged quadruped with a raised tail and no antlers.

    Params: length_m (nose to tail), width_m, height_m (head top), metres; head_turn_deg.
    Slot: fur.
    """
    mesh = _quadruped(1.0, 0.4, 0.3, params["head_turn_deg"], tail=True, antlers=False)
    return _fit(mesh, params["length_m"], params["width_m"], params["height_m"])


def build_tree_trunk(params: Mapping[str, float]) -> MeshData:
    """Fallen tree trunk lying along x with two broken-off branch stubs.

    Params (metres): length_m (x), radius_m (trunk radius). Slot: bark.
    """
    length, radius = params["length_m"], params["radius_m"]
    if length <= 4 * radius:
        raise ValueError(f"length_m={length} must exceed 4 x radius_m={radius}")
    return merge_meshes([
        cylinder_mesh(radius, length, (0.0, 0.0, radius), "x", 12, "bark", top_radius_m=0.8 * radius),
        tube_mesh((0.2 * length, 0.0, radius), (0.32 * length, 0.9 * radius, 1.7 * radius), 0.3 * radius, 6, "bark"),
        tube_mesh((-0.15 * length, 0.0, radius), (-0.05 * length, -1.0 * radius, 1.5 * radius), 0.25 * radius, 6,
                  "bark"),
    ])


def build_tire(params: Mapping[str, float]) -> MeshData:
    """Loose tyre: a tread cylinder with a metal rim on each side, upright (axis y) or lying flat.

    Params: radius_m, tread_width_m (metres); lying (>= 0.5: lying flat, axis z). Slots: tire, metal.
    """
    radius, width = params["radius_m"], params["tread_width_m"]
    rim = [cylinder_mesh(0.62 * radius, 0.02, (0.0, side * (width / 2 + 0.005), 0.0), "y", 16, "metal")
           for side in (1.0, -1.0)]
    mesh = merge_meshes([cylinder_mesh(radius, width, (0.0, 0.0, 0.0), "y", 24, "tire"), *rim])
    if params["lying"] >= 0.5:
        mesh = transform_mesh(mesh, roll_deg=90.0)
    low = mesh.bounds_m[0]
    return transform_mesh(mesh, (0.0, 0.0, -low[2]))


def build_cardboard_box(params: Mapping[str, float]) -> MeshData:
    """Cardboard box fallen off a truck: a box with a tape strip across its top.

    Params (metres): length_m, width_m, height_m. Slots: cardboard, tape.
    """
    length, width, height = params["length_m"], params["width_m"], params["height_m"]
    return merge_meshes([
        box_mesh((length, width, 0.99 * height), (0.0, 0.0, 0.495 * height), "cardboard"),
        box_mesh((1.01 * length, 0.12 * width, 0.02 * height), (0.0, 0.0, 0.99 * height), "tape"),
    ])


def build_mattress(params: Mapping[str, float]) -> MeshData:
    """Mattress lying on the road: a padded slab with a slightly smaller top layer.

    Params (metres): length_m, width_m, height_m. Slot: fabric.
    """
    length, width, height = params["length_m"], params["width_m"], params["height_m"]
    return merge_meshes([
        box_mesh((length, width, 0.8 * height), (0.0, 0.0, 0.4 * height), "fabric", top_scale=(0.99, 0.99)),
        box_mesh((0.97 * length, 0.96 * width, 0.21 * height), (0.0, 0.0, 0.895 * height), "fabric",
                 top_scale=(0.97, 0.95)),
    ])


def build_rock(params: Mapping[str, float]) -> MeshData:
    """Rock: a lumpy ellipsoid; `variant` in [0, 1] shifts the lumps (deterministically).

    Params: length_m, width_m, height_m (metres); variant. Slot: rock.
    """
    sphere = sphere_mesh(1.0, (0.0, 0.0, 0.0), 8, 14, "rock")
    v = sphere.vertices_m
    theta, phi = np.arctan2(v[:, 1], v[:, 0]), np.arcsin(np.clip(v[:, 2], -1.0, 1.0))
    phase = 2 * np.pi * params["variant"]
    lumps = 1.0 + 0.12 * np.sin(3 * theta + phase) * np.cos(2 * phi) + 0.08 * np.cos(5 * theta - 2 * phase)
    flattened = v * lumps[:, None]
    flattened[:, 2] = np.maximum(flattened[:, 2], -0.4)  # a flat underside resting on the road
    mesh = sphere.with_vertices(flattened)
    return _fit(mesh, params["length_m"], params["width_m"], params["height_m"])


def build_stroller(params: Mapping[str, float]) -> MeshData:
    """Baby stroller: fabric basket and hood on a metal frame with four wheels and a push bar.

    Params (metres): length_m (x, push bar at -x), width_m, height_m (push bar top).
    Slots: fabric, metal, tire.
    """
    parts = [box_mesh((0.55, 0.5, 0.3), (0.05, 0.0, 0.5), "fabric", top_scale=(1.1, 1.0)),
             sphere_mesh(0.25, (-0.1, 0.0, 0.68), 6, 10, "fabric", scale=(1.0, 1.0, 0.9))]
    for x in (0.25, -0.25):
        for y in (0.23, -0.23):
            parts.append(cylinder_mesh(0.09, 0.04, (x, y, 0.09), "y", 12, "tire"))
            parts.append(tube_mesh((x, y, 0.09), (0.0, y * 0.9, 0.45), 0.012, 6, "metal"))
    for y in (0.22, -0.22):
        parts.append(tube_mesh((-0.15, y, 0.45), (-0.42, y, 1.0), 0.014, 6, "metal"))
    parts.append(tube_mesh((-0.42, -0.24, 1.0), (-0.42, 0.24, 1.0), 0.02, 8, "metal"))
    return _fit(merge_meshes(parts), params["length_m"], params["width_m"], params["height_m"])


def build_construction_barrier(params: Mapping[str, float]) -> MeshData:
    """Road-works barrier: two A-frame legs carrying two striped boards (red and white).

    Params (metres): length_m (boards along x), width_m (leg spread along y), height_m.
    Slots: metal, barrier_red, reflective_white.
    """
    parts = []
    for x in (-0.45, 0.45):
        for y in (0.25, -0.25):
            parts.append(tube_mesh((x, y, 0.0), (x, 0.0, 1.0), 0.02, 6, "metal"))
    for z, color in ((0.85, "barrier_red"), (0.55, "reflective_white")):
        parts.append(box_mesh((1.0, 0.03, 0.14), (0.0, 0.0, z), color))
    parts.append(box_mesh((0.98, 0.032, 0.05), (0.0, 0.0, 0.85), "reflective_white"))
    return _fit(merge_meshes(parts), params["length_m"], params["width_m"], params["height_m"])


def build_cone_cluster(params: Mapping[str, float]) -> MeshData:
    """Knocked-over traffic cones lying on their sides, spread around the origin.

    Params: cone_height_m, spread_m (radius of the cluster, metres); cones (count, rounded,
    1..8). Cones sit on a golden-angle spiral, each pointing a different way. Slots: as
    `traffic_cone`.
    """
    count = int(np.clip(np.floor(params["cones"] + 0.5), 1, 8))
    height, spread = params["cone_height_m"], params["spread_m"]
    cone = build_traffic_cone({"height_m": height, "base_width_m": 0.55 * height})
    lying = transform_mesh(cone, pitch_deg=90.0 - np.degrees(np.arctan(0.25)))
    lying = transform_mesh(lying, (0.0, 0.0, -lying.bounds_m[0][2]))
    parts = []
    for i in range(count):
        radius = spread * np.sqrt((i + 0.5) / count)
        angle = i * 2.39996
        parts.append(transform_mesh(lying, (radius * np.cos(angle), radius * np.sin(angle), 0.0),
                                    yaw_deg=float(np.degrees(angle)) * 1.7 + 40.0 * i))
    mesh = merge_meshes(parts)
    return _fit(mesh, None, None, None)
