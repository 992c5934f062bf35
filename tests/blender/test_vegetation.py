"""Grown trees of every species, a bush and a hedge on real Cycles renders (tiny): as labeled
objects their masks equal the mesh raster pixel for pixel; as scenery they are exactly the
vegetation pixels of the Material Index pass (the semantic class), and each shows bark or
foliage colours.

"Pixel for pixel" up to pixel centres that a projected edge passes within `GRAZE_PX` of: Cycles
intersects in float32, the raster in float64, and a tree's few thousand triangles 20 m away
make such a graze likely in some view (measured: one pixel, 1.7e-4 px from an edge, in the
first view below)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from simgen.annotations.amodal import measure_coverage, prop_triangles_px
from simgen.catalog.classes import STUFF_CLASSES
from simgen.catalog.prop_mesh import get_recipe
from simgen.catalog.recipes.vegetation import SPECIES
from simgen.sampling.materials import sample_materials
from simgen.specs import PropSpec
from tests.blender.scenes import camera, frame

pytestmark = pytest.mark.blender

VEGETATION = next(c.id for c in STUFF_CLASSES if c.name == "vegetation")
GRAZE_PX = 1e-3


def _assert_equal_but_grazes(mask: np.ndarray, raster: np.ndarray, props: list[PropSpec], cam) -> None:
    """`mask` equals `raster` but at most 3 pixels whose centres lie within GRAZE_PX of an edge
    of the props' projected triangles."""
    differ = np.argwhere(mask != raster)
    assert len(differ) <= 3, len(differ)
    triangles = np.concatenate([prop_triangles_px(prop, cam) for prop in props])
    start, end = triangles, np.roll(triangles, -1, axis=1)
    along = end - start
    for row, col in differ:
        offset = np.array([col, row], dtype=np.float64) - start
        t = np.clip((offset * along).sum(-1) / np.maximum((along * along).sum(-1), 1e-12), 0.0, 1.0)
        assert np.linalg.norm(offset - t[..., None] * along, axis=-1).min() < GRAZE_PX, (row, col)


def _plants() -> list[PropSpec]:
    """One tree per species in a row 20 m ahead, a bush and a hedge 8 m ahead (none overlap in
    the 160x120 view of `_camera`), labeled instances 1..6."""
    rng = np.random.default_rng(0)
    props = []
    placed = [("tree", {"species": float(k), "growth_seed": 3.0 + k, "height_m": 6.0 + k % 2,
                        "crown_radius_m": 2.0 - 0.4 * (k == 2)}, (-7.5 + 5.0 * k, 20.0, 0.0), 30.0 * k)
              for k in range(len(SPECIES))]
    placed += [("bush", {"growth_seed": 5.0}, (-2.0, 8.0, 0.0), 20.0),
               ("hedge", {"length_m": 3.0, "growth_seed": 2.0}, (2.5, 8.0, 0.0), 0.0)]
    for index, (recipe, params, location_m, yaw_deg) in enumerate(placed, start=1):
        slots = get_recipe(recipe).build_mesh(params).materials
        props.append(PropSpec(name=f"{recipe}_{index:03d}", asset=recipe, recipe=recipe, params=params,
                              location_m=location_m, yaw_deg=yaw_deg, materials=sample_materials(slots, rng),
                              category="car", instance_index=index))
    return props


def _camera():
    return camera(width_px=160, height_px=120, location_m=(0.0, 0.0, 3.0), pitch_deg=-5.0)


def test_every_tree_species_bush_and_hedge_mask_equals_the_mesh_raster(renderer):
    props, cam = _plants(), _camera()
    passes, _ = renderer.render(frame(cam, objects=props))
    for prop in props:
        mask = passes.object_index == prop.instance_index
        raster = measure_coverage(prop, cam).unoccluded_mask
        assert mask.sum() > 100, prop.name
        _assert_equal_but_grazes(mask, raster, [prop], cam)
    rgb = passes.rgb.astype(int)
    green = (rgb[..., 1] > rgb[..., 0]) & (rgb[..., 1] > rgb[..., 2])
    for prop in props:  # foliage reads green; the bare tree (bark only) does not
        share = green[passes.object_index == prop.instance_index].mean()
        assert (share < 0.2) if prop.params.get("species") == 3.0 else (share > 0.5), (prop.name, share)


def test_trees_bushes_and_hedges_are_vegetation_in_the_material_index_pass(renderer):
    props, cam = _plants(), _camera()
    scenery = [dataclasses.replace(p, category=None, instance_index=0) for p in props]
    passes, _ = renderer.render(frame(cam, scenery=scenery))
    rasters = [measure_coverage(prop, cam).unoccluded_mask for prop in scenery]
    assert np.all(passes.object_index == 0)
    _assert_equal_but_grazes(passes.material_index == VEGETATION, np.logical_or.reduce(rasters), scenery, cam)
