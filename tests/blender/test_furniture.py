"""Street furniture and parked cars on real Cycles renders (tiny): the intersection's traffic
light facing the ego camera is in view, and parked cars get exact car labels."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import yaml

from simgen.annotations.amodal import measure_coverage, prop_triangles_px
from simgen.annotations.labels import label_frame
from simgen.catalog.entries import load_catalog
from simgen.sampling.frame import sample_frame
from tests.conftest import tiny_config

pytestmark = pytest.mark.blender

LIGHT_INDEX = 999  # a spare instance index to make the (unlabeled) traffic light show in the object-index pass


def _edge_distance_px(prop, camera, pixel_xy) -> float:
    """Distance in pixels from a pixel centre to the nearest edge of the prop's projected mesh."""
    triangles = prop_triangles_px(prop, camera)
    a, b = triangles, np.roll(triangles, -1, axis=1)
    ab, ap = b - a, np.asarray(pixel_xy, dtype=np.float64) - a
    t = np.clip((ap * ab).sum(-1) / np.maximum((ab * ab).sum(-1), 1e-12), 0.0, 1.0)
    return float(np.linalg.norm(ap - t[..., None] * ab, axis=-1).min())


def _intersection_frame(tmp_path):
    layout = yaml.safe_load(open("configs/layout/intersection.yaml"))
    cfg = tiny_config(tmp_path, layout=layout, traffic={"cars": 0, "pedestrians": 0, "cyclists": 0,
                                                        "traffic_cones": 0, "parked_cars": 4},
                      **{"render.resolution": [128, 96]})
    catalog = load_catalog()
    frames = [s for s in (sample_frame(cfg, catalog, i) for i in range(10))
              if any(p.name == "traffic_light_s" for p in s.layout.scenery)]
    # the frame whose light for the ego approach stands nearest (largest in a 128x96 image)
    spec = min(frames, key=lambda s: next(p.location_m[1] for p in s.layout.scenery if p.name == "traffic_light_s"))
    return cfg, spec


def test_intersection_traffic_light_is_in_view_and_parked_cars_are_labeled_cars(renderer, tmp_path):
    cfg, spec = _intersection_frame(tmp_path)
    passes, _ = renderer.render(spec)
    labels = label_frame(spec, passes.object_index, cfg.labels)
    parked = {o.instance_index: o for o in spec.objects if o.name.startswith("parked_car_")}
    assert len(parked) == 4
    seen = [inst for inst in labels.instances if inst.instance_index in parked]
    assert seen  # at least one parked car is in view
    for inst in seen:
        car = parked[inst.instance_index]
        mask = passes.object_index == inst.instance_index
        assert inst.category == "car" and inst.category_id == cfg.labels.categories["car"]
        assert inst.name == car.name and inst.area_px == int(mask.sum())
        ys, xs = np.nonzero(mask)
        assert inst.bbox_xywh == pytest.approx((xs.min(), ys.min(), xs.max() - xs.min() + 1, ys.max() - ys.min() + 1))
        # visible pixels lie inside the car's own (unoccluded) silhouette, up to pixel centres that
        # an edge passes within float32 precision of (Cycles traces in float32, the raster in float64)
        outside = np.argwhere(mask & ~measure_coverage(car, spec.camera).unoccluded_mask)
        assert all(_edge_distance_px(car, spec.camera, (col, row)) < 1e-2 for row, col in outside), outside

    # The same frame with the ego approach's traffic light carried as a labeled object: its pixels
    # show in the object-index pass, so it stands in view and no scenery hides it completely.
    light = next(p for p in spec.layout.scenery if p.name == "traffic_light_s")
    flagged = dataclasses.replace(light, category="car", instance_index=LIGHT_INDEX)
    layout = dataclasses.replace(spec.layout, scenery=tuple(p for p in spec.layout.scenery if p is not light))
    shown, _ = renderer.render(dataclasses.replace(spec, layout=layout, objects=spec.objects + (flagged,)))
    assert (shown.object_index == LIGHT_INDEX).sum() >= 3
