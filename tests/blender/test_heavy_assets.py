"""The truck, bus and motorcycle recipes render with exact labels; signs and lights render as
unlabeled scenery (real Cycles renders, tiny)."""

from __future__ import annotations

import numpy as np
import pytest

from simgen.annotations.amodal import measure_coverage
from simgen.catalog.entries import load_catalog
from simgen.sampling.frame import sample_frame
from simgen.specs import PropSpec
from tests.blender.scenes import camera, frame
from tests.conftest import tiny_config

pytestmark = pytest.mark.blender


@pytest.mark.parametrize("recipe, location_m, yaw_deg", [
    ("truck", (1.5, 16.0, 0.0), 35.0), ("bus", (-2.0, 20.0, 0.0), 120.0), ("motorcycle", (0.4, 6.0, 0.0), 60.0)])
def test_new_vehicle_silhouette_raster_equals_the_cycles_mask(renderer, recipe, location_m, yaw_deg):
    cam = camera(width_px=96, height_px=72, location_m=(0.0, 0.0, 2.0), pitch_deg=-5.0)
    prop = PropSpec(name=f"{recipe}_000", asset=recipe, recipe=recipe, params={}, location_m=location_m,
                    yaw_deg=yaw_deg, materials={}, category="car", instance_index=1)
    passes, _ = renderer.render(frame(cam, objects=[prop]))
    mask = passes.object_index == 1
    assert mask.sum() > 100
    assert np.array_equal(measure_coverage(prop, cam).unoccluded_mask, mask)


def test_signs_and_lights_render_as_unlabeled_scenery(renderer):
    cam = camera(width_px=64, height_px=48, location_m=(0.0, 0.0, 2.0))
    scenery = [PropSpec(name=name, asset=name, recipe=recipe, params={}, location_m=(x, 8.0, 0.0), yaw_deg=-90.0,
                        materials={}) for name, recipe, x in (("sign", "traffic_sign", -1.0),
                                                             ("light", "traffic_light", 1.0))]
    passes, _ = renderer.render(frame(cam, scenery=scenery))
    assert np.all(passes.object_index == 0)
    assert np.isfinite(passes.depth_planar_m).sum() > 30  # both stand in view, nothing else does


def test_trucks_buses_and_motorcycles_are_placed_with_their_own_categories(tmp_path):
    cfg = tiny_config(tmp_path, traffic={"trucks": 1, "buses": 1, "motorcycles": 1, "cars": 0, "pedestrians": 0,
                                         "cyclists": 0, "traffic_cones": 0})
    spec = sample_frame(cfg, load_catalog(), 0)
    assert sorted((o.category, o.asset) for o in spec.labeled_objects) == [
        ("bus", "city_bus"), ("motorcycle", "motorcycle"), ("truck", "box_truck")]
    assert {cfg.labels.categories[o.category] for o in spec.labeled_objects} == {15, 16, 17}
