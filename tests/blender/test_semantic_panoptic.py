"""Semantic classes and COCO panoptic output on real Cycles renders of default frames (issue 16):
the maps agree with the object-index pass on things pixel for pixel, every pixel has a class,
sky is exactly where no surface is, and panopticapi's PQ of the ground truth against itself is 1."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import cv2
import numpy as np
import pytest

from simgen.annotations.panoptic import STUFF_SEGMENT_BASE, decode_segment_ids
from simgen.catalog.classes import SKY, STUFF_CLASSES, semantic_classes, thing_class
from simgen.catalog.entries import load_catalog
from simgen.config.dump import config_to_plain
from simgen.dataset.directory import DatasetDir
from simgen.dataset.finalize import finalize_dataset
from simgen.imaging.sensor import apply_sensor
from simgen.pipeline import write_frame
from simgen.sampling.frame import sample_frame
from simgen.specs import MotionSpec, SensorSpec
from tests.conftest import tiny_config

pytestmark = pytest.mark.blender

OUTPUT = {"output.instance_maps": True, "output.semantic_maps": True, "output.panoptic": True}


@pytest.fixture(scope="module")
def dataset(renderer, tmp_path_factory):
    """Three default urban frames at 96x72: plain, through a distorting lens, motion-blurred."""
    root = tmp_path_factory.mktemp("semantic")
    cfg = tiny_config(root, frames=3, **{"render.resolution": [96, 72]}, **OUTPUT)
    catalog = load_catalog()
    specs = [sample_frame(cfg, catalog, i) for i in range(3)]
    specs[1] = dataclasses.replace(specs[1], sensor=SensorSpec(dist_coeffs=(-0.2, 0.04, 0.0, 0.0, 0.0)))
    moving = {o.name: (0.0, 6.0, 0.0) for o in specs[2].labeled_objects[:3]}
    specs[2] = dataclasses.replace(specs[2], sensor=SensorSpec(shutter_s=0.03),
                                   motion=MotionSpec(ego_velocity_m_s=(0.0, 10.0, 0.0), object_velocities_m_s=moving))
    out = DatasetDir(Path(cfg.output.dir))
    depths = []
    for spec in specs:
        passes, timing = renderer.render(spec)
        depths.append(apply_sensor(passes, spec, "planar")[0].depth_planar_m)
        write_frame(cfg, spec, passes, timing, out, 0.0)
    finalize_dataset(cfg, out, {}, config_to_plain(cfg))
    return cfg, out.root, specs, depths


def _read(root: Path, folder: str, index: int) -> np.ndarray:
    image = cv2.imread(str(root / folder / f"{index:06d}.png"), cv2.IMREAD_UNCHANGED)
    return image[..., ::-1] if image.ndim == 3 else image


@pytest.mark.parametrize("index", [0, 1, 2], ids=["plain", "distorted", "motion_blur"])
def test_semantic_map_agrees_with_the_object_index_and_sky_is_sky(dataset, index):
    cfg, root, specs, depths = dataset
    instance, semantic = _read(root, "instance", index).astype(np.int32), _read(root, "semantic", index)
    categories = cfg.labels.categories
    things = instance > 0
    assert things.any()
    expected = {o.instance_index: thing_class(o.category, categories[o.category]).id for o in specs[index].objects
                if o.category is not None}
    assert np.array_equal(semantic[things], np.vectorize(expected.get)(instance[things]))
    assert np.isin(semantic, [c.id for c in semantic_classes(categories)]).all()  # every pixel has a class
    sky = ~np.isfinite(depths[index])
    assert sky.any() and np.array_equal(semantic == SKY.id, sky)
    stuff = {c.id: c.name for c in STUFF_CLASSES}
    present = {stuff[v] for v in np.unique(semantic[~things])}
    assert {"road", "sidewalk", "building", "sky"} <= present, present


def test_panoptic_png_and_json_follow_the_panopticapi_conventions(dataset, tmp_path):
    from panopticapi.evaluation import pq_compute
    from panopticapi.utils import rgb2id

    cfg, root, specs, _ = dataset
    panoptic = json.loads((root / "panoptic.json").read_text())
    assert [a["image_id"] for a in panoptic["annotations"]] == [0, 1, 2]
    classes = {c["id"]: c for c in panoptic["categories"]}
    for annotation in panoptic["annotations"]:
        png = _read(root, "panoptic", annotation["image_id"])
        ids = rgb2id(png)
        assert np.array_equal(ids, decode_segment_ids(png))
        instance = _read(root, "instance", annotation["image_id"]).astype(np.int64)
        semantic = _read(root, "semantic", annotation["image_id"]).astype(np.int64)
        assert np.array_equal(ids, np.where(instance > 0, instance, STUFF_SEGMENT_BASE + semantic))
        segments = {s["id"]: s for s in annotation["segments_info"]}
        assert set(np.unique(ids)) == set(segments), "every segment listed, every pixel in a segment"
        for segment_id, segment in segments.items():
            mask = ids == segment_id
            rows, cols = np.nonzero(mask)
            assert segment["area"] == mask.sum()
            assert segment["bbox"] == [cols.min(), rows.min(), cols.max() - cols.min() + 1, rows.max() - rows.min() + 1]
            assert classes[segment["category_id"]]["isthing"] == int(segment_id < STUFF_SEGMENT_BASE)
    coco = json.loads((root / "annotations.json").read_text())
    things = sum(len([s for s in a["segments_info"] if s["id"] < STUFF_SEGMENT_BASE]) for a in panoptic["annotations"])
    assert things == len(coco["annotations"])
    result = pq_compute(str(root / "panoptic.json"), str(root / "panoptic.json"), str(root / "panoptic"),
                        str(root / "panoptic"))
    assert result["All"]["pq"] == pytest.approx(1.0)
