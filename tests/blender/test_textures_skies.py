"""User PBR texture sets and the procedural sky on real Cycles renders (96x72, 4 samples).

A strongly coloured albedo on the road turns the road's pixels that colour, and the frame's
Object Index, Material Index and Depth passes are identical to the same frame without the set
(the images feed shading only). Clouds live in the world: with and without them the sky pixels
change and every label pass is identical. Every sky model renders a sky."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import cv2
import numpy as np
import pytest

from simgen.catalog.classes import scenery_class_id
from simgen.catalog.entries import load_catalog
from simgen.config.load import load_config
from simgen.sampling.frame import sample_frame
from simgen.sampling.lighting import SKY_MODELS
from simgen.specs import CloudSpec

pytestmark = pytest.mark.blender

TINY = {"render": {"resolution": [96, 72]}, "seed": 2,
        "traffic": {"cars": 2, "pedestrians": 0, "cyclists": 0, "traffic_cones": 0}}


def _assert_same_labels(a, b) -> None:
    assert np.array_equal(a.object_index, b.object_index)
    assert np.array_equal(a.material_index, b.material_index)
    assert np.array_equal(a.depth_planar_m, b.depth_planar_m)


def _red_road_set(root) -> None:
    (root / "road").mkdir(parents=True)
    albedo = np.zeros((32, 32, 3), np.uint8)
    albedo[..., 2] = 230  # BGR: strong red
    albedo[::8, :, 1] = 40  # a few faint lines, so the image is an image
    cv2.imwrite(str(root / "road" / "red_albedo.png"), albedo)
    normal = np.zeros((32, 32, 3), np.uint8)
    normal[...] = (255, 128, 140)  # BGR: z up, tilted a little
    cv2.imwrite(str(root / "road" / "red_normal.png"), normal)
    cv2.imwrite(str(root / "road" / "red_roughness.png"), np.full((32, 32), 180, np.uint8))


def test_a_red_albedo_turns_the_road_red_and_keeps_the_labels(renderer, tmp_path):
    _red_road_set(tmp_path / "pbr")
    plain_cfg = load_config(TINY)
    pbr_cfg = load_config({**TINY, "materials": {"pbr_dir": str(tmp_path / "pbr")}})
    plain = sample_frame(plain_cfg, load_catalog(), 0)
    textured = sample_frame(pbr_cfg, load_catalog(pbr_dir=pbr_cfg.materials.pbr_dir), 0)
    road = next(p for p in textured.layout.scenery if p.name == "road")
    assert road.materials["surface"].pbr.name == "road/red"
    assert textured.objects == plain.objects  # only the road's material changed
    renderer.restart_session()
    before, after = renderer.render(plain)[0], renderer.render(textured)[0]
    _assert_same_labels(before, after)
    road_pixels = before.material_index == scenery_class_id(road)
    assert road_pixels.sum() > 500
    rgb_before, rgb_after = (p.rgb[road_pixels].astype(float) for p in (before, after))
    redness = [float((rgb[:, 0] - rgb[:, 1:].mean(axis=1)).mean()) for rgb in (rgb_before, rgb_after)]
    assert redness[0] < 5.0 < 25.0 < redness[1], redness
    elsewhere = ~road_pixels & (before.object_index == 0)
    assert np.abs(before.rgb[elsewhere].astype(int) - after.rgb[elsewhere].astype(int)).mean() < 10.0


CLOUDS = CloudSpec(cloud_type="cumulus", coverage=0.6, scale_per_km=2.0, stretch=1.2, wind_deg=30.0, softness=0.06,
                   brightness=1.6, opacity=1.0, offset_km=(3.0, 7.0))


def test_clouds_change_the_sky_and_no_label(renderer):
    cfg = load_config({**TINY, "camera": {"pitch_deg": 10.0}})  # looking up: half the view is sky
    clear = sample_frame(cfg, load_catalog(), 0)
    cloudy = dataclasses.replace(clear, lighting=dataclasses.replace(clear.lighting, clouds=CLOUDS))
    renderer.restart_session()
    before, after = renderer.render(clear)[0], renderer.render(cloudy)[0]
    _assert_same_labels(before, after)
    sky = before.depth_planar_m > 1e9
    assert sky.mean() > 0.1
    changed = np.abs(before.rgb[sky].astype(int) - after.rgb[sky].astype(int)).max(axis=1) > 20
    assert 0.1 < changed.mean(), changed.mean()


@pytest.mark.parametrize("model", SKY_MODELS)
def test_every_sky_model_renders_a_daylight_sky(renderer, model):
    cfg = load_config({**TINY, "camera": {"pitch_deg": 10.0}, "lighting": {"sky_model": model}})
    spec = sample_frame(cfg, load_catalog(), 0)
    assert spec.lighting.sky_model == model
    passes = renderer.render(spec)[0]
    sky = passes.rgb[passes.depth_planar_m > 1e9].astype(float)
    assert 40.0 < sky.mean() < 250.0, sky.mean()
    assert sky[:, 2].mean() > sky[:, 0].mean()  # blue sky


def test_a_texture_set_is_one_material_for_the_whole_session(renderer, tmp_path):
    """Frames with new tile sizes, offsets and cars build no new material for a texture set: one
    per (set, class) here (clear weather; vehicles are class 0, painted bins their scenery class)."""
    import bpy

    from simgen.blender.build import SceneBuilder

    root = tmp_path / "pbr"
    for name, bgr in (("a", (20, 20, 200)), ("b", (200, 20, 20))):
        (root / "paint").mkdir(parents=True, exist_ok=True)
        cv2.imwrite(str(root / "paint" / f"{name}_albedo.png"), np.full((16, 16, 3), bgr, np.uint8))
    cfg = load_config({**TINY, "traffic": {"cars": 4, "pedestrians": 0, "cyclists": 0, "traffic_cones": 0},
                       "materials": {"pbr_dir": str(root), "pbr_tile_m": "uniform(0.5, 2.0)"}})
    catalog = load_catalog(pbr_dir=cfg.materials.pbr_dir)
    renderer.restart_session()
    builder = SceneBuilder()  # builds into the renderer's session: restarted after, for the next tests
    worn = set()
    try:
        for index in range(4):
            spec = sample_frame(cfg, catalog, index)
            worn |= {m.pbr.name for o in spec.objects for m in o.materials.values() if m.pbr is not None}
            builder.build(spec)
        textured = [(Path(n.image.filepath).name, m.pass_index) for m in bpy.data.materials
                    if m.node_tree is not None for n in m.node_tree.nodes if n.type == "TEX_IMAGE"]
        uv_meshes = [m for m in bpy.data.meshes if "simgen_box_uv" in m.uv_layers]
        uv_complete = all(len(m.uv_layers["simgen_box_uv"].uv) == len(m.loops) for m in uv_meshes)
    finally:
        renderer.restart_session()
    assert worn == {"paint/a", "paint/b"}
    assert len(textured) == len(set(textured)) and {name for name, _ in textured} == {"a_albedo.png", "b_albedo.png"}
    assert (("a_albedo.png", 0) in textured) and ("b_albedo.png", 0) in textured
    assert uv_meshes and uv_complete
