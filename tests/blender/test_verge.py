"""A grass verge on a real Cycles render (tiny): a sidewalk slab split into kerb, verge and
footpath as the layouts split it (`simgen.sampling.verge`). As scenery the verge is exactly the
terrain pixels of the Material Index pass (its mesh raster) and the sidewalk pixels exactly its
neighbours' rasters; as a labeled object its mask equals its raster; it reads green."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from simgen.annotations.amodal import measure_coverage
from simgen.catalog.classes import STUFF_CLASSES
from simgen.sampling.materials import sample_material
from simgen.sampling.street import _slab
from simgen.sampling.street_details import _split_kerb
from simgen.sampling.verge import _split_verge
from tests.blender.scenes import camera, frame
from tests.blender.test_vegetation import _assert_equal_but_grazes

pytestmark = pytest.mark.blender

TERRAIN = next(c.id for c in STUFF_CLASSES if c.name == "terrain")
SIDEWALK = next(c.id for c in STUFF_CLASSES if c.name == "sidewalk")


def _street():
    """A 3 m sidewalk at x 1..4 (top 0.15 m), 0.25 m kerb, 1.2 m verge, 1.55 m footpath, 30 m long."""
    rng = np.random.default_rng(4)
    sidewalk = _slab("sidewalk_right", 2.5, 12.0, 30.0, 3.0, 0.15, sample_material("concrete", rng))
    footpath, kerb = _split_kerb(sidewalk, 0.25, sample_material("curb", rng))
    footpath, verge = _split_verge(footpath, 1.2, 7)
    return [kerb, verge, footpath]


def _camera():
    return camera(width_px=96, height_px=72, location_m=(0.5, 0.0, 1.6), yaw_deg=-10.0, pitch_deg=-12.0)


def test_the_verge_is_the_terrain_pixels_and_its_neighbours_the_sidewalk(renderer):
    props, cam = _street(), _camera()
    passes, _ = renderer.render(frame(cam, scenery=props))
    rasters = {p.name: measure_coverage(p, cam).unoccluded_mask for p in props}
    kerb, footpath = rasters["sidewalk_kerb_right"], rasters["sidewalk_right"]
    # the verge's road-side face hides behind the kerb's top; the footpath's behind the verge's top
    verge = rasters["verge_right"] & ~kerb
    assert verge.sum() > 300
    _assert_equal_but_grazes(passes.material_index == TERRAIN, verge, props, cam)
    _assert_equal_but_grazes(passes.material_index == SIDEWALK, (kerb | footpath) & ~verge, props, cam)
    rgb = passes.rgb.astype(int)[verge]
    assert np.mean((rgb[:, 1] > rgb[:, 0]) & (rgb[:, 1] > rgb[:, 2])) > 0.5


def test_a_labeled_verge_mask_equals_its_mesh_raster(renderer):
    props, cam = _street(), _camera()
    verge = dataclasses.replace(props[1], category="car", instance_index=1)
    passes, _ = renderer.render(frame(cam, scenery=[props[0], props[2]], objects=[verge]))
    hidden = measure_coverage(props[0], cam).unoccluded_mask  # its road-side face, behind the kerb's top
    raster = measure_coverage(verge, cam).unoccluded_mask & ~hidden
    assert raster.sum() > 300
    _assert_equal_but_grazes(passes.object_index == 1, raster, props, cam)
