"""What KITTI's own tools do with a label line, written out independently of simgen's export."""

from __future__ import annotations

import math

import numpy as np


def kitti_corners(h: float, w: float, length: float, x: float, y: float, z: float, ry: float) -> np.ndarray:
    """The KITTI devkit's (8, 3) 3D box corners in the (rectified) camera frame, metres, from a
    label's dimensions (h, w, l), bottom-centre location (x, y, z) and rotation_y."""
    xs = [length / 2, length / 2, -length / 2, -length / 2] * 2
    ys = [0, 0, 0, 0, -h, -h, -h, -h]
    zs = [w / 2, -w / 2, -w / 2, w / 2] * 2
    rotation = np.array([[math.cos(ry), 0, math.sin(ry)], [0, 1, 0], [-math.sin(ry), 0, math.cos(ry)]])
    return (rotation @ np.array([xs, ys, zs])).T + [x, y, z]
