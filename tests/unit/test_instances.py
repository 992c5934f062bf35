from __future__ import annotations

import numpy as np
import pytest
from pycocotools import mask as mask_utils

from simgen.annotations.instances import extract_instances
from simgen.errors import RenderError
from simgen.specs import PropSpec


def prop(index: int, category: str | None = "car") -> PropSpec:
    return PropSpec(name=f"o{index}", asset="sedan", recipe="car", params={}, location_m=(0, 0, 0), yaw_deg=0,
                    materials={}, category=category, instance_index=index)


def test_masks_boxes_and_areas_agree():
    index = np.zeros((20, 30), np.int32)
    index[2:5, 3:10] = 1       # 3 x 7 block
    index[10:20, 25:30] = 2    # touches the bottom-right border
    index[0, 0] = 2            # a second, disjoint piece of object 2
    instances = extract_instances(index, [prop(1), prop(2, "pedestrian"), prop(3)], {"car": 1, "pedestrian": 2})
    assert [i.instance_index for i in instances] == [1, 2]  # object 3 is not visible: no annotation
    first, second = instances
    assert first.bbox_xywh == (3, 2, 7, 3) and first.area_px == 21 and first.category_id == 1
    assert second.bbox_xywh == (0, 0, 30, 20) and second.area_px == 51 and second.category_id == 2
    for inst in instances:
        decoded = mask_utils.decode({"size": inst.rle["size"], "counts": inst.rle["counts"].encode()})
        assert decoded.sum() == inst.area_px
        assert np.array_equal(decoded.astype(bool), index == inst.instance_index)


def test_unknown_index_is_a_label_integrity_error():
    index = np.zeros((4, 4), np.int32)
    index[1, 1] = 9
    with pytest.raises(RenderError, match="9"):
        extract_instances(index, [prop(1)], {"car": 1})


def test_negative_index_is_a_label_integrity_error():
    index = np.zeros((4, 4), np.int32)
    index[0, 0] = -1
    with pytest.raises(RenderError, match="negative"):
        extract_instances(index, [prop(1)], {"car": 1})
