"""Every rare-obstacle class rendered with Cycles: a mask of the right category whose shape
matches the obstacle's projected silhouette."""

from __future__ import annotations

import numpy as np
import pytest

from simgen.annotations.instances import extract_instances
from simgen.annotations.obstacles import obstacle_report
from simgen.catalog.entries import load_catalog, sample_asset_params
from simgen.config.schema import LabelsConfig
from simgen.geometry.silhouette import pose_prop, silhouette_mask
from simgen.sampling.materials import sample_materials
from simgen.specs import ObstacleSpec, PropSpec
from tests.blender.scenes import box, camera, frame

pytestmark = pytest.mark.blender

CLASSES = ("deer", "dog", "tree_trunk", "tire", "cardboard_box", "mattress", "rock", "stroller",
           "construction_barrier", "cone_cluster")
CATEGORY_IDS = LabelsConfig().categories
# Keep every object within its 1.6 m slot of the row, and thin boards facing the camera.
PARAM_OVERRIDES = {"tree_trunk": {"length_m": 1.5}, "mattress": {"width_m": 1.0},
                   "construction_barrier": {"length_m": 1.2}, "cone_cluster": {"spread_m": 0.6}}
YAW_DEG = {"construction_barrier": 0.0}


def _obstacle_frame(classes: tuple[str, ...], frame_index: int):
    """One row of obstacles 7 m ahead, 1.6 m apart, long axes mostly along the view (yaw 90)."""
    catalog = load_catalog()
    rng = np.random.default_rng(frame_index)
    props, records = [], []
    for i, category in enumerate(classes):
        entry = catalog.by_category(category)[0]
        params = sample_asset_params(entry, rng)
        params.update(PARAM_OVERRIDES.get(category, {}))
        x = (i - (len(classes) - 1) / 2) * 1.6
        props.append(PropSpec(name=f"obstacle_{i:02d}", asset=entry.name, recipe=entry.recipe, params=params,
                              location_m=(x, 7.0, 0.0), yaw_deg=YAW_DEG.get(category, 90.0), materials=sample_materials(
                                  pose_prop_materials(entry.recipe, params), rng), category=category,
                              instance_index=i + 1))
        records.append(ObstacleSpec(f"obstacle_{i:02d}", category, 7.0, False))
    ground = box("ground", (60.0, 60.0, 0.1), (0.0, 20.0, -0.1))
    cam = camera(96, 72, location_m=(0.0, 0.0, 4.0), pitch_deg=-24.0, focal_length_mm=34.0)
    spec = frame(cam, scenery=[ground], objects=props, frame_index=frame_index)
    return spec.__class__(**{**spec.__dict__, "obstacles": tuple(records)})


def pose_prop_materials(recipe: str, params: dict) -> tuple[str, ...]:
    from simgen.catalog.recipes import RECIPES

    return RECIPES[recipe].build_mesh(params).materials


@pytest.mark.parametrize("half", [0, 1])
def test_every_obstacle_class_renders_with_its_mask_and_category(renderer, half):
    classes = CLASSES[5 * half:5 * half + 5]
    spec = _obstacle_frame(classes, half)
    passes, _ = renderer.render(spec)
    instances = {inst.name: inst for inst in extract_instances(passes.object_index, spec.objects, CATEGORY_IDS)}
    report = {entry.name: entry for entry in obstacle_report(spec, list(instances.values()), 0.5)}
    for prop in spec.objects:
        inst = instances[prop.name]
        assert inst.category == prop.category and inst.category_id == CATEGORY_IDS[prop.category]
        rendered = passes.object_index == prop.instance_index
        silhouette = silhouette_mask(spec.camera, pose_prop(prop))
        iou = (rendered & silhouette).sum() / (rendered | silhouette).sum()
        assert iou > 0.75, (prop.category, iou, rendered.sum(), silhouette.sum())
        assert report[prop.name].measured_visible_fraction > 0.8, report[prop.name]
