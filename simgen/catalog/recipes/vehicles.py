"""Vehicle recipes: `car`, `van` and `bicycle` as `MeshData` (pure numpy).

Object frame: metres, z up, origin at the centre of the ground footprint (z = 0 is where the
wheels touch the ground), +x forward (headlights at +x, tail lights at -x), +y to the left.
Every builder takes a complete, validated parameter mapping (see `simgen.catalog.prop_mesh.get_recipe`,
which fills defaults and rejects unknown or non-positive sizes).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from simgen.catalog.recipes.car_body import BODY_STYLES, CarBody, car_body
from simgen.geometry.mesh import MeshData, merge_meshes
from simgen.geometry.primitives import box_mesh, cylinder_mesh, tube_mesh

CAR_DEFAULTS: Mapping[str, float] = {"length_m": 4.5, "width_m": 1.8, "height_m": 1.5, "wheel_radius_m": 0.33,
                                     "body_style": 0.0}
VAN_DEFAULTS: Mapping[str, float] = {"length_m": 5.2, "width_m": 2.0, "height_m": 2.3, "wheel_radius_m": 0.36}
BICYCLE_DEFAULTS: Mapping[str, float] = {"length_m": 1.75, "width_m": 0.6, "height_m": 1.05,
                                         "wheel_radius_m": 0.34}

SADDLE_HEIGHT_FRACTION = 0.93  # saddle top height / handlebar top height of a bicycle
PLATE_SIZE_M = (0.52, 0.11)  # EU number plate, width x height
_TIRE_SEGMENTS = 20
_LEFT_CRANK_START_DEG = 165.0  # left crank angle at crank_turns = 0, from +x towards +z
_RIM_FRACTION = 0.62  # rim radius / wheel radius
_TIRE_PROFILE = np.array([  # (radius / wheel radius, y / tyre width): tread, shoulders, sidewalls, bore
    [0.97, 1.0, 1.0, 0.97, 0.88, _RIM_FRACTION, _RIM_FRACTION, 0.88],
    [-0.45, -0.3, 0.3, 0.45, 0.5, 0.5, -0.5, -0.5]])
_TIRE_PROFILE.flags.writeable = False


@dataclass(frozen=True)
class _Chassis:
    """Shared vehicle dimensions, metres: overall size, wheels and the belt line the wheels must fit under."""

    length_m: float
    width_m: float
    height_m: float
    wheel_radius_m: float
    belt_fraction: float

    @property
    def belt_m(self) -> float:
        return self.belt_fraction * self.height_m


def _chassis(params: Mapping[str, float], belt_fraction: float) -> _Chassis:
    """Reads the four vehicle parameters; raises ValueError if the wheels do not fit."""
    chassis = _Chassis(params["length_m"], params["width_m"], params["height_m"], params["wheel_radius_m"],
                       belt_fraction)
    if chassis.wheel_radius_m >= 0.2 * chassis.length_m or 2 * chassis.wheel_radius_m >= 0.9 * chassis.belt_m:
        raise ValueError(f"wheel_radius_m={chassis.wheel_radius_m} is too large for length_m="
                         f"{chassis.length_m} / height_m={chassis.height_m}")
    return chassis


def number_plate(face_x_m: float, z_m: float, size_m: tuple[float, float] = PLATE_SIZE_M) -> MeshData:
    """A 10 mm thick number plate (plate) of `size_m` = (width y, height z) metres, centred at
    y = 0, `z_m` on the front or rear face at x = `face_x_m`: it stands 5 mm proud of that face."""
    return box_mesh((0.01, size_m[0], size_m[1]), (face_x_m, 0.0, z_m), "plate")


def _tire_and_rim(center_m: np.ndarray, radius_m: float, width_m: float, side: float) -> list[MeshData]:
    """A tyre (lathed profile: tread, rounded shoulders, sidewalls) about an axis along y through
    `center_m`, and its rim (metal disc plugging the tyre's bore, set 1 cm into the outer face)."""
    tire = _lathe_mesh(center_m, radius_m * _TIRE_PROFILE[0], width_m * _TIRE_PROFILE[1], "tire", _TIRE_SEGMENTS)
    rim_center = center_m - [0.0, side * 0.01, 0.0]
    return [tire, cylinder_mesh(_RIM_FRACTION * radius_m + 0.005, width_m - 0.02, rim_center, "y", 14, "metal")]


def _car_wheels(chassis: _Chassis, axle_x_m: float, outer_y_m: float) -> list[MeshData]:
    """Four tyres with rims, touching z = 0, outer tyre faces at y = +-`outer_y_m`."""
    width, radius = 0.12 * chassis.width_m, chassis.wheel_radius_m
    wheels = {side: _tire_and_rim(np.zeros(3), radius, width, side) for side in (1.0, -1.0)}  # built once a side
    return [part.with_vertices(part.vertices_m + [x, side * (outer_y_m - width / 2), radius])
            for x in (axle_x_m, -axle_x_m) for side in (1.0, -1.0) for part in wheels[side]]


def _car_details(chassis: _Chassis, body: CarBody) -> list[MeshData]:
    """Head and tail lights and number plates on the end faces (5 mm proud, so they end exactly
    at +-length/2), and the two door mirrors (their tips at y = +-width/2)."""
    (tail_floor, tail_top), (nose_floor, nose_top) = body.ends_m
    light = (0.03, 0.16 * chassis.width_m, 0.07 * (nose_top - nose_floor) + 0.04)
    light_y = 0.85 * body.end_half_width_m - light[1] / 2
    face_x = 0.5 * chassis.length_m
    parts = []
    ends = ((1.0, nose_floor, nose_top, "headlight"), (-1.0, tail_floor, tail_top, "taillight"))
    for sign, floor, top, material in ends:
        center_x, z = sign * (face_x - light[0] / 2), floor + 0.72 * (top - floor)
        parts += [box_mesh(light, (center_x, side * light_y, z), material) for side in (1.0, -1.0)]
    size = (min(PLATE_SIZE_M[0], 0.3 * chassis.width_m), PLATE_SIZE_M[1])
    parts += [number_plate(face_x - 0.005, nose_floor + 0.3 * (nose_top - nose_floor), size),
              number_plate(-face_x + 0.005, tail_floor + 0.45 * (tail_top - tail_floor), size)]
    inner = 0.9 * body.half_width_m
    mirror = (0.1, 0.5 * chassis.width_m - inner, 0.08)
    parts += [box_mesh(mirror, (body.mirror_x_m - 0.05, side * (inner + mirror[1] / 2), body.belt_m + 0.06), "paint")
              for side in (1.0, -1.0)]
    return parts


def _body_and_wheels(chassis: _Chassis, style: str) -> tuple[CarBody, list[MeshData]]:
    """The lofted body of `style` (body 0.94 x width_m wide, axles at +-0.3 length_m) and its
    wheels (outer tyre faces at +-0.465 width_m, inside the mirrors)."""
    axle_x = 0.3 * chassis.length_m
    body = car_body(chassis.length_m, chassis.height_m, 0.47 * chassis.width_m, chassis.wheel_radius_m, axle_x, style)
    return body, _car_wheels(chassis, axle_x, 0.465 * chassis.width_m)


def build_car(params: Mapping[str, float]) -> MeshData:
    """Passenger car: a smooth lofted paint body with glass greenhouse and wheel arches, 4 tyres
    with rims, door mirrors, head and tail lights, number plates.

    Params (metres): length_m (x extent), width_m (y extent, mirror tip to mirror tip; tyres
    inside it), height_m (roof top), wheel_radius_m; body_style (rounded: 0 sedan, 1 hatchback,
    2 estate, 3 suv; see `car_body.BODY_STYLES`). Slots: paint (body, mirrors), glass, tire,
    metal (rims), headlight, taillight, plate (front and rear).
    """
    chassis = _chassis(params, belt_fraction=0.6)
    style = int(np.clip(np.rint(params["body_style"]), 0, len(BODY_STYLES) - 1))
    body, wheels = _body_and_wheels(chassis, BODY_STYLES[style])
    return merge_meshes([body.mesh, *wheels, *_car_details(chassis, body)])


def build_van(params: Mapping[str, float]) -> MeshData:
    """Delivery van: a tall lofted paint body (short bonnet, raked windscreen, cab side windows,
    flat roof and rear), a pane on the rear doors, 4 tyres with rims, mirrors, lights, number plates.

    Params (metres): length_m, width_m (mirror tip to mirror tip; tyres inside it), height_m (roof
    top), wheel_radius_m. Slots: paint, glass, tire, metal (rims), headlight, taillight, plate.
    """
    chassis = _chassis(params, belt_fraction=0.45)
    body, wheels = _body_and_wheels(chassis, "van")
    cabin_height = chassis.height_m - body.belt_m
    pane = box_mesh((0.01, 1.3 * body.end_half_width_m, 0.3 * cabin_height),
                    (-0.5 * chassis.length_m + 0.005, 0.0, body.belt_m + 0.45 * cabin_height), "glass")
    return merge_meshes([body.mesh, pane, *wheels, *_car_details(chassis, body)])


@dataclass(frozen=True)
class BicycleRig:
    """A bicycle mesh plus the points a rider attaches to (object frame, metres, (3,) arrays).

    Attributes:
        mesh: the bicycle.
        saddle_top_m: top centre of the saddle.
        grips_m: (left +y, right -y) handlebar grip centres.
        pedals_m: (left +y, right -y) pedal top centres.
    """

    mesh: MeshData
    saddle_top_m: np.ndarray
    grips_m: tuple[np.ndarray, np.ndarray]
    pedals_m: tuple[np.ndarray, np.ndarray]


@lru_cache(maxsize=16)
def _lathe_template(count: int, segments: int) -> tuple[np.ndarray, ...]:
    """(cos, sin, loops, counts, slots) of `_lathe_mesh` for a `count`-point profile: read-only."""
    angles = np.linspace(0.0, 2 * np.pi, segments, endpoint=False)
    a = count * np.arange(segments)[:, None]
    b = count * ((np.arange(segments) + 1) % segments)[:, None]
    k, k1 = np.arange(count), (np.arange(count) + 1) % count
    loops = np.stack([a + k, a + k1, b + k1, b + k], axis=2).ravel()  # (segment, side, corner)
    faces = count * segments
    arrays = (np.cos(angles)[:, None], np.sin(angles)[:, None], loops.astype(np.int32),
              np.full(faces, 4, dtype=np.int32), np.zeros(faces, dtype=np.int32))
    for array in arrays:
        array.flags.writeable = False
    return arrays


def _lathe_mesh(center_m: np.ndarray, radii_m: np.ndarray, y_m: np.ndarray, material: str,
                segments: int) -> MeshData:
    """A closed ring lathed about an axis along y through `center_m`: the closed (K,) profile of
    (radius, y offset) points, outer -y to +y then inner +y to -y, turned into `segments` steps."""
    cos, sin, loops, counts, slots = _lathe_template(len(radii_m), segments)
    vertices = np.empty((segments, len(radii_m), 3))  # K profile points per angle
    vertices[:, :, 0] = radii_m * cos
    vertices[:, :, 1] = y_m
    vertices[:, :, 2] = radii_m * sin
    return MeshData(vertices.reshape(-1, 3) + center_m, loops, counts, slots, (material,))


def _ring_mesh(center_m: np.ndarray, outer_radius_m: float, inner_radius_m: float, width_m: float,
               material: str, segments: int = _TIRE_SEGMENTS) -> MeshData:
    """A closed annulus (tyre) about an axis along y through `center_m`: square cross-section."""
    radii = np.array([outer_radius_m, outer_radius_m, inner_radius_m, inner_radius_m])
    return _lathe_mesh(center_m, radii, np.array([-0.5, 0.5, 0.5, -0.5]) * width_m, material, segments)


def _bicycle_wheel(center_m: np.ndarray, radius_m: float, tube_radius_m: float) -> list[MeshData]:
    """Thin tyre ring, hub and two crossed spokes (metal), in the x-z plane."""
    spoke = 0.85 * radius_m
    parts = [_ring_mesh(center_m, radius_m, 0.88 * radius_m, 0.035, "tire", 16),
             cylinder_mesh(2 * tube_radius_m, 0.08, center_m, "y", 8, "metal")]
    for angle in (np.pi / 4, 3 * np.pi / 4):
        reach = spoke * np.array([np.cos(angle), 0.0, np.sin(angle)])
        parts.append(tube_mesh(center_m - reach, center_m + reach, 0.2 * tube_radius_m, 4, "metal"))
    return parts


def _frame_points(length_m: float, height_m: float, radius_m: float) -> dict[str, np.ndarray]:
    """Key frame points (object frame, metres) of a diamond-frame bicycle."""
    wheelbase = length_m - 2 * radius_m
    bar_radius = 0.0095 * length_m
    rear = np.array([-0.5 * length_m + radius_m, 0.0, radius_m])
    front = np.array([0.5 * length_m - radius_m, 0.0, radius_m])
    bracket = np.array([rear[0] + 0.41 * wheelbase, 0.0, 0.8 * radius_m])
    seat_dir = np.array([-np.cos(np.deg2rad(73.0)), 0.0, np.sin(np.deg2rad(73.0))])
    saddle_z = SADDLE_HEIGHT_FRACTION * height_m
    post_top = bracket + seat_dir * (saddle_z - 0.035 * length_m - bracket[2]) / seat_dir[2]
    bar = np.array([front[0] - 0.12 * wheelbase, 0.0, height_m - bar_radius])
    head_top = bar - np.array([0.04 * wheelbase, 0.0, 0.12 * (height_m - radius_m)])
    return {"rear": rear, "front": front, "bracket": bracket, "post_top": post_top,
            "seat_top": bracket + 0.75 * (post_top - bracket), "bar": bar, "head_top": head_top,
            "head_bottom": head_top + 0.3 * (front - head_top),
            "saddle_top": np.array([post_top[0] + 0.02, 0.0, saddle_z])}


def _frame_tubes(points: dict[str, np.ndarray], tube_radius_m: float) -> list[MeshData]:
    """Seat, top, down, head tubes, stays, fork and stem as metal tubes."""
    pairs = (("bracket", "post_top"), ("seat_top", "head_top"), ("bracket", "head_bottom"),
             ("head_bottom", "head_top"), ("bracket", "rear"), ("seat_top", "rear"),
             ("head_bottom", "front"), ("head_top", "bar"))
    return [tube_mesh(points[a], points[b], tube_radius_m, 6, "metal") for a, b in pairs]


def _drivetrain(bracket_m: np.ndarray, crank_m: float, width_m: float, tube_radius_m: float,
                crank_turns: float) -> tuple[list[MeshData], tuple[np.ndarray, np.ndarray]]:
    """Chainring, two cranks and pedals; returns the parts and the (left, right) pedal tops.

    `crank_turns` (0..1) turns the cranks the way forward pedalling does (the front pedal goes
    down); at 0 the left pedal is back and slightly up, the right one forward and slightly down.
    """
    parts = [cylinder_mesh(0.6 * crank_m, 0.01, bracket_m + [0.0, -0.05, 0.0], "y", 12, "metal")]
    pedals = []
    left_angle = np.deg2rad(_LEFT_CRANK_START_DEG - 360.0 * crank_turns)  # angles from +x towards +z
    for side, angle in ((1.0, left_angle), (-1.0, left_angle + np.pi)):
        pedal = bracket_m + np.array([crank_m * np.cos(angle), side * 0.18 * width_m, crank_m * np.sin(angle)])
        parts.append(tube_mesh(bracket_m + [0.0, side * 0.06, 0.0], pedal, tube_radius_m, 4, "metal"))
        parts.append(box_mesh((0.09, 0.08, 0.02), pedal, "metal"))
        pedals.append(pedal + [0.0, 0.0, 0.01])
    return parts, (pedals[0], pedals[1])


def bicycle_rig(length_m: float, width_m: float, height_m: float, wheel_radius_m: float,
                crank_turns: float = 0.0) -> BicycleRig:
    """Builds a bicycle (sizes in metres; height_m = handlebar top) and its rider attachment points.

    `crank_turns` (0..1) is how far the cranks have turned (see `_drivetrain`).
    """
    if height_m < 2.2 * wheel_radius_m or length_m < 4.4 * wheel_radius_m:
        raise ValueError(f"wheel_radius_m={wheel_radius_m} is too large for length_m={length_m} / "
                         f"height_m={height_m}")
    points = _frame_points(length_m, height_m, wheel_radius_m)
    tube_radius, bar_radius = 0.012 * length_m, 0.0095 * length_m
    drive, pedals = _drivetrain(points["bracket"], 0.5 * wheel_radius_m, width_m, 0.5 * tube_radius, crank_turns)
    grip_y = 0.4 * width_m
    saddle = box_mesh((0.15 * length_m, 0.08 * length_m, 0.035 * length_m),
                      points["saddle_top"] - [0.0, 0.0, 0.0175 * length_m], "tire")
    parts = [*_bicycle_wheel(points["rear"], wheel_radius_m, tube_radius),
             *_bicycle_wheel(points["front"], wheel_radius_m, tube_radius),
             *_frame_tubes(points, tube_radius), *drive, saddle,
             cylinder_mesh(0.75 * bar_radius, 0.7 * width_m, points["bar"], "y", 8, "metal"),
             *(cylinder_mesh(bar_radius, 0.2 * width_m, points["bar"] + [0.0, side * grip_y, 0.0], "y", 8, "tire")
               for side in (1.0, -1.0))]
    grips = (points["bar"] + [0.0, grip_y, 0.0], points["bar"] - [0.0, grip_y, 0.0])
    return BicycleRig(merge_meshes(parts), points["saddle_top"], grips, pedals)


def build_bicycle(params: Mapping[str, float]) -> MeshData:
    """Diamond-frame bicycle without rider: two thin tyres, metal frame, saddle and grips.

    Params (metres): length_m (tyre to tyre), width_m (handlebar width), height_m (handlebar
    top), wheel_radius_m. Slots: tire (tyres, saddle, grips), metal (frame, hubs, cranks).
    """
    return bicycle_rig(params["length_m"], params["width_m"], params["height_m"], params["wheel_radius_m"]).mesh
