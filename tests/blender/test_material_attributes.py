"""Attribute-driven materials (`simgen.blender.materials`) on real Cycles renders.

One node tree per material structure, its values read from each object's custom properties,
must render what a material with the same values baked in renders (`baked_materials`, the node
trees that per-spec materials had): every texture, every surface role, clear, rain and snow.
Object Index and Material Index are identical to the bit. Depth agrees to float rounding:
objects share meshes more often now, and Cycles intersects an instanced mesh in its own frame
(a few float32 ulps; more where a ray grazes a thin prop's silhouette: measured 2.3e-5 m, 12
ulps at 26 m, at the edge of a 1 px wide static prop of the rainy street, so the tolerance is
DEPTH_ATOL_M plus DEPTH_RTOL of the depth);
the RGB is identical to the bit but for the odd pixel whose path that rounding changes
(measured: the wall of swatches none, the rainy street 1 of 6912 at 4 samples, 0 at 1).
Emissive surfaces are left out: an emission strength fed by an attribute is unknown to Cycles'
light tree at scene sync, so such lamps are sampled differently (the same light, other noise;
flat emissive materials were attribute-driven before textured ones became so).
"""

from __future__ import annotations

import dataclasses
import functools

import bpy
import numpy as np
import pytest

from simgen.catalog.entries import load_catalog
from simgen.config.load import load_config
from simgen.sampling.frame import sample_frame
from simgen.sampling.materials import sample_kerb, sample_material, sample_verge, wear_paint
from simgen.specs import MaterialSpec, WeatherSpec
from tests.blender.scenes import box, camera, frame

pytestmark = pytest.mark.blender

RAIN = WeatherSpec(condition="rain", cloudiness=0.9, rain=True, rain_intensity=1.0, road_wetness=0.8,
                   puddle_coverage=0.5, puddle_offset=3.0, rain_streak_seed=7)
SNOW = WeatherSpec(condition="snow", cloudiness=0.8, snow=True, snow_cover=0.7)
WEATHERS = {"clear": WeatherSpec(), "rain": RAIN, "snow": SNOW}
DEPTH_ATOL_M = 1e-5
DEPTH_RTOL = 2e-6
SAME_PIXELS = 0.999
"""Share of pixels whose RGB must be identical (see the module docstring)."""


def _textured(slot: str, texture: str, seed: int, **params) -> MaterialSpec:
    rng = np.random.default_rng(seed)
    spec = sample_material(slot, rng)
    while spec.texture != texture:
        spec = sample_material(slot, rng)
    return dataclasses.replace(spec, texture_params=tuple(sorted({**dict(spec.texture_params), **params}.items())))


def _swatches():
    """A wall of boxes, 3 wide and 4 high, one material each; 'road', 'sidewalk_0' and
    'sidewalk_kerb_0' get those roles; 'verge_0' is a grass verge."""
    materials = {
        "road": _textured("asphalt", "asphalt", 1, crack_density=1.0, patch_coverage=0.3, wear=1.0,
                          lane_width_m=2.0, lanes_per_direction=1.0),  # wheel paths at |y| < 0.49 m
        "sidewalk_0": _textured("concrete", "concrete", 2, joint_offset=0.0),
        "paving": _textured("concrete", "concrete", 3, joint_offset=0.5),
        "wall_brick": _textured("facade", "brick", 4),
        "wall_plaster": _textured("facade", "plaster", 5),
        "lawn": _textured("grass", "grass", 6),
        "car_paint": _textured("paint", "painted_metal", 7, chip_coverage=0.02),
        "flat": MaterialSpec((0.6, 0.2, 0.1), 0.4, 0.3),
        "primer_paint": _textured("paint", "painted_metal", 8, chip_coverage=0.02, chip_metallic=0.0),
        "sidewalk_kerb_0": sample_kerb(np.random.default_rng(9)),
        "line_paint": wear_paint(sample_material("lane_paint", np.random.default_rng(10)),
                                 np.random.default_rng(11)),
        "verge_0": sample_verge(0.5, np.random.default_rng(12)),  # soil along its sides (|y| near 0.5)
    }
    props = []
    for i, (name, material) in enumerate(materials.items()):
        row, column = divmod(i, 3)
        prop = box(name, (1.6, 1.0, 1.1), (2.0 * (column - 1), 0.0, 1.3 * row), yaw_deg=5.0 * column,
                   instance_index=i + 1)
        props.append(dataclasses.replace(prop, materials={"surface": material}))
    return frame(camera(96, 72, location_m=(0.0, -9.0, 2.5), pitch_deg=0.0), objects=props)


@pytest.fixture
def render_both(renderer, monkeypatch):
    """Render a spec through the attribute-driven and the baked materials, each in a fresh session."""
    import simgen.blender.renderer as renderer_module

    attribute_builder = renderer_module.SceneBuilder

    def render(spec):
        passes = {}
        for baked in (False, True):
            monkeypatch.setattr(renderer_module, "SceneBuilder",
                                functools.partial(attribute_builder, baked_materials=baked))
            renderer.restart_session()
            passes[baked] = renderer.render(spec)[0]
        monkeypatch.setattr(renderer_module, "SceneBuilder", attribute_builder)
        renderer.restart_session()
        return passes[False], passes[True]
    return render


def _assert_same_render(attributes, baked) -> None:
    assert np.array_equal(attributes.object_index, baked.object_index)
    assert np.array_equal(attributes.material_index, baked.material_index)
    np.testing.assert_allclose(attributes.depth_planar_m, baked.depth_planar_m, atol=DEPTH_ATOL_M, rtol=DEPTH_RTOL)
    diff = np.abs(attributes.rgb.astype(int) - baked.rgb.astype(int))
    assert (diff.max(axis=2) == 0).mean() >= SAME_PIXELS, ((diff.max(axis=2) > 0).sum(), diff.max())


@pytest.mark.parametrize("weather", sorted(WEATHERS))
def test_attribute_driven_materials_render_as_baked_ones(render_both, weather):
    spec = dataclasses.replace(_swatches(), weather=WEATHERS[weather])
    attributes, baked = render_both(spec)
    assert len(np.unique(attributes.object_index)) == 13  # every swatch (12) and the sky
    _assert_same_render(attributes, baked)


def test_a_rainy_street_renders_as_with_baked_materials(render_both):
    tiny = {"render": {"resolution": [96, 72]}, "seed": 5,
            "traffic": {"cars": 3, "pedestrians": 1, "cyclists": 0, "traffic_cones": 1}}
    spec = dataclasses.replace(sample_frame(load_config(tiny), load_catalog(), 0), weather=RAIN)
    _assert_same_render(*render_both(spec))


def _scene_materials() -> dict[str, set[str]]:
    """Material name -> names of the visible objects using it."""
    users: dict[str, set[str]] = {}
    for obj in bpy.context.scene.objects:
        if obj.type == "MESH" and not obj.hide_render:
            for slot in obj.material_slots:
                users.setdefault(slot.material.name, set()).add(obj.name)
    return users


def test_frames_reuse_the_material_set_and_write_every_value_it_reads(renderer):
    """A session builds each material once: new frames (new colours, offsets, amounts) add no
    node tree for a structure seen before; every attribute a material reads is on its objects."""
    from simgen.blender.build import SceneBuilder

    cfg = load_config({"seed": 3, "traffic": {"cars": 4, "pedestrians": 1, "cyclists": 0, "traffic_cones": 0}})
    catalog = load_catalog()
    renderer.restart_session()
    builder = SceneBuilder()
    try:
        specs = set()
        for index in range(4):
            spec = sample_frame(cfg, catalog, index)
            builder.build(spec)
            specs |= {(slot, m) for p in spec.layout.scenery + spec.objects for slot, m in p.materials.items()}
        known = set(bpy.data.materials.keys())
        assert len(known) < len(specs) / 2, (len(known), len(specs))
        builder.build(sample_frame(cfg, catalog, 1))
        assert set(bpy.data.materials.keys()) == known
        users = _scene_materials()
        assert max(len(objects) for objects in users.values()) >= 3  # e.g. every car's paint
        for name, objects in users.items():
            reads = {n.attribute_name for n in bpy.data.materials[name].node_tree.nodes if n.type == "ATTRIBUTE"}
            assert reads, name
            for obj_name in objects:
                assert reads <= set(bpy.data.objects[obj_name].keys()), (name, obj_name)
    finally:
        renderer.restart_session()


def test_cloth_slots_get_a_sheen_layer_and_other_slots_none(renderer):
    """Garments and bags (`CLOTH_SLOTS`) render with the fibres' sheen, attribute-driven or
    baked; paint, skin and the rest keep the plain Principled BSDF (sheen weight 0)."""
    from simgen.blender.materials import CLOTH_SHEEN, CLOTH_SLOTS, MaterialPool

    renderer.restart_session()
    try:
        rng = np.random.default_rng(5)
        for baked in (False, True):
            pool = MaterialPool(baked=baked)
            for slot in (*sorted(CLOTH_SLOTS), "paint", "skin", "hair", "asphalt"):
                bsdf = pool.get(sample_material(slot, rng), slot).node_tree.nodes["Principled BSDF"]
                sheen = {name: bsdf.inputs[name].default_value for name in CLOTH_SHEEN}
                expected = CLOTH_SHEEN if slot in CLOTH_SLOTS else {"Sheen Weight": 0.0}
                for name, value in expected.items():
                    assert sheen[name] == pytest.approx(value), (slot, baked, name)
    finally:
        renderer.restart_session()


def _cloth_wall():
    """Three garment swatches side by side: plain, striped and checked cloth (10 cm bands)."""
    swatches = {"plain": (0.0, 0.0), "striped": (1.0, 0.0), "checked": (0.0, 1.0)}
    props = []
    for i, (name, (stripes, checks)) in enumerate(swatches.items()):
        cloth = _textured("clothing_top", "cloth", 20 + i, stripes=stripes, checks=checks, stripe_period_m=0.2,
                          stripe_duty=0.5, second_rgb=(0.7, 0.69, 0.65))
        cloth = dataclasses.replace(cloth, base_color_rgb=(0.035, 0.035, 0.04))
        prop = box(name, (0.5, 0.02, 0.8), (0.6 * (i - 1), 0.0, 0.0), instance_index=i + 1)
        props.append(dataclasses.replace(prop, materials={"surface": cloth}))
    return frame(camera(96, 72, location_m=(0.0, -2.2, 0.4), pitch_deg=0.0), objects=props)


def test_cloth_is_plain_striped_or_checked_and_renders_as_baked(render_both):
    """Stripes run across the garment's height (rows differ, columns alike); checks cross them
    with bands along x + y (a row alternates too); a plain swatch has neither. Attribute-driven
    equals baked."""
    attributes, baked = render_both(_cloth_wall())
    _assert_same_render(attributes, baked)
    lum = attributes.rgb.astype(np.float64) @ np.array([0.2126, 0.7152, 0.0722])
    spreads = {}
    for index, name in enumerate(("plain", "striped", "checked"), start=1):
        rows, cols = np.nonzero(attributes.object_index == index)
        inner = (slice(rows.min() + 2, rows.max() - 1), slice(cols.min() + 2, cols.max() - 1))
        patch = lum[inner]
        spreads[name] = {"rows": float(np.std(patch.mean(axis=1))), "columns": float(np.std(patch.mean(axis=0))),
                         "along_rows": float(np.std(patch - patch.mean(axis=1, keepdims=True)))}
    plain, striped, checked = spreads["plain"], spreads["striped"], spreads["checked"]
    # (luminance std, sRGB levels; the plain swatch's share is the light's falloff, its sheen and noise)
    assert striped["rows"] > 1.8 * max(plain["rows"], striped["columns"])  # bands across the height
    assert checked["along_rows"] > 1.8 * max(plain["along_rows"], striped["along_rows"])  # and along a row
