"""Scenery classes, the semantic map and panoptic segments (pure; issue 16)."""

from __future__ import annotations

import numpy as np
import pytest
from panopticapi.utils import id2rgb, rgb2id

from simgen.annotations.instances import extract_instances
from simgen.annotations.panoptic import (
    STUFF_SEGMENT_BASE,
    decode_segment_ids,
    encode_segment_ids,
    panoptic_segments,
    semantic_panoptic,
)
from simgen.annotations.semantic import byte_classes, general_semantic_map, semantic_map
from simgen.catalog.classes import (
    SKY,
    STUFF_CLASSES,
    THING_CLASS_BASE,
    scenery_class_id,
    semantic_classes,
    thing_class,
)
from simgen.catalog.entries import load_catalog
from simgen.config.dump import config_to_plain
from simgen.config.load import load_config
from simgen.errors import RenderError
from simgen.sampling.frame import sample_frame
from simgen.specs import PropSpec
from tests.blender.scenes import camera, frame
from tests.conftest import tiny_config

FURNITURE = {"bench", "bollard", "litter_bin", "wheelie_bin", "fire_hydrant", "delineator"}
STATIC = next(c.id for c in STUFF_CLASSES if c.name == "static")


@pytest.mark.parametrize("layout", ["urban_street", "intersection", "highway", "rural_road"])
def test_every_layout_scenery_prop_gets_its_class(tmp_path, layout):
    plain = config_to_plain(tiny_config(tmp_path))
    plain["layout"]["name"] = layout
    cfg = load_config(plain)
    spec = sample_frame(cfg, load_catalog(), 0)
    names = {c.id: c.name for c in STUFF_CLASSES}
    for prop in spec.layout.scenery:
        expected_static = prop.recipe in FURNITURE
        assert (scenery_class_id(prop) == STATIC) == expected_static, (prop.name, prop.recipe)
    classes = {names[scenery_class_id(p)] for p in spec.layout.scenery}
    assert "road" in classes and ("sidewalk" in classes or "terrain" in classes)


def test_class_table_is_cityscapes_compatible():
    ids = {c.name: (c.id, c.train_id) for c in semantic_classes({"car": 1, "pedestrian": 2, "deer": 5})}
    assert ids["road"] == (7, 0) and ids["sidewalk"] == (8, 1) and ids["sky"] == (23, 10)
    assert ids["person"] == (24, 11) and ids["car"] == (26, 13) and ids["vegetation"] == (21, 8)
    assert ids["deer"] == (THING_CLASS_BASE + 5, 255)
    assert len({c.id for c in semantic_classes({"car": 1, "deer": 5})}) == len(semantic_classes({"car": 1, "deer": 5}))


def _scene():
    person = PropSpec("pedestrian_001", "adult", "pedestrian", {}, (0.0, 5.0, 0.0), 0.0, {}, "pedestrian", 1)
    cone = PropSpec("cone_002", "cone", "traffic_cone", {}, (1.0, 5.0, 0.0), 0.0, {}, "traffic_cone", 2)
    return frame(camera(width_px=8, height_px=4), objects=[person, cone])


def test_semantic_map_takes_things_from_the_object_index_scenery_from_the_material_index():
    categories = {"pedestrian": 2, "traffic_cone": 4}
    index = np.array([[0, 0, 1, 1, 0, 2, 0, 0]] * 4, dtype=np.int32)
    material = np.array([[7, 0, 99, 0, 21, 0, 8, 8]] * 4, dtype=np.int32)  # ignored under things
    depth = np.array([[5.0, np.inf, 4.0, 4.0, 9.0, 4.0, 3.0, 3.0]] * 4, dtype=np.float32)
    semantic = semantic_map(index, material, depth, _scene(), categories)
    cone = thing_class("traffic_cone", 4).id
    assert semantic[0].tolist() == [7, SKY.id, 24, 24, 21, cone, 8, 8]
    material[0, 0] = 0  # a surface without a class
    with pytest.raises(RenderError, match="no semantic class"):
        semantic_map(index, material, depth, _scene(), categories)


def test_panoptic_segments_cover_every_pixel_once_and_round_trip_panopticapi():
    categories = {"pedestrian": 2, "traffic_cone": 4}
    spec = _scene()
    index = np.array([[0, 0, 1, 1, 0, 2, 0, 0]] * 4, dtype=np.int32)
    index[3, :] = 0
    semantic = semantic_map(index, np.array([[7, 0, 7, 7, 21, 7, 8, 8]] * 4, dtype=np.int32),
                            np.where(np.arange(8) == 1, np.inf, 3.0).astype(np.float32)[None].repeat(4, 0), spec,
                            categories)
    instances = extract_instances(index, spec.objects, categories)
    ids, segments = panoptic_segments(index, semantic, instances, categories)
    assert sum(s["area"] for s in segments) == ids.size
    assert sorted(s["id"] for s in segments) == sorted(np.unique(ids).tolist())
    person = next(s for s in segments if s["id"] == 1)
    assert person["category_id"] == 24 and person["bbox"] == [2, 0, 2, 3] and person["area"] == 6
    road = next(s for s in segments if s["id"] == STUFF_SEGMENT_BASE + 7)
    assert road["bbox"] == [0, 0, 6, 4] and road["area"] == 7 and road["iscrowd"] == 0
    rgb = encode_segment_ids(ids)
    assert np.array_equal(rgb, id2rgb(ids)) and np.array_equal(decode_segment_ids(rgb), rgb2id(rgb))


def test_panoptic_stuff_segments_equal_per_class_masks_on_a_random_frame():
    """The bit/row shortcuts of the stuff extents against plain per-class boolean masks."""
    rng = np.random.default_rng(7)
    categories = {"pedestrian": 2, "traffic_cone": 4}
    spec = _scene()
    index = rng.choice([0, 0, 0, 1, 2], size=(37, 53)).astype(np.int32)
    stuff_ids = [c.id for c in STUFF_CLASSES if c.id != SKY.id][:6]
    material = rng.choice(stuff_ids + [0], size=index.shape).astype(np.int32)
    depth = np.where(material == 0, np.inf, 5.0).astype(np.float32)
    semantic = semantic_map(index, material, depth, spec, categories)
    ids, segments = panoptic_segments(index, semantic, extract_instances(index, spec.objects, categories), categories)
    for segment in segments:
        mask = ids == segment["id"]
        rows, cols = np.nonzero(mask)
        box = [int(cols.min()), int(rows.min()), int(cols.max() - cols.min() + 1), int(rows.max() - rows.min() + 1)]
        assert (segment["area"], segment["bbox"]) == (int(mask.sum()), box)
        if segment["id"] >= STUFF_SEGMENT_BASE:
            assert np.array_equal(mask, (index == 0) & (semantic == segment["category_id"]))
    assert sorted(s["id"] for s in segments) == np.unique(ids).tolist()


def test_semantic_map_rejects_material_ids_no_class_has():
    categories = {"pedestrian": 2, "traffic_cone": 4}
    index = np.zeros((2, 4), dtype=np.int32)
    depth = np.full((2, 4), 3.0, dtype=np.float32)
    for bad in (-1, 33, 99999):
        material = np.full((2, 4), 7, dtype=np.int32)
        material[1, 2] = bad
        with pytest.raises(RenderError, match="1 pixels have no semantic class .*row 1, column 2"):
            semantic_map(index, material, depth, _scene(), categories)


def _people_scene(indices):
    """A frame with a pedestrian at each instance index and one far-numbered traffic cone."""
    people = [PropSpec(f"pedestrian_{i:03d}", "adult", "pedestrian", {}, (0.0, 5.0, 0.0), 0.0, {}, "pedestrian", i)
              for i in indices]
    return frame(camera(width_px=8, height_px=4), objects=people)


def _random_passes(rng, indices, shape=(41, 57), thing_materials=32):
    index = rng.choice([0, 0, 0, *indices], size=shape).astype(np.int32)
    stuff_ids = [c.id for c in STUFF_CLASSES]
    material = rng.choice([*stuff_ids, 0, 0], size=shape).astype(np.int32)
    material[index != 0] = rng.integers(0, thing_materials, size=int(np.count_nonzero(index)))  # ignored there
    depth = np.where((material == 0) & (index == 0), np.inf, rng.uniform(1, 50, size=shape)).astype(np.float32)
    return index, material, depth


@pytest.mark.parametrize(("indices", "thing_materials"), [([1, 2, 5], 32), ([3, 221], 32), ([7, 222, 300], 32),
                                                          ([1, 2], 200)])
def test_byte_path_and_semantic_panoptic_equal_the_general_path(indices, thing_materials):
    """The byte keys (object indices < 222, material indices < 32) and the general int32 path give
    the same classes; semantic_panoptic gives what semantic_map + panoptic_segments give, past
    the byte range too."""
    rng = np.random.default_rng(11)
    categories = {"pedestrian": 2}
    spec = _people_scene(indices)
    index, material, depth = _random_passes(rng, indices, thing_materials=thing_materials)
    general = general_semantic_map(index, material, depth, spec, categories)
    byte_range = max(indices) < 222 and material.max() < 32
    assert (byte_classes(index, material, depth, spec, categories) is None) != byte_range
    semantic = semantic_map(index, material, depth, spec, categories)
    assert semantic.dtype == np.uint16 and np.array_equal(semantic, general)
    instances = extract_instances(index, spec.objects, categories)
    ids, segments = panoptic_segments(index, general, instances, categories)
    both = semantic_panoptic(index, material, depth, spec, instances, categories)
    assert both[1].dtype == ids.dtype == np.int32
    assert np.array_equal(both[0], general) and np.array_equal(both[1], ids) and both[2] == segments


def test_semantic_panoptic_rejects_what_semantic_map_rejects():
    categories = {"pedestrian": 2}
    spec = _people_scene([1])
    rng = np.random.default_rng(3)
    index, material, depth = _random_passes(rng, [1], shape=(6, 9))
    instances = extract_instances(index, spec.objects, categories)
    for bad in (-1, 1, 33):  # negative, a Cityscapes id that is no stuff class, above every class
        wrong = material.copy()
        wrong[np.nonzero(index == 0)[0][0], np.nonzero(index == 0)[1][0]] = bad
        with pytest.raises(RenderError, match="1 pixels have no semantic class"):
            semantic_panoptic(index, wrong, depth, spec, instances, categories)
    surface = depth.copy()
    surface[np.isinf(surface)] = 4.0  # sky pixels (material 0) with a surface
    with pytest.raises(RenderError, match="no semantic class"):
        semantic_panoptic(index, material, surface, spec, instances, categories)


def test_byte_path_takes_class_ids_above_a_byte():
    categories = {"traffic_cone": 200}  # class THING_CLASS_BASE + 200 > 255
    cone = PropSpec("cone_001", "cone", "traffic_cone", {}, (1.0, 5.0, 0.0), 0.0, {}, "traffic_cone", 1)
    spec = frame(camera(width_px=8, height_px=4), objects=[cone])
    index = np.array([[0, 1, 1, 0]] * 2, dtype=np.int32)
    material = np.array([[7, 0, 0, 0]] * 2, dtype=np.int32)
    depth = np.array([[3.0, 2.0, 2.0, np.inf]] * 2, dtype=np.float32)
    assert byte_classes(index, material, depth, spec, categories) is not None
    expected = [7, THING_CLASS_BASE + 200, THING_CLASS_BASE + 200, SKY.id]
    assert semantic_map(index, material, depth, spec, categories)[0].tolist() == expected
    assert general_semantic_map(index, material, depth, spec, categories)[0].tolist() == expected
