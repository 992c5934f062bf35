"""YOLO export helpers: detection lines and mask polygons."""

from __future__ import annotations

import numpy as np

from simgen.export.yolo import detection_line, mask_polygon_px


def test_yolo_detection_line_and_polygons():
    assert detection_line(2, [10, 20, 30, 40], 100, 200) == "2 0.250000 0.200000 0.300000 0.200000"
    one = np.zeros((5, 5), bool)
    one[2, 3] = True
    polygon = mask_polygon_px(one)
    assert len(polygon) >= 4 and np.allclose(polygon.min(axis=0), [3.125, 2.125])
    assert np.allclose(polygon.max(axis=0), [3.875, 2.875])
    two = np.zeros((6, 8), bool)
    two[1:3, 1:3] = True
    two[4:6, 5:8] = True
    joined = mask_polygon_px(two)
    assert joined[:, 0].min() < 1.2 and joined[:, 0].max() > 7.8  # both pieces in one polygon
    assert mask_polygon_px(np.zeros((3, 3), bool)).shape == (0, 2)
