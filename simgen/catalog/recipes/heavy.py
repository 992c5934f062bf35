"""Heavy vehicles and motorcycles: `truck`, `bus` and `motorcycle` as `MeshData` (pure numpy).

Object frame as in `vehicles`: metres, z up, origin at the centre of the ground footprint,
+x forward, +y left. Builders take complete, validated parameters (see `simgen.catalog.recipes`).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from simgen.geometry.mesh import MeshData, merge_meshes
from simgen.geometry.primitives import box_mesh, cylinder_mesh, tube_mesh

from .vehicles import number_plate

TRUCK_DEFAULTS: Mapping[str, float] = {"length_m": 8.0, "width_m": 2.5, "height_m": 3.4, "cab_length_m": 2.2,
                                       "wheel_radius_m": 0.5}
BUS_DEFAULTS: Mapping[str, float] = {"length_m": 12.0, "width_m": 2.55, "height_m": 3.1, "wheel_radius_m": 0.5}
MOTORCYCLE_DEFAULTS: Mapping[str, float] = {"length_m": 2.1, "width_m": 0.8, "height_m": 1.15,
                                            "wheel_radius_m": 0.31}

_TIRE_SEGMENTS = 20
MOTORCYCLE_PLATE_SIZE_M = (0.21, 0.13)  # EU motorcycle plate, width x height
_PROUD_M = 0.01  # glass and lights stand this far out of the body, so they never z-fight the paint


def _check_wheels(params: Mapping[str, float]) -> None:
    if params["wheel_radius_m"] >= 0.25 * params["height_m"] or params["wheel_radius_m"] >= 0.12 * params["length_m"]:
        raise ValueError(f"wheel_radius_m={params['wheel_radius_m']} is too large for length_m="
                         f"{params['length_m']} / height_m={params['height_m']}")


def _axle_wheels(xs_m: tuple[float, ...], width_m: float, radius_m: float) -> list[MeshData]:
    """A pair of tyres (with hubs) on each axle at x in xs_m, outer faces at +-width/2."""
    tire_width = 0.14 * width_m
    parts = []
    for x in xs_m:
        for side in (1.0, -1.0):
            parts.append(cylinder_mesh(radius_m, tire_width, (x, side * (width_m - tire_width) / 2, radius_m), "y",
                                       _TIRE_SEGMENTS, "tire"))
            parts.append(cylinder_mesh(0.5 * radius_m, 0.02, (x, side * (width_m / 2 - 0.005), radius_m), "y", 10,
                                       "metal"))
    return parts


def _lights(front_x_m: float, rear_x_m: float, half_width_m: float, z_m: float) -> list[MeshData]:
    """Head lights on the face at front_x_m, tail lights on the face at rear_x_m, mirrored in y."""
    size = (0.03, 0.3, 0.15)
    y = half_width_m - 0.25
    parts = [box_mesh(size, (front_x_m + _PROUD_M - 0.015, s * y, z_m), "headlight") for s in (1.0, -1.0)]
    parts += [box_mesh(size, (rear_x_m - _PROUD_M + 0.015, s * y, z_m), "taillight") for s in (1.0, -1.0)]
    return parts


def build_truck(params: Mapping[str, float]) -> MeshData:
    """Box truck: a cab with a windscreen and side windows, a taller cargo box, 2 axles, lights.

    Params (metres): length_m, width_m (tyres included), height_m (cargo box top), cab_length_m,
    wheel_radius_m. Slots: paint (cab), metal (cargo box, hubs), glass, tire, headlight, taillight,
    plate (front and rear).
    """
    _check_wheels(params)
    length, width, height, radius = params["length_m"], params["width_m"], params["height_m"], params["wheel_radius_m"]
    cab = min(params["cab_length_m"], 0.45 * length)
    half = 0.5 * width - 0.02
    floor = 1.2 * radius
    front, rear = 0.5 * length, -0.5 * length
    cab_height = 0.82 * height
    gap = 0.1
    cab_box = box_mesh((cab, 2 * half, cab_height - floor), (front - cab / 2, 0.0, (cab_height + floor) / 2), "paint")
    cargo_len = length - cab - gap
    cargo = box_mesh((cargo_len, 2 * half, height - floor), (rear + cargo_len / 2, 0.0, (height + floor) / 2), "metal")
    glass_z0, glass_z1 = floor + 0.55 * (cab_height - floor), cab_height - 0.12
    windscreen = box_mesh((0.02, 2 * half - 0.2, glass_z1 - glass_z0), (front + _PROUD_M - 0.01 + 0.0, 0.0,
                                                                         (glass_z0 + glass_z1) / 2), "glass")
    side_windows = [box_mesh((0.5 * cab, 0.02, glass_z1 - glass_z0),
                             (front - 0.45 * cab, s * (half + _PROUD_M - 0.01), (glass_z0 + glass_z1) / 2), "glass")
                    for s in (1.0, -1.0)]
    axles = (front - 0.5 * cab, rear + 0.22 * length)
    return merge_meshes([cab_box, cargo, windscreen, *side_windows, *_axle_wheels(axles, width, radius),
                         *_lights(front, rear, half, floor + 0.25), number_plate(front, floor + 0.1),
                         number_plate(rear, floor + 0.1)])


def build_bus(params: Mapping[str, float]) -> MeshData:
    """City bus: a long body with a continuous window band, windscreen, 2 axles, lights.

    Params (metres): length_m, width_m (tyres included), height_m (roof), wheel_radius_m.
    Slots: paint, glass, tire, metal (hubs), headlight, taillight, plate (front and rear).
    """
    _check_wheels(params)
    length, width, height, radius = params["length_m"], params["width_m"], params["height_m"], params["wheel_radius_m"]
    half = 0.5 * width - 0.02
    floor = 0.7 * radius
    body = box_mesh((length, 2 * half, height - floor), (0.0, 0.0, (height + floor) / 2), "paint")
    band_z0, band_z1 = floor + 0.42 * (height - floor), height - 0.25
    band = box_mesh((0.86 * length, 2 * (half + _PROUD_M), band_z1 - band_z0),
                    (-0.04 * length, 0.0, (band_z0 + band_z1) / 2), "glass")
    screen_z0 = floor + 0.3 * (height - floor)
    windscreen = box_mesh((0.02, 2 * half - 0.16, band_z1 - screen_z0),
                          (0.5 * length + _PROUD_M - 0.01, 0.0, (screen_z0 + band_z1) / 2), "glass")
    axles = (0.5 * length - 0.22 * length, -0.5 * length + 0.27 * length)
    return merge_meshes([body, band, windscreen, *_axle_wheels(axles, width, radius),
                         *_lights(0.5 * length, -0.5 * length, half, floor + 0.3),
                         number_plate(0.5 * length, floor + 0.12), number_plate(-0.5 * length, floor + 0.12)])


def build_motorcycle(params: Mapping[str, float]) -> MeshData:
    """Motorcycle: two tyres, engine block, tank, seat, fork and handlebar, head and tail light, rear plate.

    Params (metres): length_m (tyre to tyre), width_m (handlebar), height_m (handlebar top),
    wheel_radius_m. Slots: tire, metal (frame, fork, engine, bar), paint (tank), clothing_bottom
    (seat), headlight, taillight, plate (rear).
    """
    length, width, height, radius = params["length_m"], params["width_m"], params["height_m"], params["wheel_radius_m"]
    if radius >= 0.3 * length or 2 * radius >= 0.9 * height:
        raise ValueError(f"wheel_radius_m={radius} is too large for length_m={length} / height_m={height}")
    front_axle = np.array([0.5 * length - radius, 0.0, radius])
    rear_axle = np.array([-0.5 * length + radius, 0.0, radius])
    tire_width = 0.15 * min(width, 0.9)
    parts = [cylinder_mesh(radius, tire_width, tuple(axle), "y", _TIRE_SEGMENTS, "tire")
             for axle in (front_axle, rear_axle)]
    seat_z = 0.7 * height
    engine_len = 0.3 * length
    parts.append(box_mesh((engine_len, 0.3, 0.3), (0.0, 0.0, radius + 0.05), "metal"))
    parts.append(box_mesh((0.3 * length, 0.28, 0.18), (0.05 * length, 0.0, seat_z - 0.05), "paint",
                          top_scale=(0.8, 0.8)))
    parts.append(box_mesh((0.3 * length, 0.26, 0.08), (-0.22 * length, 0.0, seat_z), "clothing_bottom"))
    head = np.array([front_axle[0] - 0.25 * radius, 0.0, height - 0.08])
    for side in (1.0, -1.0):
        offset = np.array([0.0, side * 0.08, 0.0])
        parts.append(tube_mesh(front_axle + offset, head + offset, 0.025, 6, "metal"))
    parts.append(tube_mesh(rear_axle, np.array([-0.1 * length, 0.0, seat_z - 0.1]), 0.03, 6, "metal"))
    parts.append(tube_mesh(head + np.array([-0.05, -width / 2, 0.08]), head + np.array([-0.05, width / 2, 0.08]),
                           0.02, 6, "metal"))
    parts.append(box_mesh((0.06, 0.16, 0.12), tuple(head + np.array([0.08, 0.0, -0.05])), "headlight"))
    tail_x = -0.37 * length - 0.02
    parts.append(box_mesh((0.04, 0.12, 0.05), (tail_x, 0.0, seat_z), "taillight"))
    parts.append(number_plate(tail_x, seat_z - 0.09, MOTORCYCLE_PLATE_SIZE_M))  # hangs under the tail light
    return merge_meshes(parts)
