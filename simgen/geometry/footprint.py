"""Ground footprints' geometry: the corners of a `simgen.specs.Footprint`, and the overlap test.

Placement keeps objects from interpenetrating by keeping their footprints (plus a clearance)
disjoint; a separating-axis test on two oriented rectangles is exact for that. The record itself
(centre, length, width, yaw) is a spec, `simgen.specs.Footprint`, since layouts carry it.
"""

from __future__ import annotations

import math

import numpy as np

from simgen.specs import Footprint


def footprint_corners(footprint: Footprint) -> np.ndarray:
    """(4, 2) float64 corner (x, y) coordinates of the rectangle, counter-clockwise, metres."""
    c, s = np.cos(np.deg2rad(footprint.yaw_deg)), np.sin(np.deg2rad(footprint.yaw_deg))
    half_l, half_w = footprint.length_m / 2, footprint.width_m / 2
    local = np.array([[-half_l, -half_w], [half_l, -half_w], [half_l, half_w], [-half_l, half_w]])
    rotation = np.array([[c, -s], [s, c]])
    return local @ rotation.T + np.array([footprint.center_x_m, footprint.center_y_m])


def footprints_overlap(a: Footprint, b: Footprint) -> bool:
    """True if the two rectangles share any interior area (separating axis theorem)."""
    reach = (math.hypot(a.length_m, a.width_m) + math.hypot(b.length_m, b.width_m)) / 2
    if math.hypot(a.center_x_m - b.center_x_m, a.center_y_m - b.center_y_m) >= reach:
        return False  # their circumscribed circles do not meet
    corners_a, corners_b = footprint_corners(a), footprint_corners(b)
    for corners in (corners_a, corners_b):
        for i in range(2):
            edge = corners[i + 1] - corners[i]
            axis = np.array([-edge[1], edge[0]])
            proj_a, proj_b = corners_a @ axis, corners_b @ axis
            if proj_a.max() <= proj_b.min() or proj_b.max() <= proj_a.min():
                return False
    return True
