"""Street furniture that regulates traffic: `traffic_sign` and `traffic_light` (pure numpy).

Object frame: metres, z up, origin at the centre of the ground footprint (like every recipe;
the pole's foot is slightly behind it), the sign or signal faces +x (towards traffic coming
from +x). Builders take complete, validated parameters (see `simgen.catalog.recipes`).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from simgen.geometry.mesh import MeshData, merge_meshes, transform_mesh
from simgen.geometry.primitives import box_mesh, cylinder_mesh

TRAFFIC_SIGN_DEFAULTS: Mapping[str, float] = {"height_m": 2.6, "plate_size_m": 0.7, "pole_radius_m": 0.035,
                                              "sides": 8.0, "face_style": 0.0}
FACE_STYLES: tuple[tuple[str, ...], ...] = ((), ("barrier_red", "reflective_white"),
                                            ("reflective_white", "barrier_red"), ("reflective_white", "cone_orange"))
"""face_style -> the slots of the face's border and inner disc, front to back after the plain
white face (0: plain white; 1: red border, white inside, e.g. speed limit and warning signs;
2: red with a white rim, e.g. stop; 3: orange with a white rim, e.g. priority road)."""
TRAFFIC_LIGHT_DEFAULTS: Mapping[str, float] = {"height_m": 3.2, "pole_radius_m": 0.06, "lamp_radius_m": 0.1}


def build_traffic_sign(params: Mapping[str, float]) -> MeshData:
    """A sign on a pole: a flat plate with `sides` corners (3 triangle, 4 diamond, 8 stop, 24+
    round) facing +x, its centre at height_m - plate_size_m / 2.

    Params: height_m (plate top), plate_size_m (plate width), pole_radius_m, sides (3..32),
    face_style (0..3, see `FACE_STYLES`). Slots: metal (pole, plate back), reflective_white
    (face), and with a face style barrier_red or cone_orange.
    """
    height, size, pole_r = params["height_m"], params["plate_size_m"], params["pole_radius_m"]
    sides, style = int(round(params["sides"])), int(round(params["face_style"]))
    if not 3 <= sides <= 32 or size >= height:
        raise ValueError(f"traffic_sign: sides={params['sides']} must be 3..32 and plate_size_m < height_m")
    if not 0 <= style < len(FACE_STYLES):
        raise ValueError(f"traffic_sign: face_style={params['face_style']} must be 0..{len(FACE_STYLES) - 1}")
    # cylinder_mesh puts a polygon's first corner on +y; roll it so that a triangle points up, a
    # square stands as a diamond and other polygons (the stop octagon) have a flat top edge.
    roll_deg = 90.0 if sides % 2 else (0.0 if sides == 4 else 180.0 / sides)
    top_factor = float(np.max(np.sin(np.deg2rad(roll_deg) + 2 * np.pi * np.arange(sides) / sides)))
    centre_z = height - top_factor * size / 2
    pole = cylinder_mesh(pole_r, centre_z, (0.0, 0.0, centre_z / 2), "z", 10, "metal")
    discs = [cylinder_mesh(size / 2, 0.02, (pole_r + 0.01, 0.0, 0.0), "x", sides, "metal")]
    if not style:
        discs.append(cylinder_mesh(size / 2 - 0.005, 0.004, (pole_r + 0.022, 0.0, 0.0), "x", sides, "reflective_white"))
    for k, (slot, scale) in enumerate(zip(FACE_STYLES[style], (1.0, 0.78 if style == 1 else 0.9), strict=False)):
        # stacked discs 2 mm apart along +x, the inner one smaller, so the border shows around it
        discs.append(cylinder_mesh(scale * (size / 2 - 0.005), 0.004, (pole_r + 0.022 + 0.002 * k, 0.0, 0.0), "x",
                                   sides, slot))
    plate = transform_mesh(merge_meshes(discs), (0.0, 0.0, centre_z), roll_deg=roll_deg)
    return _centred(merge_meshes([pole, plate]))


def build_traffic_light(params: Mapping[str, float]) -> MeshData:
    """A three-lamp signal head on a pole, facing +x; the lamps are emissive light slots
    (taillight = red top, headlight = the two lower ones).

    Params: height_m (head top), pole_radius_m, lamp_radius_m. Slots: metal, taillight, headlight.
    """
    height, pole_r, lamp_r = params["height_m"], params["pole_radius_m"], params["lamp_radius_m"]
    head_h = 7.0 * lamp_r
    if head_h >= height:
        raise ValueError(f"traffic_light: lamp_radius_m={lamp_r} is too large for height_m={height}")
    head_w = 2.6 * lamp_r
    head_x = pole_r + head_w / 2
    parts = [cylinder_mesh(pole_r, height - head_h / 2, (0.0, 0.0, (height - head_h / 2) / 2), "z", 10, "metal"),
             box_mesh((head_w, head_w, head_h), (head_x, 0.0, height - head_h / 2), "metal")]
    for i, slot in enumerate(("taillight", "headlight", "headlight")):
        z = height - (1.2 + 2.3 * i) * lamp_r - 0.1 * lamp_r
        parts.append(cylinder_mesh(lamp_r, 0.02, (head_x + head_w / 2 + 0.005, 0.0, z), "x", 16, slot))
    return _centred(merge_meshes(parts))


def _centred(mesh: MeshData) -> MeshData:
    """The mesh shifted in x and y so its ground footprint is centred on the origin."""
    low, high = mesh.bounds_m
    return transform_mesh(mesh, (-(low[0] + high[0]) / 2, -(low[1] + high[1]) / 2, 0.0))
