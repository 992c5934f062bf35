"""KITTI export helpers: occlusion levels, truncation, calibration text."""

from __future__ import annotations

import numpy as np
import pytest

from simgen.export.kitti import calib_text, occlusion_level, truncation_from_box


def test_kitti_levels_and_truncation():
    assert [occlusion_level(v) for v in (1.0, 0.8, 0.5, 0.1, None)] == [0, 0, 1, 2, 3]
    assert truncation_from_box((0, 0, 10, 10), 20, 20) == 0.0
    assert truncation_from_box((-10, 0, 10, 10), 20, 20) == pytest.approx(0.5)
    assert truncation_from_box(None, 20, 20) == 1.0
    level = np.eye(4)
    level[:3, :3] = [[1, 0, 0], [0, 0, -1], [0, 1, 0]]  # OpenCV camera looking along world +y, level
    lines = calib_text(np.eye(3), level).splitlines()
    assert lines[2].startswith("P2: 1.0") and lines[4].startswith("R0_rect: 1.0")  # level: R0_rect = I, P2 = K
