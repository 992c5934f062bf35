"""Ground footprints: oriented rectangles on the z = 0 plane, and their overlap test.

Placement keeps objects from interpenetrating by keeping their footprints (plus a clearance)
disjoint; a separating-axis test on two oriented rectangles is exact for that.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Footprint:
    """An oriented rectangle: centre (x, y) in metres, length along its yaw direction, width
    across it, yaw in degrees from world +x."""

    center_x_m: float
    center_y_m: float
    length_m: float
    width_m: float
    yaw_deg: float

    def corners(self) -> np.ndarray:
        """(4, 2) float64 corner coordinates, counter-clockwise, metres."""
        c, s = np.cos(np.deg2rad(self.yaw_deg)), np.sin(np.deg2rad(self.yaw_deg))
        half_l, half_w = self.length_m / 2, self.width_m / 2
        local = np.array([[-half_l, -half_w], [half_l, -half_w], [half_l, half_w], [-half_l, half_w]])
        rotation = np.array([[c, -s], [s, c]])
        return local @ rotation.T + np.array([self.center_x_m, self.center_y_m])

    def grown(self, margin_m: float) -> Footprint:
        """The same rectangle with `margin_m` added on every side."""
        return Footprint(self.center_x_m, self.center_y_m, self.length_m + 2 * margin_m,
                         self.width_m + 2 * margin_m, self.yaw_deg)


def footprints_overlap(a: Footprint, b: Footprint) -> bool:
    """True if the two rectangles share any interior area (separating axis theorem)."""
    reach = (math.hypot(a.length_m, a.width_m) + math.hypot(b.length_m, b.width_m)) / 2
    if math.hypot(a.center_x_m - b.center_x_m, a.center_y_m - b.center_y_m) >= reach:
        return False  # their circumscribed circles do not meet
    corners_a, corners_b = a.corners(), b.corners()
    for corners in (corners_a, corners_b):
        for i in range(2):
            edge = corners[i + 1] - corners[i]
            axis = np.array([-edge[1], edge[0]])
            proj_a, proj_b = corners_a @ axis, corners_b @ axis
            if proj_a.max() <= proj_b.min() or proj_b.max() <= proj_a.min():
                return False
    return True
