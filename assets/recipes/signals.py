"""Street furniture that regulates traffic: `traffic_sign` and `traffic_light` (pure numpy).

Object frame: metres, z up, origin at the centre of the ground footprint (like every recipe;
the pole's foot is slightly behind it), the sign or signal faces +x (towards traffic coming
from +x). Builders take complete, validated parameters (see `assets.recipes`).
"""

from __future__ import annotations

from collections.abc import Mapping

from simgen.meshes import MeshData, box_mesh, cylinder_mesh, merge_meshes, transform_mesh

TRAFFIC_SIGN_DEFAULTS: Mapping[str, float] = {"height_m": 2.6, "plate_size_m": 0.7, "pole_radius_m": 0.035,
                                              "sides": 8.0}
TRAFFIC_LIGHT_DEFAULTS: Mapping[str, float] = {"height_m": 3.2, "pole_radius_m": 0.06, "lamp_radius_m": 0.1}


def build_traffic_sign(params: Mapping[str, float]) -> MeshData:
    """A sign on a pole: a flat plate with `sides` corners (3 triangle, 4 diamond, 8 stop, 24+
    round) facing +x, its centre at height_m - plate_size_m / 2.

    Params: height_m (plate top), plate_size_m (plate width), pole_radius_m, sides (3..32).
    Slots: metal (pole, plate back), reflective_white (face).
    """
    height, size, pole_r = params["height_m"], params["plate_size_m"], params["pole_radius_m"]
    sides = int(round(params["sides"]))
    if not 3 <= sides <= 32 or size >= height:
        raise ValueError(f"traffic_sign: sides={params['sides']} must be 3..32 and plate_size_m < height_m")
    centre_z = height - size / 2
    pole = cylinder_mesh(pole_r, centre_z, (0.0, 0.0, centre_z / 2), "z", 10, "metal")
    plate = cylinder_mesh(size / 2, 0.02, (pole_r + 0.01, 0.0, centre_z), "x", sides, "metal")
    face = cylinder_mesh(size / 2 - 0.005, 0.004, (pole_r + 0.022, 0.0, centre_z), "x", sides, "reflective_white")
    return _centred(merge_meshes([pole, plate, face]))


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
