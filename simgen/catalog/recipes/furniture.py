"""Sidewalk and roadside furniture: `wheelie_bin`, `litter_bin`, `bench`, `bollard`,
`fire_hydrant` and `delineator` (pure numpy).

Object frame: metres, z up, origin at the centre of the ground footprint (z = 0 is the ground
contact), +x forward: a wheelie bin's lid opens towards +x, a bench's length runs along x and
its seat faces +y (the backrest is on the -y side), a delineator's reflector faces +x.
Builders take a complete, validated parameter mapping (see `simgen.catalog.prop_mesh.get_recipe`).
"""

from __future__ import annotations

from collections.abc import Mapping

from simgen.geometry.mesh import MeshData, merge_meshes
from simgen.geometry.primitives import box_mesh, cylinder_mesh

WHEELIE_BIN_DEFAULTS: Mapping[str, float] = {"length_m": 0.74, "width_m": 0.58, "height_m": 1.07}
LITTER_BIN_DEFAULTS: Mapping[str, float] = {"radius_m": 0.28, "height_m": 0.9}
BENCH_DEFAULTS: Mapping[str, float] = {"length_m": 1.8, "width_m": 0.65, "height_m": 0.85, "seat_height_m": 0.45}
BOLLARD_DEFAULTS: Mapping[str, float] = {"radius_m": 0.1, "height_m": 1.0}
FIRE_HYDRANT_DEFAULTS: Mapping[str, float] = {"radius_m": 0.14, "height_m": 0.75}
DELINEATOR_DEFAULTS: Mapping[str, float] = {"width_m": 0.12, "height_m": 1.0}


def build_wheelie_bin(params: Mapping[str, float]) -> MeshData:
    """Two-wheeled kerbside bin: a body widening upwards, a lid, two wheels and an axle at the
    back (-x).

    Params (metres): length_m (x, front to back), width_m (y), height_m (lid top).
    Slots: paint (body, lid), tire (wheels), cone_base (axle and handle, black plastic).
    """
    length, width, height = params["length_m"], params["width_m"], params["height_m"]
    wheel_r = min(0.1, 0.2 * height)
    lid_h = 0.05 * height
    body_h = height - lid_h - 0.03 * height
    body_bottom = 0.03 * height
    body = box_mesh((0.88 * length, 0.9 * width, body_h), (0.0, 0.0, body_bottom + body_h / 2), "paint",
                    top_scale=(1.1, 1.08))
    lid = box_mesh((length, width, lid_h), (0.0, 0.0, height - lid_h / 2), "paint")
    wheel_w = 0.08 * width
    wheels = [cylinder_mesh(wheel_r, wheel_w, (-length / 2 + wheel_r, side * (width / 2 - wheel_w / 2), wheel_r),
                            "y", 12, "tire") for side in (-1, 1)]
    axle = cylinder_mesh(0.015, width - 2 * wheel_w, (-length / 2 + wheel_r, 0.0, wheel_r), "y", 8, "cone_base")
    handle = box_mesh((0.04, 0.8 * width, 0.04), (-length / 2 + 0.02, 0.0, height - lid_h - 0.04), "cone_base")
    return merge_meshes([body, lid, *wheels, axle, handle])


def build_litter_bin(params: Mapping[str, float]) -> MeshData:
    """Round street litter bin: a metal drum with a dark rim at the top.

    Params (metres): radius_m (rim radius), height_m. Slots: metal (drum), cone_base (rim).
    """
    radius, height = params["radius_m"], params["height_m"]
    rim_h = 0.08 * height
    return merge_meshes([
        cylinder_mesh(0.94 * radius, height - rim_h, (0.0, 0.0, (height - rim_h) / 2), "z", 16, "metal"),
        cylinder_mesh(radius, rim_h, (0.0, 0.0, height - rim_h / 2), "z", 16, "cone_base"),
    ])


def build_bench(params: Mapping[str, float]) -> MeshData:
    """Park bench: two metal side frames, a wooden seat and backrest (on the -y side).

    Params (metres): length_m (x), width_m (y, seat depth), height_m (backrest top),
    seat_height_m. Slots: metal (frames), bark (wood).
    """
    length, width, height, seat_z = params["length_m"], params["width_m"], params["height_m"], params["seat_height_m"]
    if not 0.1 < seat_z < height - 0.1:
        raise ValueError(f"bench: seat_height_m={seat_z} must lie between 0.1 and height_m - 0.1 = {height - 0.1}")
    seat_t, back_t = 0.05, 0.05
    leg_x = length / 2 - 0.12 * length
    parts = []
    for side in (-1, 1):
        parts.append(box_mesh((0.06, 0.9 * width, seat_z - seat_t), (side * leg_x, 0.05 * width,
                                                                      (seat_z - seat_t) / 2), "metal"))
        parts.append(box_mesh((0.06, 0.06, height - seat_z), (side * leg_x, -width / 2 + 0.03,
                                                              seat_z + (height - seat_z) / 2), "metal"))
    parts.append(box_mesh((length, 0.9 * width, seat_t), (0.0, 0.05 * width, seat_z - seat_t / 2), "bark"))
    back_h = 0.6 * (height - seat_z)
    parts.append(box_mesh((length, back_t, back_h), (0.0, -width / 2 + 0.06 + back_t / 2, height - back_h / 2),
                          "bark"))
    return merge_meshes(parts)


def build_bollard(params: Mapping[str, float]) -> MeshData:
    """Street bollard: a metal post with a reflective band and a rounded (tapered) cap.

    Params (metres): radius_m, height_m. Slots: metal, reflective_white.
    """
    radius, height = params["radius_m"], params["height_m"]
    cap_h = min(0.08, 0.1 * height)
    shaft_h = height - cap_h
    band_z = 0.8 * shaft_h
    return merge_meshes([
        cylinder_mesh(0.97 * radius, shaft_h, (0.0, 0.0, shaft_h / 2), "z", 14, "metal"),
        cylinder_mesh(radius, 0.08 * height, (0.0, 0.0, band_z), "z", 14, "reflective_white"),
        cylinder_mesh(0.97 * radius, cap_h, (0.0, 0.0, shaft_h + cap_h / 2), "z", 14, "metal",
                      top_radius_m=0.4 * radius),
    ])


def build_fire_hydrant(params: Mapping[str, float]) -> MeshData:
    """Pillar fire hydrant: a flanged foot, a barrel, a domed cap and three outlet nozzles.

    Params (metres): radius_m (foot flange radius; the side nozzles reach it too), height_m.
    Slots: barrier_red (body), metal (cap and nozzle caps).
    """
    radius, height = params["radius_m"], params["height_m"]
    foot_h, cap_h = 0.08 * height, 0.15 * height
    barrel_r = 0.6 * radius
    barrel_h = height - foot_h - cap_h
    nozzle_z = foot_h + 0.65 * barrel_h
    nozzle_len = radius - barrel_r + 0.02
    parts = [cylinder_mesh(radius, foot_h, (0.0, 0.0, foot_h / 2), "z", 16, "barrier_red"),
             cylinder_mesh(barrel_r, barrel_h, (0.0, 0.0, foot_h + barrel_h / 2), "z", 16, "barrier_red"),
             cylinder_mesh(0.7 * radius, cap_h, (0.0, 0.0, height - cap_h / 2), "z", 16, "metal",
                           top_radius_m=0.2 * radius)]
    for side in (-1, 1):
        parts.append(cylinder_mesh(0.25 * radius, nozzle_len, (0.0, side * (radius - nozzle_len / 2), nozzle_z),
                                   "y", 10, "metal"))
    parts.append(cylinder_mesh(0.35 * radius, nozzle_len, (radius - nozzle_len / 2, 0.0, nozzle_z - 0.1 * barrel_h),
                               "x", 10, "metal"))
    return merge_meshes(parts)


def build_delineator(params: Mapping[str, float]) -> MeshData:
    """Roadside delineator post: a white square post with a black band and an amber reflector
    on its +x face.

    Params (metres): width_m (post side, x and y), height_m. Slots: reflective_white (post),
    cone_base (band), cone_orange (reflector).
    """
    width, height = params["width_m"], params["height_m"]
    band_h = 0.2 * height
    band_z = height - 0.05 * height - band_h / 2
    post_h = band_z - band_h / 2
    top_h = height - post_h - band_h
    return merge_meshes([
        box_mesh((width, width, post_h), (0.0, 0.0, post_h / 2), "reflective_white"),
        box_mesh((width, width, band_h), (0.0, 0.0, band_z), "cone_base"),
        box_mesh((width, width, top_h), (0.0, 0.0, height - top_h / 2), "reflective_white"),
        box_mesh((0.01, 0.6 * width, 0.5 * band_h), (width / 2 + 0.005, 0.0, band_z), "cone_orange"),
    ])
