"""Procedural material sampling: deterministic, in range, recorded as plain hashable values."""

from __future__ import annotations

import colorsys
import dataclasses
import json

import numpy as np
import pytest

from simgen.sampling.materials import (
    CLOTH_BRIGHT_SHARE,
    CLOTH_PATTERN_SHARES,
    OFFSET_RANGE_M,
    TEXTURE_RANGES,
    TEXTURES,
    sample_material,
)

TEXTURED_SLOTS = {"asphalt": {"asphalt"}, "concrete": {"concrete"}, "facade": {"brick", "plaster"},
                  "grass": {"grass"}, "paint": {"painted_metal"}, "clothing_top": {"cloth"},
                  "clothing_bottom": {"cloth"}}


@pytest.mark.parametrize("slot", sorted(TEXTURED_SLOTS))
def test_same_seed_gives_the_same_material(slot):
    first = [sample_material(slot, np.random.default_rng(11)) for _ in range(3)]
    again = [sample_material(slot, np.random.default_rng(11)) for _ in range(3)]
    assert first == again
    assert sample_material(slot, np.random.default_rng(12)) != first[0]


@pytest.mark.parametrize("slot", sorted(TEXTURED_SLOTS))
def test_every_textured_slot_gets_its_texture_with_parameters_in_range(slot):
    rng = np.random.default_rng(0)
    seen = set()
    for _ in range(200):
        spec = sample_material(slot, rng)
        seen.add(spec.texture)
        params = dict(spec.texture_params)
        assert [name for name, _ in spec.texture_params] == sorted(params)
        ranges = TEXTURE_RANGES[spec.texture]
        assert set(ranges) | {"offset_m"} <= set(params)
        for name, (low, high) in ranges.items():
            assert low <= params[name] <= high, (spec.texture, name, params[name])
        assert OFFSET_RANGE_M[0] <= params["offset_m"] < OFFSET_RANGE_M[1]
        for name, value in params.items():
            if name.endswith("_rgb"):
                assert len(value) == 3 and all(0.0 <= c <= 1.0 for c in value)
        assert all(0.0 <= c <= 1.0 for c in spec.base_color_rgb)
    assert seen == TEXTURED_SLOTS[slot]


def test_brick_is_a_share_of_facades():
    rng = np.random.default_rng(1)
    textures = [sample_material("facade", rng).texture for _ in range(400)]
    assert 0.3 < textures.count("brick") / len(textures) < 0.6


def test_worn_asphalt_is_lighter_and_more_cracked():
    rng = np.random.default_rng(2)
    roads = [sample_material("asphalt", rng) for _ in range(300)]
    wear = np.array([r.texture_param("wear") for r in roads])
    grey = np.array([r.base_color_rgb[1] for r in roads])
    cracks = np.array([r.texture_param("crack_density") for r in roads])
    assert np.corrcoef(wear, grey)[0, 1] > 0.99
    assert np.corrcoef(wear, cracks)[0, 1] > 0.6


def test_textured_specs_are_hashable_and_json_serializable():
    rng = np.random.default_rng(3)
    specs = [sample_material(slot, rng) for slot in (*TEXTURED_SLOTS, "glass", "unknown_slot")]
    assert len({hash(s) for s in specs}) == len(specs)
    for spec in specs:
        assert spec.texture in TEXTURES
        decoded = json.loads(json.dumps(dataclasses.asdict(spec)))
        assert decoded["texture"] == spec.texture
        assert {name for name, _ in decoded["texture_params"]} == {name for name, _ in spec.texture_params}


def test_untextured_slots_stay_flat():
    rng = np.random.default_rng(4)
    for slot in ("glass", "tire", "skin", "bark", "lane_paint", "unknown_slot"):
        spec = sample_material(slot, rng)
        assert spec.texture == "flat" and spec.texture_params == ()


@pytest.mark.parametrize("slot", sorted(CLOTH_PATTERN_SHARES))
def test_garments_are_mostly_plain_neutrals_with_a_share_of_stripes_checks_and_bright_colours(slot):
    rng = np.random.default_rng(5)
    garments = [sample_material(slot, rng) for _ in range(2000)]
    stripes = np.array([g.texture_param("stripes") for g in garments])
    checks = np.array([g.texture_param("checks") for g in garments])
    assert set(stripes) <= {0.0, 1.0} and set(checks) <= {0.0, 1.0}
    assert not np.any((stripes == 1.0) & (checks == 1.0))
    for drawn, expected in zip((stripes.mean(), checks.mean()), CLOTH_PATTERN_SHARES[slot], strict=True):
        assert abs(drawn - expected) < 4 * np.sqrt(expected * (1 - expected) / len(garments)) + 1e-9
    srgb = np.array([g.base_color_rgb for g in garments]) ** (1 / 2.2)
    saturation = np.ptp(srgb, axis=1) / srgb.max(axis=1)
    assert (saturation < 0.5).mean() > 1.0 - CLOTH_BRIGHT_SHARE[slot] - 0.1  # neutrals, denim, earth tones
    vivid = srgb[saturation > 0.6]
    hues = {int(colorsys.rgb_to_hsv(*c)[0] * 6) % 6 for c in vivid}
    assert len(hues) >= 5  # the bright share takes any hue
    value = np.array([max(g.base_color_rgb) for g in garments])
    assert 0.02 <= value.min() and value.max() <= 1.0
    assert np.median(value) < 0.15  # most street clothing is dark: black, navy, denim, charcoal


def test_shoes_are_mostly_black_or_white_trainers_with_leather_browns_and_greys():
    rng = np.random.default_rng(6)
    shoes = np.array([sample_material("shoes", rng).base_color_rgb for _ in range(1000)])
    value = shoes.max(axis=1)
    assert 0.3 < (value < 0.05).mean() < 0.6  # black (and navy)
    assert 0.15 < (value > 0.5).mean() < 0.35  # white trainers
    assert len({tuple(np.round(c, 6)) for c in shoes}) == len(shoes)  # every pair jittered
